//! `annals new` and `annals init`: files that build as they are written.
//! Nothing here ever overwrites an existing file (an existing `.gitignore`
//! only gains the lines it lacks). The fields of a new event come from the
//! field table (`schema`); the hosting files of `init --ci` from `hosting`.

mod hosting;

pub use hosting::Host;

use crate::config;
use crate::error::Error;
use crate::urls::SitePaths;
use crate::values::dates::EventDate;
use crate::values::slug;
use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

pub(crate) fn create_new(path: &Path, text: &str) -> Result<(), Error> {
    if let Some(parent) = path.parent() {
        fs::create_dir_all(parent)
            .map_err(|e| Error::io(format!("cannot create {}", parent.display()), e))?;
    }
    let mut file = fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)
        .map_err(|e| {
            if e.kind() == std::io::ErrorKind::AlreadyExists {
                Error::Usage(format!(
                    "{} already exists; not overwriting it",
                    path.display()
                ))
            } else {
                Error::io(format!("cannot create {}", path.display()), e)
            }
        })?;
    file.write_all(text.as_bytes())
        .map_err(|e| Error::io(format!("cannot write {}", path.display()), e))
}

/// Writes a new event file and returns its path.
pub fn new_event(
    site: &Path,
    title: &str,
    date: Option<&str>,
    kind: Option<&str>,
) -> Result<PathBuf, Error> {
    let title = title.trim();
    if title.is_empty() {
        return Err(Error::Usage("the title is empty".into()));
    }
    config::require_site(site)?;
    let (config, problems) = config::load(site);
    if !problems.is_empty() {
        return Err(Error::Content(problems));
    }
    let date = match date {
        Some(d) => EventDate::parse(d).map_err(|e| Error::Usage(format!("--date: {e}")))?,
        None => {
            let today = chrono::Local::now()
                .date_naive()
                .format("%Y-%m-%d")
                .to_string();
            EventDate::parse(&today).map_err(|e| Error::Usage(e.to_string()))?
        }
    };
    let kind = kind.unwrap_or_else(|| {
        config
            .kinds
            .first()
            .map(|k| k.key.as_str())
            .unwrap_or("meeting")
    });
    if config.kind(kind).is_none() {
        let keys: Vec<&str> = config.kinds.iter().map(|k| k.key.as_str()).collect();
        return Err(Error::Usage(format!(
            "unknown kind `{kind}`: {}",
            crate::diagnostic::suggestion(kind, &keys)
        )));
    }
    let mut name = slug::slugify(title);
    if name.is_empty() {
        name = "event".into();
    }
    let stem = format!(
        "{}-{name}",
        date.machine()
            .get(..10)
            .unwrap_or(&date.machine())
            .trim_end_matches('-')
    );
    let path = SitePaths::new(site)
        .events()
        .join(format!("{:04}", date.year))
        .join(format!("{stem}.md"));
    let text = skeleton(title, &date, kind);
    create_new(&path, &text)?;
    Ok(path)
}

/// The new event's text: the fields the table (`schema`) gives a
/// skeleton line, in table order, then a body to replace.
fn skeleton(title: &str, date: &EventDate, kind: &str) -> String {
    use crate::content::placeholders;
    use crate::content::schema::{Core, FIELDS, Held, Skeleton};
    let mut text = String::from("---\n");
    for f in FIELDS {
        let value = match f.skeleton {
            Skeleton::Absent => continue,
            Skeleton::Commented => {
                text.push_str(&format!("# {}: {}\n", f.name, f.example));
                continue;
            }
            Skeleton::Value(v) => v.to_string(),
            Skeleton::FromArgs => match f.held {
                Held::Core(Core::Title) => crate::source::yaml::quote(title),
                Held::Core(Core::Date) => date.machine(),
                Held::Core(Core::Kind) => kind.to_string(),
                Held::Core(Core::Summary) => crate::source::yaml::quote(&format!("{title}.")),
                Held::Core(Core::Sources) => format!(
                    "\n  - {{title: {}}}",
                    crate::source::yaml::quote(placeholders::SOURCE)
                ),
                // No argument gives it: the example stands in.
                _ => f.example.to_string(),
            },
        };
        let gap = if value.starts_with('\n') { "" } else { " " };
        text.push_str(&format!("{}:{gap}{value}\n", f.name));
    }
    text.push_str("---\n");
    text.push_str(placeholders::BODY);
    text.push('\n');
    text
}

const INIT_SITE_YAML: &str = "title: My timeline
language: en
description: A timeline of security talks.
# base_url: the address the site is published at, with its sub-path if it
# has one (a GitHub project site is https://NAME.github.io/REPO/). Feeds, the sitemap, robots.txt and the calendar need it for
# absolute links; without it they point at http://localhost/ and
# `annals build` warns. `annals build --base-url URL` overrides it (the
# hosting files of `annals init --ci` pass the host's address so).
# base_url: https://example.org/timeline/
order: oldest-first
kinds:
  meeting: {label: Meeting}
  statement: {label: Statement}
  command-change: {label: Command change}
  agreement: {label: Agreement}
