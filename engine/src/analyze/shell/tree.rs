//! The parse tree: what the parser builds from a command string and the
//! analyser walks.
//!
//! A word keeps its text after quote removal, its offset and the
//! substitutions found inside it. A compound command (group, subshell, loop,
//! `if`, `case`, function) is kept as the words of its header and a body
//! holding everything it may run.

#![deny(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

/// One shell word after quote removal.
#[derive(Debug, Default)]
pub(super) struct Word {
    /// Quotes removed, escapes applied, expansions kept as written.
    pub(super) value: String,
    /// Byte offset of the word in its source.
    pub(super) start: usize,
    /// Some part was quoted or escaped (so it is never a reserved word).
    pub(super) quoted: bool,
    /// The word is `NAME=value` with an unquoted name.
    pub(super) assign: bool,
    /// Command and process substitutions inside the word, in order.
    pub(super) subs: Vec<Sub>,
}

/// A parsed `$(..)`, backtick or `<(..)` substitution.
#[derive(Debug)]
pub(super) struct Sub {
    pub(super) script: Script,
    /// Where errors inside this script are reported (see `Parser::anchor`).
    pub(super) anchor: Option<usize>,
}

#[derive(Debug, Default)]
pub(super) struct Script {
    pub(super) pipelines: Vec<Pipeline>,
}

#[derive(Debug)]
pub(super) struct Pipeline {
    pub(super) stages: Vec<Stage>,
    /// The source text of the pipeline, trimmed.
    pub(super) text: String,
}

#[derive(Debug)]
pub(super) enum Stage {
    Simple(Simple),
    Compound(Compound),
}

#[derive(Debug, Default)]
pub(super) struct Simple {
    pub(super) assigns: Vec<Word>,
    pub(super) words: Vec<Word>,
    pub(super) redirs: Vec<Redir>,
}

/// A group, subshell, loop, `if`, `case` or function definition: only its
/// contents run, so it is kept as a body plus the words of its header.
#[derive(Debug, Default)]
pub(super) struct Compound {
    pub(super) header: Vec<Word>,
    pub(super) body: Script,
    pub(super) redirs: Vec<Redir>,
}

#[derive(Debug)]
pub(super) struct Redir {
    pub(super) op: RedirOp,
    pub(super) target: Word,
    /// The body of a here-document.
    pub(super) body: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum RedirOp {
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
    pub(super) fn text(self) -> &'static str {
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
