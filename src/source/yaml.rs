//! The only module that touches YAML (front matter and `site.yaml`).
//! It turns text into a small owned tree, [`Yaml`], and finds where a key or
//! list item sits in the text, so the YAML library can be swapped without
//! touching anything else.

use crate::diagnostic::Pos;

/// A parsed YAML value, in document order.
#[derive(Debug, Clone, PartialEq)]
pub enum Yaml {
    Null,
    Bool(bool),
    Int(i64),
    Float(f64),
    Str(String),
    Seq(Vec<Yaml>),
    Map(Vec<(String, Yaml)>),
}

impl Yaml {
    /// A word for the type, used in "expected a list, found a number".
    pub fn type_name(&self) -> &'static str {
        match self {
            Yaml::Null => "nothing",
            Yaml::Bool(_) => "true/false",
            Yaml::Int(_) | Yaml::Float(_) => "a number",
            Yaml::Str(_) => "text",
            Yaml::Seq(_) => "a list",
            Yaml::Map(_) => "a mapping",
        }
    }

    /// Scalars as text: YAML reads `2024` as a number and `2024-07` as text,
    /// but both are dates to us.
    pub fn scalar_text(&self) -> Option<String> {
        match self {
            Yaml::Str(s) => Some(s.clone()),
            Yaml::Int(i) => Some(i.to_string()),
            Yaml::Float(f) => Some(f.to_string()),
            Yaml::Bool(b) => Some(b.to_string()),
            _ => None,
        }
    }
}

