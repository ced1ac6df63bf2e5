//! A build's progress as it happens: the [`Observer`] a front end passes to
//! [`crate::build_notifying`] or [`crate::check_notifying`], the [`Stage`]s
//! it is told about, and the sink wrapper that counts the files a stage
//! writes. The library only reports; showing progress (a terminal bar) is
//! the front end's business.

use crate::output::Sink;
use std::io;
use std::path::Path;

/// The steps of a build that a front end may show, in the order they run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Stage {
    /// Reading, parsing and validating content files; counts files.
    Read,
    /// Rendering pages and writing them with the feeds, calendar, data
    /// exports, sitemap and search index (one pass, which shares each
    /// event's body between its page and the exports); counts files written.
    Render,
    /// Copying the theme's and the site's static files; no count.
    Static,
    /// Replacing the previous output with the new one; no count.
    Swap,
    /// `check --external`: asking servers about the sources' addresses;
    /// counts addresses.
    External,
}

/// Told about a build as it runs. Every method does nothing by default.
///
/// [`advance`](Observer::advance) is called from the worker threads, once
/// per file or page: an implementation should do no more than add to an
/// atomic counter (with relaxed ordering) and read it on a timer.
pub trait Observer: Sync {
    /// Another build holds the output folder `out`; this one waits for it.
    fn waiting(&self, _out: &Path) {}

    /// `stage` begins; `total` is how many items it will count, when known.
    /// Counting starts again from zero at each stage.
    fn stage(&self, _stage: Stage, _total: Option<usize>) {}

    /// `n` more items of the current stage are done.
    fn advance(&self, _n: usize) {}
}

/// An observer that ignores everything.
pub struct Silent;

impl Observer for Silent {}

/// A sink that passes every file on to `inner` and counts it as one item
/// done, so stages that write through a sink need no counting of their own.
pub(crate) struct Counting<'a> {
    pub inner: &'a dyn Sink,
    pub observer: &'a dyn Observer,
}

/// Whether a written file is an item of its stage: the search index's
/// parts, whose number is only known once they are written, count as one
/// item with the index's manifest.
fn counts(rel: &str) -> bool {
    !rel.starts_with(crate::urls::SEARCH_PARTS)
}

impl Sink for Counting<'_> {
    fn write(&self, rel: &str, bytes: &[u8]) -> io::Result<()> {
        let written = self.inner.write(rel, bytes);
        if counts(rel) {
            self.observer.advance(1);
        }
        written
    }

    fn write_with(
        &self,
        rel: &str,
        fill: &mut dyn FnMut(&mut dyn io::Write) -> io::Result<()>,
    ) -> io::Result<()> {
        // Passed on as is: the inner sink may stream where the default
        // method would collect the whole file in memory.
        let written = self.inner.write_with(rel, fill);
        if counts(rel) {
            self.observer.advance(1);
        }
        written
    }

    fn link(
        &self,
        rel: &str,
        from: &std::path::Path,
    ) -> io::Result<Option<crate::output::manifest::FileId>> {
        let linked = self.inner.link(rel, from);
        if matches!(linked, Ok(Some(_))) {
            self.observer.advance(1);
        }
        linked
    }

    fn written(&self, rel: &str) -> Option<crate::output::manifest::FileId> {
        self.inner.written(rel)
    }

    fn write_identified(
        &self,
        rel: &str,
        bytes: &[u8],
    ) -> io::Result<Option<crate::output::manifest::FileId>> {
        let written = self.inner.write_identified(rel, bytes);
        if counts(rel) {
            self.observer.advance(1);
        }
        written
    }

    fn keep(&self, rel: &str) -> bool {
        let kept = self.inner.keep(rel);
        if kept {
            self.observer.advance(1);
        }
        kept
    }

    fn read_back(&self, rel: &str) -> io::Result<std::fs::File> {
        self.inner.read_back(rel)
    }
}
