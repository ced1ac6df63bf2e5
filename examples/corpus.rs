//! Writes a generated benchmark site: `cargo run --release --example corpus -- DIR EVENTS [SEED]`.

#[path = "../benches/support/corpus.rs"]
mod corpus;

fn main() -> std::process::ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (Some(dir), Some(events)) = (args.first(), args.get(1).and_then(|n| n.parse().ok())) else {
        eprintln!("usage: corpus DIR EVENTS [SEED]");
        return std::process::ExitCode::from(2);
    };
    let seed = args.get(2).and_then(|s| s.parse().ok()).unwrap_or(1);
    let dir = std::path::Path::new(dir);
    if let Err(e) = std::fs::create_dir_all(dir).and_then(|_| corpus::generate(dir, events, seed)) {
        eprintln!("error: {e}");
        return std::process::ExitCode::from(2);
    }
    std::process::ExitCode::SUCCESS
}
