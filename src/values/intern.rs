//! Shared copies of the short texts events repeat: country codes, tracks,
//! tags, kinds, participants' names and roles, publishers. A build holds
//! every event to its end, and an archive names the same few hundred of
//! these thousands of times; each event then holds a pointer instead of a
//! copy. Values events repeat whole (participants) are shared the same way
//! ([`share`]).

use std::cell::RefCell;
use std::collections::HashSet;
use std::hash::Hash;
use std::sync::Arc;
use std::thread::LocalKey;

/// How many values a thread remembers before it starts again: enough for
/// every repeated name of a large archive, and a bound for a long `serve`
/// session (a value seen after a restart is merely copied once more).
const REMEMBERED: usize = 1 << 16;

/// The values a thread has shared so far (see [`share`]).
pub type Seen<T> = RefCell<HashSet<Arc<T>, ahash::RandomState>>;

thread_local! {
    static SEEN: Seen<str> = RefCell::default();
}

/// `value` shared: the allocation an earlier call on this thread made for
/// an equal value from `seen`, or a new one by `make`. Events are parsed
/// on every core, so a value is held at most once per core.
pub fn share<T: ?Sized + Hash + Eq>(
    seen: &'static LocalKey<Seen<T>>,
    value: &T,
    make: impl FnOnce(&T) -> Arc<T>,
) -> Arc<T> {
    seen.with(|seen| {
        let mut seen = seen.borrow_mut();
        if let Some(shared) = seen.get(value) {
            return Arc::clone(shared);
        }
        if seen.len() >= REMEMBERED {
            seen.clear();
        }
        let shared = make(value);
        seen.insert(Arc::clone(&shared));
        shared
    })
}

/// `text` as a shared string, the same allocation as every earlier call
/// with the same text on this thread.
pub fn intern(text: &str) -> Arc<str> {
    share(&SEEN, text, |t| Arc::from(t))
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
