//! Model stage: the whole site as data — events in chronological order,
//! taxonomies with their terms, relations resolved both ways, years.
//! Computed once per build; rendering only reads it.

use crate::config::Config;
use crate::content::event::{Event, Page};
use crate::values::slug;
use crate::values::taxonomy::TaxonomyKind;
use rayon::slice::ParallelSliceMut;
use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

pub mod edition;
pub mod inputs;
pub mod updated;

#[derive(Debug, Clone)]
pub struct Term {
    /// Identity used to match events to the term (code, key, folded name).
    pub id: String,
    /// Path segment under the taxonomy folder.
    pub slug: String,
    pub label: String,
    pub description: Option<String>,
    /// Roles seen for a participant ("U.S. Secretary of Defense").
    pub roles: Vec<String>,
    /// A participant's name in its own script, from any event that gives
    /// it (`content::native` makes sure they agree).
    pub native: Option<Box<crate::content::native::Native>>,
    /// Indexes into `Site::events`, chronological.
    pub events: Vec<usize>,
}

/// A term's index by its id. Looked up for every term of every event on
/// every page that shows it, so with a faster hash than std's SipHash
/// (ids come from the site's own files, not from a network peer).
type TermIndex = HashMap<String, usize, ahash::RandomState>;

#[derive(Debug, Clone)]
pub struct Taxonomy {
    pub kind: TaxonomyKind,
    pub terms: Vec<Term>,
    by_id: TermIndex,
}

impl Taxonomy {
    pub fn term(&self, id: &str) -> Option<&Term> {
        self.by_id.get(id).map(|&i| &self.terms[i])
    }

    /// Index in `terms` of the term with this identity.
    pub fn position(&self, id: &str) -> Option<usize> {
        self.by_id.get(id).copied()
    }
}

/// Related events under one label ("References", "Referenced by"). Held
/// for every event to the end of a build, so each label is shared by every
/// group under it and the events take no spare room.
#[derive(Debug, Clone)]
pub struct RelationGroup {
    pub label: Arc<str>,
    pub events: Box<[usize]>,
}

/// One site-wide citation file pair: its stem (none for the root files),
/// the year it covers (none for the root files) and its events.
pub type CitationPart = (Option<String>, Option<i32>, std::ops::Range<usize>);

#[derive(Debug)]
pub struct Site {
    pub config: Config,
    /// Chronological (oldest first), whatever the display order.
    /// Shared with `serve`'s file cache, so a rebuild does not copy them.
    pub events: Vec<Arc<Event>>,
    pub pages: Vec<Page>,
    /// The periods of `site.yaml` and `content/periods/`, sorted by start.
    pub periods: Vec<crate::config::Period>,
    pub taxonomies: Vec<Taxonomy>,
    /// Per event (same index), its relations in both directions.
    pub relations: Vec<Box<[RelationGroup]>>,
    /// Years with their events, ascending. Events are sorted by date,
    /// year first, so each year's events are a consecutive run of
    /// `events`, in order (exports write a year's file beside the whole
    /// one as they go).
    pub years: Vec<(i32, Vec<usize>)>,
    /// Problems that do not stop a build (errors in `annals check`).
    pub warnings: Vec<crate::diagnostic::Diagnostic>,
    /// The published name of each of the theme's fingerprinted assets
    /// (`assets/annals.css` → `assets/annals.1a2b3c4d.css`), set once the
    /// static files are loaded; empty until then, and a missing entry
    /// means the plain name.
    pub assets: std::collections::BTreeMap<String, String>,
    /// What the media stage learnt of each local media file, by its path
    /// on disk (see `crate::media`); empty until then, and a missing
    /// entry means a file shown without its size.
    pub media: HashMap<std::path::PathBuf, crate::content::media::FileFacts>,
    /// Per event (same index), when it last changed (see [`updated`]):
    /// from its own fields at first, from git too once
    /// [`updated::from_git`] has run.
    pub updated: Vec<Option<crate::values::dates::EventDate>>,
    /// Which language edition this is, in a site with `languages:`
    /// (see [`edition`]); `None` for a site of one language.
    pub edition: Option<edition::Edition>,
    /// How the site-wide citation files are cut into parts (each part's
    /// file stem, year and events), which takes making every event's
    /// entries: worked out by the exports once, on first use, by which time
    /// the site is complete, and shared by the files' paths and their
    /// writing. Plain values, so the model names no export type.
    pub citation_parts: std::sync::OnceLock<Vec<CitationPart>>,
    /// What each event and the rest of the site are made of (see
    /// [`inputs`]): worked out on first use, once the media and assets are
    /// known, for incremental builds.
    pub inputs: std::sync::OnceLock<inputs::Inputs>,
}

