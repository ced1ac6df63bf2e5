//! The build's stage clock: how long each stage took and, where the
//! system tells, how much memory the build held when it ended (`build
//! --verbose` prints both, so a benchmark can see which stage holds what).

use std::time::{Duration, Instant};

/// One stage of a build, as `build --verbose` reports it.
#[derive(Debug, Clone)]
pub struct Lap {
    pub stage: &'static str,
    pub took: Duration,
    /// Resident memory when the stage ended, and the most held so far.
    pub memory: Option<Memory>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Memory {
    pub resident: u64,
    pub peak: u64,
}

pub(crate) struct Stopwatch {
    last: Instant,
    laps: Vec<Lap>,
}

impl Stopwatch {
    pub(crate) fn start() -> Stopwatch {
        Stopwatch {
            last: Instant::now(),
            laps: Vec::new(),
        }
    }

    pub(crate) fn lap(&mut self, stage: &'static str) {
        let now = Instant::now();
        self.laps.push(Lap {
            stage,
            took: now - self.last,
            memory: memory(),
        });
        self.last = now;
    }

    pub(crate) fn laps(self) -> Vec<Lap> {
        self.laps
    }
}

/// The process's resident and peak resident memory in bytes, where the
/// system reports them (`/proc/self/status` on Linux).
fn memory() -> Option<Memory> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    Some(Memory {
        resident: status_bytes(&status, "VmRSS:")?,
        peak: status_bytes(&status, "VmHWM:")?,
    })
}

/// A `/proc/self/status` field given in kB, in bytes.
fn status_bytes(status: &str, field: &str) -> Option<u64> {
    let line = status.lines().find(|l| l.starts_with(field))?;
    let kb: u64 = line[field.len()..]
        .trim()
        .trim_end_matches("kB")
        .trim()
        .parse()
        .ok()?;
    Some(kb * 1024)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn status_fields_read_in_bytes() {
        let status = "Name:\tannals\nVmHWM:\t  2048 kB\nVmRSS:\t  1024 kB\n";
        assert_eq!(status_bytes(status, "VmRSS:"), Some(1024 * 1024));
        assert_eq!(status_bytes(status, "VmHWM:"), Some(2048 * 1024));
        assert_eq!(status_bytes(status, "VmSwap:"), None);
    }

    #[cfg(target_os = "linux")]
    #[test]
    fn a_lap_on_linux_knows_the_memory_held() {
        let mut clock = Stopwatch::start();
        clock.lap("stage");
        let laps = clock.laps();
        let memory = laps[0].memory.expect("memory read from /proc");
        assert!(memory.resident > 0 && memory.peak >= memory.resident);
    }
}
