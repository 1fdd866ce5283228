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

use std::fmt;

use Flag as F;

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

/// What `-c`/`--config-env` set before the subcommand.
#[derive(Default)]
struct Config {
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

    fn alias(&self, name: &str) -> Option<Option<&str>> {
        self.aliases
            .iter()
            .rev()
            .find(|(alias, _)| alias == name)
            .map(|(_, value)| value.as_deref())
    }

    fn finish(&self, mut actions: Vec<GitAction>) -> Vec<GitAction> {
        if self.hooks_overridden {
            for action in &mut actions {
                action.no_verify = true;
            }
        }
        actions
    }
}

enum Globals {
    /// Index of the subcommand word (may be past the end).
    Subcommand(usize),
    /// `--help` or `--version`: no subcommand runs.
    Meta(&'static str),
}

/// Skips git's global options, recording the `-c` settings that matter.
fn read_global_options(words: &[String], config: &mut Config) -> Globals {
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
fn split_alias(value: &str) -> Vec<String> {
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

fn parse_subcommand(name: &str, args: &[String]) -> Option<Vec<GitAction>> {
    Some(match name {
        "push" => push(args),
        "branch" => branch(args),
        "reset" => vec![reset(args)],
        "commit" => vec![commit(args)],
        "merge" => vec![first_positional(GitOperation::Merge, args, MERGE)],
        "rebase" => vec![first_positional(GitOperation::Rebase, args, REBASE)],
        "checkout" => vec![checkout(args, CHECKOUT)],
        "switch" => vec![checkout(args, SWITCH)],
        "tag" => tag(args),
        "clone" => vec![clone(args)],
        "fetch" => vec![fetch_or_pull(GitOperation::Fetch, args, FETCH)],
        "pull" => vec![fetch_or_pull(GitOperation::Pull, args, PULL)],
        "status" => vec![GitAction::new(GitOperation::Status)],
        _ => return None,
    })
}

// ---------------------------------------------------------------------------
// Subcommands.

fn push(args: &[String]) -> Vec<GitAction> {
    let scanned = scan(args, PUSH);
    let (mut force, mut lease, mut if_includes) = (false, false, false);
    let (mut mirror, mut all, mut tags, mut delete, mut prune) =
        (false, false, false, false, false);
    let mut no_verify = false;
    let mut repo = None;
    for (flag, value) in &scanned.flags {
        match flag {
            Flag::Force => force = true,
            Flag::NoForce => force = false,
            Flag::Lease => lease = true,
            Flag::NoLease => lease = false,
            Flag::IfIncludes => if_includes = true,
            Flag::NoIfIncludes => if_includes = false,
            Flag::Mirror => mirror = true,
            Flag::All => all = true,
            Flag::Tags => tags = true,
            Flag::Delete => delete = true,
            Flag::Prune => prune = true,
            Flag::NoVerify => no_verify = true,
            Flag::Verify => no_verify = false,
            Flag::Repo => repo.clone_from(value),
            _ => {}
        }
    }
    let mut positionals = scanned.positionals.into_iter();
    let base = GitAction {
        operation: GitOperation::Push,
        remote: positionals.next().or(repo),
        branch: None,
        force: force || lease || if_includes || mirror,
        no_verify,
    };
    let whole_push = GitAction {
        operation: push_operation(base.force),
        ..base.clone()
    };
    if mirror {
        // A mirror push overwrites and prunes every ref on the remote.
        return vec![whole_push];
    }
    let mut actions: Vec<GitAction> = positionals
        .map(|refspec| refspec_action(&refspec, &base, delete))
        .collect();
    if all {
        actions.push(whole_push.clone());
    }
    if tags {
        actions.push(GitAction {
            operation: GitOperation::Tag,
            ..base.clone()
        });
    }
    if actions.is_empty() {
        actions.push(if delete {
            GitAction {
                operation: GitOperation::DeleteBranch,
                ..base.clone()
            }
        } else {
            whole_push
        });
    }
    if prune {
        // `--prune` deletes remote branches that have no local counterpart.
        actions.push(GitAction {
            operation: GitOperation::DeleteBranch,
            ..base
        });
    }
    actions
}

fn push_operation(force: bool) -> GitOperation {
    if force {
        GitOperation::ForcePush
    } else {
        GitOperation::Push
    }
}

/// Where a refspec's destination points.
enum Destination {
    /// The current branch, or no single branch (`HEAD`, `:`, `refs/heads/*`).
    Unnamed,
    Branch(String),
    Tag(String),
}

fn destination(name: &str) -> Destination {
    if matches!(name, "" | "HEAD" | "@") || name.contains('*') {
        return Destination::Unnamed;
    }
    if let Some(tag) = name.strip_prefix("refs/tags/") {
        return Destination::Tag(tag.to_owned());
    }
    match branch_name(name, None) {
        branch if branch.is_empty() => Destination::Unnamed,
        branch => Destination::Branch(branch),
    }
}

/// `[+]<src>[:<dst>]`: the destination is `<dst>`, or `<src>` when there is
/// none; an empty `<src>` deletes; a `+` forces this refspec alone.
fn refspec_action(refspec: &str, base: &GitAction, delete: bool) -> GitAction {
    let (plus, body) = match refspec.strip_prefix('+') {
        Some(body) => (true, body),
        None => (false, refspec),
    };
    let force = base.force || plus;
    let (source, target) = body.split_once(':').unwrap_or((body, ""));
    let deleting = delete || (source.is_empty() && !target.is_empty());
    let target = if target.is_empty() { source } else { target };
    let (operation, branch) = match destination(target) {
        Destination::Tag(tag) => (GitOperation::Tag, Some(tag)),
        Destination::Branch(branch) if deleting => (GitOperation::DeleteBranch, Some(branch)),
        Destination::Unnamed if deleting => (GitOperation::DeleteBranch, None),
        Destination::Branch(branch) => (push_operation(force), Some(branch)),
        Destination::Unnamed => (push_operation(force), None),
    };
    GitAction {
        operation,
        branch,
        force,
        ..base.clone()
    }
}

fn branch(args: &[String]) -> Vec<GitAction> {
    let scanned = scan(args, BRANCH);
    let (mut delete, mut force, mut remotes, mut listing) = (false, false, false, false);
    let (mut moving, mut copying, mut configuring) = (false, false, false);
    for (flag, _) in &scanned.flags {
        match flag {
            Flag::Delete => delete = true,
            Flag::Force => force = true,
            Flag::Remotes => remotes = true,
            Flag::List => listing = true,
            Flag::Move => moving = true,
            Flag::Copy => copying = true,
            Flag::Upstream => configuring = true,
            _ => {}
        }
    }
    let names = scanned.positionals;
    let other = |branch: Option<&String>, force: bool| GitAction {
        force,
        ..GitAction::other("branch").with_branch(branch.map(|name| branch_name(name, None)))
    };
    if delete {
        let delete_one = |name: Option<&String>| {
            let (remote, branch) = match name.map(|name| (remotes, name.split_once('/'))) {
                Some((true, Some((remote, branch)))) if !remote.is_empty() => {
                    (Some(remote.to_owned()), Some(branch.to_owned()))
                }
                _ => (None, name.map(|name| branch_name(name, None))),
            };
            GitAction {
                remote,
                ..GitAction::new(GitOperation::DeleteBranch).with_branch(branch)
            }
        };
        if names.is_empty() {
            return vec![delete_one(None)];
        }
        return names.iter().map(|name| delete_one(Some(name))).collect();
    }
    if moving || copying {
        // `-m [<old>] <new>`: <new> is created or overwritten; a move also
        // makes <old> (the current branch when not named) disappear.
        let (old, new) = match names.as_slice() {
            [new] => (None, Some(new)),
            [old, new, ..] => (Some(old), Some(new)),
            [] => (None, None),
        };
        let mut actions = vec![other(new, true)];
        if moving && new.is_some() {
            actions.push(
                GitAction::new(GitOperation::DeleteBranch)
                    .with_branch(old.map(|name| branch_name(name, None))),
            );
        }
        return actions;
    }
    if listing || remotes || names.is_empty() {
        return vec![other(None, false)];
    }
    // Creating (or, with `-f`, resetting) the first named branch, or
    // changing its upstream settings.
    vec![other(names.first(), force && !configuring)]
}

fn reset(args: &[String]) -> GitAction {
    let mut hard = false;
    for (flag, _) in scan(args, RESET).flags {
        match flag {
            Flag::Hard => hard = true,
            Flag::NotHard => hard = false,
            _ => {}
        }
    }
    if hard {
        // The current branch is what moves, so no branch is named.
        GitAction::new(GitOperation::ResetHard)
    } else {
        GitAction::other("reset")
    }
}

fn commit(args: &[String]) -> GitAction {
    GitAction {
        no_verify: no_verify(&scan(args, COMMIT).flags),
        ..GitAction::new(GitOperation::Commit)
    }
}

fn no_verify(flags: &[(Flag, Option<String>)]) -> bool {
    flags.iter().fold(false, |bypass, (flag, _)| match flag {
        Flag::NoVerify => true,
        Flag::Verify => false,
        _ => bypass,
    })
}

/// `git merge <commit>` and `git rebase <upstream>`: the named commit or
/// upstream, as written.
fn first_positional(operation: GitOperation, args: &[String], table: &[Opt]) -> GitAction {
    let scanned = scan(args, table);
    GitAction {
        no_verify: no_verify(&scanned.flags),
        ..GitAction::new(operation).with_branch(
            scanned
                .positionals
                .first()
                .map(|name| branch_name(name, None)),
        )
    }
}

/// `git checkout` / `git switch`: the branch created with `-b`/`-B`/`-c`/`-C`,
/// else the first operand before `--`.
fn checkout(args: &[String], table: &[Opt]) -> GitAction {
    let scanned = scan(args, table);
    let created = scanned
        .flags
        .iter()
        .rev()
        .find(|(flag, _)| *flag == Flag::NewBranch)
        .and_then(|(_, value)| value.clone());
    let before_dashdash = scanned.dashdash.unwrap_or(scanned.positionals.len());
    let named = scanned
        .positionals
        .first()
        .filter(|_| before_dashdash > 0)
        .cloned();
    GitAction::new(GitOperation::Checkout)
        .with_branch(created.or(named).map(|name| branch_name(&name, None)))
}

fn tag(args: &[String]) -> Vec<GitAction> {
    let scanned = scan(args, TAG);
    let (mut delete, mut listing) = (false, false);
    for (flag, _) in &scanned.flags {
        match flag {
            Flag::Delete => delete = true,
            Flag::List => listing = true,
            _ => {}
        }
    }
    let tag_action =
        |name: Option<&String>| GitAction::new(GitOperation::Tag).with_branch(name.cloned());
    if delete && !scanned.positionals.is_empty() {
        return scanned
            .positionals
            .iter()
            .map(|name| tag_action(Some(name)))
            .collect();
    }
    let name = scanned.positionals.first().filter(|_| !listing);
    vec![tag_action(name)]
}

fn clone(args: &[String]) -> GitAction {
    let scanned = scan(args, CLONE);
    let branch = scanned
        .flags
        .iter()
        .rev()
        .find(|(flag, _)| *flag == Flag::NewBranch)
        .and_then(|(_, value)| value.clone());
    GitAction {
        remote: scanned.positionals.into_iter().next(),
        ..GitAction::new(GitOperation::Clone).with_branch(branch)
    }
}

/// `git fetch|pull [<remote> [<refspec>...]]`: the branch is the source side
/// of the first refspec (the remote branch brought in).
fn fetch_or_pull(operation: GitOperation, args: &[String], table: &[Opt]) -> GitAction {
    let scanned = scan(args, table);
    let all = scanned.flags.iter().any(|(flag, _)| *flag == Flag::All);
    let mut positionals = scanned.positionals.into_iter();
    let remote = positionals.next().filter(|_| !all);
    let branch = positionals.next().filter(|_| !all).and_then(|refspec| {
        let body = refspec.strip_prefix('+').unwrap_or(&refspec);
        let source = body.split_once(':').map_or(body, |(source, _)| source);
        match destination(source) {
            Destination::Branch(name) | Destination::Tag(name) => Some(name),
            Destination::Unnamed => None,
        }
    });
    GitAction {
        remote,
        no_verify: no_verify(&scanned.flags),
        ..GitAction::new(operation).with_branch(branch)
    }
}

// ---------------------------------------------------------------------------
// Option scanning, the way git's parse-options reads a command line: options
// may come anywhere (before, between or after operands) until `--`; short
// options cluster (`-fu`); a short option taking a value takes the rest of
// its cluster or the next word; long options take `--name=value` or, when the
// value is required, the next word; a long option may be abbreviated to any
// unambiguous prefix.

/// What an option does to the action; `Plain` options are only listed so
/// abbreviations and values are read correctly.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Flag {
    Plain,
    Force,
    NoForce,
    Lease,
    NoLease,
    IfIncludes,
    NoIfIncludes,
    Mirror,
    All,
    Tags,
    Delete,
    Prune,
    NoVerify,
    Verify,
    Repo,
    Hard,
    NotHard,
    Remotes,
    List,
    Move,
    Copy,
    Upstream,
    NewBranch,
}

impl Flag {
    /// Options that undo another; left out when an abbreviation is
    /// ambiguous, so the ambiguity never reads as the safer command.
    fn is_negation(self) -> bool {
        matches!(
            self,
            Self::NoForce | Self::NoLease | Self::NoIfIncludes | Self::Verify | Self::NotHard
        )
    }
}

/// Whether an option takes a value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Takes {
    Nothing,
    /// `--name=value`, `--name value`, `-xvalue`, `-x value`.
    Value,
    /// Optional, only attached: `--name=value`, `-xvalue`.
    Attached,
}

/// One option of a subcommand. `short` is [`NO`] when there is none;
/// `long` is empty when there is none.
struct Opt {
    long: &'static str,
    short: char,
    takes: Takes,
    flag: Flag,
}

/// The `short` of an option that has no short form.
const NO: char = ' ';

/// An option that takes no value.
const fn sw(long: &'static str, short: char, flag: Flag) -> Opt {
    Opt {
        long,
        short,
        takes: Takes::Nothing,
        flag,
    }
}

/// An option that requires a value.
const fn val(long: &'static str, short: char, flag: Flag) -> Opt {
    Opt {
        long,
        short,
        takes: Takes::Value,
        flag,
    }
}

/// An option whose value is optional and only attached.
const fn opt(long: &'static str, short: char, flag: Flag) -> Opt {
    Opt {
        long,
        short,
        takes: Takes::Attached,
        flag,
    }
}

#[derive(Default)]
struct Scanned {
    flags: Vec<(Flag, Option<String>)>,
    positionals: Vec<String>,
    /// How many positionals came before `--`, when there was one.
    dashdash: Option<usize>,
}

enum Resolved<'t> {
    One(&'t Opt),
    Ambiguous(Vec<&'t Opt>),
    Unknown,
}

fn resolve_long<'t>(name: &str, table: &'t [Opt]) -> Resolved<'t> {
    if name.is_empty() {
        return Resolved::Unknown;
    }
    if let Some(exact) = table.iter().find(|opt| opt.long == name) {
        return Resolved::One(exact);
    }
    let candidates: Vec<&Opt> = table
        .iter()
        .filter(|opt| opt.long.starts_with(name))
        .collect();
    match candidates.as_slice() {
        [] => Resolved::Unknown,
        [one] => Resolved::One(one),
        _ => Resolved::Ambiguous(candidates),
    }
}

