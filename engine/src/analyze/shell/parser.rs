//! The parser: a recursive-descent parser that drives its lexer on demand and
//! turns one command string, or a nested script, into a [`Script`].
//!
//! Lexing on demand is what lets `$(` inside a word be parsed by the same
//! parser, so that the matching `)` is found by grammar rather than by counting
//! characters. This file holds the parser's state, its view of the token
//! stream, and command lists and pipelines; the rest of the grammar is in the
//! submodules: tokens and words (`lexer`), quoting (`quotes`), `$` forms and
//! backquotes (`expansions`), single commands (`commands`), redirections and
//! here-documents (`redirs`). Every level of nesting is counted against
//! [`MAX_NESTING`].

#![deny(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod commands;
mod expansions;
mod lexer;
mod quotes;
mod redirs;

use super::tree::{Pipeline, Script, Word};
use super::{nesting_error, ShellError, MAX_NESTING};
use lexer::{Kind, Tok, Token};

pub(super) use lexer::is_assignment;

/// Reserved words, recognised only unquoted and where a command starts.
const RESERVED: [&str; 19] = [
    "if", "then", "else", "elif", "fi", "do", "done", "case", "esac", "while", "until", "for",
    "select", "function", "in", "{", "}", "!", "[[",
];

/// Reserved words that close a construct; anywhere else they are an error.
const CLOSERS: [&str; 8] = ["then", "else", "elif", "fi", "do", "done", "esac", "}"];

/// What ends a command list.
#[derive(Clone, Copy)]
struct Stop {
    keywords: &'static [&'static str],
    rparen: bool,
    dsemi: bool,
    eof: bool,
}

const TOP: Stop = Stop {
    keywords: &[],
    rparen: false,
    dsemi: false,
    eof: true,
};

const RPAREN: Stop = Stop {
    keywords: &[],
    rparen: true,
    dsemi: false,
    eof: false,
};

const fn until(keywords: &'static [&'static str]) -> Stop {
    Stop {
        keywords,
        rparen: false,
        dsemi: false,
        eof: false,
    }
}

/// What ended a command list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Term {
    Eof,
    RParen,
    DSemi,
    Keyword(&'static str),
}

/// A recursive-descent parser that lexes on demand: `$(` inside a word is
/// parsed by the same parser, so the matching `)` is found by grammar, not by
/// counting characters.
struct Parser<'a> {
    src: &'a str,
    pos: usize,
    depth: usize,
    /// `None` when `src` is the analysed string itself; otherwise the offset
    /// in the analysed string of the word this nested script came from, which
    /// every error inside it reports.
    anchor: Option<usize>,
    peeked: Option<Token>,
    /// Number of tokens taken; the list parser uses it to ensure progress.
    taken: usize,
    /// End of the last token taken (for pipeline texts).
    last_end: usize,
    /// Where the source continues after the pending here-document bodies.
    heredoc_end: Option<usize>,
}

pub(super) type Parsed<T> = Result<T, ShellError>;

pub(super) fn parse_source(src: &str, depth: usize, anchor: Option<usize>) -> Parsed<Script> {
    if depth > MAX_NESTING {
        return Err(nesting_error(anchor.unwrap_or(0)));
    }
    let mut parser = Parser {
        src,
        pos: 0,
        depth,
        anchor,
        peeked: None,
        taken: 0,
        last_end: 0,
        heredoc_end: None,
    };
    let (script, _) = parser.parse_list(TOP, 0, "input")?;
    Ok(script)
}

impl<'a> Parser<'a> {
    fn err(&self, message: impl Into<String>, at: usize) -> ShellError {
        ShellError {
            message: message.into(),
            offset: self.anchor.unwrap_or(at),
        }
    }

    fn enter(&mut self, at: usize) -> Parsed<()> {
        self.depth += 1;
        if self.depth > MAX_NESTING {
            return Err(nesting_error(self.anchor.unwrap_or(at)));
        }
        Ok(())
    }

    fn leave(&mut self) {
        self.depth = self.depth.saturating_sub(1);
    }

