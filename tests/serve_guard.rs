//! `annals serve` against hostile neighbours, over real TCP on loopback:
//! foreign `Host` headers (DNS rebinding) are refused on every route, slow
//! clients cannot starve the server, symlinks leading out of the site are
//! never read, and a static file that replaces a generated page is shown as
//! an error, as `build` reports it.

mod common;

use common::simple_event;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

struct Server {
    child: Child,
    /// `127.0.0.1:port`
    origin: String,
    port: u16,
    stderr: PathBuf,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Server {
    /// `annals serve --port 0 --site SITE EXTRA…`, optionally under a lower
    /// file descriptor limit.
    fn start(site: &Path, extra: &[&str], fd_limit: Option<u32>) -> Server {
        let stderr = site.with_extension("stderr.txt");
        let log = std::fs::File::create(&stderr).expect("stderr file");
        let bin = env!("CARGO_BIN_EXE_annals");
        let mut cmd = match fd_limit {
            Some(n) => {
                let mut c = Command::new("sh");
                c.arg("-c")
                    .arg(format!("ulimit -n {n} && exec \"$0\" \"$@\""))
                    .arg(bin);
                c
            }
            None => Command::new(bin),
        };
        let mut child = cmd
            .args(["serve", "--port", "0", "--site"])
            .arg(site)
            .args(extra)
            .stdout(Stdio::piped())
            .stderr(Stdio::from(log))
            .spawn()
            .expect("annals serve starts");
        let (origin, _) = common::served_at(&mut child);
        let port = origin
            .rsplit(':')
            .next()
            .and_then(|p| p.parse().ok())
            .expect("a port");
        Server {
            child,
            origin,
            port,
            stderr,
        }
    }

    fn stderr_text(&self) -> String {
        std::fs::read_to_string(&self.stderr).unwrap_or_default()
    }
}

/// Sends a raw request and returns (status, body); `head_only` stops after
/// the status line (for the endless event stream).
fn request(server: &Server, raw: &str, head_only: bool) -> (u16, String) {
    let mut stream = TcpStream::connect(&server.origin).expect("connect");
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .expect("timeout");
    stream.write_all(raw.as_bytes()).expect("send");
    let mut reader = BufReader::new(stream);
    let mut status_line = String::new();
    reader.read_line(&mut status_line).expect("a status line");
    let status = status_line
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    let mut rest = String::new();
    if !head_only {
        let _ = reader.read_to_string(&mut rest);
    }
    let body = rest.split_once("\r\n\r\n").map(|(_, b)| b.to_string());
    (status, body.unwrap_or_default())
}

fn get_with_host(server: &Server, path: &str, host: &str) -> (u16, String) {
    let head_only = path == "/__annals/events";
    request(
        server,
        &format!("GET {path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n"),
        head_only,
    )
}

/// The first named event of the reload channel: (name, data).
fn first_events(server: &Server, count: usize, after: impl FnOnce()) -> Vec<(String, String)> {
    let mut stream = TcpStream::connect(&server.origin).expect("connect");
    stream
        .set_read_timeout(Some(Duration::from_secs(15)))
        .expect("timeout");
    write!(
        stream,
        "GET /__annals/events HTTP/1.1\r\nHost: {}\r\n\r\n",
        server.origin
    )
    .expect("send");
    let mut reader = BufReader::new(stream);
    let mut events = Vec::new();
    let mut name = String::new();
    let mut data = Vec::new();
    let mut after = Some(after);
    while events.len() < count {
        let mut line = String::new();
        let n = reader.read_line(&mut line).expect("an event in time");
        assert!(n > 0, "the event stream closed");
        let line = line.trim_end_matches(['\r', '\n']);
        if let Some(v) = line.strip_prefix("event:") {
            name = v.trim().to_string();
        } else if let Some(v) = line.strip_prefix("data:") {
            data.push(v.trim_start().to_string());
        } else if line.is_empty() && !name.is_empty() {
            events.push((std::mem::take(&mut name), data.join("\n")));
            data.clear();
            if let Some(f) = after.take() {
                f();
            }
        }
    }
    events
}

fn site_with_event() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().expect("temp dir");
    let site = dir.path().join("site");
    std::fs::create_dir_all(site.join("content/events")).expect("mkdir");
    std::fs::write(
        site.join("content/events/kept.md"),
        simple_event("Kept event", "2024-07-02"),
    )
    .expect("write");
    (dir, site)
}

