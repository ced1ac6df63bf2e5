//! Which base URLs a site may have, and their normal form. Every page puts
//! the base path in front of its links and scripts, so a base that a browser
//! reads as another host (`/\evil.example/`, `//evil.example/`) or that
//! breaks out of an attribute would hand every page to someone else.
//!
//! Accepted: an absolute `http`/`https` URL with a host and no user name,
//! password, query or fragment; or a path starting with a single `/`. In
//! both, the path holds only RFC 3986 path characters (letters, digits,
//! `- . _ ~ ! $ & ( ) * + , ; = : @ /` and `%` followed by two hex digits),
//! has no empty, `.` or `..` segment, and ends in `/`.

use url::Url;

/// What to write instead, shown with every refusal.
pub const HINT: &str = "write an absolute http(s) URL such as https://example.org/timeline/, or a path such as /timeline/";

/// A base URL in its normal form, with its path found once: every page
/// asks for the path, so it is not parsed again on each call.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BaseUrl {
    url: String,
    /// Where the host starts in `url` (0 for a plain path).
    host_start: usize,
    /// Where the path starts in `url` (0 for a plain path).
    path_start: usize,
}

impl BaseUrl {
    /// The base of a site with none configured: `/`.
    pub fn root() -> BaseUrl {
        BaseUrl {
            url: "/".into(),
            host_start: 0,
            path_start: 0,
        }
    }

    /// Checks and normalises `input` (see [`normalise`]).
    pub fn parse(input: &str) -> Result<BaseUrl, String> {
        let url = normalise(input)?;
        let (host_start, path_start) = match url.find("://") {
            Some(i) => (
                i + 3,
                url[i + 3..].find('/').map_or(url.len(), |p| i + 3 + p),
            ),
            None => (0, 0),
        };
        Ok(BaseUrl {
            url,
            host_start,
            path_start,
        })
    }

    /// The whole base URL, ending in `/`.
    pub fn as_str(&self) -> &str {
        &self.url
    }

    /// The path part ("/" or "/timeline/"), for site links.
    pub fn path(&self) -> &str {
        self.url.get(self.path_start..).unwrap_or("/")
    }

    /// The host of an absolute base, with its port when one is written
    /// (`example.org`, `127.0.0.1:1111`); `None` for a plain path.
    pub fn host(&self) -> Option<&str> {
        if self.is_absolute() {
            self.url.get(self.host_start..self.path_start)
        } else {
            None
        }
    }

    /// Whether the base names a host, so pages can be linked from outside.
    pub fn is_absolute(&self) -> bool {
        is_absolute(&self.url)
    }
}

/// Whether `url` names a scheme and host (`https://…`) rather than a path.
pub fn is_absolute(url: &str) -> bool {
    url.contains("://")
}

/// The normal form of `input` (ending in `/`), or why it is refused.
pub fn normalise(input: &str) -> Result<String, String> {
    if input.is_empty() {
        return Err("the base URL is empty".into());
    }
    if let Some(c) = input.chars().find(|&c| is_never_allowed(c)) {
        return Err(format!(
            "base URL `{}` holds {}, which is not allowed in a base URL",
            input.escape_debug(),
            describe(c)
        ));
    }
    if input.starts_with('/') {
        let path = with_slash(input);
        check_path(input, &path)?;
        return Ok(path);
    }
    let url = Url::parse(input).map_err(|e| {
        format!("base URL `{input}` is neither an absolute http(s) URL nor a path starting with `/` ({e})")
    })?;
    if !matches!(url.scheme(), "http" | "https") {
        return Err(format!(
            "base URL `{input}` must use http or https, not `{}`",
            url.scheme()
        ));
    }
    if url.host_str().is_none_or(str::is_empty) {
        return Err(format!("base URL `{input}` has no host"));
    }
    // `https://example.org@evil.example/` reads as one host and loads another.
    if !url.username().is_empty() || url.password().is_some() {
        return Err(format!(
            "base URL `{input}` holds a user name or password (before `@`), which would be published in every link"
        ));
    }
    if url.query().is_some() || url.fragment().is_some() {
        return Err(format!(
            "base URL `{input}` has a query (`?`) or fragment (`#`); page addresses are appended to it, so it can have neither"
        ));
    }
    let path = with_slash(url.path());
    check_path(input, &path)?;
    let mut normal = url.clone();
    normal.set_path(&path);
    Ok(normal.to_string())
}

/// Characters refused anywhere in a base URL: they end attributes, are read
/// as `/` by browsers (`\`), or are invisible.
fn is_never_allowed(c: char) -> bool {
    c.is_control() || c.is_whitespace() || matches!(c, '\\' | '"' | '\'' | '`' | '<' | '>')
}

