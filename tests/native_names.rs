//! Names in their own script (`native`, `native_lang`) on participants and
//! locations: shown after the romanised name, or first on a page in their
//! language, always in an element with `lang`; the language inferred from
//! the script; one person whatever forms the events give; a second native
//! form for a person refused; both forms searchable and exported.

mod common;

use common::{SITE_YAML, TestSite, assert_success, events_json_entry, sel, stderr, text_of};
use scraper::Html;
use serde_json::Value;
use std::collections::{BTreeSet, HashMap};
use std::path::Path;

const YOON: &str = "---\ntitle: Summit in Seoul\ndate: 2024-07-11\nkind: meeting\nlocation: {name: Seoul, native: 서울}\nparticipants:\n  - {name: Yoon Suk Yeol, native: 윤석열, role: President, country: KR}\n  - Lloyd Austin\nsummary: The presidents met.\nsources: [{title: S}]\nquotes: [{text: We meet., speaker: Yoon Suk Yeol, source: 0}]\n---\nBody.\n";

fn site(language: &str) -> TestSite {
    let site = TestSite::new();
    site.write(
        "site.yaml",
        SITE_YAML.replace("language: en", &format!("language: {language}")),
    );
    site.event("2024/summit.md", YOON);
    site
}

/// The text of the first element matching `css`, whitespace folded.
fn first_text(doc: &Html, css: &str) -> String {
    let el = doc
        .select(&sel(css))
        .next()
        .unwrap_or_else(|| panic!("`{css}` on the page"));
    text_of(el)
}

/// Every native-script span of the page: (its `lang`, its text).
fn lang_spans(doc: &Html, css: &str) -> Vec<(String, String)> {
    doc.select(&sel(&format!("{css} span[lang]")))
        .map(|s| {
            (
                s.value().attr("lang").unwrap_or_default().to_string(),
                text_of(s),
            )
        })
        .collect()
}

