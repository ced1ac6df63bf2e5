// Timeline filters: progressive enhancement over plain links. The state
// lives in the URL query so a filtered view can be shared and the back
// button works. When the page holds every event the filters hide entries
// in place; otherwise an active filter takes its results from the search
// index (archive.js), so it covers the whole archive.
(function () {
  "use strict";
  var form = document.querySelector(".filter-form");
  var timeline = document.getElementById("timeline");
  if (!form || !timeline) return;
  document.documentElement.classList.add("js");
  form.hidden = false;
  var entries = Array.prototype.slice.call(timeline.querySelectorAll(".entry"));
  var texts = entries.map(function (li) { return li.textContent.toLowerCase(); });
  var count = document.getElementById("filter-count");
  var more = document.getElementById("filter-more");
  // A page of a paginated timeline (or one leaving years to their pages)
  // holds part of the archive: with the index, filters cover every event;
  // without it, the events on the page.
  var partial = !!document.querySelector(".earlier-years, .pagination");
  var fields = ["kinds", "countries", "tracks", "participants", "tags", "status", "source", "from", "to"];
  var attr = { kinds: "kind", countries: "countries", tracks: "tracks", participants: "participants", tags: "tags", source: "sources" };
  var all = parseInt(form.getAttribute("data-all"), 10) || entries.length;
  var indexUrl = form.getAttribute("data-index");
  var archive = indexUrl && all > entries.length && window.annalsArchive ? window.annalsArchive(indexUrl) : null;
  var results = document.getElementById("filter-results");
  var resultsMore = document.getElementById("filter-results-more");
  var found = [], listed = 0, run = 0;
  // Messages in the page's language (data-msg-* on the form), with
  // {name} filled in.
  function msg(name, values) {
    var text = form.getAttribute("data-msg-" + name) || "";
    return text.replace(/\{(\w+)\}/g, function (all, key) {
      return values && key in values ? number(values[key]) : all;
    });
  }
  // Counts grouped as the page's language groups them, past four digits
  // (as the pages' own counts are): 100,000 / 100.000 / 100 000.
  var grouping = null;
  try {
    grouping = new Intl.NumberFormat(document.documentElement.lang || undefined, { useGrouping: "min2" });
  } catch (e) { grouping = null; }
  function number(v) {
    if (typeof v === "string" && /^\d+$/.test(v)) v = parseInt(v, 10);
    return typeof v === "number" && grouping ? grouping.format(v) : v;
  }
  function eventCount(n) { return msg(n === 1 ? "count-one" : "count-other", { n: n }); }

  function state() {
    var s = { q: (form.elements.q && form.elements.q.value || "").trim().toLowerCase() };
    fields.forEach(function (f) { if (form.elements[f]) s[f] = form.elements[f].value; });
    return s;
  }

  function day(li) {
    var t = li.querySelector("time");
    var d = (t && t.getAttribute("datetime") || "").slice(0, 10);
    return d.length === 4 ? d + "-01-01" : d.length === 7 ? d + "-01" : d;
  }

  function active(s) {
    return fields.concat(["q"]).some(function (f) { return !!s[f]; });
  }

  function apply(s) {
    if (archive && results) {
      var whole = active(s);
      timeline.hidden = whole;
      results.hidden = !whole;
      if (whole) return fromIndex(s);
      run++;
      if (resultsMore) resultsMore.hidden = true;
    }
    var shown = 0;
    entries.forEach(function (li, i) {
      var ok = !s.q || texts[i].indexOf(s.q) !== -1;
      ["kinds", "countries", "tracks", "participants", "tags", "source"].forEach(function (f) {
        if (ok && s[f]) ok = (" " + (li.getAttribute("data-" + attr[f]) || "") + " ").indexOf(" " + s[f] + " ") !== -1;
      });
      if (ok && s.status) ok = li.classList.contains("status-" + s.status);
      if (ok && (s.from || s.to)) {
        var d = day(li);
        ok = (!s.from || d >= s.from) && (!s.to || d <= s.to);
      }
      li.hidden = !ok;
      if (ok) shown++;
    });
    timeline.querySelectorAll("section.month").forEach(function (m) { m.hidden = !m.querySelector(".entry:not([hidden])"); });
    // Each year's count says how many of its events the filter shows
    // ("2 of 5 events"), and goes back to its own text without one.
    var filtering = active(s);
    timeline.querySelectorAll("section.year").forEach(function (y) {
      var n = y.querySelectorAll(".entry:not([hidden])").length;
      y.hidden = !n;
      var c = y.querySelector("h2 .count");
      if (!c) return;
      if (!c.hasAttribute("data-all")) c.setAttribute("data-all", c.textContent);
      c.textContent = filtering ? msg("of", { shown: n, total: c.getAttribute("data-all") }) : number(c.getAttribute("data-all"));
    });
    if (count) count.textContent = (shown === entries.length ? eventCount(shown) : msg("of", { shown: shown, total: eventCount(entries.length) })) + (partial ? msg("on-page") : "");
    showMore(s);
  }

  // Every event matching s, from the index, listed a page at a time.
  function fromIndex(s) {
    var mine = ++run;
    var masks = [];
    ["kinds", "countries", "tracks", "participants", "tags", "status", "source"].forEach(function (f) {
      if (s[f]) masks.push(archive.facet(f, s[f]));
    });
    if (s.from || s.to) masks.push(archive.range(s.from, s.to));
    if (s.q) masks.push(archive.search(s.q));
    if (count) count.textContent = msg("searching");
    Promise.all(masks).then(function (ms) {
      if (mine !== run) return;
      ms = ms.filter(Boolean);
      found = [];
      var n0 = ms.length ? ms[0].length : 0;
      for (var n = 0; n < n0; n++) {
        var ok = true;
        for (var m = 0; m < ms.length && ok; m++) ok = ms[m][n] > 0;
        if (ok) found.push(n);
      }
      if (form.hasAttribute("data-newest-first")) found.reverse();
      results.textContent = "";
      listed = 0;
      if (count) count.textContent = msg("of", { shown: found.length, total: eventCount(all) });
      showMore(s);
      return listMore(mine);
    }, function () {
      if (mine === run && count) count.textContent = msg("failed");
    });
  }

  function listMore(mine) {
    var next = found.slice(listed, listed + 50);
    listed += next.length;
    var base = indexUrl.replace(/[^\/]*$/, "");
    return archive.docs(next).then(function (docs) {
      if (mine !== run) return;
      docs.forEach(function (d) {
        var li = document.createElement("li");
        li.className = "entry status-" + d[5];
        var when = document.createElement("p");
        when.className = "entry-date";
        when.textContent = d[2];
        var h = document.createElement("h4");
        h.className = "entry-title";
        var a = document.createElement("a");
        a.href = base + d[0];
        a.textContent = d[1];
        h.appendChild(a);
        var summary = document.createElement("p");
        summary.className = "entry-summary";
        summary.textContent = d[3];
        li.appendChild(when);
        li.appendChild(h);
        li.appendChild(summary);
        results.appendChild(li);
      });
      if (resultsMore) resultsMore.hidden = listed >= found.length;
    });
  }
  if (resultsMore) resultsMore.addEventListener("click", function () { listMore(run); });

  // Each chosen value also has its own page listing every event with it,
  // across all years (this page may hold only the newest years).
  function showMore(s) {
    if (!more) return;
    more.textContent = "";
    ["kinds", "countries", "tracks", "participants", "tags"].forEach(function (f) {
      var sel = form.elements[f];
      if (!s[f] || !sel || sel.selectedIndex < 0) return;
      var opt = sel.options[sel.selectedIndex];
      var url = opt.getAttribute("data-url");
      if (!url) return;
      var a = document.createElement("a");
      a.href = url;
      a.textContent = msg("every", { label: opt.textContent.replace(/ \(\d+\)$/, "") });
      if (more.firstChild) more.appendChild(document.createTextNode(" · "));
      more.appendChild(a);
    });
    more.hidden = !more.firstChild;
  }

  function fromUrl() {
    var params = new URLSearchParams(location.search);
    if (form.elements.q) form.elements.q.value = params.get("q") || "";
    fields.forEach(function (f) { if (form.elements[f]) form.elements[f].value = params.get(f) || ""; });
    var active = params.toString() !== "";
    if (active) document.getElementById("filters").open = true;
    apply(state());
  }

  function toUrl() {
    var s = state();
    var params = new URLSearchParams();
    if (s.q) params.set("q", form.elements.q.value.trim());
    fields.forEach(function (f) { if (s[f]) params.set(f, s[f]); });
    var qs = params.toString();
    var url = location.pathname + (qs ? "?" + qs : "") + location.hash;
    if (url !== location.pathname + location.search + location.hash) history.pushState(null, "", url);
    apply(s);
  }

  form.addEventListener("input", toUrl);
  form.addEventListener("change", toUrl);
  form.addEventListener("submit", function (e) { e.preventDefault(); toUrl(); });
  form.addEventListener("reset", function () { setTimeout(toUrl, 0); });
  window.addEventListener("popstate", fromUrl);
  fromUrl();
})();

