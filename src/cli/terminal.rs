//! A build's progress on the terminal: a bar with counts where a stage's
//! count is known, a spinner where it is not, shown only once the build has
//! taken a second so that quick builds print nothing but their last line.
//! The library counts with relaxed atomics; a timer thread reads the count
//! ten times a second and draws, so pages are never held up by drawing.

use annals::{Observer, Stage};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc::{self, RecvTimeoutError};
use std::sync::{Arc, Mutex, PoisonError};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

/// How long a build runs before its progress appears.
const SHOW_AFTER: Duration = Duration::from_secs(1);
/// How often the bar is redrawn.
const TICK: Duration = Duration::from_millis(100);

#[derive(Default)]
struct Shared {
    /// The current stage and its total; the counter is reset under
    /// this lock so that a reader never pairs a stage with another's
    /// count.
    stage: Mutex<Option<(Stage, Option<usize>)>>,
    done: AtomicUsize,
}

impl Shared {
    fn now(&self) -> Option<(Stage, Option<usize>, usize)> {
        let stage = self.stage.lock().unwrap_or_else(PoisonError::into_inner);
        stage.map(|(s, total)| (s, total, self.done.load(Ordering::Relaxed)))
    }
}

pub struct Progress {
    shared: Arc<Shared>,
    quiet: bool,
    /// The bar and its timer thread, which stops when the sender is
    /// dropped; `None` when progress is not shown.
    shown: Option<(ProgressBar, mpsc::Sender<()>, JoinHandle<()>)>,
}

impl Progress {
    /// Starts counting; draws only when `show` (stderr is a terminal
    /// and the user did not ask for quiet). `started` is when the
    /// command began.
    pub fn start(show: bool, quiet: bool, started: Instant) -> Progress {
        let shared = Arc::new(Shared::default());
        let shown = show.then(|| {
            let bar = ProgressBar::hidden();
            let (stop, stopped) = mpsc::channel();
            let ticker = {
                let (bar, shared) = (bar.clone(), Arc::clone(&shared));
                std::thread::spawn(move || draw_until(stopped, &bar, &shared, started))
            };
            (bar, stop, ticker)
        });
        Progress {
            shared,
            quiet,
            shown,
        }
    }

    /// Stops the timer and clears the bar, before the command's own
    /// last line or its errors are printed.
    pub fn finish(self) {
        if let Some((bar, stop, ticker)) = self.shown {
            drop(stop);
            let _ = ticker.join();
            bar.finish_and_clear();
        }
    }
}

impl Observer for Progress {
    fn waiting(&self, out: &Path) {
        if self.quiet {
            return;
        }
        let say = || {
            eprintln!(
                "Another annals build is writing to {}; waiting for it to finish …",
                out.display()
            )
        };
        match &self.shown {
            Some((bar, ..)) => bar.suspend(say),
            None => say(),
        }
    }

    fn stage(&self, stage: Stage, total: Option<usize>) {
        let mut current = self
            .shared
            .stage
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        self.shared.done.store(0, Ordering::Relaxed);
        *current = Some((stage, total));
    }

    fn advance(&self, n: usize) {
        self.shared.done.fetch_add(n, Ordering::Relaxed);
    }
}

fn label(stage: Stage) -> &'static str {
    match stage {
        Stage::Read => "reading and validating files",
        Stage::Render => "rendering pages, feeds and data",
        Stage::Static => "copying static files",
        Stage::Swap => "replacing the output folder",
        Stage::External => "checking source links",
        _ => "building",
    }
}

fn style(counted: bool) -> ProgressStyle {
    let template = if counted {
        "{spinner} {msg} [{wide_bar}] {pos}/{len}"
    } else {
        "{spinner} {msg}"
    };
    // The templates are constants; the fallback only guards a typo.
    ProgressStyle::with_template(template).unwrap_or_else(|_| ProgressStyle::default_spinner())
}

/// Redraws `bar` every tick from the shared counts until `stopped`.
fn draw_until(stopped: mpsc::Receiver<()>, bar: &ProgressBar, shared: &Shared, started: Instant) {
    let mut drawn: Option<(Stage, Option<usize>)> = None;
    while let Err(RecvTimeoutError::Timeout) = stopped.recv_timeout(TICK) {
        if started.elapsed() < SHOW_AFTER {
            continue;
        }
        let Some((stage, total, done)) = shared.now() else {
            continue;
        };
        if drawn != Some((stage, total)) {
            // Position first: the bar may redraw on each change, and
            // must not show the last stage's count against this total.
            bar.set_position(done as u64);
            match total {
                Some(total) => bar.set_length(total as u64),
                None => bar.unset_length(),
            }
            bar.set_style(style(total.is_some()));
            bar.set_message(label(stage));
            if drawn.is_none() {
                bar.set_draw_target(ProgressDrawTarget::stderr());
            }
            drawn = Some((stage, total));
        }
        bar.set_position(done as u64);
        bar.tick();
    }
}
