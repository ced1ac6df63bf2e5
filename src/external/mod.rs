//! `annals check --external`: whether the sources' `url` and `archive_url`
//! addresses still work. Gathers every address of the checked events,
//! takes what the cache (`cache`) still knows, asks the servers about the
//! rest (`fetch`, within the bounds of `limit`) on a small async runtime,
//! and reports each finding at every place the address is written
//! (`locate`), in the diagnostics' usual form (`outcome` words them).
//! Only http(s) addresses are asked about; private and loopback hosts are
//! asked like any other (a site may cite an intranet page).

mod cache;
mod fetch;
mod limit;
mod locate;
mod outcome;

use crate::diagnostic::{self, Diagnostic};
use crate::error::Error;
use crate::model::Site;
use crate::progress::{Observer, Stage};
use outcome::Outcome;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

/// How the link check runs (the `--external-…` flags).
#[derive(Debug, Clone)]
pub struct ExternalOptions {
    /// Requests in flight at once, over all hosts.
    pub jobs: usize,
    /// Requests in flight at once to one host.
    pub per_host: usize,
    /// Least time between the starts of two requests to one host.
    pub host_delay: Duration,
    /// Longest wait for one request (the connection: at most 10 s of it).
    pub timeout: Duration,
    /// Further tries after a timeout, a reset, 429 or 5xx.
    pub retries: u32,
    /// Wait before the first retry, doubled before each next one.
    pub backoff: Duration,
    /// How long a working address's result is trusted; zero asks again.
    pub ttl: Duration,
}

impl Default for ExternalOptions {
    fn default() -> ExternalOptions {
        ExternalOptions {
            jobs: 8,
            per_host: 2,
            host_delay: Duration::from_millis(250),
            timeout: Duration::from_secs(20),
            retries: 2,
            backoff: Duration::from_secs(1),
            ttl: DEFAULT_TTL,
        }
    }
}

/// How long a working address's result is trusted by default.
pub const DEFAULT_TTL: Duration = Duration::from_secs(24 * 60 * 60);
/// The longest connection wait.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(10);
/// The longest `Retry-After` honoured.
const RETRY_AFTER_CAP: Duration = Duration::from_secs(60);
const MAX_REDIRECTS: usize = 10;

/// What the link check found.
#[derive(Debug, Clone, Default)]
pub struct ExternalReport {
    /// Different addresses checked (each once, however often written).
    pub checked: usize,
    /// Addresses that do not work.
    pub broken: usize,
    /// Addresses that moved permanently (301, 308).
    pub moved: usize,
    /// Sources with a `url` and no `archive_url`.
    pub without_archive: usize,
    /// Addresses whose result came from the cache.
    pub from_cache: usize,
    /// Broken links (errors) and moved addresses and sources without an
    /// archive copy (warnings), in file order.
    pub diagnostics: Vec<Diagnostic>,
    /// Why the cache could not be written, if it could not.
    pub cache_problem: Option<String>,
    /// Every address checked and what it answered, sorted by address.
    pub addresses: Vec<Checked>,
}

/// One address and what it answered.
#[derive(Debug, Clone)]
pub struct Checked {
    pub address: String,
    /// The final answer's status, if any answer came.
    pub status: Option<u16>,
    /// Where it moved permanently, if it did.
    pub moved_to: Option<String>,
    pub broken: bool,
    /// Whether the result came from the cache.
    pub cached: bool,
}

impl ExternalReport {
    /// The errors among the diagnostics: what makes the check fail.
    pub fn errors(&self) -> Vec<Diagnostic> {
        let errors = self.diagnostics.iter().filter(|d| !d.warning);
        errors.cloned().collect()
    }
}

/// One place an address is written: event file, source, field.
struct Use {
    path: PathBuf,
    source: usize,
    field: &'static str,
    /// Whether the source has an `archive_url`.
    archived: bool,
}

