//! Writing a policy back out: the merged policy as JSON or YAML, in the
//! documented key order.
//!
//! `policy fmt`, `policy compile`, `policy show` and the policy digest all go
//! through [`to_value`], so the digest changes exactly when what the policy
//! says changes, not when comments or key order do.

use super::model::{Pattern, Policy, PolicyTest, Rule, RuleTarget};
use serde_json::{json, Map, Value};
use yaml_rust2::yaml::{Hash, Yaml};
use yaml_rust2::YamlEmitter;

fn patterns(list: &[Pattern]) -> Value {
    Value::Array(list.iter().map(|p| Value::String(p.text.clone())).collect())
}

fn put_list(map: &mut Map<String, Value>, key: &str, list: &[Pattern]) {
    if !list.is_empty() {
        map.insert(key.to_string(), patterns(list));
    }
}

fn put<T: Into<Value>>(map: &mut Map<String, Value>, key: &str, value: Option<T>) {
    if let Some(value) = value {
        map.insert(key.to_string(), value.into());
    }
}

fn put_section(root: &mut Map<String, Value>, key: &str, section: Map<String, Value>) {
    if !section.is_empty() {
        root.insert(key.to_string(), Value::Object(section));
    }
}

/// The policy as a JSON value, keys in the documented order, empty sections
/// left out.
pub fn to_value(policy: &Policy) -> Value {
    let mut root = Map::new();
    let md = &policy.metadata;
    let mut metadata = Map::new();
    metadata.insert("id".into(), md.id.clone().into());
    metadata.insert("title".into(), md.title.clone().into());
    put(&mut metadata, "description", md.description.clone());
    metadata.insert("version".into(), md.version.clone().into());
    if !md.inherits.is_empty() {
        metadata.insert("inherits".into(), json!(md.inherits));
    }
    put(&mut metadata, "mode", md.mode.map(|m| m.as_str()));
    for (key, value) in &md.extra {
        metadata.insert(key.clone(), value.clone());
    }
    root.insert("metadata".into(), Value::Object(metadata));

    let fs = &policy.filesystem;
    let mut section = Map::new();
    put_list(&mut section, "block_read", &fs.block_read);
    put_list(
        &mut section,
        "require_approval_read",
        &fs.require_approval_read,
    );
    put_list(&mut section, "allow_read", &fs.allow_read);
    put_list(&mut section, "block_write", &fs.block_write);
    put_list(
        &mut section,
        "require_approval_write",
        &fs.require_approval_write,
    );
    put_list(&mut section, "allow_write", &fs.allow_write);
    put(&mut section, "case_sensitive", fs.case_sensitive);
    put_section(&mut root, "filesystem", section);

    let cmd = &policy.commands;
    let mut section = Map::new();
    put_list(&mut section, "block", &cmd.block);
    put_list(&mut section, "require_approval", &cmd.require_approval);
    put_list(&mut section, "allow", &cmd.allow);
    put(&mut section, "default", cmd.default.map(|v| v.as_str()));
    put_section(&mut root, "commands", section);

    let git = &policy.git;
    let mut section = Map::new();
    put_list(&mut section, "protected_branches", &git.protected_branches);
    put(
        &mut section,
        "block_direct_push_to_protected_branch",
        git.block_direct_push,
    );
    put(&mut section, "block_force_push", git.block_force_push);
    put(
        &mut section,
        "block_protected_branch_deletion",
        git.block_protected_branch_deletion,
    );
    put(
        &mut section,
        "require_pull_request",
        git.require_pull_request,
    );
    put(
        &mut section,
        "require_ai_attestation",
        git.require_ai_attestation,
    );
    put_section(&mut root, "git", section);

    let mcp = &policy.mcp;
    let mut section = Map::new();
    put(
        &mut section,
        "block_unknown_servers",
        mcp.block_unknown_servers,
    );
    put_list(&mut section, "allowed_servers", &mcp.allowed_servers);
    put_list(&mut section, "blocked_servers", &mcp.blocked_servers);
    if !mcp.risk_scoring.is_empty() {
        let scoring: Map<String, Value> = mcp
            .risk_scoring
            .iter()
            .map(|(k, v)| (k.clone(), Value::String(v.as_str().into())))
            .collect();
        section.insert("risk_scoring".into(), Value::Object(scoring));
    }
    put_section(&mut root, "mcp", section);

    let net = &policy.network;
    let mut section = Map::new();
    put_list(&mut section, "allow_domains", &net.allow_domains);
    put_list(&mut section, "block_domains", &net.block_domains);
    put(&mut section, "default", net.default.map(|v| v.as_str()));
    put_section(&mut root, "network", section);

    if !policy.rules.is_empty() {
        root.insert(
            "rules".into(),
            Value::Array(policy.rules.iter().map(rule_value).collect()),
        );
    }
    if !policy.controls.is_empty() {
        root.insert("controls".into(), json!(policy.controls));
    }
    for (key, value) in &policy.extra {
        root.insert(key.clone(), value.clone());
    }
    if !policy.tests.is_empty() {
        root.insert(
            "tests".into(),
            Value::Array(policy.tests.iter().map(test_value).collect()),
        );
    }
    Value::Object(root)
}

