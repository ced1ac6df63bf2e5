//! A [`Sink`] that writes another under a folder: a language edition's
//! pages and exports are made with the paths of a one-language site and
//! land under `<lang>/` of the same staging folder.

use super::{Sink, manifest};
use std::io;
use std::path::Path;

pub struct Prefixed<'s> {
    pub inner: &'s dyn Sink,
    /// The folder, ending in `/` (`ja/`).
    pub prefix: String,
}

impl Prefixed<'_> {
    fn at(&self, rel: &str) -> String {
        format!("{}{rel}", self.prefix)
    }
}

impl Sink for Prefixed<'_> {
    fn write(&self, rel: &str, bytes: &[u8]) -> io::Result<()> {
        self.inner.write(&self.at(rel), bytes)
    }

    fn write_with(
        &self,
        rel: &str,
        fill: &mut dyn FnMut(&mut dyn io::Write) -> io::Result<()>,
    ) -> io::Result<()> {
        self.inner.write_with(&self.at(rel), fill)
    }

    fn link(&self, rel: &str, from: &Path) -> io::Result<Option<manifest::FileId>> {
        self.inner.link(&self.at(rel), from)
    }

    fn written(&self, rel: &str) -> Option<manifest::FileId> {
        self.inner.written(&self.at(rel))
    }

    fn write_identified(&self, rel: &str, bytes: &[u8]) -> io::Result<Option<manifest::FileId>> {
        self.inner.write_identified(&self.at(rel), bytes)
    }

    fn keep(&self, rel: &str) -> bool {
        self.inner.keep(&self.at(rel))
    }

    fn read_back(&self, rel: &str) -> io::Result<std::fs::File> {
        self.inner.read_back(&self.at(rel))
    }
}
