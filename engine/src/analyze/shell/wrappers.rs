//! Wrappers: which word is the real program.
//!
//! `sudo`, `env`, `timeout`, `xargs`, `nohup`, `command` and the like run the
//! command that follows their own options, and `bash -c`, `eval`, `watch` and
//! `env -S` run a script given as text. A pattern such as `terraform apply*`
//! must see through all of them. Also here: a program's name as policies match
//! it (`/usr/bin/terraform` is `terraform`) and the commands `find -exec` runs.

#![deny(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use super::parser::is_assignment;
use super::tree::Word;

pub(super) const SHELLS: [&str; 8] = ["sh", "bash", "zsh", "dash", "ksh", "ash", "mksh", "fish"];

/// What the program at the head of a word list does with the words after it.
pub(super) enum Step {
    /// A wrapper: the command to run starts `skip` words further on.
    /// `emit_self` says whether the wrapper command itself is reported too.
    Wrapper { skip: usize, emit_self: bool },
    /// Runs `text` as a shell script (`bash -c`, `eval`, `watch`, `env -S`);
    /// `used` are the indices of the words that make up the script.
    Script { text: String, used: Vec<usize> },
    /// The program itself runs.
    Final,
}

pub(super) fn step(words: &[Word]) -> Step {
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
pub(super) struct ShellOptions {
    /// `-c` was given: the first operand is the script.
    pub(super) command: bool,
    /// `-s` was given: the script comes from standard input.
    pub(super) stdin: bool,
    /// Index of the first operand.
    pub(super) operand: usize,
    /// fish's `--command=SCRIPT`: the index of that word and the script.
    inline: Option<(usize, String)>,
}

pub(super) fn shell_options(args: &[&str]) -> ShellOptions {
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
pub(super) fn is_listed(list: &str, name: &str) -> bool {
    list.split(' ').any(|n| !n.is_empty() && n == name)
}

/// Whether a short flag letter (in any cluster) or a long flag is present.
fn has_flag(options: &[&str], letter: char, long: &str) -> bool {
    options.iter().any(|o| match o.strip_prefix("--") {
        Some(name) => !long.is_empty() && name == long,
        None => o.starts_with('-') && o.get(1..).is_some_and(|b| b.contains(letter)),
    })
}

pub(super) fn program_name(w: &Word) -> String {
    if w.subs.is_empty() {
        basename(&w.value).to_string()
    } else {
        // `$(which x)` is not a path; keep it whole.
        w.value.clone()
    }
}

pub(super) fn basename(path: &str) -> &str {
    let trimmed = path.trim_end_matches('/');
    if trimmed.is_empty() {
        return path;
    }
    trimmed.rsplit('/').next().unwrap_or(trimmed)
}

/// The first `find -exec`, `-execdir`, `-ok`, `-okdir` command words.
pub(super) fn find_exec_segments(words: &[Word]) -> Vec<&[Word]> {
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
