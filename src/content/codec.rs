//! The compact binary form the parse cache and an event's packed fields
//! are written in: LEB128 integers, zigzag for signed ones, strings as
//! length and UTF-8 bytes, optional values after a flag. Reading checks
//! every length and tag against the bytes left and gives `None` for
//! anything unexpected.

use crate::values::dates::EventDate;
use chrono::{DateTime, FixedOffset};
use std::path::Path;
use std::sync::Arc;

/// Appends values to a buffer.
pub struct Writer<'b>(pub &'b mut Vec<u8>);

impl Writer<'_> {
    pub fn u64(&mut self, mut n: u64) {
        loop {
            let byte = (n & 0x7f) as u8;
            n >>= 7;
            if n == 0 {
                self.0.push(byte);
                return;
            }
            self.0.push(byte | 0x80);
        }
    }

    pub fn i64(&mut self, n: i64) {
        // Zigzag, so small negative numbers stay short.
        self.u64(((n << 1) ^ (n >> 63)) as u64);
    }

    pub fn usize(&mut self, n: usize) {
        self.u64(n as u64);
    }

    pub fn bool(&mut self, b: bool) {
        self.0.push(u8::from(b));
    }

    pub fn bytes(&mut self, b: &[u8]) {
        self.usize(b.len());
        self.0.extend_from_slice(b);
    }

    pub fn str(&mut self, s: &str) {
        self.bytes(s.as_bytes());
    }

    pub fn opt_str(&mut self, s: Option<&str>) {
        match s {
            None => self.bool(false),
            Some(s) => {
                self.bool(true);
                self.str(s);
            }
        }
    }

    pub fn date(&mut self, d: &EventDate) {
        self.i64(i64::from(d.year));
        self.u64(d.month.map_or(0, |m| u64::from(m) + 1));
        self.u64(d.day.map_or(0, |m| u64::from(m) + 1));
        match d.instant {
            None => self.bool(false),
            Some(at) => {
                self.bool(true);
                self.i64(at.timestamp());
                self.u64(u64::from(at.timestamp_subsec_nanos()));
                self.i64(i64::from(at.offset().local_minus_utc()));
            }
        }
    }

    pub fn opt_date(&mut self, d: Option<&EventDate>) {
        match d {
            None => self.bool(false),
            Some(d) => {
                self.bool(true);
                self.date(d);
            }
        }
    }
}

/// Reads values back, each checked against what is left.
pub struct Reader<'b> {
    bytes: &'b [u8],
    at: usize,
    /// The last path read into a [`Located`]: an event's places share it.
    pub(crate) last_path: Option<Arc<Path>>,
}

/// No list in an event is longer than its file: a count beyond the bytes
/// left is damage (and must not reserve memory).
fn sane(count: usize, left: usize) -> Option<usize> {
    (count <= left).then_some(count)
}

impl<'b> Reader<'b> {
    pub fn new(bytes: &'b [u8]) -> Reader<'b> {
        Reader {
            bytes,
            at: 0,
            last_path: None,
        }
    }

    pub fn is_empty(&self) -> bool {
        self.at >= self.bytes.len()
    }

    pub fn byte(&mut self) -> Option<u8> {
        let b = *self.bytes.get(self.at)?;
        self.at += 1;
        Some(b)
    }

    pub fn u64(&mut self) -> Option<u64> {
        let mut n: u64 = 0;
        for shift in (0..64).step_by(7) {
            let b = self.byte()?;
            n |= u64::from(b & 0x7f).checked_shl(shift)?;
            if b & 0x80 == 0 {
                return Some(n);
            }
        }
        None
    }

    pub fn i64(&mut self) -> Option<i64> {
        let z = self.u64()?;
        Some(((z >> 1) as i64) ^ -((z & 1) as i64))
    }

    pub fn usize(&mut self) -> Option<usize> {
        usize::try_from(self.u64()?).ok()
    }

    pub fn count(&mut self) -> Option<usize> {
        let n = self.usize()?;
        sane(n, self.bytes.len() - self.at)
    }

    pub fn bool(&mut self) -> Option<bool> {
        match self.byte()? {
            0 => Some(false),
            1 => Some(true),
            _ => None,
        }
    }

    pub fn bytes(&mut self) -> Option<&'b [u8]> {
        let n = self.usize()?;
        let end = self.at.checked_add(n)?;
        let b = self.bytes.get(self.at..end)?;
        self.at = end;
        Some(b)
    }

    /// A text, borrowed from the bytes read.
    pub fn text(&mut self) -> Option<&'b str> {
        std::str::from_utf8(self.bytes()?).ok()
    }

    pub fn str(&mut self) -> Option<String> {
        self.text().map(str::to_string)
    }

    /// A value written after a flag saying whether there is one.
    pub fn opt<T>(&mut self, read: impl FnOnce(&mut Self) -> Option<T>) -> Option<Option<T>> {
        Some(if self.bool()? {
            Some(read(self)?)
        } else {
            None
        })
    }

    pub fn opt_str(&mut self) -> Option<Option<String>> {
        self.opt(Self::str)
    }

    pub fn small(&mut self) -> Option<Option<u32>> {
        Some(match self.u64()? {
            0 => None,
            n => Some(u32::try_from(n - 1).ok()?),
        })
    }

    pub fn date(&mut self) -> Option<EventDate> {
        let year = i32::try_from(self.i64()?).ok()?;
        let month = self.small()?;
        let day = self.small()?;
        let instant = if self.bool()? {
            let secs = self.i64()?;
            let nanos = u32::try_from(self.u64()?).ok()?;
            let offset = FixedOffset::east_opt(i32::try_from(self.i64()?).ok()?)?;
            Some(DateTime::from_timestamp(secs, nanos)?.with_timezone(&offset))
        } else {
            None
        };
        Some(EventDate {
            year,
            month,
            day,
            instant,
        })
    }

    pub fn opt_date(&mut self) -> Option<Option<EventDate>> {
        self.opt(Self::date)
    }
}
