//! `policy lint`: what loads but is probably not what the author meant.
//!
//! Lint runs the full load first (its errors are errors here too), then
//! warns about patterns whose meaning changed from older CAVRA, rules that
//! match everything, lists that repeat themselves, and rules that the
//! pack's own tests never exercise.

use super::compile::CompiledPolicy;
use super::diagnostic::Diagnostic;
use super::model::{Pattern, Policy, RuleMatch};
use super::testing::run_tests;
use crate::action::ActionRequest;
use crate::decide::{decide, DecideOptions};
use crate::decision::DecisionStamp;
use std::collections::BTreeSet;

/// Lints a loaded policy. `own` is the file's own policy before
/// inheritance (its lists are what the author wrote); `merged` is the
/// policy with its parents.
pub fn lint(own: &Policy, merged: &Policy, file: &str) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    let md = &own.metadata;
    if md
        .description
        .as_deref()
        .is_none_or(|d| d.trim().is_empty())
    {
        out.push(
            Diagnostic::error("`metadata.description` is missing or empty", "/metadata")
                .with_help("say in a sentence what the pack is for")
                .in_file(file),
        );
    }
    if !md.id.starts_with("cavra-") {
        out.push(
            Diagnostic::warning(
                format!("pack id `{}` does not start with `cavra-`", md.id),
                "/metadata/id",
            )
            .in_file(file),
        );
    }
    let fs = &own.filesystem;
    for (name, list) in [
        ("block_read", &fs.block_read),
        ("require_approval_read", &fs.require_approval_read),
        ("block_write", &fs.block_write),
        ("require_approval_write", &fs.require_approval_write),
    ] {
        for pattern in list {
            if let Some(help) = single_star_crossing(&pattern.text) {
                out.push(at(
                    Diagnostic::warning(
                        format!(
                            "`{}` in filesystem.{name}: `*` no longer crosses `/` (it did in older CAVRA), so this matches less than before",
                            pattern.text
                        ),
                        format!("/filesystem/{name}"),
                    )
                    .with_help(help),
                    pattern,
                ));
            }
        }
    }
    for (name, list) in lists(own) {
        let mut seen = BTreeSet::new();
        for pattern in list {
            if !seen.insert(pattern.text.as_str()) {
                out.push(at(
                    Diagnostic::warning(format!("`{}` appears twice in {name}", pattern.text), ""),
                    pattern,
                ));
            }
            if name.starts_with("commands.")
                && (pattern.text != pattern.text.trim() || pattern.text.contains("  "))
            {
                out.push(at(
                    Diagnostic::warning(
                        format!("command pattern `{}` has extra spaces; commands are matched with single spaces, so it never matches", pattern.text),
                        "",
                    ),
                    pattern,
                ));
            }
        }
    }
    for rule in &own.rules {
        if is_unconditional(&rule.matches) {
            out.push(
                Diagnostic::warning(
                    format!(
                        "rule `{}` has no `match`, so it applies to every action of its kind",
                        rule.id
                    ),
                    "/rules",
                )
                .in_file(file),
            );
        }
    }
    match CompiledPolicy::compile(merged) {
        Ok(compiled) => out.extend(coverage(own, &compiled, file)),
        Err(errors) => out.extend(errors),
    }
    out
}

fn at(d: Diagnostic, pattern: &Pattern) -> Diagnostic {
    Diagnostic {
        file: Some(pattern.source.file.to_string()),
        line: pattern.source.line,
        ..d
    }
}

/// Warns when a single `*` sits in a segment where older CAVRA let it
/// cross directories and the new semantics do not: not next to a `**`
/// segment that already spans them. Returns the suggested fix.
fn single_star_crossing(text: &str) -> Option<String> {
    let trimmed = text.trim_end_matches('/');
    if !trimmed.contains('/') {
        return None;
    }
    let segments: Vec<&str> = trimmed.split('/').collect();
    let lone_star = |segment: &str| segment.contains('*') && !segment.contains("**");
    let crossing = segments.iter().enumerate().any(|(i, segment)| {
        let after_globstar = i > 0 && segments.get(i - 1) == Some(&"**");
        let before_globstar = segments.get(i + 1) == Some(&"**");
        lone_star(segment) && !after_globstar && !before_globstar
    });
    if !crossing {
        return None;
    }
    let (dir, name) = trimmed.rsplit_once('/')?;
    Some(format!(
        "to match at any depth below `{dir}`, write `{dir}/**/{name}`"
    ))
}