fn describe(c: char) -> String {
    if c.is_control() || c.is_whitespace() {
        format!("the character U+{:04X}", c as u32)
    } else {
        format!("`{c}`")
    }
}

fn is_path_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || "-._~!$&()*+,;=:@/%".contains(c)
}

/// Checks a path that starts and ends with `/`.
fn check_path(input: &str, path: &str) -> Result<(), String> {
    if let Some(c) = path.chars().find(|&c| !is_path_char(c)) {
        let encoded = percent_encoding::utf8_percent_encode(
            c.encode_utf8(&mut [0; 4]),
            percent_encoding::NON_ALPHANUMERIC,
        )
        .to_string();
        return Err(format!(
            "base URL `{input}` holds `{c}` in its path; percent-encode it as {encoded}"
        ));
    }
    let bytes = path.as_bytes();
    for (i, _) in path.match_indices('%') {
        let hex = bytes.get(i + 1..i + 3);
        if !hex.is_some_and(|h| h.iter().all(u8::is_ascii_hexdigit)) {
            return Err(format!(
                "base URL `{input}` has a `%` not followed by two hex digits"
            ));
        }
    }
    // `//host/` would make every link protocol-relative: another site.
    let inner = path.trim_start_matches('/').strip_suffix('/').unwrap_or("");
    let bad_segment = path.starts_with("//")
        || (!inner.is_empty()
            && inner
                .split('/')
                .any(|s| s.is_empty() || s == "." || s == ".."));
    if bad_segment {
        return Err(format!(
            "base URL `{input}` has an empty, `.` or `..` segment in its path"
        ));
    }
    Ok(())
}

fn with_slash(path: &str) -> String {
    if path.ends_with('/') {
        path.to_string()
    } else {
        format!("{path}/")
    }
}

#[cfg(test)]
mod tests {
    use super::{BaseUrl, normalise};

    #[test]
    fn path_and_absoluteness_are_read_once_from_the_normal_form() {
        for (input, url, path, absolute) in [
            ("/", "/", "/", false),
            ("/timeline", "/timeline/", "/timeline/", false),
            ("https://example.org", "https://example.org/", "/", true),
            (
                "https://example.org:8080/a/b",
                "https://example.org:8080/a/b/",
                "/a/b/",
                true,
            ),
        ] {
            let base = BaseUrl::parse(input).expect("valid base URL");
            assert_eq!(base.as_str(), url, "{input}");
            assert_eq!(base.path(), path, "{input}");
            assert_eq!(base.is_absolute(), absolute, "{input}");
        }
        assert_eq!(BaseUrl::root().path(), "/");
        assert!(!BaseUrl::root().is_absolute());
    }

    #[test]
    fn host_keeps_its_port_and_a_path_has_none() {
        for (input, host) in [
            ("https://example.org", Some("example.org")),
            ("https://example.org:8080/a/b", Some("example.org:8080")),
            ("http://127.0.0.1:1111/", Some("127.0.0.1:1111")),
            ("http://[::1]:8080/x/", Some("[::1]:8080")),
            ("/timeline/", None),
        ] {
            let base = BaseUrl::parse(input).expect("valid base URL");
            assert_eq!(base.host(), host, "{input}");
        }
        assert_eq!(BaseUrl::root().host(), None);
    }

    #[test]
    fn accepts_http_urls_and_plain_paths() {
        for (input, normal) in [
            (
                "https://example.org/timeline",
                "https://example.org/timeline/",
            ),
            ("HTTPS://Example.ORG", "https://example.org/"),
            ("http://localhost:8080/a&b/", "http://localhost:8080/a&b/"),
            ("/", "/"),
            ("/timeline", "/timeline/"),
            ("/a%20b/(x)/", "/a%20b/(x)/"),
        ] {
            assert_eq!(normalise(input).as_deref(), Ok(normal), "{input}");
        }
    }

    #[test]
    fn refuses_what_a_browser_reads_as_another_host() {
        for input in [
            "/\\evil.example/",
            "//evil.example/",
            "https://example.org//evil.example/",
            "https://a@evil.example/",
            "javascript:alert(1)",
            "ftp://example.org/",
            "/a\"onload=x/",
            "/a b/",
            "/a\u{7}/",
            "/a/../b/",
            "/%zz/",
            "/é/",
            "https://example.org/?q=1",
            "timeline/",
            "",
        ] {
            assert!(normalise(input).is_err(), "{input:?} should be refused");
        }
    }
}
