//! The built site under a real web server: nginx, started here as the
//! current user with everything in a temporary folder, serves a build of
//! the repository's own timeline at the sub-path `/timeline/` with the
//! `location` block README gives ("A plain web server"), read from it.
//! Every internal address the site holds (links, stylesheets, scripts,
//! images, feeds, sitemap entries, JSON exports) and every file of the
//! output must answer 200, and an unknown address the theme's 404 page
//! with status 404. Fails if nginx is missing (scripts/test installs it).

mod common;

use common::*;
use scraper::Html;
use std::collections::{BTreeSet, VecDeque};
use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};
use url::Url;

const SUB_PATH: &str = "/timeline/";

/// The nginx binary: `$NGINX`, else Debian's.
fn nginx_binary() -> PathBuf {
    let path = PathBuf::from(std::env::var("NGINX").unwrap_or_else(|_| "/usr/sbin/nginx".into()));
    assert!(
        path.is_file(),
        "nginx is missing at {}: install it (apt-get install -y nginx, as scripts/test does) or set NGINX",
        path.display()
    );
    path
}

/// Where README's nginx example serves the site from.
const README_ROOT: &str = "/srv/timeline/public/";

/// The `location` block README gives for a site at a sub-path ("A plain
/// web server"), serving `public` (the build's output) instead.
fn location(public: &Path) -> String {
    let readme = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md"))
        .expect("read README.md");
    let section = readme
        .split_once("### A plain web server")
        .expect("README has a section \"A plain web server\"")
        .1;
    let block = section
        .split_once("```nginx\n")
        .and_then(|(_, rest)| rest.split_once("```"))
        .expect("the section has an nginx block")
        .0;
    assert!(
        block.contains(&format!("location {SUB_PATH} {{"))
            && block.contains(&format!("error_page 404 {SUB_PATH}404.html;"))
            && block.contains(README_ROOT),
        "README's nginx block: {block}"
    );
    block.replace(README_ROOT, &format!("{}/", public.display()))
}

/// A running nginx; stopped (with its workers) on drop.
struct Nginx {
    child: Child,
    origin: String,
    logs: PathBuf,
}

impl Drop for Nginx {
    fn drop(&mut self) {
        // SIGTERM: the master stops its workers before it exits.
        if let Ok(pid) = libc::pid_t::try_from(self.child.id()) {
            // SAFETY: signals our own child process.
            unsafe { libc::kill(pid, libc::SIGTERM) };
        }
        let _ = self.child.wait();
    }
}

