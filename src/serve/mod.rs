//! `annals serve`: the live preview. An axum server answers from the
//! in-memory [`live::Snapshot`] (only files of the built site exist for it),
//! a debounced watcher applies changes, and open pages hear about rebuilds
//! and errors over Server-Sent Events. The reload script is injected into
//! served HTML only; `build` output never contains it. Connections are
//! accepted by [`listen`] (timeouts, connection cap, `Host` check).

mod addresses;
mod hosts;
mod listen;
mod live;
mod paths;

pub use listen::Limits;

use crate::BuildOptions;
use crate::diagnostic::Diagnostic;
use crate::error::Error;
use crate::urls;
use axum::Router;
use axum::body::{Body, Bytes};
use axum::extract::State;
use axum::http::{HeaderValue, Method, StatusCode, Uri, header};
use axum::response::sse::{Event as SseEvent, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use live::{Found, Live, Snapshot};
use std::convert::Infallible;
use std::net::{IpAddr, SocketAddr, TcpListener};
use std::path::PathBuf;
use std::sync::{Arc, RwLock};
use std::time::{Duration, Instant};
use tokio::sync::broadcast;
use tokio_stream::StreamExt;

const LIVE_JS: &str = include_str!("live.js");
/// Quiet period that ends a burst of file events (editor saves, checkouts).
const DEBOUNCE: Duration = Duration::from_millis(30);

#[derive(Debug, Clone)]
pub struct ServeOptions {
    pub site: PathBuf,
    pub bind: IpAddr,
    /// Host names given with `--bind` (resolved into `bind`), accepted in
    /// the `Host` header besides localhost and address literals.
    pub host_names: Vec<String>,
    pub port: u16,
    pub open: bool,
    pub drafts: bool,
    pub quiet: bool,
    pub limits: Limits,
}

/// A message to open pages.
#[derive(Debug, Clone)]
enum Notice {
    Reload(u64),
    Errors(String),
    /// `base_url`'s path changed: pages go to the site's new home.
    Moved(String),
}

struct App {
    snapshot: RwLock<Arc<Snapshot>>,
    /// Diagnostics of the latest failed rebuild, shown over the last good page.
    errors: RwLock<Option<String>>,
    version: RwLock<u64>,
    notices: broadcast::Sender<Notice>,
}

impl App {
    fn snapshot(&self) -> Arc<Snapshot> {
        match self.snapshot.read() {
            Ok(s) => s.clone(),
            Err(poisoned) => poisoned.into_inner().clone(),
        }
    }

    fn version(&self) -> u64 {
        self.version.read().map(|v| *v).unwrap_or(0)
    }

    fn errors(&self) -> Option<String> {
        self.errors.read().ok().and_then(|e| e.clone())
    }
}

/// What a failed build shows: its diagnostics one per line, or the
/// error's message when it carries none.
fn render_errors(err: &Error) -> String {
    match err.diagnostics() {
        [] => err.to_string(),
        diagnostics => diagnostics
            .iter()
            .map(Diagnostic::to_string)
            .collect::<Vec<_>>()
            .join("\n"),
    }
}

/// Binds `port` or the next free one (up to 50 further); 0 picks any.
fn bind(ip: IpAddr, port: u16) -> Result<(TcpListener, bool), Error> {
    let tries = if port == 0 { 1 } else { 50 };
    let mut last = None;
    for offset in 0..tries {
        let Some(candidate) = port.checked_add(offset) else {
            break;
        };
        match TcpListener::bind(SocketAddr::new(ip, candidate)) {
            Ok(l) => return Ok((l, offset > 0)),
            Err(e) => last = Some(e),
        }
    }
    Err(Error::Usage(format!(
        "cannot listen on {ip} port {port}{}: {}",
        if tries > 1 {
            " or the next 49 ports"
        } else {
            ""
        },
        last.map(|e| e.to_string()).unwrap_or_default()
    )))
}

/// Runs the preview server until interrupted.
pub fn run(options: ServeOptions) -> Result<(), Error> {
    crate::config::require_site(&options.site)?;
    let (listener, moved) = bind(options.bind, options.port)?;
    let addr = listener
        .local_addr()
        .map_err(|e| Error::io("cannot read the bound address", e))?;
    if moved {
        eprintln!(
            "note: port {} is busy; using {} instead",
            options.port,
            addr.port()
        );
    }
    if !options.bind.is_loopback() {
        eprintln!(
            "warning: serving on {}, which other machines can reach; the preview is meant for 127.0.0.1",
            options.bind
        );
    }
    let (here, elsewhere) = addresses::to_open(addr);
    // Absolute links (feeds, calendar) point where every reader can open
    // them: the network address when there is one to offer.
    let origin = addresses::origin(*elsewhere.first().unwrap_or(&here));
    let build_options = BuildOptions {
        site: options.site.clone(),
        out: None,
        base_url: None,
        drafts: options.drafts,
        clean: false,
    };
    // The sub-path comes from site.yaml each time it is read (`Live`).
    let mut live = Live::new(build_options, origin);
    let started = Instant::now();
    let first = live.load_all();
    tell_warnings(&mut live, options.quiet);
    let (snapshot, errors) = match first {
        Ok(s) => {
            print_warnings(&s.site);
            (s, None)
        }
        Err(err) => {
            report(&err);
            // Serve what is valid until the rest is fixed.
            (live.fallback_snapshot()?, Some(render_errors(&err)))
        }
    };
    let (tx, _) = broadcast::channel(64);
    let app = Arc::new(App {
        snapshot: RwLock::new(snapshot),
        errors: RwLock::new(errors),
        version: RwLock::new(1),
        notices: tx,
    });
    let base_path = app.snapshot().site.config.base_path().to_string();
    let url = format!("{}{base_path}", addresses::origin(here));
    println!(
        "Serving {} at {url} (Ctrl+C to stop)",
        options.site.display()
    );
    if addr.ip().is_unspecified() {
        if elsewhere.is_empty() {
            eprintln!(
                "note: no network address found: other devices cannot reach this machine now"
            );
        }
        for a in &elsewhere {
            println!(
                "  from another device on this network (a phone): {}{base_path}",
                addresses::origin(*a)
            );
        }
    }
    if !options.quiet {
        eprintln!("Loaded in {} ms", started.elapsed().as_millis());
    }
    if options.open
        && let Err(e) = open::that(&url)
    {
        eprintln!("warning: could not open a browser: {e}");
    }
    let _watcher = watch(&options, live, app.clone(), addresses::origin(here))?;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|e| Error::io("cannot start the server", e))?;
    runtime.block_on(async move {
        listener
            .set_nonblocking(true)
            .map_err(|e| Error::io("cannot listen", e))?;
        let listener = tokio::net::TcpListener::from_std(listener)
            .map_err(|e| Error::io("cannot listen", e))?;
        let router = Router::new()
            .route("/__annals/events", get(events))
            .route("/__annals/live.js", get(live_js))
            .fallback(file)
            .with_state(app);
        let hosts = hosts::HostPolicy::new(addr.ip(), addr.port(), &options.host_names);
        listen::serve(listener, router, hosts, options.limits, async {
            let _ = tokio::signal::ctrl_c().await;
        })
        .await;
        Ok(())
    })
}

