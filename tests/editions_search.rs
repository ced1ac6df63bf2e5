//! Each language edition has a search index of its own words: a Japanese
//! and a Korean query find their edition's event, the default language's
//! index has no words of the translations.

mod common;

use common::TestSite;
use common::editions_site::site;
use serde_json::Value;

/// The data of the search-index part `rel` of the built site.
fn index_part(site: &TestSite, rel: &str) -> Value {
    common::search_part(&site.public().join(rel)).1
}

/// The number of the document of `path` in the index under `folder`, and
/// whether `word` is a word of the index (with events in its lists).
fn search(site: &TestSite, folder: &str, path: &str, word: &str) -> (Option<String>, bool) {
    let meta = index_part(site, &format!("{folder}search-index.js"));
    let count = meta["count"].as_u64().expect("count") as usize;
    let title = (0..count).find_map(|n| {
        let doc = &index_part(site, &format!("{folder}search-index/d/{}.js", n / 32))[n % 32];
        (doc[0] == path).then(|| doc[1].as_str().unwrap_or("").to_string())
    });
    let shards = meta["shards"].as_array().expect("shards").len();
    let found = (0..shards).any(|i| {
        index_part(site, &format!("{folder}search-index/t/{i}.js"))
            .get(word)
            .and_then(Value::as_str)
            .is_some_and(|lists| lists.split(' ').any(|l| !l.is_empty()))
    });
    (title, found)
}

#[test]
fn each_edition_has_its_own_search_index() {
    let site = site();
    site.build_ok(&[]);
    let path = "events/two-plus-two/";
    let (title, found) = search(&site, "ja/", path, "東京");
    assert_eq!(title.as_deref(), Some("東京での日米2+2"));
    assert!(found, "東京 is a word of the Japanese index");
    let (title, found) = search(&site, "ko/", path, "도쿄");
    assert_eq!(title.as_deref(), Some("도쿄 미일 2+2 회의"));
    assert!(found, "도쿄 is a word of the Korean index");
    let (title, found) = search(&site, "", path, "東京");
    assert_eq!(title.as_deref(), Some("US–Japan 2+2 in Tokyo"));
    assert!(!found, "the English index has no Japanese words");
}
