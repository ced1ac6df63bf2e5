//! What the compare and embed pages (see `pages`) need beyond the other
//! pages: URLs readers outside the site can load, and the `<iframe>`
//! snippet a newsroom copies.

use super::Shared;
use crate::html::escape_html;
use crate::render::context::EmbedSnippet;
use crate::urls;
use percent_encoding::{AsciiSet, CONTROLS, utf8_percent_encode};

/// Characters percent-encoded in a URL written into markup by hand (with
/// every non-ASCII character): none may end an attribute or split the URL.
const URL_UNSAFE: &AsciiSet = &CONTROLS
    .add(b' ')
    .add(b'"')
    .add(b'\'')
    .add(b'<')
    .add(b'>')
    .add(b'\\')
    .add(b'`')
    .add(b'{')
    .add(b'}')
    .add(b'|')
    .add(b'^');

fn percent_encode_unsafe(url: &str) -> String {
    utf8_percent_encode(url, URL_UNSAFE).to_string()
}

impl Shared<'_> {
    /// A URL readers outside the site can load: absolute with an absolute
    /// base URL, else site-relative (enough for a local preview).
    pub(super) fn public_url(&self, path: &str) -> String {
        let config = &self.site.config;
        if config.has_absolute_base_url() {
            urls::under(config.base_url(), path)
        } else {
            self.urls.to(path)
        }
    }

    /// The snippet is HTML written by hand, so each value is escaped for
    /// where it lands: the URL percent-encoded then attribute-escaped, the
    /// title attribute-escaped.
    pub(super) fn embed_snippet(&self, label: &str, path: &str) -> EmbedSnippet {
        let url = percent_encode_unsafe(&self.public_url(path));
        let title = format!("{}: {label}", self.site.config.title);
        EmbedSnippet {
            label: label.to_string(),
            snippet: format!(
                "<iframe src=\"{}\" title=\"{}\" width=\"100%\" height=\"600\" loading=\"lazy\" style=\"border:1px solid #d5dbe1\"></iframe>",
                escape_html(&url),
                escape_html(&title)
            ),
            url,
        }
    }
}