    fn rest(&self) -> &'a str {
        self.src.get(self.pos..).unwrap_or("")
    }

    fn peek_char(&self) -> Option<char> {
        self.rest().chars().next()
    }

    fn byte_at(&self, i: usize) -> Option<u8> {
        self.src.as_bytes().get(i).copied()
    }

    fn bump(&mut self) -> Option<char> {
        let c = self.peek_char()?;
        self.pos += c.len_utf8();
        Some(c)
    }

    fn eat(&mut self, s: &str) -> bool {
        let hit = self.rest().starts_with(s);
        if hit {
            self.pos += s.len();
        }
        hit
    }

    fn slice(&self, from: usize, to: usize) -> &'a str {
        self.src.get(from..to).unwrap_or("")
    }

    // --- tokens -----------------------------------------------------------

    fn peek_kind(&mut self) -> Parsed<Kind> {
        if self.peeked.is_none() {
            let token = self.lex()?;
            self.peeked = Some(token);
        }
        Ok(match self.peeked.as_ref().map(|t| &t.tok) {
            Some(Tok::Word(_)) => Kind::Word,
            Some(Tok::Redir(_)) => Kind::Redir,
            Some(Tok::Newline) => Kind::Newline,
            Some(Tok::Semi) => Kind::Semi,
            Some(Tok::Amp) => Kind::Amp,
            Some(Tok::AndIf) => Kind::AndIf,
            Some(Tok::OrIf) => Kind::OrIf,
            Some(Tok::Pipe) => Kind::Pipe,
            Some(Tok::LParen) => Kind::LParen,
            Some(Tok::RParen) => Kind::RParen,
            Some(Tok::DSemi) => Kind::DSemi,
            Some(Tok::Eof) | None => Kind::Eof,
        })
    }

    fn peek_start(&mut self) -> Parsed<usize> {
        self.peek_kind()?;
        Ok(self.peeked.as_ref().map_or(self.pos, |t| t.start))
    }

    /// The reserved word the next token spells, if it is one.
    fn peek_keyword(&mut self) -> Parsed<Option<&'static str>> {
        self.peek_kind()?;
        Ok(match &self.peeked {
            Some(Token {
                tok: Tok::Word(w), ..
            }) if !w.quoted => RESERVED.iter().copied().find(|k| *k == w.value),
            _ => None,
        })
    }

    fn take(&mut self) -> Parsed<Token> {
        let token = match self.peeked.take() {
            Some(t) => t,
            None => self.lex()?,
        };
        self.taken += 1;
        if !matches!(token.tok, Tok::Newline) {
            self.last_end = token.end;
        }
        Ok(token)
    }

    fn take_word(&mut self) -> Parsed<Option<Word>> {
        if self.peek_kind()? != Kind::Word {
            return Ok(None);
        }
        match self.take()?.tok {
            Tok::Word(w) => Ok(Some(w)),
            _ => Ok(None),
        }
    }

    fn skip_newlines(&mut self) -> Parsed<()> {
        while self.peek_kind()? == Kind::Newline {
            self.take()?;
        }
        Ok(())
    }

    /// Drops the peeked token (which must be a lone `(`) and rewinds to it, so
    /// that `((` can be re-read as arithmetic.
    fn rewind_to(&mut self, at: usize) {
        self.peeked = None;
        self.pos = at;
    }

    // --- grammar ------------------------------------------------------------

    fn parse_list(&mut self, stop: Stop, open: usize, what: &str) -> Parsed<(Script, Term)> {
        let mut script = Script::default();
        loop {
            let start = self.peek_start()?;
            match self.peek_kind()? {
                Kind::Newline | Kind::Semi | Kind::Amp => {
                    self.take()?;
                }
                Kind::Eof if stop.eof => return Ok((script, Term::Eof)),
                Kind::Eof => return Err(self.err(format!("unclosed {what}"), open)),
                Kind::RParen if stop.rparen => {
                    self.take()?;
                    return Ok((script, Term::RParen));
                }
                Kind::RParen => return Err(self.err("unexpected `)`", start)),
                Kind::DSemi if stop.dsemi => {
                    self.take()?;
                    return Ok((script, Term::DSemi));
                }
                Kind::DSemi => return Err(self.err("unexpected `;;`", start)),
                kind => {
                    if kind == Kind::Word {
                        if let Some(keyword) = self.peek_keyword()? {
                            if stop.keywords.contains(&keyword) {
                                self.take()?;
                                return Ok((script, Term::Keyword(keyword)));
                            }
                            if CLOSERS.contains(&keyword) {
                                return Err(self.err(format!("unexpected `{keyword}`"), start));
                            }
                        }
                    }
                    let before = self.taken;
                    self.parse_and_or(&mut script)?;
                    if self.taken == before {
                        return Err(self.err("unexpected token", start));
                    }
                }
            }
        }
    }

    fn parse_and_or(&mut self, script: &mut Script) -> Parsed<()> {
        loop {
            let pipeline = self.parse_pipeline()?;
            if !pipeline.stages.is_empty() {
                script.pipelines.push(pipeline);
            }
            match self.peek_kind()? {
                Kind::AndIf | Kind::OrIf => {
                    self.take()?;
                    self.skip_newlines()?;
                }
                _ => return Ok(()),
            }
        }
    }

    fn parse_pipeline(&mut self) -> Parsed<Pipeline> {
        while self.peek_keyword()? == Some("!") {
            self.take()?;
        }
        let start = self.peek_start()?;
        let mut stages = Vec::new();
        loop {
            if let Some(stage) = self.parse_command()? {
                stages.push(stage);
            }
            if self.peek_kind()? != Kind::Pipe {
                break;
            }
            self.take()?;
            self.skip_newlines()?;
        }
        let end = self.last_end.max(start);
        Ok(Pipeline {
            stages,
            text: self.slice(start, end).trim().to_string(),
        })
    }
}
