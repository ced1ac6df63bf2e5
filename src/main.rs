//! The `annals` command line: parses arguments, calls the library, prints
//! diagnostics and picks the exit code (0 ok, 1 content, 2 usage or I/O).

use annals::{BuildOptions, Error};

// Parsing and rendering allocate many small strings on every core; glibc's
// allocator serialises them, mimalloc does not.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;
use clap::{Parser, Subcommand};
use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

#[derive(Parser)]
#[command(
    name = "annals",
    version = env!("ANNALS_VERSION"),
    about = "A static site generator for timelines of security talks"
)]
struct Cli {
    /// Print nothing but errors
    #[arg(short, long, global = true)]
    quiet: bool,
    /// Print more about what is done
    #[arg(short, long, global = true, conflicts_with = "quiet")]
    verbose: bool,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Render the whole site into the output folder
    Build {
        #[arg(long, default_value = ".")]
        site: PathBuf,
        /// Output folder (default: <site>/public)
        #[arg(long)]
        out: Option<PathBuf>,
        /// Override site.yaml's base_url
        #[arg(long)]
        base_url: Option<String>,
        /// Include events and pages marked `draft: true`
        #[arg(long)]
        drafts: bool,
        /// Render every page, reusing nothing from the previous build
        #[arg(long)]
        clean: bool,
    },
    /// Publish the last complete build to s3://bucket[/prefix] or file:///path
    Deploy {
        /// s3://bucket[/prefix] (AWS_* variables give endpoint, region and
        /// credentials) or file:///path
        dest: String,
        #[arg(long, default_value = ".")]
        site: PathBuf,
        /// Output folder holding the build (default: <site>/public)
        #[arg(long)]
        out: Option<PathBuf>,
        /// Print the plan and change nothing
        #[arg(long)]
        dry_run: bool,
        /// Delete remote files the site no longer has
        #[arg(long, overrides_with = "no_delete")]
        delete: bool,
        /// Keep remote files the site no longer has (the default)
        #[arg(long, overrides_with = "delete")]
        no_delete: bool,
        /// Delete without asking
        #[arg(long)]
        yes: bool,
    },
    /// Validate content, templates and internal links; write nothing
    Check {
        #[arg(long, default_value = ".")]
        site: PathBuf,
        #[arg(long)]
        drafts: bool,
    },
    /// Preview the site with live reload
    Serve {
        #[arg(long, default_value = ".")]
        site: PathBuf,
        /// Address or host name to listen on (loopback by default)
        #[arg(long, default_value = "127.0.0.1")]
        bind: String,
        /// Port (the next free one is used if it is busy; 0 picks any)
        #[arg(long, default_value_t = 1111)]
        port: u16,
        /// Open the site in a browser
        #[arg(long)]
        open: bool,
        /// Include drafts
        #[arg(long)]
        drafts: bool,
        /// Milliseconds a client has to send a request header (default 10000)
        #[arg(long, hide = true)]
        header_timeout_ms: Option<u64>,
        /// Connections served at once (default: 1024, fewer when the file
        /// descriptor limit is low)
        #[arg(long, hide = true)]
        max_connections: Option<usize>,
    },
    /// Create a new event file and print its path
    New {
        title: String,
        /// YYYY, YYYY-MM, YYYY-MM-DD or RFC 3339 (default: today)
        #[arg(long)]
        date: Option<String>,
        #[arg(long)]
        kind: Option<String>,
        #[arg(long, default_value = ".")]
        site: PathBuf,
    },
    /// Create a new site with an example event and site.yaml
    Init {
        dir: PathBuf,
        /// Also write the files that build and publish it on this host
        #[arg(long, value_enum)]
        ci: Option<CiHost>,
    },
    /// Turn a TimelineJS3 JSON file or TimelineJS-template CSV into event files
    Import {
        /// A TimelineJS3 `.json` file or a `.csv` export of the template sheet
        file: PathBuf,
        #[arg(long, default_value = ".")]
        site: PathBuf,
        /// Show what would be created, updated or skipped; write nothing
        #[arg(long)]
        dry_run: bool,
        /// Rewrite events a previous import wrote, keeping fields edited by hand
        #[arg(long)]
        update: bool,
        /// Zone of the file's times: an IANA name (Europe/Berlin) or +HH:MM
        /// (default: `timezone` of site.yaml; without one, times are dropped)
        #[arg(long, value_name = "ZONE")]
        tz: Option<String>,
        /// Kind of the imported events (default: the first kind of site.yaml)
        #[arg(long, value_name = "KIND")]
        kind: Option<String>,
        /// Track of events whose group names no track
        #[arg(long, value_name = "TRACK")]
        track: Option<String>,
    },
}

