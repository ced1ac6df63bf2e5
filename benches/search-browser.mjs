// Measures the search page of a built, served site in headless Chromium:
// bytes downloaded by a first and a second query (everything the search
// loads after the page's own HTML and CSS), and the time from submitting
// a query to its results on screen. Also a whole-archive timeline filter.
//
//   node benches/search-browser.mjs BASE_URL [QUERY1] [QUERY2] [KIND]
//
// Run from the repository (playwright-core comes from tests/browser);
// benches/search-scale.sh builds a corpus, serves it and calls this.
import { createRequire } from "node:module";
const require = createRequire(new URL("../tests/browser/package.json", import.meta.url));
const { chromium } = require("playwright-core");

const [base, q1 = "deterrence maritime", q2 = "sanctions", kind = "meeting"] = process.argv.slice(2);
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
  args: ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run"],
});
const context = await browser.newContext();
const page = await context.newPage();
const kb = (n) => (n / 1024).toFixed(0) + " KB";

// Bytes of the resources the page fetched from entry `from` on (Resource
// Timing; the static server sends them uncompressed).
const fetched = (p, from) => p.evaluate((from) => performance.getEntriesByType("resource").slice(from)
  .reduce((a, e) => a + e.encodedBodySize, 0), from);
const entries = (p) => p.evaluate(() => performance.getEntriesByType("resource").length);
const scriptsOf = (p) => p.evaluate(() => performance.getEntriesByType("resource")
  .filter((e) => e.initiatorType === "script" || /\.js$/.test(e.name)).reduce((a, e) => a + e.encodedBodySize, 0));

await page.goto(new URL("search/", base).href, { waitUntil: "load" });
await page.waitForTimeout(300);

async function query(q) {
  const from = await entries(page);
  const ms = await page.evaluate((q) => new Promise((done) => {
    const status = document.getElementById("search-status");
    const list = document.getElementById("search-results");
    const input = document.getElementById("search-q");
    const start = performance.now();
    const seen = new MutationObserver(() => {
      if (/found/.test(status.textContent) && (list.children.length || /^0 /.test(status.textContent))) {
        seen.disconnect();
        done(performance.now() - start);
      }
    });
    status.textContent = "";
    list.textContent = "";
    seen.observe(document.getElementById("main"), { childList: true, subtree: true, characterData: true });
    input.value = q;
    input.form.requestSubmit();
  }), q);
  await page.waitForTimeout(500); // late parts (none expected) still count
  return { q, ms: Math.round(ms), bytes: await fetched(page, from), status: await page.textContent("#search-status") };
}

const loaded = await scriptsOf(page); // search scripts and the manifest
const first = await query(q1);
console.log(`first query:  ${first.ms} ms, ${kb(loaded + first.bytes)} (${kb(loaded)} scripts and manifest at page load, ${kb(first.bytes)} for the query), "${first.q}": ${first.status}`);
const second = await query(q2);
console.log(`second query: ${second.ms} ms, ${kb(second.bytes)} more, "${second.q}": ${second.status}`);

// Whole-archive filter on the timeline: choose a kind.
const timeline = await context.newPage();
await timeline.goto(base, { waitUntil: "load" });
const from = await entries(timeline);
const ms = await timeline.evaluate((kind) => new Promise((done) => {
  const count = document.getElementById("filter-count");
  const results = document.getElementById("filter-results");
  const start = performance.now();
  const seen = new MutationObserver(() => {
    if (/ of /.test(count.textContent) && results.children.length) { seen.disconnect(); done(performance.now() - start); }
  });
  seen.observe(document.getElementById("main"), { childList: true, subtree: true, characterData: true });
  const select = document.getElementById("filter-kinds");
  select.value = kind;
  select.dispatchEvent(new Event("change", { bubbles: true }));
}), kind);
await timeline.waitForTimeout(500);
console.log(`timeline filter kinds=${kind}: ${Math.round(ms)} ms, ${kb(await fetched(timeline, from))}: ${await timeline.textContent("#filter-count")}`);
await browser.close();
