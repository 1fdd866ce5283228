//! The walk: visits the parse tree in source order and emits one
//! [`SimpleCommand`] for every command that would run.
//!
//! Wrapper chains are unwrapped, and nested scripts are analysed where they
//! are found: substitutions, `-c` and `eval` scripts, and text piped or fed
//! (here-document, here-string) into a shell. Each command carries its own
//! effects and those of its redirections.

#![deny(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use super::effects::{effects_for, redirect_effects};
use super::parser::{parse_source, Parsed};
use super::pipes::pipes_to_interpreter;
use super::tree::{Compound, RedirOp, Script, Simple, Stage, Word};
use super::wrappers::{find_exec_segments, program_name, shell_options, step, Step, SHELLS};
use super::{nesting_error, CommandAnalysis, Effect, SimpleCommand, MAX_NESTING};
use std::collections::HashSet;

#[derive(Default)]
pub(super) struct Analyzer {
    pub(super) out: CommandAnalysis,
}

/// How a wrapper chain ended.
struct ChainEnd {
    /// The command that redirections of this simple command belong to.
    attach: Option<usize>,
    /// The final program is a shell reading its script from standard input.
    stdin_shell: bool,
}

impl Analyzer {
    pub(super) fn analyze_text(
        &mut self,
        text: &str,
        depth: usize,
        anchor: Option<usize>,
    ) -> Parsed<()> {
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

pub(super) fn simple_words(s: &Simple) -> impl Iterator<Item = &Word> {
    s.assigns
        .iter()
        .chain(&s.words)
        .chain(s.redirs.iter().map(|r| &r.target))
}
