//! A file written by a thread of its own from pieces sent to it, for an
//! export whose files fill side by side over the whole event stream (the
//! site's and every track's newest TimelineJS slides all arrive near the
//! end): each file streams to disk as its pieces come, instead of being
//! held until its last piece is made. At most [`MAX_STREAMS`] files
//! stream at once; any more (a site with hundreds of tracks) are held in
//! memory until they end, as before, and so is a file whose thread the
//! system refuses, so a limit on threads never fails a build.

use crate::error::Error;
use crate::output::Sink;
use std::sync::mpsc::{SyncSender, sync_channel};
use std::thread::{Scope, ScopedJoinHandle};

/// Batches waiting for a file's writer; beyond that the sender waits.
const QUEUE: usize = 4;

/// Bytes of pieces gathered before they go to the writer: handing over
/// each slide on its own woke the writer thread once per event and file.
const BATCH: usize = 32 * 1024;

/// The writer needs little stack: it copies bytes into the sink.
const STACK: usize = 256 * 1024;

/// Files streamed at once, each with a thread.
const MAX_STREAMS: usize = 32;

/// The files of one export being filled, by number.
pub(super) struct Fillings<'scope, 'env> {
    scope: &'scope Scope<'scope, 'env>,
    sink: &'scope dyn Sink,
    files: Vec<Option<State<'scope>>>,
    streams: usize,
}

enum State<'scope> {
    Streaming(Filling<'scope>),
    Held(Held),
}

/// A file kept in memory until it ends.
pub(super) struct Held {
    rel: String,
    frame: [Vec<u8>; 3],
    /// The pieces so far, separated already.
    pieces: Vec<u8>,
    empty: bool,
}

impl Held {
    /// The file `rel` with no piece yet, framed by `frame` (head,
    /// separator, tail; see [`Filling::start`]).
    pub fn new(rel: String, frame: [Vec<u8>; 3]) -> Held {
        Held {
            rel,
            frame,
            pieces: Vec::new(),
            empty: true,
        }
    }

    fn push(&mut self, piece: &[u8]) {
        if !self.empty {
            self.pieces.extend_from_slice(&self.frame[1]);
        }
        self.pieces.extend_from_slice(piece);
        self.empty = false;
    }

    /// Writes the file whole: head, pieces, tail.
    pub fn write(self, sink: &dyn Sink) -> Result<(), Error> {
        let Held {
            rel,
            frame: [head, _, tail],
            pieces,
            ..
        } = self;
        sink.write_with(&rel, &mut |w| {
            w.write_all(&head)?;
            w.write_all(&pieces)?;
            w.write_all(&tail)
        })
        .map_err(|e| Error::io(format!("cannot write {rel}"), e))
    }
}

impl<'scope, 'env> Fillings<'scope, 'env> {
    /// `count` files, none started, written into `sink`.
    pub fn new(scope: &'scope Scope<'scope, 'env>, sink: &'scope dyn Sink, count: usize) -> Self {
        Fillings {
            scope,
            sink,
            files: (0..count).map(|_| None).collect(),
            streams: 0,
        }
    }

    /// Adds `piece` to file `f`, starting it as `rel` with `frame` (head,
    /// separator, tail; see [`Filling::start`]) when it is the first.
    pub fn push(
        &mut self,
        f: usize,
        piece: &[u8],
        start: impl FnOnce() -> Result<(String, [Vec<u8>; 3]), Error>,
    ) -> Result<(), Error> {
        let state = match self.files[f].take() {
            Some(state) => state,
            None => {
                let (rel, frame) = start()?;
                self.start(rel, frame)
            }
        };
        let state = match state {
            State::Streaming(filling) => State::Streaming(filling.send(piece)?),
            State::Held(mut held) => {
                held.push(piece);
                State::Held(held)
            }
        };
        self.files[f] = Some(state);
        Ok(())
    }

    /// Ends file `f` (started by a piece) and waits until it is written.
    pub fn end(&mut self, f: usize) -> Result<(), Error> {
        match self.files[f].take() {
            Some(State::Streaming(filling)) => {
                self.streams -= 1;
                filling.finish()
            }
            Some(State::Held(held)) => held.write(self.sink),
            None => Ok(()),
        }
    }

    fn start(&mut self, rel: String, frame: [Vec<u8>; 3]) -> State<'scope> {
        if self.streams < MAX_STREAMS {
            // The frame is small; a copy lets a refused thread fall back.
            if let Ok(filling) = Filling::start(self.scope, self.sink, rel.clone(), frame.clone()) {
                self.streams += 1;
                return State::Streaming(filling);
            }
        }
        State::Held(Held::new(rel, frame))
    }
}

/// One file being filled on a thread of its own.
struct Filling<'scope> {
    rel: String,
    separator: Vec<u8>,
    /// Pieces not yet handed over, separated already.
    batch: Vec<u8>,
    empty: bool,
    batches: SyncSender<Vec<u8>>,
    writer: ScopedJoinHandle<'scope, Result<(), Error>>,
}