/// The hosts `init --ci` writes files for (see `annals::Host`).
#[derive(Clone, Copy, clap::ValueEnum)]
enum CiHost {
    GithubPages,
    Netlify,
    CloudflarePages,
}

impl From<CiHost> for annals::Host {
    fn from(host: CiHost) -> annals::Host {
        match host {
            CiHost::GithubPages => annals::Host::GithubPages,
            CiHost::Netlify => annals::Host::Netlify,
            CiHost::CloudflarePages => annals::Host::CloudflarePages,
        }
    }
}

/// Lists the content diagnostics, if any, then the error's one-line
/// message ("error: 2 problems found", "error: cannot write …: …").
fn report(err: &Error) {
    for d in err.diagnostics() {
        eprintln!("{d}");
    }
    eprintln!("error: {err}");
}

/// The one line a build prints when its feeds, sitemap and calendar use
/// the localhost fallback (`base`): such a site must not be published as
/// it is. `given` is the `--base-url` of the command line, if any.
fn localhost_warning(base: &str, given: Option<&str>) -> String {
    match given {
        Some(path) => format!(
            "--base-url {path} names no host, so feeds, sitemap and calendar use {base} — pass the full address (https://…) before publishing"
        ),
        None => format!(
            "site.yaml has no absolute base_url, so feeds, sitemap and calendar use {base} — set base_url or pass --base-url before publishing"
        ),
    }
}

/// `annals build`, also run by `annals deploy` when the output holds no
/// complete build: builds, then prints warnings and the summary line.
fn build_command(
    options: &BuildOptions,
    quiet: bool,
    verbose: bool,
    started: Instant,
) -> Result<(), Error> {
    let on_terminal = std::io::stderr().is_terminal() && !quiet;
    if on_terminal {
        eprintln!("Building {} …", options.site.display());
    }
    let progress = terminal::Progress::start(on_terminal, quiet, started);
    let built = annals::build_notifying(options, &progress);
    progress.finish();
    let r = built?;
    if !quiet {
        for w in &r.skipped_links {
            eprintln!("warning: {w}");
        }
        if let Some(base) = &r.localhost_base {
            eprintln!(
                "warning: {}",
                localhost_warning(base, options.base_url.as_deref())
            );
        }
    }
    // Warnings are problems to fix, shown even with --quiet.
    for w in &r.warnings {
        eprintln!("{w}");
    }
    if !r.warnings.is_empty() {
        let n = r.warnings.len();
        eprintln!(
            "warning: {n} link{} will not work once published",
            if n == 1 { "" } else { "s" }
        );
    }
    if verbose {
        for (stage, took) in &r.timings {
            eprintln!("  {stage}: {} ms", took.as_millis());
        }
        eprintln!(
            "  {} of {} pages reused from the previous build",
            r.reused_pages, r.pages
        );
        eprintln!(
            "  {} of {} events taken from the parse cache",
            r.cached_events, r.events
        );
    }
    if !quiet {
        eprintln!(
            "Built {} events into {} ({} pages, {} static files) in {} ms",
            r.events,
            options.out_dir().display(),
            r.pages,
            r.static_files,
            started.elapsed().as_millis()
        );
    }
    Ok(())
}