fn scan(args: &[String], table: &[Opt]) -> Scanned {
    let mut scanned = Scanned::default();
    let mut words = args.iter();
    while let Some(word) = words.next() {
        if scanned.dashdash.is_some() {
            scanned.positionals.push(word.clone());
        } else if word == "--" {
            scanned.dashdash = Some(scanned.positionals.len());
        } else if let Some(long) = word.strip_prefix("--") {
            let (name, inline) = match long.split_once('=') {
                Some((name, value)) => (name, Some(value.to_owned())),
                None => (long, None),
            };
            match resolve_long(name, table) {
                Resolved::One(opt) => {
                    let value = match opt.takes {
                        Takes::Nothing => None,
                        Takes::Value => inline.or_else(|| words.next().cloned()),
                        Takes::Attached => inline,
                    };
                    scanned.flags.push((opt.flag, value));
                }
                // Git rejects the command; read it as doing everything the
                // abbreviation could mean.
                Resolved::Ambiguous(opts) => scanned.flags.extend(
                    opts.into_iter()
                        .filter(|opt| !opt.flag.is_negation())
                        .map(|opt| (opt.flag, inline.clone())),
                ),
                Resolved::Unknown => {}
            }
        } else if let Some(cluster) = word.strip_prefix('-').filter(|rest| !rest.is_empty()) {
            scan_cluster(cluster, table, &mut words, &mut scanned.flags);
        } else {
            scanned.positionals.push(word.clone());
        }
    }
    scanned
}

