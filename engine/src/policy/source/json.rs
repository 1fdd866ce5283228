//! The JSON fallback: a small tokenizer for JSON that yaml-rust2 rejects
//! (an escaped surrogate pair such as `"\ud83d\ude00"`).
//!
//! It runs only on text serde_json has already accepted, and it feeds the
//! same [`Builder`] as the YAML path, so positions, duplicate-key checks and
//! limits are identical whichever path reads a document.

use super::builder::{Builder, Node};
use super::lines::{LineIndex, Pos};
use super::SourceDocument;
use crate::policy::diagnostic::Diagnostic;

/// Feeds valid JSON (already checked by serde_json) to the builder.
pub(super) fn parse_json(text: &str, lines: &LineIndex<'_>) -> Result<SourceDocument, Diagnostic> {
    let mut builder = Builder::new(lines);
    let mut chars = text.char_indices().peekable();
    let mut pos = Pos { line: 1, col: 0 };
    while let Some((at, c)) = chars.next() {
        let here = pos;
        pos.col += 1;
        let node = match c {
            '\n' => {
                pos = Pos {
                    line: here.line + 1,
                    col: 0,
                };
                continue;
            }
            '\r' => {
                if chars.peek().map(|&(_, next)| next) != Some('\n') {
                    pos = Pos {
                        line: here.line + 1,
                        col: 0,
                    };
                }
                continue;
            }
            ' ' | '\t' | ',' | ':' => continue,
            '{' => Node::MapStart {
                anchor: 0,
                tag: None,
            },
            '[' => Node::SeqStart {
                anchor: 0,
                tag: None,
            },
            '}' | ']' => Node::End,
            '"' => {
                let mut end = at + 1;
                let mut escaped = false;
                for (i, d) in chars.by_ref() {
                    pos.col += 1;
                    end = i + d.len_utf8();
                    if escaped {
                        escaped = false;
                    } else if d == '\\' {
                        escaped = true;
                    } else if d == '"' {
                        break;
                    }
                }
                let raw = text.get(at..end).unwrap_or("\"\"");
                let decoded: String = serde_json::from_str(raw).map_err(|err| {
                    Diagnostic::error(format!("invalid json string: {err}"), "")
                        .at(Some(lines.span(here)))
                })?;
                Node::Scalar {
                    text: decoded,
                    plain: false,
                    anchor: 0,
                    tag: None,
                }
            }
            _ => {
                let mut literal = String::from(c);
                while let Some(&(_, d)) = chars.peek() {
                    if d.is_whitespace() || matches!(d, ',' | ']' | '}' | ':') {
                        break;
                    }
                    literal.push(d);
                    pos.col += 1;
                    chars.next();
                }
                Node::Scalar {
                    text: literal,
                    plain: true,
                    anchor: 0,
                    tag: None,
                }
            }
        };
        builder.push(node, here)?;
    }
    builder.finish()
}