impl Site {
    /// What each event and the rest of the site are made of (see [`inputs`]).
    pub fn inputs(&self) -> &inputs::Inputs {
        self.inputs.get_or_init(|| inputs::Inputs::of(self))
    }

    pub fn taxonomy(&self, kind: TaxonomyKind) -> &Taxonomy {
        // Built for every kind in `TaxonomyKind::ALL`, in that order.
        &self.taxonomies[kind.index()]
    }
}

struct TermBuilder {
    terms: Vec<Term>,
    by_id: TermIndex,
}

impl TermBuilder {
    fn new() -> TermBuilder {
        TermBuilder {
            terms: Vec::new(),
            by_id: TermIndex::default(),
        }
    }

    /// Adds `event` to the term `id`, made with the label `label()` when
    /// this is its first event (the label is worked out only then).
    fn add(&mut self, id: &str, label: impl FnOnce() -> String, event: usize) -> &mut Term {
        let i = match self.by_id.get(id) {
            Some(&i) => i,
            None => {
                self.terms.push(Term {
                    id: id.to_string(),
                    slug: String::new(),
                    label: label(),
                    description: None,
                    roles: Vec::new(),
                    native: None,
                    events: Vec::new(),
                });
                self.by_id.insert(id.to_string(), self.terms.len() - 1);
                self.terms.len() - 1
            }
        };
        let term = &mut self.terms[i];
        if term.events.last() != Some(&event) {
            term.events.push(event);
        }
        term
    }

    /// Orders terms, assigns unique slugs, and freezes the index.
    fn finish(
        mut self,
        kind: TaxonomyKind,
        order: impl Fn(&Term, &Term) -> std::cmp::Ordering,
    ) -> Taxonomy {
        self.terms.sort_by(order);
        let mut used: HashMap<String, usize> = HashMap::new();
        for (n, term) in self.terms.iter_mut().enumerate() {
            let base = match kind {
                TaxonomyKind::Countries => term.id.to_lowercase(),
                _ => slug::slugify(&term.id),
            };
            let base = if base.is_empty() {
                format!("{}-{}", kind.key(), n + 1)
            } else {
                base
            };
            let count = used.entry(base.clone()).or_insert(0);
            *count += 1;
            term.slug = if *count == 1 {
                base
            } else {
                format!("{base}-{count}")
            };
        }
        let by_id = self
            .terms
            .iter()
            .enumerate()
            .map(|(i, t)| (t.id.clone(), i))
            .collect();
        Taxonomy {
            kind,
            terms: self.terms,
            by_id,
        }
    }
}

