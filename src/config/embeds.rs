//! `embeds` in `site.yaml`: the hosts whose pages an event's media may
//! embed (`kind: embed`), added to a built-in list of well-known video and
//! audio hosts. An embed is shown as a click-to-load placeholder, so no
//! host on this list is contacted before the reader asks for it.

use crate::source::reader::Checker;
use crate::source::yaml::{Seg, Yaml};

/// Hosts every site may embed: video, audio and talk recording services.
/// A host allows its subdomains too (`youtube.com` allows `www.youtube.com`).
pub const BUILT_IN: &[&str] = &[
    "youtube.com",
    "youtu.be",
    "youtube-nocookie.com",
    "vimeo.com",
    "media.ccc.de",
    "peertube.tv",
    "soundcloud.com",
    "archive.org",
    "twitter.com",
    "x.com",
    "mastodon.social",
    "slideshare.net",
    "speakerdeck.com",
];

/// The embed hosts of a site: the built-in ones and those of `site.yaml`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct EmbedHosts {
    /// Added in `site.yaml`, lower case, in file order.
    pub extra: Vec<String>,
}

impl EmbedHosts {
    /// Whether `host` (lower case) is on the list, itself or as a subdomain.
    pub fn allows(&self, host: &str) -> bool {
        let host = host.trim_end_matches('.');
        BUILT_IN
            .iter()
            .copied()
            .chain(self.extra.iter().map(String::as_str))
            .any(|allowed| {
                host == allowed
                    || host
                        .strip_suffix(allowed)
                        .is_some_and(|rest| rest.ends_with('.'))
            })
    }
}

/// Whether `text` is a bare host name: letters, digits, `-` and dots.
fn is_host(text: &str) -> bool {
    !text.is_empty()
        && text.contains('.')
        && text.split('.').all(|label| {
            !label.is_empty() && label.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
        })
}

/// Reads `embeds: [host, …]`.
pub fn read(c: &mut Checker, value: &Yaml) -> EmbedHosts {
    let mut extra = Vec::new();
    for (i, item) in c.list(value, &[Seg::Key("embeds")]).into_iter().enumerate() {
        let p = [Seg::Key("embeds"), Seg::Index(i)];
        let Some(host) = c.text(item, &p) else {
            continue;
        };
        let lower = host.to_ascii_lowercase();
        if is_host(&lower) {
            if !extra.contains(&lower) {
                extra.push(lower);
            }
        } else {
            c.at_value(&p, format!("`{host}` is not a host name")).hint = Some(
                "write the host alone, without https:// or a path, e.g. `media.example.org`".into(),
            );
        }
    }
    EmbedHosts { extra }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn subdomains_count_but_lookalikes_do_not() {
        let hosts = EmbedHosts {
            extra: vec!["media.example.org".into()],
        };
        assert!(hosts.allows("www.youtube.com"));
        assert!(hosts.allows("youtube.com"));
        assert!(hosts.allows("player.vimeo.com"));
        assert!(hosts.allows("media.example.org"));
        assert!(!hosts.allows("notyoutube.com"));
        assert!(!hosts.allows("example.org"));
        assert!(!hosts.allows("evil.com"));
    }
}
