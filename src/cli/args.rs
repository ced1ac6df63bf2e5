//! The command line's arguments: every command, flag and argument with
//! its description and each command's examples, as `--help` shows them.
//! Short flags follow what Hugo and Zola users type: `-s` site, `-o` out,
//! `-p` port, `-D` drafts (`-q`, `-v`, `-h` and `-V` are global).

use clap::{Parser, Subcommand};
use std::path::PathBuf;

#[derive(Parser)]
#[command(
    name = "annals",
    version = env!("ANNALS_VERSION"),
    about = "A static site generator for timelines of security talks",
    after_help = "Examples:
  annals init my-timeline            Create a new site in my-timeline/
  annals new \"Ministers meet\" -s my-timeline
  annals serve -s my-timeline        Preview it with live reload
  annals build -s my-timeline        Write the site to my-timeline/public/

Run `annals COMMAND --help` for a command's options and examples."
)]
pub struct Cli {
    /// Print nothing but errors
    #[arg(short, long, global = true, display_order = 100)]
    pub quiet: bool,
    /// Print more about what is done
    #[arg(
        short,
        long,
        global = true,
        conflicts_with = "quiet",
        display_order = 100
    )]
    pub verbose: bool,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand)]
pub enum Command {
    /// Render the whole site into the output folder
    #[command(after_help = "Examples:
  annals build                          Build the site in this folder into public/
  annals build -s my-timeline -o /tmp/site
  annals build --base-url https://example.org/timeline/
  annals build -D                       Include drafts (to review them, not to publish)
  annals build --clean                  Render every page again")]
    Build {
        /// Folder of the site (the one holding site.yaml and content/)
        #[arg(short, long, value_name = "DIR", default_value = ".")]
        site: PathBuf,
        /// Output folder (default: <site>/public)
        #[arg(short, long, value_name = "DIR")]
        out: Option<PathBuf>,
        /// Address the site is published at, overriding site.yaml's base_url
        #[arg(long, value_name = "URL")]
        base_url: Option<String>,
        /// Include events and pages marked `draft: true`
        #[arg(short = 'D', long)]
        drafts: bool,
        /// Render every page, reusing nothing from the previous build
        #[arg(long)]
        clean: bool,
    },
    /// Publish the last complete build to s3://bucket[/prefix] or file:///path
    #[command(after_help = "Examples:
  annals deploy s3://my-bucket/timeline --dry-run    Show what would be sent
  annals deploy s3://my-bucket/timeline              Send changed files
  annals deploy s3://my-bucket --delete --yes        Also delete files the site lost
  annals deploy file:///var/www/timeline")]
    Deploy {
        /// s3://bucket[/prefix] (AWS_* variables give endpoint, region and
        /// credentials) or file:///path
        dest: String,
        /// Folder of the site (the one holding site.yaml and content/)
        #[arg(short, long, value_name = "DIR", default_value = ".")]
        site: PathBuf,
        /// Output folder holding the build (default: <site>/public)
        #[arg(short, long, value_name = "DIR")]
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
    #[command(after_help = "Examples:
  annals check                   Check the site in this folder
  annals check -s my-timeline
  annals check -D                Check drafts too, as if they were published
  annals check --external        Also ask the servers of every source's url and archive_url
  annals check --external --external-fresh --external-timeout 5")]
    Check {
        /// Folder of the site (the one holding site.yaml and content/)
        #[arg(short, long, value_name = "DIR", default_value = ".")]
        site: PathBuf,
        /// Check events and pages marked `draft: true` too, as `build --drafts` would publish them
        #[arg(short = 'D', long)]
        drafts: bool,
        #[command(flatten)]
        external: ExternalArgs,
    },
    /// Preview the site with live reload
    #[command(after_help = "Examples:
  annals serve                       Serve this folder's site at http://127.0.0.1:1111/
  annals serve -s my-timeline -p 8080 --open
  annals serve --bind 0.0.0.0        Reachable from a phone on the same network
                                     (the addresses to open are printed)
  annals serve -D                    Preview drafts too")]
    Serve {
        /// Folder of the site (the one holding site.yaml and content/)
        #[arg(short, long, value_name = "DIR", default_value = ".")]
        site: PathBuf,
        /// Address or host name to listen on (loopback by default;
        /// 0.0.0.0 for every network)
        #[arg(long, value_name = "ADDRESS", default_value = "127.0.0.1")]
        bind: String,
        /// Port (the next free one is used if it is busy; 0 picks any)
        #[arg(short, long, default_value_t = 1111)]
        port: u16,
        /// Open the site in a browser
        #[arg(long)]
        open: bool,
        /// Include events and pages marked `draft: true`
        #[arg(short = 'D', long)]
        drafts: bool,
        /// Milliseconds a client has to send a request header (default 10000)
        #[arg(long, hide = true)]
        header_timeout_ms: Option<u64>,
        /// Connections served at once (default: 1024, fewer when the file
        /// descriptor limit is low)
        #[arg(long, hide = true)]
        max_connections: Option<usize>,
    },
    /// Create a new event file, as a draft, and print its path
    #[command(after_help = "Examples:
  annals new \"Ministers meet in Tokyo\"
  annals new \"Joint statement on deterrence\" --date 2024-07-28 --kind statement
  annals new \"Command upgraded\" --date 2024-07 -s my-timeline

The event is written under content/events/<year>/ with `draft: true`:
replace the placeholder source and text, then delete the draft line to
publish it (`annals check` reports placeholders left in a published event).")]
    New {
        /// Title of the event (the file name is made from it and the date)
        title: String,
        /// YYYY, YYYY-MM, YYYY-MM-DD or RFC 3339 (default: today)
        #[arg(long)]
        date: Option<String>,
        /// A key of site.yaml's `kinds` (default: the first one)
        #[arg(long)]
        kind: Option<String>,
        /// Folder of the site (the one holding site.yaml and content/)
        #[arg(short, long, value_name = "DIR", default_value = ".")]
        site: PathBuf,
    },
    /// Create a new site with an example event and site.yaml
    #[command(after_help = "Examples:
  annals init my-timeline
  annals init . --ci github-pages     In a fresh `git init` folder, with a Pages workflow")]
    Init {
        /// Folder to create the site in: new, empty, or holding only
        /// dot-files (a fresh `git init`)
        dir: PathBuf,
        /// Also write the files that build and publish it on this host
        #[arg(long, value_enum)]
        ci: Option<CiHost>,
    },
    /// Turn a TimelineJS3 JSON file or TimelineJS-template CSV into event files
    #[command(after_help = "Examples:
  annals import timeline.json --dry-run     Show what would be created
  annals import timeline.json --tz Europe/Berlin
  annals import sheet.csv --update          Re-run after the sheet changed")]
    Import {
        /// A TimelineJS3 `.json` file or a `.csv` export of the template sheet
        file: PathBuf,
        /// Folder of the site (the one holding site.yaml and content/)
        #[arg(short, long, value_name = "DIR", default_value = ".")]
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

/// The flags of `check --external`, the source link check.
#[derive(clap::Args)]
pub struct ExternalArgs {
    /// Also check that every source `url` and `archive_url` answers (results
    /// are kept in .annals-external.json in the site folder)
    #[arg(long)]
    pub external: bool,
    /// Requests in flight at once, over all hosts
    #[arg(long, value_name = "N", default_value_t = 8, requires = "external",
          value_parser = clap::value_parser!(u16).range(1..=256))]
    pub external_jobs: u16,
    /// Requests in flight at once to one host
    #[arg(long, value_name = "N", default_value_t = 2, requires = "external",
          value_parser = clap::value_parser!(u16).range(1..=64))]
    pub external_per_host: u16,
    /// Longest wait for one request: 20s, 1m… (a bare number is seconds)
    #[arg(long, value_name = "TIME", default_value = "20s", requires = "external",
          value_parser = duration)]
    pub external_timeout: std::time::Duration,
    /// Further tries after a timeout, 429 or 5xx, waiting longer each time
    #[arg(long, value_name = "N", default_value_t = 2, requires = "external",
          value_parser = clap::value_parser!(u32).range(0..=10))]
    pub external_retries: u32,
    /// How long a working address's result is trusted: 24h, 30m, 7d, 0 (never)
    #[arg(long, value_name = "TIME", default_value = "24h", requires = "external",
          value_parser = duration)]
    pub external_ttl: std::time::Duration,
    /// Ask about every address again, whatever the cache holds
    #[arg(long, requires = "external")]
    pub external_fresh: bool,
    /// Least milliseconds between the starts of two requests to one host
    #[arg(long, value_name = "MS", default_value_t = 250, hide = true)]
    pub external_host_delay_ms: u64,
    /// Milliseconds before the first retry, doubled for each next one
    #[arg(long, value_name = "MS", default_value_t = 1000, hide = true)]
    pub external_backoff_ms: u64,
}

