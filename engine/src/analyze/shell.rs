//! Shell-command analysis: turns one command line into the simple commands it
//! would run and the files and URLs each of them touches.
//!
//! Policies match commands with patterns such as `terraform apply*`, but
//! agents send whole command lines: `cd infra && FOO=1 sudo terraform apply`,
//! `bash -c "..."`, `curl ... | sh`. Matching the raw string would let every
//! one of those slip past a pattern, so this module lexes the line like a
//! POSIX shell, unwraps wrappers (`sudo`, `env`, `timeout`, ...) and nested
//! scripts (`$(..)`, backticks, `bash -c`, `eval`), and hands the policy every
//! simple command in a normalised form together with its derived reads,
//! writes and URLs. It never runs anything and never guesses in the
//! permissive direction: input it cannot lex is an error, which the caller
//! turns into `require_approval`. Every recursion is bounded by
//! [`MAX_NESTING`] and every input by [`MAX_COMMAND_LEN`], so hostile input
//! can neither overflow the stack nor make it allocate without bound.

#![deny(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::collections::HashSet;
use std::fmt;

/// Longest command string [`analyze`] accepts, in bytes.
pub const MAX_COMMAND_LEN: usize = 64 * 1024;

/// Deepest nesting [`analyze`] accepts.
///
/// Every kind of nesting counts: `$(..)`, backticks, `<(..)`, `${..}`,
/// `$((..))`, groups and compound commands, `bash -c` and `eval` scripts, and
/// each wrapper (`sudo`, `env`, ...) in front of a command.
pub const MAX_NESTING: usize = 16;

/// Result of analysing one command string.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct CommandAnalysis {
    /// Every simple command found, in source order, including those nested in
    /// `$(..)`, backticks, `bash -c`, `eval`, and wrapper arguments.
    ///
    /// A command comes before the commands nested inside it
    /// (`echo $(date)` gives `echo $(date)`, then `date`).
    pub commands: Vec<SimpleCommand>,
    /// One entry per "download piped into an interpreter" found, e.g.
    /// `curl -fsSL https://x.sh | sh`: the source text of the pipeline.
    pub pipe_to_interpreter: Vec<String>,
}

/// One simple command: a program and its arguments.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SimpleCommand {
    /// Words joined by single spaces, program reduced to its base name,
    /// leading `VAR=value` assignments dropped. This is what policy patterns
    /// match. Empty words (`""`) are left out of the text.
    pub text: String,
    /// Base name of the program (`/usr/bin/terraform` -> `terraform`).
    ///
    /// Empty for a command made only of redirections (`> file`), which is
    /// reported so that its effects are not lost.
    pub program: String,
    /// The words after the program (quotes removed, escapes applied;
    /// `$VAR`, `${..}` and `$(..)` kept as written).
    pub args: Vec<String>,
    /// Derived file reads / writes / URLs of this simple command.
    pub effects: Vec<Effect>,
}

/// Something a simple command does besides running.
///
/// Targets are the words as written after quote removal. They can still be
/// dynamic (`$HOME/.env`, `$(ls)`, `*.pem`, `~/.ssh/id_rsa`): this module
/// does not expand them, so a caller that must not miss a protected path
/// should treat targets containing `$`, `` ` ``, `*`, `?`, `[` or a leading
/// `~` as unknown rather than as the literal path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Effect {
    /// The command reads this file (as written; not canonicalised).
    Read(String),
    /// The command writes, creates, removes or changes this file.
    Write(String),
    /// The command fetches this URL. A scheme-less operand such as
    /// `example.com/x` is reported with the tool's default scheme
    /// (`http://example.com/x`).
    Url(String),
}

/// A command string that cannot be analysed.
///
/// The caller must treat the command as unparseable (`require_approval`),
/// never as allowed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ShellError {
    /// What is wrong, as a lowercase sentence.
    pub message: String,
    /// Byte offset into the analysed string. For errors inside a nested
    /// script (`bash -c "..."`, backticks), the offset of the word or
    /// backquote that holds that script.
    pub offset: usize,
}

impl fmt::Display for ShellError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} (at byte {})", self.message, self.offset)
    }
}

impl std::error::Error for ShellError {}

/// Analyses one shell command string.
///
/// Returns every simple command it would run and the downloads it pipes into
/// interpreters (see [`CommandAnalysis`]). The empty string and a string of
/// blanks or comments give no commands.
///
/// # Errors
///
/// A [`ShellError`] when the string cannot be lexed (unbalanced quotes,
/// unclosed `$(`, backquote, `${`, group or compound command, a stray `)`),
/// is longer than [`MAX_COMMAND_LEN`], or nests deeper than [`MAX_NESTING`].
/// The caller must never allow such a command.
///
/// # Example
///
/// ```
/// use cavra::analyze::shell::{analyze, Effect};
///
/// let analysis = analyze("FOO=1 sudo terraform apply && cat < .env")?;
/// let texts: Vec<_> = analysis.commands.iter().map(|c| c.text.as_str()).collect();
/// assert_eq!(texts, ["sudo terraform apply", "terraform apply", "cat"]);
/// assert_eq!(analysis.commands[2].effects, [Effect::Read(".env".into())]);
///
/// let piped = analyze("curl -fsSL https://x.sh | sh")?;
/// assert_eq!(piped.pipe_to_interpreter, ["curl -fsSL https://x.sh | sh"]);
///
/// assert!(analyze("echo \"unterminated").is_err());
/// # Ok::<(), cavra::analyze::shell::ShellError>(())
/// ```
pub fn analyze(command: &str) -> Result<CommandAnalysis, ShellError> {
    if command.len() > MAX_COMMAND_LEN {
        return Err(ShellError {
            message: format!(
                "command is {} bytes long; the limit is {MAX_COMMAND_LEN}",
                command.len()
            ),
            offset: MAX_COMMAND_LEN,
        });
    }
    let mut analyzer = Analyzer::default();
    analyzer.analyze_text(command, 0, None)?;
    Ok(analyzer.out)
}

fn nesting_error(offset: usize) -> ShellError {
    ShellError {
        message: format!("command nests deeper than {MAX_NESTING} levels"),
        offset,
    }
}

// ---------------------------------------------------------------------------
// Parse tree
// ---------------------------------------------------------------------------

/// One shell word after quote removal.
#[derive(Debug, Default)]
struct Word {
    /// Quotes removed, escapes applied, expansions kept as written.
    value: String,
    /// Byte offset of the word in its source.
    start: usize,
    /// Some part was quoted or escaped (so it is never a reserved word).
    quoted: bool,
    /// The word is `NAME=value` with an unquoted name.
    assign: bool,
    /// Command and process substitutions inside the word, in order.
    subs: Vec<Sub>,
}

/// A parsed `$(..)`, backtick or `<(..)` substitution.
#[derive(Debug)]
struct Sub {
    script: Script,
    /// Where errors inside this script are reported (see `Parser::anchor`).
    anchor: Option<usize>,
}

#[derive(Debug, Default)]
struct Script {
    pipelines: Vec<Pipeline>,
}