impl Nginx {
    /// Starts nginx on a free loopback port serving `public` at the sub-path.
    fn start(dir: &Path, public: &Path, port: u16) -> Nginx {
        let binary = nginx_binary();
        let logs = dir.join("logs");
        std::fs::create_dir_all(&logs).expect("create the nginx folder");
        // Run as root (CI containers), the workers would switch to an
        // account that cannot read the private temporary folder.
        let user = if unsafe { libc::geteuid() } == 0 {
            "user root;\n"
        } else {
            ""
        };
        let tmp = |name: &str| logs.join(name).display().to_string();
        let conf = format!(
            "{user}daemon off;\nworker_processes 1;\npid {pid};\nerror_log {error} info;\n\
             events {{ worker_connections 64; }}\n\
             http {{\n\
             types {{ text/html html; text/css css; text/javascript js; application/json json; \
             application/xml xml; application/atom+xml atom; text/calendar ics; \
             image/svg+xml svg; image/png png; image/jpeg jpg; text/plain txt; }}\n\
             default_type application/octet-stream;\n\
             access_log {access};\n\
             client_body_temp_path {body}; proxy_temp_path {proxy}; fastcgi_temp_path {fcgi};\n\
             uwsgi_temp_path {uwsgi}; scgi_temp_path {scgi};\n\
             server {{\nlisten 127.0.0.1:{port};\nserver_name localhost;\n{location}}}\n}}\n",
            pid = tmp("nginx.pid"),
            error = tmp("error.log"),
            access = tmp("access.log"),
            body = tmp("body"),
            proxy = tmp("proxy"),
            fcgi = tmp("fastcgi"),
            uwsgi = tmp("uwsgi"),
            scgi = tmp("scgi"),
            location = location(public),
        );
        let conf_path = logs.join("nginx.conf");
        std::fs::write(&conf_path, conf).expect("write nginx.conf");
        let child = Command::new(&binary)
            .arg("-p")
            .arg(&logs)
            .arg("-c")
            .arg(&conf_path)
            .arg("-e")
            .arg(logs.join("error.log"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start {}: {e}", binary.display()));
        let mut nginx = Nginx {
            child,
            origin: format!("http://127.0.0.1:{port}"),
            logs,
        };
        nginx.wait_until_listening(port);
        nginx
    }

    fn error_log(&self) -> String {
        std::fs::read_to_string(self.logs.join("error.log")).unwrap_or_default()
    }

    /// Waits for nginx to accept connections; panics with its error log if
    /// it exits, or has not started within a minute.
    fn wait_until_listening(&mut self, port: u16) {
        let deadline = Instant::now() + Duration::from_secs(60);
        loop {
            if TcpStream::connect(("127.0.0.1", port)).is_ok() {
                return;
            }
            if let Ok(Some(status)) = self.child.try_wait() {
                panic!("nginx exited ({status}):\n{}", self.error_log());
            }
            assert!(
                Instant::now() < deadline,
                "nginx is not listening:\n{}",
                self.error_log()
            );
            std::thread::sleep(Duration::from_millis(20));
        }
    }
}

/// A port no one listens on now.
fn free_port() -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind a free port");
    listener.local_addr().expect("its address").port()
}

struct Reply {
    status: u16,
    content_type: String,
    location: Option<String>,
    body: Vec<u8>,
}

/// GET over HTTP/1.0, so the server closes the connection after the body.
fn get(url: &Url) -> Reply {
    let host = url.host_str().expect("a host");
    let port = url.port().expect("a port");
    let mut stream = TcpStream::connect((host, port)).expect("connect to nginx");
    let target = match url.query() {
        Some(q) => format!("{}?{q}", url.path()),
        None => url.path().to_string(),
    };
    write!(
        stream,
        "GET {target} HTTP/1.0\r\nHost: {host}:{port}\r\nConnection: close\r\n\r\n"
    )
    .expect("send the request");
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw).expect("read the reply");
    let split = raw
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .unwrap_or_else(|| panic!("{url}: no header end"));
    let head = String::from_utf8_lossy(&raw[..split]).into_owned();
    let status = head
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| panic!("{url}: bad status line in {head}"));
    let header = |wanted: &str| {
        head.lines().find_map(|l| {
            let (name, value) = l.split_once(':')?;
            name.eq_ignore_ascii_case(wanted)
                .then(|| value.trim().to_string())
        })
    };
    Reply {
        status,
        content_type: header("content-type").unwrap_or_default(),
        location: header("location"),
        body: raw[split + 4..].to_vec(),
    }
}

/// The addresses an HTML page refers to: links, stylesheets, scripts,
/// images (`src` and every `srcset` candidate) and the data addresses the
/// scripts fetch.
fn html_refs(body: &str) -> Vec<String> {
    let doc = Html::parse_document(body);
    let mut refs = Vec::new();
    for (css, attr) in [
        ("a[href]", "href"),
        ("link[href]", "href"),
        ("script[src]", "src"),
        ("img[src]", "src"),
        ("source[src]", "src"),
        ("[data-index]", "data-index"),
        ("[data-url]", "data-url"),
    ] {
        refs.extend(attrs(&doc, css, attr));
    }
    for srcset in attrs(&doc, "[srcset]", "srcset") {
        refs.extend(
            srcset
                .split(',')
                .filter_map(|c| c.split_whitespace().next())
                .map(String::from),
        );
    }
    refs
}

