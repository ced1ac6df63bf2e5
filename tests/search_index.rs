//! The sharded search index on a generated archive larger than the
//! timeline page: shard sizes stay bounded, every event is findable by a
//! word of its title, and every facet lists exactly its events.

mod common;
#[path = "../benches/support/corpus.rs"]
mod corpus;

use assert_cmd::Command;
use serde_json::Value;
use std::collections::BTreeSet;
use std::path::Path;

/// The name and data of the search-index part `rel` of the output `root`.
fn part(root: &Path, rel: &str) -> (String, Value) {
    common::search_part(&root.join(rel))
}

/// The index's list encoding (see `search_index::encode`).
fn decode(text: &str) -> Vec<usize> {
    common::decode_list(text)
}

fn fold(w: &str) -> String {
    w.to_lowercase()
}

#[test]
fn index_is_bounded_complete_and_faceted() {
    let dir = tempfile::tempdir().expect("temp dir");
    let site = dir.path().join("site");
    std::fs::create_dir_all(&site).expect("site dir");
    corpus::generate(&site, 1500, 7).expect("corpus");
    let out = dir.path().join("out");
    Command::cargo_bin("annals")
        .expect("binary")
        .args(["build", "-q", "--site"])
        .arg(&site)
        .arg("--out")
        .arg(&out)
        .assert()
        .success();
    let (name, meta) = part(&out, "search-index.js");
    assert_eq!(name, "meta");
    let count = meta["count"].as_u64().expect("count") as usize;
    assert_eq!(count, 1500);
    let chunk = meta["chunk"].as_u64().expect("chunk") as usize;
    let shards = meta["shards"].as_array().expect("shards");
    assert!(shards.len() > 1, "a 1,500-event index is split");

    // Shards: bounded unless one word fills a shard; every word sits under
    // the longest shard key that is a prefix of it.
    let keys: Vec<&str> = shards.iter().map(|s| s[0].as_str().expect("key")).collect();
    let mut words = std::collections::HashMap::new();
    for (i, key) in keys.iter().enumerate() {
        let rel = format!("search-index/t/{i}.js");
        let bytes = std::fs::metadata(out.join(&rel)).expect("shard").len();
        let (_, map) = part(&out, &rel);
        let map = map.as_object().expect("shard map");
        assert!(
            bytes <= 80 * 1024 || map.len() == 1,
            "{rel} is {bytes} bytes"
        );
        for (w, lists) in map {
            let longest = keys
                .iter()
                .filter(|k| w.starts_with(**k))
                .max_by_key(|k| k.len());
            assert_eq!(
                longest,
                Some(key),
                "{w} is in the shard of its longest prefix"
            );
            words.insert(w.clone(), lists.as_str().expect("lists").to_string());
        }
    }

    // Every event: its documents chunk names it, and each word of its
    // title finds it in the title list.
    for n in 0..count {
        let (_, docs) = part(&out, &format!("search-index/d/{}.js", n / chunk));
        let doc = &docs[n % chunk];
        let title = doc[1].as_str().expect("title");
        for w in title
            .split(|c: char| !c.is_alphanumeric())
            .filter(|w| w.chars().count() > 1)
        {
            let lists = words
                .get(&fold(w))
                .unwrap_or_else(|| panic!("{w} is indexed"));
            let title_list = lists.split(' ').next().unwrap_or_default();
            assert!(decode(title_list).contains(&n), "{w} finds event {n}");
        }
    }

    // Facets: per kind, the events listed are exactly those whose
    // document names that kind, and together they cover every event.
    let mut covered = BTreeSet::new();
    for entry in std::fs::read_dir(out.join("search-index/f/kinds")).expect("kinds") {
        let path = entry.expect("entry").path();
        let kind = path
            .file_stem()
            .and_then(|s| s.to_str())
            .expect("name")
            .to_string();
        let (_, list) = part(&out, &format!("search-index/f/kinds/{kind}.js"));
        for n in decode(list.as_str().expect("list")) {
            let (_, docs) = part(&out, &format!("search-index/d/{}.js", n / chunk));
            assert_eq!(docs[n % chunk][4].as_str(), Some(kind.as_str()));
            assert!(covered.insert(n), "event {n} has one kind");
        }
    }
    assert_eq!(covered.len(), count, "kinds cover every event");
    let (_, runs) = part(&out, "search-index/dates.js");
    let total: u64 = runs
        .as_array()
        .expect("runs")
        .iter()
        .skip(1)
        .step_by(2)
        .filter_map(Value::as_u64)
        .sum();
    assert_eq!(total as usize, count, "date runs cover every event");
}
