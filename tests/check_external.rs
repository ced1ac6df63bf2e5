//! `annals check --external` against a local HTTP server (never the
//! internet): each kind of answer a source link can get, where and how it
//! is reported, the exit code, the cache and its time-to-live, the bounds
//! on requests per host, and that a plain `annals check` asks nothing.
//! Regenerate the snapshot with
//! `INSTA_UPDATE=always cargo test --test check_external` and read it.

mod common;
mod external_server;

use common::*;
use external_server::{Server, closed_port};
use std::process::Output;
use std::time::{Duration, Instant};

/// Flags that keep the tests quick: a 1 s timeout, one retry after 50 ms,
/// no delay between requests to the host.
const QUICK: [&str; 8] = [
    "--external-timeout",
    "1",
    "--external-retries",
    "1",
    "--external-backoff-ms",
    "50",
    "--external-host-delay-ms",
    "0",
];

/// An event whose sources are `(title, url, archive_url)`.
fn event_with(title: &str, sources: &[(&str, &str, Option<&str>)]) -> String {
    let mut text = format!(
        "---\ntitle: \"{title}\"\ndate: 2024-07-01\nkind: meeting\nsummary: A test event.\nsources:\n"
    );
    for (name, url, archive) in sources {
        text.push_str(&format!("  - title: {name}\n    url: \"{url}\"\n"));
        if let Some(archive) = archive {
            text.push_str(&format!("    archive_url: \"{archive}\"\n"));
        }
    }
    text.push_str("---\nBody.\n");
    text
}

/// `annals check --site . --external <QUICK> <extra…>` from inside the
/// site; a flag of `extra` replaces the same flag of [`QUICK`].
fn check_external(site: &TestSite, extra: &[&str]) -> Output {
    let quick = QUICK
        .chunks(2)
        .filter(|pair| !extra.contains(&pair[0]))
        .flatten();
    site.cmd()
        .args(["check", "--site", ".", "--external"])
        .args(quick)
        .args(extra)
        .env_remove("HTTP_PROXY")
        .env_remove("http_proxy")
        .env_remove("HTTPS_PROXY")
        .env_remove("https_proxy")
        .env_remove("ALL_PROXY")
        .env_remove("all_proxy")
        .output()
        .expect("run annals")
}

/// The report with the ports and the time taken replaced by fixed words.
fn normalised(text: &str, server: &Server, refused: u16) -> String {
    let text = text
        .replace(&server.port.to_string(), "PORT")
        .replace(&refused.to_string(), "CLOSED");
    text.lines()
        .map(|line| match line.rfind(" ms)") {
            Some(end) => {
                let start = line[..end].rfind('(').unwrap_or(end);
                format!("{}(TIME{}", &line[..start], &line[end + 3..])
            }
            None => line.to_string(),
        })
        .collect::<Vec<_>>()
        .join("\n")
}

fn summary_line(err: &str) -> &str {
    err.lines()
        .find(|l| l.starts_with("Checked "))
        .unwrap_or_else(|| panic!("no summary line in:\n{err}"))
}

