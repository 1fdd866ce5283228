//! Compiled matchers: what a pattern list becomes when a policy is compiled.
//!
//! Path lists become one `GlobSet` each (gitignore-style, every globset
//! option set explicitly so native and wasm builds agree). Command, domain,
//! server and branch lists become anchored wildcard patterns where `*`
//! matches any run of characters. Evaluating an action only runs these
//! matchers; nothing is parsed or compiled on the hot path.

use super::diagnostic::Diagnostic;
use super::model::Pattern;
use globset::{Candidate, GlobBuilder, GlobSet, GlobSetBuilder};
use std::collections::HashMap;

/// A compiled list of path globs.
#[derive(Debug, Clone)]
pub struct PathList {
    set: GlobSet,
    /// For each glob in `set`, the index of the pattern it came from.
    owners: Vec<usize>,
    patterns: Vec<Pattern>,
}

/// Gitignore-style translation of one pattern into the globs that express it:
/// a pattern without `/` matches the name at any depth, a leading `/`
/// anchors at the workspace root, and every pattern also matches whatever
/// lies below a directory it names.
pub fn path_globs(pattern: &str) -> Vec<String> {
    let mut text = pattern.trim();
    let anchored = text.starts_with('/');
    text = text.trim_start_matches('/');
    while let Some(rest) = text.strip_prefix("./") {
        text = rest;
    }
    let text = text.trim_end_matches('/');
    let base = if !anchored && !text.contains('/') && !text.starts_with("**") {
        format!("**/{text}")
    } else {
        text.to_string()
    };
    if base == "**" {
        vec![base]
    } else if let Some(dir) = base.strip_suffix("/**") {
        // `dir/**` also covers `dir` itself: writing or listing the
        // directory touches what is inside it.
        vec![dir.to_string(), base.clone()]
    } else {
        let below = format!("{base}/**");
        vec![base, below]
    }
}

impl PathList {
    /// Compiles `patterns`. Unless `case_sensitive`, patterns are folded to
    /// lower case and callers must fold the paths they match too: globset's
    /// case-insensitive mode sends every glob to its regex engine, while
    /// folded literals and extensions keep its fast paths.
    pub fn compile(patterns: &[Pattern], case_sensitive: bool) -> Result<PathList, Diagnostic> {
        let mut builder = GlobSetBuilder::new();
        let mut owners = Vec::new();
        for (index, pattern) in patterns.iter().enumerate() {
            let text = if case_sensitive {
                pattern.text.clone()
            } else {
                pattern.text.to_lowercase()
            };
            for glob_text in path_globs(&text) {
                let glob = GlobBuilder::new(&glob_text)
                    .literal_separator(true)
                    .case_insensitive(false)
                    .backslash_escape(true)
                    .empty_alternates(true)
                    .build()
                    .map_err(|e| {
                        Diagnostic::error(
                            format!("invalid path pattern `{}`: {}", pattern.text, e.kind()),
                            "",
                        )
                        .in_file(&pattern.source.to_string())
                    })?;
                builder.add(glob);
                owners.push(index);
            }
        }
        let set = builder
            .build()
            .map_err(|e| Diagnostic::error(format!("cannot compile path patterns: {e}"), ""))?;
        Ok(PathList {
            set,
            owners,
            patterns: patterns.to_vec(),
        })
    }

    /// The first pattern (in list order) that matches the candidate.
    pub fn first_match(&self, candidate: &Candidate<'_>) -> Option<&Pattern> {
        // The bool check does not allocate; most paths match nothing.
        if !self.set.is_match_candidate(candidate) {
            return None;
        }
        let index = self
            .set
            .matches_candidate(candidate)
            .into_iter()
            .filter_map(|glob| self.owners.get(glob).copied())
            .min()?;
        self.patterns.get(index)
    }

    /// True when the list has no patterns.
    pub fn is_empty(&self) -> bool {
        self.patterns.is_empty()
    }
}