#[test]
fn foreign_host_headers_are_refused_on_every_route() {
    let (_dir, site) = site_with_event();
    let server = Server::start(&site, &[], None);
    let port = server.port;
    for path in ["/", "/__annals/events", "/__annals/live.js", "/atom.xml"] {
        for host in [
            format!("evil.example:{port}"),
            "evil.example".to_string(),
            format!("localhost.evil.example:{port}"),
            format!("127.0.0.1:{}", port.wrapping_add(1)),
        ] {
            let (status, _) = get_with_host(&server, path, &host);
            assert!(
                status == 421 || status == 403,
                "{path} with Host {host} answered {status}"
            );
        }
        for host in [
            format!("127.0.0.1:{port}"),
            format!("localhost:{port}"),
            format!("[::1]:{port}"),
            format!("127.0.0.2:{port}"),
            "localhost".to_string(),
        ] {
            let (status, _) = get_with_host(&server, path, &host);
            assert_eq!(status, 200, "{path} with Host {host}");
        }
    }
    // HTTP/1.0 without Host is served.
    let (status, _) = request(&server, "GET / HTTP/1.0\r\n\r\n", false);
    assert_eq!(status, 200);
}

/// Raises this process's soft descriptor limit so the test itself can hold
/// `wanted` sockets; returns how many it may open.
fn allow_sockets(wanted: u64) -> u64 {
    let mut limit = libc::rlimit {
        rlim_cur: 0,
        rlim_max: 0,
    };
    // SAFETY: plain libc calls on a struct owned here.
    unsafe {
        if libc::getrlimit(libc::RLIMIT_NOFILE, &mut limit) != 0 {
            return 0;
        }
        if limit.rlim_cur < wanted + 64 {
            limit.rlim_cur = (wanted + 64).min(limit.rlim_max);
            libc::setrlimit(libc::RLIMIT_NOFILE, &limit);
            libc::getrlimit(libc::RLIMIT_NOFILE, &mut limit);
        }
    }
    limit.rlim_cur.saturating_sub(64).min(wanted)
}

#[test]
fn a_thousand_slow_clients_do_not_starve_the_server() {
    let (_dir, site) = site_with_event();
    // 128 descriptors: without a cap the server runs out after ~120 clients.
    let server = Server::start(&site, &["--header-timeout-ms", "3000"], Some(128));
    let slow_count = allow_sockets(1000);
    assert!(
        slow_count >= 500,
        "this machine allows only {slow_count} sockets"
    );
    let mut slow = Vec::new();
    for i in 0..slow_count {
        let mut s = TcpStream::connect(&server.origin).expect("connect a slow client");
        // Part of a header, part of a request line, or a whole request
        // after which the connection is kept alive and left idle.
        let partial = match i % 3 {
            0 => "GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ",
            1 => "GE",
            _ => "GET /__annals/live.js HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n",
        };
        s.write_all(partial.as_bytes())
            .expect("send part of a header");
        slow.push(s);
    }
    // Normal requests are answered quickly while the slow clients hang on.
    for _ in 0..20 {
        let started = Instant::now();
        let (status, body) = get_with_host(&server, "/", &server.origin);
        assert_eq!(status, 200);
        let doc = scraper::Html::parse_document(&body);
        let titles: Vec<String> = doc
            .select(&scraper::Selector::parse("a").expect("selector"))
            .map(|a| a.text().collect::<String>())
            .collect();
        assert!(
            titles.iter().any(|t| t.contains("Kept event")),
            "{titles:?}"
        );
        assert!(
            started.elapsed() < Duration::from_secs(2),
            "a request took {:?}",
            started.elapsed()
        );
    }
    // Every stalled client is closed by the server (evicted or timed out).
    let deadline = Instant::now() + Duration::from_secs(10);
    for s in slow.iter_mut().rev().take(20) {
        let left = deadline.saturating_duration_since(Instant::now());
        s.set_read_timeout(Some(left.max(Duration::from_millis(10))))
            .expect("timeout");
        let mut buf = [0u8; 512];
        let closed = loop {
            match s.read(&mut buf) {
                Ok(0) => break true,
                Ok(_) => continue, // e.g. a 408 before closing
                Err(e) if e.kind() == std::io::ErrorKind::ConnectionReset => break true,
                Err(_) => break false,
            }
        };
        assert!(closed, "a stalled connection was still open after 10 s");
    }
}

