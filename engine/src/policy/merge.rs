//! Inheritance: merging a child policy over its parents.
//!
//! Lists are unioned (parents first, order kept, duplicates dropped), a
//! `!pattern` entry removes an inherited entry, scalars take the child's
//! value, and rules are concatenated with a child rule replacing a parent
//! rule of the same id. `policy compile --overlay` uses the same merge.

use super::model::{Pattern, Policy, Rule};

/// Merges `child` over `base` (which is already merged with its own parents).
pub fn merge(base: &Policy, child: &Policy) -> Policy {
    let mut out = child.clone();
    let fs = (&base.filesystem, &mut out.filesystem);
    union(&fs.0.block_read, &mut fs.1.block_read);
    union(&fs.0.require_approval_read, &mut fs.1.require_approval_read);
    union(&fs.0.allow_read, &mut fs.1.allow_read);
    union(&fs.0.block_write, &mut fs.1.block_write);
    union(
        &fs.0.require_approval_write,
        &mut fs.1.require_approval_write,
    );
    union(&fs.0.allow_write, &mut fs.1.allow_write);
    fs.1.case_sensitive = fs.1.case_sensitive.or(fs.0.case_sensitive);

    let cmd = (&base.commands, &mut out.commands);
    union(&cmd.0.block, &mut cmd.1.block);
    union(&cmd.0.require_approval, &mut cmd.1.require_approval);
    union(&cmd.0.allow, &mut cmd.1.allow);
    cmd.1.default = cmd.1.default.or(cmd.0.default);

    let git = (&base.git, &mut out.git);
    union(&git.0.protected_branches, &mut git.1.protected_branches);
    git.1.block_direct_push = git.1.block_direct_push.or(git.0.block_direct_push);
    git.1.block_force_push = git.1.block_force_push.or(git.0.block_force_push);
    git.1.block_protected_branch_deletion = git
        .1
        .block_protected_branch_deletion
        .or(git.0.block_protected_branch_deletion);
    git.1.require_pull_request = git.1.require_pull_request.or(git.0.require_pull_request);
    git.1.require_ai_attestation = git
        .1
        .require_ai_attestation
        .or(git.0.require_ai_attestation);
    for (key, source) in &git.0.sources {
        git.1
            .sources
            .entry(key.clone())
            .or_insert_with(|| source.clone());
    }

    let mcp = (&base.mcp, &mut out.mcp);
    mcp.1.block_unknown_servers = mcp.1.block_unknown_servers.or(mcp.0.block_unknown_servers);
    if mcp.1.source.is_none() {
        mcp.1.source = mcp.0.source.clone();
    }
    union(&mcp.0.allowed_servers, &mut mcp.1.allowed_servers);
    union(&mcp.0.blocked_servers, &mut mcp.1.blocked_servers);
    for (name, level) in &mcp.0.risk_scoring {
        mcp.1.risk_scoring.entry(name.clone()).or_insert(*level);
    }

    let net = (&base.network, &mut out.network);
    union(&net.0.allow_domains, &mut net.1.allow_domains);
    union(&net.0.block_domains, &mut net.1.block_domains);
    net.1.default = net.1.default.or(net.0.default);

    out.rules = merge_rules(&base.rules, &child.rules);
    for (rule_id, controls) in &base.controls {
        let merged = out.controls.entry(rule_id.clone()).or_default();
        let mut combined = controls.clone();
        for control in merged.iter() {
            if !combined.contains(control) {
                combined.push(control.clone());
            }
        }
        *merged = combined;
    }
    for (key, value) in &base.extra {
        out.extra
            .entry(key.clone())
            .or_insert_with(|| value.clone());
    }
    let mut files = base.files.clone();
    files.extend(child.files.iter().cloned());
    out.files = files;
    out.metadata.mode = child.metadata.mode.or(base.metadata.mode);
    // Tests stay the child's own: a child may change what its parents test.
    out
}

/// Unions `parent` into `child` in place: parents first, then the child's
/// own entries; `!x` in the child removes `x`.
fn union(parent: &[Pattern], child: &mut Vec<Pattern>) {
    let removals: Vec<&str> = child
        .iter()
        .filter_map(|p| p.text.strip_prefix('!'))
        .collect();
    let mut merged: Vec<Pattern> = Vec::with_capacity(parent.len() + child.len());
    for pattern in parent.iter().chain(child.iter()) {
        let removed = removals.contains(&pattern.text.as_str());
        let duplicate = merged.iter().any(|p| p.text == pattern.text);
        if !removed && !duplicate {
            merged.push(pattern.clone());
        }
    }
    *child = merged;
}

fn merge_rules(parent: &[Rule], child: &[Rule]) -> Vec<Rule> {
    let mut rules: Vec<Rule> = parent
        .iter()
        .map(|rule| {
            child
                .iter()
                .find(|c| c.id == rule.id)
                .unwrap_or(rule)
                .clone()
        })
        .collect();
    for rule in child {
        if !parent.iter().any(|p| p.id == rule.id) {
            rules.push(rule.clone());
        }
    }
    rules
}

/// Drops `!pattern` entries that had nothing to remove, so a compiled policy
/// holds only real patterns.
pub fn strip_removals(policy: &mut Policy) {
    let lists = [
        &mut policy.filesystem.block_read,
        &mut policy.filesystem.require_approval_read,
        &mut policy.filesystem.allow_read,
        &mut policy.filesystem.block_write,
        &mut policy.filesystem.require_approval_write,
        &mut policy.filesystem.allow_write,
        &mut policy.commands.block,
        &mut policy.commands.require_approval,
        &mut policy.commands.allow,
        &mut policy.git.protected_branches,
        &mut policy.mcp.allowed_servers,
        &mut policy.mcp.blocked_servers,
        &mut policy.network.allow_domains,
        &mut policy.network.block_domains,
    ];
    for list in lists {
        list.retain(|p| !p.text.starts_with('!'));
    }
}
