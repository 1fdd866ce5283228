//! Positions: the parser's line and character column turned into a
//! [`Span`] with a byte offset into the original text.
//!
//! Both the YAML parser and the JSON tokenizer report positions as line and
//! column; every diagnostic and every recorded value needs the byte offset
//! too, computed the same way on both paths (line breaks as YAML counts
//! them, a stripped byte order mark added back).

use crate::policy::diagnostic::Span;
use std::cell::Cell;

/// A parser position: 1-based line, 0-based column in characters
/// (yaml-rust2's convention).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(super) struct Pos {
    pub(super) line: usize,
    pub(super) col: usize,
}

/// Byte offsets of line starts, to turn parser positions into [`Span`]s.
///
/// Offsets are computed here from line and column rather than taken from
/// the parser, whose byte index drifts after non-ASCII block scalars. Line
/// breaks are `\n`, `\r\n` and a lone `\r`, as in YAML.
pub(super) struct LineIndex<'t> {
    text: &'t str,
    starts: Vec<usize>,
    /// Bytes of a stripped byte order mark before `text`.
    bom: usize,
    /// The last position converted: (line, column, byte offset in `text`).
    cursor: Cell<(usize, usize, usize)>,
}

impl<'t> LineIndex<'t> {
    pub(super) fn new(text: &'t str, bom: usize) -> Self {
        let mut starts = vec![0];
        let bytes = text.as_bytes();
        let mut i = 0;
        while let Some(&b) = bytes.get(i) {
            i += 1;
            if b == b'\n' || (b == b'\r' && bytes.get(i) != Some(&b'\n')) {
                starts.push(i);
            }
        }
        LineIndex {
            text,
            starts,
            bom,
            cursor: Cell::new((1, 0, 0)),
        }
    }

    /// The text of 1-based `line` from character `col` on.
    fn rest_of_line(&self, pos: Pos) -> &'t str {
        let start = self
            .starts
            .get(pos.line.saturating_sub(1))
            .copied()
            .unwrap_or(self.text.len());
        let end = self
            .starts
            .get(pos.line)
            .copied()
            .unwrap_or(self.text.len());
        let line = self.text.get(start..end).unwrap_or("");
        let skip = line
            .char_indices()
            .nth(pos.col)
            .map_or(line.len(), |(at, _)| at);
        line.get(skip..).unwrap_or("")
    }

    pub(super) fn span(&self, pos: Pos) -> Span {
        let line_start = self
            .starts
            .get(pos.line.saturating_sub(1))
            .copied()
            .unwrap_or(self.text.len());
        // Positions arrive mostly in order; walking on from the previous
        // one keeps a long single line (minified JSON) linear, not
        // quadratic.
        let (last_line, last_col, last_byte) = self.cursor.get();
        let (from_col, from_byte) = if last_line == pos.line && last_col <= pos.col {
            (last_col, last_byte)
        } else {
            (0, line_start)
        };
        let line_end = self
            .starts
            .get(pos.line)
            .copied()
            .unwrap_or(self.text.len());
        let rest = self.text.get(from_byte..line_end).unwrap_or("");
        let within = rest
            .char_indices()
            .nth(pos.col - from_col)
            .map_or(rest.len(), |(at, _)| at);
        let byte = from_byte + within;
        self.cursor.set((pos.line, pos.col, byte));
        let on_first_line = pos.line <= 1 && self.bom > 0;
        Span {
            offset: self.bom + byte,
            line: pos.line.max(1),
            column: pos.col + 1 + usize::from(on_first_line),
        }
    }

    /// Whether the line holds a tab (for a hint on syntax errors).
    pub(super) fn line_has_tab(&self, line: usize) -> bool {
        self.rest_of_line(Pos { line, col: 0 }).contains('\t')
    }

    /// The name of the alias or anchor written at `pos` (`*name`, `&name`).
    pub(super) fn name_at(&self, pos: Pos) -> String {
        self.rest_of_line(pos)
            .trim_start_matches(['*', '&'])
            .chars()
            .take_while(|c| !c.is_whitespace() && !matches!(c, ',' | '[' | ']' | '{' | '}'))
            .collect()
    }
}