/// Problems that do not stop the preview (body links leaving the base path).
fn print_warnings(site: &crate::model::Site) {
    for w in &site.warnings {
        eprintln!("{w}");
    }
}

fn report(err: &Error) {
    eprintln!("{}", render_errors(err));
}

/// Prints skipped symlinks once each, unless `--quiet`.
fn tell_warnings(live: &mut Live, quiet: bool) {
    for w in live.take_warnings() {
        if !quiet {
            eprintln!("warning: {w}");
        }
    }
}

/// Gathers file events into batches: a batch ends after a quiet period, so
/// an editor's save storm or a `git checkout` of many files is one rebuild.
/// Access events (our own reads) are dropped, or reading would retrigger.
fn batches(
    rx: std::sync::mpsc::Receiver<notify::Result<notify::Event>>,
    mut on_batch: impl FnMut(Vec<PathBuf>),
) {
    use std::sync::mpsc::RecvTimeoutError;
    let relevant = |event: &notify::Event| !matches!(event.kind, notify::EventKind::Access(_));
    loop {
        let first = match rx.recv() {
            Ok(Ok(event)) if relevant(&event) => event,
            Ok(_) => continue,
            Err(_) => return,
        };
        let mut paths = first.paths;
        loop {
            match rx.recv_timeout(DEBOUNCE) {
                Ok(Ok(event)) if relevant(&event) => paths.extend(event.paths),
                Ok(_) => {}
                Err(RecvTimeoutError::Timeout) => break,
                Err(RecvTimeoutError::Disconnected) => return,
            }
        }
        paths.sort();
        paths.dedup();
        on_batch(paths);
    }
}

