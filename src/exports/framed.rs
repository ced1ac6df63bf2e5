//! Reading back an export file that a rebuild kept: the run of bytes
//! between its head and its end, checked and then copied as a stream, so a
//! whole file (`events.json`, `calendar.ics`) can take a kept year's
//! records from that year's own file without making them again.

use std::fs::File;
use std::io::{self, Read, Seek, SeekFrom, Write};
use std::ops::Range;

/// Where the bytes between `head` and `tail` lie in `file`, when it
/// starts with `head` and ends with `tail`; `None` for anything else.
pub(super) fn between(file: &mut File, head: &[u8], tail: &[u8]) -> io::Result<Option<Range<u64>>> {
    let len = file.metadata()?.len();
    let (start, end) = (head.len() as u64, len.saturating_sub(tail.len() as u64));
    if len < (head.len() + tail.len()) as u64 {
        return Ok(None);
    }
    let mut first = vec![0; head.len()];
    let mut last = vec![0; tail.len()];
    file.seek(SeekFrom::Start(0))?;
    file.read_exact(&mut first)?;
    file.seek(SeekFrom::Start(end))?;
    file.read_exact(&mut last)?;
    Ok((first == head && last == tail).then_some(start..end))
}

/// Copies the bytes of `file` in `run` into `w`, streamed.
pub(super) fn copy(file: &mut File, run: Range<u64>, w: &mut dyn Write) -> io::Result<()> {
    file.seek(SeekFrom::Start(run.start))?;
    let want = run.end - run.start;
    if io::copy(&mut file.take(want), w)? != want {
        return Err(io::ErrorKind::UnexpectedEof.into());
    }
    Ok(())
}
