//! The flow of `annals deploy` as the command line runs it: build when
//! the output holds no complete build, check the build may be published,
//! print the plan, ask before deleting, then carry it out.

use super::{Destination, Plan, Remote, Step};
use crate::BuildOptions;
use crate::error::Error;
use std::io::{BufRead, IsTerminal, Write};
use std::path::Path;
use std::sync::Arc;

/// The command line's arguments.
pub struct Args<'a> {
    pub dest: &'a str,
    pub site: &'a Path,
    pub out: Option<&'a Path>,
    pub dry_run: bool,
    pub delete: bool,
    pub yes: bool,
    pub quiet: bool,
    pub verbose: bool,
}

/// Runs `annals deploy`. `build` is `annals build`'s own code path, run
/// when the output folder holds no complete build. The plan and the files
/// it names go to stdout; notes and progress to stderr.
pub fn command(
    args: &Args,
    build: impl FnOnce(&BuildOptions) -> Result<(), Error>,
) -> Result<(), Error> {
    let dest = Destination::parse(args.dest)?;
    crate::config::require_site(args.site)?;
    let say = |msg: String| {
        if !args.quiet {
            eprintln!("{msg}");
        }
    };
    // Decided before anything is read or sent: a deletion needs a yes, and
    // without a terminal nobody can give one, so the deploy must not wait.
    let interactive = std::io::stdin().is_terminal();
    if args.delete && !args.yes && !args.dry_run && !interactive {
        return Err(Error::Usage(
            "--delete needs --yes when standard input is not a terminal (nobody can confirm the deletions); add --yes, or run --dry-run first to see them".into(),
        ));
    }
    let mut options = BuildOptions::new(args.site);
    options.out = args.out.map(Path::to_path_buf);
    let out = crate::output::outdir::resolve(&options.out_dir())
        .map_err(|e| Error::io(format!("cannot resolve {}", options.out_dir().display()), e))?;
    if !super::has_complete_build(&out) {
        say(format!(
            "{} holds no complete build; building first",
            out.display()
        ));
        build(&options)?;
    }
    if let Destination::Folder(folder) = &dest {
        let folder = crate::output::outdir::resolve(folder).unwrap_or_else(|_| folder.clone());
        if folder.starts_with(&out) || out.starts_with(&folder) {
            return Err(Error::Usage(format!(
                "refusing to deploy {} into {}: one holds the other",
                out.display(),
                folder.display()
            )));
        }
    }
    let record = super::publishable(&out)?;
    let local = super::local::scan(&out)?;
    let remote = Arc::new(Remote::open(&dest)?);
    let runtime = super::runtime()?;
    let plan: Plan = runtime.block_on(async {
        let listed = remote.list().await?;
        super::plan(&remote, local, listed, args.delete).await
    })?;
    say(format!(
        "Deploying {} (built for {}) to {dest}",
        out.display(),
        record.base_url
    ));
    print_plan(&plan, args);
    if args.dry_run {
        return Ok(());
    }
    if !plan.delete.is_empty() && !args.yes && !confirm(plan.delete.len())? {
        return Err(Error::Usage("deploy cancelled; nothing was changed".into()));
    }
    let (uploads, deletes) = (plan.upload.len(), plan.delete.len());
    let verbose = args.verbose;
    runtime.block_on(super::execute(remote, plan, &|step| {
        if verbose {
            match step {
                Step::Uploaded(rel) => eprintln!("uploaded {rel}"),
                Step::Deleted(rel) => eprintln!("deleted {rel}"),
            }
        }
    }))?;
    say(format!(
        "Deployed to {dest}: {uploads} uploaded, {deletes} deleted"
    ));
    Ok(())
}

/// Prints the plan's line; the files to delete (always, before the
/// question) and, with `--dry-run` or `--verbose`, the files to upload.
fn print_plan(plan: &Plan, args: &Args) {
    let mut out = std::io::stdout().lock();
    let _ = writeln!(out, "{}", plan.summary());
    for rel in &plan.delete {
        let _ = writeln!(out, "delete {rel}");
    }
    if args.dry_run || args.verbose {
        for file in &plan.upload {
            let _ = writeln!(out, "upload {}", file.rel);
        }
    }
    if !plan.extra.is_empty() {
        let n = plan.extra.len();
        let _ = writeln!(
            out,
            "{n} remote file{} not in the site kept (--delete removes {})",
            if n == 1 { "" } else { "s" },
            if n == 1 { "it" } else { "them" }
        );
        if args.dry_run || args.verbose {
            for rel in &plan.extra {
                let _ = writeln!(out, "extra {rel}");
            }
        }
    }
}

/// Asks on the terminal whether to delete `n` remote files.
fn confirm(n: usize) -> Result<bool, Error> {
    eprint!(
        "Delete {n} remote file{} listed above? [y/N] ",
        if n == 1 { "" } else { "s" }
    );
    let _ = std::io::stderr().flush();
    let mut answer = String::new();
    std::io::stdin()
        .lock()
        .read_line(&mut answer)
        .map_err(|e| Error::io("cannot read the answer", e))?;
    Ok(matches!(answer.trim(), "y" | "Y" | "yes" | "Yes"))
}
