//! `annals new` and `annals init`: files that build as they are written.
//! Nothing here ever overwrites an existing file. The fields of a new
//! event come from the field table (`schema`).

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
                // No argument gives it: the example stands in.
                _ => f.example.to_string(),
            },
        };
        let gap = if value.starts_with('\n') { "" } else { " " };
        text.push_str(&format!("{}:{gap}{value}\n", f.name));
    }
    text.push_str("---\nDescribe the event in your own words.\n");
    text
}

const INIT_SITE_YAML: &str = "title: My timeline\nlanguage: en\ndescription: A timeline of security talks.\norder: oldest-first\nkinds:\n  meeting: {label: Meeting}\n  statement: {label: Statement}\n  command-change: {label: Command change}\n  agreement: {label: Agreement}\ntracks:\n  us-japan: {label: US–Japan}\n  us-rok: {label: US–ROK}\n";

const INIT_EVENT: &str = "---\ntitle: US–Japan \"2+2\" meets in Tokyo\ndate: 2024-07-28\nkind: meeting\nlocation: Tokyo, Japan\ncountries: [US, JP]\nparticipants:\n  - {name: Lloyd Austin, role: U.S. Secretary of Defense, country: US}\n  - {name: Minoru Kihara, role: Minister of Defense, country: JP}\ntracks: [us-japan]\ntags: [extended-deterrence]\nsummary: The foreign and defence ministers of the United States and Japan meet in Tokyo.\nsources:\n  - {title: Joint Statement of the Security Consultative Committee, publisher: U.S. Department of Defense, date: 2024-07-28}\n---\nThis is an example event. Edit it, or add more with `annals new \"Title\"`.\n";

const INIT_ABOUT: &str = "---\ntitle: About\ndescription: What this timeline covers.\n---\nThis timeline is built with annals.\n";

/// Creates a new site in `dir` (which must be empty or absent).
pub fn init(dir: &Path) -> Result<Vec<PathBuf>, Error> {
    if dir.exists() {
        let mut entries = fs::read_dir(dir)
            .map_err(|e| Error::io(format!("cannot read {}", dir.display()), e))?;
        if entries.next().is_some() {
            return Err(Error::Usage(format!(
                "{} is not empty; choose a new or empty folder",
                dir.display()
            )));
        }
    }
    let paths = SitePaths::new(dir);
    let files = [
        (paths.config(), INIT_SITE_YAML),
        (
            paths.events().join("2024/2024-07-28-us-japan-2plus2.md"),
            INIT_EVENT,
        ),
        (paths.pages().join("about.md"), INIT_ABOUT),
    ];
    for (path, text) in &files {
        create_new(path, text)?;
    }
    let statics = paths.statics();
    fs::create_dir_all(&statics)
        .map_err(|e| Error::io(format!("cannot create {}", statics.display()), e))?;
    Ok(files.into_iter().map(|(p, _)| p).collect())
}

#[cfg(test)]
mod tests {
    #[test]
    fn skeleton_is_unchanged() {
        let date = EventDate::parse("2024-07-28").expect("a date");
        assert_eq!(
            super::skeleton("US–Japan 2+2", &date, "meeting"),
            "---\ntitle: \"US–Japan 2+2\"\ndate: 2024-07-28\nkind: meeting\nstatus: held\ncountries: []\nparticipants: []\ntags: []\nsummary: \"US–Japan 2+2.\"\nsources:\n  - {title: \"Name the source (publisher, title, date; add url only if known)\"}\n---\nDescribe the event in your own words.\n"
        );
    }
    use crate::values::dates::EventDate;
}
