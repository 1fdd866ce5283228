//! Git command analysis: a `git` command line turned into structured actions.
//!
//! Git rules (no force push, no direct push to a protected branch, no
//! deleting it) must hold however the agent spells the command: `-f`,
//! `--force-with-lease`, `+feature:main`, `HEAD:main`, `:main`, options after
//! the refspecs, abbreviated long options, global options before the
//! subcommand, even an alias defined with `-c alias.x=...`. So the words are
//! parsed the way git's own option parser reads them, and every refspec
//! becomes its own [`GitAction`] with the destination branch as a whole name.
//! Where git itself would reject the command, the reading errs towards the
//! more dangerous action: a rejected command runs nothing, so over-reading it
//! costs nothing, while under-reading a real one lets it through.

mod globals;
mod options;
mod push;
mod subcommands;
mod tables;

use globals::{read_global_options, split_alias, Config, Globals};
use std::fmt;
use subcommands::parse_subcommand;

/// What a git action does.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum GitOperation {
    /// Push without force.
    Push,
    /// Push that may overwrite remote history.
    ForcePush,
    /// Delete a branch (remote with `git push`, local with `git branch -d`).
    DeleteBranch,
    /// `git merge`.
    Merge,
    /// `git rebase`.
    Rebase,
    /// `git reset --hard`.
    ResetHard,
    /// `git commit`.
    Commit,
    /// Create, move, delete or push a tag.
    Tag,
    /// `git checkout` or `git switch`.
    Checkout,
    /// `git clone`.
    Clone,
    /// `git fetch`.
    Fetch,
    /// `git pull`.
    Pull,
    /// `git status`.
    Status,
    /// Anything else, by its lower-case name (`branch`, `reset`, `log`, ...).
    Other(String),
}

impl GitOperation {
    /// The operation's policy name: `push`, `force_push`, `delete_branch`,
    /// `merge`, `rebase`, `reset_hard`, `commit`, `tag`, `checkout`, `clone`,
    /// `fetch`, `pull`, `status`, or the name an [`GitOperation::Other`] holds.
    #[must_use]
    pub fn as_str(&self) -> &str {
        match self {
            Self::Push => "push",
            Self::ForcePush => "force_push",
            Self::DeleteBranch => "delete_branch",
            Self::Merge => "merge",
            Self::Rebase => "rebase",
            Self::ResetHard => "reset_hard",
            Self::Commit => "commit",
            Self::Tag => "tag",
            Self::Checkout => "checkout",
            Self::Clone => "clone",
            Self::Fetch => "fetch",
            Self::Pull => "pull",
            Self::Status => "status",
            Self::Other(name) => name,
        }
    }

    /// Reads an operation name as a policy or a structured request writes
    /// it. Case, `-`, `_` and spaces are ignored, so `force-push`,
    /// `forcepush`, `Force_Push` and `reset --hard` all work; `delete` means
    /// `delete_branch`. Anything else is [`GitOperation::Other`], lower-cased
    /// and trimmed.
    #[must_use]
    pub fn parse(s: &str) -> GitOperation {
        let compact: String = s
            .chars()
            .filter(|c| !matches!(c, '-' | '_') && !c.is_whitespace())
            .flat_map(char::to_lowercase)
            .collect();
        match compact.as_str() {
            "push" => Self::Push,
            "forcepush" => Self::ForcePush,
            "deletebranch" | "delete" => Self::DeleteBranch,
            "merge" => Self::Merge,
            "rebase" => Self::Rebase,
            "resethard" => Self::ResetHard,
            "commit" => Self::Commit,
            "tag" => Self::Tag,
            "checkout" => Self::Checkout,
            "clone" => Self::Clone,
            "fetch" => Self::Fetch,
            "pull" => Self::Pull,
            "status" => Self::Status,
            _ => Self::Other(s.trim().to_lowercase()),
        }
    }
}

