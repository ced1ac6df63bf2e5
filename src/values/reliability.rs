//! The reliability tier of a source: how close it stands to what it
//! reports. Keys as authors write them in `sources[].reliability`, the
//! order of badges and of the timeline's filter, and default labels
//! (`site.yaml`'s `reliability` may rename them).

/// How close a source stands to what it reports.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Tier {
    /// A primary document (a treaty text, a transcript, a joint statement).
    Primary,
    /// An official statement about the event (a ministry's readout).
    Official,
    /// A press report.
    Press,
    /// Analysis or commentary.
    Analysis,
}

impl Tier {
    pub const ALL: [Tier; 4] = [Tier::Primary, Tier::Official, Tier::Press, Tier::Analysis];
    pub const KEYS: [&'static str; 4] = ["primary", "official", "press", "analysis"];

    pub fn parse(s: &str) -> Option<Tier> {
        Tier::ALL.into_iter().find(|t| t.key() == s)
    }

    pub fn key(self) -> &'static str {
        Tier::KEYS[self.index()]
    }

    /// Its place in [`Tier::ALL`] (the order of the filter and the badges).
    pub fn index(self) -> usize {
        match self {
            Tier::Primary => 0,
            Tier::Official => 1,
            Tier::Press => 2,
            Tier::Analysis => 3,
        }
    }

    /// The label shown when `site.yaml` does not rename it.
    pub fn default_label(self) -> &'static str {
        match self {
            Tier::Primary => "Primary document",
            Tier::Official => "Official statement",
            Tier::Press => "Press report",
            Tier::Analysis => "Analysis",
        }
    }
}
