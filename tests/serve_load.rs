//! `annals serve` under load on loopback: 50 Server-Sent-Events clients and
//! 8 request loops for a bounded time while a file changes every 200 ms.
//! Every client must end on the final version, every page request must
//! succeed, and the server's memory must stay flat.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::{Duration, Instant};

const CLIENTS: usize = 50;
const LOOPS: usize = 8;
const EDITS: usize = 40;

fn event(n: usize) -> String {
    format!(
        "---\ntitle: Edit {n}\ndate: 2024-07-28\nkind: meeting\nsummary: Version {n}.\nsources: [{{title: S}}]\n---\nBody {n}.\n"
    )
}

fn rss_kb(pid: u32) -> u64 {
    std::fs::read_to_string(format!("/proc/{pid}/status"))
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmRSS:"))
                .and_then(|l| l.split_whitespace().nth(1).and_then(|v| v.parse().ok()))
        })
        .unwrap_or(0)
}

fn get(origin: &str, path: &str) -> (u16, String) {
    let Ok(mut s) = TcpStream::connect(origin) else {
        return (0, String::new());
    };
    let _ = s.set_read_timeout(Some(Duration::from_secs(10)));
    let _ = write!(
        s,
        "GET {path} HTTP/1.1\r\nHost: {origin}\r\nConnection: close\r\n\r\n"
    );
    let mut raw = Vec::new();
    let _ = s.read_to_end(&mut raw);
    let text = String::from_utf8_lossy(&raw).into_owned();
    let status = text
        .split_whitespace()
        .nth(1)
        .and_then(|c| c.parse().ok())
        .unwrap_or(0);
    (status, text)
}

/// Reads reload versions until the stream falls silent for 3 s.
fn sse_client(origin: String) -> Vec<u64> {
    let mut s = TcpStream::connect(&origin).expect("connect");
    s.set_read_timeout(Some(Duration::from_secs(3)))
        .expect("timeout");
    write!(
        s,
        "GET /__annals/events HTTP/1.1\r\nHost: {origin}\r\nAccept: text/event-stream\r\n\r\n"
    )
    .expect("send");
    let mut reader = BufReader::new(s);
    let mut versions = Vec::new();
    let mut name = String::new();
    loop {
        let mut line = String::new();
        match reader.read_line(&mut line) {
            Ok(0) | Err(_) => return versions,
            Ok(_) => {}
        }
        let line = line.trim_end();
        if let Some(v) = line.strip_prefix("event:") {
            name = v.trim().to_string();
        } else if let Some(v) = line.strip_prefix("data:")
            && (name == "reload" || name == "hello")
            && let Ok(n) = v.trim().parse()
        {
            versions.push(n);
        }
    }
}

