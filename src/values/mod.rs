//! The value types content is made of, and the limits its text must keep:
//! dates with the precision their author wrote, slugs, country codes, base
//! URLs, time zones, the characters no output may carry, how deep
//! Markdown may nest, and the digest of a record's `Debug` text.
//! Every stage may use these; they use nothing else of the crate.

pub mod base_url;
pub mod control_chars;
pub mod countries;
pub mod dates;
pub mod digest;
pub mod intern;
pub mod nesting;
pub mod reliability;
pub mod slug;
pub mod taxonomy;
pub mod zone;
