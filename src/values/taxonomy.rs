//! The five browse-by dimensions (kinds, countries, tracks, participants,
//! tags): their order, their names, and the key that is both their output
//! folder and their filter name.

/// The five browse-by dimensions, in the order they are shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum TaxonomyKind {
    Kinds,
    Countries,
    Tracks,
    Participants,
    Tags,
}

impl TaxonomyKind {
    pub const ALL: [TaxonomyKind; 5] = [
        TaxonomyKind::Kinds,
        TaxonomyKind::Countries,
        TaxonomyKind::Tracks,
        TaxonomyKind::Participants,
        TaxonomyKind::Tags,
    ];

    /// Position in [`TaxonomyKind::ALL`] (and in `Site::taxonomies`).
    pub fn index(self) -> usize {
        match self {
            TaxonomyKind::Kinds => 0,
            TaxonomyKind::Countries => 1,
            TaxonomyKind::Tracks => 2,
            TaxonomyKind::Participants => 3,
            TaxonomyKind::Tags => 4,
        }
    }

    /// Output folder and filter name.
    pub fn key(self) -> &'static str {
        match self {
            TaxonomyKind::Kinds => "kinds",
            TaxonomyKind::Countries => "countries",
            TaxonomyKind::Tracks => "tracks",
            TaxonomyKind::Participants => "participants",
            TaxonomyKind::Tags => "tags",
        }
    }

    /// The translation key of its name ("Kinds", "種類").
    pub fn title_key(self) -> &'static str {
        match self {
            TaxonomyKind::Kinds => "taxonomy-kinds",
            TaxonomyKind::Countries => "taxonomy-countries",
            TaxonomyKind::Tracks => "taxonomy-tracks",
            TaxonomyKind::Participants => "taxonomy-participants",
            TaxonomyKind::Tags => "taxonomy-tags",
        }
    }

    /// The translation key of its singular name ("Kind").
    pub fn singular_key(self) -> &'static str {
        match self {
            TaxonomyKind::Kinds => "taxonomy-kind",
            TaxonomyKind::Countries => "taxonomy-country",
            TaxonomyKind::Tracks => "taxonomy-track",
            TaxonomyKind::Participants => "taxonomy-participant",
            TaxonomyKind::Tags => "taxonomy-tag",
        }
    }
}
