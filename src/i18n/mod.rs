//! The interface's words: Fluent translation files (`i18n/<lang>.ftl`)
//! layered key by key (the site's file over the theme's over the built-in
//! one), resolved for one language with English as the fallback for a key
//! the language lacks, its writing direction, and the keys it is missing.
//! Rendering takes a [`Locale`] as a parameter; nothing here is global but
//! the built-in English used by the machine-facing texts.

mod direction;
mod numbers;

pub use direction::Dir;

use crate::diagnostic::{Diagnostic, Pos};
use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentResource, FluentValue};
use include_dir::{Dir as EmbeddedDir, include_dir};
use std::collections::{BTreeSet, HashMap};
use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};
use unic_langid::LanguageIdentifier;

/// The built-in translation files of the default theme.
static BUILTIN: EmbeddedDir<'static> = include_dir!("$CARGO_MANIFEST_DIR/themes/default/i18n");

/// The language every key exists in and every other falls back to.
pub const FALLBACK: &str = "en";

/// One translation file: where it came from (for diagnostics) and its text.
#[derive(Debug, Clone)]
pub struct Source {
    pub origin: PathBuf,
    pub text: String,
}

/// The built-in file of `lang` (by full tag, then by its language subtag).
pub fn builtin(lang: &str) -> Option<Source> {
    let candidates = [lang.to_string(), primary(lang).to_string()];
    candidates.iter().find_map(|l| {
        let name = format!("{l}.ftl");
        BUILTIN.get_file(&name).map(|f| Source {
            // Shown only if a built-in file were broken, which the tests
            // rule out; the default theme's folder is named in `urls`.
            origin: PathBuf::from(format!("(built-in) {name}")),
            text: String::from_utf8_lossy(f.contents()).into_owned(),
        })
    })
}

/// `ja` of `ja-JP`.
pub fn primary(lang: &str) -> &str {
    lang.split(['-', '_']).next().unwrap_or(lang)
}

/// One language's resolved messages: its layered bundle, the messages
/// without arguments resolved once (the common case in templates), and
/// the keys it holds.
struct Layered {
    bundle: FluentBundle<Arc<FluentResource>>,
    plain: HashMap<String, String>,
    keys: BTreeSet<String>,
}

impl Layered {
    /// `layers` in priority order (first wins key by key).
    fn new(lang: &str, layers: &[Source]) -> Result<Layered, Vec<Diagnostic>> {
        let id: LanguageIdentifier = lang
            .parse()
            .or_else(|_| primary(lang).parse())
            .unwrap_or_default();
        let mut bundle = FluentBundle::new_concurrent(vec![id]);
        // Marks around arguments would end up in titles and attributes;
        // the templates isolate what needs isolating.
        bundle.set_use_isolating(false);
        bundle.set_formatter(Some(numbers::formatter));
        // NUMBER(), so a message can ask for a number without grouping.
        let _ = bundle.add_builtins();
        let mut keys = BTreeSet::new();
        let mut problems = Vec::new();
        for layer in layers {
            let resource = match FluentResource::try_new(layer.text.clone()) {
                Ok(r) => r,
                Err((_, errors)) => {
                    for e in errors {
                        problems.push(at(layer, e.pos.start, format!("{}", e.kind)));
                    }
                    continue;
                }
            };
            for entry in resource.entries() {
                if let fluent_syntax::ast::Entry::Message(m) = entry {
                    keys.insert(m.id.name.to_string());
                }
            }
            // A key already given by a higher layer is kept: that is the
            // override, not an error.
            let _ = bundle.add_resource(Arc::new(resource));
        }
        if !problems.is_empty() {
            return Err(problems);
        }
        let mut plain = HashMap::new();
        for key in &keys {
            if let Some(text) = format(&bundle, key, None) {
                plain.insert(key.clone(), text);
            }
        }
        Ok(Layered {
            bundle,
            plain,
            keys,
        })
    }
}

