// annals serve: reloads the page after a rebuild and shows build errors
// over the last good page. Injected by the preview server only.
(function () {
  "use strict";
  var me = document.currentScript;
  var version = me ? me.getAttribute("data-annals-version") : null;
  var overlay = null;

  function hide() {
    if (overlay) { overlay.remove(); overlay = null; }
  }

  function show(text) {
    hide();
    overlay = document.createElement("div");
    overlay.id = "annals-error-overlay";
    overlay.setAttribute("role", "alert");
    overlay.style.cssText = "position:fixed;inset:0;z-index:2147483647;overflow:auto;" +
      "background:rgba(20,20,24,.94);color:#fff;padding:1.5rem;font:14px/1.45 ui-monospace,monospace";
    var title = document.createElement("p");
    title.textContent = "annals: the site has errors (showing the last good page underneath)";
    title.style.cssText = "font-weight:bold;color:#ff9b9b;margin:0 0 1rem";
    var pre = document.createElement("pre");
    pre.textContent = text;
    pre.style.cssText = "white-space:pre-wrap;margin:0";
    overlay.appendChild(title);
    overlay.appendChild(pre);
    document.body.appendChild(overlay);
  }

  var source = new EventSource("/__annals/events");
  source.addEventListener("hello", function (e) {
    hide();
    if (version && e.data !== version) location.reload();
  });
  source.addEventListener("reload", function () { location.reload(); });
  source.addEventListener("errors", function (e) { show(e.data); });
  // base_url's path changed: this page's address is gone; go to the new home.
  source.addEventListener("moved", function (e) { location.assign(e.data); });
})();
