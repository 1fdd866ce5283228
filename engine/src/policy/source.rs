//! Policy source text: YAML (or JSON) in, a `serde_json::Value` plus the
//! position of every value out.
//!
//! Every later stage (schema validation, compilation, lint, `explain`) works
//! on the JSON value, but its errors must name the line and column the user
//! wrote. So this module builds the value itself from yaml-rust2's event
//! stream, recording the position of each value and each mapping key under
//! its JSON pointer. It is also the place that defends the engine against
//! hostile input: size, nesting depth and alias expansion are bounded here.
//!
//! Scalars follow the YAML 1.2 core schema. JSON is read as YAML flow syntax;
//! only when yaml-rust2 rejects text that is valid JSON (for example an
//! escaped surrogate pair such as `"\ud83d\ude00"`) is it read by a small JSON
//! tokenizer that feeds the same builder, so positions, duplicate-key checks
//! and limits are identical on both paths.

// `Diagnostic` is the project's one error type (136 bytes). An error ends
// the parse, so its size costs nothing on the path that succeeds.

mod builder;
mod json;
mod lines;
mod pointer;
mod scalar;
mod yaml;

use super::diagnostic::{Diagnostic, Span};
use json::parse_json;
use lines::LineIndex;
use pointer::parent_pointer;
use serde_json::Value;
use std::collections::HashMap;
use yaml::parse_yaml;

pub(crate) use pointer::{display_path, escape_segment};

/// Largest policy text accepted, in bytes (1 MiB).
pub const MAX_POLICY_BYTES: usize = 1024 * 1024;
/// Deepest nesting of mappings and sequences accepted (the root mapping is 1).
pub const MAX_DEPTH: usize = 64;
/// Most nodes (mappings, sequences, scalars, keys included) a document may
/// produce once aliases are expanded: the guard against "billion laughs".
pub const MAX_NODES: usize = 100_000;
/// Most bytes of strings plus recorded JSON pointers a document may
/// produce. [`MAX_NODES`] alone does not bound memory: an alias of one long
/// string is one node, and every value under long, deeply nested keys
/// carries a long pointer.
const MAX_EXPANDED_BYTES: usize = 64 * 1024 * 1024;

/// A parsed policy document: the value and where each value is.
///
/// Positions are keyed by JSON pointer (RFC 6901, `~0`/`~1` escapes).
/// Values that came from an alias take the alias's position at their root
/// and the anchor's positions below it (where the text actually is).
#[derive(Debug, Clone, PartialEq)]
pub struct SourceDocument {
    /// The document as JSON.
    pub value: Value,
    /// JSON pointer -> position of that value.
    spans: HashMap<String, Span>,
    /// JSON pointer of a mapping entry -> position of its key.
    key_spans: HashMap<String, Span>,
    /// JSON pointer -> text as written, for plain scalars that resolved to
    /// a number, boolean or null (`1.10` is the number 1.1 but was written
    /// `1.10`).
    raw: HashMap<String, String>,
}

impl SourceDocument {
    /// A document with no source positions, for values that did not come
    /// from text (a compiled policy, a JSON API call).
    ///
    /// ```
    /// use cavra::policy::source::SourceDocument;
    ///
    /// let doc = SourceDocument::from_value(serde_json::json!({"metadata": {"id": "x"}}));
    /// assert_eq!(doc.span("/metadata/id"), None);
    /// ```
    pub fn from_value(value: Value) -> Self {
        SourceDocument {
            value,
            spans: HashMap::new(),
            key_spans: HashMap::new(),
            raw: HashMap::new(),
        }
    }

