//! An event's rendered body when a page or export needs it: the one kept
//! with the event, or the file read and its Markdown rendered again, one
//! event at a time, exactly as validation walked it (same link rewriting,
//! same sanitising). A file that changed since it was validated is an
//! error rather than a page that disagrees with the rest of the site.

use crate::config::Config;
use crate::content::body_links::LinkWalker;
use crate::content::cache::bodies::Pass;
use crate::content::event::{BodyAt, Event};
use crate::content::markdown::{self, Body};
use crate::error::Error;
use crate::source::load::{self, SourceFile};
use std::borrow::Cow;

/// A hash of a file's bytes, to notice a file changed between validation
/// and rendering. Fixed seeds: both sides run in one process, and a build
/// must not depend on a random state.
pub fn hash(bytes: &[u8]) -> u64 {
    ahash::RandomState::with_seeds(0x616e, 0x6e61, 0x6c73, 0x2e72).hash_one(bytes)
}

/// The rendered body of `e`, taken from the body store's `pass` when it
/// holds it (see `content::cache::bodies`).
pub fn of<'e>(e: &'e Event, config: &Config, pass: Option<&Pass>) -> Result<Cow<'e, Body>, Error> {
    if let Some(body) = held(e, config) {
        return Ok(Cow::Borrowed(body));
    }
    match &e.body {
        BodyAt::Kept(body) => Ok(Cow::Borrowed(body)),
        BodyAt::File {
            offset, hash: want, ..
        } => match pass.and_then(|p| p.get(e)) {
            Some(body) => Ok(Cow::Owned(body)),
            None => render_again(e, config, *offset as usize, *want).map(Cow::Owned),
        },
    }
}

/// The body validation rendered and held for `e`, when it was rendered
/// as `config` renders it (the same base path, no links sent elsewhere:
/// an edition of another language renders its own).
pub fn held<'e>(e: &'e Event, config: &Config) -> Option<&'e Body> {
    match &e.body {
        BodyAt::File {
            held: Some(held), ..
        } if config.elsewhere.is_none() && *held.base_path == *config.base_path() => {
            Some(&held.body)
        }
        _ => None,
    }
}

fn render_again(e: &Event, config: &Config, offset: usize, want: u64) -> Result<Body, Error> {
    let path = e.source_path();
    let bytes = load::read_bytes(path)?;
    let changed = || {
        Error::Usage(format!(
            "{} changed during the build; build again",
            path.display()
        ))
    };
    if hash(&bytes) != want {
        return Err(changed());
    }
    let file = SourceFile {
        rel: path.to_path_buf(),
        shown: path.to_path_buf(),
        bytes,
    };
    // Validated already: the same bytes decode and render the same way.
    let text = crate::source::parse::decode(&file).map_err(|_| changed())?;
    let body = text.get(offset..).ok_or_else(changed)?;
    let mut walker = LinkWalker::new(path, &text, offset, config.base_path())
        .leaving_out(config.elsewhere.as_deref());
    markdown::render_body_visiting(body, config.unsafe_html, &mut |address, range| {
        walker.visit(address, range)
    })
    .map_err(|_| changed())
}

/// A site folder holding `text` as `content/events/a.md`: for tests.
#[cfg(test)]
pub(crate) fn test_site(text: &str) -> tempfile::TempDir {
    let site = tempfile::tempdir().expect("temp dir");
    let events = site.path().join("content/events");
    std::fs::create_dir_all(&events).expect("mkdir");
    std::fs::write(events.join("a.md"), text).expect("write");
    site
}

/// The event of `content/events/a.md` in `site`, as a build (`keep`
/// false) or `serve` (`keep` true) validates it: for tests.
#[cfg(test)]
pub(crate) fn test_event(site: &std::path::Path, keep: bool) -> std::sync::Arc<Event> {
    match crate::parse_file(
        site,
        crate::source::load::Section::Events,
        "content/events/a.md".as_ref(),
        &Config::default(),
        keep,
    ) {
        Ok(Ok(crate::Parsed::Event(e))) => e,
        other => panic!("not an event: {other:?}"),
    }
}

#[cfg(test)]
mod tests {
    use crate::config::Config;

    const EVENT: &str = "---\ntitle: A\ndate: 2024-01-02\nkind: meeting\nsummary: S\nsources: [{title: T}]\n---\nSee [b](@/events/b) and ![i](i.png).\n";

    fn event(site: &std::path::Path, keep: bool) -> crate::content::event::Event {
        (*super::test_event(site, keep)).clone()
    }

    fn holding(
        site: &std::path::Path,
        config: &Config,
        budget: &crate::content::event::HoldBudget,
    ) -> crate::content::event::Event {
        match crate::parse_file_holding(
            site,
            crate::source::load::Section::Events,
            "content/events/a.md".as_ref(),
            config,
            false,
            Some(budget),
        ) {
            Ok(Ok(crate::Parsed::Event(e))) => (*e).clone(),
            other => panic!("not an event: {other:?}"),
        }
    }

    #[test]
    fn a_held_body_is_the_one_rendered_again_for_the_same_base_path_only() {
        use crate::content::event::HoldBudget;
        let site = super::test_site(EVENT);
        let config = Config::default();
        let held = holding(site.path(), &config, &HoldBudget::new(HoldBudget::BYTES));
        let body = super::held(&held, &config).expect("held");
        let from_file = event(site.path(), false);
        let again = super::of(&from_file, &config, None).expect("rendered again");
        assert!(super::held(&from_file, &config).is_none());
        assert_eq!(
            (&body.html, &body.words, body.has_relative_urls),
            (&again.html, &again.words, again.has_relative_urls)
        );
        // An edition under another base path renders its own.
        let mut other = config.clone();
        other
            .set_base_url("https://example.org/ja/")
            .expect("a base URL");
        assert!(super::held(&held, &other).is_none());
        // A spent budget holds nothing.
        let spent = holding(site.path(), &config, &HoldBudget::new(0));
        assert!(super::held(&spent, &config).is_none());
    }

    #[test]
    fn a_body_rendered_again_is_the_one_kept_and_a_changed_file_is_refused() {
        let site = super::test_site(EVENT);
        let events = site.path().join("content/events");
        let config = Config::default();
        let kept = event(site.path(), true);
        let from_file = event(site.path(), false);
        let a = super::of(&kept, &config, None).expect("kept");
        let b = super::of(&from_file, &config, None).expect("rendered again");
        assert_eq!(
            (&a.html, &a.words, a.has_relative_urls),
            (&b.html, &b.words, b.has_relative_urls)
        );
        std::fs::write(events.join("a.md"), EVENT.replace("See", "Saw")).expect("write");
        let err = super::of(&from_file, &config, None).expect_err("changed");
        assert!(
            err.to_string().contains("changed during the build"),
            "{err}"
        );
        assert!(super::of(&kept, &config, None).is_ok());
    }
}
