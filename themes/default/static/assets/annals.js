// Timeline filters: progressive enhancement over plain links. The state
// lives in the URL query so a filtered view can be shared and the back
// button works.
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
  // holds part of the archive: the filters cover the events on it.
  var partial = !!document.querySelector(".earlier-years, .pagination");
  var fields = ["kinds", "countries", "tracks", "participants", "tags"];
  var attr = { kinds: "kind", countries: "countries", tracks: "tracks", participants: "participants", tags: "tags" };

  function state() {
    var s = { q: (form.elements.q && form.elements.q.value || "").trim().toLowerCase() };
    fields.forEach(function (f) { if (form.elements[f]) s[f] = form.elements[f].value; });
    return s;
  }

  function apply(s) {
    var shown = 0;
    entries.forEach(function (li, i) {
      var ok = !s.q || texts[i].indexOf(s.q) !== -1;
      fields.forEach(function (f) {
        if (ok && s[f]) ok = (" " + (li.getAttribute("data-" + attr[f]) || "") + " ").indexOf(" " + s[f] + " ") !== -1;
      });
      li.hidden = !ok;
      if (ok) shown++;
    });
    timeline.querySelectorAll("section.month").forEach(function (m) { m.hidden = !m.querySelector(".entry:not([hidden])"); });
    timeline.querySelectorAll("section.year").forEach(function (y) { y.hidden = !y.querySelector(".entry:not([hidden])"); });
    if (count) count.textContent = shown + (shown === 1 ? " event" : " events") + (shown === entries.length ? "" : " of " + entries.length) + (partial ? " on this page" : "");
    showMore(s);
    // Hook for filtering the whole archive (through the search index):
    // a listener gets the state, and whether this page holds only part.
    document.dispatchEvent(new CustomEvent("annals:filter", { detail: { state: s, partial: partial, shown: shown } }));
  }

  // Each chosen value also has its own page listing every event with it,
  // across all years (this page may hold only the newest years).
  function showMore(s) {
    if (!more) return;
    more.textContent = "";
    fields.forEach(function (f) {
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