/// Double-quoted YAML scalar; for front matter that annals writes
/// itself (`new`, `import`); quoting is all that needs.
pub fn quote(text: &str) -> String {
    let mut out = String::from("\"");
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            c if c.is_control() => out.push(' '),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// A YAML syntax error at a position relative to the parsed text.
#[derive(Debug, Clone)]
pub struct YamlError {
    pub pos: Pos,
    pub message: String,
}

/// Parses one YAML document whose first line is line `first_line` of its
/// file. An empty document is `Null`. Error positions are file positions.
pub fn parse(text: &str, first_line: usize) -> Result<Yaml, YamlError> {
    if text.trim().is_empty() {
        return Ok(Yaml::Null);
    }
    check_flow_depth(text, first_line)?;
    serde_yaml::from_str::<Yaml>(text).map_err(|e| {
        let pos = e
            .location()
            .map(|l| Pos::new(l.line() + first_line - 1, l.column()))
            .unwrap_or(Pos::new(first_line, 1));
        YamlError {
            pos,
            message: shift_locations(&e.to_string(), first_line - 1),
        }
    })
}

/// Deepest `[`/`{` nesting accepted. The YAML scanner's work grows with
/// the square of the depth (fuzzing found 100,000 `[` taking minutes).
pub const MAX_FLOW_DEPTH: usize = 64;

/// Refuses text whose brackets nest deeper than [`MAX_FLOW_DEPTH`] before
/// the YAML parser sees it. Brackets inside quotes count too: a real front
/// matter never comes near the limit either way.
fn check_flow_depth(text: &str, first_line: usize) -> Result<(), YamlError> {
    let mut depth = 0usize;
    for (n, line) in text.lines().enumerate() {
        for (col, c) in line.chars().enumerate() {
            match c {
                '[' | '{' => depth += 1,
                ']' | '}' => depth = depth.saturating_sub(1),
                _ => continue,
            }
            if depth > MAX_FLOW_DEPTH {
                return Err(YamlError {
                    pos: Pos::new(n + first_line, col + 1),
                    message: format!("lists and mappings nest deeper than {MAX_FLOW_DEPTH} levels"),
                });
            }
        }
    }
    Ok(())
}

/// Rewrites serde_yaml's "at line N column M" to file lines, and drops the
/// one that repeats the error's own position.
fn shift_locations(message: &str, offset: usize) -> String {
    let mut out = String::with_capacity(message.len());
    let mut rest = message;
    let mut first = true;
    while let Some(i) = rest.find(" at line ") {
        out.push_str(&rest[..i]);
        let after = &rest[i + " at line ".len()..];
        let digits: String = after.chars().take_while(|c| c.is_ascii_digit()).collect();
        let tail = &after[digits.len()..];
        let col_digits: String = tail
            .strip_prefix(" column ")
            .map(|t| t.chars().take_while(|c| c.is_ascii_digit()).collect())
            .unwrap_or_default();
        let consumed = digits.len()
            + if col_digits.is_empty() {
                0
            } else {
                " column ".len() + col_digits.len()
            };
        if !first && let Ok(n) = digits.parse::<usize>() {
            out.push_str(&format!(" at line {}", n + offset));
        }
        first = false;
        rest = &after[consumed..];
    }
    out.push_str(rest);
    out
}

/// Reads a document straight into [`Yaml`], keeping mappings in document
/// order as lists: no intermediate YAML value or hash map per mapping
/// (front matter is parsed once per event, tens of thousands per build).
/// Its `expecting` and duplicate-key messages are the YAML library's own.
impl<'de> serde::Deserialize<'de> for Yaml {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Yaml, D::Error> {
        deserializer.deserialize_any(YamlVisitor)
    }
}

struct YamlVisitor;

impl<'de> serde::de::Visitor<'de> for YamlVisitor {
    type Value = Yaml;

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("any YAML value")
    }

    fn visit_bool<E>(self, b: bool) -> Result<Yaml, E> {
        Ok(Yaml::Bool(b))
    }

    fn visit_i64<E>(self, i: i64) -> Result<Yaml, E> {
        Ok(Yaml::Int(i))
    }

    fn visit_u64<E>(self, u: u64) -> Result<Yaml, E> {
        Ok(i64::try_from(u).map_or(Yaml::Float(u as f64), Yaml::Int))
    }

    /// A whole number beyond 64 bits (the YAML library reads up to 128) is
    /// a number like any other too large for `Int`, so the field that
    /// holds it says what it expects instead of the whole document being
    /// refused.
    fn visit_i128<E>(self, i: i128) -> Result<Yaml, E> {
        Ok(i64::try_from(i).map_or(Yaml::Float(i as f64), Yaml::Int))
    }

    fn visit_u128<E>(self, u: u128) -> Result<Yaml, E> {
        Ok(i64::try_from(u).map_or(Yaml::Float(u as f64), Yaml::Int))
    }

    fn visit_f64<E>(self, f: f64) -> Result<Yaml, E> {
        Ok(Yaml::Float(f))
    }

    fn visit_str<E>(self, s: &str) -> Result<Yaml, E> {
        Ok(Yaml::Str(s.to_string()))
    }

    fn visit_string<E>(self, s: String) -> Result<Yaml, E> {
        Ok(Yaml::Str(s))
    }

    fn visit_unit<E>(self) -> Result<Yaml, E> {
        Ok(Yaml::Null)
    }

    fn visit_none<E>(self) -> Result<Yaml, E> {
        Ok(Yaml::Null)
    }

    fn visit_some<D: serde::Deserializer<'de>>(self, deserializer: D) -> Result<Yaml, D::Error> {
        serde::Deserialize::deserialize(deserializer)
    }

    fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut items: A) -> Result<Yaml, A::Error> {
        let mut out = Vec::with_capacity(items.size_hint().unwrap_or(0));
        while let Some(item) = items.next_element()? {
            out.push(item);
        }
        Ok(Yaml::Seq(out))
    }

    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut entries: A) -> Result<Yaml, A::Error> {
        use serde::de::Error;
        let mut out = Vec::new();
        let mut seen = SeenKeys::default();
        while let Some(key) = entries.next_key::<Yaml>()? {
            let (kind, text) = match key {
                Yaml::Str(s) => (KeyKind::Str, s),
                Yaml::Int(i) => (KeyKind::Int, i.to_string()),
                Yaml::Float(f) => (KeyKind::Float, serde_yaml::Number::from(f).to_string()),
                Yaml::Bool(b) => (KeyKind::Bool, b.to_string()),
                other => {
                    return Err(A::Error::custom(format!(
                        "a key must be plain text, found {}",
                        other.type_name()
                    )));
                }
            };
            if !seen.insert(kind, &text, &out) {
                return Err(A::Error::custom(duplicate(kind, &text)));
            }
            out.push((text, entries.next_value()?));
        }
        Ok(Yaml::Map(out))
    }

    /// A tagged value (`!tag value`) is read as its value.
    fn visit_enum<A: serde::de::EnumAccess<'de>>(self, data: A) -> Result<Yaml, A::Error> {
        use serde::de::VariantAccess;
        let (_tag, contents) = data.variant::<serde::de::IgnoredAny>()?;
        contents.newtype_variant()
    }
}

