//! A small site in three languages (English at the root, Japanese and
//! Korean editions, Korean hiding what it has no translation of), shared by
//! the tests of language editions.

use super::TestSite;

pub const SITE: &str = "\
title: Security Talks
base_url: https://example.org/tl/
language: en
languages:
  en: {name: English}
  ja:
    title: 安全保障協議
    translator: 英語版からの機械翻訳
  ko:
    name: 한국어
    untranslated: hide
kinds:
  meeting:
    label: {en: Meeting, ja: 会議, ko: 회의}
tracks:
  us-japan: {label: {en: US–Japan, ja: 日米}}
relations:
  welcomes: {label: {en: Welcomes, ja: 歓迎する}, inverse: {en: Welcomed by, ja: 歓迎された}}
";

pub const ORIGINAL: &str = "---
title: US–Japan 2+2 in Tokyo
date: 2024-07-28
kind: meeting
tracks: [us-japan]
countries: [US, JP]
summary: The ministers meet in Tokyo.
sources: [{title: Joint Statement, url: \"https://www.example.com/s\"}]
---
The ministers met in Tokyo before [the other meeting](@/events/other).
";

pub const JA: &str = "---
title: 東京での日米2+2
summary: 閣僚が東京で会談した。
date: 2024-07-28
---
閣僚は東京で会談し、拡大抑止について協議した。
";

pub const KO: &str = "---
title: 도쿄 미일 2+2 회의
summary: 장관들이 도쿄에서 만났다.
translator: 번역자 김
---
";

pub const OTHER: &str = "---
title: Another meeting
date: 2024-09-02
kind: meeting
summary: A second meeting.
sources: [{title: Report}]
related: [{event: two-plus-two, relation: welcomes}]
---
Body of the other meeting, after [the 2+2](@/events/two-plus-two).
";

pub fn site() -> TestSite {
    let site = TestSite::new();
    site.write("site.yaml", SITE);
    site.event("two-plus-two.md", ORIGINAL);
    site.event("two-plus-two.ja.md", JA);
    site.event("two-plus-two.ko.md", KO);
    site.event("other.md", OTHER);
    site.write(
        "content/pages/about.md",
        "---\ntitle: About\n---\nAbout this site.\n",
    );
    site.write(
        "content/pages/method.md",
        "---\ntitle: Method\n---\nSee [the 2+2](@/events/two-plus-two).\n",
    );
    site.write(
        "content/pages/about.ja.md",
        "---\ntitle: このサイトについて\n---\nこのサイトの説明。\n",
    );
    site
}
