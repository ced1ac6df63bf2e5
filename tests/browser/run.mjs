// Browser tests of the default theme in headless Chromium, driven by
// tests/browser.rs, which builds the repository's own site and serves it.
//
//   node run.mjs BASE_URL SCREENS_DIR
//
// BASE_URL is where the site is served (with its sub-path, e.g.
// http://127.0.0.1:4321/timeline/). Prints one line per check and exits 1
// on the first failure, with what was expected and what was seen.
import { launch, check, opener, problems } from "./harness.mjs";
import { mkdirSync } from "node:fs";
import { join } from "node:path";

const [base, screens] = process.argv.slice(2);
if (!base || !screens) {
  console.error("usage: node run.mjs BASE_URL SCREENS_DIR");
  process.exit(2);
}
mkdirSync(screens, { recursive: true });

const browser = await launch();
const open = opener(base);

const visible = (page) => page.locator("#timeline .entry:visible").count();

try {
  const desktop = await browser.newContext({ viewport: { width: 1280, height: 900 } });

  // Timeline filters: entries, URL and count change together; back undoes.
  const index = await open(desktop, "");
  const total = await index.locator("#timeline .entry").count();
  check(total >= 10, "timeline lists the events", total);
  check(await index.locator(`[id="2024-07-28-us-japan-2plus2"]`).count() === 1, "entries have a stable #slug anchor", null);
  await index.locator("#filters summary").click();
  await index.selectOption("#filter-tracks", "us-rok");
  const rok = await visible(index);
  check(rok > 0 && rok < total, "track filter hides the other track's events", rok);
  check(new URL(index.url()).searchParams.get("tracks") === "us-rok", "track filter is in the URL", index.url());
  const count = (await index.locator("#filter-count").textContent()).trim();
  check(count.startsWith(`${rok} `) && /events?/.test(count), "live count matches the shown events", count);
  const lanes = await index.locator("#timeline .entry:visible").evaluateAll((els) => els.map((e) => e.dataset.tracks));
  check(lanes.every((t) => t.split(" ").includes("us-rok")), "only US–ROK events are shown", lanes);
  check(await index.locator("#filter-more a").count() === 1, "the chosen value links to its browse-by page", null);
  // Each shown year's count follows the filter ("2 of 11 events").
  const yearCounts = () => index.locator("#timeline section.year").evaluateAll((ys) => ys.map((y) => ({
    hidden: y.hidden,
    shown: y.querySelectorAll(".entry:not([hidden])").length,
    all: y.querySelectorAll(".entry").length,
    text: y.querySelector("h2 .count").textContent,
  })));
  const filtered = await yearCounts();
  check(filtered.filter((y) => !y.hidden).every((y) => y.text === `${y.shown} of ${y.all} ${y.all === 1 ? "event" : "events"}`)
    && filtered.some((y) => !y.hidden && y.shown < y.all), "year counts follow the filter", filtered);
  await index.fill("#filter-q", "balloons");
  const text = await visible(index);
  check(text === 1, "text filter narrows to one event", text);
  check(new URL(index.url()).searchParams.get("q") === "balloons", "text filter is in the URL", index.url());
  await index.goBack();
  await index.waitForFunction(() => !new URLSearchParams(location.search).has("q"));
  check(await visible(index) > text, "back button restores the previous filter", await visible(index));
  await index.locator("button[type=reset]").click();
  await index.waitForFunction(() => location.search === "");
  const cleared = await yearCounts();
  check(cleared.every((y) => !y.hidden && y.text === `${y.all} ${y.all === 1 ? "event" : "events"}`), "year counts return without a filter", cleared);
  await index.goto(new URL("?kinds=meeting", base).href);
  const meetings = await visible(index);
  check(meetings > 0 && meetings < total, "a shared filtered URL opens filtered", meetings);
  check(await index.locator("#filter-kinds").inputValue() === "meeting", "the form shows the URL's filter", null);

  // Keyboard: tab reaches the filters and focus is visible.
  await index.goto(base);
  await index.locator("#filters summary").focus();
  await index.keyboard.press("Enter");
  await index.keyboard.press("Tab");
  const focused = await index.evaluate(() => {
    const el = document.activeElement;
    const s = getComputedStyle(el);
    return { id: el.id, outline: s.outlineStyle, width: s.outlineWidth };
  });
  check(focused.id === "filter-q" && focused.outline !== "none" && focused.width !== "0px", "keyboard focus reaches the filters and is visible", focused);
  await index.screenshot({ path: join(screens, "index-1280.png"), fullPage: true });
  check(index.errors.length === 0, "timeline: no console errors", index.errors);

  // Compare: both lanes on one axis, same-day events on one row.
  const compare = await open(desktop, "compare/");
  const heads = await compare.locator("table.compare thead th").allTextContents();
  check(heads.some((h) => h.includes("US–Japan")) && heads.some((h) => h.includes("US–ROK")), "compare shows both lanes", heads);
  const row = compare.locator("tr#d2024-07-28");
  const cells = await row.locator("td").evaluateAll((tds) => tds.map((td) => ({ n: td.querySelectorAll("li").length, top: Math.round(td.getBoundingClientRect().top) })));
  check(cells.length === 2 && cells.every((c) => c.n > 0), "28 July 2024 has events in both lanes", cells);
  check(cells.length === 2 && cells[0].top === cells[1].top, "both lanes are aligned on the row", cells);
  check(await compare.locator("tr.together").count() >= 1, "rows where both tracks moved are marked", null);
  check(await compare.locator("tr.gap").count() >= 1, "gaps are visible", null);
  const links = await compare.locator("td a").evaluateAll((as) => as.map((a) => a.getAttribute("href")));
  check(links.length > 0 && links.every((h) => h.includes("/events/")), "each entry links to its event page", links.slice(0, 3));
  check(await compare.locator("pre.snippet").count() >= 1, "compare shows the embed snippet", null);
  await compare.screenshot({ path: join(screens, "compare-1280.png"), fullPage: true });
  check(compare.errors.length === 0, "compare: no console errors", compare.errors);

  // Embed: chrome-free, anchors, no script.
  const embed = await open(desktop, "embed/us-japan/");
  check(await embed.locator("header, nav, script").count() === 0, "embed has no site chrome or script", null);
  check(await embed.locator(".entry[id]").count() > 0, "embed entries have anchors", null);
  await embed.screenshot({ path: join(screens, "embed-1280.png"), fullPage: true });
  check(embed.errors.length === 0, "embed: no console errors", embed.errors);

  // Without JavaScript every filter value is a plain link.
  const nojs = await browser.newContext({ javaScriptEnabled: false, viewport: { width: 1280, height: 900 } });
  const plain = await open(nojs, "");
  await plain.locator("#filters summary").click();
  const hrefs = await plain.locator(".filter-links a:visible").evaluateAll((as) => as.map((a) => a.getAttribute("href")));
  check(hrefs.length > 10 && hrefs.some((h) => h.endsWith("/tracks/us-rok/")), "without JS, filter values are links to browse-by pages", hrefs.length);
  check(await plain.locator(".filter-form").isHidden(), "without JS, the script-only form stays hidden", null);
  const pairs = await open(nojs, "compare/us-japan--us-rok/");
  check(await pairs.locator("table.compare").count() === 1, "a pair's compare page is reachable without JS", null);

  // Cite this event: the accessed date is the reader's today, and the
  // button copies the citation as one line; without JS, neither shows.
  const citing = await browser.newContext({ viewport: { width: 1280, height: 900 }, permissions: ["clipboard-read", "clipboard-write"] });
  const cited = await open(citing, "events/2024-07-28-us-japan-2plus2/");
  const today = await cited.evaluate(() => {
    const d = new Date();
    const pad = (n) => String(n).padStart(2, "0");
    return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
  });
  const accessed = await cited.locator(".cite-accessed time").getAttribute("datetime");
  check(accessed === today && await cited.locator(".cite-accessed").isVisible(), "the citation's accessed date is today's", accessed);
  await cited.locator(".cite-copy").click();
  await cited.locator(".cite-status").filter({ hasText: "copied" }).waitFor();
  const copied = await cited.evaluate(() => navigator.clipboard.readText());
  check(copied.startsWith("Alliance Security Talks") && copied.includes("“US–Japan") && copied.endsWith(".") && !copied.includes("\n"),
    "Copy citation copies the citation as one line", copied);
  check(cited.errors.length === 0, "cite: no console errors", cited.errors);
  const uncited = await open(nojs, "events/2024-07-28-us-japan-2plus2/");
  check(await uncited.locator(".cite-accessed").isHidden() && await uncited.locator(".cite-actions").isHidden(),
    "without JS, no accessed date and no copy button", null);

  // Phone: no sideways scrolling, lanes side by side.
  const phone = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, deviceScaleFactor: 1 });
  for (const [path, name] of [["", "index"], ["compare/", "compare"], ["events/2024-07-28-us-japan-2plus2/", "event"], ["embed/", "embed"]]) {
    const p = await open(phone, path);
    const width = await p.evaluate(() => document.documentElement.scrollWidth);
    check(width <= 390, `${name} fits 390 px without horizontal scrolling`, width);
    if (name === "compare") {
      const tops = await p.locator("tr#d2024-07-28 td").evaluateAll((tds) => tds.map((td) => Math.round(td.getBoundingClientRect().top)));
      check(tops.length === 2 && tops[0] === tops[1], "on a phone both lanes still sit side by side", tops);
    }
    await p.screenshot({ path: join(screens, `${name}-390.png`), fullPage: true });
    check(p.errors.length === 0, `${name} at 390 px: no console errors`, p.errors);
  }

  // The search box: the width of a phone and tall enough to tap, with a
  // border of at least 3:1 against the page in light and dark mode.
  const search = await open(phone, "search/");
  const box = await search.locator("#search-q").evaluate((el) => {
    const r = el.getBoundingClientRect();
    return { width: r.width, height: r.height, font: parseFloat(getComputedStyle(el).fontSize) };
  });
  check(box.width >= 390 * 0.6 && box.height >= 40 && box.font >= 16, "the search box is wide and tall on a phone", box);
  for (const colorScheme of ["light", "dark"]) {
    const ctx = await browser.newContext({ viewport: { width: 390, height: 844 }, colorScheme });
    for (const [path, field] of [["search/", "#search-q"], ["", "#filter-q"]]) {
      const p = await open(ctx, path);
      if (field === "#filter-q") await p.locator("#filters summary").click();
      const colours = await p.locator(field).evaluate((el) => {
        const parse = (c) => c.match(/[\d.]+/g).slice(0, 3).map(Number);
        const lum = (rgb) => {
          const [r, g, b] = rgb.map((v) => { v /= 255; return v <= 0.04045 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; });
          return 0.2126 * r + 0.7152 * g + 0.0722 * b;
        };
        const border = parse(getComputedStyle(el).borderTopColor);
        const page = parse(getComputedStyle(document.body).backgroundColor);
        const [hi, lo] = [lum(border), lum(page)].sort((a, b) => b - a);
        return { border, page, ratio: (hi + 0.05) / (lo + 0.05) };
      });
      check(colours.ratio >= 3, `${field} border contrast is at least 3:1 in ${colorScheme} mode`, colours);
    }
    await ctx.close();
  }
  await search.screenshot({ path: join(screens, "search-390.png"), fullPage: true });
} finally {
  await browser.close();
}

if (problems.length) {
  console.error(`${problems.length} browser check(s) failed: ${problems.join("; ")}`);
  process.exit(1);
}
console.log("all browser checks passed");
