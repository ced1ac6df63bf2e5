//! Asks a server whether one address works: HEAD first, GET when the
//! server will not answer HEAD properly (reading the headers only, never
//! the body), redirects followed one by one so that loops and permanent
//! moves are seen, retries with backoff for timeouts, resets, 429 and 5xx
//! (honouring `Retry-After` up to a cap). Every request goes through the
//! [`Limits`].

use super::limit::Limits;
use super::outcome::{Failure, Outcome, status_text};
use reqwest::{Method, Url, header};
use std::collections::HashSet;
use std::time::Duration;

/// How patient the check is.
#[derive(Debug, Clone)]
pub struct Settings {
    /// Longest wait for one whole request.
    pub timeout: Duration,
    /// Longest wait for a connection (at most `timeout`).
    pub connect_timeout: Duration,
    /// Further tries after a timeout, a reset connection, 429 or 5xx.
    pub retries: u32,
    /// Wait before the first retry; doubled before each next one.
    pub backoff: Duration,
    /// Longest `Retry-After` honoured; a longer one waits this long.
    pub retry_after_cap: Duration,
    /// Redirects followed before giving up.
    pub max_redirects: usize,
}

pub struct Fetcher {
    client: reqwest::Client,
    limits: Limits,
    settings: Settings,
}

/// What one request answered, the body left unread.
struct Answer {
    status: u16,
    location: Option<String>,
}

impl Fetcher {
    /// The HTTP client: no automatic redirects (they are followed here),
    /// the time limits, and a User-Agent naming annals so that site owners
    /// know who asks.
    pub fn new(settings: Settings, limits: Limits) -> Result<Fetcher, String> {
        let client = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .timeout(settings.timeout)
            .connect_timeout(settings.connect_timeout.min(settings.timeout))
            .user_agent(concat!(
                "annals/",
                env!("CARGO_PKG_VERSION"),
                " (source link check)"
            ))
            .build()
            .map_err(|e| format!("cannot set up the HTTP client: {}", innermost(&e)))?;
        Ok(Fetcher {
            client,
            limits,
            settings,
        })
    }

    /// Checks `address`, following its redirects.
    pub async fn check(&self, address: &str) -> Outcome {
        let mut url = match Url::parse(address) {
            Ok(url) if matches!(url.scheme(), "http" | "https") && url.host_str().is_some() => url,
            Ok(url) => {
                let detail = format!("`{}` addresses are not checked", url.scheme());
                return Outcome::failed(Failure::Invalid { detail }, None);
            }
            Err(e) => {
                let detail = format!("the address is not valid ({e})");
                return Outcome::failed(Failure::Invalid { detail }, None);
            }
        };
        let mut seen = HashSet::from([url.to_string()]);
        let mut moved_to = None;
        // Only an unbroken run of permanent redirects from the written
        // address says where to write instead.
        let mut permanent_run = true;
        for _ in 0..=self.settings.max_redirects {
            let answer = match self.request(&url).await {
                Ok(answer) => answer,
                Err(failure) => return Outcome::failed(failure, moved_to),
            };
            let status = answer.status;
            if !(300..400).contains(&status) || status == 304 {
                if status >= 400 {
                    return Outcome::failed(Failure::Status { status }, moved_to);
                }
                return Outcome::ok(status, moved_to);
            }
            let next = match answer.location.as_deref().map(|l| url.join(l)) {
                Some(Ok(next)) if matches!(next.scheme(), "http" | "https") => next,
                Some(Ok(next)) => {
                    let detail = format!("it redirects to {next}, which is not an http(s) address");
                    return Outcome::failed(Failure::BadRedirect { detail }, moved_to);
                }
                Some(Err(e)) => {
                    let detail = format!("it redirects to an invalid address ({e})");
                    return Outcome::failed(Failure::BadRedirect { detail }, moved_to);
                }
                None => {
                    let detail = format!(
                        "the server answered {} without saying where to",
                        status_text(status)
                    );
                    return Outcome::failed(Failure::BadRedirect { detail }, moved_to);
                }
            };
            if matches!(status, 301 | 308) && permanent_run {
                moved_to = Some(next.to_string());
            } else {
                permanent_run = false;
            }
            if !seen.insert(next.to_string()) {
                let at = next.to_string();
                return Outcome::failed(Failure::Loop { at }, moved_to);
            }
            url = next;
        }
        let limit = self.settings.max_redirects;
        Outcome::failed(Failure::TooManyRedirects { limit }, moved_to)
    }