#[test]
fn every_kind_of_answer_is_reported_where_it_is_written() {
    let server = Server::start();
    let refused = closed_port();
    let url = |p: &str| server.url(p);
    let archive = url("/archive");
    let site = TestSite::new();
    site.event(
        "2024/2024-07-01-working.md",
        event_with(
            "Working links",
            &[
                ("Plain", &url("/ok"), Some(&archive)),
                ("HEAD refused", &url("/head-405"), Some(&archive)),
                ("Found elsewhere", &url("/found"), Some(&archive)),
                ("Flaky", &url("/flaky"), Some(&archive)),
                ("Busy", &url("/busy"), Some(&archive)),
                ("Moved", &url("/moved/1"), Some(&archive)),
            ],
        ),
    );
    let tls = format!("https://127.0.0.1:{}/ok", server.port);
    let closed = format!("http://127.0.0.1:{refused}/gone");
    site.event(
        "2024/2024-07-02-broken.md",
        event_with(
            "Broken links",
            &[
                ("Missing", &url("/missing"), Some(&archive)),
                ("Failing", &url("/error"), Some(&archive)),
                ("Looping", &url("/loop/a"), Some(&archive)),
                ("Slow", &url("/slow"), Some(&archive)),
                ("Closed", &closed, Some(&archive)),
                ("Not TLS", &tls, None),
                ("Bad address", "http://[oops/", Some(&archive)),
            ],
        ),
    );
    // The same broken address in a second event: asked once, reported twice.
    site.event(
        "2024/2024-07-03-again.md",
        event_with(
            "Again",
            &[("Missing again", &url("/missing"), Some(&archive))],
        ),
    );
    let started = Instant::now();
    let out = check_external(&site, &[]);
    let took = started.elapsed();
    assert_code(&out, 1);
    let err = stderr(&out);
    assert!(
        took < Duration::from_secs(15),
        "the 64 MiB body must not be read and checks run in parallel: {took:?}"
    );
    assert!(
        summary_line(&err).starts_with("Checked 3 events and ")
            && summary_line(&err).contains(
                " pages, and 14 addresses: 7 broken, 1 moved, 1 source without archive, 0 from cache ("
            ),
        "{err}"
    );
    insta::assert_snapshot!("external_report", normalised(&err, &server, refused));

    // Each address once, however many events name it.
    assert_eq!(server.hits("/missing"), 2, "HEAD, then GET to be sure");
    assert_eq!(server.hits("/archive"), 1);
    // HEAD refused with 405: GET decides.
    let methods: Vec<String> = server
        .requests()
        .iter()
        .filter(|r| r.path == "/head-405")
        .map(|r| r.method.clone())
        .collect();
    assert_eq!(methods, ["HEAD", "GET"]);
    // 503 then 200: retried once; 429 with Retry-After: 1 waited a second.
    assert_eq!(server.hits("/flaky"), 2);
    let busy: Vec<Instant> = server
        .requests()
        .iter()
        .filter(|r| r.path == "/busy")
        .map(|r| r.at)
        .collect();
    assert_eq!(busy.len(), 2);
    assert!(busy[1] - busy[0] >= Duration::from_millis(950), "{busy:?}");
    // The whole chain was followed; the loop stopped where it came back.
    assert_eq!(server.hits("/moved/final"), 1);
    assert_eq!(server.hits("/found-target"), 1);
    assert!(server.hits("/loop/a") <= 2 && server.hits("/loop/b") == 1);
    // A 500 is tried again (HEAD, a retry, then GET) and stays broken.
    assert_eq!(server.hits("/error"), 3);
    for request in server.requests() {
        assert!(
            request.user_agent.starts_with("annals/"),
            "{}",
            request.user_agent
        );
    }
}

#[test]
fn the_cache_spares_a_second_run_until_its_time_is_up() {
    let server = Server::start();
    let site = TestSite::new();
    let working = [
        ("One", server.url("/ok"), Some(server.url("/archive"))),
        ("Two", server.url("/moved/1"), Some(server.url("/archive"))),
    ];
    let sources: Vec<(&str, &str, Option<&str>)> = working
        .iter()
        .map(|(t, u, a)| (*t, u.as_str(), a.as_deref()))
        .chain([("Three", "BROKEN", None)])
        .collect();
    let broken = server.url("/missing");
    let sources: Vec<_> = sources
        .into_iter()
        .map(|(t, u, a)| (t, if u == "BROKEN" { broken.as_str() } else { u }, a))
        .collect();
    site.event("2024/2024-07-01-cached.md", event_with("Cached", &sources));

    let first = check_external(&site, &[]);
    assert_code(&first, 1);
    assert!(
        summary_line(&stderr(&first))
            .contains("4 addresses: 1 broken, 1 moved, 1 source without archive, 0 from cache")
    );
    let asked = server.requests().len();
    let cache = site.path().join(".annals-external.json");
    assert!(cache.is_file());

    // Working addresses come from the cache, moved one included; the
    // broken one is asked again.
    let second = check_external(&site, &["-v"]);
    assert_code(&second, 1);
    let err = stderr(&second);
    // --verbose lists every address with its answer.
    let ok_line = format!("  200 {} (cached)", server.url("/ok"));
    assert!(err.lines().any(|l| l == ok_line), "{err}");
    let moved_line = format!(
        "  200 {} → moved to {} (cached)",
        server.url("/moved/1"),
        server.url("/moved/final")
    );
    assert!(err.lines().any(|l| l == moved_line), "{err}");
    let broken_line = format!("  broken (404) {}", server.url("/missing"));
    assert!(err.lines().any(|l| l == broken_line), "{err}");
    assert!(
        summary_line(&err).contains("1 broken, 1 moved, 1 source without archive, 3 from cache"),
        "{err}"
    );
    assert!(err.contains("moved permanently to"), "{err}");
    let again: Vec<String> = server.requests()[asked..]
        .iter()
        .map(|r| r.path.clone())
        .collect();
    assert_eq!(again, ["/missing", "/missing"]);

    // Past the time-to-live, everything is asked again.
    std::thread::sleep(Duration::from_millis(1100));
    let before = server.requests().len();
    let expired = check_external(&site, &["--external-ttl", "1s"]);
    assert!(summary_line(&stderr(&expired)).contains("0 from cache"));
    assert_eq!(server.hits("/ok"), 2);
    assert!(server.requests().len() > before + 2);

    // --external-fresh ignores a cache that is still young.
    let fresh = check_external(&site, &["--external-fresh"]);
    assert!(summary_line(&stderr(&fresh)).contains("0 from cache"));
    assert_eq!(server.hits("/ok"), 3);

    // A corrupt cache is ignored, then replaced by a good one.
    std::fs::write(&cache, "{ not json").expect("spoil the cache");
    let spoilt = check_external(&site, &[]);
    assert_code(&spoilt, 1);
    assert!(summary_line(&stderr(&spoilt)).contains("0 from cache"));
    let healed = check_external(&site, &[]);
    assert!(summary_line(&stderr(&healed)).contains("3 from cache"));
    assert_eq!(server.hits("/ok"), 4);
}