#[cfg(unix)]
#[test]
fn serve_never_reads_linked_files_outside_the_site() {
    use std::os::unix::fs::symlink;
    let (dir, site) = site_with_event();
    let secret = dir.path().join("passwd");
    std::fs::write(&secret, "root:x:0:0:SECRET-LINE:/root:/bin/sh\n").expect("write");
    symlink(&secret, site.join("content/events/leak.md")).expect("link");
    let server = Server::start(&site, &[], None);
    let later = site.join("content/events/later.md");
    let events = first_events(&server, 2, || {
        symlink(&secret, &later).expect("link while serving");
    });
    assert_eq!(events[0].0, "hello", "{events:?}");
    assert_eq!(events[1].0, "reload", "{events:?}");
    for (_, data) in &events {
        assert!(!data.contains("SECRET"), "{data}");
    }
    let (status, body) = get_with_host(&server, "/", &server.origin);
    assert_eq!(status, 200);
    assert!(!body.contains("SECRET"));
    let err = server.stderr_text();
    for name in ["leak.md", "later.md"] {
        assert!(
            err.lines()
                .any(|l| l.starts_with("warning: skipped") && l.contains(name)),
            "no warning naming {name}:\n{err}"
        );
    }
}

#[cfg(unix)]
#[test]
fn serve_skips_static_links_to_system_folders() {
    let (_dir, site) = site_with_event();
    std::fs::create_dir_all(site.join("static")).expect("mkdir");
    std::os::unix::fs::symlink("/etc", site.join("static/etc")).expect("link");
    let server = Server::start(&site, &[], None);
    let (status, body) = get_with_host(&server, "/", &server.origin);
    assert_eq!(status, 200);
    let doc = scraper::Html::parse_document(&body);
    let links: Vec<String> = doc
        .select(&scraper::Selector::parse("a").expect("selector"))
        .map(|a| a.text().collect::<String>())
        .collect();
    assert!(links.iter().any(|t| t.contains("Kept event")), "{links:?}");
    let (status, _) = get_with_host(&server, "/etc/hostname", &server.origin);
    assert_eq!(status, 404);
    let events = first_events(&server, 1, || {});
    assert_eq!(events[0].0, "hello", "{events:?}");
    assert!(server.stderr_text().contains("static/etc"));
}

#[test]
fn serve_reports_a_static_file_that_replaces_a_generated_page() {
    let (_dir, site) = site_with_event();
    std::fs::create_dir_all(site.join("static")).expect("mkdir");
    std::fs::write(site.join("static/index.html"), "<p>hand-made</p>").expect("write");
    let server = Server::start(&site, &[], None);
    let events = first_events(&server, 1, || {});
    assert_eq!(events[0].0, "errors", "{events:?}");
    let text = &events[0].1;
    assert!(
        text.contains("static/index.html:1:1:") && text.contains("generated page `index.html`"),
        "{text}"
    );
}

#[test]
fn the_reload_channel_outlives_the_header_timeout() {
    let (_dir, site) = site_with_event();
    let server = Server::start(&site, &["--header-timeout-ms", "500"], None);
    let kept = site.join("content/events/kept.md");
    let events = first_events(&server, 2, || {
        std::thread::sleep(Duration::from_millis(1500));
        std::fs::write(&kept, simple_event("Kept event, edited", "2024-07-02")).expect("edit");
    });
    assert_eq!(events[0].0, "hello", "{events:?}");
    assert_eq!(events[1].0, "reload", "{events:?}");
    // An idle kept-alive connection, by contrast, is closed.
    let mut idle = TcpStream::connect(&server.origin).expect("connect");
    write!(
        idle,
        "GET /__annals/live.js HTTP/1.1\r\nHost: {}\r\n\r\n",
        server.origin
    )
    .expect("send");
    idle.set_read_timeout(Some(Duration::from_secs(5)))
        .expect("timeout");
    let mut all = Vec::new();
    let started = Instant::now();
    let closed = idle.read_to_end(&mut all).is_ok();
    assert!(
        closed && started.elapsed() < Duration::from_secs(4),
        "still open"
    );
    assert!(String::from_utf8_lossy(&all).starts_with("HTTP/1.1 200"));
}
