// Browser checks of paginated lists, driven by tests/browser.rs, which
// builds a generated site of 120 events with `paginate: 10` and serves it.
//
//   node pagination.mjs BASE_URL SCREENS_DIR
//
// Walks a term list page by page with the navigation (with and without
// JavaScript), checks titles and rel links, the timeline's filters on a
// later page, and the layout at 390 px. Exits 1 on any failed check.
import { launch, check, opener, problems } from "./harness.mjs";
import { mkdirSync } from "node:fs";
import { join } from "node:path";

const [base, screens] = process.argv.slice(2);
if (!base || !screens) {
  console.error("usage: node pagination.mjs BASE_URL SCREENS_DIR");
  process.exit(2);
}
mkdirSync(screens, { recursive: true });

const browser = await launch();
const open = opener(base);

const path = (page) => new URL(page.url()).pathname;
const current = (page) => page.locator("nav.pagination a[aria-current=page]").innerText();

try {
  for (const js of [true, false]) {
    const how = js ? "" : " without JS";
    const ctx = await browser.newContext({ javaScriptEnabled: js, viewport: { width: 1280, height: 900 } });
    const term = await open(ctx, "kinds/meeting/");
    check((await term.title()).startsWith("Meeting — page 1 of 12"), `page 1's title has its number${how}`, await term.title());
    check(await term.locator(".timeline .entry").count() === 10, `page 1 holds 10 events${how}`, null);
    check((await current(term)).includes("1"), `page 1 is the current page${how}`, await current(term));
    await term.locator("nav.pagination a[rel=next]").click();
    await term.waitForURL(/page\/2\/$/);
    check(path(term) === "/timeline/kinds/meeting/page/2/", `Next goes to page 2${how}`, path(term));
    check((await term.title()).includes("page 2 of 12"), `page 2's title${how}`, await term.title());
    check(await term.locator("head link[rel=prev]").getAttribute("href") === "/timeline/kinds/meeting/", `page 2 links page 1 as rel=prev${how}`, null);
    await term.locator("nav.pagination a", { hasText: "12" }).click();
    await term.waitForURL(/page\/12\/$/);
    check(await term.locator("nav.pagination a[rel=next]").count() === 0, `the last page has no Next${how}`, null);
    check(await term.locator("head link[rel=next]").count() === 0, `the last page has no rel=next${how}`, null);
    await term.locator("nav.pagination a[rel=prev]").click();
    await term.waitForURL(/page\/11\/$/);
    check((await current(term)).includes("11"), `Previous goes back one page${how}`, await current(term));
    await term.goBack();
    await term.waitForURL(/page\/12\/$/);
    check((await current(term)).includes("12"), `the back button returns to the page before${how}`, await current(term));
    check(term.errors.length === 0, `term pages: no console errors${how}`, term.errors);
    await ctx.close();
  }

  // The timeline's filters on a later page cover every event, through the
  // search index: one track's 40 events of the 120.
  const desktop = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const tl = await open(desktop, "page/3/");
  const total = await tl.locator("#timeline .entry").count();
  check(total === 10, "timeline page 3 holds 10 events", total);
  await tl.locator("#filters summary").click();
  await tl.selectOption("#filter-tracks", "us-rok");
  await tl.waitForFunction(() => /of 120 events$/.test(document.getElementById("filter-count").textContent.trim()));
  const count = (await tl.locator("#filter-count").textContent()).trim();
  check(count === "40 of 120 events", "the count covers the whole archive", count);
  await tl.waitForFunction(() => document.querySelectorAll("#filter-results .entry").length === 40);
  const listed = await tl.locator("#filter-results .entry").count();
  check(listed === 40, "every matching event is listed", listed);
  check(new URL(tl.url()).pathname === "/timeline/page/3/" && new URL(tl.url()).searchParams.get("tracks") === "us-rok", "the filter is in the page's URL", tl.url());
  check(await tl.locator("nav.pagination").isVisible(), "the page navigation stays", null);
  check(tl.errors.length === 0, "timeline page: no console errors", tl.errors);

  // Phone: the navigation wraps inside 390 px with large targets.
  const phone = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, deviceScaleFactor: 1 });
  for (const [p, name] of [["kinds/meeting/page/6/", "term-page"], ["page/6/", "timeline-page"]]) {
    const pg = await open(phone, p);
    const width = await pg.evaluate(() => document.documentElement.scrollWidth);
    check(width <= 390, `${name} fits 390 px`, width);
    const boxes = await pg.locator("nav.pagination a").evaluateAll((as) => as.map((a) => { const r = a.getBoundingClientRect(); return [Math.round(r.width), Math.round(r.height), Math.round(r.right)]; }));
    check(boxes.length >= 5 && boxes.every(([w, h, r]) => w >= 40 && h >= 36 && r <= 390), `${name}: page links are large and inside the screen`, boxes);
    await pg.locator("nav.pagination").scrollIntoViewIfNeeded();
    await pg.screenshot({ path: join(screens, `${name}-390.png`) });
    check(pg.errors.length === 0, `${name} at 390 px: no console errors`, pg.errors);
  }
} finally {
  await browser.close();
}

if (problems.length) {
  console.error(`${problems.length} pagination check(s) failed: ${problems.join("; ")}`);
  process.exit(1);
}
console.log("all pagination checks passed");
