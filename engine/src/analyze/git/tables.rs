//! Option tables. Every option that takes a value is listed (so its value is
//! not read as an operand), every option that matters to policy, and the
//! plain options that share a prefix with those (so abbreviations resolve as
//! git resolves them).

use super::options::{opt, sw, val, Flag, Opt, NO};

use Flag as F;

#[rustfmt::skip]
pub(super) const PUSH: &[Opt] = &[
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
pub(super) const BRANCH: &[Opt] = &[
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
pub(super) const RESET: &[Opt] = &[
    sw("hard", NO, F::Hard), sw("soft", NO, F::NotHard), sw("mixed", NO, F::NotHard),
    sw("merge", NO, F::NotHard), sw("keep", NO, F::NotHard),
    val("pathspec-from-file", NO, F::Plain), opt("recurse-submodules", NO, F::Plain),
    sw("quiet", 'q', F::Plain), sw("patch", 'p', F::Plain),
];

#[rustfmt::skip]
pub(super) const COMMIT: &[Opt] = &[
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
pub(super) const MERGE: &[Opt] = &[
    sw("no-verify", NO, F::NoVerify), sw("verify", NO, F::Verify), val("message", 'm', F::Plain),
    val("file", 'F', F::Plain), val("strategy", 's', F::Plain),
    val("strategy-option", 'X', F::Plain), val("cleanup", NO, F::Plain),
    val("into-name", NO, F::Plain), opt("gpg-sign", 'S', F::Plain), opt("log", NO, F::Plain),
    sw("no-verify-signatures", NO, F::Plain), sw("verify-signatures", NO, F::Plain),
];

#[rustfmt::skip]
pub(super) const REBASE: &[Opt] = &[
    sw("no-verify", NO, F::NoVerify), sw("verify", NO, F::Verify), val("onto", NO, F::Plain),
    val("exec", 'x', F::Plain), val("strategy", 's', F::Plain),
    val("strategy-option", 'X', F::Plain), val("whitespace", NO, F::Plain),
    val("empty", NO, F::Plain), opt("gpg-sign", 'S', F::Plain),
    opt("rebase-merges", 'r', F::Plain), opt("", 'C', F::Plain),
];

#[rustfmt::skip]
pub(super) const CHECKOUT: &[Opt] = &[
    val("", 'b', F::NewBranch), val("", 'B', F::NewBranch), val("orphan", NO, F::NewBranch),
    val("conflict", NO, F::Plain),
    val("pathspec-from-file", NO, F::Plain), opt("track", 't', F::Plain),
    opt("recurse-submodules", NO, F::Plain),
];

#[rustfmt::skip]
pub(super) const SWITCH: &[Opt] = &[
    val("create", 'c', F::NewBranch), val("force-create", 'C', F::NewBranch),
    val("orphan", NO, F::NewBranch), val("conflict", NO, F::Plain),
    opt("track", 't', F::Plain), opt("recurse-submodules", NO, F::Plain),
];

#[rustfmt::skip]
pub(super) const TAG: &[Opt] = &[
    sw("delete", 'd', F::Delete), sw("list", 'l', F::List),
    sw("verify", 'v', F::List), val("contains", NO, F::List), val("no-contains", NO, F::List),
    val("merged", NO, F::List), val("no-merged", NO, F::List), val("points-at", NO, F::List),
    val("message", 'm', F::Plain), val("file", 'F', F::Plain), val("local-user", 'u', F::Plain),
    val("sort", NO, F::Plain), val("format", NO, F::Plain), val("cleanup", NO, F::Plain),
    val("trailer", NO, F::Plain), opt("", 'n', F::Plain), opt("color", NO, F::Plain),
    opt("column", NO, F::Plain),
];

#[rustfmt::skip]
pub(super) const CLONE: &[Opt] = &[
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
pub(super) const FETCH: &[Opt] = &[
    sw("all", NO, F::All), sw("multiple", NO, F::All), val("depth", NO, F::Plain),
    val("deepen", NO, F::Plain), val("shallow-since", NO, F::Plain),
    val("shallow-exclude", NO, F::Plain), val("jobs", 'j', F::Plain),
    val("server-option", 'o', F::Plain), val("upload-pack", NO, F::Plain),
    val("refmap", NO, F::Plain), val("negotiation-tip", NO, F::Plain), val("filter", NO, F::Plain),
    opt("recurse-submodules", NO, F::Plain), opt("recurse-submodules-default", NO, F::Plain),
];

#[rustfmt::skip]
pub(super) const PULL: &[Opt] = &[
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
