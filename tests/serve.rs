//! `annals serve` driven over real HTTP on a free loopback port: content
//! types, redirects, 404s, refused traversal, live reload over SSE, the
//! error overlay channel, deletes and adds, and sub-path sites.

mod common;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

const EVENT: &str = "---\ntitle: First title\ndate: 2024-07-28\nkind: meeting\nsummary: A meeting.\nsources:\n  - {title: A source}\n---\nBody.\n";

struct Server {
    child: Child,
    origin: String,
    base: String,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn site(base_url: Option<&str>) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    let events = dir.path().join("content/events");
    std::fs::create_dir_all(&events).expect("mkdir");
    std::fs::write(events.join("first.md"), EVENT).expect("write");
    std::fs::write(
        events.join("second.md"),
        EVENT
            .replace("First title", "Second title")
            .replace("2024-07-28", "2024-07-29"),
    )
    .expect("write");
    if let Some(url) = base_url {
        std::fs::write(
            dir.path().join("site.yaml"),
            format!("title: Test\nbase_url: {url}\n"),
        )
        .expect("write");
    }
    dir
}

fn start(site: &Path) -> Server {
    let mut child = Command::new(env!("CARGO_BIN_EXE_annals"))
        .args(["serve", "--port", "0", "--site"])
        .arg(site)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("annals serve starts");
    let (origin, base) = common::served_at(&mut child);
    Server {
        child,
        origin,
        base,
    }
}

struct Reply {
    status: u16,
    headers: String,
    body: String,
}

impl Reply {
    fn header(&self, name: &str) -> Option<String> {
        self.headers.lines().find_map(|l| {
            let (k, v) = l.split_once(':')?;
            k.eq_ignore_ascii_case(name).then(|| v.trim().to_string())
        })
    }
}

/// A raw HTTP/1.1 GET, so hostile paths reach the server unaltered.
fn get(server: &Server, path: &str) -> Reply {
    let mut stream = TcpStream::connect(&server.origin).expect("connect");
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .expect("timeout");
    write!(
        stream,
        "GET {path} HTTP/1.1\r\nHost: {}\r\nConnection: close\r\n\r\n",
        server.origin
    )
    .expect("send");
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw).expect("read");
    let text = String::from_utf8_lossy(&raw).into_owned();
    let (head, body) = text.split_once("\r\n\r\n").unwrap_or((&text, ""));
    let status = head
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    Reply {
        status,
        headers: head.to_string(),
        body: body.to_string(),
    }
}

/// Reads SSE events (name, data) from the reload channel.
struct Events {
    reader: BufReader<TcpStream>,
}

impl Events {
    fn open(server: &Server) -> Events {
        let mut stream = TcpStream::connect(&server.origin).expect("connect");
        stream
            .set_read_timeout(Some(Duration::from_secs(15)))
            .expect("timeout");
        write!(
            stream,
            "GET /__annals/events HTTP/1.1\r\nHost: {}\r\nAccept: text/event-stream\r\n\r\n",
            server.origin
        )
        .expect("send");
        Events {
            reader: BufReader::new(stream),
        }
    }

    /// The next named event (skipping keep-alive comments).
    fn next(&mut self) -> (String, String) {
        let mut name = String::new();
        let mut data = Vec::new();
        loop {
            let mut line = String::new();
            let n = self
                .reader
                .read_line(&mut line)
                .expect("an event before the timeout");
            assert!(n > 0, "the event stream closed");
            let line = line.trim_end_matches(['\r', '\n']);
            if let Some(v) = line.strip_prefix("event:") {
                name = v.trim().to_string();
            } else if let Some(v) = line.strip_prefix("data:") {
                data.push(v.trim_start().to_string());
            } else if line.is_empty() && !name.is_empty() {
                return (name, data.join("\n"));
            }
        }
    }

    fn wait_for(&mut self, wanted: &str) -> String {
        let deadline = Instant::now() + Duration::from_secs(15);
        while Instant::now() < deadline {
            let (name, data) = self.next();
            if name == wanted {
                return data;
            }
        }
        panic!("no `{wanted}` event");
    }
}