/// Builds the site model from validated events and pages.
pub fn build(
    config: Config,
    mut events: Vec<Arc<Event>>,
    mut pages: Vec<Page>,
    periods: Vec<crate::config::Period>,
    include_drafts: bool,
) -> Site {
    if !include_drafts {
        events.retain(|e| !e.draft);
        pages.retain(|p| !p.draft);
    }
    // On every core: at archive scale a preview sorts the whole site on
    // each change (the order is the same as a one-core stable sort's).
    events.par_sort_by(|a, b| {
        a.date
            .cmp(&b.date)
            .then_with(|| a.title.cmp(&b.title))
            .then_with(|| a.slug.cmp(&b.slug))
    });
    pages.sort_by(|a, b| a.title.cmp(&b.title));

    let mut kinds = TermBuilder::new();
    let mut countries = TermBuilder::new();
    let mut tracks = TermBuilder::new();
    let mut participants = TermBuilder::new();
    let mut tags = TermBuilder::new();
    let mut years: BTreeMap<i32, Vec<usize>> = BTreeMap::new();
    for (i, e) in events.iter().enumerate() {
        let kind_label = || {
            config
                .kind(&e.kind)
                .map_or(&*e.kind, |k| &k.label)
                .to_string()
        };
        kinds.add(&e.kind, kind_label, i);
        for c in &e.countries {
            countries.add(c, || config.country_label(c), i);
        }
        for t in &e.tracks {
            let label = || {
                config
                    .track(t)
                    .map_or(&**t, |d| d.label.as_str())
                    .to_string()
            };
            tracks.add(t, label, i);
        }
        for p in &e.participants {
            let term = participants.add(&p.id, || p.name.to_string(), i);
            if term.native.is_none() {
                term.native.clone_from(&p.native);
            }
            if let Some(role) = &p.role
                && !term.roles.iter().any(|r| **r == **role)
            {
                term.roles.push(role.to_string());
            }
        }
        for crate::content::event::Tag { name: t, id } in &e.tags {
            tags.add(id, || config.tag_label(id, t), i);
        }
        years.entry(e.date.year).or_default().push(i);
    }
    let position = |defs: &[crate::config::TermDef], id: &str| {
        defs.iter().position(|d| d.key == id).unwrap_or(usize::MAX)
    };
    let by_label = |a: &Term, b: &Term| {
        a.label
            .to_lowercase()
            .cmp(&b.label.to_lowercase())
            .then(a.id.cmp(&b.id))
    };
    let mut kinds = kinds.finish(TaxonomyKind::Kinds, |a, b| {
        position(&config.kinds, &a.id).cmp(&position(&config.kinds, &b.id))
    });
    for t in &mut kinds.terms {
        t.description = config.kind(&t.id).and_then(|d| d.description.clone());
    }
    let mut tags = tags.finish(TaxonomyKind::Tags, by_label);
    for t in &mut tags.terms {
        t.description = config
            .tags
            .iter()
            .find(|d| d.key == t.id)
            .and_then(|d| d.description.clone());
    }
    let mut tracks = tracks.finish(TaxonomyKind::Tracks, |a, b| {
        position(&config.tracks, &a.id).cmp(&position(&config.tracks, &b.id))
    });
    for t in &mut tracks.terms {
        t.description = config.track(&t.id).and_then(|d| d.description.clone());
    }
    let taxonomies = vec![
        kinds,
        countries.finish(TaxonomyKind::Countries, by_label),
        tracks,
        participants.finish(TaxonomyKind::Participants, by_label),
        tags,
    ];

    let relations = resolve_relations(&config, &events);
    let updated = updated::compute(&events, None);
    Site {
        config,
        events,
        pages,
        periods,
        taxonomies,
        relations,
        years: years.into_iter().collect(),
        warnings: Vec::new(),
        assets: Default::default(),
        media: HashMap::new(),
        updated,
        edition: None,
        citation_parts: Default::default(),
        inputs: Default::default(),
    }
}

fn resolve_relations(config: &Config, events: &[Arc<Event>]) -> Vec<Box<[RelationGroup]>> {
    let index: HashMap<&str, usize> = events
        .iter()
        .enumerate()
        .map(|(i, e)| (&*e.slug, i))
        .collect();
    // Every relation both ways as (event, relation order, forward?, other
    // event): sorted, they give each event's groups in vocabulary order
    // (an inverse group before its forward one), each group's events in
    // site order, each once. A flat list, not a map per event: at archive
    // scale a map's node per event would take a few hundred bytes each.
    let mut ends: Vec<(usize, usize, bool, usize)> = Vec::new();
    for (from, e) in events.iter().enumerate() {
        for r in &e.related {
            // Targets that are unpublished drafts are left out of the site.
            let Some(&to) = index.get(&*r.event) else {
                continue;
            };
            let rank = config
                .relations
                .iter()
                .position(|d| *d.key == *r.relation)
                .unwrap_or(usize::MAX);
            ends.push((from, rank, true, to));
            ends.push((to, rank, false, from));
        }
    }
    drop(index);
    ends.sort_unstable();
    ends.dedup();
    // Each label made once: (forward, inverse) by rank.
    let labels: Vec<(Arc<str>, Arc<str>)> = config
        .relations
        .iter()
        .map(|d| (Arc::from(d.label.as_str()), Arc::from(d.inverse.as_str())))
        .collect();
    let related: Arc<str> = Arc::from("Related");
    let mut relations: Vec<Box<[RelationGroup]>> = events.iter().map(|_| Box::default()).collect();
    for of_one in ends.chunk_by(|a, b| a.0 == b.0) {
        relations[of_one[0].0] = of_one
            .chunk_by(|a, b| (a.1, a.2) == (b.1, b.2))
            .map(|group| {
                let (_, rank, forward, _) = group[0];
                let label = match (labels.get(rank), forward) {
                    (Some((label, _)), true) => label,
                    (Some((_, inverse)), false) => inverse,
                    (None, _) => &related,
                };
                RelationGroup {
                    label: Arc::clone(label),
                    events: group.iter().map(|end| end.3).collect(),
                }
            })
            .collect();
    }
    relations
}
