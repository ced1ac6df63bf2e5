//! Shared copies of the short texts events repeat: country codes, tracks,
//! tags, kinds, participants' names and roles, publishers. A build holds
//! every event to its end, and an archive names the same few hundred of
//! these thousands of times; each event then holds a pointer instead of a
//! copy.

use std::cell::RefCell;
use std::collections::HashSet;
use std::sync::Arc;

/// How many texts a thread remembers before it starts again: enough for
/// every repeated name of a large archive, and a bound for a long `serve`
/// session (a text seen after a restart is merely copied once more).
pub const REMEMBERED: usize = 1 << 16;

thread_local! {
    static SEEN: RefCell<HashSet<Arc<str>, ahash::RandomState>> = RefCell::default();
}

/// `text` as a shared string, the same allocation as every earlier call
/// with the same text on this thread (events are parsed on every core, so
/// a text is held at most once per core).
pub fn intern(text: &str) -> Arc<str> {
    SEEN.with(|seen| {
        let mut seen = seen.borrow_mut();
        if let Some(shared) = seen.get(text) {
            return Arc::clone(shared);
        }
        if seen.len() >= REMEMBERED {
            seen.clear();
        }
        let shared: Arc<str> = Arc::from(text);
        seen.insert(Arc::clone(&shared));
        shared
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_same_text_shares_one_allocation() {
        let a = intern("US");
        let b = intern(&String::from("US"));
        assert!(Arc::ptr_eq(&a, &b));
        assert_eq!(&*a, "US");
        assert!(!Arc::ptr_eq(&a, &intern("JP")));
    }
}
