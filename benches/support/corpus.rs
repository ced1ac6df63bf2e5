//! A deterministic generator of realistic sites for benchmarks: every event
//! field, all date precisions, relations, several tracks, hundreds of
//! participants and tags, and ~250-word Markdown bodies.

// Each user (tests, benches, examples) takes only what it needs.
#![allow(dead_code)]

use annals::SitePaths;
use std::fmt::Write as _;
use std::fs;
use std::io;
use std::path::Path;

/// A small xorshift generator: deterministic for a seed, no dependency.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }

    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len())]
    }

    fn chance(&mut self, percent: usize) -> bool {
        self.below(100) < percent
    }
}

const KINDS: &[&str] = &[
    "meeting",
    "statement",
    "command-change",
    "agreement",
    "exercise",
];
const STATUSES: &[&str] = &["held", "held", "held", "announced", "planned", "cancelled"];
const COUNTRIES: &[&str] = &[
    "US", "JP", "KR", "KP", "CN", "RU", "AU", "GB", "FR", "DE", "IN", "PH", "VN", "TW", "CA",
];
/// The tracks a generated site declares.
pub const TRACKS: &[&str] = &[
    "us-japan",
    "us-rok",
    "japan-rok",
    "trilateral",
    "quad",
    "nato-indo-pacific",
];
const RELATIONS: &[&str] = &[
    "references",
    "implements",
    "builds-on",
    "follows-up",
    "responds-to",
    "supersedes",
];
const CITIES: &[&str] = &[
    "Tokyo, Japan",
    "Seoul, South Korea",
    "Washington, D.C.",
    "Canberra, Australia",
    "Manila, Philippines",
    "Brussels, Belgium",
    "Singapore",
];
const WORDS: &[&str] = &[
    "alliance",
    "deterrence",
    "ministers",
    "agreed",
    "framework",
    "regional",
    "security",
    "joint",
    "command",
    "cooperation",
    "exercise",
    "statement",
    "nuclear",
    "consultative",
    "group",
    "defence",
    "posture",
    "capabilities",
    "dialogue",
    "maritime",
    "missile",
    "readiness",
    "commitment",
    "officials",
    "reaffirmed",
    "strengthen",
    "integrated",
    "operations",
    "guidelines",
    "partners",
    "stability",
    "coordination",
    "infrastructure",
    "technology",
    "sanctions",
    "resolution",
    "assessment",
];

/// Plain words, for titles and summaries (no Markdown there).
fn plain(rng: &mut Rng, words: usize) -> String {
    let text: Vec<&str> = (0..words).map(|_| rng.pick(WORDS)).collect();
    let joined = text.join(" ");
    let mut c = joined.chars();
    match c.next() {
        Some(first) => format!("{}{}", first.to_ascii_uppercase(), c.as_str()),
        None => joined,
    }
}

fn sentence(rng: &mut Rng, words: usize) -> String {
    let mut s = String::new();
    for i in 0..words {
        let w = rng.pick(WORDS);
        if i == 0 {
            let mut c = w.chars();
            if let Some(first) = c.next() {
                s.push(first.to_ascii_uppercase());
                s.push_str(c.as_str());
            }
        } else {
            s.push(' ');
            match rng.below(20) {
                0 => write!(s, "**{w}**").unwrap_or_default(),
                1 => write!(s, "*{w}*").unwrap_or_default(),
                2 => write!(s, "[{w}](https://news.example.com/{w})").unwrap_or_default(),
                _ => s.push_str(w),
            }
        }
    }
    s.push('.');
    s
}

fn body(rng: &mut Rng, n: usize) -> String {
    let mut b = String::new();
    for p in 0..3 {
        if p == 1 {
            writeln!(b, "## {}\n", sentence(rng, 4).trim_end_matches('.')).unwrap_or_default();
        }
        let mut para = Vec::new();
        for _ in 0..4 {
            let len = 12 + rng.below(10);
            para.push(sentence(rng, len));
        }
        writeln!(b, "{}\n", para.join(" ")).unwrap_or_default();
    }
    for _ in 0..3 {
        let len = 5 + rng.below(5);
        writeln!(b, "- {}", sentence(rng, len)).unwrap_or_default();
    }
    b.push('\n');
    if n.is_multiple_of(7) {
        b.push_str(
            "| Item | Value |\n|---|---|\n| Participants | 4 |\n| Outcome | Joint statement |\n\n",
        );
    }
    if n.is_multiple_of(11) {
        b.push_str(
            "The statement was issued the same day.[^1]\n\n[^1]: As reported at the time.\n",
        );
    }
    b
}