#[test]
fn requests_to_one_host_stay_within_the_limits() {
    let server = Server::start();
    let site = TestSite::new();
    let addresses: Vec<String> = (0..12)
        .map(|i| server.url(&format!("/slow-ok/150/{i}")))
        .collect();
    let sources: Vec<(&str, &str, Option<&str>)> = addresses
        .iter()
        .map(|a| ("Slow page", a.as_str(), Some(a.as_str())))
        .collect();
    site.event("2024/2024-07-01-many.md", event_with("Many", &sources));
    let out = check_external(&site, &["--external-jobs", "8"]);
    assert_success(&out);
    assert_eq!(server.requests().len(), 12);
    // At most 2 at once by default, and the parallelism is used.
    assert_eq!(server.most_in_flight(), 2);

    // A minimum delay between the starts of requests to one host.
    let gentle = Server::start();
    let addresses: Vec<String> = (0..5).map(|i| gentle.url(&format!("/page/{i}"))).collect();
    let sources: Vec<(&str, &str, Option<&str>)> = addresses
        .iter()
        .map(|a| ("Page", a.as_str(), Some(a.as_str())))
        .collect();
    site.event("2024/2024-07-01-many.md", event_with("Many", &sources));
    let out = check_external(
        &site,
        &[
            "--external-fresh",
            "--external-per-host",
            "4",
            "--external-host-delay-ms",
            "200",
        ],
    );
    assert_success(&out);
    let mut starts: Vec<Instant> = gentle.requests().iter().map(|r| r.at).collect();
    starts.sort();
    assert_eq!(starts.len(), 5);
    for pair in starts.windows(2) {
        assert!(
            pair[1] - pair[0] >= Duration::from_millis(180),
            "{starts:?}"
        );
    }
}

#[test]
fn a_source_without_archive_only_warns() {
    let server = Server::start();
    let site = TestSite::new();
    let ok = server.url("/ok");
    site.event(
        "2024/2024-07-01-plain.md",
        event_with("Plain", &[("Page", &ok, None)]),
    );
    let out = check_external(&site, &[]);
    assert_success(&out);
    let err = stderr(&out);
    assert!(
        err.contains(
            "content/events/2024/2024-07-01-plain.md:8:10: warning: source without `archive_url`"
        ),
        "{err}"
    );
    assert!(
        err.contains("= help: add an `archive_url` (e.g. a Wayback Machine copy"),
        "{err}"
    );
    assert!(summary_line(&err).contains("1 address: 0 broken, 0 moved, 1 source without archive"));

    // --quiet keeps the warning (a problem to fix) and drops the summary.
    let quiet = check_external(&site, &["-q"]);
    assert_success(&quiet);
    let err = stderr(&quiet);
    assert!(
        err.contains("warning: source without `archive_url`"),
        "{err}"
    );
    assert!(!err.contains("Checked"), "{err}");
}