/// An anchored wildcard pattern: `*` matches any characters, nothing else
/// is special.
#[derive(Debug, Clone)]
pub struct Wildcard {
    /// The literal pieces between the stars.
    parts: Vec<String>,
    leading_star: bool,
    trailing_star: bool,
}

impl Wildcard {
    /// Compiles a pattern; `fold_case` lower-cases it (the caller lower-cases
    /// the text it matches too).
    pub fn new(pattern: &str, fold_case: bool) -> Wildcard {
        let pattern = if fold_case {
            pattern.to_lowercase()
        } else {
            pattern.to_string()
        };
        Wildcard {
            leading_star: pattern.starts_with('*'),
            trailing_star: pattern.ends_with('*'),
            parts: pattern
                .split('*')
                .filter(|p| !p.is_empty())
                .map(str::to_string)
                .collect(),
        }
    }

    /// Whether `text` matches the whole pattern.
    pub fn matches(&self, text: &str) -> bool {
        let parts = &self.parts;
        let Some((first, rest)) = parts.split_first() else {
            // Only stars (matches anything) or the empty pattern.
            return self.leading_star || text.is_empty();
        };
        let mut remaining = text;
        if !self.leading_star {
            match remaining.strip_prefix(first.as_str()) {
                Some(after) => remaining = after,
                None => return false,
            }
        } else {
            match remaining.find(first.as_str()) {
                Some(at) => remaining = &remaining[at + first.len()..],
                None => return false,
            }
        }
        if rest.is_empty() {
            // One literal: with a trailing star anything may follow; without
            // one, the literal must also end the text (and, when it is also
            // the prefix, the text must be exactly it).
            return self.trailing_star
                || remaining.is_empty()
                || (self.leading_star && text.ends_with(first.as_str()));
        }
        let (last, middle) = match rest.split_last() {
            Some(split) => split,
            None => return true,
        };
        for part in middle {
            match remaining.find(part.as_str()) {
                Some(at) => remaining = &remaining[at + part.len()..],
                None => return false,
            }
        }
        if self.trailing_star {
            remaining.contains(last.as_str())
        } else {
            remaining.len() >= last.len() && remaining.ends_with(last.as_str())
        }
    }
}

/// A compiled list of wildcard patterns, with a prefilter on the first
/// word: most command patterns start with a literal program name, so a
/// command only tries the patterns of its own program plus those that start
/// with a wildcard.
#[derive(Debug, Clone, Default)]
pub struct WildcardList {
    items: Vec<(Wildcard, Pattern)>,
    /// Indices of the patterns whose first word is literal, by that word.
    by_first_word: HashMap<String, Vec<usize>>,
    /// Indices of the patterns whose first word holds a wildcard.
    unkeyed: Vec<usize>,
    fold_case: bool,
}

/// The literal first word of a pattern, if it has one: the text before the
/// first space, when that text holds no `*`.
fn literal_first_word(pattern: &str) -> Option<&str> {
    let word = pattern.split(' ').next().unwrap_or(pattern);
    (!word.contains('*')).then_some(word)
}

impl WildcardList {
    /// Compiles a list; with `fold_case`, matching ignores case.
    pub fn new(patterns: &[Pattern], fold_case: bool) -> WildcardList {
        let mut list = WildcardList {
            fold_case,
            ..WildcardList::default()
        };
        for (index, pattern) in patterns.iter().enumerate() {
            let text = pattern.text.trim();
            let text = if fold_case {
                text.to_lowercase()
            } else {
                text.to_string()
            };
            match literal_first_word(&text) {
                Some(word) => list
                    .by_first_word
                    .entry(word.to_string())
                    .or_default()
                    .push(index),
                None => list.unkeyed.push(index),
            }
            list.items
                .push((Wildcard::new(&text, false), pattern.clone()));
        }
        list
    }

