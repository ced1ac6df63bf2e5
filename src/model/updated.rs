//! When each event last changed, as pages and exports show it: `updated`
//! when the front matter says, otherwise the day of the last commit of
//! the event's file when the site is in git (see `source::git`), and in
//! either case never before the event's latest correction (a correction
//! is an update). Also the site's corrections in the order every list of
//! them uses.

use super::Site;
use crate::content::event::Event;
use crate::content::provenance;
use crate::source::git::{self, Dates, Outcome};
use crate::urls::SitePaths;
use crate::values::dates::EventDate;
use std::path::Path;
use std::sync::Arc;

/// Each event's updated date (same index as `events`), from its own
/// fields and the git dates when given.
pub fn compute(events: &[Arc<Event>], git: Option<(&Dates, &Path)>) -> Vec<Option<EventDate>> {
    events
        .iter()
        .map(|e| {
            let from_git = || {
                let (dates, site_dir) = git?;
                dates.of(e.source_path().strip_prefix(site_dir).ok()?)
            };
            let own = e.updated().or_else(from_git);
            provenance::latest(
                own.into_iter()
                    .chain(e.corrections().iter().map(|c| &c.date)),
            )
            .copied()
        })
        .collect()
}

/// Dates the events that say nothing from the git history of the site's
/// events folder, unless `site.yaml` turns it off. Returns a warning when
/// `git` ran and failed (a site outside a repository gets none).
pub fn from_git(site: &mut Site, site_dir: &Path) -> Option<String> {
    if !site.config.updated_from_git {
        return None;
    }
    apply(site, site_dir, walk(site_dir))
}

/// The walk of the history, on a thread of its own, started before the
/// files are read so that it runs while they are parsed (`build`); `None`
/// when `site.yaml` turns git dates off.
pub fn start(
    config: &crate::config::Config,
    site_dir: &Path,
) -> Option<std::thread::JoinHandle<Outcome>> {
    if !config.updated_from_git {
        return None;
    }
    let dir = site_dir.to_path_buf();
    Some(std::thread::spawn(move || walk(&dir)))
}

/// [`from_git`] with the walk [`start`] began.
pub fn finish(
    site: &mut Site,
    site_dir: &Path,
    walk: Option<std::thread::JoinHandle<Outcome>>,
) -> Option<String> {
    let outcome = walk?
        .join()
        .unwrap_or_else(|_| Outcome::Failed("the git walk stopped".into()));
    apply(site, site_dir, outcome)
}

fn walk(site_dir: &Path) -> Outcome {
    git::last_changes(site_dir, Path::new(SitePaths::EVENTS))
}

fn apply(site: &mut Site, site_dir: &Path, outcome: Outcome) -> Option<String> {
    match outcome {
        Outcome::Dates(dates) => {
            site.updated = compute(&site.events, Some((&dates, site_dir)));
            None
        }
        Outcome::Unavailable => None,
        Outcome::Failed(why) => Some(format!(
            "events are not dated from git ({why}); set `updated_from_git: false` in site.yaml to stop trying"
        )),
    }
}

/// Every correction of the site as (event index, correction index),
/// newest first; corrections of the same day follow the events' order.
pub fn corrections(site: &Site) -> Vec<(usize, usize)> {
    let mut all: Vec<(usize, usize)> = site
        .events
        .iter()
        .enumerate()
        .flat_map(|(i, e)| (0..e.corrections().len()).map(move |c| (i, c)))
        .collect();
    all.sort_by_key(|&(i, c)| std::cmp::Reverse(site.events[i].corrections()[c].date.sort_key()));
    all
}