fn scan_cluster<'a>(
    cluster: &str,
    table: &[Opt],
    words: &mut impl Iterator<Item = &'a String>,
    flags: &mut Vec<(Flag, Option<String>)>,
) {
    for (at, c) in cluster.char_indices() {
        let Some(opt) = table.iter().find(|opt| opt.short == c && c != NO) else {
            continue;
        };
        let rest = cluster.get(at + c.len_utf8()..).unwrap_or_default();
        match opt.takes {
            Takes::Nothing => flags.push((opt.flag, None)),
            Takes::Value => {
                let value = if rest.is_empty() {
                    words.next().cloned()
                } else {
                    Some(rest.to_owned())
                };
                flags.push((opt.flag, value));
                return;
            }
            Takes::Attached => {
                flags.push((opt.flag, Some(rest.to_owned()).filter(|v| !v.is_empty())));
                return;
            }
        }
    }
}

// ---------------------------------------------------------------------------
// Option tables. Every option that takes a value is listed (so its value is
// not read as an operand), every option that matters to policy, and the
// plain options that share a prefix with those (so abbreviations resolve as
// git resolves them).

#[rustfmt::skip]
const PUSH: &[Opt] = &[
    sw("force", 'f', F::Force), sw("no-force", NO, F::NoForce),
    opt("force-with-lease", NO, F::Lease), sw("no-force-with-lease", NO, F::NoLease),
    sw("force-if-includes", NO, F::IfIncludes), sw("no-force-if-includes", NO, F::NoIfIncludes),
    sw("mirror", NO, F::Mirror), sw("all", NO, F::All), sw("branches", NO, F::All),
    sw("tags", NO, F::Tags), sw("delete", 'd', F::Delete), sw("prune", NO, F::Prune),
    sw("no-verify", NO, F::NoVerify), sw("verify", NO, F::Verify), val("repo", NO, F::Repo),
    sw("set-upstream", 'u', F::Plain), val("push-option", 'o', F::Plain),
    val("receive-pack", NO, F::Plain), val("exec", NO, F::Plain),
    val("recurse-submodules", NO, F::Plain), sw("no-recurse-submodules", NO, F::Plain),
    opt("signed", NO, F::Plain), sw("no-signed", NO, F::Plain), sw("dry-run", 'n', F::Plain),
    sw("porcelain", NO, F::Plain), sw("atomic", NO, F::Plain), sw("no-atomic", NO, F::Plain),
    sw("follow-tags", NO, F::Plain), sw("no-follow-tags", NO, F::Plain), sw("thin", NO, F::Plain),
    sw("no-thin", NO, F::Plain), sw("quiet", 'q', F::Plain), sw("verbose", 'v', F::Plain),
    sw("progress", NO, F::Plain), sw("no-progress", NO, F::Plain), sw("ipv4", '4', F::Plain),
    sw("ipv6", '6', F::Plain),
];