/// Starts the watcher thread; the returned watcher must be kept alive.
fn watch(
    options: &ServeOptions,
    mut live: Live,
    app: Arc<App>,
    origin: String,
) -> Result<notify::RecommendedWatcher, Error> {
    use notify::{RecursiveMode, Watcher};
    let (tx, rx) = std::sync::mpsc::channel();
    let mut watcher = notify::recommended_watcher(tx)
        .map_err(|e| Error::io("cannot watch files", std::io::Error::other(e)))?;
    watcher
        .watch(&options.site, RecursiveMode::Recursive)
        .map_err(|e| {
            Error::io(
                format!("cannot watch {}", options.site.display()),
                std::io::Error::other(e),
            )
        })?;
    let quiet = options.quiet;
    std::thread::spawn(move || {
        batches(rx, |paths| {
            let started = Instant::now();
            let applied = live.apply(&paths);
            tell_warnings(&mut live, quiet);
            match applied {
                Ok(None) => {}
                Ok(Some(snapshot)) => {
                    print_warnings(&snapshot.site);
                    let events = snapshot.site.events.len();
                    let new_base = snapshot.site.config.base_path().to_string();
                    let old_base = app.snapshot().site.config.base_path().to_string();
                    // The old snapshot is freed after the pages are told.
                    let _previous = app
                        .snapshot
                        .write()
                        .map(|mut s| std::mem::replace(&mut *s, snapshot));
                    if let Ok(mut e) = app.errors.write() {
                        *e = None;
                    }
                    let version = {
                        let mut v = app.version.write().unwrap_or_else(|p| p.into_inner());
                        *v += 1;
                        *v
                    };
                    if new_base != old_base {
                        // Printed even with --quiet: the old address is gone.
                        eprintln!(
                            "base_url changed: now serving at {}{new_base} (was {old_base})",
                            origin
                        );
                        let _ = app.notices.send(Notice::Moved(new_base));
                    } else {
                        let _ = app.notices.send(Notice::Reload(version));
                    }
                    if !quiet {
                        eprintln!(
                            "Rebuilt {events} events in {} ms",
                            started.elapsed().as_millis()
                        );
                    }
                }
                Err(err) => {
                    report(&err);
                    let text = render_errors(&err);
                    if let Ok(mut e) = app.errors.write() {
                        *e = Some(text.clone());
                    }
                    let _ = app.notices.send(Notice::Errors(text));
                }
            }
        });
    });
    Ok(watcher)
}

async fn live_js() -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/javascript; charset=utf-8"),
            (header::CACHE_CONTROL, "no-store"),
        ],
        LIVE_JS,
    )
        .into_response()
}

fn sse(notice: Notice) -> SseEvent {
    match notice {
        Notice::Reload(v) => SseEvent::default().event("reload").data(v.to_string()),
        Notice::Errors(text) => SseEvent::default().event("errors").data(text),
        Notice::Moved(path) => SseEvent::default().event("moved").data(path),
    }
}

async fn events(
    State(app): State<Arc<App>>,
) -> Sse<impl tokio_stream::Stream<Item = Result<SseEvent, Infallible>>> {
    let first = match app.errors() {
        Some(text) => Notice::Errors(text),
        None => Notice::Reload(app.version()),
    };
    // The first message tells a page the current version (it reloads if it
    // is older) or the current errors.
    let hello = match first {
        Notice::Reload(v) => SseEvent::default().event("hello").data(v.to_string()),
        other => sse(other),
    };
    let updates = tokio_stream::wrappers::BroadcastStream::new(app.notices.subscribe())
        .filter_map(|n| n.ok())
        .map(|n| Ok(sse(n)));
    let stream = tokio_stream::once(Ok(hello)).chain(updates);
    Sse::new(stream).keep_alive(KeepAlive::default())
}

