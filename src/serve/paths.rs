//! Request paths to site files. Only plain relative paths inside the
//! site's base path get through: `..`, `.`, encoded slashes and
//! backslashes, NUL and empty segments are refused before any lookup.

use percent_encoding::percent_decode_str;

#[derive(Debug, PartialEq, Eq)]
pub enum Resolved {
    /// A file relative to the output root (`index.html` for folders).
    File(String),
    /// The bare root of a site served under a sub-path.
    ToBase,
    /// A well-formed path outside the base path.
    Outside,
    /// A path that tries to leave the site or is malformed.
    Refused,
}

pub fn site_relative(raw: &str, base_path: &str) -> Resolved {
    let lower = raw.to_ascii_lowercase();
    // Encoded separators would change the path's shape after decoding.
    if lower.contains("%2f") || lower.contains("%5c") || raw.contains('\\') {
        return Resolved::Refused;
    }
    let Ok(decoded) = percent_decode_str(raw).decode_utf8() else {
        return Resolved::Refused;
    };
    if !decoded.starts_with('/') || decoded.contains('\0') || decoded.contains('\\') {
        return Resolved::Refused;
    }
    let segments: Vec<&str> = decoded[1..].split('/').collect();
    let last = segments.len().saturating_sub(1);
    for (i, seg) in segments.iter().enumerate() {
        if *seg == ".." || *seg == "." || (seg.is_empty() && i != last) {
            return Resolved::Refused;
        }
    }
    let Some(rest) = decoded.strip_prefix(base_path) else {
        if decoded == "/" || format!("{decoded}/") == base_path {
            return Resolved::ToBase;
        }
        return Resolved::Outside;
    };
    if rest.is_empty() || rest.ends_with('/') {
        Resolved::File(format!("{rest}index.html"))
    } else {
        Resolved::File(rest.to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn maps_folders_to_index() {
        assert_eq!(site_relative("/", "/"), Resolved::File("index.html".into()));
        assert_eq!(
            site_relative("/events/a/", "/"),
            Resolved::File("events/a/index.html".into())
        );
        assert_eq!(
            site_relative("/atom.xml", "/"),
            Resolved::File("atom.xml".into())
        );
        assert_eq!(
            site_relative("/sub/events/a/", "/sub/"),
            Resolved::File("events/a/index.html".into())
        );
        assert_eq!(site_relative("/", "/sub/"), Resolved::ToBase);
        assert_eq!(site_relative("/sub", "/sub/"), Resolved::ToBase);
        assert_eq!(site_relative("/other/", "/sub/"), Resolved::Outside);
        assert_eq!(
            site_relative("/tags/%ED%95%9C/", "/"),
            Resolved::File("tags/한/index.html".into())
        );
    }

    #[test]
    fn refuses_traversal() {
        for raw in [
            "/../etc/passwd",
            "/events/../../etc/passwd",
            "/%2e%2e/etc/passwd",
            "/%2E%2E/%2E%2E/etc/passwd",
            "/..%2fetc%2fpasswd",
            "/events%2f..%2f..",
            "/..\\..\\etc",
            "/%5c..%5cetc",
            "//etc/passwd",
            "/./index.html",
            "/a/%00",
        ] {
            assert_eq!(site_relative(raw, "/"), Resolved::Refused, "{raw}");
        }
    }
}