    /// The first pattern (in list order) matching `text`. With case folding,
    /// `text` must already be lower-case (callers fold once per action, not
    /// per pattern).
    pub fn first_match(&self, text: &str) -> Option<&Pattern> {
        let first_word = text.split(' ').next().unwrap_or(text);
        let keyed: &[usize] = self
            .by_first_word
            .get(first_word)
            .map(Vec::as_slice)
            .unwrap_or(&[]);
        // Merge the two ascending index lists so list order decides.
        let (mut a, mut b) = (keyed.iter().peekable(), self.unkeyed.iter().peekable());
        loop {
            let index = match (a.peek(), b.peek()) {
                (Some(&&x), Some(&&y)) if x < y => a.next(),
                (Some(_), Some(_)) => b.next(),
                (Some(_), None) => a.next(),
                (None, Some(_)) => b.next(),
                (None, None) => return None,
            };
            if let Some((wildcard, pattern)) = index.and_then(|&i| self.items.get(i)) {
                if wildcard.matches(text) {
                    return Some(pattern);
                }
            }
        }
    }

    /// True when the list has no patterns.
    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    /// Whether this list ignores case.
    pub fn folds_case(&self) -> bool {
        self.fold_case
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wildcard_table() {
        let cases: &[(&str, &str, bool)] = &[
            ("terraform apply*", "terraform apply", true),
            ("terraform apply*", "terraform apply -auto-approve", true),
            ("terraform apply*", "terraform plan", false),
            ("terraform apply*", "xterraform apply", false),
            (
                "kubectl apply*--context*prod*",
                "kubectl apply -f x --context eu-prod-1",
                true,
            ),
            (
                "kubectl apply*--context*prod*",
                "kubectl apply -f x --context staging",
                false,
            ),
            ("ls", "ls", true),
            ("ls", "ls -la", false),
            ("ls", "als", false),
            ("*", "anything at all", true),
            ("*", "", true),
            ("", "", true),
            ("", "x", false),
            ("*.github.com", "api.github.com", true),
            ("*.github.com", "github.com", false),
            ("*.github.com", "evil.com/.github.com", true),
            ("a*a", "a", false),
            ("a*a", "aa", true),
            ("*abc", "abcabc", true),
            ("abc*abc", "abc", false),
            ("a*b*c", "a__b__c", true),
            ("a*b*c", "a__c__b", false),
            ("*x*", "aaxaa", true),
        ];
        for (pattern, text, expected) in cases {
            assert_eq!(
                Wildcard::new(pattern, false).matches(text),
                *expected,
                "pattern {pattern:?} text {text:?}"
            );
        }
    }

    #[test]
    fn prefilter_keeps_list_order_and_wildcard_first_words() {
        let patterns: Vec<Pattern> = ["git*", "ls", "ls *", "*", "git push*"]
            .iter()
            .map(|t| Pattern {
                text: (*t).to_string(),
                source: super::super::model::Source {
                    file: std::sync::Arc::from("t"),
                    line: None,
                },
            })
            .collect();
        let list = WildcardList::new(&patterns, false);
        let first = |t: &str| list.first_match(t).map(|p| p.text.as_str());
        assert_eq!(first("git push origin x"), Some("git*"));
        assert_eq!(first("ls"), Some("ls"));
        assert_eq!(first("ls -la"), Some("ls *"));
        assert_eq!(first("lsblk"), Some("*"));
        let list = WildcardList::new(&patterns[4..], false);
        assert_eq!(
            list.first_match("git push -f").map(|p| p.text.as_str()),
            Some("git push*")
        );
        assert_eq!(
            list.first_match("git pushx").map(|p| p.text.as_str()),
            Some("git push*")
        );
        assert_eq!(list.first_match("gitx push"), None);
    }

    #[test]
    fn gitignore_translation() {
        assert_eq!(path_globs(".env"), vec!["**/.env", "**/.env/**"]);
        assert_eq!(path_globs("/.env"), vec![".env", ".env/**"]);
        assert_eq!(path_globs("iam/"), vec!["**/iam", "**/iam/**"]);
        assert_eq!(
            path_globs(".github/workflows/**"),
            vec![".github/workflows", ".github/workflows/**"]
        );
        assert_eq!(path_globs("**/x"), vec!["**/x", "**/x/**"]);
    }
}