fn at(source: &Source, offset: usize, message: String) -> Diagnostic {
    let before = source.text.get(..offset).unwrap_or(&source.text);
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    Diagnostic::new(
        source.origin.clone(),
        Pos::new(line, column),
        format!("translation file: {message}"),
    )
    .with_source(&source.text)
    .with_hint("Fluent syntax: `key = text`, arguments as `{ $name }`")
}

fn format(
    bundle: &FluentBundle<Arc<FluentResource>>,
    key: &str,
    args: Option<&FluentArgs>,
) -> Option<String> {
    let message = bundle.get_message(key)?;
    let pattern = message.value()?;
    let mut errors = Vec::new();
    let text = bundle.format_pattern(pattern, args, &mut errors);
    Some(text.into_owned())
}

/// The interface of one language: its messages, English for the keys it
/// lacks, and its direction.
pub struct Locale {
    /// Distinct for every locale made in this process, never reused, so
    /// texts worked out from it can be remembered under it.
    id: u64,
    lang: String,
    dir: Dir,
    own: Layered,
    english: Option<Layered>,
    sources: Vec<Source>,
    /// Where a missing key should be added (the site's file, or the
    /// built-in one's path when there is no file for the language at all).
    missing_in: PathBuf,
}

/// Translation files of one language, highest priority first.
pub struct Files {
    pub lang: Vec<Source>,
    pub english: Vec<Source>,
    /// The file a missing key belongs in.
    pub missing_in: PathBuf,
}

impl Files {
    /// The built-in files alone.
    pub fn builtin(lang: &str) -> Files {
        let own = builtin(lang);
        Files {
            missing_in: own.as_ref().map_or_else(
                || PathBuf::from(format!("i18n/{lang}.ftl")),
                |s| s.origin.clone(),
            ),
            lang: own.into_iter().collect(),
            english: builtin(FALLBACK).into_iter().collect(),
        }
    }
}

impl Locale {
    /// The locale of `lang` from `files`; `dir` overrides the language's
    /// own direction.
    pub fn new(lang: &str, dir: Option<Dir>, files: Files) -> Result<Locale, Vec<Diagnostic>> {
        let is_english = primary(lang) == FALLBACK;
        let mut layers = files.lang.clone();
        if is_english {
            layers.extend(files.english.iter().cloned());
        }
        let own = Layered::new(lang, &layers);
        let english = if is_english {
            None
        } else {
            Some(Layered::new(FALLBACK, &files.english))
        };
        let (own, english) = match (own, english) {
            (Ok(o), None) => (o, None),
            (Ok(o), Some(Ok(e))) => (o, Some(e)),
            (Err(mut a), Some(Err(b))) => {
                a.extend(b);
                return Err(a);
            }
            (Err(a), _) | (_, Some(Err(a))) => return Err(a),
        };
        let mut sources = files.lang;
        sources.extend(files.english);
        static NEXT_ID: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
        Ok(Locale {
            id: NEXT_ID.fetch_add(1, std::sync::atomic::Ordering::Relaxed),
            lang: lang.to_string(),
            dir: dir.unwrap_or_else(|| Dir::of(lang)),
            own,
            english,
            sources,
            missing_in: files.missing_in,
        })
    }

    /// This locale's identity in the process (see the field).
    pub fn id(&self) -> u64 {
        self.id
    }

    /// The built-in locale of `lang`.
    /// The built-in files are checked by the tests, so they parse.
    pub fn builtin(lang: &str) -> Locale {
        Locale::new(lang, None, Files::builtin(lang))
            .unwrap_or_else(|_| panic!("a built-in translation file does not parse"))
    }

