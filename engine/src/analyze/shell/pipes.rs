//! Downloads piped into an interpreter: `curl .. | sh`, `bash <(curl ..)`,
//! `sh -c "$(curl ..)"`, `eval "$(curl ..)"`.
//!
//! Each pipeline that does this is reported, with its text, in
//! `CommandAnalysis::pipe_to_interpreter`, besides the commands it runs.

#![deny(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use super::analyzer::simple_words;
use super::tree::{Pipeline, Script, Stage, Word};
use super::wrappers::{program_name, step, Step};
use super::MAX_NESTING;

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
pub(super) fn pipes_to_interpreter(pipeline: &Pipeline) -> bool {
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
