//! Quoting: single quotes, double quotes and ANSI-C `$'..'` strings, removed
//! as the shell removes them, so that `ter"raf"orm` and `$'\x72m'` reach the
//! policy as `terraform` and `rm`.

#![deny(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use super::{Parsed, Parser};
use crate::analyze::shell::tree::Sub;

impl<'a> Parser<'a> {
    pub(super) fn lex_single(&mut self, out: &mut String) -> Parsed<()> {
        let open = self.pos;
        self.pos += 1;
        let rest = self.rest();
        match rest.find('\'') {
            Some(k) => {
                out.push_str(rest.get(..k).unwrap_or(""));
                self.pos += k + 1;
                Ok(())
            }
            None => Err(self.err("unterminated single quote", open)),
        }
    }

    pub(super) fn lex_double(&mut self, out: &mut String, subs: &mut Vec<Sub>) -> Parsed<()> {
        let open = self.pos;
        self.pos += 1;
        loop {
            match self.peek_char() {
                None => return Err(self.err("unterminated double quote", open)),
                Some('"') => {
                    self.pos += 1;
                    return Ok(());
                }
                Some('\\') => {
                    self.pos += 1;
                    match self.bump() {
                        None => return Err(self.err("unterminated double quote", open)),
                        Some('\n') => {}
                        Some(e @ ('$' | '`' | '"' | '\\')) => out.push(e),
                        Some(e) => {
                            out.push('\\');
                            out.push(e);
                        }
                    }
                }
                Some('$') => {
                    self.lex_dollar(out, subs, true)?;
                }
                Some('`') => self.lex_backtick(out, subs, true)?,
                Some(c) => {
                    out.push(c);
                    self.pos += c.len_utf8();
                }
            }
        }
    }

    /// `$'...'`: ANSI-C quoting, decoded (so `$'\x72m'` is `rm`).
    pub(super) fn lex_ansi(&mut self, out: &mut String) -> Parsed<()> {
        let open = self.pos;
        self.pos += 2;
        loop {
            match self.bump() {
                None => return Err(self.err("unterminated `$'` quote", open)),
                Some('\'') => return Ok(()),
                Some('\\') => {
                    let Some(e) = self.bump() else {
                        return Err(self.err("unterminated `$'` quote", open));
                    };
                    let decoded = match e {
                        'n' => Some('\n'),
                        't' => Some('\t'),
                        'r' => Some('\r'),
                        'a' => Some('\u{7}'),
                        'b' => Some('\u{8}'),
                        'e' | 'E' => Some('\u{1b}'),
                        'f' => Some('\u{c}'),
                        'v' => Some('\u{b}'),
                        'x' => self.take_number(16, 2),
                        'u' => self.take_number(16, 4),
                        'U' => self.take_number(16, 8),
                        '0'..='7' => {
                            self.pos -= 1;
                            self.take_number(8, 3)
                        }
                        'c' => self
                            .bump()
                            .and_then(|k| char::from_u32(u32::from(k) & 0x1f)),
                        other => {
                            if !matches!(other, '\\' | '\'' | '"' | '?') {
                                out.push('\\');
                            }
                            Some(other)
                        }
                    };
                    match decoded {
                        Some(d) => out.push(d),
                        None => out.push('\u{fffd}'),
                    }
                }
                Some(c) => out.push(c),
            }
        }
    }

    /// Reads up to `max` digits in `radix`; `None` when there are none or
    /// they do not form a character.
    fn take_number(&mut self, radix: u32, max: usize) -> Option<char> {
        let mut value: u32 = 0;
        let mut count = 0;
        while count < max {
            let Some(d) = self.peek_char().and_then(|c| c.to_digit(radix)) else {
                break;
            };
            value = value.saturating_mul(radix).saturating_add(d);
            self.pos += 1;
            count += 1;
        }
        if count == 0 {
            return None;
        }
        char::from_u32(value)
    }
}
