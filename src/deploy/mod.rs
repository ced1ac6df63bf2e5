//! `annals deploy`: publishes the last complete build of an output folder
//! to an S3 bucket (or any S3-compatible store) or to a folder.
//!
//! It compares by content (MD5) so an unchanged file is never sent again,
//! sends changed files in an order that keeps the published site working
//! at every moment (assets and data first, then pages, feeds, sitemaps and
//! the search index's manifest, deletions last), at most [`PARALLEL`] at
//! a time, and refuses a build whose absolute URLs fell back to localhost.

mod command;
pub mod headers;
pub mod local;
pub mod remote;

pub use command::{Args, command};
pub use local::LocalFile;
pub use remote::{Destination, Remote, RemoteFile};

use crate::error::Error;
use crate::output::marker::BuildRecord;
use crate::output::outdir::MARKER;
use std::collections::HashMap;
use std::path::Path;
use std::sync::Arc;

/// Uploads or deletions under way at once.
pub const PARALLEL: usize = 8;

/// Test-only: after this many files are written, the deploy stops and
/// waits (to be killed), so tests can interrupt it at a known point.
pub const PAUSE_ENV: &str = "ANNALS_DEPLOY_PAUSE_AFTER";

/// Whether `out` holds a complete build (its marker is written with the
/// staging folder, which is swapped in whole).
pub fn has_complete_build(out: &Path) -> bool {
    out.join(MARKER).is_file()
}

/// The build record of the output `out`, or why it must not be published:
/// no record (an older annals wrote it) or URLs made for localhost.
pub fn publishable(out: &Path) -> Result<BuildRecord, Error> {
    let record = BuildRecord::read(out)
        .map_err(|e| Error::io(format!("cannot read {}", out.join(MARKER).display()), e))?;
    let Some(record) = record else {
        return Err(Error::Usage(format!(
            "{} was built by an older annals that did not record its base URL; rebuild it (`annals build`) before deploying",
            out.display()
        )));
    };
    if record.fallback {
        return Err(Error::Usage(format!(
            "{} was built without an absolute base URL: its feeds, calendar, sitemap and canonical links point at {}; set `base_url` in site.yaml or pass `--base-url` to `annals build`, then deploy again",
            out.display(),
            record.base_url
        )));
    }
    Ok(record)
}

/// What a deploy will do.
#[derive(Debug, Default)]
pub struct Plan {
    /// In upload order: everything but pages first, then pages, feeds,
    /// sitemaps and the search index's manifest.
    pub upload: Vec<LocalFile>,
    /// How many of `upload` go in the first round.
    pub first_round: usize,
    /// Remote files the site no longer has, deleted with `--delete`.
    pub delete: Vec<String>,
    /// Remote files the site does not have that are kept (no `--delete`).
    pub extra: Vec<String>,
    pub unchanged: usize,
}

impl Plan {
    /// The plan's line: `upload N, delete M, unchanged K`.
    pub fn summary(&self) -> String {
        format!(
            "upload {}, delete {}, unchanged {}",
            self.upload.len(),
            self.delete.len(),
            self.unchanged
        )
    }
}

/// Compares the files of `local` with what `remote` holds (`listed`),
/// checking up to [`PARALLEL`] files at once (a check may be a request).
pub async fn plan(
    remote: &Arc<Remote>,
    local: Vec<LocalFile>,
    listed: Vec<RemoteFile>,
    delete: bool,
) -> Result<Plan, Error> {
    let mut by_rel: HashMap<String, RemoteFile> =
        listed.into_iter().map(|r| (r.rel.clone(), r)).collect();
    let checks: Vec<(usize, LocalFile, Option<RemoteFile>)> = local
        .into_iter()
        .enumerate()
        .map(|(i, file)| {
            let there = by_rel.remove(&file.rel);
            (i, file, there)
        })
        .collect();
    let mut checked = Vec::with_capacity(checks.len());
    bounded(
        checks,
        |(i, file, there)| {
            let remote = remote.clone();
            async move {
                let same = match &there {
                    Some(r) => remote.holds(r, &file).await?,
                    None => false,
                };
                Ok((i, file, same))
            }
        },
        |result| checked.push(result),
    )
    .await?;
    checked.sort_by_key(|(i, _, _)| *i);
    let mut first = Vec::new();
    let mut last = Vec::new();
    let mut unchanged = 0;
    for (_, file, same) in checked {
        if same {
            unchanged += 1;
        } else if headers::goes_last(&file.rel) {
            last.push(file);
        } else {
            first.push(file);
        }
    }
    let mut gone: Vec<String> = by_rel.into_keys().collect();
    gone.sort();
    let first_round = first.len();
    first.extend(last);
    let (delete, extra) = if delete {
        (gone, Vec::new())
    } else {
        (Vec::new(), gone)
    };
    Ok(Plan {
        upload: first,
        first_round,
        delete,
        extra,
        unchanged,
    })
}

/// One finished step, for progress output.
pub enum Step<'a> {
    Uploaded(&'a str),
    Deleted(&'a str),
}

/// Runs `work` on every item, at most [`PARALLEL`] at a time, handing each
/// result to `done` as it comes. After the first failure no item is
/// started; those under way end, and the failure is returned.
async fn bounded<T, R, F, Fut>(items: Vec<T>, work: F, mut done: impl FnMut(R)) -> Result<(), Error>
where
    T: Send + 'static,
    R: Send + 'static,
    F: Fn(T) -> Fut,
    Fut: Future<Output = Result<R, Error>> + Send + 'static,
{
    let mut set = tokio::task::JoinSet::new();
    let mut todo = items.into_iter();
    let mut failed = None;
    loop {
        while failed.is_none() && set.len() < PARALLEL {
            let Some(item) = todo.next() else { break };
            set.spawn(work(item));
        }
        let Some(joined) = set.join_next().await else {
            break;
        };
        match joined {
            Ok(Ok(result)) => done(result),
            Ok(Err(e)) => failed = failed.or(Some(e)),
            Err(e) => {
                failed = failed.or(Some(Error::io(
                    "a deploy task failed",
                    std::io::Error::other(e),
                )))
            }
        }
    }
    failed.map_or(Ok(()), Err)
}

/// Carries out `plan`: the first round of uploads, then the second, then
/// deletions, each at most [`PARALLEL`] at a time. The first failure stops
/// it (after the steps under way end) and is returned, naming its file.
pub async fn execute(remote: Arc<Remote>, plan: Plan, on_step: &dyn Fn(Step)) -> Result<(), Error> {
    let pause_after: Option<usize> = std::env::var(PAUSE_ENV).ok().and_then(|v| v.parse().ok());
    let mut done = 0usize;
    let mut upload = plan.upload;
    let second = upload.split_off(plan.first_round);
    for round in [upload, second] {
        bounded(
            round,
            |file| {
                let remote = remote.clone();
                async move { remote.put(&file).await.map(|()| file.rel) }
            },
            |rel| {
                on_step(Step::Uploaded(&rel));
                done += 1;
                if pause_after.is_some_and(|n| done >= n) {
                    // Test-only: stay here until killed.
                    loop {
                        std::thread::sleep(std::time::Duration::from_secs(3600));
                    }
                }
            },
        )
        .await?;
    }
    bounded(
        plan.delete,
        |rel| {
            let remote = remote.clone();
            async move { remote.delete(&rel).await.map(|()| rel) }
        },
        |rel| on_step(Step::Deleted(&rel)),
    )
    .await
}

/// A runtime for the deploy's requests.
pub fn runtime() -> Result<tokio::runtime::Runtime, Error> {
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|e| Error::io("cannot start the deploy's runtime", e))
}