#[test]
fn many_clients_get_every_reload_while_files_change() {
    let dir = tempfile::tempdir().expect("temp dir");
    let events = dir.path().join("content/events");
    std::fs::create_dir_all(&events).expect("mkdir");
    std::fs::write(events.join("first.md"), event(0)).expect("write");
    for i in 0..50 {
        std::fs::write(events.join(format!("other-{i}.md")), event(1000 + i)).expect("write");
    }
    let mut child = Command::new(env!("CARGO_BIN_EXE_annals"))
        .args(["serve", "--port", "0", "--bind", "127.0.0.1", "--site"])
        .arg(dir.path())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("serve starts");
    let mut line = String::new();
    BufReader::new(child.stdout.take().expect("stdout"))
        .read_line(&mut line)
        .expect("url line");
    let url = line
        .split_whitespace()
        .find(|w| w.starts_with("http://"))
        .expect("url")
        .to_string();
    let origin = url["http://".len()..].trim_end_matches('/').to_string();
    let pid = child.id();

    // Warm up every page once, then take the baseline.
    for path in ["/", "/events/first/", "/atom.xml", "/search/"] {
        assert_eq!(get(&origin, path).0, 200, "{path}");
    }
    let rss_before = rss_kb(pid);

    let clients: Vec<_> = (0..CLIENTS)
        .map(|_| {
            let o = origin.clone();
            std::thread::spawn(move || sse_client(o))
        })
        .collect();
    let stop = Arc::new(AtomicBool::new(false));
    let requests = Arc::new(AtomicUsize::new(0));
    let loops: Vec<_> = (0..LOOPS)
        .map(|i| {
            let (o, stop, requests) = (origin.clone(), stop.clone(), requests.clone());
            std::thread::spawn(move || {
                let paths = [
                    "/",
                    "/events/first/",
                    "/atom.xml",
                    "/events.json",
                    "/events/other-3/",
                    "/tags/",
                ];
                let mut bad = Vec::new();
                let mut n = i;
                while !stop.load(Ordering::Relaxed) {
                    let path = paths[n % paths.len()];
                    let (status, _) = get(&o, path);
                    if status != 200 {
                        bad.push(format!("{path}: {status}"));
                    }
                    requests.fetch_add(1, Ordering::Relaxed);
                    n += 1;
                }
                bad
            })
        })
        .collect();

    let start = Instant::now();
    // Memory must level off: the second half of the run may not grow it
    // much beyond the first half (buffers of 58 connections, allocator
    // arenas and caches fill up during the first).
    let mut rss_mid = 0;
    for n in 1..=EDITS {
        std::thread::sleep(Duration::from_millis(200));
        std::fs::write(events.join("first.md"), event(n)).expect("edit");
        if n == EDITS / 2 {
            rss_mid = rss_kb(pid);
        }
    }
    // The last edit is served...
    let deadline = Instant::now() + Duration::from_secs(10);
    while !get(&origin, "/events/first/")
        .1
        .contains(&format!("Edit {EDITS}"))
    {
        assert!(Instant::now() < deadline, "the last edit was never served");
        std::thread::sleep(Duration::from_millis(50));
    }
    // ...and a new client is told its version.
    let mut probe = TcpStream::connect(&origin).expect("connect");
    probe
        .set_read_timeout(Some(Duration::from_secs(5)))
        .expect("timeout");
    write!(
        probe,
        "GET /__annals/events HTTP/1.1\r\nHost: {origin}\r\n\r\n"
    )
    .expect("send");
    let mut hello = String::new();
    let mut reader = BufReader::new(probe);
    let final_version: u64 = loop {
        hello.clear();
        reader.read_line(&mut hello).expect("hello");
        if let Some(v) = hello.trim().strip_prefix("data:") {
            break v.trim().parse().expect("version");
        }
    };
    let elapsed = start.elapsed();
    stop.store(true, Ordering::Relaxed);
    let bad: Vec<String> = loops
        .into_iter()
        .flat_map(|h| h.join().expect("loop"))
        .collect();
    let seen: Vec<Vec<u64>> = clients
        .into_iter()
        .map(|h| h.join().expect("client"))
        .collect();
    let rss_after = rss_kb(pid);
    let _ = child.kill();
    let _ = child.wait();

    assert!(bad.is_empty(), "failed requests: {bad:?}");
    let mut fewest = usize::MAX;
    for (i, versions) in seen.iter().enumerate() {
        assert_eq!(
            versions.last(),
            Some(&final_version),
            "client {i} ended on {versions:?}"
        );
        assert!(
            versions.windows(2).all(|w| w[0] < w[1]),
            "client {i}: {versions:?}"
        );
        fewest = fewest.min(versions.len());
        // Versions count changes one by one: a gap is a dropped reload.
        let span = versions.last().unwrap_or(&0) - versions.first().unwrap_or(&0) + 1;
        assert_eq!(
            span,
            versions.len() as u64,
            "client {i} missed reloads: {versions:?}"
        );
    }
    let total = requests.load(Ordering::Relaxed);
    eprintln!(
        "serve load: {CLIENTS} SSE clients, {LOOPS} loops, {EDITS} edits in {elapsed:.1?}; \
         {total} requests, 0 failed; final version {final_version}, fewest reloads seen by a client {fewest}; \
         RSS {rss_before} KB idle, {rss_mid} KB half-way, {rss_after} KB at the end"
    );
    assert!(
        rss_after < rss_mid + rss_mid / 4 + 16 * 1024,
        "RSS kept growing: {rss_before} KB idle, {rss_mid} KB half-way, {rss_after} KB at the end"
    );
}
