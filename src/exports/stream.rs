//! The one pass over every event's body: bodies are rendered (see
//! `content::body`) a stretch of events at a time, in parallel, handed to
//! the event pages, and then to each export that carries them
//! (`events.json`, `timelinejs.json`, the search index), each written on
//! its own thread as the stretches arrive. A stretch is dropped once every
//! export has passed it, so memory holds a few stretches, never every body.

use super::search_index::Terms;
use super::{Ctx, data, search, timelinejs};
use crate::content::event::Event;
use crate::content::markdown::Body;
use crate::error::Error;
use crate::urls;
use rayon::prelude::*;
use std::borrow::Cow;
use std::cell::RefCell;
use std::sync::mpsc::{Receiver, SyncSender, sync_channel};
use std::sync::{Arc, OnceLock};

/// Events whose bodies are rendered at once.
const STRETCH: usize = 512;

/// What writes the event pages of a stretch, given the first event's index
/// and the stretch's bodies (in site order).
pub type EventPages<'h> = dyn Fn(usize, &[Cow<Body>]) -> Result<(), Error> + Sync + 'h;

/// The bodies of consecutive events, from `start`.
pub(crate) struct Stretch<'a> {
    start: usize,
    events: &'a [Arc<Event>],
    /// The site's absolute base URL, which relative addresses are made
    /// absolute against.
    base: String,
    bodies: Vec<Cow<'a, Body>>,
    /// The HTML for exports where it differs from the page's: relative
    /// addresses made absolute (see `absolute`), made when an export first
    /// reads it (a rebuild's kept years read none).
    absolute: Vec<OnceLock<String>>,
    /// The search index's words (empty without search).
    search_terms: Vec<Terms>,
}

/// One event's body, shared with the stretch it came in.
#[derive(Clone)]
pub(crate) struct BodyOf<'a> {
    stretch: Arc<Stretch<'a>>,
    n: usize,
}

impl BodyOf<'_> {
    /// The body's HTML with absolute addresses, for reading away from the
    /// event's page.
    pub fn html(&self) -> &str {
        let (stretch, n) = (&*self.stretch, self.n);
        let body = &stretch.bodies[n];
        if !body.has_relative_urls {
            return &body.html;
        }
        stretch.absolute[n].get_or_init(|| {
            let page = urls::under(&stretch.base, &urls::event(&stretch.events[n].slug));
            super::absolute::absolute_html(&body.html, &page).into_owned()
        })
    }

    /// The body as the event's page shows it.
    pub fn body(&self) -> &Body {
        &self.stretch.bodies[self.n]
    }

    pub fn search_terms(&self) -> &Terms {
        &self.stretch.search_terms[self.n]
    }
}

/// An export's view of the pass: the bodies of events asked for in order.
pub(crate) struct Bodies<'a> {
    from: Receiver<Arc<Stretch<'a>>>,
    current: RefCell<Option<Arc<Stretch<'a>>>>,
}

impl<'a> Bodies<'a> {
    /// The body of event `i`; events are asked for in ascending order.
    /// `None` when the pass stopped before it (its error is reported).
    pub fn get(&self, i: usize) -> Option<BodyOf<'a>> {
        let mut current = self.current.borrow_mut();
        loop {
            if let Some(s) = current.as_ref()
                && i >= s.start
                && i < s.start + s.bodies.len()
            {
                return Some(BodyOf {
                    stretch: s.clone(),
                    n: i - s.start,
                });
            }
            // Dropping the stretch before waiting lets it be freed sooner.
            *current = None;
            *current = Some(self.from.recv().ok()?);
        }
    }
}

/// An export that reads bodies.
#[derive(Clone, Copy)]
enum Writer {
    Data,
    TimelineJs,
    Search,
    /// The body store's parts being written anew.
    Store,
}

