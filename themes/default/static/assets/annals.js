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
      c.textContent = filtering ? n + " of " + c.getAttribute("data-all") : c.getAttribute("data-all");
    });
    if (count) count.textContent = shown + (shown === 1 ? " event" : " events") + (shown === entries.length ? "" : " of " + entries.length) + (partial ? " on this page" : "");
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
    if (count) count.textContent = "Searching every event…";
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
      if (count) count.textContent = found.length + (found.length === 1 ? " event" : " events") + " of " + all;
      showMore(s);
      return listMore(mine);
    }, function () {
      if (mine === run && count) count.textContent = "The search index could not be loaded.";
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
      a.textContent = "Every event: " + opt.textContent.replace(/ \(\d+\)$/, "");
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

// Embeds and media kept on other sites: a placeholder names the host and
// links to the content; the iframe (or the image, video or audio element)
// is made only when the reader presses the button, so no third party is
// contacted before.
(function () {
  "use strict";
  var boxes = document.querySelectorAll(".embed-placeholder[data-embed-src]");
  Array.prototype.forEach.call(boxes, function (box) {
    var what = box.getAttribute("data-media-kind") || "content";
    var button = document.createElement("button");
    button.type = "button";
    button.className = "embed-load";
    button.textContent = "Load " + (what === "content" ? "content" : "the " + what) +
      " from " + box.getAttribute("data-embed-host");
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