#[test]
fn a_site_with_content_errors_asks_nothing() {
    let server = Server::start();
    let site = TestSite::new();
    let text = event_with("Bad", &[("Page", &server.url("/ok"), None)])
        .replace("kind: meeting", "kind: meting");
    site.event("2024/2024-07-01-bad.md", text);
    let out = check_external(&site, &[]);
    assert_code(&out, 1);
    assert!(
        stderr(&out).contains("unknown kind `meting`"),
        "{}",
        stderr(&out)
    );
    assert!(server.requests().is_empty());
    assert!(!site.path().join(".annals-external.json").exists());
}

#[test]
fn plain_check_asks_nothing_and_drafts_only_with_d() {
    let server = Server::start();
    let site = TestSite::new();
    let missing = server.url("/missing");
    site.event(
        "2024/2024-07-01-plain.md",
        event_with(
            "Plain",
            &[("Page", &server.url("/ok"), Some(&server.url("/ok")))],
        ),
    );
    let mut draft = event_with("Draft", &[("Gone", &missing, Some(&missing))]);
    draft = draft.replacen("---\n", "---\ndraft: true\n", 1);
    site.event("2024/2024-07-02-draft.md", draft);

    assert_success(&site.check_here());
    assert!(server.requests().is_empty(), "a plain check asks no server");
    assert!(!site.path().join(".annals-external.json").exists());

    assert_success(&check_external(&site, &[]));
    assert_eq!(server.hits("/missing"), 0, "drafts are left out");
    let out = check_external(&site, &["-D"]);
    assert_code(&out, 1);
    assert!(
        stderr(&out).contains("2024-07-02-draft.md:"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn external_flags_need_external() {
    let site = TestSite::new();
    let out = site
        .cmd()
        .args(["check", "--external-timeout", "5"])
        .output()
        .expect("run annals");
    assert_code(&out, 2);
    let out = site
        .cmd()
        .args(["check", "--external", "--external-timeout", "0"])
        .output()
        .expect("run annals");
    assert_code(&out, 2);
    assert!(
        stderr(&out).contains("--external-timeout"),
        "{}",
        stderr(&out)
    );
}

/// Records what the check tells its observer.
#[derive(Default)]
struct Recorder {
    stages: std::sync::Mutex<Vec<(annals::Stage, Option<usize>)>>,
    done: std::sync::atomic::AtomicUsize,
}

impl annals::Observer for Recorder {
    fn stage(&self, stage: annals::Stage, total: Option<usize>) {
        self.stages.lock().expect("stages").push((stage, total));
        self.done.store(0, std::sync::atomic::Ordering::SeqCst);
    }

    fn advance(&self, n: usize) {
        self.done.fetch_add(n, std::sync::atomic::Ordering::SeqCst);
    }
}

#[test]
fn the_library_reports_progress_and_every_address() {
    let server = Server::start();
    let site = TestSite::new();
    let (ok, gone) = (server.url("/ok"), server.url("/missing"));
    site.event(
        "2024/2024-07-01-two.md",
        event_with("Two", &[("Page", &ok, Some(&ok)), ("Gone", &gone, None)]),
    );
    let options = annals::BuildOptions::new(site.path());
    let external = annals::ExternalOptions {
        host_delay: Duration::ZERO,
        timeout: Duration::from_secs(2),
        retries: 0,
        ..annals::ExternalOptions::default()
    };
    let recorder = Recorder::default();
    let report = annals::check_external(&options, &external, &recorder).expect("checked");
    let stages = recorder.stages.lock().expect("stages").clone();
    assert_eq!(stages.last(), Some(&(annals::Stage::External, Some(2))));
    assert_eq!(recorder.done.load(std::sync::atomic::Ordering::SeqCst), 2);
    assert_eq!(
        (report.checked, report.broken, report.without_archive),
        (2, 1, 1)
    );
    let answers: Vec<(String, Option<u16>, bool)> = report
        .addresses
        .iter()
        .map(|a| (a.address.clone(), a.status, a.broken))
        .collect();
    assert_eq!(answers, [(gone, Some(404), true), (ok, Some(200), false)]);
    assert_eq!(report.errors().len(), 1);
    // Run again: the working address comes from the cache and counts at once.
    let report = annals::check_external(&options, &external, &recorder).expect("checked");
    assert_eq!(report.from_cache, 1);
    assert_eq!(recorder.done.load(std::sync::atomic::Ordering::SeqCst), 2);
}