#[rustfmt::skip]
const BRANCH: &[Opt] = &[
    sw("delete", 'd', F::Delete), sw("", 'D', F::Delete), sw("force", 'f', F::Force),
    sw("remotes", 'r', F::Remotes), sw("move", 'm', F::Move), sw("", 'M', F::Move),
    sw("copy", 'c', F::Copy), sw("", 'C', F::Copy), sw("all", 'a', F::List),
    sw("list", 'l', F::List), sw("show-current", NO, F::List), val("contains", NO, F::List),
    val("no-contains", NO, F::List), val("merged", NO, F::List), val("no-merged", NO, F::List),
    val("points-at", NO, F::List), val("set-upstream-to", 'u', F::Upstream),
    sw("unset-upstream", NO, F::Upstream), sw("edit-description", NO, F::Upstream),
    opt("track", 't', F::Plain), sw("no-track", NO, F::Plain), val("sort", NO, F::Plain),
    val("format", NO, F::Plain), opt("color", NO, F::Plain), opt("column", NO, F::Plain),
    opt("abbrev", NO, F::Plain), sw("verbose", 'v', F::Plain), sw("quiet", 'q', F::Plain),
];

#[rustfmt::skip]
const RESET: &[Opt] = &[
    sw("hard", NO, F::Hard), sw("soft", NO, F::NotHard), sw("mixed", NO, F::NotHard),
    sw("merge", NO, F::NotHard), sw("keep", NO, F::NotHard),
    val("pathspec-from-file", NO, F::Plain), opt("recurse-submodules", NO, F::Plain),
    sw("quiet", 'q', F::Plain), sw("patch", 'p', F::Plain),
];

