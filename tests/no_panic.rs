//! Bad input must never panic: every prefix of real event files, and
//! files with hostile bytes spliced in, go through the whole pipeline and
//! come back as diagnostics or a site.

use std::fs;
use std::path::Path;

fn run_pipeline(site: &Path) {
    let options = annals::BuildOptions::new(site);
    let outcome = std::panic::catch_unwind(|| annals::load_site(&options));
    match outcome {
        Ok(Ok(_)) => {}
        Ok(Err(annals::Error::Content(diagnostics))) => {
            assert!(
                !diagnostics.is_empty(),
                "a content error must carry diagnostics"
            );
            for d in diagnostics {
                assert!(
                    d.pos.line >= 1 && d.pos.column >= 1,
                    "positions are 1-based: {d}"
                );
            }
        }
        Ok(Err(other)) => panic!("unexpected non-content error: {other:?}"),
        Err(_) => panic!("the pipeline panicked on {}", site.display()),
    }
}

fn sample_event() -> String {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    fs::read_to_string(repo.join("content/events/2024/2024-07-16-narang-ncg-remarks.md"))
        .expect("the repository's own timeline has this event")
}

#[test]
fn every_prefix_of_an_event_is_handled() {
    let text = sample_event();
    let dir = tempfile::tempdir().expect("temp dir");
    let events = dir.path().join("content/events");
    fs::create_dir_all(&events).expect("mkdir");
    let cuts: Vec<usize> = text.char_indices().map(|(i, _)| i).step_by(5).collect();
    for cut in cuts {
        fs::write(events.join("a.md"), &text[..cut]).expect("write");
        run_pipeline(dir.path());
    }
}

#[test]
fn hostile_bytes_are_handled() {
    let text = sample_event();
    let dir = tempfile::tempdir().expect("temp dir");
    let events = dir.path().join("content/events");
    fs::create_dir_all(&events).expect("mkdir");
    let inserts: [&[u8]; 12] = [
        b"\xff\xfe",
        b"\0",
        b"\t",
        b"\r",
        "\u{3000}".as_bytes(),
        "한국".as_bytes(),
        b": [",
        b"{{",
        b"- ",
        b"'",
        b"\"",
        b"&anchor *alias",
    ];
    let bytes = text.as_bytes();
    for (n, insert) in inserts.iter().enumerate() {
        for at in (0..bytes.len()).step_by(23 + n) {
            let mut mutated = bytes[..at].to_vec();
            mutated.extend_from_slice(insert);
            mutated.extend_from_slice(&bytes[at..]);
            fs::write(events.join("a.md"), &mutated).expect("write");
            run_pipeline(dir.path());
        }
    }
}