    /// One step of the chain: HEAD, or GET when HEAD is refused, with the
    /// retries. Redirects are answers here, not followed.
    async fn request(&self, url: &Url) -> Result<Answer, Failure> {
        let host = url.host_str().unwrap_or_default().to_string();
        let mut method = Method::HEAD;
        let mut attempt = 0;
        loop {
            let sent = {
                let _pass = self.limits.enter(&host).await;
                let sent = self
                    .client
                    .request(method.clone(), url.clone())
                    .send()
                    .await;
                // Headers only: the response (and its body) is dropped
                // before the slot is given back.
                sent.map(|response| {
                    let headers = response.headers();
                    let answer = Answer {
                        status: response.status().as_u16(),
                        location: headers
                            .get(header::LOCATION)
                            .and_then(|v| v.to_str().ok())
                            .map(str::to_string),
                    };
                    (answer, retry_after(headers))
                })
            };
            let wait = match sent {
                Ok((answer, retry_after)) => {
                    let status = answer.status;
                    let again = status == 429 || status >= 500;
                    if method == Method::HEAD && head_refused(status) {
                        // Many servers answer HEAD with 405, 403, 404 or
                        // 501 while GET works: GET decides.
                        method = Method::GET;
                        continue;
                    }
                    if !again || attempt >= self.settings.retries {
                        if again && method == Method::HEAD && status != 429 {
                            // A server failing HEAD every time may still
                            // serve GET: one last try.
                            method = Method::GET;
                            attempt = self.settings.retries;
                            continue;
                        }
                        return Ok(answer);
                    }
                    retry_after
                        .map(|w| w.min(self.settings.retry_after_cap))
                        .unwrap_or_else(|| self.backoff(attempt))
                }
                Err(e) => {
                    let failure = self.classify(&e, url);
                    let again = matches!(
                        failure,
                        Failure::Timeout { .. } | Failure::Connection { .. }
                    );
                    if !again || attempt >= self.settings.retries {
                        return Err(failure);
                    }
                    self.backoff(attempt)
                }
            };
            attempt += 1;
            tokio::time::sleep(wait).await;
        }
    }

    fn backoff(&self, attempt: u32) -> Duration {
        self.settings.backoff.saturating_mul(1 << attempt.min(16))
    }

    /// What kind of failure a client error is, from its chain of causes.
    fn classify(&self, e: &reqwest::Error, url: &Url) -> Failure {
        let detail = innermost(e);
        let kinds: Vec<std::io::ErrorKind> = causes(e)
            .filter_map(|c| c.downcast_ref::<std::io::Error>())
            .map(std::io::Error::kind)
            .collect();
        let text: String = causes(e)
            .map(|c| c.to_string().to_lowercase())
            .collect::<Vec<_>>()
            .join(": ");
        use std::io::ErrorKind as K;
        if e.is_timeout() || kinds.contains(&K::TimedOut) {
            let limit = if e.is_connect() {
                self.settings.connect_timeout.min(self.settings.timeout)
            } else {
                self.settings.timeout
            };
            return Failure::Timeout {
                seconds: limit.as_secs_f64().round() as u64,
            };
        }
        if e.is_builder() {
            return Failure::Invalid { detail };
        }
        if kinds.contains(&K::ConnectionRefused) {
            return Failure::Refused;
        }
        if text.contains("dns error") || text.contains("failed to lookup address") {
            return Failure::Dns { detail };
        }
        let tls_words = ["tls", "certificate", "handshake", "invalidcontenttype"];
        if url.scheme() == "https"
            && (kinds.contains(&K::InvalidData) || tls_words.iter().any(|w| text.contains(w)))
        {
            return Failure::Tls { detail };
        }
        if kinds.contains(&K::ConnectionReset) {
            let detail = "the server reset the connection".to_string();
            return Failure::Connection { detail };
        }
        Failure::Connection { detail }
    }
}

/// Statuses with which a server refuses HEAD but may well serve GET.
fn head_refused(status: u16) -> bool {
    (400..500).contains(&status) && status != 429 || status == 501
}

/// The error and its causes, outermost first.
fn causes<'e>(
    e: &'e (dyn std::error::Error + 'static),
) -> impl Iterator<Item = &'e (dyn std::error::Error + 'static)> {
    std::iter::successors(Some(e), |c| c.source())
}

/// The deepest cause's message: the one that says what went wrong.
fn innermost(e: &(dyn std::error::Error + 'static)) -> String {
    causes(e).last().map(|c| c.to_string()).unwrap_or_default()
}

/// `Retry-After` in seconds or as an HTTP date.
fn retry_after(headers: &header::HeaderMap) -> Option<Duration> {
    let value = headers.get(header::RETRY_AFTER)?.to_str().ok()?.trim();
    if let Ok(seconds) = value.parse::<u64>() {
        return Some(Duration::from_secs(seconds));
    }
    let when = chrono::DateTime::parse_from_rfc2822(value).ok()?;
    let wait = when.signed_duration_since(chrono::Utc::now());
    Some(wait.to_std().unwrap_or(Duration::ZERO))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retry_after_reads_seconds_and_dates() {
        let mut headers = header::HeaderMap::new();
        headers.insert(header::RETRY_AFTER, header::HeaderValue::from_static("7"));
        assert_eq!(retry_after(&headers), Some(Duration::from_secs(7)));
        headers.insert(
            header::RETRY_AFTER,
            header::HeaderValue::from_static("Wed, 21 Oct 2015 07:28:00 GMT"),
        );
        assert_eq!(retry_after(&headers), Some(Duration::ZERO));
        headers.insert(
            header::RETRY_AFTER,
            header::HeaderValue::from_static("soon"),
        );
        assert_eq!(retry_after(&headers), None);
    }

    #[test]
    fn head_is_retried_as_get_only_when_refused() {
        assert!(head_refused(405) && head_refused(403) && head_refused(501));
        assert!(!head_refused(429) && !head_refused(500) && !head_refused(200));
    }
}
