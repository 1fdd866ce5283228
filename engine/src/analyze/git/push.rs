//! `git push`: the force options and every refspec, each read as its own
//! action.
//!
//! A push names its destinations in many spellings (`main`, `HEAD:main`,
//! `+feature:main`, `:main`, `refs/heads/main`, `refs/tags/v1`); each one is
//! resolved to the whole branch or tag name it writes to, with its own
//! force (`+`) and delete (empty source) reading.

use super::options::{scan, Flag};
use super::tables::PUSH;
use super::{branch_name, GitAction, GitOperation};

pub(super) fn push(args: &[String]) -> Vec<GitAction> {
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
pub(super) enum Destination {
    /// The current branch, or no single branch (`HEAD`, `:`, `refs/heads/*`).
    Unnamed,
    Branch(String),
    Tag(String),
}

pub(super) fn destination(name: &str) -> Destination {
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
