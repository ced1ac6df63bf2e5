//! The whole build (load → parse → validate → model → render → exports →
//! atomic swap) of a site holding one event file made of arbitrary bytes.
#![no_main]

use libfuzzer_sys::fuzz_target;
use std::path::PathBuf;
use std::sync::OnceLock;

fn site() -> &'static PathBuf {
    static SITE: OnceLock<PathBuf> = OnceLock::new();
    SITE.get_or_init(|| {
        let dir = std::env::temp_dir().join(format!("annals-fuzz-build-{}", std::process::id()));
        std::fs::create_dir_all(dir.join("content/events")).expect("temp site");
        dir
    })
}

fuzz_target!(|data: &[u8]| {
    let dir = site();
    std::fs::write(dir.join("content/events/a.md"), data).expect("write event");
    let mut options = annals::BuildOptions::new(dir);
    options.out = Some(dir.join("public"));
    match annals::build(&options) {
        Ok(_) | Err(annals::Error::Content(_)) => {}
        Err(other) => panic!("unexpected error kind: {other:?}"),
    }
});
