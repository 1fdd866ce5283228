//! Tokens: operators, redirection operators and words, read one at a time
//! when the parser asks for the next.
//!
//! A word runs to an unquoted blank or operator; its quotes are removed in
//! `quotes`, and the `$` forms and backquotes inside it are read in
//! `expansions`. A word spelled `NAME=value` is marked as a possible
//! assignment; the parser decides by where it stands.

#![deny(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use super::{Parsed, Parser};
use crate::analyze::shell::tree::{RedirOp, Word};

#[derive(Debug)]
pub(super) enum Tok {
    Word(Word),
    Redir(RedirOp),
    Newline,
    Semi,
    Amp,
    AndIf,
    OrIf,
    Pipe,
    LParen,
    RParen,
    DSemi,
    Eof,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Kind {
    Word,
    Redir,
    Newline,
    Semi,
    Amp,
    AndIf,
    OrIf,
    Pipe,
    LParen,
    RParen,
    DSemi,
    Eof,
}

#[derive(Debug)]
pub(super) struct Token {
    pub(super) tok: Tok,
    pub(super) start: usize,
    pub(super) end: usize,
}

impl<'a> Parser<'a> {
    fn skip_blanks(&mut self) {
        loop {
            match self.peek_char() {
                Some(' ' | '\t' | '\r') => self.pos += 1,
                Some('\\') if self.byte_at(self.pos + 1) == Some(b'\n') => self.pos += 2,
                Some('#') => {
                    let rest = self.rest();
                    self.pos += rest.find('\n').unwrap_or(rest.len());
                }
                _ => break,
            }
        }
    }

    pub(super) fn lex(&mut self) -> Parsed<Token> {
        self.skip_blanks();
        let start = self.pos;
        let tok = match self.peek_char() {
            None => Tok::Eof,
            Some('\n') => {
                self.pos += 1;
                if let Some(end) = self.heredoc_end.take() {
                    self.pos = self.pos.max(end);
                }
                Tok::Newline
            }
            Some(';') => {
                if self.eat(";;&") || self.eat(";;") || self.eat(";&") {
                    Tok::DSemi
                } else {
                    self.pos += 1;
                    Tok::Semi
                }
            }
            Some('&') => {
                if self.eat("&&") {
                    Tok::AndIf
                } else if self.eat("&>>") {
                    Tok::Redir(RedirOp::AppendErr)
                } else if self.eat("&>") {
                    Tok::Redir(RedirOp::OutErr)
                } else {
                    self.pos += 1;
                    Tok::Amp
                }
            }
            Some('|') => {
                if self.eat("||") {
                    Tok::OrIf
                } else {
                    if !self.eat("|&") {
                        self.pos += 1;
                    }
                    Tok::Pipe
                }
            }
            Some('(') => {
                self.pos += 1;
                Tok::LParen
            }
            Some(')') => {
                self.pos += 1;
                Tok::RParen
            }
            Some('<' | '>') if self.byte_at(self.pos + 1) != Some(b'(') => {
                Tok::Redir(self.lex_redir_op())
            }
            Some(c) if c.is_ascii_digit() && self.fd_prefix_len().is_some() => {
                self.pos += self.fd_prefix_len().unwrap_or(0);
                Tok::Redir(self.lex_redir_op())
            }
            Some(_) => {
                let word = self.lex_word()?;
                if self.pos == start {
                    return Err(self.err("unexpected character", start));
                }
                Tok::Word(word)
            }
        };
        Ok(Token {
            tok,
            start,
            end: self.pos,
        })
    }

    /// Length of a file-descriptor number directly followed by `<` or `>`.
    fn fd_prefix_len(&self) -> Option<usize> {
        let digits = self.rest().bytes().take_while(u8::is_ascii_digit).count();
        match self.byte_at(self.pos + digits) {
            Some(b'<' | b'>') if digits > 0 => Some(digits),
            _ => None,
        }
    }