/// Checks every source address of `site`'s events (those the model holds:
/// drafts only when they were asked for). `site_dir` holds the cache.
pub fn check(
    site: &Site,
    site_dir: &Path,
    options: &ExternalOptions,
    observer: &dyn Observer,
) -> Result<ExternalReport, Error> {
    // Unpacked once, for the whole check: the addresses are borrowed.
    let sources: Vec<_> = site.events.iter().map(|e| e.sources()).collect();
    let mut uses: BTreeMap<&str, Vec<Use>> = BTreeMap::new();
    let mut unarchived = Vec::new();
    for (event, sources) in site.events.iter().zip(&sources) {
        for (i, source) in sources.iter().enumerate() {
            let fields = [("url", &source.url), ("archive_url", &source.archive_url)];
            for (field, address) in fields {
                if let Some(address) = address {
                    let at = Use {
                        path: event.source_path().to_path_buf(),
                        source: i,
                        field,
                        archived: source.archive_url.is_some(),
                    };
                    uses.entry(&**address).or_default().push(at);
                }
            }
            if source.url.is_some() && source.archive_url.is_none() {
                unarchived.push(Use {
                    path: event.source_path().to_path_buf(),
                    source: i,
                    field: "url",
                    archived: false,
                });
            }
        }
    }
    let cache_path = crate::urls::SitePaths::new(site_dir).external_cache();
    let mut cache = cache::Cache::open(&cache_path);
    let now = cache::now();
    let mut outcomes: BTreeMap<&str, Outcome> = BTreeMap::new();
    let mut asked = Vec::new();
    for &address in uses.keys() {
        match cache.fresh(address, options.ttl, now) {
            Some(known) => {
                outcomes.insert(address, known.clone());
            }
            None => asked.push(address),
        }
    }
    let from_cache = outcomes.len();
    observer.stage(Stage::External, Some(uses.len()));
    observer.advance(from_cache);
    for (address, outcome) in fetch_all(&asked, options, observer)? {
        cache.record(address, &outcome, now);
        outcomes.insert(address, outcome);
    }
    let cache_problem = cache
        .store(options.ttl.max(DEFAULT_TTL), now)
        .err()
        .map(|e| format!("cannot write {}: {e}", cache_path.display()));
    let mut report = ExternalReport {
        checked: uses.len(),
        from_cache,
        without_archive: unarchived.len(),
        cache_problem,
        ..ExternalReport::default()
    };
    let mut found: Vec<(Use, Finding)> = Vec::new();
    for (address, places) in uses {
        let Some(outcome) = outcomes.get(address) else {
            continue;
        };
        report.addresses.push(Checked {
            address: address.to_string(),
            status: outcome.status,
            moved_to: outcome.moved_to.clone(),
            broken: outcome.is_broken(),
            // `asked` is in address order, as `uses` is.
            cached: asked.binary_search(&address).is_err(),
        });
        report.broken += usize::from(outcome.is_broken());
        report.moved += usize::from(outcome.moved_to.is_some());
        let finding = || match (&outcome.failure, &outcome.moved_to) {
            (Some(failure), moved_to) => Some(Finding::Broken(failure.clone(), moved_to.clone())),
            (None, Some(to)) => Some(Finding::Moved(to.clone())),
            (None, None) => None,
        };
        for at in places {
            if let Some(finding) = finding() {
                found.push((at, finding));
            }
        }
    }
    found.extend(unarchived.into_iter().map(|at| (at, Finding::NoArchive)));
    report.diagnostics = diagnostics(found);
    Ok(report)
}

/// What to report at one place.
enum Finding {
    /// A broken link (an error), and where it first moved, if it did.
    Broken(outcome::Failure, Option<String>),
    /// A working address that moved permanently here (a warning).
    Moved(String),
    /// A source with a `url` and no `archive_url` (a warning).
    NoArchive,
}

/// The diagnostics of the findings, each event file read once to place them.
fn diagnostics(found: Vec<(Use, Finding)>) -> Vec<Diagnostic> {
    let mut by_file: BTreeMap<PathBuf, Vec<(Use, Finding)>> = BTreeMap::new();
    for (at, finding) in found {
        by_file
            .entry(at.path.clone())
            .or_default()
            .push((at, finding));
    }
    let mut out = Vec::new();
    for (path, findings) in by_file {
        let wanted: Vec<(usize, &'static str)> = findings
            .iter()
            .map(|(at, _)| (at.source, at.field))
            .collect();
        let places = locate::sources(&path, &wanted);
        for ((at, finding), place) in findings.into_iter().zip(places) {
            out.push(match finding {
                Finding::NoArchive => place
                    .diagnostic("source without `archive_url`")
                    .with_hint(
                        "add an `archive_url` (e.g. a Wayback Machine copy, https://web.archive.org/) so readers can still read it if the page goes",
                    )
                    .as_warning(),
                Finding::Broken(failure, moved_to) => {
                    let d = place
                        .diagnostic(failure.message(at.field))
                        .with_hint(failure.hint(at.field, at.archived));
                    match moved_to {
                        Some(to) => d.with_note(format!("it first moved permanently to {to}")),
                        None => d,
                    }
                }
                Finding::Moved(to) => place
                    .diagnostic(format!("the `{}` has moved", at.field))
                    .with_hint(format!(
                        "the address moved permanently to {to}; update `{}`",
                        at.field
                    ))
                    .as_warning(),
            });
        }
    }
    diagnostic::sort(&mut out);
    out
}

/// Asks about every address of `asked` on a runtime of its own, telling
/// `observer` of each one done. Returns the results in any order.
fn fetch_all<'a>(
    asked: &[&'a str],
    options: &ExternalOptions,
    observer: &dyn Observer,
) -> Result<Vec<(&'a str, Outcome)>, Error> {
    if asked.is_empty() {
        return Ok(Vec::new());
    }
    let settings = fetch::Settings {
        timeout: options.timeout,
        connect_timeout: CONNECT_TIMEOUT,
        retries: options.retries,
        backoff: options.backoff,
        retry_after_cap: RETRY_AFTER_CAP,
        max_redirects: MAX_REDIRECTS,
    };
    let limits = limit::Limits::new(options.jobs, options.per_host, options.host_delay);
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| Error::io("cannot start the link checker", e))?;
    let fetcher = Arc::new(fetch::Fetcher::new(settings, limits).map_err(Error::Usage)?);
    runtime.block_on(async {
        let mut tasks = tokio::task::JoinSet::new();
        for (i, address) in asked.iter().enumerate() {
            let fetcher = fetcher.clone();
            let address = address.to_string();
            tasks.spawn(async move { (i, fetcher.check(&address).await) });
        }
        let mut out = Vec::with_capacity(asked.len());
        while let Some(done) = tasks.join_next().await {
            let (i, outcome) = done.map_err(|e| Error::Usage(format!("link check failed: {e}")))?;
            observer.advance(1);
            out.push((asked[i], outcome));
        }
        Ok(out)
    })
}
