// Search page: scans the build-time index (search-index.js) in the
// browser. Every word of the query must appear (as a word prefix) in an
// event; title matches rank above summary matches, then keyword matches.
(function () {
  "use strict";
  var form = document.querySelector(".search-form");
  var data = window.annalsSearchIndex;
  if (!form || !data) return;
  var input = document.getElementById("search-q");
  var status = document.getElementById("search-status");
  var list = document.getElementById("search-results");
  var base = form.getAttribute("data-base") || "/";

  function fold(s) {
    return s.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
  }
  var docs = data.docs.map(function (d) {
    return { d: d, title: " " + fold(d[1]), summary: " " + fold(d[3]), keys: " " + fold(d[4]) };
  });

  function hasWord(text, term) {
    // Word-prefix match: the term follows a non-letter character.
    var i = text.indexOf(term);
    while (i !== -1) {
      if (i === 0 || !/[\p{L}\p{N}]/u.test(text.charAt(i - 1))) return true;
      i = text.indexOf(term, i + 1);
    }
    return false;
  }

  function search(q) {
    var terms = fold(q).split(/[^\p{L}\p{N}]+/u).filter(Boolean);
    if (!terms.length) return [];
    var hits = [];
    docs.forEach(function (doc, n) {
      var score = 0;
      for (var t = 0; t < terms.length; t++) {
        var term = terms[t];
        if (hasWord(doc.title, term)) score += 3;
        else if (hasWord(doc.summary, term)) score += 2;
        else if (hasWord(doc.keys, term)) score += 1;
        else return;
      }
      hits.push({ doc: doc.d, score: score, n: n });
    });
    hits.sort(function (a, b) { return b.score - a.score || b.n - a.n; });
    return hits;
  }

  function show(q) {
    list.textContent = "";
    if (!q.trim()) { status.textContent = ""; return; }
    var hits = search(q);
    status.textContent = hits.length === 1 ? "1 event found" : hits.length + " events found";
    hits.slice(0, 200).forEach(function (h) {
      var li = document.createElement("li");
      var a = document.createElement("a");
      a.href = base + h.doc[0];
      a.textContent = h.doc[1];
      var when = document.createElement("p");
      when.className = "search-when";
      when.textContent = h.doc[2];
      var summary = document.createElement("p");
      summary.textContent = h.doc[3];
      var title = document.createElement("h2");
      title.appendChild(a);
      li.appendChild(title);
      li.appendChild(when);
      li.appendChild(summary);
      list.appendChild(li);
    });
  }

  var initial = new URLSearchParams(window.location.search).get("q") || "";
  input.value = initial;
  show(initial);
  var timer;
  input.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(function () {
      var url = new URL(window.location.href);
      if (input.value) url.searchParams.set("q", input.value); else url.searchParams.delete("q");
      history.replaceState(null, "", url);
      show(input.value);
    }, 120);
  });
  form.addEventListener("submit", function (e) { e.preventDefault(); show(input.value); });
})();