#[rustfmt::skip]
const COMMIT: &[Opt] = &[
    sw("no-verify", 'n', F::NoVerify), sw("verify", NO, F::Verify), val("message", 'm', F::Plain),
    val("file", 'F', F::Plain), val("reedit-message", 'c', F::Plain),
    val("reuse-message", 'C', F::Plain), val("template", 't', F::Plain),
    val("author", NO, F::Plain), val("date", NO, F::Plain), val("cleanup", NO, F::Plain),
    val("fixup", NO, F::Plain), val("squash", NO, F::Plain), val("trailer", NO, F::Plain),
    val("pathspec-from-file", NO, F::Plain), opt("untracked-files", 'u', F::Plain),
    opt("gpg-sign", 'S', F::Plain), sw("no-gpg-sign", NO, F::Plain), sw("no-edit", NO, F::Plain),
    sw("no-status", NO, F::Plain), sw("no-post-rewrite", NO, F::Plain),
    sw("verbose", 'v', F::Plain), sw("signoff", 's', F::Plain), sw("all", 'a', F::Plain),
];

#[rustfmt::skip]
const MERGE: &[Opt] = &[
    sw("no-verify", NO, F::NoVerify), sw("verify", NO, F::Verify), val("message", 'm', F::Plain),
    val("file", 'F', F::Plain), val("strategy", 's', F::Plain),
    val("strategy-option", 'X', F::Plain), val("cleanup", NO, F::Plain),
    val("into-name", NO, F::Plain), opt("gpg-sign", 'S', F::Plain), opt("log", NO, F::Plain),
    sw("no-verify-signatures", NO, F::Plain), sw("verify-signatures", NO, F::Plain),
];

