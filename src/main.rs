//! The `annals` binary: the command line in `cli`, over the library.

mod cli;

// Parsing and rendering allocate many small strings on every core; glibc's
// allocator serialises them, mimalloc does not.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    cli::main()
}
