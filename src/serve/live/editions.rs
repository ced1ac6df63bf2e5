//! The language editions of the live site: each a [`Snapshot`] of its own
//! under its folder (`ja/`), made again whole on every change (their pages
//! are rendered on request like the default language's), sharing the
//! default language's static files.

use super::Snapshot;
use crate::content::translation::Translation;
use crate::error::Error;
use crate::model::Site;
use crate::render::{Routes, Templates};
use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock};

/// The other editions' snapshots, by folder (`ja/`).
pub(super) type Others = Vec<(String, Arc<Snapshot>)>;

/// Makes the other editions of `site` (marking it the first), returning
/// the default language's routes and a snapshot per other edition.
pub(super) fn make(
    site: &mut Site,
    translations: &[Translation],
    templates: &Arc<Templates>,
    statics: &Arc<HashMap<String, axum::body::Bytes>>,
) -> Result<(Arc<Routes>, Others), Error> {
    let (routes, others) = crate::editions::derive(site, translations);
    let mut snapshots = Vec::new();
    for other in others {
        let folder = crate::editions::folder(&other.site);
        snapshots.push((
            folder,
            Arc::new(Snapshot {
                site: other.site,
                routes: other.routes,
                prepared: OnceLock::new(),
                templates: templates.clone(),
                statics: statics.clone(),
                exports: OnceLock::new(),
                pages: Mutex::new(HashMap::new()),
                editions: Vec::new(),
            }),
        ));
    }
    Ok((routes, snapshots))
}