/// The keys of a mapping read so far, by kind and text (a number and its
/// text are different keys, as to the YAML library): looked for one by one
/// in a short mapping, like front matter's, and in a set once a mapping
/// grows long, so a hostile one of a million keys is not quadratic.
#[derive(Default)]
struct SeenKeys {
    kinds: Vec<KeyKind>,
    set: Option<std::collections::HashSet<(KeyKind, String), ahash::RandomState>>,
}

/// What a mapping key was written as: the YAML library tells `1` and
/// `"1"` apart.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
enum KeyKind {
    Str,
    Int,
    Float,
    Bool,
}

impl SeenKeys {
    const SCANNED: usize = 32;

    /// Notes the key (`kind`, `text`) about to be pushed after `read`;
    /// false when it is there already.
    fn insert(&mut self, kind: KeyKind, text: &str, read: &[(String, Yaml)]) -> bool {
        if let Some(set) = &mut self.set {
            return set.insert((kind, text.to_string()));
        }
        let twice = self
            .kinds
            .iter()
            .zip(read)
            .any(|(k, (t, _))| *k == kind && t == text);
        if twice {
            return false;
        }
        self.kinds.push(kind);
        if self.kinds.len() > Self::SCANNED {
            let keys = self
                .kinds
                .iter()
                .zip(read)
                .map(|(k, (t, _))| (*k, t.clone()));
            let mut set: std::collections::HashSet<_, _> = keys.collect();
            set.insert((kind, text.to_string()));
            self.set = Some(set);
        }
        true
    }
}

/// The YAML library's own words for a key given twice.
fn duplicate(kind: KeyKind, text: &str) -> String {
    match kind {
        KeyKind::Str => format!("duplicate entry with key {text:?}"),
        KeyKind::Bool => format!("duplicate entry with key `{text}`"),
        KeyKind::Int | KeyKind::Float => format!("duplicate entry with key {text}"),
    }
}

/// One step of a path into a document: a mapping key or a list index.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Seg<'a> {
    Key(&'a str),
    Index(usize),
}

/// Finds where keys and list items are written, by reading the text's
/// indentation and flow brackets. Falls back to the nearest parent found.
pub struct Locator<'t> {
    lines: Vec<&'t str>,
}

/// A part of the text holding one value: starts at `(line, col)` (0-based,
/// bytes) and runs to the end of line `last`.
#[derive(Debug, Clone, Copy)]
struct Region {
    line: usize,
    col: usize,
    last: usize,
}