impl<'scope> Filling<'scope> {
    /// Starts writing `rel` into `sink` on a thread of `scope`: `head`,
    /// then every piece sent, `separator` between two, then `tail` once
    /// [`Filling::finish`] is called.
    fn start<'env>(
        scope: &'scope Scope<'scope, 'env>,
        sink: &'scope dyn Sink,
        rel: String,
        [head, separator, tail]: [Vec<u8>; 3],
    ) -> Result<Filling<'scope>, Error> {
        let (batches, arriving) = sync_channel::<Vec<u8>>(QUEUE);
        let path = rel.clone();
        let writer = std::thread::Builder::new()
            .name("annals-export".into())
            .stack_size(STACK)
            .spawn_scoped(scope, move || {
                sink.write_with(&path, &mut |w| {
                    w.write_all(&head)?;
                    for batch in arriving.iter() {
                        w.write_all(&batch)?;
                    }
                    w.write_all(&tail)
                })
                .map_err(|e| Error::io(format!("cannot write {path}"), e))
            })
            .map_err(|e| Error::io(format!("cannot write {rel}"), e))?;
        Ok(Filling {
            rel,
            separator,
            batch: Vec::new(),
            empty: true,
            batches,
            writer,
        })
    }

    /// Adds `piece`, handing the pieces gathered to the writer once they
    /// make a batch; when the writer has stopped (it could not write), its
    /// error.
    fn send(mut self, piece: &[u8]) -> Result<Filling<'scope>, Error> {
        if !self.empty {
            self.batch.extend_from_slice(&self.separator);
        }
        self.batch.extend_from_slice(piece);
        self.empty = false;
        if self.batch.len() < BATCH {
            return Ok(self);
        }
        let batch = std::mem::replace(&mut self.batch, Vec::with_capacity(2 * BATCH));
        match self.batches.send(batch) {
            Ok(()) => Ok(self),
            Err(_) => Err(self.finish().err().unwrap_or_else(writer_stopped)),
        }
    }

    /// Ends the file and waits until it is written.
    fn finish(self) -> Result<(), Error> {
        let Filling {
            rel,
            batch,
            batches,
            writer,
            ..
        } = self;
        // A writer that stopped reports why when joined.
        if !batch.is_empty() {
            let _ = batches.send(batch);
        }
        drop(batches);
        writer.join().unwrap_or_else(|_| {
            Err(Error::io(
                format!("cannot write {rel}"),
                std::io::Error::other("its writer failed"),
            ))
        })
    }
}

fn writer_stopped() -> Error {
    Error::io(
        "cannot write an export",
        std::io::Error::other("its writer stopped"),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io;
    use std::sync::Mutex;

    #[derive(Default)]
    struct Kept(Mutex<Vec<(String, Vec<u8>)>>);

    impl Sink for Kept {
        fn write(&self, rel: &str, bytes: &[u8]) -> io::Result<()> {
            let mut kept = self.0.lock().map_err(|_| io::Error::other("poisoned"))?;
            kept.push((rel.to_string(), bytes.to_vec()));
            Ok(())
        }
    }

    /// Takes a few bytes, then fails, like a full disk.
    struct Full;

    impl Sink for Full {
        fn write(&self, _: &str, _: &[u8]) -> io::Result<()> {
            Err(io::Error::other("no space left"))
        }

        fn write_with(
            &self,
            _: &str,
            fill: &mut dyn FnMut(&mut dyn io::Write) -> io::Result<()>,
        ) -> io::Result<()> {
            let mut room = [0u8; 8];
            fill(&mut &mut room[..])
        }
    }

    fn frame() -> [Vec<u8>; 3] {
        [b"[".to_vec(), b",".to_vec(), b"]".to_vec()]
    }

    #[test]
    fn files_fill_side_by_side_in_the_order_their_pieces_come() {
        let sink = Kept::default();
        std::thread::scope(|scope| {
            let mut a = Filling::start(scope, &sink, "a.json".into(), frame()).expect("a");
            let mut b = Filling::start(scope, &sink, "b.json".into(), frame()).expect("b");
            for n in 0..100u8 {
                a = a.send(&[b'0' + n % 10]).expect("sent");
                if n % 2 == 0 {
                    b = b.send(b"x").expect("sent");
                }
            }
            a.finish().expect("a written");
            b.finish().expect("b written");
        });
        let mut kept = sink.0.into_inner().expect("kept");
        kept.sort();
        let digits: Vec<String> = (0..100u8).map(|n| (n % 10).to_string()).collect();
        assert_eq!(kept[0].1, format!("[{}]", digits.join(",")).into_bytes());
        assert_eq!(
            kept[1].1,
            format!("[{}]", vec!["x"; 50].join(",")).into_bytes()
        );
        let empty = Kept::default();
        std::thread::scope(|scope| {
            let file = Filling::start(scope, &empty, "c.json".into(), frame()).expect("c");
            file.finish().expect("written");
        });
        assert_eq!(empty.0.into_inner().expect("kept")[0].1, b"[]");
    }

    #[test]
    fn files_beyond_the_streams_allowed_are_held_and_written_the_same() {
        let sink = Kept::default();
        let count = MAX_STREAMS + 8;
        std::thread::scope(|scope| -> Result<(), Error> {
            let mut files = Fillings::new(scope, &sink, count);
            for round in 0..3u8 {
                for f in 0..count {
                    files.push(f, &[b'a' + round], || {
                        Ok((format!("f{f:03}.json"), frame()))
                    })?;
                }
                assert_eq!(files.streams, MAX_STREAMS, "the others are held");
            }
            (0..count).try_for_each(|f| files.end(f))
        })
        .expect("written");
        let kept = sink.0.into_inner().expect("kept");
        assert_eq!(kept.len(), count);
        assert!(
            kept.iter().all(|(_, bytes)| bytes == b"[a,b,c]"),
            "{kept:?}"
        );
    }

    #[test]
    fn a_writer_that_fails_stops_the_sender_with_its_error() {
        let outcome = std::thread::scope(|scope| {
            let mut file = Filling::start(scope, &Full, "a.json".into(), frame())?;
            // More batches than the queue holds: the sender must not wait forever.
            let piece = [b'0'; 1024];
            for _ in 0..(QUEUE + 4) * BATCH / piece.len() {
                file = file.send(&piece)?;
            }
            file.finish()
        });
        let error = outcome.expect_err("the write failed");
        assert!(error.to_string().contains("a.json"), "{error}");
    }
}