fn content_type(rel: &str) -> String {
    let name = rel.rsplit('/').next().unwrap_or(rel);
    match name.rsplit_once('.').map(|(_, e)| e) {
        Some("html") => "text/html; charset=utf-8".into(),
        Some("xml") if name == urls::ATOM => "application/atom+xml; charset=utf-8".into(),
        Some("json") if name == urls::JSON_FEED => "application/feed+json; charset=utf-8".into(),
        Some("ics") => "text/calendar; charset=utf-8".into(),
        Some("css") => "text/css; charset=utf-8".into(),
        Some("js") => "text/javascript; charset=utf-8".into(),
        Some("json") => "application/json; charset=utf-8".into(),
        Some("txt") => "text/plain; charset=utf-8".into(),
        Some("bib") => "application/x-bibtex; charset=utf-8".into(),
        Some("ris") => "application/x-research-info-systems; charset=utf-8".into(),
        _ => mime_guess::from_path(name)
            .first_or_octet_stream()
            .essence_str()
            .to_string(),
    }
}

/// Where the reload script goes in an HTML page: before its last
/// `</body>`, or at the end.
fn script_at(html: &[u8]) -> usize {
    const END: &[u8] = b"</body>";
    html.windows(END.len())
        .rposition(|w| w == END)
        .unwrap_or(html.len())
}

/// An HTML page with the reload script added, and its length. The page is
/// sent as slices of the shared bytes around the script, so it is never
/// copied.
fn inject(html: Bytes, version: u64) -> (Body, usize) {
    let script = Bytes::from(format!(
        "<script src=\"/__annals/live.js\" data-annals-version=\"{version}\" defer></script>\n"
    ));
    let at = script_at(&html);
    let len = html.len() + script.len();
    let parts = [html.slice(..at), script, html.slice(at..)];
    let stream = tokio_stream::iter(parts.map(Ok::<Bytes, Infallible>));
    (Body::from_stream(stream), len)
}

fn respond(status: StatusCode, rel: &str, body: Bytes, version: u64) -> Response {
    let kind = content_type(rel);
    let mut response = if kind.starts_with("text/html") {
        let (body, len) = inject(body, version);
        let mut response = (status, body).into_response();
        // A streamed body has no length of its own; saying it keeps the
        // response unchunked, as for every other file.
        response
            .headers_mut()
            .insert(header::CONTENT_LENGTH, HeaderValue::from(len));
        response
    } else {
        (status, body).into_response()
    };
    let headers = response.headers_mut();
    if let Ok(v) = HeaderValue::from_str(&kind) {
        headers.insert(header::CONTENT_TYPE, v);
    }
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    response
}

fn plain(status: StatusCode, text: &str) -> Response {
    (
        status,
        [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
        text.to_string(),
    )
        .into_response()
}

async fn file(State(app): State<Arc<App>>, method: Method, uri: Uri) -> Response {
    if method != Method::GET && method != Method::HEAD {
        return plain(StatusCode::METHOD_NOT_ALLOWED, "only GET and HEAD");
    }
    let snapshot = app.snapshot();
    let version = app.version();
    let base = snapshot.site.config.base_path();
    let rel = match paths::site_relative(uri.path(), base) {
        paths::Resolved::File(rel) => rel,
        paths::Resolved::ToBase => {
            return (StatusCode::TEMPORARY_REDIRECT, [(header::LOCATION, base)]).into_response();
        }
        paths::Resolved::Refused => {
            return plain(StatusCode::BAD_REQUEST, "refused: not a path of this site");
        }
        paths::Resolved::Outside => {
            return not_found(&snapshot, version);
        }
    };
    let found = tokio::task::block_in_place(|| snapshot.get(&rel));
    match found {
        Ok(Found::File(bytes)) => respond(StatusCode::OK, &rel, bytes, version),
        Ok(Found::Redirect) => {
            let mut location = format!("{}/", uri.path());
            if let Some(q) = uri.query() {
                location.push('?');
                location.push_str(q);
            }
            (
                StatusCode::PERMANENT_REDIRECT,
                [(header::LOCATION, location)],
            )
                .into_response()
        }
        Ok(Found::Missing) => not_found(&snapshot, version),
        Err(d) => respond(
            StatusCode::INTERNAL_SERVER_ERROR,
            "error.txt",
            Bytes::from(d.to_string()),
            version,
        ),
    }
}

fn not_found(snapshot: &Snapshot, version: u64) -> Response {
    match snapshot.get(urls::NOT_FOUND) {
        Ok(Found::File(bytes)) => respond(StatusCode::NOT_FOUND, urls::NOT_FOUND, bytes, version),
        _ => plain(StatusCode::NOT_FOUND, "not found"),
    }
}
