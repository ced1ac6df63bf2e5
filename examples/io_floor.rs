//! The I/O floor of a build: `cargo run --release --example io_floor -- SITE BUILT OUT`.
//!
//! Reads every file under `SITE/content` (as a build must) and writes, into
//! the empty folder `OUT`, a file of the same size at the same path for
//! every file of the already built output `BUILT`, with as many threads as
//! a build uses. No parsing, no rendering: what is left of a build's time
//! once all the work on bytes is taken away.

use rayon::prelude::*;
use std::path::{Path, PathBuf};

fn files(root: &Path) -> Vec<(PathBuf, u64)> {
    walkdir::WalkDir::new(root)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .filter_map(|e| {
            let len = e.metadata().ok()?.len();
            let rel = e.path().strip_prefix(root).ok()?.to_path_buf();
            Some((rel, len))
        })
        .collect()
}

fn main() -> std::process::ExitCode {
    let args: Vec<PathBuf> = std::env::args_os().skip(1).map(PathBuf::from).collect();
    let [site, built, out] = args.as_slice() else {
        eprintln!("usage: io_floor SITE BUILT OUT");
        return std::process::ExitCode::from(2);
    };
    // The listing of the built output is made before the clock starts, as
    // a build knows its pages without looking at the disk.
    let outputs = files(built);
    let start = std::time::Instant::now();
    let content = site.join("content");
    let read: u64 = files(&content)
        .par_iter()
        .map(|(rel, _)| std::fs::read(content.join(rel)).map_or(0, |b| b.len() as u64))
        .sum();
    let filler = vec![b'x'; 1 << 20];
    let written: Result<u64, std::io::Error> = outputs
        .par_iter()
        .map(|(rel, len)| {
            let path = out.join(rel);
            if let Some(parent) = path.parent() {
                std::fs::create_dir_all(parent)?;
            }
            let mut file = std::fs::File::create(&path)?;
            let mut left = *len as usize;
            while left > 0 {
                let n = left.min(filler.len());
                std::io::Write::write_all(&mut file, &filler[..n])?;
                left -= n;
            }
            Ok(*len)
        })
        .try_reduce(|| 0, |a, b| Ok(a + b));
    match written {
        Ok(bytes) => {
            println!(
                "read {read} bytes, wrote {bytes} bytes in {} files: {:.2} s",
                outputs.len(),
                start.elapsed().as_secs_f64()
            );
            std::process::ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("error: {e}");
            std::process::ExitCode::from(2)
        }
    }
}