/// A time span: a number with `ms`, `s`, `m`, `h` or `d` after it (a bare
/// number is seconds).
fn duration(text: &str) -> Result<std::time::Duration, String> {
    let text = text.trim();
    let split = text
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .unwrap_or(text.len());
    let (number, unit) = text.split_at(split);
    let number: f64 = number
        .parse()
        .map_err(|_| format!("`{text}` is not a time span (write e.g. 20s, 30m, 24h, 7d)"))?;
    let seconds = match unit.trim() {
        "ms" => number / 1000.0,
        "" | "s" => number,
        "m" => number * 60.0,
        "h" => number * 3600.0,
        "d" => number * 86400.0,
        other => return Err(format!("unknown unit `{other}`: use ms, s, m, h or d")),
    };
    std::time::Duration::try_from_secs_f64(seconds).map_err(|e| format!("`{text}`: {e}"))
}

/// The hosts `init --ci` writes files for (see `annals::Host`).
#[derive(Clone, Copy, clap::ValueEnum)]
pub enum CiHost {
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

#[cfg(test)]
mod tests {
    use super::Cli;
    use clap::CommandFactory;

    /// Clap's own checks (no two arguments share a short flag, every
    /// reference resolves), and a description for every argument.
    #[test]
    fn time_spans_take_units() {
        use std::time::Duration;
        assert_eq!(super::duration("20"), Ok(Duration::from_secs(20)));
        assert_eq!(super::duration("1.5s"), Ok(Duration::from_millis(1500)));
        assert_eq!(super::duration("30m"), Ok(Duration::from_secs(1800)));
        assert_eq!(super::duration("24h"), Ok(Duration::from_secs(86400)));
        assert_eq!(super::duration("0"), Ok(Duration::ZERO));
        assert!(super::duration("soon").is_err());
        assert!(super::duration("3 weeks").is_err());
        assert!(super::duration("-1s").is_err());
    }

    #[test]
    fn every_argument_is_described_and_no_flag_clashes() {
        let cli = Cli::command();
        cli.clone().debug_assert();
        for sub in cli.get_subcommands() {
            assert!(
                sub.get_after_help().is_some(),
                "{} has no examples",
                sub.get_name()
            );
            for arg in sub.get_arguments() {
                if arg.is_hide_set() || arg.get_id() == "help" {
                    continue;
                }
                assert!(
                    arg.get_help().is_some(),
                    "`{} {}` has no description",
                    sub.get_name(),
                    arg.get_id()
                );
            }
        }
    }
}