#[rustfmt::skip]
const REBASE: &[Opt] = &[
    sw("no-verify", NO, F::NoVerify), sw("verify", NO, F::Verify), val("onto", NO, F::Plain),
    val("exec", 'x', F::Plain), val("strategy", 's', F::Plain),
    val("strategy-option", 'X', F::Plain), val("whitespace", NO, F::Plain),
    val("empty", NO, F::Plain), opt("gpg-sign", 'S', F::Plain),
    opt("rebase-merges", 'r', F::Plain), opt("", 'C', F::Plain),
];

#[rustfmt::skip]
const CHECKOUT: &[Opt] = &[
    val("", 'b', F::NewBranch), val("", 'B', F::NewBranch), val("orphan", NO, F::NewBranch),
    val("conflict", NO, F::Plain),
    val("pathspec-from-file", NO, F::Plain), opt("track", 't', F::Plain),
    opt("recurse-submodules", NO, F::Plain),
];

#[rustfmt::skip]
const SWITCH: &[Opt] = &[
    val("create", 'c', F::NewBranch), val("force-create", 'C', F::NewBranch),
    val("orphan", NO, F::NewBranch), val("conflict", NO, F::Plain),
    opt("track", 't', F::Plain), opt("recurse-submodules", NO, F::Plain),
];

