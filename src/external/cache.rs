//! The results of earlier link checks, in `.annals-external.json` in the
//! site folder, so a re-run asks again only about addresses whose result
//! is older than the time-to-live. Only working addresses are kept: a
//! broken one is asked about again on every run, so a fix (or a server
//! back up) shows at once. A missing, unreadable or corrupt file counts as
//! empty; the file is written whole to a temporary name, then renamed.

use super::outcome::Outcome;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// Changes when the meaning of an entry changes; another version is ignored.
const VERSION: u32 = 1;

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Entry {
    /// When the address was checked, in seconds since the Unix epoch.
    pub checked: u64,
    pub outcome: Outcome,
}

#[derive(Debug, Default, Serialize, Deserialize)]
struct File {
    version: u32,
    entries: BTreeMap<String, Entry>,
}

pub struct Cache {
    path: PathBuf,
    entries: BTreeMap<String, Entry>,
}

/// Seconds since the Unix epoch.
pub fn now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs())
}

impl Cache {
    /// The cache at `path`, empty when it cannot be read or understood.
    pub fn open(path: &Path) -> Cache {
        let entries = std::fs::read(path)
            .ok()
            .and_then(|bytes| serde_json::from_slice::<File>(&bytes).ok())
            .filter(|file| file.version == VERSION)
            .map(|file| file.entries)
            .unwrap_or_default();
        Cache {
            path: path.to_path_buf(),
            entries,
        }
    }

    /// The result for `address` if it is younger than `ttl` (a result from
    /// the future, after the clock was set back, is not trusted).
    pub fn fresh(&self, address: &str, ttl: Duration, now: u64) -> Option<&Outcome> {
        let entry = self.entries.get(address)?;
        let age = now.checked_sub(entry.checked)?;
        (!ttl.is_zero() && age < ttl.as_secs() && !entry.outcome.is_broken())
            .then_some(&entry.outcome)
    }

    /// Records a new result: a working address is kept, a broken one
    /// forgotten.
    pub fn record(&mut self, address: &str, outcome: &Outcome, now: u64) {
        if outcome.is_broken() {
            self.entries.remove(address);
        } else {
            let entry = Entry {
                checked: now,
                outcome: outcome.clone(),
            };
            self.entries.insert(address.to_string(), entry);
        }
    }

    /// Writes the cache, leaving out entries older than `keep` (results
    /// no run would use again), through a temporary file and a rename so
    /// that a reader never sees half a file.
    pub fn store(mut self, keep: Duration, now: u64) -> std::io::Result<()> {
        self.entries
            .retain(|_, e| now.saturating_sub(e.checked) < keep.as_secs().max(1));
        let file = File {
            version: VERSION,
            entries: self.entries,
        };
        let bytes = serde_json::to_vec_pretty(&file).map_err(std::io::Error::other)?;
        let name = self
            .path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let temp = self
            .path
            .with_file_name(format!(".{name}.{}.tmp", std::process::id()));
        std::fs::write(&temp, bytes)?;
        std::fs::rename(&temp, &self.path).inspect_err(|_| {
            let _ = std::fs::remove_file(&temp);
        })
    }
}