fn rule_value(rule: &Rule) -> Value {
    let mut map = Map::new();
    map.insert("id".into(), rule.id.clone().into());
    let action = match rule.target {
        RuleTarget::Any => "any",
        RuleTarget::Kind(kind) => kind.policy_name(),
    };
    map.insert("action".into(), action.into());
    let m = &rule.matches;
    let mut matches = Map::new();
    put_list(&mut matches, "paths", &m.paths);
    put_list(&mut matches, "commands", &m.commands);
    put_list(&mut matches, "operations", &m.operations);
    put_list(&mut matches, "branches", &m.branches);
    put_list(&mut matches, "servers", &m.servers);
    put_list(&mut matches, "tools", &m.tools);
    put_list(&mut matches, "capabilities", &m.capabilities);
    put_list(&mut matches, "domains", &m.domains);
    put_list(&mut matches, "agents", &m.agents);
    put_list(&mut matches, "environments", &m.environments);
    if !matches.is_empty() {
        map.insert("match".into(), Value::Object(matches));
    }
    map.insert("decision".into(), rule.decision.as_str().into());
    put(&mut map, "severity", rule.severity.map(|s| s.as_str()));
    put(&mut map, "reason", rule.reason.clone());
    put(&mut map, "approvers", rule.approvers.clone());
    if !rule.controls.is_empty() {
        map.insert("controls".into(), json!(rule.controls));
    }
    put(&mut map, "description", rule.description.clone());
    Value::Object(map)
}

fn test_value(test: &PolicyTest) -> Value {
    let mut map = Map::new();
    map.insert("name".into(), test.name.clone().into());
    map.insert("action".into(), test.action.clone());
    map.insert("expect".into(), test.expect.as_str().into());
    put(&mut map, "rule", test.rule.clone());
    put(&mut map, "mode", test.mode.map(|m| m.as_str()));
    Value::Object(map)
}

fn to_yaml_node(value: &Value) -> Yaml {
    match value {
        Value::Null => Yaml::Null,
        Value::Bool(b) => Yaml::Boolean(*b),
        Value::Number(n) => match n.as_i64() {
            Some(i) => Yaml::Integer(i),
            None => Yaml::Real(n.to_string()),
        },
        Value::String(s) => Yaml::String(s.clone()),
        Value::Array(items) => Yaml::Array(items.iter().map(to_yaml_node).collect()),
        Value::Object(map) => {
            let mut hash = Hash::new();
            for (k, v) in map {
                hash.insert(Yaml::String(k.clone()), to_yaml_node(v));
            }
            Yaml::Hash(hash)
        }
    }
}

/// Renders a JSON value as a YAML document (block style, keys in order).
pub fn to_yaml(value: &Value) -> String {
    let mut out = String::new();
    let mut emitter = YamlEmitter::new(&mut out);
    emitter.multiline_strings(true);
    if emitter.dump(&to_yaml_node(value)).is_err() {
        // Emitting into a String cannot fail for formatting reasons; fall
        // back to JSON, which is valid YAML, rather than lose the policy.
        return serde_json::to_string_pretty(value).unwrap_or_default() + "\n";
    }
    let body = out.strip_prefix("---\n").unwrap_or(&out);
    format!("{body}\n")
}