#[rustfmt::skip]
const TAG: &[Opt] = &[
    sw("delete", 'd', F::Delete), sw("list", 'l', F::List),
    sw("verify", 'v', F::List), val("contains", NO, F::List), val("no-contains", NO, F::List),
    val("merged", NO, F::List), val("no-merged", NO, F::List), val("points-at", NO, F::List),
    val("message", 'm', F::Plain), val("file", 'F', F::Plain), val("local-user", 'u', F::Plain),
    val("sort", NO, F::Plain), val("format", NO, F::Plain), val("cleanup", NO, F::Plain),
    val("trailer", NO, F::Plain), opt("", 'n', F::Plain), opt("color", NO, F::Plain),
    opt("column", NO, F::Plain),
];

#[rustfmt::skip]
const CLONE: &[Opt] = &[
    val("branch", 'b', F::NewBranch), val("origin", 'o', F::Plain),
    val("upload-pack", 'u', F::Plain), val("reference", NO, F::Plain),
    val("reference-if-able", NO, F::Plain), val("separate-git-dir", NO, F::Plain),
    val("depth", NO, F::Plain), val("shallow-since", NO, F::Plain),
    val("shallow-exclude", NO, F::Plain), val("config", 'c', F::Plain),
    val("template", NO, F::Plain), val("jobs", 'j', F::Plain), val("filter", NO, F::Plain),
    val("bundle-uri", NO, F::Plain), val("server-option", NO, F::Plain),
    val("ref-format", NO, F::Plain), val("revision", NO, F::Plain),
    opt("recurse-submodules", NO, F::Plain),
];

#[rustfmt::skip]
const FETCH: &[Opt] = &[
    sw("all", NO, F::All), sw("multiple", NO, F::All), val("depth", NO, F::Plain),
    val("deepen", NO, F::Plain), val("shallow-since", NO, F::Plain),
    val("shallow-exclude", NO, F::Plain), val("jobs", 'j', F::Plain),
    val("server-option", 'o', F::Plain), val("upload-pack", NO, F::Plain),
    val("refmap", NO, F::Plain), val("negotiation-tip", NO, F::Plain), val("filter", NO, F::Plain),
    opt("recurse-submodules", NO, F::Plain), opt("recurse-submodules-default", NO, F::Plain),
];

#[rustfmt::skip]
const PULL: &[Opt] = &[
    sw("all", NO, F::All), sw("no-verify", NO, F::NoVerify), sw("verify", NO, F::Verify),
    val("strategy", 's', F::Plain), val("strategy-option", 'X', F::Plain),
    val("cleanup", NO, F::Plain), val("depth", NO, F::Plain), val("deepen", NO, F::Plain),
    val("shallow-since", NO, F::Plain), val("shallow-exclude", NO, F::Plain),
    val("jobs", 'j', F::Plain), val("server-option", 'o', F::Plain),
    val("upload-pack", NO, F::Plain), val("negotiation-tip", NO, F::Plain),
    opt("rebase", 'r', F::Plain), opt("gpg-sign", 'S', F::Plain), opt("log", NO, F::Plain),
    opt("recurse-submodules", NO, F::Plain), sw("no-verify-signatures", NO, F::Plain),
    sw("verify-signatures", NO, F::Plain),
];

#[cfg(test)]
mod tests;
