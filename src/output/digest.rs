//! A value's digest taken straight from its `Serialize` implementation:
//! every item the serializer is handed is written as tagged,
//! length-prefixed bytes into one buffer, which is then hashed once. Two
//! values with the same serialization become the same template value, so
//! their digests stand for each other in page fingerprints (see
//! `render::reuse::Memo`) without the template value ever being made, and
//! an export's part is fingerprinted by the values its text is made from.
//!
//! The encoding is unambiguous: each item starts with a tag of its own,
//! texts and names carry their length, and sequences, maps and structs
//! close with a tag no item starts with.

use serde::ser::{self, Serialize};
use std::cell::RefCell;
use xxhash_rust::xxh3::xxh3_128;

/// The digest of `value`'s serialization; `None` when it fails to
/// serialize (then it has no digest and is fingerprinted whole).
pub fn of<T: Serialize + ?Sized>(value: &T) -> Option<u128> {
    thread_local! {
        static BUFFER: RefCell<Vec<u8>> = const { RefCell::new(Vec::new()) };
    }
    BUFFER.with(|buffer| match buffer.try_borrow_mut() {
        Ok(mut buffer) => {
            buffer.clear();
            value.serialize(Writer(&mut buffer)).ok()?;
            Some(xxh3_128(&buffer))
        }
        // A digest taken inside another's serialization: a buffer of its own.
        Err(_) => {
            let mut buffer = Vec::new();
            value.serialize(Writer(&mut buffer)).ok()?;
            Some(xxh3_128(&buffer))
        }
    })
}

/// The tag each item starts with.
mod tag {
    pub const BOOL: u8 = 1;
    pub const INT: u8 = 2;
    pub const UINT: u8 = 3;
    pub const INT128: u8 = 4;
    pub const UINT128: u8 = 5;
    pub const FLOAT: u8 = 6;
    pub const CHAR: u8 = 7;
    pub const STR: u8 = 8;
    pub const BYTES: u8 = 9;
    pub const NONE: u8 = 10;
    pub const SOME: u8 = 11;
    pub const UNIT: u8 = 12;
    pub const UNIT_STRUCT: u8 = 13;
    pub const UNIT_VARIANT: u8 = 14;
    pub const NEWTYPE_STRUCT: u8 = 15;
    pub const NEWTYPE_VARIANT: u8 = 16;
    pub const SEQ: u8 = 17;
    pub const TUPLE: u8 = 18;
    pub const TUPLE_STRUCT: u8 = 19;
    pub const TUPLE_VARIANT: u8 = 20;
    pub const MAP: u8 = 21;
    pub const STRUCT: u8 = 22;
    pub const STRUCT_VARIANT: u8 = 23;
    pub const SKIPPED: u8 = 24;
    /// Closes a sequence, map or struct; no item starts with it.
    pub const END: u8 = 0;
}

#[derive(Debug)]
pub struct Failed(String);

impl std::fmt::Display for Failed {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for Failed {}

impl ser::Error for Failed {
    fn custom<T: std::fmt::Display>(msg: T) -> Self {
        Failed(msg.to_string())
    }
}

struct Writer<'b>(&'b mut Vec<u8>);

impl Writer<'_> {
    fn put(&mut self, tag: u8, bytes: &[u8]) {
        self.0.push(tag);
        self.0.extend_from_slice(bytes);
    }

    /// A text or name: its length, then its bytes.
    fn text(&mut self, bytes: &[u8]) {
        self.0
            .extend_from_slice(&(bytes.len() as u64).to_le_bytes());
        self.0.extend_from_slice(bytes);
    }

    fn named(&mut self, tag: u8, name: &str) {
        self.0.push(tag);
        self.text(name.as_bytes());
    }

    /// An enum variant's start: the enum's name, then the variant's.
    fn variant(mut self, tag: u8, name: &str, variant: &str) -> Self {
        self.named(tag, name);
        self.text(variant.as_bytes());
        self
    }

    fn reborrow(&mut self) -> Writer<'_> {
        Writer(&mut *self.0)
    }
}

type Done = Result<(), Failed>;

/// Narrow numbers are written as their widest kind: a template value does
/// not tell them apart either.
macro_rules! widen {
    ($($method:ident($narrow:ty) => $wide:ident),*) => {$(
        fn $method(self, v: $narrow) -> Done {
            self.$wide(v.into())
        }
    )*};
}

