//! What comes before the subcommand: git's global options (`-C`,
//! `--git-dir`, ...) are skipped, and the `-c`/`--config-env` settings that
//! change what runs are kept: an alias (`-c alias.x=push -f`) and a
//! `core.hooksPath` override, which turns off the repository's hooks.

use super::GitAction;

/// What `-c`/`--config-env` set before the subcommand.
#[derive(Default)]
pub(super) struct Config {
    /// Alias name (lower case) and its expansion, `None` when it comes from
    /// an environment variable.
    aliases: Vec<(String, Option<String>)>,
    /// `core.hooksPath` was overridden: the repository's hooks do not run.
    hooks_overridden: bool,
}

impl Config {
    fn set(&mut self, assignment: &str, from_env: bool) {
        let (key, value) = assignment.split_once('=').unwrap_or((assignment, "true"));
        let key = key.to_lowercase();
        if key == "core.hookspath" {
            self.hooks_overridden = true;
        } else if let Some(alias) = key.strip_prefix("alias.") {
            let value = (!from_env).then(|| value.to_owned());
            self.aliases.push((alias.to_owned(), value));
        }
    }

    pub(super) fn alias(&self, name: &str) -> Option<Option<&str>> {
        self.aliases
            .iter()
            .rev()
            .find(|(alias, _)| alias == name)
            .map(|(_, value)| value.as_deref())
    }

    pub(super) fn finish(&self, mut actions: Vec<GitAction>) -> Vec<GitAction> {
        if self.hooks_overridden {
            for action in &mut actions {
                action.no_verify = true;
            }
        }
        actions
    }
}

pub(super) enum Globals {
    /// Index of the subcommand word (may be past the end).
    Subcommand(usize),
    /// `--help` or `--version`: no subcommand runs.
    Meta(&'static str),
}

/// Skips git's global options, recording the `-c` settings that matter.
pub(super) fn read_global_options(words: &[String], config: &mut Config) -> Globals {
    let mut at = 0;
    while let Some(word) = words.get(at) {
        let next = words.get(at + 1);
        let (name, inline) = match word.split_once('=') {
            Some((name, value)) if name.starts_with("--") => (name, Some(value)),
            _ => (word.as_str(), None),
        };
        at += 1;
        match name {
            "-h" | "--help" => return Globals::Meta("help"),
            "-v" | "--version" => return Globals::Meta("version"),
            "-c" | "--config-env" => {
                let Some(setting) = inline.or(next.map(String::as_str)) else {
                    break;
                };
                config.set(setting, name == "--config-env");
                at += usize::from(inline.is_none());
            }
            "-C" | "--git-dir" | "--work-tree" | "--namespace" | "--super-prefix"
            | "--attr-source" => {
                at += usize::from(inline.is_none());
            }
            _ if name.starts_with('-') => {}
            _ => return Globals::Subcommand(at - 1),
        }
    }
    Globals::Subcommand(at)
}

/// Splits an alias value into words the way git does: whitespace
/// separates, single and double quotes group, a backslash escapes.
pub(super) fn split_alias(value: &str) -> Vec<String> {
    let mut words = Vec::new();
    let mut word = String::new();
    let mut in_word = false;
    let mut quote = None;
    let mut chars = value.chars();
    while let Some(c) = chars.next() {
        match (quote, c) {
            (Some(open), c) if c == open => quote = None,
            (Some('"') | None, '\\') => {
                word.extend(chars.next());
                in_word = true;
            }
            (None, '\'' | '"') => {
                quote = Some(c);
                in_word = true;
            }
            (None, c) if c.is_whitespace() => {
                if in_word {
                    words.push(std::mem::take(&mut word));
                    in_word = false;
                }
            }
            (_, c) => {
                word.push(c);
                in_word = true;
            }
        }
    }
    if in_word {
        words.push(word);
    }
    words
}