impl<'t> Locator<'t> {
    pub fn new(text: &'t str) -> Locator<'t> {
        Locator {
            lines: text.lines().collect(),
        }
    }

    /// Position of the last segment of `path` (the key, or the list item),
    /// 1-based relative to the text, plus the width of that token.
    pub fn key(&self, path: &[Seg]) -> (Pos, usize) {
        self.walk(path).0
    }

    /// Position and width of the value at `path`.
    pub fn value(&self, path: &[Seg]) -> (Pos, usize) {
        let ((key_pos, key_width), region) = self.walk(path);
        match region {
            Some(r) if path.last().is_some_and(|s| matches!(s, Seg::Key(_))) => {
                let (line, col) = self.skip_blank(r);
                match self.lines.get(line) {
                    Some(text) if col < text.len() => {
                        let token = token_width(&text[col..]);
                        (self.pos(line, col), token)
                    }
                    _ => (key_pos, key_width),
                }
            }
            _ => (key_pos, key_width),
        }
    }

    fn pos(&self, line: usize, byte_col: usize) -> Pos {
        let text = self.lines.get(line).copied().unwrap_or("");
        let prefix = text.get(..byte_col.min(text.len())).unwrap_or(text);
        Pos::new(line + 1, prefix.chars().count() + 1)
    }

    fn walk(&self, path: &[Seg]) -> ((Pos, usize), Option<Region>) {
        let mut region = Region {
            line: 0,
            col: 0,
            last: self.lines.len().saturating_sub(1),
        };
        let mut found = (Pos::new(1, 1), 1);
        for seg in path {
            let next = match seg {
                Seg::Key(k) => self.find_key(region, k),
                Seg::Index(i) => self.find_index(region, *i),
            };
            match next {
                Some((line, col, width, value_region)) => {
                    found = (self.pos(line, col), width);
                    region = value_region;
                }
                None => return (found, None),
            }
        }
        (found, Some(region))
    }

    /// Moves past blank and comment-only lines to the first content.
    fn skip_blank(&self, r: Region) -> (usize, usize) {
        let mut line = r.line;
        let mut col = r.col;
        while line <= r.last {
            let text = self.lines.get(line).copied().unwrap_or("");
            let rest = text.get(col..).unwrap_or("");
            let trimmed = rest.trim_start();
            if !trimmed.is_empty() && !trimmed.starts_with('#') {
                return (line, col + (rest.len() - trimmed.len()));
            }
            line += 1;
            col = 0;
        }
        (r.line, r.col)
    }

    fn indent_of(&self, line: usize, r: Region) -> Option<usize> {
        let text = self.lines.get(line)?;
        let start = if line == r.line { r.col } else { 0 };
        let rest = text.get(start..)?;
        let trimmed = rest.trim_start();
        if trimmed.is_empty() || trimmed.starts_with('#') {
            return None;
        }
        Some(start + rest.len() - trimmed.len())
    }

    /// End line of the block that starts at `line` with indentation `indent`.
    fn block_end(&self, line: usize, indent: usize, r: Region) -> usize {
        let mut end = line;
        for l in line + 1..=r.last {
            match self.indent_of(l, r) {
                Some(i) if i <= indent => break,
                Some(_) => end = l,
                None => {}
            }
        }
        end
    }

    fn find_key(&self, r: Region, key: &str) -> Option<(usize, usize, usize, Region)> {
        let (line, col) = self.skip_blank(r);
        let text = self.lines.get(line)?;
        if text[col..].starts_with('{') {
            let at = flow_items(text, col)
                .into_iter()
                .find(|&at| key_at(&text[at..], key))?;
            let vcol = value_col(text, at).unwrap_or(at);
            return Some((
                line,
                at,
                key.chars().count(),
                Region {
                    line,
                    col: vcol,
                    last: line,
                },
            ));
        }
        let indent = col;
        for l in line..=r.last {
            let Some(i) = self.indent_of(l, r) else {
                continue;
            };
            if i != indent {
                continue;
            }
            let t = self.lines[l];
            if key_at(&t[i..], key) {
                let after = t[i..].find(':').map(|c| i + c + 1).unwrap_or(t.len());
                let end = self.block_end(l, indent, r);
                return Some((
                    l,
                    i,
                    key.chars().count(),
                    Region {
                        line: l,
                        col: after,
                        last: end,
                    },
                ));
            }
        }
        None
    }

    fn find_index(&self, r: Region, index: usize) -> Option<(usize, usize, usize, Region)> {
        let (line, col) = self.skip_blank(r);
        let text = self.lines.get(line)?;
        if text[col..].starts_with('[') {
            let at = *flow_items(text, col).get(index)?;
            return Some((
                line,
                at,
                token_width(&text[at..]),
                Region {
                    line,
                    col: at,
                    last: line,
                },
            ));
        }
        let indent = col;
        let mut seen = 0usize;
        for l in line..=r.last {
            let Some(i) = self.indent_of(l, r) else {
                continue;
            };
            if i < indent {
                break;
            }
            if i != indent {
                continue;
            }
            let t = self.lines[l];
            if t[i..].starts_with("- ") || &t[i..] == "-" {
                if seen == index {
                    let end = self.block_end(l, indent, r);
                    let item_col = (i + 2).min(t.len());
                    let width = token_width(&t[item_col..]);
                    return Some((
                        l,
                        item_col,
                        width,
                        Region {
                            line: l,
                            col: item_col,
                            last: end,
                        },
                    ));
                }
                seen += 1;
            }
        }
        None
    }
}

fn key_at(text: &str, key: &str) -> bool {
    let unquoted = text.strip_prefix(key);
    let quoted = text
        .strip_prefix('"')
        .and_then(|t| t.strip_prefix(key))
        .and_then(|t| t.strip_prefix('"'))
        .or_else(|| {
            text.strip_prefix('\'')
                .and_then(|t| t.strip_prefix(key))
                .and_then(|t| t.strip_prefix('\''))
        });
    [unquoted, quoted]
        .into_iter()
        .flatten()
        .any(|rest| rest.trim_start_matches([' ', '\t']).starts_with(':'))
}

/// Byte offsets where the items of the flow collection opened at `start`
/// begin (only on this line; quotes and nested brackets respected).
fn flow_items(text: &str, start: usize) -> Vec<usize> {
    let mut items = Vec::new();
    let mut depth = 0usize;
    let mut quote: Option<char> = None;
    let mut expect_item = false;
    for (off, c) in text[start..].char_indices() {
        let at = start + off;
        if let Some(q) = quote {
            if c == q {
                quote = None;
            }
            continue;
        }
        if depth == 1 && expect_item && !c.is_whitespace() && c != ']' && c != '}' {
            items.push(at);
            expect_item = false;
        }
        match c {
            '"' | '\'' => quote = Some(c),
            '[' | '{' => {
                depth += 1;
                if depth == 1 {
                    expect_item = true;
                }
            }
            ']' | '}' => {
                depth = depth.saturating_sub(1);
                if depth == 0 {
                    break;
                }
            }
            ',' if depth == 1 => expect_item = true,
            _ => {}
        }
    }
    items
}

fn value_col(text: &str, key_at: usize) -> Option<usize> {
    let rest = &text[key_at..];
    let colon = rest.find(':')?;
    let after = &rest[colon + 1..];
    Some(key_at + colon + 1 + (after.len() - after.trim_start().len()))
}

/// Width in characters of the scalar starting here (to the end of a flow
/// item or the line).
fn token_width(text: &str) -> usize {
    let token = if text.starts_with('"') || text.starts_with('\'') {
        let q = text.chars().next().unwrap_or('"');
        match text[1..].find(q) {
            Some(end) => &text[..end + 2],
            None => text,
        }
    } else {
        let end = text.find([',', ']', '}', '#']).unwrap_or(text.len());
        text[..end].trim_end()
    };
    token.chars().count().max(1)
}

#[cfg(test)]
mod tests {
    use super::*;

