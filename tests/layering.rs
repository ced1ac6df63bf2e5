//! The source tree keeps the pipeline's shape: data flows one way, so a
//! stage may use the stages before it and never one after it, and no two
//! modules use each other, directly or round a longer loop.
//!
//! Dependencies are read from the `crate::…` paths in each file under
//! `src/` (test modules and comments left out), which is how every module
//! of this crate names another.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};

/// The crate's parts in pipeline order: each may use only those before it.
/// `lib` (the crate root: `build`, `check`) orchestrates the stages and
/// comes last but for the two commands that wrap it.
const ORDER: &[&str] = &[
    "diagnostic",
    "error",
    "html",
    "i18n",
    "values",
    "urls",
    "source",
    "config",
    "content",
    "model",
    "output",
    "media",
    "progress",
    "stopwatch",
    "exports",
    "render",
    "statics",
    "editions",
    "scaffold",
    "import",
    "external",
    "lib",
    "deploy",
    "serve",
    "cli",
];

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in fs::read_dir(dir).expect("read src") {
        let path = entry.expect("entry").path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// `src/render/mod.rs` → `render`, `src/values/dates.rs` → `values::dates`.
fn module_of(src: &Path, file: &Path) -> String {
    let rel = file
        .strip_prefix(src)
        .expect("under src")
        .with_extension("");
    let mut parts: Vec<String> = rel
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    if parts.last().is_some_and(|p| p == "mod") {
        parts.pop();
    }
    parts.join("::")
}

/// The code of a file without comments and without its test module.
fn code_of(text: &str) -> String {
    let text = text.split("#[cfg(test)]").next().unwrap_or("");
    text.lines()
        .map(|line| match line.find("//") {
            Some(at) => &line[..at],
            None => line,
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// Every `crate::a::b::…` path of `code`, as its segments.
fn crate_paths(code: &str) -> Vec<Vec<String>> {
    let mut found = Vec::new();
    let mut rest = code;
    while let Some(at) = rest.find("crate::") {
        let before = rest[..at].chars().next_back();
        rest = &rest[at + "crate::".len()..];
        if before.is_some_and(|c| c.is_alphanumeric() || c == '_') {
            continue;
        }
        let end = rest
            .find(|c: char| !(c.is_alphanumeric() || c == '_' || c == ':'))
            .unwrap_or(rest.len());
        let segments: Vec<String> = rest[..end]
            .split("::")
            .filter(|s| !s.is_empty())
            .map(str::to_owned)
            .collect();
        if segments.is_empty() {
            // `crate::{A, B}`: items of the crate root.
            found.push(vec![String::new()]);
        } else {
            found.push(segments);
        }
    }
    found
}

struct Graph {
    /// Module → the modules it uses.
    edges: BTreeMap<String, BTreeSet<String>>,
}

fn graph() -> Graph {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    let modules: BTreeSet<String> = files
        .iter()
        .map(|f| module_of(&src, f))
        .filter(|m| m != "main")
        .collect();
    let mut edges = BTreeMap::new();
    for file in &files {
        let module = module_of(&src, file);
        if module == "main" {
            continue;
        }
        let code = code_of(&fs::read_to_string(file).expect("read source"));
        let mut used = BTreeSet::new();
        for path in crate_paths(&code) {
            // The longest prefix that names a module; else the crate root.
            let target = (1..=path.len())
                .rev()
                .map(|n| path[..n].join("::"))
                .find(|m| modules.contains(m))
                .unwrap_or_else(|| "lib".to_owned());
            if target != module {
                used.insert(target);
            }
        }
        edges.insert(module, used);
    }
    Graph { edges }
}

fn part_of(module: &str) -> &str {
    module.split("::").next().unwrap_or(module)
}

#[test]
fn every_part_is_placed_in_the_pipeline_order() {
    let g = graph();
    let unplaced: BTreeSet<&str> = g
        .edges
        .keys()
        .map(|m| part_of(m))
        .filter(|p| !ORDER.contains(p))
        .collect();
    assert!(
        unplaced.is_empty(),
        "parts of src/ missing from ORDER in tests/layering.rs: {unplaced:?}"
    );
}

#[test]
fn stages_use_only_earlier_stages() {
    let g = graph();
    let rank = |part: &str| ORDER.iter().position(|p| *p == part);
    let mut wrong = Vec::new();
    for (module, used) in &g.edges {
        let here = part_of(module);
        for target in used {
            let there = part_of(target);
            if there == here {
                continue;
            }
            if let (Some(a), Some(b)) = (rank(here), rank(there))
                && b > a
            {
                wrong.push(format!("{module} uses {target} (a later stage)"));
            }
        }
    }
    assert!(
        wrong.is_empty(),
        "dependencies against the flow:\n{}",
        wrong.join("\n")
    );
}

#[test]
fn no_module_uses_itself_round_a_loop() {
    let g = graph();
    // Depth-first search with colours; a grey target closes a cycle.
    #[derive(Clone, Copy, PartialEq)]
    enum Colour {
        White,
        Grey,
        Black,
    }
    let mut colour: BTreeMap<&str, Colour> = g
        .edges
        .keys()
        .map(|m| (m.as_str(), Colour::White))
        .collect();
    let mut cycles = Vec::new();
    fn visit<'g>(
        m: &'g str,
        g: &'g Graph,
        colour: &mut BTreeMap<&'g str, Colour>,
        stack: &mut Vec<&'g str>,
        cycles: &mut Vec<String>,
    ) {
        colour.insert(m, Colour::Grey);
        stack.push(m);
        for next in g.edges.get(m).into_iter().flatten() {
            match colour.get(next.as_str()).copied() {
                Some(Colour::White) => visit(next, g, colour, stack, cycles),
                Some(Colour::Grey) => {
                    let from = stack.iter().position(|s| *s == next).unwrap_or(0);
                    let mut loop_ = stack[from..].to_vec();
                    loop_.push(next);
                    cycles.push(loop_.join(" → "));
                }
                _ => {}
            }
        }
        stack.pop();
        colour.insert(m, Colour::Black);
    }
    let modules: Vec<&str> = g.edges.keys().map(String::as_str).collect();
    for m in modules {
        if colour.get(m) == Some(&Colour::White) {
            visit(m, &g, &mut colour, &mut Vec::new(), &mut cycles);
        }
    }
    assert!(cycles.is_empty(), "import cycles:\n{}", cycles.join("\n"));
}

#[test]
fn the_reader_finds_the_paths_it_checks() {
    // Guards the checks above against reading nothing.
    let g = graph();
    let validate = &g.edges["content::validate"];
    assert!(validate.contains("source::reader"), "{validate:?}");
    assert!(g.edges["serve::live"].contains("lib"));
    assert!(g.edges.len() > 40, "{} modules", g.edges.len());
    let paths =
        crate_paths("use crate::{A, B};\nlet x = crate::values::dates::parse(); // crate::no\n");
    assert_eq!(paths.len(), 3);
    assert_eq!(
        code_of("a // crate::x\n#[cfg(test)]\nmod t { crate::y }").trim(),
        "a"
    );
}
