//! The `annals` command line: parses arguments (`args`), calls the
//! library, prints what was done and the diagnostics, and picks the exit
//! code (0 ok, 1 content, 2 usage or I/O). The behaviour itself lives in
//! the library, so tests call the same code.

mod args;
mod external;
mod terminal;

use annals::{BuildOptions, Error};
use args::{Cli, Command};
use clap::Parser;
use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

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
        for lap in &r.timings {
            let memory = lap.memory.map_or(String::new(), |m| {
                format!(" (held {} MB, peak {} MB)", m.resident >> 20, m.peak >> 20)
            });
            eprintln!("  {}: {} ms{memory}", lap.stage, lap.took.as_millis());
        }
        eprintln!(
            "  {} of {} pages reused from the previous build",
            r.reused_pages, r.pages
        );
        eprintln!(
            "  {} of {} events taken from the parse cache",
            r.cached_events, r.events
        );
        eprintln!(
            "  {} of {} event bodies taken from the body store",
            r.stored_bodies, r.events
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

pub fn main() -> ExitCode {
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
        Command::Check {
            site,
            drafts,
            external: links,
        } => {
            let options = BuildOptions {
                site: site.clone(),
                out: None,
                base_url: None,
                drafts: *drafts,
                clean: false,
            };
            let on_terminal = std::io::stderr().is_terminal() && !cli.quiet;
            let progress = terminal::Progress::start(on_terminal, cli.quiet, started);
            let checked = annals::check_notifying(&options, &progress).and_then(|r| {
                // The links are checked only once the site itself is sound.
                let found = match links.external {
                    true => Some(external::run(&options, links, &progress)?),
                    false => None,
                };
                Ok((r, found))
            });
            progress.finish();
            checked.and_then(|(r, found)| {
                warn(&r.skipped_links);
                // Missing translations do not fail a check: English is shown.
                for w in &r.warnings {
                    eprintln!("{w}");
                }
                if let Some(found) = found {
                    return external::report(
                        found,
                        (r.events, r.pages),
                        (cli.quiet, cli.verbose),
                        started,
                    );
                }
                say(format!(
                    "Checked {} events and {} pages: no problems ({} ms)",
                    r.events,
                    r.pages,
                    started.elapsed().as_millis()
                ));
                Ok(())
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
        } => annals::new_event(site, title, date.as_deref(), kind.as_deref()).map(|p| {
            println!("{}", p.display());
            say(
                "The event is a draft (`draft: true`): builds leave it out until you replace its placeholder source and text and delete that line; `annals serve --drafts` previews it"
                    .into(),
            );
        }),
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
                    ("create period", &r.periods_created),
                    ("skip period (already present)", &r.periods_skipped),
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
                for line in &r.site_yaml_lines {
                    if r.dry_run {
                        println!("add to site.yaml: {line}");
                    } else if cli.verbose {
                        eprintln!("add to site.yaml: {line}");
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
