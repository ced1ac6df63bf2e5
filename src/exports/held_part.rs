//! An export file held until it is whole, so that a rebuild can tell from
//! its fingerprint (the digest of its frame and of a key for each of its
//! values) whether the previous build's file still stands, and make and
//! write its values only when it does not. A value's key is the digest of
//! what the value is made of (see `model::inputs`), which costs a fraction
//! of making the value, and at archive scale most of a rebuild's files (a
//! year's TimelineJS parts) are as they were.

use super::Ctx;
use crate::error::Error;
use crate::output::manifest::Fingerprint;
use serde::Serialize;
use xxhash_rust::xxh3::Xxh3;

/// The most values a held file may hold: a larger one is streamed as it
/// comes and written on every build, so memory stays bounded whatever
/// the site's settings.
pub(super) const MOST_HELD: usize = 2_048;

/// A file of values made from items of type `H`, held as those items.
pub(super) struct HeldPart<H> {
    rel: String,
    /// Head, separator between two values, tail.
    frame: [Vec<u8>; 3],
    items: Vec<H>,
    /// Over the frame and each item's key; `None` once an item has no key
    /// (the file is then always written).
    digest: Option<Xxh3>,
}

impl<H> HeldPart<H> {
    pub fn new(rel: String, frame: [Vec<u8>; 3], capacity: usize) -> HeldPart<H> {
        let mut digest = Xxh3::new();
        for piece in &frame {
            digest.update(&(piece.len() as u64).to_le_bytes());
            digest.update(piece);
        }
        HeldPart {
            rel,
            frame,
            items: Vec::with_capacity(capacity),
            digest: Some(digest),
        }
    }

    /// Holds `item`, whose value `key` stands for: two items with the same
    /// key make the same value.
    pub fn push(&mut self, item: H, key: Option<u128>) {
        match (&mut self.digest, key) {
            (Some(digest), Some(key)) => digest.update(&key.to_le_bytes()),
            _ => self.digest = None,
        }
        self.items.push(item);
    }

    /// Keeps the previous build's file when its fingerprint is this one's,
    /// else makes each item's value with `make` and writes the file (head,
    /// the values as compact JSON with the separator between two, tail),
    /// recorded under its fingerprint.
    pub fn finish<T: Serialize>(self, ctx: &Ctx, make: impl Fn(&H) -> T) -> Result<(), Error> {
        let HeldPart {
            rel,
            frame: [head, separator, tail],
            items,
            digest,
        } = self;
        let fingerprint: Option<Fingerprint> = digest.map(|d| d.digest128());
        if ctx.reuse_file(&rel, fingerprint) {
            return Ok(());
        }
        ctx.put_with(&rel, |w| {
            w.write_all(&head)?;
            for (n, item) in items.iter().enumerate() {
                if n > 0 {
                    w.write_all(&separator)?;
                }
                serde_json::to_writer(&mut *w, &make(item)).map_err(std::io::Error::other)?;
            }
            w.write_all(&tail)
        })?;
        ctx.record_file(&rel, fingerprint);
        Ok(())
    }
}
