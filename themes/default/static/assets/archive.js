// Reader of the sharded search index (search-index.js and the files under
// search-index/): each part is a script calling annalsIndex(name, data),
// loaded once and only when a query needs it, with <script> elements so it
// works from any static host and from file://.
(function () {
  "use strict";
  var loaded = {};
  var waiting = {};
  window.annalsIndex = function (name, data) {
    loaded[name] = data;
    (waiting[name] || []).forEach(function (w) { w(data); });
    delete waiting[name];
  };
  function load(url, name) {
    if (name in loaded) return Promise.resolve(loaded[name]);
    return new Promise(function (ok, fail) {
      var first = !waiting[name];
      (waiting[name] = waiting[name] || []).push(ok);
      if (!first) return;
      var s = document.createElement("script");
      s.src = url;
      s.onerror = function () { fail(new Error("cannot load " + url)); };
      document.head.appendChild(s);
    });
  }

  var MORE = "0123456789abcdefghijklmnopqrstuv";
  var LAST = "ABCDEFGHIJKLMNOPQRSTUVWXYZwxyz_.";
  // Per character code: its digit, plus 32 when it ends a number.
  var DIGIT = new Uint8Array(128);
  for (var k = 0; k < 32; k++) { DIGIT[MORE.charCodeAt(k)] = k; DIGIT[LAST.charCodeAt(k)] = 32 + k; }
  // Event numbers of an encoded list, ascending.
  function decode(text, each) {
    var next = 0, n = 0;
    for (var i = 0; i < text.length; i++) {
      var c = text.charAt(i), d = MORE.indexOf(c);
      if (d >= 0) { n = n * 32 + d; continue; }
      var v = next + n * 32 + LAST.indexOf(c);
      each(v);
      next = v + 1; n = 0;
    }
  }
  // As the index folds its words (search_index::fold): accents dropped,
  // Hangul syllables and voiced kana kept whole, lower case.
  function fold(s) {
    return s.normalize("NFD").replace(/[\u0300-\u036f]/g, "").normalize("NFC").toLowerCase();
  }
  // Han, kana and Hangul are indexed by pairs of characters: a query's run
  // of them becomes its pairs (a single character stays itself), each
  // looked up as a prefix like any word, so any part of a Japanese or
  // Korean text is found.
  var CJK = /[\u1100-\u11ff\u3040-\u30ff\u3130-\u318f\u31f0-\u31ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff\uff66-\uff9f\u{20000}-\u{2ffff}]+/gu;
  function terms(q) {
    var out = [];
    fold(q).split(/[^\p{L}\p{N}]+/u).filter(Boolean).forEach(function (w) {
      var rest = w.replace(CJK, function (run) {
        var cs = Array.from(run);
        if (cs.length === 1) out.push(run);
        for (var i = 0; i + 1 < cs.length; i++) out.push(cs[i] + cs[i + 1]);
        return " ";
      });
      rest.split(" ").forEach(function (p) { if (p) out.push(p); });
    });
    return out;
  }
  // A query's words share this many bytes of prefix shards; a word whose
  // prefix spreads over more than its share is matched as a whole word.
  var BUDGET = 360 * 1024;

  window.annalsArchive = function (manifest) {
    var base = manifest.replace(/[^\/]*$/, "");
    var meta = load(manifest, "meta");
    function part(name) {
      return meta.then(function (m) { return load(base + m.parts + name + ".js", name); });
    }
    // Per event, the best field the term occurs in (3 title, 2 summary,
    // 1 keywords, 0 none); null when the term is too short to matter.
    function term(t, budget) {
      return meta.then(function (m) {
        var exact = -1, wide = [], size = 0;
        m.shards.forEach(function (s, i) {
          if (t.indexOf(s[0]) === 0 && (exact < 0 || s[0].length > m.shards[exact][0].length)) exact = i;
          if (s[0].indexOf(t) === 0 && s[0].length > t.length) { wide.push(i); size += s[1]; }
        });
        var whole = size + (exact >= 0 ? m.shards[exact][1] : 0) > budget;
        if (whole && t.length < 2) return null;
        var use = whole ? [] : wide;
        if (exact >= 0) use.push(exact);
        return Promise.all(use.map(function (i) { return part("t/" + i); })).then(function (shards) {
          var best = new Uint8Array(m.count);
          shards.forEach(function (shard) {
            Object.keys(shard).forEach(function (w) {
              if (whole ? w !== t : w.indexOf(t) !== 0) return;
              // Inlined decode: the hot loop of a query.
              var text = shard[w], score = 3, next = 0, n = 0;
              for (var i = 0; i < text.length; i++) {
                var c = text.charCodeAt(i), d = DIGIT[c];
                if (c === 32) { score--; next = 0; n = 0; } else if (d < 32) n = n * 32 + d;
                else { var v = next + n * 32 + d - 32; if (best[v] < score) best[v] = score; next = v + 1; n = 0; }
              }
            });
          });
          return best;
        });
      });
    }
    // Scores of events matching every word of q (null: q has no words).
    function search(q) {
      var ts = terms(q);
      if (!ts.length) return Promise.resolve(null);
      var share = Math.max(96 * 1024, BUDGET / ts.length);
      return Promise.all(ts.map(function (t) { return term(t, share); })).then(function (bests) {
        bests = bests.filter(Boolean);
        if (!bests.length) return null;
        var total = new Uint16Array(bests[0].length);
        for (var n = 0; n < total.length; n++) {
          var s = 0;
          for (var b = 0; b < bests.length && s >= 0; b++) s = bests[b][n] ? s + bests[b][n] : -1;
          total[n] = s > 0 ? s : 0;
        }
        return total;
      });
    }
    // Events with a facet value: 1 for each event that has it.
    function facet(field, key) {
      return meta.then(function (m) {
        var mask = new Uint8Array(m.count);
        return part("f/" + field + "/" + key).then(function (list) {
          decode(list, function (n) { mask[n] = 1; });
          return mask;
        }, function () { return mask; });
      });
    }
    // Events whose first day is within [from, to] (YYYY-MM-DD, either "").
    function range(from, to) {
      return Promise.all([meta, part("dates")]).then(function (r) {
        var mask = new Uint8Array(r[0].count), runs = r[1], n = 0;
        for (var i = 0; i < runs.length; i += 2) {
          var ok = (!from || runs[i] >= from) && (!to || runs[i] <= to);
          for (var k = 0; k < runs[i + 1]; k++, n++) if (ok) mask[n] = 1;
        }
        return mask;
      });
    }
    // The documents of event numbers ns, in that order.
    function docs(ns) {
      return meta.then(function (m) {
        var chunks = {};
        ns.forEach(function (n) { chunks[Math.floor(n / m.chunk)] = true; });
        return Promise.all(Object.keys(chunks).map(function (c) { return part("d/" + c); })).then(function () {
          return ns.map(function (n) {
            var c = Math.floor(n / m.chunk);
            return loaded["d/" + c][n - c * m.chunk];
          });
        });
      });
    }
    return { meta: meta, search: search, facet: facet, range: range, docs: docs, fold: fold };
  };
})();