// Brushing the timeline's axis: with a mouse or a pen, dragging across
// the axis picks a stretch of time. It fills the filters' From and To
// fields, so the list, the count and the URL follow as for any filter;
// the keyboard reaches the same through those fields. Touch is left to
// scroll the axis sideways.
(function () {
  "use strict";
  var form = document.querySelector(".filter-form");
  var svg = document.querySelector(".axis-svg[data-start]");
  var note = document.querySelector(".axis-brush");
  if (!form || !svg || !form.elements.from || !form.elements.to) return;
  var DAY = 86400000;
  var plot = (svg.getAttribute("data-plot") || "").split(" ").map(Number);
  var start = parse(svg.getAttribute("data-start"));
  var end = parse(svg.getAttribute("data-end"));
  if (plot.length !== 2 || isNaN(start) || isNaN(end) || end <= start) return;
  var ns = "http://www.w3.org/2000/svg";
  var band = document.createElementNS(ns, "rect");
  band.setAttribute("class", "axis-brush-band");
  band.setAttribute("y", "0");
  band.setAttribute("height", svg.viewBox.baseVal.height);
  band.style.display = "none";
  svg.insertBefore(band, svg.querySelector(".axis-front"));
  svg.classList.add("brushable");
  var clear = note && note.querySelector("button");
  if (note) note.hidden = false;

  // "YYYY-MM-DD" (any year from 1) to a UTC time, and back.
  function parse(text) {
    var m = /^(\d{4,})-(\d{2})-(\d{2})$/.exec(text || "");
    if (!m) return NaN;
    var d = new Date(0);
    d.setUTCFullYear(+m[1], +m[2] - 1, +m[3]);
    return d.getTime();
  }
  function format(t) {
    var d = new Date(t);
    var pad = function (n, w) { n = String(n); while (n.length < w) n = "0" + n; return n; };
    return pad(d.getUTCFullYear(), 4) + "-" + pad(d.getUTCMonth() + 1, 2) + "-" + pad(d.getUTCDate(), 2);
  }
  function xOf(t) {
    t = Math.min(Math.max(t, start), end);
    return plot[0] + (t - start) / (end - start) * (plot[1] - plot[0]);
  }
  // The day under an x position of the drawing.
  function dayAt(x) {
    var f = Math.min(Math.max((x - plot[0]) / (plot[1] - plot[0]), 0), 1);
    var t = start + f * (end - start);
    return Math.min(Math.floor(t / DAY) * DAY, end - DAY);
  }
  function svgX(e) {
    var m = svg.getScreenCTM();
    if (!m) return 0;
    var p = svg.createSVGPoint();
    p.x = e.clientX;
    p.y = e.clientY;
    return p.matrixTransform(m.inverse()).x;
  }
  function draw(x0, x1) {
    if (x0 === null) { band.style.display = "none"; return; }
    band.setAttribute("x", Math.min(x0, x1).toFixed(1));
    band.setAttribute("width", Math.max(Math.abs(x1 - x0), 2).toFixed(1));
    band.style.display = "";
  }
  // The band shows the filters' range, whichever way it was set.
  function fromFields() {
    var from = parse(form.elements.from.value), to = parse(form.elements.to.value);
    var on = !isNaN(from) || !isNaN(to);
    if (clear) clear.hidden = !on;
    if (!on) return draw(null);
    draw(xOf(isNaN(from) ? start : from), xOf(isNaN(to) ? end : to + DAY));
  }
  function commit(a, b) {
    var lo = Math.min(a, b), hi = Math.max(a, b);
    form.elements.from.value = format(dayAt(lo));
    form.elements.to.value = format(dayAt(hi));
    form.dispatchEvent(new Event("change", { bubbles: true }));
    fromFields();
  }

  var down = null, dragged = false;
  svg.addEventListener("pointerdown", function (e) {
    if (e.pointerType === "touch" || e.button !== 0) return;
    down = svgX(e);
    dragged = false;
  });
  svg.addEventListener("pointermove", function (e) {
    if (down === null) return;
    var x = svgX(e);
    if (!dragged && Math.abs(x - down) < 4) return;
    if (!dragged) {
      dragged = true;
      svg.setPointerCapture(e.pointerId);
    }
    e.preventDefault();
    draw(down, x);
  });
  svg.addEventListener("pointerup", function (e) {
    if (down === null) return;
    var a = down;
    down = null;
    if (dragged) commit(a, svgX(e));
  });
  svg.addEventListener("pointercancel", function () { down = null; dragged = false; fromFields(); });
  // A drag that ends on a mark is not a click on it.
  svg.addEventListener("click", function (e) {
    if (dragged) { e.preventDefault(); e.stopPropagation(); dragged = false; }
  }, true);
  svg.addEventListener("dragstart", function (e) { e.preventDefault(); });
  if (clear) clear.addEventListener("click", function () {
    form.elements.from.value = "";
    form.elements.to.value = "";
    form.dispatchEvent(new Event("change", { bubbles: true }));
    fromFields();
  });
  form.addEventListener("input", fromFields);
  form.addEventListener("change", fromFields);
  form.addEventListener("reset", function () { setTimeout(fromFields, 0); });
  window.addEventListener("popstate", fromFields);
  fromFields();
})();