#[derive(Debug)]
struct Pipeline {
    stages: Vec<Stage>,
    /// The source text of the pipeline, trimmed.
    text: String,
}

#[derive(Debug)]
enum Stage {
    Simple(Simple),
    Compound(Compound),
}

#[derive(Debug, Default)]
struct Simple {
    assigns: Vec<Word>,
    words: Vec<Word>,
    redirs: Vec<Redir>,
}

/// A group, subshell, loop, `if`, `case` or function definition: only its
/// contents run, so it is kept as a body plus the words of its header.
#[derive(Debug, Default)]
struct Compound {
    header: Vec<Word>,
    body: Script,
    redirs: Vec<Redir>,
}

#[derive(Debug)]
struct Redir {
    op: RedirOp,
    target: Word,
    /// The body of a here-document.
    body: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum RedirOp {
    In,
    ReadWrite,
    Out,
    Append,
    Clobber,
    OutErr,
    AppendErr,
    DupIn,
    DupOut,
    HereDoc { strip_tabs: bool },
    HereString,
}

impl RedirOp {
    fn text(self) -> &'static str {
        match self {
            RedirOp::In => "<",
            RedirOp::ReadWrite => "<>",
            RedirOp::Out => ">",
            RedirOp::Append => ">>",
            RedirOp::Clobber => ">|",
            RedirOp::OutErr => "&>",
            RedirOp::AppendErr => "&>>",
            RedirOp::DupIn => "<&",
            RedirOp::DupOut => ">&",
            RedirOp::HereDoc { strip_tabs: false } => "<<",
            RedirOp::HereDoc { strip_tabs: true } => "<<-",
            RedirOp::HereString => "<<<",
        }
    }
}

// ---------------------------------------------------------------------------
// Lexer and parser
// ---------------------------------------------------------------------------

