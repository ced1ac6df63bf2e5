//! An export file held as values until it is whole, so that a rebuild can
//! tell from its fingerprint (the digest of its frame and of each value,
//! see `output::digest`) whether the previous build's file still stands,
//! and write it only when it does not. Taking a value's digest costs a
//! fraction of writing it out as JSON, and at archive scale most of a
//! rebuild's files (a year's TimelineJS parts) are as they were.

use super::Ctx;
use crate::error::Error;
use crate::output::manifest::Fingerprint;
use serde::Serialize;
use xxhash_rust::xxh3::Xxh3;

/// The most values a held file may hold: a larger one is streamed as it
/// comes and written on every build, so memory stays bounded whatever
/// the site's settings.
pub(super) const MOST_HELD: usize = 2_048;

pub(super) struct HeldPart<T> {
    rel: String,
    /// Head, separator between two values, tail.
    frame: [Vec<u8>; 3],
    values: Vec<T>,
    /// Over the frame and each value's digest; `None` once a value has no
    /// digest (the file is then always written).
    digest: Option<Xxh3>,
}

impl<T: Serialize> HeldPart<T> {
    pub fn new(rel: String, frame: [Vec<u8>; 3], capacity: usize) -> HeldPart<T> {
        let mut digest = Xxh3::new();
        for piece in &frame {
            digest.update(&(piece.len() as u64).to_le_bytes());
            digest.update(piece);
        }
        HeldPart {
            rel,
            frame,
            values: Vec::with_capacity(capacity),
            digest: Some(digest),
        }
    }

    pub fn push(&mut self, value: T) {
        if let Some(digest) = &mut self.digest {
            match crate::output::digest::of(&value) {
                Some(d) => digest.update(&d.to_le_bytes()),
                None => self.digest = None,
            }
        }
        self.values.push(value);
    }

    /// Keeps the previous build's file when its fingerprint is this one's,
    /// else writes the file (head, the values as compact JSON with the
    /// separator between two, tail) and records it under its fingerprint.
    pub fn finish(self, ctx: &Ctx) -> Result<(), Error> {
        let HeldPart {
            rel,
            frame: [head, separator, tail],
            values,
            digest,
        } = self;
        let fingerprint: Option<Fingerprint> = digest.map(|d| d.digest128());
        if ctx.reuse_file(&rel, fingerprint) {
            return Ok(());
        }
        ctx.put_with(&rel, |w| {
            w.write_all(&head)?;
            for (n, value) in values.iter().enumerate() {
                if n > 0 {
                    w.write_all(&separator)?;
                }
                serde_json::to_writer(&mut *w, value).map_err(std::io::Error::other)?;
            }
            w.write_all(&tail)
        })?;
        ctx.record_file(&rel, fingerprint);
        Ok(())
    }
}