    /// The built-in English locale, for machine-facing texts and as the
    /// default of the display functions.
    pub fn english() -> &'static Locale {
        static EN: OnceLock<Locale> = OnceLock::new();
        EN.get_or_init(|| Locale::builtin(FALLBACK))
    }

    pub fn lang(&self) -> &str {
        &self.lang
    }

    pub fn dir(&self) -> Dir {
        self.dir
    }

    /// The text of `key` without arguments; English when the language
    /// lacks it, the key itself when no file has it (shown, so a typo in a
    /// template is visible rather than blank).
    pub fn text<'a>(&'a self, key: &'a str) -> &'a str {
        self.own
            .plain
            .get(key)
            .or_else(|| self.english.as_ref().and_then(|e| e.plain.get(key)))
            .map_or(key, String::as_str)
    }

    /// The text of `key` with named arguments.
    pub fn format(&self, key: &str, args: &[(&str, Arg)]) -> String {
        let mut fluent = FluentArgs::new();
        for (name, value) in args {
            match value {
                Arg::Text(s) => fluent.set(*name, FluentValue::from(s.as_str())),
                Arg::Number(n) => fluent.set(*name, FluentValue::from(*n)),
            }
        }
        format(&self.own.bundle, key, Some(&fluent))
            .or_else(|| {
                self.english
                    .as_ref()
                    .and_then(|e| format(&e.bundle, key, Some(&fluent)))
            })
            .unwrap_or_else(|| key.to_string())
    }

    /// `n` as this language's messages write a count: digits grouped past
    /// four (see [`numbers`]), as the language groups them when it has
    /// words of its own, else as English does (its messages are English's).
    pub fn grouped(&self, n: i64) -> String {
        let lang = if self.own.keys.is_empty() {
            FALLBACK
        } else {
            primary(&self.lang)
        };
        numbers::grouped(n, numbers::separator(lang))
    }

    /// Whether any file of the language or English has `key`.
    pub fn has(&self, key: &str) -> bool {
        self.own.keys.contains(key) || self.english.as_ref().is_some_and(|e| e.keys.contains(key))
    }

    /// Keys English has and this language lacks, with the file they
    /// belong in.
    pub fn missing(&self) -> Vec<(PathBuf, String)> {
        let Some(english) = &self.english else {
            return Vec::new();
        };
        english
            .keys
            .difference(&self.own.keys)
            .map(|k| (self.missing_in.clone(), k.clone()))
            .collect()
    }

    /// `annals check`'s warnings about the language's translations: one
    /// per key English has and the language lacks, or one for the whole
    /// language when no file has any of its words.
    pub fn missing_warnings(&self) -> Vec<Diagnostic> {
        let missing = self.missing();
        if missing.is_empty() {
            return Vec::new();
        }
        let at = |message: String, hint: String| {
            Diagnostic::new(self.missing_in.clone(), Pos::new(1, 1), message)
                .with_hint(hint)
                .as_warning()
        };
        if self.own.keys.is_empty() {
            return vec![at(
                format!(
                    "no translation of the interface into `{}`: it is shown in English",
                    self.lang
                ),
                format!(
                    "copy the built-in en.ftl to this file and translate its {} keys",
                    missing.len()
                ),
            )];
        }
        missing
            .into_iter()
            .map(|(_, key)| {
                at(
                    format!("missing translation `{key}`: English is shown"),
                    format!("add `{key} = …` to this file, translating the built-in en.ftl's"),
                )
            })
            .collect()
    }

    /// Every translation file read, for the build's fingerprint: a
    /// changed file changes every page.
    pub fn sources(&self) -> &[Source] {
        &self.sources
    }
}

/// A Fluent argument.
#[derive(Debug, Clone)]
pub enum Arg {
    Text(String),
    Number(i64),
}

impl From<&str> for Arg {
    fn from(s: &str) -> Arg {
        Arg::Text(s.to_string())
    }
}

impl From<String> for Arg {
    fn from(s: String) -> Arg {
        Arg::Text(s)
    }
}

impl From<i64> for Arg {
    fn from(n: i64) -> Arg {
        Arg::Number(n)
    }
}

/// Reads `i18n/<lang>.ftl` (by full tag, then language subtag) from a
/// folder, when there.
pub fn read_file(folder: &Path, lang: &str) -> Result<Option<Source>, crate::error::Error> {
    for name in [lang, primary(lang)] {
        let path = folder.join(format!("{name}.ftl"));
        match std::fs::read_to_string(&path) {
            Ok(text) => return Ok(Some(Source { origin: path, text })),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => {
                return Err(crate::error::Error::io(
                    format!("cannot read {}", path.display()),
                    e,
                ));
            }
        }
    }
    Ok(None)
}