/// The addresses in an XML export: sitemap `<loc>`s and Atom `href`s.
fn xml_refs(url: &Url, body: &str) -> Vec<String> {
    let doc = roxmltree::Document::parse(body).unwrap_or_else(|e| panic!("{url}: {e}"));
    doc.descendants()
        .flat_map(|n| {
            let loc = n
                .has_tag_name("loc")
                .then(|| n.text().map(|t| t.trim().to_string()))
                .flatten();
            loc.into_iter().chain(n.attribute("href").map(String::from))
        })
        .collect()
}

/// Every string in a JSON export that is an address on `origin`.
fn json_refs(url: &Url, body: &str, origin: &str) -> Vec<String> {
    fn walk(v: &serde_json::Value, origin: &str, out: &mut Vec<String>) {
        match v {
            serde_json::Value::String(s) if s.starts_with(origin) => out.push(s.clone()),
            serde_json::Value::Array(items) => items.iter().for_each(|i| walk(i, origin, out)),
            serde_json::Value::Object(map) => map.values().for_each(|i| walk(i, origin, out)),
            _ => {}
        }
    }
    let value: serde_json::Value =
        serde_json::from_str(body).unwrap_or_else(|e| panic!("{url}: {e}"));
    let mut out = Vec::new();
    walk(&value, origin, &mut out);
    out
}

/// Crawls every internal address reachable from the sub-path's home, the
/// sitemap and the site-wide exports; returns the addresses visited and every failure found.
fn crawl(origin: &str) -> (BTreeSet<String>, BTreeSet<String>) {
    let base = Url::parse(&format!("{origin}{SUB_PATH}")).expect("base URL");
    let mut seen = BTreeSet::new();
    let mut failures = BTreeSet::new();
    let mut queue: VecDeque<(Url, String)> = VecDeque::new();
    // The site-wide exports no page links (their years' parts are linked).
    for start in [
        "",
        "sitemap.xml",
        "robots.txt",
        "events.json",
        "timelinejs.json",
        "calendar.ics",
    ] {
        let url = base.join(start).expect("start URL");
        seen.insert(url.to_string());
        queue.push_back((url, "start".into()));
    }
    while let Some((url, from)) = queue.pop_front() {
        let reply = get(&url);
        if reply.status != 200 {
            failures.insert(format!(
                "{url} (linked from {from}): status {}",
                reply.status
            ));
            continue;
        }
        let body = String::from_utf8_lossy(&reply.body);
        let path = url.path();
        let refs = if reply.content_type.starts_with("text/html") {
            html_refs(&body)
        } else if path.ends_with(".xml") || path.ends_with(".atom") {
            xml_refs(&url, &body)
        } else if path.ends_with(".json") {
            json_refs(&url, &body, origin)
        } else if path.ends_with("robots.txt") {
            body.lines()
                .filter_map(|l| l.strip_prefix("Sitemap:"))
                .map(|s| s.trim().to_string())
                .collect()
        } else {
            Vec::new()
        };
        for r in refs {
            let Ok(mut target) = url.join(&r) else {
                failures.insert(format!("{url}: unparsable address {r:?}"));
                continue;
            };
            target.set_fragment(None);
            if target.origin() != base.origin() {
                continue; // another site, or mailto:
            }
            if !target.path().starts_with(SUB_PATH) {
                failures.insert(format!("{url}: {r} leaves the sub-path {SUB_PATH}"));
                continue;
            }
            if seen.insert(target.to_string()) {
                queue.push_back((target, url.to_string()));
            }
        }
    }
    (seen, failures)
}

/// Every file under `dir`, as a path relative to `root` with `/`.
fn output_files(root: &Path, dir: &Path, out: &mut Vec<String>) {
    for entry in std::fs::read_dir(dir).expect("read the output") {
        let path = entry.expect("an entry").path();
        if path.is_dir() {
            output_files(root, &path, out);
        } else if let Ok(rel) = path.strip_prefix(root) {
            out.push(rel.to_string_lossy().replace('\\', "/"));
        }
    }
}

