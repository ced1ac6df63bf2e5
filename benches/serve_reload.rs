//! Edit-to-reload latency of `annals serve` at 100, 1,000 and 10,000 events.
//!
//! For each size: generate a corpus, start the real server, open the reload
//! channel, then repeatedly edit one event file and time (a) until the
//! `reload` event arrives and (b) until the edited page, fetched right after,
//! shows the change. Run with `cargo bench --bench serve_reload`.

#[path = "support/corpus.rs"]
mod corpus;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const EDITS: usize = 15;

fn get(origin: &str, path: &str) -> String {
    let mut s = TcpStream::connect(origin).expect("connect");
    write!(
        s,
        "GET {path} HTTP/1.1\r\nHost: {origin}\r\nConnection: close\r\n\r\n"
    )
    .expect("send");
    let mut out = String::new();
    s.read_to_string(&mut out).expect("read");
    out
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(|a, b| a.total_cmp(b));
    v[v.len() / 2]
}

fn measure(events: usize) -> (f64, f64, f64, f64) {
    let dir = tempfile::tempdir().expect("temp dir");
    corpus::generate(dir.path(), events, 7).expect("corpus");
    let mut child = Command::new(env!("CARGO_BIN_EXE_annals"))
        .args(["serve", "--quiet", "--port", "0", "--site"])
        .arg(dir.path())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("serve starts");
    let started = Instant::now();
    let mut line = String::new();
    BufReader::new(child.stdout.take().expect("stdout"))
        .read_line(&mut line)
        .expect("url");
    let startup = started.elapsed().as_secs_f64() * 1000.0;
    let url = line
        .split_whitespace()
        .find(|w| w.starts_with("http://"))
        .expect("url")
        .to_string();
    let origin = url["http://".len()..]
        .split('/')
        .next()
        .expect("origin")
        .to_string();
    let base = format!(
        "/{}",
        url["http://".len()..]
            .split_once('/')
            .map(|x| x.1)
            .unwrap_or("")
    );
    let mut stream = TcpStream::connect(&origin).expect("connect");
    stream
        .set_read_timeout(Some(Duration::from_secs(30)))
        .expect("timeout");
    write!(
        stream,
        "GET /__annals/events HTTP/1.1\r\nHost: {origin}\r\n\r\n"
    )
    .expect("send");
    let mut sse = BufReader::new(stream);
    let mut wait = |name: &str| loop {
        let mut l = String::new();
        sse.read_line(&mut l).expect("event");
        if l.trim_end() == format!("event: {name}") {
            return;
        }
    };
    wait("hello");
    let file = dir.path().join("content/events/1/e1.md");
    let original = std::fs::read_to_string(&file).expect("read");
    let page = format!("{base}events/e1/");
    let _ = get(&origin, &page);
    let (mut to_reload, mut to_page, mut to_index) = (Vec::new(), Vec::new(), Vec::new());
    for i in 0..EDITS {
        let marker = format!("Edited marker {i}");
        let edited = original.replacen("title: \"", &format!("title: \"{marker} "), 1);
        let t0 = Instant::now();
        std::fs::write(&file, edited).expect("edit");
        wait("reload");
        to_reload.push(t0.elapsed().as_secs_f64() * 1000.0);
        let body = get(&origin, &page);
        assert!(body.contains(&marker), "the edit shows");
        to_page.push(t0.elapsed().as_secs_f64() * 1000.0);
        let t1 = Instant::now();
        let _ = get(&origin, &base);
        to_index.push(t1.elapsed().as_secs_f64() * 1000.0);
        std::thread::sleep(Duration::from_millis(100));
    }
    let _ = child.kill();
    let _ = child.wait();
    (
        startup,
        median(to_reload),
        median(to_page),
        median(to_index),
    )
}

fn main() {
    // `cargo bench` passes flags such as --bench; sizes may be given instead.
    let sizes: Vec<usize> = std::env::args()
        .skip(1)
        .filter_map(|a| a.parse().ok())
        .collect();
    let sizes = if sizes.is_empty() {
        vec![100, 1_000, 10_000]
    } else {
        sizes
    };
    println!(
        "| events | start-up (ms) | edit → reload event (ms, median) | edit → edited page served (ms, median) | timeline page render after edit (ms, median) |"
    );
    println!("| ---: | ---: | ---: | ---: | ---: |");
    for n in sizes {
        let (startup, reload, page, index) = measure(n);
        println!("| {n} | {startup:.0} | {reload:.1} | {page:.1} | {index:.1} |");
    }
}