    /// Position of the value at a JSON pointer (`""` = root,
    /// `"/filesystem/block_read/0"`); falls back to the nearest ancestor
    /// that has one.
    ///
    /// ```
    /// use cavra::policy::source::parse_document;
    ///
    /// let doc = parse_document("filesystem:\n  block_read:\n    - .env\n").unwrap();
    /// let span = doc.span("/filesystem/block_read/0").unwrap();
    /// assert_eq!((span.line, span.column, span.offset), (3, 7, 32));
    /// // `/filesystem/block_read/9` does not exist: its list answers.
    /// assert_eq!(doc.line("/filesystem/block_read/9"), Some(3));
    /// ```
    pub fn span(&self, pointer: &str) -> Option<Span> {
        let mut pointer = pointer;
        loop {
            if let Some(span) = self.spans.get(pointer) {
                return Some(*span);
            }
            pointer = parent_pointer(pointer)?;
        }
    }

    /// Position of the key of a mapping entry (for unknown-key errors),
    /// falling back to [`SourceDocument::span`].
    ///
    /// ```
    /// use cavra::policy::source::parse_document;
    ///
    /// let doc = parse_document("commands:\n  default: block\n").unwrap();
    /// assert_eq!(doc.key_span("/commands/default").unwrap().column, 3);
    /// assert_eq!(doc.span("/commands/default").unwrap().column, 12);
    /// ```
    pub fn key_span(&self, pointer: &str) -> Option<Span> {
        self.key_spans
            .get(pointer)
            .copied()
            .or_else(|| self.span(pointer))
    }

    /// 1-based line of the value at the pointer (convenience for
    /// `file:line` sources).
    pub fn line(&self, pointer: &str) -> Option<usize> {
        self.span(pointer).map(|span| span.line)
    }

    /// The text of the value at `pointer` as written, when it was a plain
    /// scalar that YAML resolved to a number, boolean or null.
    pub(crate) fn source_text(&self, pointer: &str) -> Option<&str> {
        self.raw.get(pointer).map(String::as_str)
    }
}

/// Parses YAML 1.2 (JSON is accepted as YAML flow syntax) into a document.
///
/// Text that starts with `{` or `[` and that yaml-rust2 rejects although it
/// is valid JSON is read as JSON instead, with the same positions and
/// checks. Errors carry the line and column (1-based, in characters) of the
/// offending text.
///
/// ```
/// use cavra::policy::source::parse_document;
///
/// let doc = parse_document("metadata:\n  id: demo\n  version: \"1.0\"\n").unwrap();
/// assert_eq!(doc.value["metadata"]["version"], "1.0");
/// assert_eq!(doc.line("/metadata/version"), Some(3));
///
/// let err = parse_document("a: 1\na: 2\n").unwrap_err();
/// assert_eq!((err.line, err.column), (Some(2), Some(1)));
/// assert!(err.message.starts_with("duplicate key `a`"));
/// ```
pub fn parse_document(text: &str) -> Result<SourceDocument, Diagnostic> {
    if text.len() > MAX_POLICY_BYTES {
        return Err(Diagnostic::error(
            format!(
                "policy is {} bytes, more than the limit of {MAX_POLICY_BYTES} bytes (1 MiB)",
                text.len()
            ),
            "",
        ));
    }
    // yaml-rust2 would read a byte order mark as part of the first key.
    let (body, bom) = match text.strip_prefix('\u{feff}') {
        Some(rest) => (rest, '\u{feff}'.len_utf8()),
        None => (text, 0),
    };
    let lines = LineIndex::new(body, bom);
    match parse_yaml(body, &lines) {
        Ok(doc) => Ok(doc),
        Err(Failure::Syntax(_)) if is_valid_json(body) => parse_json(body, &lines),
        Err(Failure::Syntax(diagnostic)) | Err(Failure::Invalid(diagnostic)) => Err(diagnostic),
    }
}

/// Why parsing stopped: the text is not YAML, or it is YAML that is not an
/// acceptable policy document.
enum Failure {
    Syntax(Diagnostic),
    Invalid(Diagnostic),
}

fn is_valid_json(text: &str) -> bool {
    let trimmed = text.trim_start();
    (trimmed.starts_with('{') || trimmed.starts_with('['))
        && serde_json::from_str::<serde::de::IgnoredAny>(text).is_ok()
}

#[cfg(test)]
mod tests;
