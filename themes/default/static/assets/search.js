// Search page: queries the sharded build-time index (see archive.js),
// loading only the shards and documents a query needs. Every word of the
// query must appear (as a word prefix) in an event; title matches rank
// above summary matches, then keyword matches; newer events first.
(function () {
  "use strict";
  var form = document.querySelector(".search-form");
  if (!form || !window.annalsArchive) return;
  var archive = window.annalsArchive(form.getAttribute("data-index"));
  var input = document.getElementById("search-q");
  var status = document.getElementById("search-status");
  var list = document.getElementById("search-results");
  var more = document.getElementById("search-more");
  var base = form.getAttribute("data-base") || "/";
  var PAGE = 20;
  var hits = [], shown = 0, asked = 0;

  function item(d) {
    var li = document.createElement("li");
    var a = document.createElement("a");
    a.href = base + d[0];
    a.textContent = d[1];
    var when = document.createElement("p");
    when.className = "search-when";
    when.textContent = d[2];
    var summary = document.createElement("p");
    summary.textContent = d[3];
    var title = document.createElement("h2");
    title.appendChild(a);
    li.appendChild(title);
    li.appendChild(when);
    li.appendChild(summary);
    return li;
  }

  function showMore(run) {
    var next = hits.slice(shown, shown + PAGE);
    shown += next.length;
    return archive.docs(next).then(function (docs) {
      if (run !== asked) return;
      docs.forEach(function (d) { list.appendChild(item(d)); });
      if (more) more.hidden = shown >= hits.length;
    });
  }

  function show(q) {
    var run = ++asked;
    if (!q.trim()) { list.textContent = ""; status.textContent = ""; if (more) more.hidden = true; return; }
    archive.search(q).then(function (scores) {
      if (run !== asked) return;
      // By score, then newest first: one pass per score (scores are small).
      hits = [];
      var top = 0, n;
      if (scores) for (n = 0; n < scores.length; n++) if (scores[n] > top) top = scores[n];
      for (var sc = top; sc > 0; sc--) for (n = scores.length - 1; n >= 0; n--) if (scores[n] === sc) hits.push(n);
      list.textContent = "";
      shown = 0;
      status.textContent = (form.getAttribute(hits.length === 1 ? "data-msg-found-one" : "data-msg-found-other") || "").replace("{n}", hits.length);
      return showMore(run);
    }, function () {
      if (run === asked) status.textContent = form.getAttribute("data-msg-failed") || "";
    });
  }

  if (more) more.addEventListener("click", function () { showMore(asked); });
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