/// Renders every event's body once (or takes it from the body store),
/// writing its page through `event_pages` and the exports that carry
/// bodies; returns how many bodies came from the store.
pub(super) fn run(ctx: &Ctx, event_pages: &EventPages) -> Result<usize, Error> {
    let search = ctx.site.config.search;
    let mut writers = vec![Writer::Data, Writer::TimelineJs];
    if search {
        writers.push(Writer::Search);
    }
    if ctx.bodies.is_some_and(|store| store.writes()) {
        writers.push(Writer::Store);
    }
    std::thread::scope(|scope| {
        let mut senders = Vec::new();
        let mut threads = Vec::new();
        for write in writers {
            // One stretch waiting per export: the pass runs ahead of the
            // slowest export by at most two stretches.
            let (to, from) = sync_channel(1);
            senders.push(to);
            threads.push(scope.spawn(move || {
                let bodies = Bodies {
                    from,
                    current: RefCell::new(None),
                };
                match write {
                    Writer::Data => data::write(ctx, &bodies),
                    Writer::TimelineJs => timelinejs::write(ctx, &bodies),
                    Writer::Search => search::write(ctx, &bodies),
                    Writer::Store => {
                        store(ctx, &bodies);
                        Ok(())
                    }
                }
            }));
        }
        let produced = produce(ctx, event_pages, search, &senders);
        drop(senders);
        let written: Vec<Result<(), Error>> = threads
            .into_iter()
            .map(|t| t.join().unwrap_or_else(|p| std::panic::resume_unwind(p)))
            .collect();
        // The pass's own error first: an export stopped by it only says so.
        let taken = produced?;
        written.into_iter().collect::<Result<(), _>>()?;
        Ok(taken)
    })
}

/// Hands every body to the body store, on a thread of its own so that
/// writing it never holds up the pass.
fn store(ctx: &Ctx, bodies: &Bodies) {
    let Some(store) = ctx.bodies else { return };
    for (i, e) in ctx.site.events.iter().enumerate() {
        let Some(body) = bodies.get(i) else { return };
        let terms = if ctx.site.config.search {
            body.search_terms().packed()
        } else {
            &[]
        };
        store.put(e, body.body(), terms);
    }
}

fn produce<'a>(
    ctx: &Ctx<'a>,
    event_pages: &EventPages,
    search: bool,
    exports: &[SyncSender<Arc<Stretch<'a>>>],
) -> Result<usize, Error> {
    let site = ctx.site;
    let taken = std::sync::atomic::AtomicUsize::new(0);
    for start in (0..site.events.len()).step_by(STRETCH) {
        let events = &site.events[start..(start + STRETCH).min(site.events.len())];
        // A body from the store comes with its search terms.
        let (bodies, stored): (Vec<Cow<'a, Body>>, Vec<Option<Terms>>) = events
            .par_iter()
            .map(|e| {
                if let Some(body) = crate::content::body::held(e, &site.config) {
                    return Ok((Cow::Borrowed(body), None));
                }
                match ctx.bodies.and_then(|store| store.get_with_extra(e)) {
                    Some((body, extra)) => {
                        taken.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                        let terms = search.then(|| Terms::from_packed(extra)).flatten();
                        Ok((Cow::Owned(body), terms))
                    }
                    None => {
                        crate::content::body::of(e, &site.config, None).map(|body| (body, None))
                    }
                }
            })
            .collect::<Result<Vec<_>, _>>()?
            .into_iter()
            .unzip();
        event_pages(start, &bodies)?;
        let search_terms: Vec<Terms> = events
            .par_iter()
            .zip(bodies.par_iter())
            .zip(stored.into_par_iter())
            .map(|((e, body), stored)| {
                if let Some(terms) = stored {
                    terms
                } else if search {
                    search::terms(ctx, e, &body.words)
                } else {
                    Terms::none()
                }
            })
            .collect();
        let stretch = Arc::new(Stretch {
            start,
            events,
            base: ctx.base.to_string(),
            absolute: bodies.iter().map(|_| OnceLock::new()).collect(),
            bodies,
            search_terms,
        });
        for export in exports {
            // An export that stopped has its own error to report.
            let _ = export.send(stretch.clone());
        }
    }
    Ok(taken.into_inner())
}
