// Browser checks of the time axis on the repository's own site, driven by
// tests/browser.rs:
//
//   node axis.mjs BASE_URL SCREENS_DIR
//
// Marks lead to their events, keyboard focus moves through them in time
// order, the axis stays legible on a 390 px phone, and a range brushed
// with the mouse filters the list and lands in the URL.
import { launch, check, opener, problems } from "./harness.mjs";
import { mkdirSync } from "node:fs";
import { join } from "node:path";

const [base, screens] = process.argv.slice(2);
if (!base || !screens) {
  console.error("usage: node axis.mjs BASE_URL SCREENS_DIR");
  process.exit(2);
}
mkdirSync(screens, { recursive: true });

const browser = await launch();
const open = opener(base);

try {
  const desktop = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const index = await open(desktop, "");

  // Each mark's event, with its date as the timeline lists it.
  const dates = await index.evaluate(() => {
    const out = {};
    document.querySelectorAll("#timeline .entry[id]").forEach((li) => {
      const t = li.querySelector("time");
      out[li.id] = t ? t.getAttribute("datetime").slice(0, 10) : "";
    });
    return out;
  });
  const hrefs = await index.locator(".axis-svg a").evaluateAll((as) => as.map((a) => a.getAttribute("href")));
  const slugOf = (h) => (h.match(/events\/([^/]+)\//) || [])[1];
  check(hrefs.length > 0 && hrefs.every((h) => slugOf(h) in dates), "every mark links to an event on the timeline", hrefs);
  const statuses = await index.evaluate(async (hs) => Promise.all(hs.map(async (h) => (await fetch(new URL(h, location.href))).status)), hrefs);
  check(statuses.every((s) => s === 200), "every mark's page exists", statuses);

  // Keyboard: from the axis region, Tab visits each mark in time order.
  await index.locator(".axis-scroll").first().focus();
  const visited = [];
  for (let i = 0; i < hrefs.length; i++) {
    await index.keyboard.press("Tab");
    const h = await index.evaluate(() => {
      const el = document.activeElement;
      return el && el.closest(".axis-svg") ? el.getAttribute("href") : null;
    });
    if (!h) break;
    visited.push(h);
  }
  check(visited.length === hrefs.length, "Tab reaches every mark from the axis", { visited: visited.length, marks: hrefs.length });
  const order = visited.map((h) => dates[slugOf(h)]);
  check(order.every((d, i) => i === 0 || order[i - 1] <= d), "keyboard focus follows time", order);
  const ring = await index.evaluate(() => {
    const r = document.activeElement.querySelector("rect");
    return r ? getComputedStyle(r).strokeWidth : null;
  });
  check(ring === "3px", "the focused mark is outlined", ring);

  // A click on a mark opens its event.
  await index.locator(".axis-svg a").first().click();
  await index.waitForURL((u) => u.pathname.includes("/events/"));
  check(new URL(index.url()).pathname.endsWith(hrefs[0].replace(/^.*(events\/)/, "$1")), "a click on a mark opens its event", index.url());

  // Brushing: a drag across the axis picks that stretch of time.
  await index.goto(base);
  const svg = index.locator(".axis-svg").first();
  const geo = await svg.evaluate((s) => {
    const r = s.getBoundingClientRect();
    const [x0, x1] = s.getAttribute("data-plot").split(" ").map(Number);
    const vb = s.viewBox.baseVal;
    return { left: r.left, top: r.top, scale: r.width / vb.width, x0, x1, h: r.height,
      start: s.getAttribute("data-start"), end: s.getAttribute("data-end") };
  });
  const day = (iso) => Date.parse(iso + "T00:00:00Z");
  const xAt = (iso) => geo.left + geo.scale * (geo.x0 + (day(iso) - day(geo.start)) / (day(geo.end) - day(geo.start)) * (geo.x1 - geo.x0));
  const y = geo.top + geo.h - 30;
  await index.mouse.move(xAt("2024-01-15"), y);
  await index.mouse.down();
  await index.mouse.move(xAt("2024-06-01"), y, { steps: 8 });
  await index.mouse.move(xAt("2024-12-15"), y, { steps: 8 });
  await index.mouse.up();
  await index.waitForFunction(() => new URLSearchParams(location.search).has("from"));
  const params = new URL(index.url()).searchParams;
  const from = params.get("from"), to = params.get("to");
  check(/^2024-01-1\d$/.test(from) && /^2024-12-1\d$/.test(to), "the brushed range lands in the URL", { from, to });
  const shown = await index.locator("#timeline .entry:visible time").evaluateAll((ts) => ts.map((t) => t.getAttribute("datetime").slice(0, 10)));
  const inRange = Object.values(dates).filter((d) => d >= from && d <= to);
  check(shown.length > 0 && shown.length === inRange.length && shown.every((d) => d >= from && d <= to), "the list shows only the brushed range", { shown, inRange });
  const count = (await index.locator("#filter-count").textContent()).trim();
  check(count.startsWith(`${shown.length} `) && /events?/.test(count), "the count follows the brushed range", count);
  check(await index.locator(".axis-brush-band").isVisible(), "the brushed range is drawn on the axis", null);
  await index.screenshot({ path: join(screens, "axis-brushed-1280.png") });

  // The URL alone brings the range back, and the button clears it.
  await index.goto(index.url());
  check(await index.locator(".axis-brush-band").isVisible(), "a shared brushed URL shows the range", null);
  check(await index.locator("#timeline .entry:visible").count() === shown.length, "a shared brushed URL filters the list", null);
  await index.locator(".axis-brush button").click();
  await index.waitForFunction(() => location.search === "");
  check(await index.locator("#timeline .entry:visible").count() === Object.keys(dates).length, "clearing the range shows every event", null);
  check(await index.locator(".axis-brush-band").isHidden(), "clearing the range removes the band", null);
  await index.goBack();
  await index.waitForFunction(() => new URLSearchParams(location.search).has("from"));
  check(await index.locator(".axis-brush-band").isVisible(), "the back button brings the range back", null);
  check(index.errors.length === 0, "axis: no console errors", index.errors);

  // A phone: the axis keeps its size and scrolls within its own box, the
  // page does not scroll sideways, and its labels stay legible.
  const phone = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, deviceScaleFactor: 1 });
  for (const path of ["", "years/2024/", "compare/"]) {
    const p = await open(phone, path);
    const seen = await p.evaluate(() => {
      const s = document.querySelector(".axis-svg");
      if (!s) return null;
      const box = s.closest(".axis-scroll");
      const labels = Array.from(s.querySelectorAll("text")).map((t) => t.getBoundingClientRect().height);
      return { page: document.documentElement.scrollWidth, boxFits: box.getBoundingClientRect().right <= 390,
        smallest: Math.min(...labels), scrolls: box.scrollWidth > box.clientWidth ? "scrolls" : "fits",
        tabbable: box.tabIndex === 0 };
    });
    check(seen !== null, `${path || "timeline"} at 390 px has an axis`, seen);
    if (!seen) continue;
    check(seen.page <= 390 && seen.boxFits, `${path || "timeline"} at 390 px: the axis stays in the page`, seen);
    check(seen.smallest >= 9, `${path || "timeline"} at 390 px: axis labels stay legible`, seen);
    check(seen.tabbable, `${path || "timeline"} at 390 px: the axis box can be scrolled from the keyboard`, seen);
    if (path === "") {
      check(await p.locator(".axis-brush-hint").isHidden(), "on a touch screen the mouse-only brushing hint is not shown", null);
    }
    await p.locator(".axis").first().screenshot({ path: join(screens, `axis-${path.replace(/\/$/, "") || "timeline"}-390.png`) });
    check(p.errors.length === 0, `${path || "timeline"} at 390 px: no console errors`, p.errors);
  }
} finally {
  await browser.close();
}

if (problems.length) {
  console.error(`${problems.length} axis check(s) failed: ${problems.join("; ")}`);
  process.exit(1);
}
console.log("all axis checks passed");