    const DOC: &str = "title: Hello\ndate: 2024-07-28\ncountries: [US, JP, XX]\nparticipants:\n  - Minoru Kihara\n  - {name: Lloyd Austin, role: Secretary, country: ZZ}\nsources:\n  - title: A\n    url: ftp://x\n  - title: B\n    publisher: C\n";

    #[test]
    fn parses_into_tree() {
        let y = parse(DOC, 1).expect("parses");
        let Yaml::Map(m) = y else { panic!("map") };
        assert_eq!(m[0], ("title".to_string(), Yaml::Str("Hello".into())));
        assert_eq!(m.len(), 5);
    }

    #[test]
    fn syntax_errors_have_positions() {
        let err = parse("title: a\n  bad: [\n", 2).unwrap_err();
        assert!(err.pos.line >= 3, "{err:?}");
        assert!(!err.message.contains("at line"), "{}", err.message);
    }

    #[test]
    fn values_keep_their_kinds_and_tags_are_read_through() {
        let y = parse(
            "n: 7\nbig: 18446744073709551615\nf: 1.5\nb: true\nnone: ~\n1: one\nt: !note hi\nl: []\n",
            1,
        )
        .expect("parses");
        let Yaml::Map(m) = y else { panic!("map") };
        let values: Vec<(&str, &Yaml)> = m.iter().map(|(k, v)| (k.as_str(), v)).collect();
        assert_eq!(
            values,
            [
                ("n", &Yaml::Int(7)),
                ("big", &Yaml::Float(18446744073709551615.0)),
                ("f", &Yaml::Float(1.5)),
                ("b", &Yaml::Bool(true)),
                ("none", &Yaml::Null),
                ("1", &Yaml::Str("one".into())),
                ("t", &Yaml::Str("hi".into())),
                ("l", &Yaml::Seq(Vec::new())),
            ]
        );
    }