/// `--bind` takes an address, or a host name that is resolved to one and
/// then accepted in the `Host` header too.
fn resolve_bind(bind: &str) -> Result<(std::net::IpAddr, Vec<String>), Error> {
    use std::net::ToSocketAddrs;
    if let Ok(ip) = bind.parse() {
        return Ok((ip, Vec::new()));
    }
    let first = (bind, 0)
        .to_socket_addrs()
        .map_err(|e| Error::Usage(format!("cannot resolve --bind {bind}: {e}")))?
        .next()
        .ok_or_else(|| Error::Usage(format!("--bind {bind} resolves to no address")))?;
    Ok((first.ip(), vec![bind.to_string()]))
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let started = Instant::now();
    let say = |msg: String| {
        if !cli.quiet {
            eprintln!("{msg}");
        }
    };
    let warn = |warnings: &[String]| {
        if !cli.quiet {
            for w in warnings {
                eprintln!("warning: {w}");
            }
        }
    };
    let result = match &cli.command {
        Command::Build {
            site,
            out,
            base_url,
            drafts,
            clean,
        } => {
            let options = BuildOptions {
                site: site.clone(),
                out: out.clone(),
                base_url: base_url.clone(),
                drafts: *drafts,
                clean: *clean,
            };
            build_command(&options, cli.quiet, cli.verbose, started)
        }
        Command::Deploy {
            dest,
            site,
            out,
            dry_run,
            delete,
            no_delete: _,
            yes,
        } => annals::deploy::command(
            &annals::deploy::Args {
                dest,
                site,
                out: out.as_deref(),
                dry_run: *dry_run,
                delete: *delete,
                yes: *yes,
                quiet: cli.quiet,
                verbose: cli.verbose,
            },
            |options| build_command(options, cli.quiet, cli.verbose, started),
        ),
        Command::Check { site, drafts } => {
            let options = BuildOptions {
                site: site.clone(),
                out: None,
                base_url: None,
                drafts: *drafts,
                clean: false,
            };
            let on_terminal = std::io::stderr().is_terminal() && !cli.quiet;
            let progress = terminal::Progress::start(on_terminal, cli.quiet, started);
            let checked = annals::check_notifying(&options, &progress);
            progress.finish();
            checked.map(|r| {
                warn(&r.skipped_links);
                say(format!(
                    "Checked {} events and {} pages: no problems ({} ms)",
                    r.events,
                    r.pages,
                    started.elapsed().as_millis()
                ))
            })
        }
        Command::Serve {
            site,
            bind,
            port,
            open,
            drafts,
            header_timeout_ms,
            max_connections,
        } => resolve_bind(bind).and_then(|(ip, host_names)| {
            let mut limits = annals::serve::Limits::default();
            if let Some(ms) = header_timeout_ms {
                limits.header_timeout = std::time::Duration::from_millis(*ms);
            }
            if let Some(max) = max_connections {
                limits.max_connections = *max;
            }
            annals::serve::run(annals::serve::ServeOptions {
                site: site.clone(),
                bind: ip,
                host_names,
                port: *port,
                open: *open,
                drafts: *drafts,
                quiet: cli.quiet,
                limits,
            })
        }),
        Command::New {
            title,
            date,
            kind,
            site,
        } => annals::new_event(site, title, date.as_deref(), kind.as_deref())
            .map(|p| println!("{}", p.display())),
        Command::Import {
            file,
            site,
            dry_run,
            update,
            tz,
            kind,
            track,
        } => {
            let opts = annals::ImportOptions {
                dry_run: *dry_run,
                update: *update,
                tz: tz.clone(),
                kind: kind.clone(),
                track: track.clone(),
            };
            annals::import(file, site, &opts).map(|r| {
                let shown = |p: &PathBuf| p.strip_prefix(site).unwrap_or(p).display().to_string();
                let actions = [
                    ("create", &r.created),
                    ("update", &r.updated),
                    ("unchanged", &r.unchanged),
                    ("skip (already imported)", &r.skipped),
                ];
                for (what, paths) in actions {
                    for p in paths {
                        if r.dry_run {
                            println!("{what}: {}", shown(p));
                        } else if cli.verbose {
                            eprintln!("{what}: {}", shown(p));
                        }
                    }
                }
                for c in &r.conflicts {
                    eprintln!("conflict: {c}");
                }
                if !cli.quiet {
                    for note in &r.notes {
                        eprintln!("note: {note}");
                    }
                }
                say(r.summary(&annals::SitePaths::new(site).events()));
            })
        }
        Command::Init { dir, ci } => annals::init(dir, ci.map(annals::Host::from)).map(|files| {
            if cli.verbose {
                for f in &files {
                    eprintln!("created {}", f.display());
                }
            }
            say(format!(
                "Created a new site in {}; build it with `annals build --site {}`",
                dir.display(),
                dir.display()
            ));
            if let Some(host) = ci.map(annals::Host::from) {
                say(format!(
                    "Wrote {} for {}: replace {} in it with the address of the annals repository to install from",
                    host.file_names().join(" and "),
                    host.name(),
                    annals::Host::REPOSITORY_PLACEHOLDER
                ));
            }
        }),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            report(&err);
            ExitCode::from(err.exit_code() as u8)
        }
    }
}

/// A build's progress on the terminal: a bar with counts where a stage's
/// count is known, a spinner where it is not, shown only once the build has
/// taken a second so that quick builds print nothing but their last line.
/// The library counts with relaxed atomics; a timer thread reads the count
/// ten times a second and draws, so pages are never held up by drawing.
mod terminal {
    use annals::{Observer, Stage};
    use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
    use std::path::Path;
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::sync::mpsc::{self, RecvTimeoutError};
    use std::sync::{Arc, Mutex, PoisonError};
    use std::thread::JoinHandle;
    use std::time::{Duration, Instant};

