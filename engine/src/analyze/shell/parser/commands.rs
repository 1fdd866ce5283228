//! One command: a simple command (assignments, words and redirections, with
//! `[[ .. ]]` read as a single test) or a compound one: subshell, group, `if`,
//! `while`/`until`, `for`/`select`, `case`, arithmetic `((..))` and function
//! definitions.
//!
//! A compound command becomes its header words plus one script holding every
//! branch and body, since any of them may run.

#![deny(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use super::lexer::{Kind, Tok};
use super::{until, Parsed, Parser, Stop, Term, CLOSERS, RPAREN};
use crate::analyze::shell::tree::{Compound, Pipeline, Script, Simple, Stage, Word};

impl<'a> Parser<'a> {
    pub(super) fn parse_command(&mut self) -> Parsed<Option<Stage>> {
        let start = self.peek_start()?;
        match self.peek_kind()? {
            Kind::LParen if self.byte_at(start + 1) == Some(b'(') => {
                self.rewind_to(start);
                let mut w = Word {
                    start,
                    ..Word::default()
                };
                self.lex_arith(&mut w.value, &mut w.subs, 2)?;
                self.taken += 1;
                self.last_end = self.pos;
                let compound = Compound {
                    header: vec![w],
                    ..Compound::default()
                };
                return self.finish_compound(compound).map(Some);
            }
            Kind::LParen => {
                self.take()?;
                self.enter(start)?;
                let (body, _) = self.parse_list(RPAREN, start, "`(`")?;
                self.leave();
                let compound = Compound {
                    body,
                    ..Compound::default()
                };
                return self.finish_compound(compound).map(Some);
            }
            Kind::Word => {}
            _ => return self.parse_simple(),
        }
        match self.peek_keyword()? {
            Some("{") => {
                self.take()?;
                self.enter(start)?;
                let (body, _) = self.parse_list(until(&["}"]), start, "`{`")?;
                self.leave();
                let compound = Compound {
                    body,
                    ..Compound::default()
                };
                self.finish_compound(compound).map(Some)
            }
            Some("if") => self.parse_if(start).map(Some),
            Some(keyword @ ("while" | "until")) => {
                self.take()?;
                self.enter(start)?;
                let what = if keyword == "while" {
                    "`while`"
                } else {
                    "`until`"
                };
                let (mut body, _) = self.parse_list(until(&["do"]), start, what)?;
                let (part, _) = self.parse_list(until(&["done"]), start, what)?;
                body.pipelines.extend(part.pipelines);
                self.leave();
                let compound = Compound {
                    body,
                    ..Compound::default()
                };
                self.finish_compound(compound).map(Some)
            }
            Some("for" | "select") => self.parse_for(start).map(Some),
            Some("case") => self.parse_case(start).map(Some),
            Some("function") => {
                self.take()?;
                let at = self.peek_start()?;
                if self.take_word()?.is_none() {
                    return Err(self.err("expected a function name", at));
                }
                if self.peek_kind()? == Kind::LParen {
                    self.take()?;
                    if self.peek_kind()? != Kind::RParen {
                        return Err(self.err("expected `)` in function definition", at));
                    }
                    self.take()?;
                }
                self.function_body(start).map(Some)
            }
            _ => self.parse_simple(),
        }
    }

    /// Trailing redirections of a compound command; a plain word after it is
    /// a syntax error.
    fn finish_compound(&mut self, mut compound: Compound) -> Parsed<Stage> {
        while self.peek_kind()? == Kind::Redir {
            self.parse_redir(&mut compound.redirs)?;
        }
        if self.peek_kind()? == Kind::Word {
            let closer = self.peek_keyword()?.is_some_and(|k| CLOSERS.contains(&k));
            if !closer {
                let at = self.peek_start()?;
                return Err(self.err("unexpected word after a compound command", at));
            }
        }
        Ok(Stage::Compound(compound))
    }

    fn parse_if(&mut self, start: usize) -> Parsed<Stage> {
        self.take()?;
        self.enter(start)?;
        let mut body = Script::default();
        loop {
            let (cond, _) = self.parse_list(until(&["then"]), start, "`if`")?;
            body.pipelines.extend(cond.pipelines);
            let (part, term) = self.parse_list(until(&["elif", "else", "fi"]), start, "`if`")?;
            body.pipelines.extend(part.pipelines);
            match term {
                Term::Keyword("elif") => {}
                Term::Keyword("else") => {
                    let (part, _) = self.parse_list(until(&["fi"]), start, "`if`")?;
                    body.pipelines.extend(part.pipelines);
                    break;
                }
                _ => break,
            }
        }
        self.leave();
        self.finish_compound(Compound {
            body,
            ..Compound::default()
        })
    }

