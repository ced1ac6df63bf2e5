// What every browser check script shares: Chromium started the way this
// machine needs (no background connections), a `check` that prints one
// line per check and remembers failures, and `opener`, which opens a page
// with its console errors, page errors, failed responses and requests to
// other hosts recorded, so a reader's browser stumbling on any is seen.
import { chromium } from "playwright-core";

export async function launch() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
      "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  });
}

export const problems = [];

export function check(ok, what, seen) {
  console.log(`${ok ? "ok  " : "FAIL"} ${what}${ok ? "" : ` (saw: ${JSON.stringify(seen)})`}`);
  if (!ok) problems.push(what);
}

// `open(context, path)`: the page at `path` under `base`, loaded and
// checked, with `page.errors` filled as it is used and `page.parts` the
// search index's files it fetched.
export function opener(base) {
  return async function open(context, path) {
    const page = await context.newPage();
    const errors = [];
    page.parts = [];
    page.on("console", (m) => { if (m.type() === "error") errors.push(m.text()); });
    page.on("pageerror", (e) => errors.push(String(e)));
    page.on("response", (r) => {
      if (r.status() >= 400) errors.push(`${r.status()} ${r.url()}`);
      if (r.url().includes("/search-index")) page.parts.push(new URL(r.url()).pathname);
    });
    page.on("request", (r) => { if (!r.url().startsWith(new URL(base).origin)) errors.push("external request " + r.url()); });
    const res = await page.goto(new URL(path, base).href, { waitUntil: "load" });
    check(res && res.ok(), `${path} loads`, res && res.status());
    page.errors = errors;
    return page;
  };
}
