//! Front-matter splitting and YAML parsing of one file from arbitrary bytes,
//! then validation of what parsed: must return a document or a diagnostic.
#![no_main]

use libfuzzer_sys::fuzz_target;
use std::path::PathBuf;

fuzz_target!(|data: &[u8]| {
    let file = annals::stages::SourceFile {
        rel: PathBuf::from("content/events/a.md"),
        shown: PathBuf::from("content/events/a.md"),
        bytes: data.to_vec(),
    };
    match annals::stages::parse(&file) {
        Ok(doc) => {
            let config = annals::Config::default();
            let _ = annals::stages::validate_event(&doc, &file.shown, &config);
        }
        Err(d) => {
            assert!(d.pos.line >= 1 && d.pos.column >= 1);
            let _ = d.to_string();
        }
    }
});
