//! Converts an annals site's events into content for the equivalent Hugo
//! site in `benches/hugo/site`, for the side-by-side build comparison:
//! `cargo run --release --example hugo_corpus -- ANNALS_SITE HUGO_CONTENT_DIR`.
//!
//! Hugo needs full dates and plain-string taxonomies, so a period becomes
//! its first day (kept as written in `date_text`) and participant objects
//! become their names; everything else is carried as page params.

use annals::stages::Yaml;
use std::fmt::Write as _;
use std::path::Path;

fn quote(s: &str) -> String {
    format!("\"{}\"", s.replace('\\', "\\\\").replace('"', "\\\""))
}

fn field<'a>(map: &'a [(String, Yaml)], key: &str) -> Option<&'a Yaml> {
    map.iter().find(|(k, _)| k == key).map(|(_, v)| v)
}

fn strings(v: Option<&Yaml>, key: Option<&str>) -> Vec<String> {
    let Some(Yaml::Seq(items)) = v else {
        return Vec::new();
    };
    items
        .iter()
        .filter_map(|i| match (i, key) {
            (Yaml::Map(m), Some(k)) => field(m, k).and_then(Yaml::scalar_text),
            (other, _) => other.scalar_text(),
        })
        .collect()
}

fn list(out: &mut String, name: &str, items: &[String]) {
    let quoted: Vec<String> = items.iter().map(|s| quote(s)).collect();
    let _ = writeln!(out, "{name}: [{}]", quoted.join(", "));
}

fn convert(site: &Path, rel: &Path, out_dir: &Path) -> Result<(), String> {
    let file = annals::stages::read(site, rel).map_err(|e| e.to_string())?;
    let doc = annals::stages::parse(&file).map_err(|d| d.to_string())?;
    let Yaml::Map(map) = &doc.front else {
        return Err("no mapping".into());
    };
    let text = |k: &str| {
        field(map, k)
            .and_then(Yaml::scalar_text)
            .unwrap_or_default()
    };
    let date = annals::dates::EventDate::parse(&text("date")).map_err(|e| e.0)?;
    let mut fm = String::from("---\n");
    let _ = writeln!(fm, "title: {}", quote(&text("title")));
    let _ = writeln!(fm, "date: {}", date.first_instant().to_rfc3339());
    let _ = writeln!(fm, "date_text: {}", quote(&date.display()));
    let _ = writeln!(
        fm,
        "slug: {}",
        quote(rel.file_stem().and_then(|s| s.to_str()).unwrap_or("x"))
    );
    let _ = writeln!(fm, "summary: {}", quote(&text("summary")));
    let _ = writeln!(fm, "status: {}", quote(&text("status")));
    let _ = writeln!(fm, "location: {}", quote(&text("location")));
    list(&mut fm, "kinds", &[text("kind")]);
    list(
        &mut fm,
        "countries",
        &strings(field(map, "countries"), None),
    );
    list(&mut fm, "tracks", &strings(field(map, "tracks"), None));
    list(
        &mut fm,
        "participants",
        &strings(field(map, "participants"), Some("name")),
    );
    list(&mut fm, "tags", &strings(field(map, "tags"), None));
    list(
        &mut fm,
        "sources",
        &strings(field(map, "sources"), Some("title")),
    );
    fm.push_str("---\n");
    fm.push_str(doc.body());
    let target = out_dir.join(rel.strip_prefix("content/events").unwrap_or(rel));
    if let Some(parent) = target.parent() {
        std::fs::create_dir_all(parent).map_err(|e| e.to_string())?;
    }
    std::fs::write(target, fm).map_err(|e| e.to_string())
}

fn main() -> std::process::ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (Some(site), Some(out)) = (args.first(), args.get(1)) else {
        eprintln!("usage: hugo_corpus ANNALS_SITE HUGO_CONTENT_DIR");
        return std::process::ExitCode::from(2);
    };
    let site = Path::new(site);
    let files = match annals::list_content(site) {
        Ok((f, _)) => f,
        Err(e) => {
            eprintln!("error: {e:?}");
            return std::process::ExitCode::from(2);
        }
    };
    for (section, rel) in files {
        if section != annals::stages::Section::Events {
            continue;
        }
        if let Err(e) = convert(site, &rel, Path::new(out)) {
            eprintln!("error: {}: {e}", rel.display());
            return std::process::ExitCode::from(1);
        }
    }
    std::process::ExitCode::SUCCESS
}