fn lists(policy: &Policy) -> Vec<(&'static str, &Vec<Pattern>)> {
    vec![
        ("filesystem.block_read", &policy.filesystem.block_read),
        (
            "filesystem.require_approval_read",
            &policy.filesystem.require_approval_read,
        ),
        ("filesystem.block_write", &policy.filesystem.block_write),
        (
            "filesystem.require_approval_write",
            &policy.filesystem.require_approval_write,
        ),
        ("commands.block", &policy.commands.block),
        (
            "commands.require_approval",
            &policy.commands.require_approval,
        ),
        ("commands.allow", &policy.commands.allow),
        ("mcp.allowed_servers", &policy.mcp.allowed_servers),
        ("mcp.blocked_servers", &policy.mcp.blocked_servers),
        ("network.allow_domains", &policy.network.allow_domains),
        ("network.block_domains", &policy.network.block_domains),
    ]
}

fn is_unconditional(m: &RuleMatch) -> bool {
    [
        &m.paths,
        &m.commands,
        &m.operations,
        &m.branches,
        &m.servers,
        &m.tools,
        &m.capabilities,
        &m.domains,
        &m.agents,
        &m.environments,
    ]
    .iter()
    .all(|l| l.is_empty())
}

/// Warns about the file's own rules and list entries that none of its
/// tests exercise.
fn coverage(own: &Policy, compiled: &CompiledPolicy, file: &str) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    if own.tests.is_empty() {
        out.push(
            Diagnostic::warning("the policy has no `tests:`", "/tests")
                .with_help("add tests that show what each rule blocks and allows")
                .in_file(file),
        );
        return out;
    }
    let report = run_tests(compiled, &own.tests);
    for outcome in report.outcomes.iter().filter(|o| !o.passed) {
        out.push(
            Diagnostic::warning(format!("policy test `{}` fails", outcome.name), "/tests")
                .in_file(&outcome.source),
        );
    }
    let mut hit_rules = BTreeSet::new();
    let mut hit_patterns = BTreeSet::new();
    for (n, test) in own.tests.iter().enumerate() {
        let Ok(request) = ActionRequest::from_json(&test.action) else {
            continue;
        };
        let stamp = DecisionStamp::sequential(n as u64, "2026-01-01T00:00:00.000Z");
        let options = DecideOptions {
            mode: test.mode,
            workspace: None,
            mcp_registry: None,
        };
        if let Ok(decision) = decide(compiled, &request, &options, stamp) {
            for m in decision.matched_rules {
                if let Some(p) = m.pattern {
                    hit_patterns.insert((m.rule_id.clone(), p));
                }
                hit_rules.insert(m.rule_id);
            }
        }
    }
    for rule in &own.rules {
        if !hit_rules.contains(&rule.id) {
            out.push(
                Diagnostic::warning(format!("no test exercises rule `{}`", rule.id), "/rules")
                    .in_file(&rule.source.to_string()),
            );
        }
    }
    let section_lists: [(&str, &Vec<Pattern>); 7] = [
        ("filesystem.read.block", &own.filesystem.block_read),
        (
            "filesystem.read.require_approval",
            &own.filesystem.require_approval_read,
        ),
        ("filesystem.write.block", &own.filesystem.block_write),
        (
            "filesystem.write.require_approval",
            &own.filesystem.require_approval_write,
        ),
        ("commands.block", &own.commands.block),
        ("commands.require_approval", &own.commands.require_approval),
        ("commands.allow", &own.commands.allow),
    ];
    for (rule_id, list) in section_lists {
        for pattern in list.iter().filter(|p| !p.text.starts_with('!')) {
            if !hit_patterns.contains(&(rule_id.to_string(), pattern.text.clone())) {
                out.push(at(
                    Diagnostic::warning(
                        format!("no test exercises `{}` in {rule_id}", pattern.text),
                        "",
                    ),
                    pattern,
                ));
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::single_star_crossing;

    #[test]
    fn warns_only_where_the_meaning_changed() {
        for (pattern, warns) in [
            ("src/*.key", true),
            ("config/*/secrets.yaml", true),
            ("*.pem", false),
            ("**/prod/**/*.tfvars", false),
            ("**/clusters/prod*/**", false),
            ("src/**/*.key", false),
            ("iam/**", false),
        ] {
            assert_eq!(single_star_crossing(pattern).is_some(), warns, "{pattern}");
        }
    }
}