    #[test]
    fn whole_numbers_past_64_bits_are_numbers_not_errors() {
        let y = parse(
            "over: 18446744073709551616\nunder: -9223372036854775809\nhuge: 170141183460469231731687303715884105727\n",
            1,
        )
        .expect("parses");
        let Yaml::Map(m) = y else { panic!("map") };
        let values: Vec<&Yaml> = m.iter().map(|(_, v)| v).collect();
        assert_eq!(
            values,
            [
                &Yaml::Float(18446744073709551616.0),
                &Yaml::Float(-9223372036854775809.0),
                &Yaml::Float(170141183460469231731687303715884105727.0),
            ]
        );
    }

    #[test]
    fn a_key_given_twice_or_not_as_text_is_an_error() {
        for (doc, first_line, says) in [
            (
                "title: a\ndate: 2024\ntitle: b\n",
                3,
                "duplicate entry with key \"title\"",
            ),
            (
                "title: a\n[x]: b\n",
                1,
                "a key must be plain text, found a list",
            ),
        ] {
            let err = parse(doc, first_line).unwrap_err();
            assert_eq!(err.pos, Pos::new(first_line, 1), "{err:?}");
            assert!(err.message.starts_with(says), "{}", err.message);
        }
        // A number and its text are different keys, as YAML has them.
        assert!(parse("1: a\n\"1\": b\n", 1).is_ok());
        // Past the first keys, looked for in a set: the same answers.
        let long: String = (0..40).map(|i| format!("k{i}: {i}\n")).collect();
        assert!(parse(&format!("{long}1: a\n\"1\": b\n"), 1).is_ok());
        let err = parse(&format!("{long}k3: again\n"), 1).unwrap_err();
        assert!(
            err.message.starts_with("duplicate entry with key \"k3\""),
            "{}",
            err.message
        );
        let err = parse(&format!("{long}x: 1\nx: 2\n"), 1).unwrap_err();
        assert!(
            err.message.starts_with("duplicate entry with key \"x\""),
            "{}",
            err.message
        );
    }

    #[test]
    fn locates_keys_and_items() {
        let loc = Locator::new(DOC);
        assert_eq!(loc.key(&[Seg::Key("date")]).0, Pos::new(2, 1));
        assert_eq!(loc.value(&[Seg::Key("date")]), (Pos::new(2, 7), 10));
        assert_eq!(
            loc.key(&[Seg::Key("countries"), Seg::Index(2)]).0,
            Pos::new(3, 21)
        );
        assert_eq!(
            loc.key(&[Seg::Key("participants"), Seg::Index(1)]).0,
            Pos::new(6, 5)
        );
        assert_eq!(
            loc.value(&[Seg::Key("participants"), Seg::Index(1), Seg::Key("country")])
                .0,
            Pos::new(6, 52)
        );
        assert_eq!(
            loc.value(&[Seg::Key("sources"), Seg::Index(0), Seg::Key("url")]),
            (Pos::new(9, 10), 7)
        );
        assert_eq!(
            loc.key(&[Seg::Key("sources"), Seg::Index(1), Seg::Key("publisher")])
                .0,
            Pos::new(11, 5)
        );
        // Missing paths fall back to the nearest parent.
        assert_eq!(
            loc.key(&[Seg::Key("sources"), Seg::Index(9)]).0,
            Pos::new(7, 1)
        );
    }
}