// Embeds and media kept on other sites: a placeholder names the host and
// links to the content; the iframe (or the image, video or audio element)
// is made only when the reader presses the button, so no third party is
// contacted before.
(function () {
  "use strict";
  var boxes = document.querySelectorAll(".embed-placeholder[data-embed-src]");
  Array.prototype.forEach.call(boxes, function (box) {
    var button = document.createElement("button");
    button.type = "button";
    button.className = "embed-load";
    // The label comes in the page's language with the placeholder.
    button.textContent = box.getAttribute("data-embed-load");
    button.addEventListener("click", function () {
      var el = shown(box);
      while (box.firstChild) box.removeChild(box.firstChild);
      box.appendChild(el);
      box.classList.add("loaded");
      el.focus();
    });
    box.insertBefore(button, box.querySelector(".embed-note"));
  });
  // Called only from the click handler above.
  function shown(box) {
    var kind = box.getAttribute("data-media-kind");
    var src = box.getAttribute("data-embed-src");
    var title = box.getAttribute("data-embed-title");
    var el;
    if (kind === "image") {
      el = document.createElement("img");
      el.alt = title;
      el.tabIndex = -1;
    } else if (kind === "video" || kind === "audio") {
      el = document.createElement(kind);
      el.controls = true;
      el.setAttribute("aria-label", title);
    } else {
      el = document.createElement("iframe");
      el.title = title;
      el.setAttribute("allow", "fullscreen; picture-in-picture; encrypted-media");
      el.setAttribute("allowfullscreen", "");
    }
    el.setAttribute("referrerpolicy", "strict-origin-when-cross-origin");
    el.src = src;
    return el;
  }
})();
// "Cite this event": the accessed date from the reader's clock (shown only
// here, so a page read without scripts states no date rather than a wrong
// one) and a button that copies the citation.
(function () {
  "use strict";
  var text = document.getElementById("cite-text");
  if (!text) return;
  var accessed = text.querySelector(".cite-accessed");
  var slot = accessed && accessed.querySelector(".cite-date");
  if (slot) {
    var time = document.createElement("time");
    var now = new Date();
    var pad = function (n) { return (n < 10 ? "0" : "") + n; };
    time.dateTime = now.getFullYear() + "-" + pad(now.getMonth() + 1) + "-" + pad(now.getDate());
    var lang = document.documentElement.lang || undefined;
    try {
      time.textContent = now.toLocaleDateString(lang, { day: "numeric", month: "long", year: "numeric" });
    } catch (e) {
      time.textContent = time.dateTime;
    }
    slot.appendChild(time);
    accessed.hidden = false;
  }
  var actions = document.querySelector(".cite-actions");
  var button = actions && actions.querySelector(".cite-copy");
  var status = actions && actions.querySelector(".cite-status");
  if (!button || !navigator.clipboard || !navigator.clipboard.writeText) return;
  actions.hidden = false;
  button.addEventListener("click", function () {
    var line = text.textContent.replace(/\s+/g, " ").trim();
    navigator.clipboard.writeText(line).then(function () {
      status.textContent = actions.getAttribute("data-msg-copied") || "";
    }, function () {
      status.textContent = actions.getAttribute("data-msg-copy-failed") || "";
    });
  });
})();