impl<'b> ser::Serializer for Writer<'b> {
    type Ok = ();
    type Error = Failed;
    type SerializeSeq = Writer<'b>;
    type SerializeTuple = Writer<'b>;
    type SerializeTupleStruct = Writer<'b>;
    type SerializeTupleVariant = Writer<'b>;
    type SerializeMap = Writer<'b>;
    type SerializeStruct = Writer<'b>;
    type SerializeStructVariant = Writer<'b>;

    fn serialize_bool(mut self, v: bool) -> Done {
        self.put(tag::BOOL, &[u8::from(v)]);
        Ok(())
    }
    widen!(
        serialize_i8(i8) => serialize_i64,
        serialize_i16(i16) => serialize_i64,
        serialize_i32(i32) => serialize_i64,
        serialize_u8(u8) => serialize_u64,
        serialize_u16(u16) => serialize_u64,
        serialize_u32(u32) => serialize_u64,
        serialize_f32(f32) => serialize_f64
    );
    fn serialize_i64(mut self, v: i64) -> Done {
        self.put(tag::INT, &v.to_le_bytes());
        Ok(())
    }
    fn serialize_i128(mut self, v: i128) -> Done {
        self.put(tag::INT128, &v.to_le_bytes());
        Ok(())
    }
    fn serialize_u64(mut self, v: u64) -> Done {
        self.put(tag::UINT, &v.to_le_bytes());
        Ok(())
    }
    fn serialize_u128(mut self, v: u128) -> Done {
        self.put(tag::UINT128, &v.to_le_bytes());
        Ok(())
    }
    fn serialize_f64(mut self, v: f64) -> Done {
        self.put(tag::FLOAT, &v.to_bits().to_le_bytes());
        Ok(())
    }
    fn serialize_char(mut self, v: char) -> Done {
        self.put(tag::CHAR, &u32::from(v).to_le_bytes());
        Ok(())
    }
    fn serialize_str(mut self, v: &str) -> Done {
        self.named(tag::STR, v);
        Ok(())
    }
    fn serialize_bytes(mut self, v: &[u8]) -> Done {
        self.0.push(tag::BYTES);
        self.text(v);
        Ok(())
    }
    fn serialize_none(mut self) -> Done {
        self.put(tag::NONE, &[]);
        Ok(())
    }
    fn serialize_some<T: Serialize + ?Sized>(mut self, value: &T) -> Done {
        self.put(tag::SOME, &[]);
        value.serialize(self)
    }
    fn serialize_unit(mut self) -> Done {
        self.put(tag::UNIT, &[]);
        Ok(())
    }
    fn serialize_unit_struct(mut self, name: &'static str) -> Done {
        self.named(tag::UNIT_STRUCT, name);
        Ok(())
    }
    fn serialize_unit_variant(self, name: &'static str, _: u32, variant: &'static str) -> Done {
        self.variant(tag::UNIT_VARIANT, name, variant);
        Ok(())
    }
    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        mut self,
        name: &'static str,
        value: &T,
    ) -> Done {
        self.named(tag::NEWTYPE_STRUCT, name);
        value.serialize(self)
    }
    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        name: &'static str,
        _: u32,
        variant: &'static str,
        value: &T,
    ) -> Done {
        value.serialize(self.variant(tag::NEWTYPE_VARIANT, name, variant))
    }
    fn serialize_seq(mut self, _: Option<usize>) -> Result<Self, Failed> {
        self.put(tag::SEQ, &[]);
        Ok(self)
    }
    fn serialize_tuple(mut self, _: usize) -> Result<Self, Failed> {
        self.put(tag::TUPLE, &[]);
        Ok(self)
    }
    fn serialize_tuple_struct(mut self, name: &'static str, _: usize) -> Result<Self, Failed> {
        self.named(tag::TUPLE_STRUCT, name);
        Ok(self)
    }
    fn serialize_tuple_variant(
        self,
        name: &'static str,
        _: u32,
        variant: &'static str,
        _: usize,
    ) -> Result<Self, Failed> {
        Ok(self.variant(tag::TUPLE_VARIANT, name, variant))
    }
    fn serialize_map(mut self, _: Option<usize>) -> Result<Self, Failed> {
        self.put(tag::MAP, &[]);
        Ok(self)
    }
    fn serialize_struct(mut self, name: &'static str, _: usize) -> Result<Self, Failed> {
        self.named(tag::STRUCT, name);
        Ok(self)
    }
    fn serialize_struct_variant(
        self,
        name: &'static str,
        _: u32,
        variant: &'static str,
        _: usize,
    ) -> Result<Self, Failed> {
        Ok(self.variant(tag::STRUCT_VARIANT, name, variant))
    }
}