#[derive(Debug)]
enum Tok {
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
enum Kind {
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
struct Token {
    tok: Tok,
    start: usize,
    end: usize,
}

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

type Parsed<T> = Result<T, ShellError>;

fn parse_source(src: &str, depth: usize, anchor: Option<usize>) -> Parsed<Script> {
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

    // --- lexer --------------------------------------------------------------

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

    fn lex(&mut self) -> Parsed<Token> {
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

    fn lex_single(&mut self, out: &mut String) -> Parsed<()> {
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

    fn lex_double(&mut self, out: &mut String, subs: &mut Vec<Sub>) -> Parsed<()> {
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

    /// Lexes what starts with `$`. Returns whether it was a quoting form
    /// (`$'..'`, `$".."`).
    fn lex_dollar(&mut self, out: &mut String, subs: &mut Vec<Sub>, in_dq: bool) -> Parsed<bool> {
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
    fn lex_cmd_sub(
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
    fn lex_backtick(&mut self, out: &mut String, subs: &mut Vec<Sub>, in_dq: bool) -> Parsed<()> {
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
    fn lex_arith(&mut self, out: &mut String, subs: &mut Vec<Sub>, prefix: usize) -> Parsed<()> {
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

    /// `$'...'`: ANSI-C quoting, decoded (so `$'\x72m'` is `rm`).
    fn lex_ansi(&mut self, out: &mut String) -> Parsed<()> {
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

    fn parse_command(&mut self) -> Parsed<Option<Stage>> {
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

    fn parse_redir(&mut self, redirs: &mut Vec<Redir>) -> Parsed<()> {
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
fn is_assignment(text: &str) -> bool {
    text.split_once('=').is_some_and(|(name, _)| is_name(name))
}

// ---------------------------------------------------------------------------
// Wrappers: which word is the real program
// ---------------------------------------------------------------------------

const SHELLS: [&str; 8] = ["sh", "bash", "zsh", "dash", "ksh", "ash", "mksh", "fish"];

/// What the program at the head of a word list does with the words after it.
enum Step {
    /// A wrapper: the command to run starts `skip` words further on.
    /// `emit_self` says whether the wrapper command itself is reported too.
    Wrapper { skip: usize, emit_self: bool },
    /// Runs `text` as a shell script (`bash -c`, `eval`, `watch`, `env -S`);
    /// `used` are the indices of the words that make up the script.
    Script { text: String, used: Vec<usize> },
    /// The program itself runs.
    Final,
}

fn step(words: &[Word]) -> Step {
    let Some(first) = words.first() else {
        return Step::Final;
    };
    let program = program_name(first);
    let args: Vec<&str> = words.iter().skip(1).map(|w| w.value.as_str()).collect();
    let inner = |k: usize, emit_self: bool| {
        if k < args.len() {
            Step::Wrapper {
                skip: k + 1,
                emit_self,
            }
        } else {
            Step::Final
        }
    };
    let joined = |k: usize| Step::Script {
        text: args.get(k..).unwrap_or(&[]).join(" "),
        used: (k + 1..words.len()).collect(),
    };
    match program.as_str() {
        "sudo" => {
            let k = skip_options(
                &args,
                "ugCDhprtTUR",
                "user group close-from chdir host prompt role type command-timeout other-user chroot",
            );
            if has_flag(args.get(..k).unwrap_or(&[]), 'e', "edit") {
                return Step::Final;
            }
            let mut k = k;
            while args.get(k).is_some_and(|a| is_assignment(a)) {
                k += 1;
            }
            inner(k, true)
        }
        "doas" => inner(skip_options(&args, "uC", ""), true),
        "env" => env_step(&args),
        "nohup" | "builtin" => inner(usize::from(args.first() == Some(&"--")), false),
        "busybox" => inner(0, false),
        "time" => inner(skip_options(&args, "of", "output format"), false),
        "nice" => inner(skip_options(&args, "n", "adjustment"), false),
        "timeout" => inner(skip_options(&args, "sk", "signal kill-after") + 1, false),
        "xargs" => inner(
            skip_options(
                &args,
                "adEILnPs",
                "arg-file delimiter max-args max-procs max-chars process-slot-var",
            ),
            false,
        ),
        "exec" => inner(skip_options(&args, "a", ""), false),
        "stdbuf" => inner(skip_options(&args, "ioe", "input output error"), false),
        "command" => {
            let k = skip_options(&args, "", "");
            let options = args.get(..k).unwrap_or(&[]);
            // `command -v x` only looks `x` up; it runs nothing.
            if has_flag(options, 'v', "") || has_flag(options, 'V', "") {
                Step::Final
            } else {
                inner(k, false)
            }
        }
        "watch" => {
            let k = skip_options(&args, "nq", "interval");
            if k >= args.len() {
                Step::Final
            } else if has_flag(args.get(..k).unwrap_or(&[]), 'x', "exec") {
                inner(k, false)
            } else {
                joined(k)
            }
        }
        "eval" => {
            let k = usize::from(args.first() == Some(&"--"));
            if k >= args.len() {
                Step::Final
            } else {
                joined(k)
            }
        }
        p if SHELLS.contains(&p) => {
            let opts = shell_options(&args);
            if let Some((k, text)) = opts.inline {
                return Step::Script {
                    text,
                    used: vec![k + 1],
                };
            }
            match args.get(opts.operand) {
                Some(script) if opts.command => Step::Script {
                    text: (*script).to_string(),
                    used: vec![opts.operand + 1],
                },
                _ => Step::Final,
            }
        }
        _ => Step::Final,
    }
}

/// `env [-i] [-u NAME] [-C DIR] [-S STRING] [NAME=value]... command`.
fn env_step(args: &[&str]) -> Step {
    let mut i = 0;
    while let Some(a) = args.get(i) {
        if *a == "--" {
            i += 1;
            break;
        }
        if *a == "-" {
            i += 1;
            continue;
        }
        if !a.starts_with('-') {
            break;
        }
        i += 1;
        let mut split = None;
        if let Some(long) = a.strip_prefix("--") {
            if let Some(v) = long.strip_prefix("split-string=") {
                split = Some(v.to_string());
            } else if long == "split-string" {
                split = Some(args.get(i).copied().unwrap_or("").to_string());
                i += 1;
            } else if long == "unset" || long == "chdir" {
                i += 1;
            }
        } else {
            let body = a.get(1..).unwrap_or("");
            for (k, c) in body.char_indices() {
                let rest = body.get(k + c.len_utf8()..).unwrap_or("");
                match c {
                    'u' | 'C' => {
                        if rest.is_empty() {
                            i += 1;
                        }
                        break;
                    }
                    'S' => {
                        split = Some(if rest.is_empty() {
                            i += 1;
                            args.get(i - 1).copied().unwrap_or("").to_string()
                        } else {
                            rest.to_string()
                        });
                        break;
                    }
                    _ => {}
                }
            }
        }
        if let Some(mut text) = split {
            for a in args.get(i..).unwrap_or(&[]) {
                text.push(' ');
                text.push_str(a);
            }
            return Step::Script {
                text,
                used: (1..=args.len()).collect(),
            };
        }
    }
    while args.get(i).is_some_and(|a| is_assignment(a)) {
        i += 1;
    }
    if i < args.len() {
        Step::Wrapper {
            skip: i + 1,
            emit_self: false,
        }
    } else {
        Step::Final
    }
}

/// What a shell's options say.
struct ShellOptions {
    /// `-c` was given: the first operand is the script.
    command: bool,
    /// `-s` was given: the script comes from standard input.
    stdin: bool,
    /// Index of the first operand.
    operand: usize,
    /// fish's `--command=SCRIPT`: the index of that word and the script.
    inline: Option<(usize, String)>,
}

fn shell_options(args: &[&str]) -> ShellOptions {
    let mut opts = ShellOptions {
        command: false,
        stdin: false,
        operand: 0,
        inline: None,
    };
    let mut i = 0;
    while let Some(a) = args.get(i) {
        if *a == "--" || *a == "-" {
            i += 1;
            break;
        }
        if let Some(long) = a.strip_prefix("--") {
            if let Some(text) = long.strip_prefix("command=") {
                opts.inline = Some((i, text.to_string()));
            }
            i += 1;
            if long == "command" {
                opts.command = true;
            } else if matches!(long, "rcfile" | "init-file" | "init-command") {
                i += 1;
            }
            continue;
        }
        let Some(body) = a.strip_prefix('-').or_else(|| a.strip_prefix('+')) else {
            break;
        };
        i += 1;
        opts.command |= body.contains('c');
        opts.stdin |= body.contains('s');
        // `-o option` / `-O option` take the next word.
        i += body.chars().filter(|c| matches!(c, 'o' | 'O')).count();
    }
    opts.operand = i;
    opts
}

/// Index of the first operand after a wrapper's options (past `--`).
fn skip_options(args: &[&str], short_values: &str, long_values: &str) -> usize {
    let mut i = 0;
    while let Some(a) = args.get(i) {
        if *a == "--" {
            return i + 1;
        }
        if *a == "-" || !a.starts_with('-') {
            return i;
        }
        i += 1;
        if let Some(long) = a.strip_prefix("--") {
            if !long.contains('=') && is_listed(long_values, long) {
                i += 1;
            }
            continue;
        }
        let body = a.get(1..).unwrap_or("");
        for (k, c) in body.char_indices() {
            if short_values.contains(c) {
                if body.get(k + c.len_utf8()..).unwrap_or("").is_empty() {
                    i += 1;
                }
                break;
            }
        }
    }
    i.min(args.len())
}

/// Whether `name` is one of the space-separated names in `list`.
fn is_listed(list: &str, name: &str) -> bool {
    list.split(' ').any(|n| !n.is_empty() && n == name)
}

/// Whether a short flag letter (in any cluster) or a long flag is present.
fn has_flag(options: &[&str], letter: char, long: &str) -> bool {
    options.iter().any(|o| match o.strip_prefix("--") {
        Some(name) => !long.is_empty() && name == long,
        None => o.starts_with('-') && o.get(1..).is_some_and(|b| b.contains(letter)),
    })
}

fn program_name(w: &Word) -> String {
    if w.subs.is_empty() {
        basename(&w.value).to_string()
    } else {
        // `$(which x)` is not a path; keep it whole.
        w.value.clone()
    }
}

fn basename(path: &str) -> &str {
    let trimmed = path.trim_end_matches('/');
    if trimmed.is_empty() {
        return path;
    }
    trimmed.rsplit('/').next().unwrap_or(trimmed)
}

/// The first `find -exec`, `-execdir`, `-ok`, `-okdir` command words.
fn find_exec_segments(words: &[Word]) -> Vec<&[Word]> {
    let mut segments = Vec::new();
    let mut i = 1;
    while let Some(w) = words.get(i) {
        i += 1;
        if matches!(w.value.as_str(), "-exec" | "-execdir" | "-ok" | "-okdir") {
            let start = i;
            while words
                .get(i)
                .is_some_and(|w| w.value != ";" && w.value != "+")
            {
                i += 1;
            }
            if let Some(segment) = words.get(start..i).filter(|s| !s.is_empty()) {
                segments.push(segment);
            }
            i += 1;
        }
    }
    segments
}

// ---------------------------------------------------------------------------
// Analysis: walk the tree, emit simple commands
// ---------------------------------------------------------------------------

#[derive(Default)]
struct Analyzer {
    out: CommandAnalysis,
}

/// How a wrapper chain ended.
struct ChainEnd {
    /// The command that redirections of this simple command belong to.
    attach: Option<usize>,
    /// The final program is a shell reading its script from standard input.
    stdin_shell: bool,
}

impl Analyzer {
    fn analyze_text(&mut self, text: &str, depth: usize, anchor: Option<usize>) -> Parsed<()> {
        let script = parse_source(text, depth, anchor)?;
        self.analyze_script(&script, depth, anchor)
    }

    fn analyze_script(
        &mut self,
        script: &Script,
        depth: usize,
        anchor: Option<usize>,
    ) -> Parsed<()> {
        for pipeline in &script.pipelines {
            if pipes_to_interpreter(pipeline) {
                self.out.pipe_to_interpreter.push(pipeline.text.clone());
            }
            // `echo "x" | sh`: the text a stage feeds into a shell is a script.
            let fed: Vec<Option<(String, usize)>> = pipeline
                .stages
                .iter()
                .zip(pipeline.stages.iter().skip(1))
                .map(|(feeder, shell)| match (feeder, shell) {
                    (Stage::Simple(f), Stage::Simple(s)) if reads_script_from_stdin(&s.words) => {
                        fed_text(f)
                    }
                    _ => None,
                })
                .collect();
            for (i, stage) in pipeline.stages.iter().enumerate() {
                let feeds = fed.get(i).is_some_and(Option::is_some);
                match stage {
                    Stage::Simple(s) => self.analyze_simple(s, depth, anchor, feeds)?,
                    Stage::Compound(c) => self.analyze_compound(c, depth, anchor)?,
                }
                let previous = i.checked_sub(1).and_then(|k| fed.get(k));
                if let Some(Some((text, at))) = previous {
                    self.analyze_text(text, depth + 1, Some(anchor.unwrap_or(*at)))?;
                }
            }
        }
        Ok(())
    }

    fn analyze_compound(
        &mut self,
        c: &Compound,
        depth: usize,
        anchor: Option<usize>,
    ) -> Parsed<()> {
        for w in &c.header {
            self.analyze_subs(w, depth)?;
        }
        let first = self.out.commands.len();
        self.analyze_script(&c.body, depth + 1, anchor)?;
        let attach = (self.out.commands.len() > first).then_some(first);
        self.attach(attach, redirect_effects(&c.redirs));
        for r in &c.redirs {
            self.analyze_subs(&r.target, depth)?;
        }
        Ok(())
    }

    /// `feeds_shell`: this command's output is piped into a shell and its
    /// text analysed as a script, so its substitutions are found there.
    fn analyze_simple(
        &mut self,
        s: &Simple,
        depth: usize,
        anchor: Option<usize>,
        feeds_shell: bool,
    ) -> Parsed<()> {
        // Words analysed as scripts: their substitutions are found there.
        let mut scripts = HashSet::new();
        if feeds_shell {
            let fed = s.words.iter().chain(s.redirs.iter().map(|r| &r.target));
            scripts.extend(fed.map(|w| w.start));
        }
        let first = self.out.commands.len();
        let end = self.run_chain(&s.words, depth, anchor, &mut scripts)?;
        let attach = end
            .attach
            .or_else(|| (self.out.commands.len() > first).then_some(first));
        self.attach(attach, redirect_effects(&s.redirs));
        if end.stdin_shell {
            for r in &s.redirs {
                let text = match (r.op, &r.body) {
                    (RedirOp::HereDoc { .. }, Some(body)) => body.as_str(),
                    (RedirOp::HereString, _) => r.target.value.as_str(),
                    _ => continue,
                };
                scripts.insert(r.target.start);
                let at = Some(anchor.unwrap_or(r.target.start));
                self.analyze_text(text, depth + 1, at)?;
            }
        }
        for w in simple_words(s) {
            if !scripts.contains(&w.start) {
                self.analyze_subs(w, depth)?;
            }
        }
        Ok(())
    }

    fn analyze_subs(&mut self, w: &Word, depth: usize) -> Parsed<()> {
        for sub in &w.subs {
            self.analyze_script(&sub.script, depth + 1, sub.anchor)?;
        }
        Ok(())
    }

    /// Emits the command at the head of `words` and, through wrappers and
    /// `-c` scripts, the commands it runs.
    fn run_chain(
        &mut self,
        words: &[Word],
        depth: usize,
        anchor: Option<usize>,
        scripts: &mut HashSet<usize>,
    ) -> Parsed<ChainEnd> {
        let mut level = depth;
        let mut rest = words;
        let mut last = None;
        loop {
            let Some(first) = rest.first() else {
                return Ok(ChainEnd {
                    attach: last,
                    stdin_shell: false,
                });
            };
            if level > MAX_NESTING {
                return Err(nesting_error(anchor.unwrap_or(first.start)));
            }
            match step(rest) {
                Step::Wrapper { skip, emit_self } => {
                    if emit_self {
                        last = Some(self.emit(rest));
                    }
                    rest = rest.get(skip..).unwrap_or(&[]);
                    level += 1;
                }
                Step::Script { text, used } => {
                    for w in used.iter().filter_map(|&i| rest.get(i)) {
                        scripts.insert(w.start);
                    }
                    let script_start = used
                        .first()
                        .and_then(|&i| rest.get(i))
                        .map_or(first.start, |w| w.start);
                    let before = self.out.commands.len();
                    self.analyze_text(&text, level + 1, Some(anchor.unwrap_or(script_start)))?;
                    let attach = if self.out.commands.len() > before {
                        Some(before)
                    } else {
                        last
                    };
                    return Ok(ChainEnd {
                        attach,
                        stdin_shell: false,
                    });
                }
                Step::Final => {
                    let index = self.emit(rest);
                    let program = program_name(first);
                    if program == "find" {
                        for segment in find_exec_segments(rest) {
                            self.run_chain(segment, level + 1, anchor, scripts)?;
                        }
                    }
                    return Ok(ChainEnd {
                        attach: Some(index),
                        stdin_shell: is_stdin_shell(rest),
                    });
                }
            }
        }
    }

    fn emit(&mut self, words: &[Word]) -> usize {
        let program = words.first().map(program_name).unwrap_or_default();
        let args: Vec<String> = words.iter().skip(1).map(|w| w.value.clone()).collect();
        let text = std::iter::once(program.as_str())
            .chain(args.iter().map(String::as_str))
            .filter(|w| !w.is_empty())
            .collect::<Vec<_>>()
            .join(" ");
        let effects = effects_for(&program, &args);
        self.out.commands.push(SimpleCommand {
            text,
            program,
            args,
            effects,
        });
        self.out.commands.len().saturating_sub(1)
    }

    /// Adds redirection effects to command `at`, or to a command of its own
    /// when there is none (`> file` alone), so that no effect is lost.
    fn attach(&mut self, at: Option<usize>, effects: Vec<Effect>) {
        if effects.is_empty() {
            return;
        }
        match at.and_then(|i| self.out.commands.get_mut(i)) {
            Some(command) => command.effects.extend(effects),
            None => self.out.commands.push(SimpleCommand {
                text: String::new(),
                program: String::new(),
                args: Vec::new(),
                effects,
            }),
        }
    }
}

/// The words of the program a wrapper chain finally runs, unless it runs a
/// `-c`/`eval` script instead.
fn final_words(words: &[Word]) -> Option<&[Word]> {
    let mut rest = words;
    for _ in 0..=MAX_NESTING {
        rest.first()?;
        match step(rest) {
            Step::Wrapper { skip, .. } => rest = rest.get(skip..)?,
            Step::Script { .. } => return None,
            Step::Final => return Some(rest),
        }
    }
    None
}

/// A shell with no `-c` and no script operand (or with `-s`): its standard
/// input is its script.
fn is_stdin_shell(words: &[Word]) -> bool {
    let Some(first) = words.first() else {
        return false;
    };
    if !SHELLS.contains(&program_name(first).as_str()) {
        return false;
    }
    let args: Vec<&str> = words.iter().skip(1).map(|w| w.value.as_str()).collect();
    let opts = shell_options(&args);
    !opts.command && (opts.stdin || opts.operand >= args.len())
}

fn reads_script_from_stdin(words: &[Word]) -> bool {
    final_words(words).is_some_and(is_stdin_shell)
}

/// The text `echo`, `printf` or `cat <<EOF` writes, when it is known, and
/// where it starts. Substitutions stay as written: re-analysed, they give the
/// commands that run either way.
fn fed_text(s: &Simple) -> Option<(String, usize)> {
    let words = final_words(&s.words)?;
    let first = words.first()?;
    let args: Vec<&str> = words.iter().skip(1).map(|w| w.value.as_str()).collect();
    let unescape = |t: &str| t.replace("\\n", "\n").replace("\\t", "\t");
    let text = match program_name(first).as_str() {
        "echo" => {
            let k = args
                .iter()
                .take_while(|a| matches!(**a, "-n" | "-e" | "-E" | "-ne" | "-en"))
                .count();
            unescape(&args.get(k..).unwrap_or(&[]).join(" "))
        }
        "printf" => {
            let format = args.first()?;
            if format.contains('%') {
                args.get(1..).unwrap_or(&[]).join("\n")
            } else {
                unescape(format)
            }
        }
        "cat" if args.iter().all(|a| a.starts_with('-') && *a != "-") => {
            s.redirs.iter().rev().find_map(|r| match (r.op, &r.body) {
                (RedirOp::HereDoc { .. }, Some(body)) => Some(body.clone()),
                (RedirOp::HereString, _) => Some(r.target.value.clone()),
                _ => None,
            })?
        }
        _ => return None,
    };
    Some((text, first.start))
}

fn simple_words(s: &Simple) -> impl Iterator<Item = &Word> {
    s.assigns
        .iter()
        .chain(&s.words)
        .chain(s.redirs.iter().map(|r| &r.target))
}

// ---------------------------------------------------------------------------
// Download piped into an interpreter
// ---------------------------------------------------------------------------

const DOWNLOADERS: [&str; 7] = ["curl", "wget", "fetch", "http", "https", "xh", "xhs"];

const INTERPRETERS: [&str; 23] = [
    "sh",
    "bash",
    "zsh",
    "dash",
    "ksh",
    "ash",
    "mksh",
    "fish",
    "python",
    "python2",
    "python3",
    "perl",
    "ruby",
    "node",
    "nodejs",
    "deno",
    "bun",
    "php",
    "pwsh",
    "powershell",
    "iex",
    "source",
    ".",
];

fn is_downloader(program: &str) -> bool {
    DOWNLOADERS.contains(&program)
}

fn is_interpreter(program: &str) -> bool {
    INTERPRETERS.contains(&program)
        || program
            .strip_prefix("python")
            .is_some_and(|v| !v.is_empty() && v.chars().all(|c| c.is_ascii_digit() || c == '.'))
}

/// The programs of a wrapper chain: `sudo -E bash` gives `sudo`, `bash`.
fn chain_programs(words: &[Word]) -> Vec<String> {
    let mut programs = Vec::new();
    let mut rest = words;
    while let Some(first) = rest.first() {
        if programs.len() > MAX_NESTING {
            break;
        }
        programs.push(program_name(first));
        match step(rest) {
            Step::Wrapper { skip, .. } => rest = rest.get(skip..).unwrap_or(&[]),
            _ => break,
        }
    }
    programs
}

fn stage_runs(stage: &Stage, pred: fn(&str) -> bool) -> bool {
    match stage {
        Stage::Simple(s) => chain_programs(&s.words).iter().any(|p| pred(p)),
        Stage::Compound(c) => c
            .body
            .pipelines
            .iter()
            .flat_map(|p| &p.stages)
            .any(|s| stage_runs(s, pred)),
    }
}

fn script_downloads(script: &Script) -> bool {
    script
        .pipelines
        .iter()
        .flat_map(|p| &p.stages)
        .any(stage_downloads)
}

fn stage_downloads(stage: &Stage) -> bool {
    stage_runs(stage, is_downloader)
        || match stage {
            Stage::Simple(s) => simple_words(s).any(word_downloads),
            Stage::Compound(c) => {
                c.header.iter().any(word_downloads)
                    || c.redirs.iter().any(|r| word_downloads(&r.target))
                    || script_downloads(&c.body)
            }
        }
}

fn word_downloads(w: &Word) -> bool {
    w.subs.iter().any(|s| script_downloads(&s.script))
}

/// `curl .. | sh`, `bash <(curl ..)`, `sh -c "$(curl ..)"`, `eval "$(curl ..)"`.
fn pipes_to_interpreter(pipeline: &Pipeline) -> bool {
    let mut downloaded = false;
    for stage in &pipeline.stages {
        if downloaded && stage_runs(stage, is_interpreter) {
            return true;
        }
        downloaded |= stage_runs(stage, is_downloader);
    }
    pipeline.stages.iter().any(|stage| match stage {
        Stage::Simple(s) => {
            chain_programs(&s.words)
                .iter()
                .any(|p| is_interpreter(p) || p == "eval")
                && simple_words(s).any(word_downloads)
        }
        Stage::Compound(_) => false,
    })
}

// ---------------------------------------------------------------------------
// Effects: files read and written, URLs fetched
// ---------------------------------------------------------------------------

const DEVICES: [&str; 5] = [
    "/dev/null",
    "/dev/stdin",
    "/dev/stdout",
    "/dev/stderr",
    "/dev/tty",
];

/// Not a file worth reporting: stdin/stdout `-`, a device, `<(..)`, the
/// `{}` placeholder of `find -exec` and `xargs -I{}`.
fn is_file(p: &str) -> bool {
    !(p.is_empty()
        || p == "-"
        || p == "{}"
        || DEVICES.contains(&p)
        || ((p.starts_with("<(") || p.starts_with(">(")) && p.ends_with(')')))
}

#[derive(Default)]
struct Fx(Vec<Effect>);

impl Fx {
    fn read(&mut self, p: &str) {
        if is_file(p) {
            self.0.push(Effect::Read(p.to_string()));
        }
    }

    fn write(&mut self, p: &str) {
        if is_file(p) {
            self.0.push(Effect::Write(p.to_string()));
        }
    }

    /// A URL operand; scheme-less host-like operands get `scheme`.
    fn url(&mut self, s: &str, scheme: &str) {
        if s.contains("://") {
            self.0.push(Effect::Url(s.to_string()));
        } else if host_like(s) {
            self.0.push(Effect::Url(format!("{scheme}://{s}")));
        }
    }
}

/// `example.com/x`, `user@host:8080/p`, `localhost:3000`, `[::1]/x`.
fn host_like(s: &str) -> bool {
    if s.is_empty() || s.starts_with('-') || s.chars().any(char::is_whitespace) {
        return false;
    }
    let authority = s.split(['/', '?', '#']).next().unwrap_or("");
    let host_port = authority.rsplit('@').next().unwrap_or("");
    if host_port.starts_with('[') {
        return host_port.contains(']');
    }
    let host = match host_port.rsplit_once(':') {
        Some((host, port)) if !port.is_empty() && port.bytes().all(|b| b.is_ascii_digit()) => host,
        Some(_) => return false,
        None => host_port,
    };
    !host.is_empty()
        && !host.starts_with('.')
        && !host.ends_with('.')
        && host
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '.')
        && (host.contains('.') || host.eq_ignore_ascii_case("localhost"))
}

fn redirect_effects(redirs: &[Redir]) -> Vec<Effect> {
    let mut fx = Fx::default();
    for r in redirs {
        let target = r.target.value.as_str();
        match r.op {
            RedirOp::In => fx.read(target),
            RedirOp::ReadWrite => {
                fx.read(target);
                fx.write(target);
            }
            RedirOp::Out
            | RedirOp::Append
            | RedirOp::Clobber
            | RedirOp::OutErr
            | RedirOp::AppendErr => fx.write(target),
            // `>&2`, `>&-`, `>&$fd` duplicate a descriptor; `>&file` writes.
            RedirOp::DupOut => {
                let fd = target.strip_suffix('-').unwrap_or(target);
                if !(fd.bytes().all(|b| b.is_ascii_digit()) || fd.starts_with('$')) {
                    fx.write(target);
                }
            }
            RedirOp::DupIn | RedirOp::HereDoc { .. } | RedirOp::HereString => {}
        }
    }
    fx.0
}

/// How a program's options are spelled: letters and long names that take a
/// value (`-n 5`, `-n5`, `--lines 5`, `--lines=5`), and letters whose value
/// can only be attached (`sed -i.bak`).
#[derive(Clone, Copy)]
struct Spec {
    values: &'static str,
    attached: &'static str,
    long: &'static str,
}

const fn spec(values: &'static str, long: &'static str) -> Spec {
    Spec {
        values,
        attached: "",
        long,
    }
}

const FLAGS: Spec = spec("", "");

/// Options and operands of one command, GNU style (options may follow
/// operands; `--` ends options; `-` is an operand).
#[derive(Default)]
struct Opts<'a> {
    opts: Vec<(&'a str, Option<&'a str>)>,
    operands: Vec<&'a str>,
}

impl<'a> Opts<'a> {
    fn parse(args: &[&'a str], spec: Spec) -> Self {
        let mut o = Opts::default();
        let mut i = 0;
        let mut ended = false;
        while let Some(&a) = args.get(i) {
            i += 1;
            if ended || a == "-" || !a.starts_with('-') {
                o.operands.push(a);
                continue;
            }
            if a == "--" {
                ended = true;
                continue;
            }
            if let Some(long) = a.strip_prefix("--") {
                match long.split_once('=') {
                    Some((name, value)) => o.opts.push((name, Some(value))),
                    None if is_listed(spec.long, long) => {
                        o.opts.push((long, args.get(i).copied()));
                        i += 1;
                    }
                    None => o.opts.push((long, None)),
                }
                continue;
            }
            let body = a.get(1..).unwrap_or("");
            for (k, c) in body.char_indices() {
                let next = k + c.len_utf8();
                let name = body.get(k..next).unwrap_or("");
                let rest = body.get(next..).unwrap_or("");
                if spec.attached.contains(c) {
                    o.opts.push((name, Some(rest)));
                    break;
                }
                if spec.values.contains(c) {
                    if rest.is_empty() {
                        o.opts.push((name, args.get(i).copied()));
                        i += 1;
                    } else {
                        o.opts.push((name, Some(rest)));
                    }
                    break;
                }
                o.opts.push((name, None));
            }
        }
        o
    }

    fn has(&self, names: &[&str]) -> bool {
        self.opts.iter().any(|(n, _)| names.contains(n))
    }

    fn values(&self, names: &[&str]) -> Vec<&'a str> {
        self.opts
            .iter()
            .filter(|(n, _)| names.contains(n))
            .filter_map(|(_, v)| *v)
            .collect()
    }

    /// Operands after the first one unless `explicit` (the first is a
    /// pattern, script or filter).
    fn after_script(&self, explicit: bool) -> &[&'a str] {
        let skip = usize::from(!explicit).min(self.operands.len());
        self.operands.get(skip..).unwrap_or(&[])
    }
}

fn effects_for(program: &str, args: &[String]) -> Vec<Effect> {
    let a: Vec<&str> = args.iter().map(String::as_str).collect();
    let mut fx = Fx::default();
    match program {
        "cat" | "tac" | "nl" | "less" | "more" | "bat" | "batcat" | "base64" | "od" | "hexdump"
        | "strings" | "head" | "tail" | "diff" => {
            for f in Opts::parse(&a, reader_spec(program)).operands {
                // `less +G`, `more +/pattern`: a start command, not a file.
                if !(matches!(program, "less" | "more") && f.starts_with('+')) {
                    fx.read(f);
                }
            }
        }
        "xxd" => {
            let o = Opts::parse(&a, spec("cglosn", ""));
            if let Some(f) = o.operands.first() {
                fx.read(f);
            }
            if let Some(f) = o.operands.get(1) {
                fx.write(f);
            }
        }
        "open" | "xdg-open" => {
            for f in Opts::parse(&a, spec("ab", "")).operands {
                if f.contains("://") {
                    fx.url(f, "");
                } else {
                    fx.read(f);
                }
            }
        }
        "source" | "." => {
            if let Some(f) = a.iter().find(|x| **x != "--") {
                fx.read(f);
            }
        }
        "grep" | "egrep" | "fgrep" => search(&mut fx, &a, GREP, true),
        "rg" => search(&mut fx, &a, RG, true),
        "ag" => search(&mut fx, &a, AG, false),
        "cp" | "mv" | "install" | "ln" => copy(&mut fx, program, &a),
        "scp" | "rsync" => remote_copy(&mut fx, program, &a),
        "jq" | "yq" => jq(&mut fx, program, &a),
        "awk" | "gawk" | "mawk" | "nawk" => awk(&mut fx, &a),
        "sed" | "gsed" => sed(&mut fx, &a),
        "perl" => perl(&mut fx, &a),
        "dd" => {
            for x in &a {
                if let Some(f) = x.strip_prefix("if=") {
                    fx.read(f);
                } else if let Some(f) = x.strip_prefix("of=") {
                    fx.write(f);
                }
            }
        }
        "tee" | "rm" | "rmdir" | "unlink" | "shred" | "touch" | "mkdir" | "truncate" => {
            for f in Opts::parse(&a, writer_spec(program)).operands {
                fx.write(f);
            }
        }
        "chmod" => chmod(&mut fx, &a),
        "chown" | "chgrp" => {
            let o = Opts::parse(&a, FLAGS);
            for f in o.after_script(o.has(&["reference"])) {
                fx.write(f);
            }
        }
        "curl" => curl(&mut fx, &a),
        "wget" => wget(&mut fx, &a),
        "fetch" => {
            let o = Opts::parse(&a, spec("oBNSTi", "output"));
            for f in o.values(&["o", "output"]) {
                fx.write(f);
            }
            for u in &o.operands {
                fx.url(u, "http");
            }
        }
        "http" | "https" | "xh" | "xhs" => httpie(&mut fx, program, &a),
        _ => {}
    }
    fx.0
}

fn reader_spec(program: &str) -> Spec {
    match program {
        "tac" => spec("s", "separator"),
        "nl" => spec("bdfhilnsvw", ""),
        "less" => spec(
            "bhjkoOpPtTxyz",
            "log-file LOG-FILE pattern tag tabs shift window",
        ),
        "more" => spec("n", "lines"),
        "bat" | "batcat" => spec(
            "lHrm",
            "language highlight-line line-range map-syntax theme style tabs wrap terminal-width color italic-text decorations paging pager file-name diff-context",
        ),
        "base64" => spec("w", "wrap"),
        "od" => spec(
            "AjNtwS",
            "address-radix skip-bytes read-bytes format width strings endian",
        ),
        "hexdump" => spec("efns", "format format-file length skip"),
        "strings" => spec("nteT", "bytes radix encoding target"),
        "head" | "tail" => spec(
            "ncs",
            "lines bytes sleep-interval pid max-unchanged-stats",
        ),
        "diff" => spec(
            "CDFILSUWXx",
            "label ignore-matching-lines exclude exclude-from starting-file show-function-line horizon-lines width tabsize",
        ),
        _ => FLAGS,
    }
}

fn writer_spec(program: &str) -> Spec {
    match program {
        "shred" => spec("ns", "iterations size random-source"),
        "touch" => spec("dtr", "date reference time"),
        "mkdir" => spec("m", "mode"),
        "truncate" => spec("sr", "size reference"),
        _ => FLAGS,
    }
}

const GREP: Spec = spec(
    "efABCmdD",
    "regexp file after-context before-context context max-count include exclude exclude-dir exclude-from label binary-files devices directories group-separator",
);

const RG: Spec = spec(
    "efgtTABCmMjEdr",
    "regexp file glob iglob type type-not type-add type-clear after-context before-context context max-count max-columns threads encoding max-depth replace max-filesize ignore-file path-separator sort sortr colors context-separator engine pre pre-glob",
);

const AG: Spec = spec(
    "ABCGgm",
    "after before context file-search-regex max-count depth pager ignore ignore-dir path-to-ignore",
);

/// grep-like: `PATTERN FILE...`, unless the pattern came from `-e`/`-f`.
fn search(fx: &mut Fx, a: &[&str], spec: Spec, pattern_options: bool) {
    let o = Opts::parse(a, spec);
    let mut explicit = false;
    if pattern_options {
        for f in o.values(&["f", "file"]) {
            fx.read(f);
        }
        explicit = o.has(&["e", "regexp", "f", "file"]);
    }
    for f in o.after_script(explicit) {
        fx.read(f);
    }
}

/// `cp`, `mv`, `install`, `ln`: sources then destination (or `-t DIR`).
fn copy(fx: &mut Fx, program: &str, a: &[&str]) {
    let spec = if program == "install" {
        spec("mogtS", "mode owner group target-directory suffix")
    } else {
        spec("tS", "target-directory suffix")
    };
    let o = Opts::parse(a, spec);
    if program == "install" && o.has(&["d", "directory"]) {
        for f in &o.operands {
            fx.write(f);
        }
        return;
    }
    // `mv` removes its sources; `ln` neither reads nor writes its targets.
    let source = |fx: &mut Fx, f: &str| match program {
        "mv" => fx.write(f),
        "ln" => {}
        _ => fx.read(f),
    };
    if let Some(dir) = o.values(&["t", "target-directory"]).first() {
        for f in &o.operands {
            source(fx, f);
        }
        fx.write(dir);
        return;
    }
    match o.operands.split_last() {
        Some((dest, sources)) if !sources.is_empty() => {
            for f in sources {
                source(fx, f);
            }
            fx.write(dest);
        }
        // `ln -s path/x` creates `x` here.
        Some((only, _)) if program == "ln" => fx.write(basename(only)),
        Some((only, _)) => source(fx, only),
        None => {}
    }
}

/// `scp`/`rsync`: like `cp`, but `host:path` operands are remote (skipped)
/// and `scheme://` operands are URLs.
fn remote_copy(fx: &mut Fx, program: &str, a: &[&str]) {
    let spec = if program == "scp" {
        spec("cFiJloPSXD", "")
    } else {
        spec(
            "efBTM",
            "rsh exclude include exclude-from include-from filter files-from log-file password-file partial-dir temp-dir compare-dest copy-dest link-dest backup-dir suffix chmod chown bwlimit timeout port max-size min-size rsync-path out-format",
        )
    };
    let o = Opts::parse(a, spec);
    let Some((dest, sources)) = o.operands.split_last() else {
        return;
    };
    if sources.is_empty() {
        return;
    }
    let operand = |fx: &mut Fx, f: &str, write: bool| {
        if f.contains("://") {
            fx.url(f, "");
        } else if f
            .find(':')
            .is_some_and(|k| k > 0 && !f.get(..k).unwrap_or("").contains('/'))
        {
            // remote `host:path`: not a local file
        } else if write {
            fx.write(f);
        } else {
            fx.read(f);
        }
    };
    for f in sources {
        operand(fx, f, false);
    }
    operand(fx, dest, true);
}

/// `jq [options] FILTER [FILE...]`, `yq [eval] [options] EXPR [FILE...]`.
fn jq(fx: &mut Fx, program: &str, a: &[&str]) {
    let mut i = 0;
    let mut operands = Vec::new();
    let (mut from_file, mut positional_args, mut in_place, mut ended) =
        (false, false, false, false);
    while let Some(&x) = a.get(i) {
        i += 1;
        if ended || x == "-" || !x.starts_with('-') {
            operands.push(x);
            continue;
        }
        match x {
            "--" => ended = true,
            "--arg" | "--argjson" => i += 2,
            "--slurpfile" | "--rawfile" => {
                if let Some(f) = a.get(i + 1) {
                    fx.read(f);
                }
                i += 2;
            }
            "--args" | "--jsonargs" => positional_args = true,
            "--indent" | "-L" | "-o" | "--output-format" | "-p" | "--input-format" | "-I" => {
                i += 1;
            }
            "-f" | "--from-file" => {
                if let Some(f) = a.get(i) {
                    fx.read(f);
                }
                i += 1;
                from_file = true;
            }
            "-i" | "--inplace" => in_place = true,
            _ => {}
        }
    }
    let mut files = operands.as_slice();
    if program == "yq" && matches!(files.first(), Some(&("eval" | "e" | "eval-all" | "ea"))) {
        files = files.get(1..).unwrap_or(&[]);
    }
    if !from_file {
        files = files.get(1..).unwrap_or(&[]);
    }
    if positional_args {
        return;
    }
    for f in files {
        if in_place {
            fx.write(f);
        } else {
            fx.read(f);
        }
    }
}

fn awk(fx: &mut Fx, a: &[&str]) {
    let o = Opts::parse(
        a,
        spec(
            "EFfvile",
            "field-separator assign file exec include load source",
        ),
    );
    for f in o.values(&["f", "file", "E", "exec"]) {
        fx.read(f);
    }
    let explicit = o.has(&["f", "file", "E", "exec", "e", "source"]);
    let in_place = o.values(&["i", "include"]).contains(&"inplace");
    for f in o.after_script(explicit) {
        if is_assignment(f) {
            continue;
        }
        if in_place {
            fx.write(f);
        } else {
            fx.read(f);
        }
    }
}

fn sed(fx: &mut Fx, a: &[&str]) {
    // BSD `sed -i '' ...`: the empty word is the backup suffix.
    let mut args = Vec::with_capacity(a.len());
    let mut after_i = false;
    for &x in a {
        if !(after_i && x.is_empty()) {
            args.push(x);
        }
        after_i = x == "-i";
    }
    let o = Opts::parse(
        &args,
        Spec {
            values: "efl",
            attached: "i",
            long: "expression file line-length",
        },
    );
    for f in o.values(&["f", "file"]) {
        fx.read(f);
    }
    let explicit = o.has(&["e", "expression", "f", "file"]);
    let in_place = o.has(&["i", "in-place"]);
    for f in o.after_script(explicit) {
        if in_place {
            fx.write(f);
        } else {
            fx.read(f);
        }
    }
}

/// `perl -i`: the files it edits. Options stop at the first operand (the
/// script, unless `-e` gave the code).
fn perl(fx: &mut Fx, a: &[&str]) {
    let mut i = 0;
    let (mut code, mut in_place) = (false, false);
    let mut operands = Vec::new();
    while let Some(&x) = a.get(i) {
        i += 1;
        if !operands.is_empty() || x == "-" || !x.starts_with('-') {
            operands.push(x);
            continue;
        }
        if x == "--" {
            operands.extend(a.get(i..).unwrap_or(&[]));
            break;
        }
        let body = x.get(1..).unwrap_or("");
        for (k, c) in body.char_indices() {
            let rest_empty = body.get(k + c.len_utf8()..).unwrap_or("").is_empty();
            match c {
                'e' | 'E' => {
                    code = true;
                    if rest_empty {
                        i += 1;
                    }
                    break;
                }
                'i' => {
                    in_place = true;
                    break;
                }
                'I' | 'M' | 'm' | 'l' | '0' | 'F' | 'C' | 'd' | 'D' | 'x' | 'V' => break,
                _ => {}
            }
        }
    }
    if in_place {
        let skip = usize::from(!code).min(operands.len());
        for f in operands.get(skip..).unwrap_or(&[]) {
            fx.write(f);
        }
    }
}

/// `chmod [opts] MODE FILE...`; `-x`, `-w`, `-rwx` are modes, not options.
fn chmod(fx: &mut Fx, a: &[&str]) {
    let (mut mode_seen, mut reference, mut ended) = (false, false, false);
    let mut files = Vec::new();
    for &x in a {
        if !ended && x.starts_with('-') && x != "-" {
            if x == "--" {
                ended = true;
            } else if x.starts_with("--") {
                reference |= x.starts_with("--reference");
            } else if !mode_seen && x.chars().skip(1).all(|c| "rwxXst".contains(c)) {
                mode_seen = true;
            }
            continue;
        }
        files.push(x);
    }
    let skip = usize::from(!mode_seen && !reference).min(files.len());
    for f in files.get(skip..).unwrap_or(&[]) {
        fx.write(f);
    }
}

const CURL: Spec = spec(
    "AbcCdDeEFHKmoPQrTtuUwxXyYz",
    "data data-raw data-binary data-ascii data-urlencode json header request user user-agent referer output output-dir upload-file form form-string proxy proxy-user write-out max-time connect-timeout retry retry-delay retry-max-time cookie cookie-jar config cert key cacert capath dump-header range url resolve connect-to interface limit-rate max-filesize max-redirs oauth2-bearer variable noproxy pass pinnedpubkey trace trace-ascii unix-socket aws-sigv4 stderr ciphers create-file-mode keepalive-time local-port quote speed-limit speed-time time-cond telnet-option continue-at expect100-timeout",
);

fn curl(fx: &mut Fx, a: &[&str]) {
    let o = Opts::parse(a, CURL);
    for (name, value) in &o.opts {
        let Some(v) = *value else { continue };
        match *name {
            "o" | "output" | "c" | "cookie-jar" | "D" | "dump-header" | "trace" | "trace-ascii"
            | "stderr" => fx.write(v),
            "T" | "upload-file" | "K" | "config" => fx.read(v),
            "d" | "data" | "data-binary" | "data-ascii" | "data-urlencode" | "json" => {
                if let Some(f) = v.strip_prefix('@') {
                    fx.read(f);
                }
            }
            "F" | "form" => {
                if let Some((_, f)) = v.split_once("=@").or_else(|| v.split_once("=<")) {
                    fx.read(f.split(';').next().unwrap_or(f));
                }
            }
            "url" => fx.url(v, "http"),
            _ => {}
        }
    }
    for u in &o.operands {
        fx.url(u, "http");
    }
}

const WGET: Spec = spec(
    "aABDeiIlOoPQRtTUwX",
    "output-document output-file append-output input-file directory-prefix execute tries timeout wait level user-agent header post-data post-file body-data body-file method user password http-user http-password load-cookies save-cookies accept reject domains exclude-domains base referer ca-certificate certificate private-key bind-address limit-rate quota config",
);

fn wget(fx: &mut Fx, a: &[&str]) {
    let o = Opts::parse(a, WGET);
    for (name, value) in &o.opts {
        let Some(v) = *value else { continue };
        match *name {
            "O" | "output-document" | "o" | "output-file" | "a" | "append-output"
            | "save-cookies" => fx.write(v),
            "i" | "input-file" | "post-file" | "body-file" | "load-cookies" => fx.read(v),
            _ => {}
        }
    }
    for u in &o.operands {
        fx.url(u, "http");
    }
}

/// httpie and xh: `http [METHOD] URL [ITEM...]`; `:3000/x` is localhost.
fn httpie(fx: &mut Fx, program: &str, a: &[&str]) {
    let o = Opts::parse(
        a,
        spec(
            "aAopsP",
            "auth auth-type output print style session session-read-only verify cert cert-key proxy timeout max-redirects pretty format-options boundary ssl ciphers history-print default-scheme",
        ),
    );
    for f in o.values(&["o", "output"]) {
        fx.write(f);
    }
    let scheme = if program.ends_with('s') {
        "https"
    } else {
        "http"
    };
    let mut operands = o.operands.iter();
    let Some(mut url) = operands.next() else {
        return;
    };
    let is_method =
        !url.is_empty() && url.len() <= 10 && url.bytes().all(|b| b.is_ascii_uppercase());
    if is_method {
        match operands.next() {
            Some(u) => url = u,
            None => return,
        }
    }
    if url.starts_with(':') {
        fx.0.push(Effect::Url(format!("{scheme}://localhost{url}")));
    } else {
        fx.url(url, scheme);
    }
}

#[cfg(test)]
mod tests;
