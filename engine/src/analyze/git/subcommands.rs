//! The subcommands whose actions policies care about, besides `git push`
//! (which has its own module): each reads its options and operands with
//! its table and reports the operation, branch and flags.
//!
//! `parse_subcommand` is the dispatch; a name it does not know is left to
//! `parse_git_args`, which tries the aliases and otherwise reports it as
//! `GitOperation::Other`.

use super::options::{scan, Flag, Opt};
use super::push::{destination, push, Destination};
use super::tables::{
    BRANCH, CHECKOUT, CLONE, COMMIT, FETCH, MERGE, PULL, REBASE, RESET, SWITCH, TAG,
};
use super::{branch_name, GitAction, GitOperation};

pub(super) fn parse_subcommand(name: &str, args: &[String]) -> Option<Vec<GitAction>> {
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
