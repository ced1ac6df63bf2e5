//! A slide's media and background as an event's `media` (and, for a
//! quoted block, its `quotes`): caption and credit as plain text, alt text
//! kept (or made from the caption or headline, with a note), `//host/x`
//! read as `https://host/x`. What annals cannot show is named in the
//! grouped notes instead: site-relative or plain-http addresses, embeds of
//! hosts the site does not allow, background colours.

use super::markdown::{absolute_url, plain};
use super::notes::Notes;
use super::text::quote;
use crate::config::Config;
use crate::content::media::{MediaKind, host_of, infer_kind};
use crate::exports::timelinejs::{Media, Slide};

/// The front-matter lines one slide's media become.
#[derive(Debug, Default)]
pub struct Lines {
    /// `  - {src: …}` items of `media:`.
    pub media: Vec<String>,
    /// `  - {text: …, speaker: …}` items of `quotes:`.
    pub quotes: Vec<String>,
}

impl Lines {
    /// Appends `media:` and `quotes:` with their items to `fm`.
    pub fn write(self, fm: &mut Vec<String>) {
        for (key, items) in [("media", self.media), ("quotes", self.quotes)] {
            if !items.is_empty() {
                fm.push(format!("{key}:"));
                fm.extend(items);
            }
        }
    }
}

fn text_of(html: Option<&str>) -> Option<String> {
    html.map(plain).filter(|t| !t.is_empty())
}

/// The lines of `slide`'s media and background image.
pub fn lines(slide: &Slide, headline: &str, config: &Config, notes: &mut Notes) -> Lines {
    let mut out = Lines::default();
    if let Some(m) = &slide.media {
        one(m, headline, config, notes, &mut out);
    }
    match &slide.background {
        Some(serde_json::Value::Object(bg)) => {
            if let Some(url) = bg
                .get("url")
                .and_then(|u| u.as_str())
                .filter(|u| !u.trim().is_empty())
            {
                let m = Media {
                    url: url.to_string(),
                    ..Media::default()
                };
                notes.add(
                    "have a background image",
                    "; it became the event's media (annals has no slide backgrounds)",
                    headline,
                );
                one(&m, headline, config, notes, &mut out);
            }
            if bg
                .get("color")
                .is_some_and(|c| c.as_str().is_some_and(|c| !c.trim().is_empty()))
            {
                notes.add(
                    "have a background colour",
                    "; it was not kept: annals has no slide backgrounds",
                    headline,
                );
            }
        }
        Some(serde_json::Value::String(s)) if !s.trim().is_empty() => {
            // A sheet's Background column: an image address or a colour.
            let m = Media {
                url: s.clone(),
                ..Media::default()
            };
            if s.trim().starts_with('#') || !s.contains('/') {
                notes.add(
                    "have a background colour",
                    "; it was not kept: annals has no slide backgrounds",
                    headline,
                );
            } else {
                notes.add(
                    "have a background image",
                    "; it became the event's media (annals has no slide backgrounds)",
                    headline,
                );
                one(&m, headline, config, notes, &mut out);
            }
        }
        _ => {}
    }
    out
}

/// The `src` of an `<iframe>` in embed code.
fn iframe_src(html: &str) -> Option<String> {
    let doc = scraper::Html::parse_fragment(html);
    let sel = scraper::Selector::parse("iframe[src]").ok()?;
    let src = doc.select(&sel).next()?.value().attr("src")?;
    Some(absolute_url(src))
}

fn one(m: &Media, headline: &str, config: &Config, notes: &mut Notes, out: &mut Lines) {
    let raw = m.url.trim();
    if raw.is_empty() {
        return;
    }
    let caption = text_of(m.caption.as_deref());
    let credit = text_of(m.credit.as_deref());
    if raw.starts_with('<') {
        let lower = raw.to_ascii_lowercase();
        if lower.starts_with("<blockquote") && !lower.contains("twitter-tweet") {
            let text = plain(raw);
            match (text.is_empty(), credit.clone().or(caption.clone())) {
                (false, Some(speaker)) => out.quotes.push(format!(
                    "  - {{text: {}, speaker: {}}}",
                    quote(&text),
                    quote(&speaker)
                )),
                _ => notes.add(
                    "have a quoted block without a credit naming who said it",
                    "; it was not kept (a quote needs a speaker)",
                    headline,
                ),
            }
            return;
        }
        match iframe_src(raw) {
            Some(src) => push(
                &src,
                Some(MediaKind::Embed),
                m,
                caption,
                credit,
                headline,
                config,
                notes,
                out,
            ),
            None => notes.add(
                "have media written as HTML (a post's embed code…)",
                "; it was not kept: link to the post from the text instead",
                headline,
            ),
        }
        return;
    }
    let url = absolute_url(raw);
    push(&url, None, m, caption, credit, headline, config, notes, out);
}

#[allow(clippy::too_many_arguments)]
fn push(
    url: &str,
    kind: Option<MediaKind>,
    m: &Media,
    caption: Option<String>,
    credit: Option<String>,
    headline: &str,
    config: &Config,
    notes: &mut Notes,
    out: &mut Lines,
) {
    let lower = url.to_ascii_lowercase();
    if lower.starts_with("http://") {
        notes.add(
            "have media at an http:// address",
            "; it was not kept as media: pages on https cannot load it (use its https:// address if it has one)",
            url,
        );
        return;
    }
    if !lower.starts_with("https://") || !crate::source::reader::is_http_url(url) {
        notes.add(
            "have media at an address relative to the TimelineJS site",
            "; it was not kept: copy the file beside the event (as a page bundle) and name it under `media:`",
            url,
        );
        return;
    }
    let Some(kind) = kind.or_else(|| infer_kind(url)) else {
        return;
    };
    let host = host_of(url).unwrap_or_default();
    if kind == MediaKind::Embed && !config.embeds.allows(&host) {
        notes.add(
            "have media on a host this site does not embed",
            "; it was not kept as media (add the host to `embeds:` in site.yaml and import again with --update to keep it)",
            &host,
        );
        return;
    }
    let mut alt = text_of(m.alt.as_deref());
    if kind == MediaKind::Image && alt.is_none() {
        alt = Some(caption.clone().unwrap_or_else(|| headline.to_string()));
        notes.add(
            "have an image without alt text",
            "; its caption (or the headline) became the alt text: describe what the image shows instead",
            headline,
        );
    }
    let mut line = format!("  - {{src: {}, kind: {}", quote(url), kind.key());
    for (key, value) in [("alt", alt), ("caption", caption), ("credit", credit)] {
        if let Some(v) = value {
            line.push_str(&format!(", {key}: {}", quote(&v)));
        }
    }
    line.push('}');
    out.media.push(line);
}
