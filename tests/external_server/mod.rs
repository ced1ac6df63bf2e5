//! A small HTTP/1.1 server on 127.0.0.1 for the link-check tests: one
//! thread per connection, fixed routes answering each kind of trouble a
//! source link can be in, and a record of every request (method, path,
//! User-Agent, start time) and of the most requests it held at once.
#![allow(dead_code)]

use std::collections::HashMap;
use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

#[derive(Debug, Clone)]
pub struct Request {
    pub method: String,
    pub path: String,
    pub user_agent: String,
    pub at: Instant,
}

#[derive(Default)]
struct State {
    requests: Mutex<Vec<Request>>,
    in_flight: AtomicUsize,
    most_in_flight: AtomicUsize,
    /// Requests seen per path, for the routes that answer differently later.
    seen: Mutex<HashMap<String, usize>>,
}

pub struct Server {
    pub port: u16,
    state: Arc<State>,
}

impl Server {
    pub fn start() -> Server {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind the test server");
        let port = listener.local_addr().expect("its address").port();
        let state = Arc::new(State::default());
        let shared = state.clone();
        std::thread::spawn(move || {
            for stream in listener.incoming().flatten() {
                let state = shared.clone();
                std::thread::spawn(move || serve(stream, &state));
            }
        });
        Server { port, state }
    }

    /// `http://127.0.0.1:<port><path>`.
    pub fn url(&self, path: &str) -> String {
        format!("http://127.0.0.1:{}{path}", self.port)
    }

    pub fn requests(&self) -> Vec<Request> {
        self.state.requests.lock().expect("requests").clone()
    }

    /// How many requests asked for `path`.
    pub fn hits(&self, path: &str) -> usize {
        self.requests().iter().filter(|r| r.path == path).count()
    }

    pub fn most_in_flight(&self) -> usize {
        self.state.most_in_flight.load(Ordering::SeqCst)
    }
}

/// A port nothing listens on: bound, then let go.
pub fn closed_port() -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
    listener.local_addr().expect("address").port()
}

fn serve(stream: TcpStream, state: &State) {
    let mut reader = BufReader::new(match stream.try_clone() {
        Ok(s) => s,
        Err(_) => return,
    });
    // A TLS handshake sent to this plain server is answered in plain
    // HTTP at once, as real servers do, so the client fails its handshake
    // (rather than wait for a request line that never ends).
    match reader.fill_buf() {
        Ok([0x16, ..]) => {
            let mut stream = stream;
            let _ = stream.write_all(b"HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n");
            return;
        }
        Ok([]) | Err(_) => return,
        Ok(_) => {}
    }
    let mut line = String::new();
    if reader.read_line(&mut line).is_err() {
        return;
    }
    let mut parts = line.split_whitespace();
    let method = parts.next().unwrap_or_default().to_string();
    let path = parts.next().unwrap_or_default().to_string();
    let mut user_agent = String::new();
    loop {
        let mut header = String::new();
        match reader.read_line(&mut header) {
            Ok(0) | Err(_) => return,
            Ok(_) if header.trim().is_empty() => break,
            Ok(_) => {
                if let Some((name, value)) = header.split_once(':')
                    && name.eq_ignore_ascii_case("user-agent")
                {
                    user_agent = value.trim().to_string();
                }
            }
        }
    }
    let now = state.in_flight.fetch_add(1, Ordering::SeqCst) + 1;
    state.most_in_flight.fetch_max(now, Ordering::SeqCst);
    state.requests.lock().expect("requests").push(Request {
        method: method.clone(),
        path: path.clone(),
        user_agent,
        at: Instant::now(),
    });
    let seen = {
        let mut seen = state.seen.lock().expect("seen");
        let n = seen.entry(path.clone()).or_default();
        *n += 1;
        *n
    };
    let answer = route(&method, &path, seen);
    // Counted out before the answer is written: the client cannot have
    // it (and start another request in this slot) any earlier.
    state.in_flight.fetch_sub(1, Ordering::SeqCst);
    let mut stream = stream;
    let head = format!(
        "HTTP/1.1 {}\r\nConnection: close\r\nContent-Length: {}\r\n{}\r\n",
        answer.status,
        answer.length,
        answer.headers.concat()
    );
    if stream.write_all(head.as_bytes()).is_err() || method == "HEAD" {
        return;
    }
    // A body far larger than anything the check should read, written in
    // pieces: the client must hang up after the headers.
    let piece = vec![b'x'; 16 * 1024];
    let mut left = answer.length;
    while left > 0 {
        let n = left.min(piece.len());
        if stream.write_all(&piece[..n]).is_err() {
            return;
        }
        left -= n;
    }
}

struct Answer {
    status: &'static str,
    headers: Vec<String>,
    length: usize,
}

fn answer(status: &'static str) -> Answer {
    Answer {
        status,
        headers: Vec::new(),
        length: 2,
    }
}

fn redirect(status: &'static str, to: &str) -> Answer {
    Answer {
        status,
        headers: vec![format!("Location: {to}\r\n")],
        length: 0,
    }
}

fn route(method: &str, path: &str, seen: usize) -> Answer {
    if let Some(ms) = path.strip_prefix("/slow-ok/") {
        let ms = ms
            .split('/')
            .next()
            .and_then(|m| m.parse().ok())
            .unwrap_or(100);
        std::thread::sleep(Duration::from_millis(ms));
        return answer("200 OK");
    }
    match path {
        "/head-405" if method == "HEAD" => answer("405 Method Not Allowed"),
        "/head-405" => Answer {
            // 64 MiB: read whole, the check would take far too long.
            length: 64 * 1024 * 1024,
            ..answer("200 OK")
        },
        "/moved/1" => redirect("301 Moved Permanently", "/moved/2"),
        "/moved/2" => redirect("308 Permanent Redirect", "/moved/final"),
        "/found" => redirect("302 Found", "/found-target"),
        "/loop/a" => redirect("302 Found", "/loop/b"),
        "/loop/b" => redirect("302 Found", "/loop/a"),
        "/missing" => answer("404 Not Found"),
        "/error" => answer("500 Internal Server Error"),
        "/flaky" if seen == 1 => answer("503 Service Unavailable"),
        "/busy" if seen == 1 => Answer {
            headers: vec!["Retry-After: 1\r\n".into()],
            ..answer("429 Too Many Requests")
        },
        "/slow" => {
            std::thread::sleep(Duration::from_secs(3));
            answer("200 OK")
        }
        _ => answer("200 OK"),
    }
}
