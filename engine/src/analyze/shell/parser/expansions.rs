//! What starts with `$`, and backquotes.
//!
//! `$(..)`, `<(..)`, `>(..)` and backquoted commands run, so they are parsed
//! as nested scripts; `${..}` and `$((..))` are kept as written, with only the
//! command substitutions inside them parsed. Each level counts towards
//! [`MAX_NESTING`](crate::analyze::shell::MAX_NESTING).

#![deny(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use super::{parse_source, Parsed, Parser, RPAREN};
use crate::analyze::shell::tree::Sub;

impl<'a> Parser<'a> {
    /// Lexes what starts with `$`. Returns whether it was a quoting form
    /// (`$'..'`, `$".."`).
    pub(super) fn lex_dollar(
        &mut self,
        out: &mut String,
        subs: &mut Vec<Sub>,
        in_dq: bool,
    ) -> Parsed<bool> {
        match self.byte_at(self.pos + 1) {
            Some(b'(') if self.byte_at(self.pos + 2) == Some(b'(') => {
                self.lex_arith(out, subs, 3)?;
                Ok(false)
            }
            Some(b'(') => {
                self.lex_cmd_sub(out, subs, 2, "`$(`")?;
                Ok(false)
            }
            Some(b'{') => {
                self.lex_param(out, subs, in_dq)?;
                Ok(false)
            }
            Some(b'\'') if !in_dq => {
                self.lex_ansi(out)?;
                Ok(true)
            }
            Some(b'"') if !in_dq => {
                self.pos += 1;
                self.lex_double(out, subs)?;
                Ok(true)
            }
            _ => {
                out.push('$');
                self.pos += 1;
                Ok(false)
            }
        }
    }

    /// `$(..)`, `<(..)` or `>(..)`: parsed as a nested command list.
    pub(super) fn lex_cmd_sub(
        &mut self,
        out: &mut String,
        subs: &mut Vec<Sub>,
        prefix: usize,
        what: &str,
    ) -> Parsed<()> {
        let open = self.pos;
        self.enter(open)?;
        self.pos += prefix;
        let (script, _) = self.parse_list(RPAREN, open, what)?;
        self.leave();
        out.push_str(self.slice(open, self.pos));
        subs.push(Sub {
            script,
            anchor: self.anchor,
        });
        Ok(())
    }

    /// A backquoted command: its text, with `\` escapes removed, is parsed as a
    /// script of its own.
    pub(super) fn lex_backtick(
        &mut self,
        out: &mut String,
        subs: &mut Vec<Sub>,
        in_dq: bool,
    ) -> Parsed<()> {
        let open = self.pos;
        self.enter(open)?;
        self.pos += 1;
        let mut inner = String::new();
        loop {
            match self.bump() {
                None => return Err(self.err("unclosed backquote", open)),
                Some('`') => break,
                Some('\\') => match self.bump() {
                    None => return Err(self.err("unclosed backquote", open)),
                    Some(e) if matches!(e, '`' | '\\' | '$') || (in_dq && e == '"') => {
                        inner.push(e);
                    }
                    Some(e) => {
                        inner.push('\\');
                        inner.push(e);
                    }
                },
                Some(c) => inner.push(c),
            }
        }
        let anchor = Some(self.anchor.unwrap_or(open));
        let script = parse_source(&inner, self.depth, anchor)?;
        self.leave();
        out.push_str(self.slice(open, self.pos));
        subs.push(Sub { script, anchor });
        Ok(())
    }

    /// `${...}`: kept as written; command substitutions inside are parsed.
    fn lex_param(&mut self, out: &mut String, subs: &mut Vec<Sub>, in_dq: bool) -> Parsed<()> {
        let open = self.pos;
        self.enter(open)?;
        self.pos += 2;
        let mut scratch = String::new();
        loop {
            match self.peek_char() {
                None => return Err(self.err("unclosed `${`", open)),
                Some('}') => {
                    self.pos += 1;
                    break;
                }
                Some('\\') => {
                    self.pos += 1;
                    self.bump();
                }
                Some('\'') if !in_dq => self.lex_single(&mut scratch)?,
                Some('"') => self.lex_double(&mut scratch, subs)?,
                Some('$') => {
                    self.lex_dollar(&mut scratch, subs, in_dq)?;
                }
                Some('`') => self.lex_backtick(&mut scratch, subs, in_dq)?,
                Some(c) => self.pos += c.len_utf8(),
            }
        }
        self.leave();
        out.push_str(self.slice(open, self.pos));
        Ok(())
    }

    /// `$((..))` or `((..))` (with `prefix` the length of the opener): kept as
    /// written; command substitutions inside are parsed. A `)` that does not
    /// balance is an error rather than a guess that this was a subshell.
    pub(super) fn lex_arith(
        &mut self,
        out: &mut String,
        subs: &mut Vec<Sub>,
        prefix: usize,
    ) -> Parsed<()> {
        let open = self.pos;
        self.enter(open)?;
        self.pos += prefix;
        let mut level = 0usize;
        let mut scratch = String::new();
        loop {
            match self.peek_char() {
                None => return Err(self.err("unclosed arithmetic `((`", open)),
                Some('(') => {
                    level += 1;
                    self.pos += 1;
                }
                Some(')') if level > 0 => {
                    level -= 1;
                    self.pos += 1;
                }
                Some(')') if self.byte_at(self.pos + 1) == Some(b')') => {
                    self.pos += 2;
                    break;
                }
                Some(')') => return Err(self.err("unbalanced `)` in arithmetic", self.pos)),
                Some('$') => {
                    self.lex_dollar(&mut scratch, subs, true)?;
                }
                Some('`') => self.lex_backtick(&mut scratch, subs, true)?,
                Some('\\') => {
                    self.pos += 1;
                    self.bump();
                }
                Some(c) => self.pos += c.len_utf8(),
            }
        }
        self.leave();
        out.push_str(self.slice(open, self.pos));
        Ok(())
    }
}