/// The event page's JSON-LD.
fn jsonld(doc: &Html) -> Value {
    let script = doc
        .select(&sel(r#"script[type="application/ld+json"]"#))
        .next()
        .expect("JSON-LD on the event page");
    serde_json::from_str(&script.text().collect::<String>()).expect("JSON-LD is JSON")
}

fn yoon(ld: &Value) -> Value {
    ld["performer"]
        .as_array()
        .expect("performers")
        .iter()
        .find(|p| p["jobTitle"] == "President")
        .expect("Yoon Suk Yeol among the performers")
        .clone()
}

#[test]
fn an_english_page_shows_the_romanised_name_first() {
    let site = site("en");
    site.build_ok(&[]);
    let page = site.page("events/summit/index.html");
    assert_eq!(
        first_text(&page, ".participants li a"),
        "Yoon Suk Yeol (윤석열)"
    );
    assert_eq!(first_text(&page, ".p-location"), "Seoul (서울)");
    assert_eq!(
        first_text(&page, ".quote figcaption a"),
        "Yoon Suk Yeol (윤석열)"
    );
    assert_eq!(
        lang_spans(&page, ".participants"),
        [("ko".to_string(), "윤석열".to_string())]
    );
    assert_eq!(
        lang_spans(&page, ".p-location"),
        [("ko".to_string(), "서울".to_string())]
    );
    // A participant without a native form is shown as written.
    let names: Vec<String> = page
        .select(&sel(".participants li a"))
        .map(text_of)
        .collect();
    assert!(names.contains(&"Lloyd Austin".to_string()), "{names:?}");

    let ld = jsonld(&page);
    let person = yoon(&ld);
    assert_eq!(person["name"], "Yoon Suk Yeol");
    assert_eq!(
        person["alternateName"],
        serde_json::json!({"@value": "윤석열", "@language": "ko"})
    );
    assert_eq!(ld["location"]["name"], "Seoul");
    assert_eq!(ld["location"]["alternateName"]["@value"], "서울");
    assert_eq!(cite_place(&site), "Seoul (서울)");
    let ics = std::fs::read_to_string(site.public().join("calendar.ics")).expect("calendar.ics");
    assert!(ics.contains("LOCATION:Seoul (서울)"), "{ics}");

    // The term page and the list of participants.
    let term = site.page("participants/yoon-suk-yeol/index.html");
    assert_eq!(first_text(&term, "h1"), "Yoon Suk Yeol (윤석열)");
    assert_eq!(
        lang_spans(&term, "h1"),
        [("ko".to_string(), "윤석열".to_string())]
    );
    let list = site.page("participants/index.html");
    let entries: Vec<String> = list.select(&sel(".term-list li a")).map(text_of).collect();
    assert!(
        entries.contains(&"Yoon Suk Yeol (윤석열)".to_string()),
        "{entries:?}"
    );
    assert_eq!(
        lang_spans(&list, ".term-list"),
        [("ko".to_string(), "윤석열".to_string())]
    );
}

#[test]
fn a_korean_page_shows_the_native_name_first() {
    let site = site("ko");
    site.build_ok(&[]);
    let page = site.page("events/summit/index.html");
    assert_eq!(
        first_text(&page, ".participants li a"),
        "윤석열 (Yoon Suk Yeol)"
    );
    assert_eq!(first_text(&page, ".p-location"), "서울 (Seoul)");
    assert_eq!(
        first_text(&page, ".quote figcaption a"),
        "윤석열 (Yoon Suk Yeol)"
    );
    assert_eq!(
        lang_spans(&page, ".participants"),
        [("ko".to_string(), "윤석열".to_string())]
    );
    let person = yoon(&jsonld(&page));
    assert_eq!(person["name"]["@value"], "윤석열");
    assert_eq!(person["alternateName"], "Yoon Suk Yeol");
    let term = site.page("participants/yoon-suk-yeol/index.html");
    assert_eq!(first_text(&term, "h1"), "윤석열 (Yoon Suk Yeol)");
    assert_eq!(cite_place(&site), "서울 (Seoul)");
}

/// The `event-place` of the summit's CSL citation.
fn cite_place(site: &TestSite) -> String {
    let cite: Value = serde_json::from_str(
        &std::fs::read_to_string(site.public().join("events/summit/cite.json")).expect("cite.json"),
    )
    .expect("JSON");
    let item = if cite.is_array() { &cite[0] } else { &cite };
    item["event-place"]
        .as_str()
        .expect("an event-place")
        .to_string()
}

/// The `lang` of each participant's native span on the event page, by name.
fn langs_on(site: &TestSite, slug: &str) -> HashMap<String, String> {
    let page = site.page(&format!("events/{slug}/index.html"));
    page.select(&sel(".participants li a"))
        .filter_map(|a| {
            let span = a.select(&sel("span[lang]")).next()?;
            let name = a
                .text()
                .collect::<String>()
                .replace(&span.text().collect::<String>(), "");
            let name = name.replace(['(', ')'], "").trim().to_string();
            Some((name, span.value().attr("lang")?.to_string()))
        })
        .collect()
}

const SCRIPTS: &str = "---\ntitle: Scripts\ndate: 2024-05-01\nkind: meeting\nparticipants:\n  - {name: Kishida Fumio, native: 岸田文雄}\n  - {name: Kishida, native: きしだ ふみお}\n  - {name: Yoon Suk Yeol, native: 윤석열}\n  - {name: Lai Ching-te, native: 賴清德, native_lang: zh-Hant}\n  - {name: Vladimir Putin, native: Владимир Путин, native_lang: ru}\nsummary: S.\nsources: [{title: S}]\n---\n";

#[test]
fn the_language_is_inferred_from_the_script() {
    // Han alone is Chinese on a site not written in Japanese…
    let en = site("en");
    en.event("2024/scripts.md", SCRIPTS);
    en.build_ok(&[]);
    let langs = langs_on(&en, "scripts");
    assert_eq!(langs["Kishida Fumio"], "zh");
    assert_eq!(langs["Kishida"], "ja", "kana is Japanese");
    assert_eq!(langs["Yoon Suk Yeol"], "ko", "Hangul is Korean");
    assert_eq!(langs["Lai Ching-te"], "zh-Hant", "native_lang wins");
    assert_eq!(langs["Vladimir Putin"], "ru");
    // …and Japanese on one that is.
    let ja = site("ja");
    ja.event("2024/scripts.md", SCRIPTS);
    ja.build_ok(&[]);
    let langs = langs_on(&ja, "scripts");
    assert_eq!(langs["Kishida Fumio"], "ja");
    assert_eq!(langs["Lai Ching-te"], "zh-Hant");
    // On the Japanese site the Japanese name comes first.
    let page = ja.page("events/scripts/index.html");
    let first: Vec<String> = page
        .select(&sel(".participants li a"))
        .map(text_of)
        .collect();
    assert!(
        first.contains(&"岸田文雄 (Kishida Fumio)".to_string()),
        "{first:?}"
    );
}

#[test]
fn a_script_of_many_languages_needs_native_lang() {
    let site = site("en");
    site.event(
        "2024/putin.md",
        "---\ntitle: P\ndate: 2024-05-01\nkind: meeting\nparticipants:\n  - {name: Vladimir Putin, native: Владимир Путин}\n  - {name: X, native_lang: ko}\n  - {name: Y, native: Y, native_lang: \"not a tag\"}\nsummary: S.\nsources: [{title: S}]\n---\n",
    );
    let out = site.build_here(&[]);
    assert!(!out.status.success());
    let err = stderr(&out);
    assert!(
        err.contains("content/events/2024/putin.md:6:36")
            && err.contains("cannot tell the language of `Владимир Путин`")
            && err.contains("native_lang: ru"),
        "{err}"
    );
    assert!(err.contains("`native_lang` without `native`"), "{err}");
    assert!(err.contains("is not a language tag"), "{err}");
}

#[test]
fn the_person_is_one_whatever_forms_the_events_give() {
    let site = site("en");
    // The same person, written without a native form and spaced apart.
    site.event(
        "2024/later.md",
        "---\ntitle: Later\ndate: 2024-09-01\nkind: meeting\nparticipants: [yoon  suk yeol]\nsummary: S.\nsources: [{title: S}]\n---\n",
    );
    site.build_ok(&[]);
    let term = site.page("participants/yoon-suk-yeol/index.html");
    assert_eq!(first_text(&term, "h1"), "Yoon Suk Yeol (윤석열)");
    let list = site.page("participants/index.html");
    let yoons = list
        .select(&sel(".term-list li a"))
        .filter(|a| text_of(*a).to_lowercase().contains("yoon"))
        .count();
    assert_eq!(yoons, 1, "one term page for the person");
    let events: BTreeSet<String> = term
        .select(&sel(".timeline a"))
        .filter_map(|a| a.value().attr("href").map(str::to_string))
        .filter(|h| h.contains("events/"))
        .collect();
    assert!(
        events.iter().any(|h| h.contains("summit")) && events.iter().any(|h| h.contains("later")),
        "{events:?}"
    );
    // The one written without it shows the person's native form too.
    let later = site.page("events/later/index.html");
    assert_eq!(
        lang_spans(&later, ".participants"),
        [("ko".to_string(), "윤석열".to_string())]
    );
    assert_eq!(
        events_json_entry(&site, "later")["participants"][0]["native"],
        Value::Null
    );
}

#[test]
fn a_second_native_form_for_a_person_is_an_error() {
    let site = site("en");
    site.event(
        "2024/other.md",
        "---\ntitle: Other\ndate: 2024-09-01\nkind: meeting\nparticipants:\n  - {name: Yoon Suk-yeol, native: 尹錫悅}\nsummary: S.\nsources: [{title: S}]\n---\n",
    );
    site.event(
        "2024/third.md",
        "---\ntitle: Third\ndate: 2024-10-01\nkind: meeting\nparticipants:\n  - {name: Yoon Suk Yeol, native: 尹錫悅}\nsummary: S.\nsources: [{title: S}]\n---\n",
    );
    let out = site.build_here(&[]);
    assert!(!out.status.success(), "the build fails");
    let err = stderr(&out);
    assert!(
        err.contains("content/events/2024/third.md:6:35")
            && err.contains("`尹錫悅` (zh) here but `윤석열` (ko)")
            && err.contains("content/events/2024/summit.md:7:35")
            && err.contains("a person has one native form"),
        "{err}"
    );
    // A different spelling is a different person: no conflict for it.
    assert!(!err.contains("other.md:"), "{err}");
    let check = site.check_here();
    assert!(!check.status.success());
    assert!(stderr(&check).contains("a person has one native form"));
}

/// The data of the search-index part `rel` of the output `root`.
fn part(root: &Path, rel: &str) -> Value {
    common::search_part(&root.join(rel)).1
}

/// The index's list encoding (see `search_index::encode`).
fn decode(text: &str) -> Vec<usize> {
    common::decode_list(text)
}

/// The terms a query is looked up under, as the search page splits it: a
/// word of a spaced script is itself; a run of Hangul gives its pairs of
/// neighbouring characters and its last character.
fn query_terms(q: &str) -> Vec<String> {
    let mut out = Vec::new();
    for w in q.split_whitespace() {
        let w = w.to_lowercase();
        let chars: Vec<char> = w.chars().collect();
        if chars.iter().any(|c| ('\u{AC00}'..='\u{D7AF}').contains(c)) {
            out.extend(chars.windows(2).map(|p| p.iter().collect::<String>()));
            out.extend(chars.last().map(char::to_string));
        } else {
            out.push(w);
        }
    }
    out
}

/// The slugs of the events every term of `q` finds in some field.
fn search(out: &Path, q: &str) -> BTreeSet<String> {
    let meta = part(out, "search-index.js");
    let chunk = meta["chunk"].as_u64().expect("chunk") as usize;
    let mut words: HashMap<String, String> = HashMap::new();
    for i in 0..meta["shards"].as_array().expect("shards").len() {
        let shard = part(out, &format!("search-index/t/{i}.js"));
        for (w, lists) in shard.as_object().expect("a shard") {
            words.insert(w.clone(), lists.as_str().expect("lists").to_string());
        }
    }
    let mut found: Option<BTreeSet<usize>> = None;
    for term in query_terms(q) {
        let events: BTreeSet<usize> = words
            .get(&term)
            .map(|l| l.split(' ').flat_map(decode).collect())
            .unwrap_or_default();
        found = Some(match found {
            None => events,
            Some(f) => f.intersection(&events).copied().collect(),
        });
    }
    found
        .unwrap_or_default()
        .into_iter()
        .map(|n| {
            let docs = part(out, &format!("search-index/d/{}.js", n / chunk));
            let url = docs[n % chunk][0].as_str().expect("an address").to_string();
            url.trim_end_matches('/')
                .rsplit('/')
                .next()
                .unwrap_or_default()
                .to_string()
        })
        .collect()
}

#[test]
fn either_form_finds_the_event() {
    let site = site("en");
    site.event(
        "2024/other.md",
        "---\ntitle: Other\ndate: 2024-09-01\nkind: meeting\nparticipants: [Lloyd Austin]\nsummary: S.\nsources: [{title: S}]\n---\n",
    );
    site.build_ok(&[]);
    let out = site.public();
    let want: BTreeSet<String> = ["summit".to_string()].into();
    assert_eq!(search(&out, "윤석열"), want, "the Hangul name");
    assert_eq!(search(&out, "석열"), want, "part of it");
    assert_eq!(search(&out, "Yoon"), want, "the romanised name");
    assert_eq!(search(&out, "서울"), want, "the place in Hangul");
    assert_eq!(search(&out, "김정은"), BTreeSet::new());
}

#[test]
fn exports_carry_the_native_forms() {
    let site = site("en");
    site.build_ok(&[]);
    let e = events_json_entry(&site, "summit");
    assert_eq!(e["participants"][0]["native"], "윤석열");
    assert_eq!(e["participants"][0]["native_lang"], "ko");
    assert_eq!(e["participants"][1]["native"], Value::Null);
    assert_eq!(
        e["location"],
        serde_json::json!({"name": "Seoul", "native": "서울", "native_lang": "ko"})
    );
    let timeline: Value = serde_json::from_str(
        &std::fs::read_to_string(site.public().join("timelinejs.json")).expect("timelinejs.json"),
    )
    .expect("JSON");
    let slide = &timeline["events"][0]["annals"];
    assert_eq!(slide["participants"][0]["native"], "윤석열");
    assert_eq!(slide["location"]["native"], "서울");

    // A rebuild reads the event from the parse cache: same forms.
    let first = std::fs::read(site.public().join("events.json")).expect("events.json");
    site.event("2024/touch.md", common::simple_event("Touch", "2024-01-01"));
    site.build_ok(&[]);
    let page = site.page("events/summit/index.html");
    assert_eq!(
        first_text(&page, ".participants li a"),
        "Yoon Suk Yeol (윤석열)"
    );
    let again = events_json_entry(&site, "summit");
    let before: Value = serde_json::from_slice::<Value>(&first).expect("JSON")["events"]
        .as_array()
        .and_then(|a| a.iter().find(|e| e["slug"] == "summit").cloned())
        .expect("summit");
    assert_eq!(again["participants"], before["participants"]);
    assert_eq!(again["location"], before["location"]);

    // Through `annals import`, back to the same front matter.
    let imported = TestSite::new();
    let out = common::import_into(&imported, &site.public().join("timelinejs.json"), &[]);
    assert_success(&out);
    imported.build_ok(&[]);
    let back = events_json_entry(&imported, "summit");
    assert_eq!(back["participants"], e["participants"]);
    assert_eq!(back["location"], e["location"]);
}
