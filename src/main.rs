//! The `annals` binary: the command line in `cli`, over the library.

mod cli;

// Parsing and rendering allocate many small strings on every core; glibc's
// allocator serialises them, mimalloc does not.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    small_pages_only();
    cli::main()
}

/// mimalloc asks Linux for 2 MiB pages, and a page the build touches at all
/// counts whole in its memory: without them a 10,000-event build peaks about
/// a fifth lower, in the same time (see "Memory" in the README).
#[cfg(target_os = "linux")]
fn small_pages_only() {
    // SAFETY: PR_SET_THP_DISABLE takes no pointers; it sets one flag of this
    // process (kept by the programs it starts), and a kernel without it
    // returns an error that changes nothing.
    unsafe {
        libc::prctl(libc::PR_SET_THP_DISABLE, 1, 0, 0, 0);
    }
}

#[cfg(not(target_os = "linux"))]
fn small_pages_only() {}