fn date(rng: &mut Rng) -> String {
    let year = 1990 + rng.below(36);
    let month = 1 + rng.below(12);
    let day = 1 + rng.below(28);
    match rng.below(20) {
        0 => format!("{year}"),
        1 | 2 => format!("{year}-{month:02}"),
        3 => format!(
            "{year}-{month:02}-{day:02}T{:02}:00:00+09:00",
            rng.below(24)
        ),
        _ => format!("{year}-{month:02}-{day:02}"),
    }
}

fn site_yaml() -> String {
    let mut y = String::from(
        "title: Generated security talks\nbase_url: https://example.org/timeline/\ndescription: A generated corpus for benchmarks.\ntracks:\n",
    );
    for t in TRACKS {
        writeln!(y, "  {t}: {{label: {}}}", t.replace('-', " ")).unwrap_or_default();
    }
    y
}

/// Writes a site of `events` events into `dir` (which should be empty).
pub fn generate(dir: &Path, events: usize, seed: u64) -> io::Result<()> {
    let mut rng = Rng(seed.max(1).wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1);
    let paths = SitePaths::new(dir);
    fs::write(paths.config(), site_yaml())?;
    let participants: Vec<String> = (0..400)
        .map(|i| {
            format!(
                "Official {i} {}",
                ["Kim", "Tanaka", "Smith", "Lee", "Sato", "Park"][i % 6]
            )
        })
        .collect();
    for n in 0..events {
        let year_dir = paths.events().join(format!("{}", n % 50));
        fs::create_dir_all(&year_dir)?;
        let mut f = String::from("---\n");
        writeln!(f, "title: \"{} {n}\"", plain(&mut rng, 6)).unwrap_or_default();
        let start = date(&mut rng);
        writeln!(f, "date: {start}").unwrap_or_default();
        if rng.chance(5) && start.len() == 10 {
            writeln!(f, "end_date: ongoing").unwrap_or_default();
        }
        if rng.chance(5) {
            writeln!(f, "approximate: true").unwrap_or_default();
        }
        writeln!(f, "kind: {}", rng.pick(KINDS)).unwrap_or_default();
        writeln!(f, "status: {}", rng.pick(STATUSES)).unwrap_or_default();
        writeln!(f, "location: \"{}\"", rng.pick(CITIES)).unwrap_or_default();
        writeln!(
            f,
            "countries: [{}, {}]",
            rng.pick(COUNTRIES),
            rng.pick(COUNTRIES)
        )
        .unwrap_or_default();
        f.push_str("participants:\n");
        for _ in 0..(1 + rng.below(4)) {
            let p = &participants[rng.below(participants.len())];
            if rng.chance(50) {
                writeln!(
                    f,
                    "  - {{name: {p}, role: Minister, country: {}}}",
                    rng.pick(COUNTRIES)
                )
                .unwrap_or_default();
            } else {
                writeln!(f, "  - {p}").unwrap_or_default();
            }
        }
        writeln!(f, "tracks: [{}]", rng.pick(TRACKS)).unwrap_or_default();
        writeln!(
            f,
            "tags: [topic-{}, topic-{}]",
            rng.below(300),
            rng.below(300)
        )
        .unwrap_or_default();
        writeln!(f, "summary: \"{}.\"", plain(&mut rng, 18)).unwrap_or_default();
        f.push_str("sources:\n");
        writeln!(f, "  - {{title: \"Press release {n}\", publisher: Ministry of Defense, url: \"https://press.example.com/{n}\", date: 2024-07-28}}").unwrap_or_default();
        if rng.chance(40) {
            writeln!(f, "  - {{title: Wire report, publisher: Reuters}}").unwrap_or_default();
        }
        if rng.chance(30) {
            writeln!(
                f,
                "quotes:\n  - {{text: \"{}\", speaker: {}, source: 0}}",
                plain(&mut rng, 12),
                participants[rng.below(participants.len())]
            )
            .unwrap_or_default();
        }
        if n > 0 && rng.chance(60) {
            writeln!(
                f,
                "related:\n  - {{event: e{}, relation: {}}}",
                rng.below(n),
                rng.pick(RELATIONS)
            )
            .unwrap_or_default();
        }
        f.push_str("---\n");
        f.push_str(&body(&mut rng, n));
        fs::write(year_dir.join(format!("e{n}.md")), f)?;
    }
    Ok(())
}
