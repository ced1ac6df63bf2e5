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
let bytes = 0;
page.on("response", async (r) => {
  try { bytes += (await r.body()).length; } catch { /* redirects have no body */ }
});

const kb = (n) => (n / 1024).toFixed(0) + " KB";
await page.goto(new URL("search/", base).href, { waitUntil: "load" });
const pageBytes = bytes;
await page.waitForTimeout(300);
const scripts = bytes - pageBytes;

async function query(q) {
  const before = bytes;
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
  const status = await page.textContent("#search-status");
  return { q, ms: ms.toFixed(0) + " ms", bytes: kb(bytes - before), status };
}

const first = await query(q1);
first.bytes = kb(scripts + parseInt(first.bytes, 10) * 1024) + " (with the search scripts)";
console.log("page HTML+CSS:", kb(pageBytes));
console.log("first query: ", JSON.stringify(first));
console.log("second query:", JSON.stringify(await query(q2)));

// Whole-archive filter on the timeline: one kind.
const timeline = await context.newPage();
let tbytes = 0;
timeline.on("response", async (r) => { try { tbytes += (await r.body()).length; } catch { } });
await timeline.goto(base, { waitUntil: "load" });
const t0 = Date.now();
await timeline.goto(new URL("?kinds=" + kind, base).href, { waitUntil: "load" });
await timeline.waitForFunction(() => / of /.test(document.getElementById("filter-count").textContent)
  && document.querySelectorAll("#filter-results .entry").length > 0);
console.log("timeline filter kinds=" + kind + ":", await timeline.textContent("#filter-count"),
  "in", Date.now() - t0, "ms (page load included)");
await browser.close();
