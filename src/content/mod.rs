//! Content stage: parsed documents to validated events and pages. Owns the
//! event's fields and their rules, Markdown rendering and the links written
//! in bodies; period files and the site's periods (`period`); cross-file checks (unique slugs, relation targets) run here
//! once every file is read.

pub mod body;
pub mod body_links;
pub mod cache;
pub mod cited;
pub mod codec;
pub mod event;
mod footnotes;
pub mod markdown;
pub mod media;
pub mod native;
pub mod period;
pub mod placeholders;
pub mod provenance;
pub mod schema;
pub mod translation;
pub mod validate;
