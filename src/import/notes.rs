//! The importer's notes: what was mapped loosely or left out, one line
//! per kind of note with how many entries it concerns and the first few
//! examples (headlines, or the values concerned), in the order first met.

/// Notes gathered while importing.
#[derive(Debug, Default)]
pub struct Notes {
    groups: Vec<Group>,
}

#[derive(Debug)]
struct Group {
    /// Said after the count: "events name a group that is not a track".
    what: String,
    /// What follows the examples: "; they became tags …".
    then: String,
    count: usize,
    examples: Vec<String>,
}

/// How many examples a line shows.
const SHOWN: usize = 3;

impl Notes {
    /// Counts one entry under the note `what … then`, with `example`
    /// (a headline, or the value concerned; repeated ones are shown once).
    pub fn add(&mut self, what: &str, then: &str, example: &str) {
        let at = match self
            .groups
            .iter()
            .position(|g| g.what == what && g.then == then)
        {
            Some(i) => i,
            None => {
                self.groups.push(Group {
                    what: what.into(),
                    then: then.into(),
                    count: 0,
                    examples: Vec::new(),
                });
                self.groups.len() - 1
            }
        };
        let g = &mut self.groups[at];
        g.count += 1;
        if !g.examples.iter().any(|e| e == example) {
            g.examples.push(example.to_string());
        }
    }

    /// Adds another set of notes (one entry's) to these.
    pub fn absorb(&mut self, other: Notes) {
        for g in other.groups {
            if g.count == 0 {
                self.groups.push(g);
                continue;
            }
            match self
                .groups
                .iter_mut()
                .find(|x| x.what == g.what && x.then == g.then)
            {
                Some(x) => {
                    x.count += g.count;
                    for e in g.examples {
                        if !x.examples.contains(&e) {
                            x.examples.push(e);
                        }
                    }
                }
                None => self.groups.push(g),
            }
        }
    }

    /// A note that concerns the file as a whole.
    pub fn once(&mut self, text: String) {
        self.groups.push(Group {
            what: text,
            then: String::new(),
            count: 0,
            examples: Vec::new(),
        });
    }

    /// The lines, in the order their notes were first met.
    pub fn lines(&self) -> Vec<String> {
        self.groups
            .iter()
            .map(|g| {
                if g.count == 0 {
                    return g.what.clone();
                }
                let noun = if g.count == 1 { "event" } else { "events" };
                let what = if g.count == 1 {
                    singular(&g.what)
                } else {
                    g.what.clone()
                };
                let mut shown: Vec<String> = g
                    .examples
                    .iter()
                    .take(SHOWN)
                    .map(|e| format!("\"{}\"", short(e)))
                    .collect();
                if g.examples.len() > SHOWN {
                    shown.push("…".into());
                }
                let eg = if g.count == 1 && g.examples.len() == 1 {
                    format!(" ({})", shown.join(", "))
                } else {
                    format!(" (e.g. {})", shown.join(", "))
                };
                let then = if g.count == 1 {
                    g.then.replace("; they ", "; it ").replace("their ", "its ")
                } else {
                    g.then.clone()
                };
                format!("{} {noun} {what}{eg}{then}", g.count)
            })
            .collect()
    }
}

/// "have" → "has", "name" → "names": the note's verb for one event.
fn singular(what: &str) -> String {
    let (verb, rest) = what.split_once(' ').unwrap_or((what, ""));
    let verb = match verb {
        "have" => "has".to_string(),
        "are" => "is".to_string(),
        "were" => "was".to_string(),
        v if v.ends_with('s') || v.ends_with("ed") => v.to_string(),
        v => format!("{v}s"),
    };
    if rest.is_empty() {
        verb
    } else {
        format!("{verb} {rest}")
    }
}

fn short(text: &str) -> String {
    const MAX: usize = 60;
    if text.chars().count() <= MAX {
        text.to_string()
    } else {
        let cut: String = text.chars().take(MAX - 1).collect();
        format!("{}…", cut.trim_end())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn groups_by_kind() {
        let mut n = Notes::default();
        for g in ["Foo", "Bar", "Foo", "Baz", "Qux"] {
            n.add("name a group that is not a track", "; they became tags", g);
        }
        n.add("have no text", "; the headline is the summary", "Ada");
        assert_eq!(
            n.lines(),
            [
                "5 events name a group that is not a track (e.g. \"Foo\", \"Bar\", \"Baz\", …); they became tags",
                "1 event has no text (\"Ada\"); the headline is the summary"
            ]
        );
    }
}
