//! `annals check --external` on the command line: the flags turned into
//! the library's options, and the findings printed: warnings (moved
//! addresses, sources without an archive copy), the summary line, then the
//! broken links as the command's errors (exit 1).

use super::args::ExternalArgs;
use annals::{BuildOptions, Error, ExternalOptions, ExternalReport, Observer};
use std::time::{Duration, Instant};

/// Runs the link check with the options of `args`.
pub fn run(
    options: &BuildOptions,
    args: &ExternalArgs,
    observer: &dyn Observer,
) -> Result<ExternalReport, Error> {
    if args.external_timeout.is_zero() {
        return Err(Error::Usage(
            "--external-timeout must be more than 0 (e.g. 20s)".into(),
        ));
    }
    let external = ExternalOptions {
        jobs: usize::from(args.external_jobs),
        per_host: usize::from(args.external_per_host),
        host_delay: Duration::from_millis(args.external_host_delay_ms),
        timeout: args.external_timeout,
        retries: args.external_retries,
        backoff: Duration::from_millis(args.external_backoff_ms),
        ttl: if args.external_fresh {
            Duration::ZERO
        } else {
            args.external_ttl
        },
    };
    annals::check_external(options, &external, observer)
}

/// Prints the findings; broken links make the error returned.
/// `checked` is how many events and pages the check read; `verbose` lists
/// every address with its answer.
pub fn report(
    r: ExternalReport,
    checked: (usize, usize),
    (quiet, verbose): (bool, bool),
    started: Instant,
) -> Result<(), Error> {
    if verbose {
        for a in &r.addresses {
            let answer = match (a.broken, a.status) {
                (true, Some(status)) => format!("broken ({status})"),
                (true, None) => "broken".to_string(),
                (false, Some(status)) => status.to_string(),
                (false, None) => "ok".to_string(),
            };
            let moved = match &a.moved_to {
                Some(to) => format!(" → moved to {to}"),
                None => String::new(),
            };
            let cached = if a.cached { " (cached)" } else { "" };
            eprintln!("  {answer} {}{moved}{cached}", a.address);
        }
    }
    // Warnings are problems to fix, shown even with --quiet.
    for w in r.diagnostics.iter().filter(|d| d.warning) {
        eprintln!("{w}");
    }
    if !quiet {
        if let Some(problem) = &r.cache_problem {
            eprintln!("warning: {problem}");
        }
        let plural =
            |n: usize, one: &str, many: &str| format!("{n} {}", if n == 1 { one } else { many });
        eprintln!(
            "Checked {} and {}, and {}: {} broken, {} moved, {} without archive, {} from cache ({} ms)",
            plural(checked.0, "event", "events"),
            plural(checked.1, "page", "pages"),
            plural(r.checked, "address", "addresses"),
            r.broken,
            r.moved,
            plural(r.without_archive, "source", "sources"),
            r.from_cache,
            started.elapsed().as_millis()
        );
    }
    let errors = r.errors();
    if errors.is_empty() {
        Ok(())
    } else {
        Err(Error::Content(errors))
    }
}
