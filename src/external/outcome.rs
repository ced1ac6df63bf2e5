//! What checking one address found, as kept in the cache, and how each
//! finding reads in a diagnostic: the message and the hint that says what
//! to do about it.

use serde::{Deserialize, Serialize};

/// Why an address is broken.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Failure {
    /// The server answered 4xx or 5xx (after the retries).
    Status { status: u16 },
    /// The host name does not resolve.
    Dns { detail: String },
    /// Nothing listens at the host's port.
    Refused,
    /// The TLS handshake failed (no TLS server, bad certificate…).
    Tls { detail: String },
    /// No answer within the time limit (after the retries).
    Timeout { seconds: u64 },
    /// A redirect leads back to an address already visited.
    Loop { at: String },
    /// More redirects than the limit.
    TooManyRedirects { limit: usize },
    /// A redirect without a usable `Location`, or to something not http(s).
    BadRedirect { detail: String },
    /// The address cannot be requested at all.
    Invalid { detail: String },
    /// Any other failure of the connection (reset, closed early…).
    Connection { detail: String },
}

/// What became of one address.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Outcome {
    /// The last status answered, if any answer came.
    pub status: Option<u16>,
    /// Where the leading permanent redirects (301, 308) lead: the address
    /// to write instead.
    pub moved_to: Option<String>,
    /// Set when the address does not work.
    pub failure: Option<Failure>,
}

impl Outcome {
    pub fn ok(status: u16, moved_to: Option<String>) -> Outcome {
        Outcome {
            status: Some(status),
            moved_to,
            failure: None,
        }
    }

    pub fn failed(failure: Failure, moved_to: Option<String>) -> Outcome {
        let status = match &failure {
            Failure::Status { status } => Some(*status),
            _ => None,
        };
        Outcome {
            status,
            moved_to,
            failure: Some(failure),
        }
    }

    pub fn is_broken(&self) -> bool {
        self.failure.is_some()
    }
}

/// The reason phrase of a status, for messages ("404 Not Found").
pub fn status_text(status: u16) -> String {
    match reqwest::StatusCode::from_u16(status)
        .ok()
        .and_then(|s| s.canonical_reason())
    {
        Some(reason) => format!("{status} {reason}"),
        None => status.to_string(),
    }
}

impl Failure {
    /// The diagnostic's message about `field` (`url` or `archive_url`).
    pub fn message(&self, field: &str) -> String {
        let what = match self {
            Failure::Status { status } => format!("answers {}", status_text(*status)),
            Failure::Dns { .. } => "names a host that does not resolve".into(),
            Failure::Refused => "refuses connections".into(),
            Failure::Tls { .. } => "fails its TLS handshake".into(),
            Failure::Timeout { .. } => "does not answer in time".into(),
            Failure::Loop { .. } => "redirects in a loop".into(),
            Failure::TooManyRedirects { .. } => "redirects too many times".into(),
            Failure::BadRedirect { .. } => "redirects nowhere usable".into(),
            Failure::Invalid { .. } => "cannot be requested".into(),
            Failure::Connection { .. } => "fails to connect".into(),
        };
        format!("broken link: the `{field}` {what}")
    }

    /// What happened, precisely, and what to do. `archived`: the source has an `archive_url`.
    pub fn hint(&self, field: &str, archived: bool) -> String {
        let fix = match (field, archived) {
            ("archive_url", _) => "fix the address or point `archive_url` at another copy",
            (_, true) => {
                "fix the address, or remove the `url` if the page is gone (the `archive_url` keeps a copy)"
            }
            (_, false) => {
                "fix the address, or add an `archive_url` and remove the `url` if the page is gone"
            }
        };
        match self {
            Failure::Status { status } => {
                format!("the server answered {}; {fix}", status_text(*status))
            }
            Failure::Dns { detail } => format!("DNS lookup failed ({detail}); {fix}"),
            Failure::Refused => format!("the connection was refused; {fix}"),
            Failure::Tls { detail } => format!("TLS error ({detail}); {fix}"),
            Failure::Timeout { seconds } => {
                format!(
                    "timed out after {seconds} s; check it in a browser, or raise --external-timeout"
                )
            }
            Failure::Loop { at } => format!("the redirects come back to {at}; {fix}"),
            Failure::TooManyRedirects { limit } => {
                format!("gave up after {limit} redirects; {fix}")
            }
            Failure::BadRedirect { detail } => format!("{detail}; {fix}"),
            Failure::Invalid { detail } => format!("{detail}; {fix}"),
            Failure::Connection { detail } => format!("{detail}; {fix}"),
        }
    }
}
