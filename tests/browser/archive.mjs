// Browser checks of search and timeline filters on an archive larger than
// the timeline page, driven by tests/browser.rs:
//
//   node archive.mjs BASE_URL WORD PATH
//
// WORD is a word of exactly one event's title, an event at PATH (under the
// base) that the timeline page does not list. Exits 1 on any failure.
import { launch, check, opener, problems } from "./harness.mjs";

const [base, word, path] = process.argv.slice(2);
const browser = await launch();
const context = await browser.newContext();
const openIn = opener(base);
const open = (path) => openIn(context, path);

try {
  // Search: one event found, from a few parts of the index.
  const search = await open("search/?q=" + encodeURIComponent(word));
  await search.waitForFunction(() => /found/.test(document.getElementById("search-status").textContent));
  check(await search.textContent("#search-status") === "1 event found", "search finds the one event", await search.textContent("#search-status"));
  const href = await search.getAttribute("#search-results a", "href");
  check(href === new URL(path, base).pathname, "result links to the event", href);
  const shards = search.parts.filter((p) => p.includes("/t/")).length;
  const docs = search.parts.filter((p) => p.includes("/d/")).length;
  check(shards >= 1 && shards <= 2 && docs === 1, "a query loads one shard and one chunk of documents", search.parts);
  check(search.errors.length === 0, "search page has no errors", search.errors);

  // Timeline: the event is not on the page, but a text filter finds it.
  const index = await open("");
  check(await index.locator(`#timeline a[href="${new URL(path, base).pathname}"]`).count() === 0, "the event is not on the timeline page", null);
  await index.locator("#filters summary").click();
  await index.fill("#filter-q", word);
  await index.waitForFunction(() => document.querySelectorAll("#filter-results .entry").length > 0);
  check(await index.locator(`#filter-results a[href="${new URL(path, base).pathname}"]`).count() === 1, "the text filter finds it in the whole archive", null);
  check(await index.isHidden("#timeline"), "the page's own list is hidden while filtering", null);
  check(/^1 of \d+ events$/.test(await index.textContent("#filter-count")), "count says 1 of all", await index.textContent("#filter-count"));
  check(new URL(index.url()).searchParams.get("q") === word, "text filter is in the URL", index.url());

  // A kind: the count matches the whole-archive count on its option.
  await index.fill("#filter-q", "");
  const option = await index.locator("#filter-kinds option").nth(1);
  const key = await option.getAttribute("value");
  const label = await option.textContent();
  const expected = label.match(/\((\d+)\)$/)[1];
  await index.selectOption("#filter-kinds", key);
  await index.waitForFunction((n) => document.getElementById("filter-count").textContent.startsWith(n + " of "), expected);
  check(new URL(index.url()).searchParams.get("kinds") === key, "kind filter is in the URL", index.url());
  await index.waitForFunction((n) => document.querySelectorAll("#filter-results .entry").length >= n, Math.min(50, Number(expected)));
  const listed = await index.locator("#filter-results .entry").count();
  check(listed === Math.min(50, Number(expected)), "the first 50 results are listed", listed);
  if (Number(expected) > 50) {
    await index.click("#filter-results-more");
    await index.waitForFunction(() => document.querySelectorAll("#filter-results .entry").length > 50);
    check(true, "more results load on request", null);
  }

  // A date range on top: fewer events, and in the URL.
  await index.fill("#filter-from", "2000-01-01");
  await index.fill("#filter-to", "2010-12-31");
  await index.waitForFunction((n) => {
    const t = document.getElementById("filter-count").textContent;
    return / of /.test(t) && !t.startsWith(n + " of ");
  }, expected);
  check(new URL(index.url()).searchParams.get("from") === "2000-01-01", "date range is in the URL", index.url());

  // Back to the page's own list.
  await index.click("button[type=reset]");
  await index.waitForFunction(() => !location.search);
  check(await index.isVisible("#timeline") && await index.isHidden("#filter-results"), "clearing shows the page's list again", null);
  check(index.errors.length === 0, "timeline has no errors", index.errors);
} catch (e) {
  problems.push(String(e));
  console.log("FAIL", e);
} finally {
  await browser.close();
}
if (problems.length) process.exit(1);
console.log("all archive checks passed");