/// Elements of a sequence or tuple (of any kind): each an item, then
/// [`tag::END`].
macro_rules! elements {
    ($($trait:ident :: $method:ident),*) => {$(
        impl ser::$trait for Writer<'_> {
            type Ok = ();
            type Error = Failed;
            fn $method<T: Serialize + ?Sized>(&mut self, value: &T) -> Done {
                value.serialize(self.reborrow())
            }
            fn end(mut self) -> Done {
                self.put(tag::END, &[]);
                Ok(())
            }
        }
    )*};
}

elements!(
    SerializeSeq::serialize_element,
    SerializeTuple::serialize_element,
    SerializeTupleStruct::serialize_field,
    SerializeTupleVariant::serialize_field
);

impl ser::SerializeMap for Writer<'_> {
    type Ok = ();
    type Error = Failed;
    fn serialize_key<T: Serialize + ?Sized>(&mut self, key: &T) -> Done {
        key.serialize(self.reborrow())
    }
    fn serialize_value<T: Serialize + ?Sized>(&mut self, value: &T) -> Done {
        value.serialize(self.reborrow())
    }
    fn end(mut self) -> Done {
        self.put(tag::END, &[]);
        Ok(())
    }
}

/// Fields of a struct (of either kind): each its name, then its value.
macro_rules! fields {
    ($($trait:ident),*) => {$(
        impl ser::$trait for Writer<'_> {
            type Ok = ();
            type Error = Failed;
            fn serialize_field<T: Serialize + ?Sized>(&mut self, key: &'static str, value: &T) -> Done {
                self.named(tag::STR, key);
                value.serialize(self.reborrow())
            }
            fn skip_field(&mut self, key: &'static str) -> Done {
                self.named(tag::SKIPPED, key);
                Ok(())
            }
            fn end(mut self) -> Done {
                self.put(tag::END, &[]);
                Ok(())
            }
        }
    )*};
}

fields!(SerializeStruct, SerializeStructVariant);

#[cfg(test)]
mod tests {
    use super::of;
    use serde::Serialize;
    use std::collections::BTreeMap;

    #[derive(Serialize)]
    struct Entry {
        title: &'static str,
        tags: Vec<&'static str>,
        year: Option<u32>,
    }

    #[test]
    fn equal_values_agree_and_different_ones_differ() {
        let entry = |title, tags, year| of(&Entry { title, tags, year });
        let a = entry("A", vec!["x", "y"], Some(2024));
        assert!(a.is_some());
        assert_eq!(a, entry("A", vec!["x", "y"], Some(2024)));
        for other in [
            entry("B", vec!["x", "y"], Some(2024)),
            entry("A", vec!["xy"], Some(2024)),
            entry("A", vec!["x", "y", ""], Some(2024)),
            entry("A", vec!["y", "x"], Some(2024)),
            entry("A", vec!["x", "y"], None),
            entry("A", vec!["x", "y"], Some(2025)),
        ] {
            assert_ne!(a, other);
        }
    }

    #[test]
    fn texts_and_lists_cannot_run_into_each_other() {
        assert_ne!(of(&("ab", "c")), of(&("a", "bc")));
        assert_ne!(of(&vec![vec![1, 2], vec![]]), of(&vec![vec![1], vec![2]]));
        assert_ne!(of(&vec![vec![1, 2]]), of(&vec![1, 2]));
        // A struct is not a map with the same entries, nor one number another kind.
        let mut map = BTreeMap::new();
        map.insert("title", "A");
        #[derive(Serialize)]
        struct Titled {
            title: &'static str,
        }
        assert_ne!(of(&map), of(&Titled { title: "A" }));
        assert_ne!(of(&1u64), of(&1i64));
        assert_ne!(of(&Some(())), of(&None::<()>));
    }
}