tracks:
  us-japan: {label: US–Japan}
  us-rok: {label: US–ROK}
";

/// The build's output and the folders a build keeps beside it (staging,
/// retained previous output, lock: `.public.annals-…`), none of which
/// belong in git; and the cache of `annals check --external`.
fn gitignore() -> [String; 3] {
    let out = SitePaths::OUTPUT;
    [
        format!("/{out}/"),
        format!("/.{out}.*"),
        format!("/{}", SitePaths::EXTERNAL_CACHE),
    ]
}

const INIT_EVENT: &str = "---\ntitle: US–Japan \"2+2\" meets in Tokyo\ndate: 2024-07-28\nkind: meeting\nlocation: Tokyo, Japan\ncountries: [US, JP]\nparticipants:\n  - {name: Lloyd Austin, role: U.S. Secretary of Defense, country: US}\n  - {name: Minoru Kihara, role: Minister of Defense, country: JP}\ntracks: [us-japan]\ntags: [extended-deterrence]\nsummary: The foreign and defence ministers of the United States and Japan meet in Tokyo.\nsources:\n  - {title: Joint Statement of the Security Consultative Committee, publisher: U.S. Department of Defense, date: 2024-07-28}\n---\nThis is an example event. Edit it, or add more with `annals new \"Title\"`.\n";

const INIT_ABOUT: &str = "---\ntitle: About\ndescription: What this timeline covers.\n---\nThis timeline is built with annals.\n";

/// Creates a new site in `dir`, which must be absent, empty or hold only
/// dot-files (a fresh `git init`), with the hosting files for `ci` if
/// given. Returns the files written.
pub fn init(dir: &Path, ci: Option<Host>) -> Result<Vec<PathBuf>, Error> {
    if dir.exists() {
        let entries = fs::read_dir(dir)
            .map_err(|e| Error::io(format!("cannot read {}", dir.display()), e))?;
        for entry in entries {
            let entry =
                entry.map_err(|e| Error::io(format!("cannot read {}", dir.display()), e))?;
            if !entry.file_name().to_string_lossy().starts_with('.') {
                return Err(Error::Usage(format!(
                    "{} is not empty (it holds {}); choose a new or empty folder",
                    dir.display(),
                    entry.file_name().to_string_lossy()
                )));
            }
        }
    }
    let paths = SitePaths::new(dir);
    let mut files: Vec<(PathBuf, String)> = vec![
        (paths.config(), INIT_SITE_YAML.into()),
        (
            paths.events().join("2024/2024-07-28-us-japan-2plus2.md"),
            INIT_EVENT.into(),
        ),
        (paths.pages().join("about.md"), INIT_ABOUT.into()),
    ];
    if let Some(host) = ci {
        files.extend(
            host.files()
                .into_iter()
                .map(|(rel, text)| (dir.join(rel), text)),
        );
    }
    // Refused before anything is written, so a refusal leaves no half site.
    if let Some((taken, _)) = files.iter().find(|(path, _)| path.exists()) {
        return Err(Error::Usage(format!(
            "{} already exists; not overwriting it",
            taken.display()
        )));
    }
    for (path, text) in &files {
        create_new(path, text)?;
    }
    let statics = paths.statics();
    fs::create_dir_all(&statics)
        .map_err(|e| Error::io(format!("cannot create {}", statics.display()), e))?;
    let mut written: Vec<PathBuf> = files.into_iter().map(|(p, _)| p).collect();
    written.push(ignore_output(dir)?);
    Ok(written)
}

/// Adds the lines of [`gitignore`] that `dir/.gitignore` lacks (creating
/// it if needed) and returns its path.
fn ignore_output(dir: &Path) -> Result<PathBuf, Error> {
    let path = dir.join(".gitignore");
    let existing = match fs::read_to_string(&path) {
        Ok(text) => text,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => String::new(),
        Err(e) => return Err(Error::io(format!("cannot read {}", path.display()), e)),
    };
    let mut text = existing.clone();
    if !text.is_empty() && !text.ends_with('\n') {
        text.push('\n');
    }
    for line in gitignore() {
        if !existing.lines().any(|l| l.trim() == line) {
            text.push_str(&line);
            text.push('\n');
        }
    }
    if text != existing {
        fs::write(&path, text)
            .map_err(|e| Error::io(format!("cannot write {}", path.display()), e))?;
    }
    Ok(path)
}

#[cfg(test)]
mod tests {
    #[test]
    fn skeleton_is_unchanged() {
        let date = EventDate::parse("2024-07-28").expect("a date");
        assert_eq!(
            super::skeleton("US–Japan 2+2", &date, "meeting"),
            "---\ntitle: \"US–Japan 2+2\"\ndate: 2024-07-28\nkind: meeting\nstatus: held\ncountries: []\nparticipants: []\ntags: []\nsummary: \"US–Japan 2+2.\"\nsources:\n  - {title: \"Name the source (publisher, title, date; add url only if known)\"}\ndraft: true\n---\nDescribe the event in your own words.\n"
        );
    }
    use crate::values::dates::EventDate;
}
