//! Redirections and here-documents.
//!
//! A here-document body is read as soon as its operator is seen, and the
//! lexer skips it when it reaches the end of that line. With an unquoted
//! delimiter the shell expands the body, so the substitutions in it are parsed
//! like any others.

#![deny(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use super::lexer::Tok;
use super::{Parsed, Parser};
use crate::analyze::shell::tree::{Redir, RedirOp, Sub};

impl<'a> Parser<'a> {
    pub(super) fn parse_redir(&mut self, redirs: &mut Vec<Redir>) -> Parsed<()> {
        let token = self.take()?;
        let Tok::Redir(op) = token.tok else {
            return Ok(());
        };
        let Some(mut target) = self.take_word()? else {
            return Err(self.err("missing target after redirection", token.start));
        };
        let mut body = None;
        if let RedirOp::HereDoc { strip_tabs } = op {
            let (text, subs) = self.read_heredoc(&target.value, strip_tabs, !target.quoted)?;
            target.subs.extend(subs);
            body = Some(text);
        }
        redirs.push(Redir { op, target, body });
        Ok(())
    }

    /// Reads a here-document body right away: it starts after the next newline
    /// (or after the previous body on the same line) and ends at the
    /// delimiter line; the lexer skips it when it reaches that newline. With
    /// an unquoted delimiter, substitutions in the body are parsed.
    fn read_heredoc(
        &mut self,
        delim: &str,
        strip_tabs: bool,
        expand: bool,
    ) -> Parsed<(String, Vec<Sub>)> {
        let len = self.src.len();
        let body_start = match self.heredoc_end {
            Some(end) => end,
            None => match self.rest().find('\n') {
                Some(k) => self.pos + k + 1,
                None => {
                    self.heredoc_end = Some(len);
                    return Ok((String::new(), Vec::new()));
                }
            },
        };
        let mut subs = Vec::new();
        let mut line_start = body_start;
        let (body_end, after) = loop {
            if line_start >= len {
                break (len, len);
            }
            let line_end = self
                .src
                .get(line_start..)
                .and_then(|r| r.find('\n'))
                .map_or(len, |k| line_start + k);
            let line = self.slice(line_start, line_end);
            let line = line.strip_suffix('\r').unwrap_or(line);
            let candidate = if strip_tabs {
                line.trim_start_matches('\t')
            } else {
                line
            };
            if candidate == delim {
                break (line_start, (line_end + 1).min(len));
            }
            let mut next = line_end + 1;
            if expand && (line.contains('$') || line.contains('`')) {
                let resume = self.scan_heredoc_line(line_start, line_end, &mut subs)?;
                if resume > line_end {
                    next = self
                        .src
                        .get(resume..)
                        .and_then(|r| r.find('\n'))
                        .map_or(len, |k| resume + k)
                        + 1;
                }
            }
            line_start = next;
        };
        self.heredoc_end = Some(after);
        Ok((self.slice(body_start, body_end).to_string(), subs))
    }

    /// Parses the substitutions on one here-document line; returns where the
    /// scan stopped (past the line when a substitution spans lines).
    fn scan_heredoc_line(&mut self, from: usize, to: usize, subs: &mut Vec<Sub>) -> Parsed<usize> {
        let (saved_pos, saved_end) = (self.pos, self.last_end);
        self.heredoc_end = None;
        self.pos = from;
        let mut scratch = String::new();
        while self.pos < to {
            match self.peek_char() {
                Some('\\') => {
                    self.pos += 1;
                    self.bump();
                }
                Some('$') => {
                    self.lex_dollar(&mut scratch, subs, true)?;
                }
                Some('`') => self.lex_backtick(&mut scratch, subs, true)?,
                Some(c) => self.pos += c.len_utf8(),
                None => break,
            }
        }
        let resume = self.pos;
        self.pos = saved_pos;
        self.last_end = saved_end;
        Ok(resume)
    }
}
