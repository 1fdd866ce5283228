//! Diagnostics: every problem found in a policy, with where it is.
//!
//! A diagnostic carries the JSON pointer of the offending value and, when the
//! policy came from text, the line and column of that value, so a user can
//! jump straight to it. One type serves load errors, schema errors and lint
//! warnings, so every surface renders them the same way.

use serde::Serialize;
use std::fmt;

/// A position in policy source text.
///
/// `offset` is a byte offset into the UTF-8 text; `line` and `column` are
/// 1-based, and `column` counts Unicode scalar values (characters), not bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Span {
    /// Byte offset from the start of the text.
    pub offset: usize,
    /// 1-based line number.
    pub line: usize,
    /// 1-based column, in characters.
    pub column: usize,
}

/// How bad a diagnostic is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    /// The policy cannot be used.
    Error,
    /// The policy works but probably does not mean what its author thinks.
    Warning,
}

/// One problem in a policy document.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Diagnostic {
    /// Error or warning.
    pub level: Level,
    /// Lowercase sentence saying what is wrong.
    pub message: String,
    /// JSON pointer of the offending value (`""` for the root).
    pub path: String,
    /// Where the value is in the source text, when known.
    pub line: Option<usize>,
    /// Column (characters, 1-based) of the value, when known.
    pub column: Option<usize>,
    /// How to fix it, when there is an obvious fix.
    pub help: Option<String>,
    /// The file the policy came from, when it came from a file.
    pub file: Option<String>,
}

impl Diagnostic {
    /// An error at `path`.
    pub fn error(message: impl Into<String>, path: impl Into<String>) -> Self {
        Diagnostic {
            level: Level::Error,
            message: message.into(),
            path: path.into(),
            line: None,
            column: None,
            help: None,
            file: None,
        }
    }

    /// A warning at `path`.
    pub fn warning(message: impl Into<String>, path: impl Into<String>) -> Self {
        Diagnostic {
            level: Level::Warning,
            ..Diagnostic::error(message, path)
        }
    }

    /// Attaches a source position.
    pub fn at(mut self, span: Option<Span>) -> Self {
        if let Some(span) = span {
            self.line = Some(span.line);
            self.column = Some(span.column);
        }
        self
    }

    /// Attaches a fix suggestion.
    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    /// Attaches the file name (kept if one is already set).
    pub fn in_file(mut self, file: &str) -> Self {
        if self.file.is_none() {
            self.file = Some(file.to_string());
        }
        self
    }

    /// True for errors.
    pub fn is_error(&self) -> bool {
        self.level == Level::Error
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let level = match self.level {
            Level::Error => "error",
            Level::Warning => "warning",
        };
        write!(f, "{level}: ")?;
        if let Some(file) = &self.file {
            write!(f, "{file}:")?;
        }
        match (self.line, self.column) {
            (Some(line), Some(column)) => write!(f, "{line}:{column}: ")?,
            _ if self.file.is_some() => write!(f, " ")?,
            _ => {}
        }
        write!(f, "{}", self.message)?;
        if !self.path.is_empty() {
            write!(f, " (at {})", self.path)?;
        }
        if let Some(help) = &self.help {
            write!(f, "\n  help: {help}")?;
        }
        Ok(())
    }
}

/// Renders a list of diagnostics, one per line block.
pub fn render(diagnostics: &[Diagnostic]) -> String {
    diagnostics
        .iter()
        .map(|d| d.to_string())
        .collect::<Vec<_>>()
        .join("\n")
}
