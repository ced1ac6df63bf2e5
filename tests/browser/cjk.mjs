// Search of Japanese and Korean text on the search page, driven by
// tests/browser.rs on a small site with events in both languages:
//
//   node cjk.mjs BASE_URL
//
// Japanese has no spaces between words and Korean joins particles and
// compounds to its words: any part of a title, summary or body of one
// character or more must find its event, and only the events holding it.
import { launch, check, opener, problems } from "./harness.mjs";

const [base] = process.argv.slice(2);
if (!base) {
  console.error("usage: node cjk.mjs BASE_URL");
  process.exit(2);
}

const browser = await launch();
const open = opener(base);

// Each query and the slugs of the events it must find (and nothing else).
const cases = [
  ["同盟", ["ja-alliance"]],
  ["日米同盟", ["ja-alliance"]],
  ["強化", ["ja-alliance", "ja-summit"]],
  ["盟", ["ja-alliance"]],
  ["サミット", ["ja-summit"]],
  ["ミット", ["ja-summit"]],
  ["抑止", ["ja-summit"]],
  ["抑止力", []],
  ["동맹", ["ko-alliance"]],
  ["한미동맹", ["ko-alliance"]],
  ["윤석열", ["ko-alliance", "en-yoon"]],
  ["Yoon", ["en-yoon"]],
  ["핵협의그룹", ["ko-ncg"]],
  ["협의", ["ko-ncg"]],
  ["alliance", ["en-alliance"]],
  ["同盟 強化", ["ja-alliance"]],
  ["防衛", []],
];

try {
  const ctx = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  for (const [q, want] of cases) {
    const page = await open(ctx, `search/?q=${encodeURIComponent(q)}`);
    await page.waitForFunction(() => /found/.test(document.getElementById("search-status").textContent));
    const got = await page.locator("#search-results a").evaluateAll((as) => as.map((a) => (a.getAttribute("href").match(/events\/([^/]+)\//) || [])[1]).sort());
    check(JSON.stringify(got) === JSON.stringify([...want].sort()), `"${q}" finds ${want.join(", ") || "nothing"}`, got);
    check(page.errors.length === 0, `"${q}": no console errors`, page.errors);
    await page.close();
  }
} finally {
  await browser.close();
}

if (problems.length) {
  console.error(`${problems.length} search check(s) failed: ${problems.join("; ")}`);
  process.exit(1);
}
console.log("all cjk search checks passed");
