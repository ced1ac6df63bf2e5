//! What a rebuild reads of the previous generations before it writes
//! anything: the retained folder's manifest and walk (see [`super::retain`])
//! and the output's manifest, read on a thread of their own from the moment
//! the build knows its global fingerprint, while the content is read,
//! parsed and modelled. At archive scale the walk alone reads a hundred
//! thousand folders and stats every file in them, and the model is made
//! mostly on one core: run one after the other, a rebuild waited for both.
//!
//! Nothing is moved or renamed here: the folders stay under their own names
//! until [`super::Staging::prepare`] takes the retained folder over, so a
//! build that stops before that (a content error) leaves both generations
//! exactly as they were. The walk only removes what no build writes (a
//! symbolic link, a name that is not UTF-8), which no manifest records.

use super::manifest::{Fingerprint, Previous};
use super::retain::{self, Found};
use std::fs;
use std::io;
use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::thread::JoinHandle;

/// The retained folder as the survey found it: its manifest when one
/// applies under the build's global fingerprint, and what the folder holds.
pub struct Retained {
    pub manifest: Option<Previous>,
    pub found: Found,
}

/// What the survey read.
pub struct Surveyed {
    /// `None` when there was no retained folder (or something other than a
    /// folder under its name, which taking it over removes).
    pub retained: Option<Retained>,
    /// The output's own manifest, when one applies.
    pub live: Option<Previous>,
}

/// The survey under way. Dropped unfinished (the build stopped early), it
/// stops the walk at its next folder and waits for the thread, so nothing
/// of it outlives the build's hold on the output.
pub struct Survey {
    thread: Option<JoinHandle<io::Result<Surveyed>>>,
    stop: Arc<AtomicBool>,
}

impl Survey {
    /// Starts reading the previous generations of the output `out`, whose
    /// lock the caller holds, under the build's global fingerprint.
    pub fn start(out: &Path, global: Fingerprint) -> Survey {
        let stop = Arc::new(AtomicBool::new(false));
        let (out, flag) = (out.to_path_buf(), Arc::clone(&stop));
        let thread = std::thread::spawn(move || survey(&out, global, &flag));
        Survey {
            thread: Some(thread),
            stop,
        }
    }

    /// Waits for the survey and returns what it read.
    pub fn finish(mut self) -> io::Result<Surveyed> {
        match self.thread.take().map(JoinHandle::join) {
            Some(Ok(surveyed)) => surveyed,
            Some(Err(_)) => Err(io::Error::other("the survey of the output stopped")),
            None => Err(io::Error::other(
                "the survey of the output was already read",
            )),
        }
    }
}

impl Drop for Survey {
    fn drop(&mut self) {
        if let Some(thread) = self.thread.take() {
            self.stop.store(true, Ordering::Relaxed);
            let _ = thread.join();
        }
    }
}

fn survey(out: &Path, global: Fingerprint, stop: &AtomicBool) -> io::Result<Surveyed> {
    let folder = retain::path(out);
    let retained = match fs::symlink_metadata(&folder) {
        Ok(meta) if meta.is_dir() => {
            // Its manifest describes the files where they will be used: in
            // the staging folder the folder becomes.
            let manifest = Previous::read_at(&folder, &super::staging_root(out), global);
            let found = retain::walk(&folder, manifest.as_ref(), stop)?;
            Some(Retained { manifest, found })
        }
        Ok(_) => None,
        Err(e) if e.kind() == io::ErrorKind::NotFound => None,
        Err(e) => return Err(e),
    };
    Ok(Surveyed {
        retained,
        live: Previous::read(out, global),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_survey_lists_the_retained_folder_without_moving_it_and_a_dropped_one_stops() {
        let tmp = tempfile::tempdir().expect("temp dir");
        let out = tmp.path().join("public");
        fs::create_dir(&out).expect("mkdir");
        let retained = retain::path(&out);
        fs::create_dir_all(retained.join("events/a")).expect("mkdir");
        fs::write(retained.join("events/a/index.html"), "a").expect("write");
        let global: Fingerprint = 7;
        let surveyed = Survey::start(&out, global).finish().expect("survey");
        let found = surveyed
            .retained
            .expect("the retained folder was found")
            .found;
        assert_eq!(found.file_names(), ["events/a/index.html"]);
        assert!(
            retained.join("events/a/index.html").is_file(),
            "nothing moved"
        );
        assert!(surveyed.live.is_none(), "no manifest in the output");
        // Dropped before it is read: the thread is stopped and joined.
        drop(Survey::start(&out, global));
        assert!(retained.join("events/a/index.html").is_file());
    }

    #[test]
    fn no_retained_folder_is_none() {
        let tmp = tempfile::tempdir().expect("temp dir");
        let out = tmp.path().join("public");
        let surveyed = Survey::start(&out, 1).finish().expect("survey");
        assert!(surveyed.retained.is_none() && surveyed.live.is_none());
    }
}