    fn parse_for(&mut self, start: usize) -> Parsed<Stage> {
        self.take()?;
        self.enter(start)?;
        let mut header = Vec::new();
        let at = self.peek_start()?;
        if self.peek_kind()? == Kind::LParen && self.byte_at(at + 1) == Some(b'(') {
            self.rewind_to(at);
            let mut w = Word {
                start: at,
                ..Word::default()
            };
            self.lex_arith(&mut w.value, &mut w.subs, 2)?;
            header.push(w);
        } else {
            if self.take_word()?.is_none() {
                return Err(self.err("expected a variable name after `for`", at));
            }
            self.skip_newlines()?;
            if self.peek_keyword()? == Some("in") {
                self.take()?;
                while let Some(w) = self.take_word()? {
                    header.push(w);
                }
            }
        }
        while matches!(self.peek_kind()?, Kind::Semi | Kind::Newline) {
            self.take()?;
        }
        if self.peek_keyword()? != Some("do") {
            return Err(self.err("expected `do` in `for` loop", start));
        }
        self.take()?;
        let (body, _) = self.parse_list(until(&["done"]), start, "`for`")?;
        self.leave();
        self.finish_compound(Compound {
            header,
            body,
            redirs: Vec::new(),
        })
    }

    fn parse_case(&mut self, start: usize) -> Parsed<Stage> {
        const ITEM_END: Stop = Stop {
            keywords: &["esac"],
            rparen: false,
            dsemi: true,
            eof: false,
        };
        self.take()?;
        self.enter(start)?;
        let mut header = Vec::new();
        match self.take_word()? {
            Some(w) => header.push(w),
            None => return Err(self.err("expected a word after `case`", start)),
        }
        self.skip_newlines()?;
        if self.peek_keyword()? != Some("in") {
            return Err(self.err("expected `in` in `case`", start));
        }
        self.take()?;
        let mut body = Script::default();
        loop {
            self.skip_newlines()?;
            if self.peek_keyword()? == Some("esac") {
                self.take()?;
                break;
            }
            let at = self.peek_start()?;
            match self.peek_kind()? {
                Kind::Eof => return Err(self.err("unclosed `case`", start)),
                Kind::LParen => {
                    self.take()?;
                }
                _ => {}
            }
            loop {
                match self.take_word()? {
                    Some(w) => header.push(w),
                    None => return Err(self.err("expected a pattern in `case`", at)),
                }
                if self.peek_kind()? != Kind::Pipe {
                    break;
                }
                self.take()?;
            }
            if self.peek_kind()? != Kind::RParen {
                return Err(self.err("expected `)` after a `case` pattern", at));
            }
            self.take()?;
            let (part, term) = self.parse_list(ITEM_END, start, "`case`")?;
            body.pipelines.extend(part.pipelines);
            if term == Term::Keyword("esac") {
                break;
            }
        }
        self.leave();
        self.finish_compound(Compound {
            header,
            body,
            redirs: Vec::new(),
        })
    }

    /// The body of `name() ...` or `function name ...`. A definition runs
    /// nothing, but the body is analysed as if it ran: it is defined to be
    /// called.
    fn function_body(&mut self, start: usize) -> Parsed<Stage> {
        self.skip_newlines()?;
        self.enter(start)?;
        let body_start = self.peek_start()?;
        let stage = self.parse_command()?;
        self.leave();
        let text = self
            .slice(body_start, self.last_end.max(body_start))
            .trim()
            .to_string();
        let body = Script {
            pipelines: stage
                .into_iter()
                .map(|s| Pipeline {
                    stages: vec![s],
                    text: text.clone(),
                })
                .collect(),
        };
        Ok(Stage::Compound(Compound {
            body,
            ..Compound::default()
        }))
    }

    fn parse_simple(&mut self) -> Parsed<Option<Stage>> {
        let mut s = Simple::default();
        // Inside `[[ .. ]]`, operators are operands of the test.
        let mut test = false;
        loop {
            match self.peek_kind()? {
                Kind::Word => {
                    let Some(w) = self.take_word()? else { break };
                    if test {
                        test = w.quoted || w.value != "]]";
                        s.words.push(w);
                    } else if s.words.is_empty() && w.assign {
                        s.assigns.push(w);
                    } else {
                        test = s.words.is_empty() && !w.quoted && w.value == "[[";
                        s.words.push(w);
                    }
                }
                Kind::Redir if !test => self.parse_redir(&mut s.redirs)?,
                Kind::Redir
                | Kind::AndIf
                | Kind::OrIf
                | Kind::LParen
                | Kind::RParen
                | Kind::Pipe
                    if test =>
                {
                    let token = self.take()?;
                    let value = match token.tok {
                        Tok::Redir(op) => op.text(),
                        Tok::AndIf => "&&",
                        Tok::OrIf => "||",
                        Tok::LParen => "(",
                        Tok::RParen => ")",
                        _ => "|",
                    };
                    s.words.push(Word {
                        value: value.to_string(),
                        start: token.start,
                        ..Word::default()
                    });
                }
                Kind::LParen
                    if s.words.len() == 1 && s.assigns.is_empty() && s.redirs.is_empty() =>
                {
                    let start = s.words.first().map_or(self.pos, |w| w.start);
                    self.take()?;
                    if self.peek_kind()? != Kind::RParen {
                        return Err(self.err("unexpected `(`", start));
                    }
                    self.take()?;
                    return self.function_body(start).map(Some);
                }
                Kind::LParen => {
                    let at = self.peek_start()?;
                    return Err(self.err("unexpected `(`", at));
                }
                _ => break,
            }
        }
        if s.words.is_empty() && s.assigns.is_empty() && s.redirs.is_empty() {
            return Ok(None);
        }
        Ok(Some(Stage::Simple(s)))
    }
}
