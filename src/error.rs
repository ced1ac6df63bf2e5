//! The error type of every command: content problems (all of them, as
//! diagnostics), refused operations, and I/O failures with the OS error
//! kept as the source. Its variant decides the exit code.

use crate::diagnostic::Diagnostic;

/// Why a command failed; decides the exit code.
///
/// `Display` gives the one-line message shown after `error: `; for content
/// problems that is the count, and the diagnostics themselves are listed
/// before it (see [`Error::diagnostics`]).
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// Content or template problems (exit 1), all of them.
    #[error("{} problem{} found", .0.len(), if .0.len() == 1 { "" } else { "s" })]
    Content(Vec<Diagnostic>),
    /// Bad arguments or refused operations (exit 2).
    #[error("{0}")]
    Usage(String),
    /// Reading or writing files failed (exit 2). `action` says what was
    /// tried ("cannot write events/x/index.html"); the OS error is kept as
    /// the source and shown after it.
    #[error("{action}: {source}")]
    Io {
        action: String,
        #[source]
        source: std::io::Error,
    },
}

impl Error {
    /// An I/O failure while doing `action` (e.g. "cannot read X").
    pub fn io(action: impl Into<String>, source: std::io::Error) -> Error {
        Error::Io {
            action: action.into(),
            source,
        }
    }

    pub fn exit_code(&self) -> i32 {
        match self {
            Error::Content(_) => 1,
            Error::Usage(_) | Error::Io { .. } => 2,
        }
    }

    /// The content diagnostics this error carries (none for usage and I/O
    /// errors), to list before the summary line.
    pub fn diagnostics(&self) -> &[Diagnostic] {
        match self {
            Error::Content(diagnostics) => diagnostics,
            Error::Usage(_) | Error::Io { .. } => &[],
        }
    }
}
