//! The digest of a value's `Debug` text: for the model's records, which
//! are not `Serialize`, when a rebuild compares what a file is made of
//! with what the previous build's was (see `model::inputs`).

use std::cell::RefCell;
use xxhash_rust::xxh3::xxh3_128;

/// The digest of `value`'s `Debug` text, for values that are not
/// `Serialize` (the model's records): `Debug` writes every field, and
/// texts quoted and escaped, so two values with the same text hold the
/// same. Only for values without hash maps, whose order would differ
/// from run to run (then the digest does, and nothing is reused).
pub fn of_debug<T: std::fmt::Debug + ?Sized>(value: &T) -> u128 {
    use std::fmt::Write;
    thread_local! {
        static TEXT: RefCell<String> = const { RefCell::new(String::new()) };
    }
    TEXT.with(|text| match text.try_borrow_mut() {
        Ok(mut text) => {
            text.clear();
            // Writing into a `String` fails only if a `Debug` does.
            let _ = write!(text, "{value:?}");
            xxh3_128(text.as_bytes())
        }
        Err(_) => xxh3_128(format!("{value:?}").as_bytes()),
    })
}
