//! The preview server's accept loop, built so slow or idle clients cannot
//! starve it: every connection must send a complete request header within
//! [`Limits::header_timeout`] (this also ends idle keep-alive connections),
//! at most [`Limits::max_connections`] are open at once, and when that many
//! are open a new client takes the place of the oldest idle one: a
//! connection still sending its first request, or kept alive between
//! requests. A connection busy with a request, such as an open reload
//! channel, keeps its place. Requests whose `Host` header does not name
//! this server are answered 421 before any route sees them.

use super::hosts::HostPolicy;
use axum::Router;
use axum::body::Body;
use axum::http::{Request, Response, StatusCode, header};
use hyper::body::Incoming;
use hyper_util::rt::{TokioIo, TokioTimer};
use std::collections::BTreeMap;
use std::future::Future;
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::sync::Notify;
use tower_service::Service;

/// Bounds on what clients may hold.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// Time allowed to send a whole request header, or to start the next
    /// request on a kept-alive connection.
    pub header_timeout: Duration,
    /// Connections served at once.
    pub max_connections: usize,
}

/// File descriptors kept free for reading the site, the watcher and stdio.
const FD_RESERVE: u64 = 48;
const DEFAULT_MAX_CONNECTIONS: usize = 1024;

impl Default for Limits {
    fn default() -> Limits {
        Limits {
            header_timeout: Duration::from_secs(10),
            max_connections: fd_budget().min(DEFAULT_MAX_CONNECTIONS),
        }
    }
}

/// Connections the process can hold without running out of descriptors.
fn fd_budget() -> usize {
    let mut limit = libc::rlimit {
        rlim_cur: 0,
        rlim_max: 0,
    };
    // SAFETY: getrlimit writes into the struct it is given and nothing else.
    let ok = unsafe { libc::getrlimit(libc::RLIMIT_NOFILE, &mut limit) } == 0;
    if !ok || limit.rlim_cur == libc::RLIM_INFINITY {
        return DEFAULT_MAX_CONNECTIONS;
    }
    let budget = limit.rlim_cur.saturating_sub(FD_RESERVE).max(8);
    usize::try_from(budget).unwrap_or(DEFAULT_MAX_CONNECTIONS)
}

/// Open connections by arrival order, each with whether it is idle (may be
/// closed to make room) and the signal that closes it.
#[derive(Default)]
struct Registry {
    next: u64,
    open: BTreeMap<u64, (bool, Arc<Notify>)>,
}

impl Registry {
    /// Makes room for one more connection; false when every open one is
    /// busy with a request.
    fn make_room(&mut self, max: usize) -> bool {
        if self.open.len() < max {
            return true;
        }
        let oldest_idle = self
            .open
            .iter()
            .find(|(_, (idle, _))| *idle)
            .map(|(id, _)| *id);
        match oldest_idle.and_then(|id| self.open.remove(&id)) {
            Some((_, close)) => {
                close.notify_one();
                true
            }
            None => false,
        }
    }

    fn set_idle(&mut self, id: u64, idle: bool) {
        if let Some(slot) = self.open.get_mut(&id) {
            slot.0 = idle;
        }
    }
}

fn lock(registry: &Mutex<Registry>) -> std::sync::MutexGuard<'_, Registry> {
    registry
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

fn misdirected() -> Response<Body> {
    let mut response = Response::new(Body::from(
        "refused: this preview server answers only requests for localhost or its own address\n",
    ));
    *response.status_mut() = StatusCode::MISDIRECTED_REQUEST;
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        header::HeaderValue::from_static("text/plain; charset=utf-8"),
    );
    response
}

/// Serves `router` on `listener` until `shutdown` completes.
pub async fn serve(
    listener: tokio::net::TcpListener,
    router: Router,
    hosts: HostPolicy,
    limits: Limits,
    shutdown: impl Future<Output = ()>,
) {
    let registry = Arc::new(Mutex::new(Registry::default()));
    let hosts = Arc::new(hosts);
    let max = limits.max_connections.max(1);
    tokio::pin!(shutdown);
    loop {
        let accepted = tokio::select! {
            _ = &mut shutdown => return,
            accepted = listener.accept() => accepted,
        };
        let stream = match accepted {
            Ok((stream, _)) => stream,
            Err(_) => {
                // Out of descriptors or a reset during accept: try again
                // shortly rather than stop serving.
                tokio::time::sleep(Duration::from_millis(20)).await;
                continue;
            }
        };
        let close = Arc::new(Notify::new());
        let id = {
            let mut reg = lock(&registry);
            if !reg.make_room(max) {
                continue; // dropping the stream closes it
            }
            let id = reg.next;
            reg.next += 1;
            reg.open.insert(id, (true, close.clone()));
            id
        };
        let service = {
            let registry = registry.clone();
            let hosts = hosts.clone();
            let router = router.clone();
            hyper::service::service_fn(move |req: Request<Incoming>| {
                // Busy until the response is ready; the reload channel
                // stays busy for as long as it is open.
                lock(&registry).set_idle(id, false);
                let endless = req.uri().path() == "/__annals/events";
                let host = req
                    .headers()
                    .get(header::HOST)
                    .map(|h| h.to_str().unwrap_or("\u{0}"));
                let allowed = hosts.allows(host.or(req.uri().authority().map(|a| a.as_str())));
                let mut router = router.clone();
                let registry = registry.clone();
                async move {
                    let response = if allowed {
                        router.call(req).await
                    } else {
                        Ok(misdirected())
                    };
                    if !(allowed && endless) {
                        lock(&registry).set_idle(id, true);
                    }
                    response
                }
            })
        };
        let registry = registry.clone();
        tokio::spawn(async move {
            let mut builder = hyper::server::conn::http1::Builder::new();
            builder
                .timer(TokioTimer::new())
                .header_read_timeout(limits.header_timeout)
                .keep_alive(true);
            let connection = builder.serve_connection(TokioIo::new(stream), service);
            tokio::select! {
                _ = connection => {}
                _ = close.notified() => {}
            }
            lock(&registry).open.remove(&id);
        });
    }
}