impl fmt::Display for GitOperation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One structured git action.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GitAction {
    /// What the action does.
    pub operation: GitOperation,
    /// The remote (name or URL) it talks to, when one is named.
    pub remote: Option<String>,
    /// Target branch, whole name, `refs/heads/` stripped; `None` when git
    /// would use the current branch (or, for `--all` and wildcard refspecs,
    /// when no single branch is named). For tags, the tag name.
    pub branch: Option<String>,
    /// True for a forced push (`-f`, `--force-with-lease`,
    /// `--force-if-includes`, `--mirror`, a `+` refspec) and when
    /// `git branch` overwrites or moves a branch (`-f`, `-m`, `-M`, `-c`,
    /// `-C`). Local deletes, checkouts and tags never set it.
    pub force: bool,
    /// True when hooks are bypassed (`--no-verify`, `-n` on commit, or a
    /// `-c core.hooksPath=...` override).
    pub no_verify: bool,
}

impl GitAction {
    fn new(operation: GitOperation) -> Self {
        Self {
            operation,
            remote: None,
            branch: None,
            force: false,
            no_verify: false,
        }
    }

    fn other(name: &str) -> Self {
        Self::new(GitOperation::Other(name.to_owned()))
    }

    fn with_branch(mut self, branch: Option<String>) -> Self {
        self.branch = branch.filter(|name| !name.is_empty());
        self
    }
}

/// Parses the words after the `git` program (already unquoted by the shell
/// lexer) into one or more actions; never returns an empty list.
///
/// `git push` gives one action per refspec; `git branch -d a b` one per
/// branch; a bare `git` gives `Other("")`.
#[must_use]
pub fn parse_git_args(args: &[String]) -> Vec<GitAction> {
    let mut config = Config::default();
    let mut words = args.to_vec();
    for _ in 0..MAX_ALIAS_DEPTH {
        let start = match read_global_options(&words, &mut config) {
            Globals::Subcommand(start) => start,
            Globals::Meta(name) => return config.finish(vec![GitAction::other(name)]),
        };
        let Some((name, rest)) = words.get(start..).and_then(<[String]>::split_first) else {
            return config.finish(vec![GitAction::other("")]);
        };
        // Builtins are found case-insensitively: on a case-insensitive file
        // system `git PUSH` can still reach the `git-push` program.
        let name = name.to_lowercase();
        if let Some(actions) = parse_subcommand(&name, rest) {
            return config.finish(actions);
        }
        match config.alias(&name) {
            Some(Some(expansion)) if !expansion.starts_with('!') => {
                let mut expanded = split_alias(expansion);
                expanded.extend_from_slice(rest);
                words = expanded;
            }
            // A shell alias (`!...`) or one set from the environment: we
            // cannot see what it runs.
            Some(_) => return config.finish(vec![GitAction::other("alias")]),
            None => {
                let mut action = GitAction::other(&name);
                action.no_verify = rest.iter().any(|arg| arg == "--no-verify");
                return config.finish(vec![action]);
            }
        }
    }
    config.finish(vec![GitAction::other("alias")])
}

/// Strips `refs/heads/` and, when `remote` is given, a leading
/// `refs/remotes/<remote>/` or `<remote>/`. Only whole segments are removed:
/// `branch_name("origin/main", Some("origin"))` is `main`, but
/// `branch_name("origin/domain", Some("origin"))` is `domain` and
/// `branch_name("upstream/main", Some("origin"))` stays `upstream/main`.
#[must_use]
pub fn branch_name(raw: &str, remote: Option<&str>) -> String {
    let name = raw.strip_prefix("refs/heads/").unwrap_or(raw);
    if let Some(remote) = remote.filter(|remote| !remote.is_empty()) {
        let stripped = raw
            .strip_prefix("refs/remotes/")
            .unwrap_or(name)
            .strip_prefix(remote)
            .and_then(|rest| rest.strip_prefix('/'))
            .filter(|rest| !rest.is_empty());
        if let Some(rest) = stripped {
            return rest.to_owned();
        }
    }
    name.to_owned()
}

/// Git refuses alias chains that loop; we stop after this many expansions.
const MAX_ALIAS_DEPTH: usize = 16;

#[cfg(test)]
mod tests;