/// Polls until `check` holds: one change can arrive as several reloads.
fn eventually(what: &str, mut check: impl FnMut() -> bool) {
    let deadline = Instant::now() + Duration::from_secs(10);
    while Instant::now() < deadline {
        if check() {
            return;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    panic!("timed out waiting until {what}");
}

fn event_file(dir: &tempfile::TempDir, name: &str) -> PathBuf {
    dir.path().join("content/events").join(name)
}

/// Pages are sent from shared bytes around the injected script: the
/// response must still be one plain body of the length it announces, with
/// the script right before `</body>`.
#[test]
fn served_pages_are_whole_and_say_their_length() {
    let dir = site(None);
    let server = start(dir.path());
    for path in ["/", "/events/first/", "/no-such-page/"] {
        let page = get(&server, path);
        assert_eq!(page.header("transfer-encoding"), None, "{path}");
        assert_eq!(
            page.header("content-length").as_deref(),
            Some(page.body.len().to_string().as_str()),
            "{path}"
        );
        let script = page.body.find("<script src=\"/__annals/live.js\"");
        assert!(
            script.is_some_and(|i| page.body[i..].contains("</script>\n</body>")),
            "{path}: {}",
            page.body
        );
    }
}

#[test]
fn serves_pages_with_types_redirects_and_404() {
    let dir = site(None);
    let server = start(dir.path());
    let index = get(&server, "/");
    assert_eq!(index.status, 200);
    assert_eq!(
        index.header("content-type").as_deref(),
        Some("text/html; charset=utf-8")
    );
    assert!(
        index.body.contains("/__annals/live.js"),
        "the reload script is injected"
    );
    assert!(index.body.contains("First title"));
    let css = get(&server, "/assets/annals.css");
    assert_eq!(css.status, 200);
    assert!(
        css.header("content-type")
            .is_some_and(|t| t.starts_with("text/css"))
    );
    let redirect = get(&server, "/events/first");
    assert_eq!(redirect.status, 308);
    assert_eq!(
        redirect.header("location").as_deref(),
        Some("/events/first/")
    );
    let page = get(&server, "/events/first/");
    assert_eq!(page.status, 200);
    assert!(page.body.contains("<h1 class=\"p-name\">First title</h1>"));
    let missing = get(&server, "/events/none/");
    assert_eq!(missing.status, 404);
    assert!(
        missing.body.contains("Page not found"),
        "the theme's 404 page is used"
    );
}

#[test]
fn traversal_and_symlinks_are_refused() {
    let dir = site(None);
    let secret_dir = tempfile::tempdir().expect("temp dir");
    let secret = secret_dir.path().join("secret.txt");
    std::fs::write(&secret, "TOP SECRET").expect("write");
    std::fs::create_dir_all(dir.path().join("static")).expect("mkdir");
    std::fs::write(dir.path().join("static/ok.txt"), "fine").expect("write");
    #[cfg(unix)]
    std::os::unix::fs::symlink(&secret, dir.path().join("static/leak.txt")).expect("symlink");
    let server = start(dir.path());
    assert_eq!(get(&server, "/ok.txt").body, "fine");
    for path in [
        "/../Cargo.toml",
        "/events/../../etc/passwd",
        "/%2e%2e/%2e%2e/etc/passwd",
        "/%2E%2E%2F%2E%2E%2Fetc%2Fpasswd",
        "/..%5c..%5cetc%5cpasswd",
        "/..\\..\\etc\\passwd",
        "//etc/passwd",
    ] {
        let reply = get(&server, path);
        assert!(
            reply.status == 400 || reply.status == 404,
            "{path} gave {}",
            reply.status
        );
        assert!(!reply.body.contains("root:"), "{path} leaked a system file");
    }
    let absolute = secret.display().to_string();
    let reply = get(&server, &absolute);
    assert_eq!(
        reply.status, 404,
        "an absolute file path is not a site path"
    );
    assert!(!reply.body.contains("TOP SECRET"));
    let leak = get(&server, "/leak.txt");
    assert_eq!(leak.status, 404, "a symlink out of the site is not served");
    assert!(!leak.body.contains("TOP SECRET"));
}

#[test]
fn edits_errors_deletes_and_adds_reach_the_browser() {
    let dir = site(None);
    let server = start(dir.path());
    let mut events = Events::open(&server);
    assert_eq!(events.next().0, "hello");

    std::fs::write(
        event_file(&dir, "first.md"),
        EVENT.replace("First title", "Edited title"),
    )
    .expect("edit");
    events.wait_for("reload");
    eventually("the edit shows", || {
        get(&server, "/events/first/").body.contains("Edited title")
    });

    std::fs::write(
        event_file(&dir, "first.md"),
        EVENT.replace("date: 2024-07-28", "date: 2024-13-45"),
    )
    .expect("break");
    let errors = events.wait_for("errors");
    assert!(
        errors.contains("first.md:3:7"),
        "the error names the file and line: {errors}"
    );
    let last_good = get(&server, "/events/first/");
    assert_eq!(last_good.status, 200, "the last good page stays up");
    assert!(last_good.body.contains("Edited title"));
    assert!(
        Events::open(&server).next().0 == "errors",
        "a newly opened page sees the errors too"
    );

    std::fs::write(event_file(&dir, "first.md"), EVENT).expect("fix");
    events.wait_for("reload");
    assert_eq!(
        Events::open(&server).next().0,
        "hello",
        "fixed: no errors left"
    );

    std::fs::remove_file(event_file(&dir, "second.md")).expect("delete");
    events.wait_for("reload");
    eventually("the deleted page is gone", || {
        get(&server, "/events/second/").status == 404
    });

    std::fs::write(
        event_file(&dir, "third.md"),
        EVENT.replace("First title", "Third title"),
    )
    .expect("add");
    events.wait_for("reload");
    eventually("the added page shows", || {
        let added = get(&server, "/events/third/");
        added.status == 200 && added.body.contains("Third title")
    });
}

#[test]
fn a_template_error_is_reported_and_cleared() {
    let dir = site(None);
    let server = start(dir.path());
    let mut events = Events::open(&server);
    assert_eq!(events.next().0, "hello");
    let templates = dir.path().join("templates");
    std::fs::create_dir_all(&templates).expect("mkdir");
    std::fs::write(
        templates.join("event.html"),
        "{% extends \"base.html\" %}\n{% block content %}{% if %}{% endblock content %}\n",
    )
    .expect("write");
    let errors = events.wait_for("errors");
    assert!(errors.contains("templates/event.html:2:"), "{errors}");
    assert_eq!(
        get(&server, "/events/first/").status,
        200,
        "the server keeps serving"
    );
    std::fs::remove_file(templates.join("event.html")).expect("delete");
    events.wait_for("reload");
    eventually("the page renders with the built-in template", || {
        get(&server, "/events/first/").body.contains("First title")
    });
}

#[test]
fn sub_path_sites_are_served_under_their_path() {
    let dir = site(Some("https://example.org/sub/"));
    let server = start(dir.path());
    assert_eq!(server.base, "/sub/");
    let root = get(&server, "/");
    assert_eq!(root.status, 307);
    assert_eq!(root.header("location").as_deref(), Some("/sub/"));
    let index = get(&server, "/sub/");
    assert_eq!(index.status, 200);
    let doc = scraper::Html::parse_document(&index.body);
    let links = scraper::Selector::parse("a[href^='/']").expect("selector");
    let hrefs: Vec<String> = doc
        .select(&links)
        .filter_map(|a| a.value().attr("href").map(String::from))
        .collect();
    assert!(!hrefs.is_empty());
    for href in hrefs {
        assert!(href.starts_with("/sub/"), "{href} ignores the sub-path");
    }
    assert_eq!(get(&server, "/sub/events/first/").status, 200);
}

#[test]
fn build_output_has_no_reload_script() {
    let dir = site(None);
    let status = Command::new(env!("CARGO_BIN_EXE_annals"))
        .args(["build", "--quiet", "--site"])
        .arg(dir.path())
        .status()
        .expect("build runs");
    assert!(status.success());
    let html = std::fs::read_to_string(dir.path().join("public/index.html")).expect("index");
    assert!(!html.contains("__annals"));
}

#[test]
fn serve_does_not_warn_about_the_localhost_base() {
    // Serving locally is what localhost is for: the warning `build` prints
    // without an absolute base_url would only be noise here.
    let dir = site(None);
    let logs = tempfile::tempdir().expect("temp dir");
    let log = logs.path().join("serve-stderr.txt");
    let stderr = std::fs::File::create(&log).expect("create the stderr file");
    let mut child = Command::new(env!("CARGO_BIN_EXE_annals"))
        .args(["serve", "--port", "0", "--site"])
        .arg(dir.path())
        .stdout(Stdio::piped())
        .stderr(stderr)
        .spawn()
        .expect("annals serve starts");
    let (origin, base) = common::served_at(&mut child);
    let server = Server {
        child,
        origin,
        base,
    };
    assert_eq!(get(&server, "/").status, 200);
    drop(server);
    let printed = std::fs::read_to_string(&log).expect("read serve's stderr");
    assert!(!printed.contains("base_url"), "{printed}");
}

#[test]
fn period_files_added_and_edited_reach_the_browser() {
    let dir = site(None);
    let server = start(dir.path());
    let mut events = Events::open(&server);
    assert_eq!(events.next().0, "hello");
    let period = dir.path().join("content/periods/round.md");
    std::fs::create_dir_all(period.parent().expect("a folder")).expect("mkdir");
    std::fs::write(&period, "---\ntitle: First round\nstart: 2024-07\n---\n").expect("add");
    events.wait_for("reload");
    eventually("the period shows on the timeline", || {
        get(&server, "/").body.contains("First round")
    });
    std::fs::write(&period, "---\ntitle: Second round\nstart: 2024-07\n---\n").expect("edit");
    events.wait_for("reload");
    eventually("the edit shows", || {
        let home = get(&server, "/").body;
        home.contains("Second round") && !home.contains("First round")
    });
    std::fs::write(
        &period,
        "---\ntitle: Broken\nstart: 2024-07\nend: 2023\n---\n",
    )
    .expect("break");
    let errors = events.wait_for("errors");
    assert!(
        errors.contains("round.md:4:6"),
        "the error names the file and line: {errors}"
    );
}

#[test]
fn language_editions_are_served_and_follow_edits() {
    let dir = site(None);
    std::fs::write(
        dir.path().join("site.yaml"),
        "title: Test\nlanguages: [en, ja]\n",
    )
    .expect("write");
    let translation = event_file(&dir, "first.ja.md");
    std::fs::write(&translation, "---\ntitle: 最初の題\n---\n").expect("write");
    let server = start(dir.path());
    let page = get(&server, "/ja/events/first/");
    assert_eq!(page.status, 200);
    let doc = scraper::Html::parse_document(&page.body);
    let h1 = scraper::Selector::parse("h1").expect("selector");
    let title = |doc: &scraper::Html| {
        doc.select(&h1)
            .map(|e| e.text().collect::<String>())
            .collect::<Vec<_>>()
    };
    assert_eq!(title(&doc), ["最初の題"]);
    // The switcher leads back to the default language's page, which exists.
    let switch = scraper::Selector::parse("nav.languages a[hreflang=en]").expect("selector");
    let back: Vec<&str> = doc
        .select(&switch)
        .filter_map(|a| a.value().attr("href"))
        .collect();
    assert_eq!(back, ["/events/first/"]);
    assert_eq!(get(&server, back[0]).status, 200);
    // The edition's stylesheet and data are there; its folder without a slash redirects.
    let css = scraper::Selector::parse("link[rel=stylesheet]").expect("selector");
    let sheet = doc
        .select(&css)
        .filter_map(|l| l.value().attr("href"))
        .next()
        .expect("stylesheet");
    assert!(sheet.starts_with("/ja/"), "{sheet}");
    assert_eq!(get(&server, sheet).status, 200);
    assert_eq!(get(&server, "/ja/events.json").status, 200);
    assert_eq!(get(&server, "/ja").status, 308);
    // An untranslated event is served in the edition too.
    assert_eq!(get(&server, "/ja/events/second/").status, 200);
    // An edit of the translation reaches the edition.
    std::fs::write(&translation, "---\ntitle: 新しい題\n---\n").expect("write");
    eventually("the edited translation is served", || {
        let doc = scraper::Html::parse_document(&get(&server, "/ja/events/first/").body);
        title(&doc) == ["新しい題"]
    });
}

#[test]
fn a_translation_into_an_unlisted_language_says_why_it_fails_in_the_preview_too() {
    // No `languages:`: `first.ko.md` is read as an event of its own, fails
    // as one, and the preview's errors say why, as `build` does.
    let dir = site(None);
    let server = start(dir.path());
    let mut events = Events::open(&server);
    assert_eq!(events.next().0, "hello");
    std::fs::write(
        event_file(&dir, "first.ko.md"),
        "---\ntitle: 첫 제목\n---\n본문.\n",
    )
    .expect("add");
    let errors = events.wait_for("errors");
    let note = "note: `first.ko.md` is named as a translation of `first.md` into `ko`, which `languages` in site.yaml does not list";
    assert_eq!(errors.matches(note).count(), 1, "{errors}");
    // A file that fails for a reason of its own, named like no translation,
    // gets no note.
    std::fs::remove_file(event_file(&dir, "first.ko.md")).expect("remove");
    std::fs::write(event_file(&dir, "third.md"), "---\ntitle: Third\n---\n").expect("add");
    // Errors of the first change may still be on their way.
    let errors = loop {
        let errors = events.wait_for("errors");
        if errors.contains("third.md:") {
            break errors;
        }
    };
    assert!(!errors.contains("note:"), "{errors}");
}
