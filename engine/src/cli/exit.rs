//! Exit codes and error output, in one place.
//!
//! 0: success or allow. 1: a negative outcome the caller asked about
//! (block or approval under `--fail-on`, failed verification, failed policy
//! tests, lint errors). 2: usage or input error.

use crate::policy::diagnostic::{render, Diagnostic};
use std::fmt;

/// How a command ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// Exit 0.
    Success,
    /// Exit 1.
    Negative,
    /// Exit 2.
    InputError,
}

impl Outcome {
    /// The process exit code.
    pub fn code(self) -> u8 {
        match self {
            Outcome::Success => 0,
            Outcome::Negative => 1,
            Outcome::InputError => 2,
        }
    }

    /// The worse of two outcomes.
    pub fn worst(self, other: Outcome) -> Outcome {
        if other.code() > self.code() {
            other
        } else {
            self
        }
    }
}

/// An error that ends a command with exit code 2.
#[derive(Debug)]
pub struct CliError {
    message: String,
    /// The reader of our output went away (`cavra ... | head`): not an error.
    broken_pipe: bool,
}

impl CliError {
    /// An error with a message.
    pub fn new(message: impl Into<String>) -> Self {
        CliError {
            message: message.into(),
            broken_pipe: false,
        }
    }

    /// Whether the output pipe was closed by its reader.
    pub fn is_broken_pipe(&self) -> bool {
        self.broken_pipe
    }

    /// An error made of policy diagnostics.
    pub fn diagnostics(diagnostics: &[Diagnostic]) -> Self {
        CliError::new(render(diagnostics))
    }
}

impl fmt::Display for CliError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl<E: std::error::Error + 'static> From<E> for CliError {
    fn from(e: E) -> Self {
        let broken_pipe = (&e as &dyn std::any::Any)
            .downcast_ref::<std::io::Error>()
            .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe);
        CliError {
            message: e.to_string(),
            broken_pipe,
        }
    }
}

/// What every command returns.
pub type CliResult = Result<Outcome, CliError>;