    /// How long a build runs before its progress appears.
    const SHOW_AFTER: Duration = Duration::from_secs(1);
    /// How often the bar is redrawn.
    const TICK: Duration = Duration::from_millis(100);

    #[derive(Default)]
    struct Shared {
        /// The current stage and its total; the counter is reset under
        /// this lock so that a reader never pairs a stage with another's
        /// count.
        stage: Mutex<Option<(Stage, Option<usize>)>>,
        done: AtomicUsize,
    }

    impl Shared {
        fn now(&self) -> Option<(Stage, Option<usize>, usize)> {
            let stage = self.stage.lock().unwrap_or_else(PoisonError::into_inner);
            stage.map(|(s, total)| (s, total, self.done.load(Ordering::Relaxed)))
        }
    }

    pub struct Progress {
        shared: Arc<Shared>,
        quiet: bool,
        /// The bar and its timer thread, which stops when the sender is
        /// dropped; `None` when progress is not shown.
        shown: Option<(ProgressBar, mpsc::Sender<()>, JoinHandle<()>)>,
    }

    impl Progress {
        /// Starts counting; draws only when `show` (stderr is a terminal
        /// and the user did not ask for quiet). `started` is when the
        /// command began.
        pub fn start(show: bool, quiet: bool, started: Instant) -> Progress {
            let shared = Arc::new(Shared::default());
            let shown = show.then(|| {
                let bar = ProgressBar::hidden();
                let (stop, stopped) = mpsc::channel();
                let ticker = {
                    let (bar, shared) = (bar.clone(), Arc::clone(&shared));
                    std::thread::spawn(move || draw_until(stopped, &bar, &shared, started))
                };
                (bar, stop, ticker)
            });
            Progress {
                shared,
                quiet,
                shown,
            }
        }

        /// Stops the timer and clears the bar, before the command's own
        /// last line or its errors are printed.
        pub fn finish(self) {
            if let Some((bar, stop, ticker)) = self.shown {
                drop(stop);
                let _ = ticker.join();
                bar.finish_and_clear();
            }
        }
    }

    impl Observer for Progress {
        fn waiting(&self, out: &Path) {
            if self.quiet {
                return;
            }
            let say = || {
                eprintln!(
                    "Another annals build is writing to {}; waiting for it to finish …",
                    out.display()
                )
            };
            match &self.shown {
                Some((bar, ..)) => bar.suspend(say),
                None => say(),
            }
        }

        fn stage(&self, stage: Stage, total: Option<usize>) {
            let mut current = self
                .shared
                .stage
                .lock()
                .unwrap_or_else(PoisonError::into_inner);
            self.shared.done.store(0, Ordering::Relaxed);
            *current = Some((stage, total));
        }

        fn advance(&self, n: usize) {
            self.shared.done.fetch_add(n, Ordering::Relaxed);
        }
    }

    fn label(stage: Stage) -> &'static str {
        match stage {
            Stage::Read => "reading and validating files",
            Stage::Render => "rendering pages, feeds and data",
            Stage::Static => "copying static files",
            Stage::Swap => "replacing the output folder",
            _ => "building",
        }
    }

    fn style(counted: bool) -> ProgressStyle {
        let template = if counted {
            "{spinner} {msg} [{wide_bar}] {pos}/{len}"
        } else {
            "{spinner} {msg}"
        };
        // The templates are constants; the fallback only guards a typo.
        ProgressStyle::with_template(template).unwrap_or_else(|_| ProgressStyle::default_spinner())
    }

    /// Redraws `bar` every tick from the shared counts until `stopped`.
    fn draw_until(
        stopped: mpsc::Receiver<()>,
        bar: &ProgressBar,
        shared: &Shared,
        started: Instant,
    ) {
        let mut drawn: Option<(Stage, Option<usize>)> = None;
        while let Err(RecvTimeoutError::Timeout) = stopped.recv_timeout(TICK) {
            if started.elapsed() < SHOW_AFTER {
                continue;
            }
            let Some((stage, total, done)) = shared.now() else {
                continue;
            };
            if drawn != Some((stage, total)) {
                // Position first: the bar may redraw on each change, and
                // must not show the last stage's count against this total.
                bar.set_position(done as u64);
                match total {
                    Some(total) => bar.set_length(total as u64),
                    None => bar.unset_length(),
                }
                bar.set_style(style(total.is_some()));
                bar.set_message(label(stage));
                if drawn.is_none() {
                    bar.set_draw_target(ProgressDrawTarget::stderr());
                }
                drawn = Some((stage, total));
            }
            bar.set_position(done as u64);
            bar.tick();
        }
    }
}
