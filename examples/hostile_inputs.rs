//! Writes pathological inputs for timing the build and the importer:
//! `cargo run --release --example hostile_inputs -- KIND DIR [SIZE]`.
//!
//! KIND is one of
//! - `body-SHAPE`: a one-event site whose body is about SIZE bytes
//!   (default 4,000,000) of SHAPE: `div`, `span`, `blockquote`, `ul`,
//!   `table`, `div-cap`, `ul-cap` (nested just under the limit, repeated),
//!   `unclosed`, `quote-md` (`> > > …`), `list-md`, `emphasis`,
//!   `links`, `stars`, `long-line`, `many-small`;
//! - `scalar`, `scalar-quoted`, `scalar-block`, `scalar-title`: a one-event
//!   site whose `summary` (plain, double-quoted, a `|` block) or `title`
//!   is one scalar of SIZE bytes;
//! - `timelinejs`: a site folder plus `DIR/timeline.json` holding SIZE
//!   TimelineJS entries (default 60,000), for `annals import`.

use std::fmt::Write as _;
use std::path::Path;

const FRONT: &str = "---\ntitle: Hostile\ndate: 2024-01-01\nkind: meeting\nsummary: s\nsources:\n  - {title: T}\n---\n";

/// Repeats `open` then `close` until the text is about `size` bytes.
fn nested(open: &str, close: &str, size: usize) -> String {
    let n = size / (open.len() + close.len()).max(1);
    let mut out = String::with_capacity(size + 16);
    out.push_str("x\n\n");
    for _ in 0..n {
        out.push_str(open);
    }
    out.push('x');
    for _ in 0..n {
        out.push_str(close);
    }
    out.push('\n');
    out
}

fn repeated(unit: &str, size: usize) -> String {
    unit.repeat(size / unit.len().max(1))
}

fn body(shape: &str, size: usize) -> Option<String> {
    Some(match shape {
        "div" => nested("<div>", "</div>", size),
        "span" => nested("<span>", "</span>", size),
        "blockquote" => nested("<blockquote>", "</blockquote>", size),
        "ul" => nested("<ul><li>", "</li></ul>", size),
        "table" => nested("<table><tr><td>", "</td></tr></table>", size),
        // Nested just under the limit, again and again.
        "div-cap" => repeated(&nested("<div>", "</div>", 250 * 11), size),
        "ul-cap" => repeated(&nested("<ul><li>", "</li></ul>", 120 * 17), size),
        "unclosed" => format!("x\n\n{}", repeated("<div><p><b><i><a>", size)),
        "quote-md" => format!("{}x\n", repeated("> ", size)),
        "list-md" => {
            let mut out = String::new();
            let mut depth = 0;
            while out.len() < size {
                let _ = writeln!(out, "{}- x", "  ".repeat(depth));
                depth += 1;
            }
            out
        }
        "emphasis" => format!(
            "{}x{}\n",
            repeated("*_", size / 2),
            repeated("_*", size / 2)
        ),
        "links" => format!("{}x\n", repeated("[", size)),
        "stars" => format!("{}x\n", repeated("*a ", size)),
        "long-line" => format!("{}\n", repeated("word <b>bold</b> ", size)),
        "many-small" => repeated("<p>a <em>b</em> <a href=\"x\">c</a></p>\n\n", size),
        _ => return None,
    })
}

/// The front-matter line to replace and its replacement, for `scalar*`.
fn scalar_field(kind: &str, size: usize) -> Option<(&'static str, String)> {
    Some(match kind {
        "scalar" => (
            "summary: s",
            format!("summary: {}", repeated("word ", size)),
        ),
        "scalar-quoted" => (
            "summary: s",
            format!("summary: \"{}\"", repeated("w\\\"rd, é; ", size)),
        ),
        "scalar-block" => (
            "summary: s",
            format!("summary: |\n{}", repeated("  a line of text\n", size)),
        ),
        "scalar-title" => (
            "title: Hostile",
            format!("title: {}", repeated("word ", size)),
        ),
        _ => return None,
    })
}

fn write(path: &Path, text: &str) -> std::io::Result<()> {
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent)?;
    }
    std::fs::write(path, text)
}

fn timelinejs(entries: usize) -> String {
    let mut out = String::from("{\"events\": [\n");
    for i in 0..entries {
        if i > 0 {
            out.push_str(",\n");
        }
        let _ = write!(
            out,
            "  {{\"start_date\": {{\"year\": \"{}\", \"month\": \"{}\", \"day\": \"{}\"}},\n   \"text\": {{\"headline\": \"Meeting number {i}\", \"text\": \"<p>Summary of meeting {i}.</p>\"}},\n   \"unique_id\": \"meeting-{i}\"}}",
            1900 + i % 120,
            1 + i % 12,
            1 + i % 28
        );
    }
    out.push_str("\n]}\n");
    out
}

fn main() -> std::process::ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (Some(kind), Some(dir)) = (args.first(), args.get(1)) else {
        eprintln!("usage: hostile_inputs KIND DIR [SIZE]");
        return std::process::ExitCode::from(2);
    };
    let dir = Path::new(dir);
    let size: Option<usize> = args.get(2).and_then(|s| s.parse().ok());
    let event = dir.join("content/events/hostile.md");
    let result = if let Some(shape) = kind.strip_prefix("body-") {
        match body(shape, size.unwrap_or(4_000_000)) {
            Some(b) => write(&event, &format!("{FRONT}{b}")),
            None => {
                eprintln!("unknown body shape `{shape}`");
                return std::process::ExitCode::from(2);
            }
        }
    } else if let Some(field) = scalar_field(kind, size.unwrap_or(4_000_000)) {
        write(&event, &FRONT.replace(field.0, &field.1))
    } else if kind == "timelinejs" {
        std::fs::create_dir_all(dir.join("content/events")).and_then(|_| {
            write(
                &dir.join("timeline.json"),
                &timelinejs(size.unwrap_or(60_000)),
            )
        })
    } else {
        eprintln!("unknown KIND `{kind}`");
        return std::process::ExitCode::from(2);
    };
    if let Err(e) = result {
        eprintln!("error: {e}");
        return std::process::ExitCode::from(2);
    }
    std::process::ExitCode::SUCCESS
}