#[test]
fn nginx_serves_every_address_of_the_site_under_a_sub_path() {
    let tmp = tempfile::tempdir().expect("temp folder");
    let public = tmp.path().join("public");
    let port = free_port();
    let origin = format!("http://127.0.0.1:{port}");
    let built = annals()
        .arg("build")
        .arg("--site")
        .arg(env!("CARGO_MANIFEST_DIR"))
        .arg("--out")
        .arg(&public)
        .args(["--base-url", &format!("{origin}{SUB_PATH}")])
        .output()
        .expect("run annals build");
    assert_success(&built);
    let nginx = Nginx::start(tmp.path(), &public, port);
    assert_eq!(nginx.origin, origin);

    let (seen, failures) = crawl(&origin);
    assert!(
        failures.is_empty(),
        "{} of {} addresses failed:\n{}\n{}",
        failures.len(),
        seen.len(),
        failures.into_iter().collect::<Vec<_>>().join("\n"),
        nginx.error_log()
    );
    // What the crawl must have reached for it to mean anything.
    for wanted in [
        "events/2024-07-28-us-japan-2plus2/",
        "sitemap.xml",
        "atom.xml",
        "feed.json",
        "calendar.ics",
        "events.json",
        "about/",
    ] {
        let url = format!("{origin}{SUB_PATH}{wanted}");
        assert!(seen.contains(&url), "{url} not reached; crawled {seen:#?}");
    }
    let kinds = |ext: &str| seen.iter().filter(|u| u.ends_with(ext)).count();
    assert!(kinds(".css") >= 1 && kinds(".js") >= 1, "{seen:#?}");

    // Files only scripts find (the search index's parts) are served too:
    // every file of the output answers 200 at its address.
    let mut files = Vec::new();
    output_files(&public, &public, &mut files);
    let unserved: Vec<String> = files
        .iter()
        .filter(|rel| !rel.starts_with('.'))
        .map(|rel| format!("{origin}{SUB_PATH}{rel}"))
        .filter(|url| get(&Url::parse(url).expect("url")).status != 200)
        .collect();
    assert!(unserved.is_empty(), "not served: {unserved:#?}");
    assert!(
        files.iter().any(|f| f.starts_with("search-index/")),
        "{files:?}"
    );

    // An unknown address: status 404 and the theme's page, whose
    // stylesheet resolves under the sub-path.
    let missing = Url::parse(&format!("{origin}{SUB_PATH}no/such/page/")).expect("url");
    let reply = get(&missing);
    assert_eq!(reply.status, 404, "{}", nginx.error_log());
    let doc = Html::parse_document(&String::from_utf8_lossy(&reply.body));
    assert_eq!(texts(&doc, "h1"), ["Page not found"]);
    let sheets = attrs(&doc, "link[rel=stylesheet]", "href");
    assert!(!sheets.is_empty(), "the 404 page links no stylesheet");
    for href in sheets {
        let sheet = missing.join(&href).expect("stylesheet URL");
        assert!(sheet.path().starts_with(SUB_PATH), "{sheet}");
        let css = get(&sheet);
        assert_eq!(css.status, 200, "{sheet}");
        assert!(
            css.content_type.starts_with("text/css"),
            "{sheet}: {}",
            css.content_type
        );
    }
    let home = attrs(&doc, "main a", "href");
    assert!(
        home.iter()
            .any(|h| missing.join(h).is_ok_and(|u| u.path() == SUB_PATH)),
        "the 404 page's link home: {home:?}"
    );

    // A folder's address typed without its final slash is redirected to
    // it, on whatever host name the server is reached by.
    let bare = get(&Url::parse(&format!("{origin}{SUB_PATH}about")).expect("url"));
    assert_eq!(bare.status, 301);
    assert_eq!(bare.location.as_deref(), Some("/timeline/about/"));
}
