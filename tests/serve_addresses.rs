//! Where `annals serve` says it can be opened, and where it serves: bound
//! to every interface it prints loopback and the machine's network address
//! (never `0.0.0.0`), each of which answers; a change of `base_url` in
//! site.yaml moves the site to its new sub-path while serving, says so, and
//! sends open pages there.

mod common;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Child, ChildStdout, Command, Stdio};
use std::time::{Duration, Instant};

const EVENT: &str = "---\ntitle: First title\ndate: 2024-07-28\nkind: meeting\nsummary: A meeting.\nsources:\n  - {title: A source}\n---\nBody.\n";

struct Server {
    child: Child,
    stdout: BufReader<ChildStdout>,
    log: std::path::PathBuf,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Server {
    fn start(site: &Path, logs: &Path, extra: &[&str]) -> Server {
        let log = logs.join("stderr.txt");
        let mut child = Command::new(env!("CARGO_BIN_EXE_annals"))
            .args(["serve", "--port", "0", "--site"])
            .arg(site)
            .args(extra)
            .stdout(Stdio::piped())
            .stderr(std::fs::File::create(&log).expect("stderr file"))
            .spawn()
            .expect("annals serve starts");
        let stdout = BufReader::new(child.stdout.take().expect("piped"));
        Server { child, stdout, log }
    }

    fn line(&mut self) -> String {
        let mut line = String::new();
        self.stdout.read_line(&mut line).expect("a line");
        line
    }

    fn stderr(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }
}

/// `host:port` and path of the first `http://` address in `line`.
fn address(line: &str) -> (String, String) {
    let url = line
        .split_whitespace()
        .find_map(|w| w.strip_prefix("http://"))
        .unwrap_or_else(|| panic!("no address in {line:?}"));
    let slash = url.find('/').unwrap_or(url.len());
    (url[..slash].to_string(), url[slash..].to_string())
}

/// A GET of `path` from the server at `origin` (status and body).
fn get(origin: &str, path: &str) -> (u16, String) {
    let mut stream = TcpStream::connect(origin).expect("connect");
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .expect("timeout");
    write!(
        stream,
        "GET {path} HTTP/1.1\r\nHost: {origin}\r\nConnection: close\r\n\r\n"
    )
    .expect("send");
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw).expect("read");
    let text = String::from_utf8_lossy(&raw).into_owned();
    let status = text
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    let body = text
        .split_once("\r\n\r\n")
        .map_or("", |(_, b)| b)
        .to_string();
    (status, body)
}

fn site(base_url: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    let events = dir.path().join("content/events");
    std::fs::create_dir_all(&events).expect("mkdir");
    std::fs::write(events.join("first.md"), EVENT).expect("write");
    std::fs::write(
        dir.path().join("site.yaml"),
        format!("title: Test\nbase_url: {base_url}\n"),
    )
    .expect("write");
    dir
}

#[test]
fn bound_to_every_interface_it_prints_addresses_that_open() {
    let dir = site("https://example.org/sub/");
    let logs = tempfile::tempdir().expect("temp dir");
    let mut server = Server::start(dir.path(), logs.path(), &["--bind", "0.0.0.0"]);
    let first = server.line();
    let (local, path) = address(&first);
    assert!(local.starts_with("127.0.0.1:"), "{first}");
    assert_eq!(path, "/sub/");
    assert_eq!(get(&local, "/sub/").0, 200);
    // The machine's network address follows, unless it has none.
    let deadline = Instant::now() + Duration::from_secs(10);
    while !server.stderr().contains("Loaded in") && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(20));
    }
    let offline = server.stderr().contains("no network address found");
    if !offline {
        let second = server.line();
        assert!(
            second.contains("from another device on this network"),
            "{second}"
        );
        let (network, path) = address(&second);
        let ip: std::net::IpAddr = network
            .rsplit_once(':')
            .and_then(|(ip, _)| ip.trim_matches(['[', ']']).parse().ok())
            .unwrap_or_else(|| panic!("no IP in {second}"));
        assert!(!ip.is_unspecified() && !ip.is_loopback(), "{second}");
        assert_eq!(path, "/sub/");
        let (status, body) = get(&network, "/sub/");
        assert_eq!(status, 200, "the network address answers");
        // Absolute links in what it serves point where others can open them.
        let (_, feed) = get(&network, "/sub/atom.xml");
        assert!(feed.contains(&format!("http://{network}/sub/")), "{feed}");
        assert!(!body.contains("0.0.0.0") && !feed.contains("0.0.0.0"));
    }
    assert!(!first.contains("0.0.0.0"), "{first}");
}

/// Reads the reload channel until an event named `wanted`; its data.
fn wait_for_event(origin: &str, wanted: &str, mut trigger: impl FnMut()) -> String {
    let mut stream = TcpStream::connect(origin).expect("connect");
    stream
        .set_read_timeout(Some(Duration::from_secs(15)))
        .expect("timeout");
    write!(
        stream,
        "GET /__annals/events HTTP/1.1\r\nHost: {origin}\r\nAccept: text/event-stream\r\n\r\n"
    )
    .expect("send");
    let mut reader = BufReader::new(stream);
    let mut name = String::new();
    let mut triggered = false;
    loop {
        let mut line = String::new();
        let n = reader.read_line(&mut line).expect("an event in time");
        assert!(n > 0, "the event stream closed");
        let line = line.trim_end();
        if let Some(v) = line.strip_prefix("event:") {
            name = v.trim().to_string();
        } else if let Some(v) = line.strip_prefix("data:") {
            if name == wanted {
                return v.trim().to_string();
            }
            if name == "hello" && !triggered {
                triggered = true;
                trigger();
            }
        }
    }
}

#[test]
fn a_new_base_url_moves_the_site_while_serving() {
    let dir = site("https://example.org/old/");
    let logs = tempfile::tempdir().expect("temp dir");
    let mut server = Server::start(dir.path(), logs.path(), &[]);
    let (origin, path) = address(&server.line());
    assert_eq!(path, "/old/");
    assert_eq!(get(&origin, "/old/events/first/").0, 200);
    let moved = wait_for_event(&origin, "moved", || {
        std::fs::write(
            dir.path().join("site.yaml"),
            "title: Test\nbase_url: https://example.org/new/path/\n",
        )
        .expect("edit site.yaml");
    });
    assert_eq!(moved, "/new/path/", "open pages are sent to the new home");
    let (status, body) = get(&origin, "/new/path/events/first/");
    assert_eq!(status, 200);
    let doc = scraper::Html::parse_document(&body);
    let links = scraper::Selector::parse("a[href^='/']").expect("selector");
    let hrefs: Vec<&str> = doc
        .select(&links)
        .filter_map(|a| a.value().attr("href"))
        .collect();
    assert!(!hrefs.is_empty());
    assert!(
        hrefs.iter().all(|h| h.starts_with("/new/path/")),
        "{hrefs:?}"
    );
    assert_eq!(get(&origin, "/old/events/first/").0, 404);
    let said = server.stderr();
    assert!(
        said.contains(&format!(
            "base_url changed: now serving at http://{origin}/new/path/"
        )),
        "{said}"
    );
}