    fn lex_redir_op(&mut self) -> RedirOp {
        const OPS: [(&str, RedirOp); 10] = [
            ("<<<", RedirOp::HereString),
            ("<<-", RedirOp::HereDoc { strip_tabs: true }),
            ("<<", RedirOp::HereDoc { strip_tabs: false }),
            ("<&", RedirOp::DupIn),
            ("<>", RedirOp::ReadWrite),
            (">>", RedirOp::Append),
            (">&", RedirOp::DupOut),
            (">|", RedirOp::Clobber),
            ("<", RedirOp::In),
            (">", RedirOp::Out),
        ];
        for (text, op) in OPS {
            if self.eat(text) {
                return op;
            }
        }
        self.pos += 1;
        RedirOp::Out
    }

    fn lex_word(&mut self) -> Parsed<Word> {
        let start = self.pos;
        let mut w = Word {
            start,
            ..Word::default()
        };
        // No quote or escape seen yet: a following `=` can make an assignment.
        let mut plain = true;
        while let Some(c) = self.peek_char() {
            match c {
                ' ' | '\t' | '\r' | '\n' | ';' | '&' | '|' | ')' => break,
                '(' if w.assign && w.value.ends_with('=') => self.lex_array(&mut w)?,
                '(' => break,
                '<' | '>' if self.pos == start && self.byte_at(self.pos + 1) == Some(b'(') => {
                    let what = if c == '<' { "`<(`" } else { "`>(`" };
                    self.lex_cmd_sub(&mut w.value, &mut w.subs, 2, what)?;
                }
                '<' | '>' => break,
                '\\' => {
                    self.pos += 1;
                    match self.bump() {
                        Some('\n') => {}
                        Some(e) => {
                            w.value.push(e);
                            w.quoted = true;
                            plain = false;
                        }
                        None => w.value.push('\\'),
                    }
                }
                '\'' => {
                    self.lex_single(&mut w.value)?;
                    w.quoted = true;
                    plain = false;
                }
                '"' => {
                    self.lex_double(&mut w.value, &mut w.subs)?;
                    w.quoted = true;
                    plain = false;
                }
                '$' => {
                    if self.lex_dollar(&mut w.value, &mut w.subs, false)? {
                        w.quoted = true;
                        plain = false;
                    }
                }
                '`' => self.lex_backtick(&mut w.value, &mut w.subs, false)?,
                '=' => {
                    if plain && !w.assign && is_assign_target(&w.value) {
                        w.assign = true;
                    }
                    w.value.push('=');
                    self.pos += 1;
                }
                _ => {
                    w.value.push(c);
                    self.pos += c.len_utf8();
                }
            }
        }
        Ok(w)
    }

    /// `name=( a b c )`: the elements are words; only their substitutions
    /// matter.
    fn lex_array(&mut self, w: &mut Word) -> Parsed<()> {
        let open = self.pos;
        self.enter(open)?;
        self.pos += 1;
        loop {
            self.skip_blanks();
            match self.peek_char() {
                None => return Err(self.err("unclosed array `(`", open)),
                Some(')') => {
                    self.pos += 1;
                    break;
                }
                Some('\n') => self.pos += 1,
                Some(_) => {
                    let before = self.pos;
                    let element = self.lex_word()?;
                    if self.pos == before {
                        return Err(self.err("unexpected character in array", before));
                    }
                    w.subs.extend(element.subs);
                }
            }
        }
        self.leave();
        w.value.push_str(self.slice(open, self.pos));
        Ok(())
    }
}

/// `NAME`, `NAME+` or `NAME[index]`: what may stand before `=` in an
/// assignment.
fn is_assign_target(text: &str) -> bool {
    let text = text.strip_suffix('+').unwrap_or(text);
    let name = match text.find('[') {
        Some(k) if text.ends_with(']') => text.get(..k).unwrap_or(""),
        _ => text,
    };
    is_name(name)
}

fn is_name(name: &str) -> bool {
    let mut chars = name.chars();
    chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
}

/// `NAME=value` as a plain string (for `env` and `sudo` arguments).
pub(in crate::analyze::shell) fn is_assignment(text: &str) -> bool {
    text.split_once('=').is_some_and(|(name, _)| is_name(name))
}
