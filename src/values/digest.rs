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

/// A digest fed numbers directly, each as its little-endian bytes: for a
/// part made of many small numbers (a list page's entries by their
/// fingerprints and dates), where writing `Debug` text costs more than
/// the hashing.
#[derive(Default)]
pub struct Numbers(xxhash_rust::xxh3::Xxh3);

impl Numbers {
    pub fn new(tag: &str) -> Numbers {
        let mut numbers = Numbers::default();
        numbers.0.update(tag.as_bytes());
        numbers.0.update(&[0]);
        numbers
    }

    pub fn u128(&mut self, n: u128) -> &mut Numbers {
        self.0.update(&n.to_le_bytes());
        self
    }

    /// A whole number, as a fixed 8 bytes, so no two lists run together.
    pub fn int(&mut self, n: i64) -> &mut Numbers {
        self.0.update(&n.to_le_bytes());
        self
    }

    /// `None` and `Some(n)` apart.
    pub fn maybe(&mut self, n: Option<i64>) -> &mut Numbers {
        match n {
            Some(n) => self.int(1).int(n),
            None => self.int(0),
        }
    }

    pub fn finish(&self) -> u128 {
        self.0.digest128()
    }
}
