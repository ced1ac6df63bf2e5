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

/// Copies the bytes of `file` in `run` into `w`, streamed a mebibyte at a
/// time: a write that large goes past a `BufWriter`'s buffer to its file,
/// so the bytes (half a gigabyte for `events.json` at archive scale) are
/// not copied a third time through a small buffer.
pub(super) fn copy(file: &mut File, run: Range<u64>, w: &mut dyn Write) -> io::Result<()> {
    const CHUNK: u64 = 1 << 20;
    file.seek(SeekFrom::Start(run.start))?;
    let mut left = run.end - run.start;
    let mut buf = vec![0; CHUNK.min(left) as usize];
    while left > 0 {
        let part = &mut buf[..CHUNK.min(left) as usize];
        file.read_exact(part)?;
        w.write_all(part)?;
        left -= part.len() as u64;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_run_longer_than_a_chunk_is_copied_whole_and_a_wrong_frame_is_refused() {
        let tmp = tempfile::tempdir().expect("temp dir");
        let at = tmp.path().join("f");
        let run: Vec<u8> = (0..(5u32 << 19) + 7).map(|i| (i % 251) as u8).collect();
        std::fs::write(&at, [&b"HEAD"[..], &run, b"END"].concat()).expect("write");
        let mut file = File::open(&at).expect("open");
        assert_eq!(between(&mut file, b"HEAD", b"NOT").expect("read"), None);
        assert_eq!(between(&mut file, b"HEX", b"END").expect("read"), None);
        let found = between(&mut file, b"HEAD", b"END")
            .expect("read")
            .expect("framed");
        let mut copied = Vec::new();
        copy(&mut file, found, &mut copied).expect("copy");
        assert_eq!(copied, run);
    }
}
