use super::*;
use crate::policy::diagnostic::Level;
use crate::policy::source::parse_document;
use serde_json::json;

fn check(text: &str) -> Vec<Diagnostic> {
    match parse_document(text) {
        Ok(doc) => validate(&doc),
        Err(err) => panic!("the test input does not parse: {err}\n{text}"),
    }
}

/// Uses every section and every field of the language.
const FULL: &str = r#"# yaml-language-server: $schema=https://cavra.dev/schemas/policy.schema.json
metadata:
  id: cavra-full-example
  title: Every section
  description: Exercises the whole language.
  version: "1.2.0"
  inherits: [cavra-ai-agent-baseline, cavra-secrets]
  mode: strict_regulated
  owner: platform-security
filesystem:
  block_read: [.env, "**/*.pem"]
  require_approval_read: ["config/prod/**"]
  block_write: [".github/workflows/**", "!.github/workflows/ci.yml"]
  require_approval_write: ["iam/**"]
  allow_write: ["src/**"]
  allow_read: ["**"]
  case_sensitive: false
commands:
  block: ["rm -rf /*", "terraform apply*"]
  require_approval: ["kubectl apply*--context*prod*"]
  allow: ["cargo test*", "git status"]
  default: requires_approval
git:
  protected_branches: [main, "release/*"]
  block_direct_push_to_protected_branch: true
  block_force_push: true
  block_protected_branch_deletion: true
  require_pull_request: true
  require_ai_attestation: false
mcp:
  block_unknown_servers: true
  allowed_servers: [github, "internal-*"]
  blocked_servers: ["shell-*"]
  risk_scoring: {github: medium, filesystem: high, payments: critical, docs: low}
network:
  allow_domains: ["*.github.com", docs.rs]
  block_domains: ["pastebin.com"]
  default: require_approval
rules:
  - id: prod-kubectl
    action: command
    match:
      commands: ["kubectl *"]
      environments: production
      agents: ["claude-*", "codex-*"]
    decision: block
    severity: critical
    reason: Production cluster changes need a human.
    approvers: Platform Security
    controls: ["SOC2 CC8.1", "ISO27001 A.8.32"]
    description: Agents never touch production clusters.
  - id: every-match-key
    action: any
    match:
      paths: ["**/*.tf"]
      operations: [push, force_push]
      branches: main
      servers: [github]
      tools: ["create_*"]
      capabilities: [repository]
      domains: ["*.internal"]
    decision: deny
  - {id: attest-prs, action: pull_request, decision: allow_with_attestation}
  - {id: reads, action: file_read, decision: allow}
  - {id: writes, action: file_write, decision: require_approval}
  - {id: pushes, action: git, decision: block}
  - {id: tools, action: mcp_tool_call, decision: allow}
  - {id: web, action: network, decision: block}
tests:
  - name: secrets stay out of agent context
    action: {type: file_read, path: config/.env}
    expect: block
    rule: filesystem.read.block
  - name: audit mode lets everything through
    action: {type: command, command: terraform apply}
    expect: allow
    mode: audit_only
controls:
  filesystem.read.block: ["SOC2 CC6.1"]
  commands.block: ["SOC2 CC8.1", "ISO27001 A.8.32"]
compliance:
  maps_to: [SOC2, ISO27001]
  frameworks: {soc2: "2017"}
approvals:
  channel: security-approvals
  timeout_minutes: 60
evidence:
  retention_days: 2555
  classification: regulated-sdlc
"#;

/// The shape of the CAVRA Community packs this engine must keep loading.
const OLDER_COMMUNITY_PACK: &str = r#"metadata:
  id: cavra-ai-agent-baseline
  title: AI Agent Baseline
  version: "0.3.1"
  author: CAVRA Community
  license: Apache-2.0
  tags: [baseline, secrets]
filesystem:
  block_read:
    - .env
    - "**/.env"
    - "**/*.pem"
    - "**/id_rsa*"
  block_write:
    - ".github/workflows/*"
    - "terraform/*.tfstate"
  require_approval_write:
    - "iam/**"
    - "Dockerfile"
commands:
  block:
    - "rm -rf /*"
    - "curl * | sh"
  allow:
    - "npm test"
    - "cargo build*"
git:
  protected_branches: [main, master]
  block_direct_push_to_protected_branch: true
  block_force_push: true
  require_signed_commits: true
  block_history_rewrite: true
mcp:
  block_unknown_servers: true
  allowed_servers: [github]
  registry_url: https://example.invalid/mcp
notes: |
  Starter pack; review before production use.
changelog:
  - 0.3.1 tightened secrets
"#;

#[test]
fn the_embedded_schema_compiles_and_is_draft_2020_12() {
    assert!(compiled().is_ok(), "{:?}", compiled().err());
    let schema: Value = serde_json::from_str(POLICY_SCHEMA_JSON).expect("schema is json");
    assert_eq!(
        schema["$schema"],
        "https://json-schema.org/draft/2020-12/schema"
    );
    assert_eq!(
        schema["$id"],
        "https://cavra.dev/schemas/policy.schema.json"
    );
    let root_keys = [
        "metadata",
        "filesystem",
        "commands",
        "git",
        "mcp",
        "network",
        "rules",
        "tests",
        "compliance",
        "approvals",
        "evidence",
        "controls",
    ];
    for key in root_keys {
        let property = &schema["properties"][key];
        assert!(
            property.is_object(),
            "root key {key} missing from the schema"
        );
        assert!(
            property["description"].is_string(),
            "root key {key} has no description"
        );
    }
}

#[test]
fn every_property_has_help_for_editors() {
    // Editors show `description`; a property without one shows nothing.
    fn walk(schema: &Value, path: &str, missing: &mut Vec<String>) {
        if let Some(properties) = schema.get("properties").and_then(Value::as_object) {
            for (key, property) in properties {
                let here = format!("{path}/{key}");
                if property.get("description").is_none() && property.get("title").is_none() {
                    missing.push(here.clone());
                }
                walk(property, &here, missing);
            }
        }
        for nested in ["items", "additionalProperties"] {
            if let Some(child) = schema.get(nested).filter(|c| c.is_object()) {
                walk(child, &format!("{path}/{nested}"), missing);
            }
        }
        if let Some(defs) = schema.get("$defs").and_then(Value::as_object) {
            for (name, def) in defs {
                walk(def, &format!("#/$defs/{name}"), missing);
            }
        }
    }
    let schema: Value = serde_json::from_str(POLICY_SCHEMA_JSON).expect("schema is json");
    let mut missing = Vec::new();
    walk(&schema, "", &mut missing);
    assert!(missing.is_empty(), "properties without help: {missing:?}");
}

#[test]
fn valid_policies_have_no_diagnostics() {
    let cases: &[(&str, &str)] = &[
        ("full example", FULL),
        ("older community pack", OLDER_COMMUNITY_PACK),
        ("minimal", "metadata: {id: x, title: X, version: \"1\"}\n"),
        ("json", r#"{"metadata": {"id": "x", "title": "X", "version": "1"}, "rules": []}"#),
        ("inherits as a string", "metadata: {id: x, title: X, version: \"1\", inherits: base}\n"),
        ("empty sections", "metadata: {id: x, title: X, version: \"1\"}\nfilesystem: {}\ncommands: {}\nrules: []\n"),
        ("id with dots", "metadata: {id: acme.prod_v2-x, title: X, version: \"1\"}\n"),
    ];
    for &(name, text) in cases {
        let diagnostics = check(text);
        assert!(
            diagnostics.is_empty(),
            "{name}:\n{}",
            crate::policy::diagnostic::render(&diagnostics)
        );
    }
}

const META: &str = "metadata:\n  id: demo\n  title: Demo\n  version: \"1\"\n";

/// One schema error: (name, yaml after the metadata block (line 5 on), or a
/// whole document when it starts with `metadata`; expected message; path;
/// line; column; a fragment of the help, "" for none).
type Case = (
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    usize,
    usize,
    &'static str,
);

#[test]
fn schema_errors_are_explained_where_they_are() {
    let cases: &[Case] = &[
        // Unknown keys in closed sections, at the key.
        ("filesystem typo", "filesystem:\n  block_raed: [.env]\n",
         "unknown key `block_raed` in `filesystem`", "/filesystem/block_raed", 6, 3, "did you mean `block_read`?"),
        ("filesystem dash", "filesystem:\n  block-write: [x]\n",
         "unknown key `block-write` in `filesystem`", "/filesystem/block-write", 6, 3, "did you mean `block_write`?"),
        ("commands typo", "commands:\n  allow: []\n  requires_approval: [x]\n",
         "unknown key `requires_approval` in `commands`", "/commands/requires_approval", 7, 3, "did you mean `require_approval`?"),
        ("network typo", "network: {allow_domain: [x]}\n",
         "unknown key `allow_domain` in `network`", "/network/allow_domain", 5, 11, "did you mean `allow_domains`?"),
        ("rule typo", "rules:\n  - id: r\n    action: command\n    decison: block\n",
         "unknown key `decison` in `rules[0]`", "/rules/0/decison", 8, 5, "did you mean `decision`?"),
        ("match typo", "rules:\n  - id: r\n    action: git\n    decision: block\n    match:\n      branch: main\n",
         "unknown key `branch` in `rules[0].match`", "/rules/0/match/branch", 10, 7, "did you mean `branches`?"),
        ("test typo", "tests:\n  - name: t\n    action: {type: git}\n    expected: block\n    expect: block\n",
         "unknown key `expected` in `tests[0]`", "/tests/0/expected", 8, 5, "did you mean `expect`?"),
        ("unrelated key lists the known ones", "filesystem:\n  secrets: [x]\n",
         "unknown key `secrets` in `filesystem`", "/filesystem/secrets", 6, 3, "known keys: `block_read`"),
        // metadata.version read as a number.
        ("version float", "metadata:\n  id: demo\n  title: Demo\n  version: 1.2\n",
         "`metadata.version` must be a string", "/metadata/version", 4, 12, "quote it: version: \"1.2\""),
        ("version as written", "metadata:\n  id: demo\n  title: Demo\n  version: 1.10\n",
         "`metadata.version` must be a string", "/metadata/version", 4, 12, "quote it: version: \"1.10\""),
        ("version left empty", "metadata:\n  id: demo\n  title: Demo\n  version:\n",
         "`metadata.version` must be a string, found nothing (null)", "/metadata/version", 4, 3, "give it a value"),
        ("optional value left empty", "rules:\n  - {id: r, action: any, decision: block, reason: }\n",
         "`rules[0].reason` must be a string, found nothing (null)", "/rules/0/reason", 6, 43, "or remove the key"),
        ("version integer", "metadata: {id: demo, title: Demo, version: 2}\n",
         "`metadata.version` must be a string", "/metadata/version", 1, 44, "quote it: version: \"2\""),
        // Required keys, at the key of the mapping that lacks them.
        ("no metadata", "filesystem: {}\n",
         "missing required key `metadata`", "", 1, 1, "add a `metadata:` section"),
        ("no version", "metadata:\n  id: demo\n  title: Demo\n",
         "missing required key `version` in `metadata`", "/metadata", 1, 1, "version: \"1.0.0\""),
        ("no decision", "rules:\n  - id: r\n    action: command\n",
         "missing required key `decision` in `rules[0]`", "/rules/0", 6, 5, ""),
        ("test without action type", "tests:\n  - name: t\n    action: {path: x}\n    expect: block\n",
         "missing required key `type` in `tests[0].action`", "/tests/0/action", 7, 5, ""),
        // Formats of metadata.
        ("bad id", "metadata:\n  id: My Pack\n  title: Demo\n  version: \"1\"\n",
         "`metadata.id` must be lowercase letters, digits, `.`, `_` and `-`, starting with a letter or digit; found `My Pack`",
         "/metadata/id", 2, 7, "for example `my-pack`"),
        ("empty title", "metadata:\n  id: demo\n  title: \"\"\n  version: \"1\"\n",
         "`metadata.title` must not be empty", "/metadata/title", 3, 10, ""),
        // Wrong types say expected and found.
        ("list given a string", "filesystem:\n  block_read: .env\n",
         "`filesystem.block_read` must be a list of strings, found a string (`.env`)", "/filesystem/block_read", 6, 15,
         "write a list: block_read: [\".env\"]"),
        ("list left empty", "filesystem:\n  block_write:\n",
         "`filesystem.block_write` must be a list of strings, found nothing (null)", "/filesystem/block_write", 6, 3,
         "write `[]` for an empty list"),
        ("list item a number", "commands:\n  allow: [ls, 42]\n",
         "`commands.allow[1]` must be a string, found a number (`42`)", "/commands/allow/1", 6, 15, "quote it: \"42\""),
        ("boolean given yes", "git:\n  block_force_push: yes\n",
         "`git.block_force_push` must be true or false, found a string (`yes`)", "/git/block_force_push", 6, 21,
         "yaml 1.2 reads `yes` as text; write `block_force_push: true`"),
        ("boolean given a quoted true", "filesystem: {case_sensitive: \"true\"}\n",
         "`filesystem.case_sensitive` must be true or false, found a string (`true`)", "/filesystem/case_sensitive", 5, 30,
         "remove the quotes"),
        ("integer quoted", "evidence:\n  retention_days: \"30\"\n",
         "`evidence.retention_days` must be a whole number, found a string (`30`)", "/evidence/retention_days", 6, 19,
         "remove the quotes: retention_days: 30"),
        ("integer too small", "evidence:\n  retention_days: 0\n",
         "`evidence.retention_days` must be at least 1; found a number (`0`)", "/evidence/retention_days", 6, 19, ""),
        ("integer given a fraction", "evidence:\n  retention_days: 1.5\n",
         "`evidence.retention_days` must be a whole number, found a number (`1.5`)", "/evidence/retention_days", 6, 19, ""),
        ("section not a mapping", "filesystem: [.env]\n",
         "`filesystem` must be a mapping, found a list", "/filesystem", 5, 13, ""),
        ("rules not a list", "rules:\n  id: r\n",
         "`rules` must be a list, found a mapping", "/rules", 6, 3, ""),
        ("inherits a number", "metadata: {id: demo, title: Demo, version: \"1\", inherits: 5}\n",
         "`metadata.inherits` must be a string or a list of strings, found a number (`5`)", "/metadata/inherits", 1, 59, ""),
        ("match value a number", "rules:\n  - {id: r, action: any, decision: block, match: {paths: 3}}\n",
         "`rules[0].match.paths` must be a string or a list of strings, found a number (`3`)", "/rules/0/match/paths", 6, 58, ""),
        ("control list a string", "controls:\n  filesystem.read.block: SOC2 CC6.1\n",
         "`controls[\"filesystem.read.block\"]` must be a list of strings, found a string (`SOC2 CC6.1`)",
         "/controls/filesystem.read.block", 6, 26, "write a list"),
        // Bad enums list the allowed values.
        ("bad decision", "rules:\n  - id: r\n    action: command\n    decision: blok\n",
         "`rules[0].decision` must be one of `block`, `require_approval`, `allow_with_attestation`, `allow`, `deny`, `requires_approval`; found a string (`blok`)",
         "/rules/0/decision", 8, 15, "did you mean `block`?"),
        ("bad action", "rules:\n  - {id: r, action: shell, decision: block}\n",
         "`rules[0].action` must be one of `file_read`, `file_write`, `command`, `git`, `mcp_tool_call`, `network`, `pull_request`, `any`; found a string (`shell`)",
         "/rules/0/action", 6, 21, ""),
        ("bad mode", "metadata: {id: demo, title: Demo, version: \"1\", mode: enforcing}\n",
         "`metadata.mode` must be one of `enforce`, `audit_only`, `strict`, `strict_regulated`, `break_glass`; found a string (`enforcing`)",
         "/metadata/mode", 1, 55, "did you mean `enforce`?"),
        ("bad default", "commands: {default: ask}\n",
         "`commands.default` must be one of", "/commands/default", 5, 21, ""),
        ("bad network default", "network: {default: maybe}\n",
         "`network.default` must be one of", "/network/default", 5, 20, ""),
        ("bad severity", "rules:\n  - {id: r, action: any, decision: block, severity: severe}\n",
         "`rules[0].severity` must be one of `low`, `medium`, `high`, `critical`; found a string (`severe`)", "/rules/0/severity", 6, 53, ""),
        ("bad risk score", "mcp:\n  risk_scoring: {github: extreme}\n",
         "`mcp.risk_scoring.github` must be one of `low`, `medium`, `high`, `critical`", "/mcp/risk_scoring/github", 6, 26, ""),
        ("bad test expectation", "tests:\n  - {name: t, action: {type: git}, expect: denied}\n",
         "`tests[0].expect` must be one of", "/tests/0/expect", 6, 44, ""),
        ("bad test action type", "tests:\n  - {name: t, action: {type: read_file}, expect: block}\n",
         "`tests[0].action.type` must be one of `file_read`", "/tests/0/action/type", 6, 30, ""),
        ("bad test mode", "tests:\n  - {name: t, action: {type: git}, expect: block, mode: shadow}\n",
         "`tests[0].mode` must be one of", "/tests/0/mode", 6, 57, ""),
    ];
    let mut failures = Vec::new();
    for &(name, body, message, path, line, column, help) in cases {
        let text = if body.starts_with("metadata") || body.starts_with("filesystem: {}") {
            body.to_string()
        } else {
            format!("{META}{body}")
        };
        let diagnostics = check(&text);
        let rendered = crate::policy::diagnostic::render(&diagnostics);
        let Some(found) = diagnostics.iter().find(|d| d.message.starts_with(message)) else {
            failures.push(format!(
                "{name}: no diagnostic starting {message:?}; got:\n{rendered}"
            ));
            continue;
        };
        let found_help = found.help.clone().unwrap_or_default();
        let problems = [
            (
                diagnostics.len() != 1,
                format!("one diagnostic expected, got:\n{rendered}"),
            ),
            (found.level != Level::Error, "not an error".to_string()),
            (
                found.path != path,
                format!("path {:?}, expected {path:?}", found.path),
            ),
            (
                (found.line, found.column) != (Some(line), Some(column)),
                format!(
                    "at {:?}:{:?}, expected {line}:{column}",
                    found.line, found.column
                ),
            ),
            (
                !found_help.contains(help),
                format!("help {found_help:?} lacks {help:?}"),
            ),
        ];
        for (failed, problem) in problems {
            if failed {
                failures.push(format!("{name}: {problem}"));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn every_error_is_reported_sorted_by_position() {
    let text = "\
metadata:
  id: Demo Pack
  title: Demo
  version: 1.0
rules:
  - id: r
    action: command
    decision: nope
filesystem:
  block_raed: []
  block_write: x
";
    let diagnostics = check(text);
    let summary: Vec<(usize, &str)> = diagnostics
        .iter()
        .map(|d| (d.line.unwrap_or(0), d.path.as_str()))
        .collect();
    assert_eq!(
        summary,
        [
            (2, "/metadata/id"),
            (4, "/metadata/version"),
            (8, "/rules/0/decision"),
            (10, "/filesystem/block_raed"),
            (11, "/filesystem/block_write"),
        ]
    );
}

#[test]
fn json_policies_report_positions_too() {
    let text = "{\n  \"metadata\": {\"id\": \"x\", \"title\": \"X\", \"version\": 1},\n  \"filesystem\": {\"block_raed\": []}\n}\n";
    let diagnostics = check(text);
    let positions: Vec<(&str, Option<usize>, Option<usize>)> = diagnostics
        .iter()
        .map(|d| (d.path.as_str(), d.line, d.column))
        .collect();
    assert_eq!(
        positions,
        [
            ("/metadata/version", Some(2), Some(52)),
            ("/filesystem/block_raed", Some(3), Some(18)),
        ]
    );
}

#[test]
fn likely_typos_in_open_sections_are_warnings() {
    // (name, yaml after the metadata block, path, line, help)
    let cases: &[(&str, &str, &str, usize, &str)] = &[
        (
            "root",
            "filesytem:\n  block_read: [.env]\n",
            "/filesytem",
            5,
            "did you mean `filesystem`?",
        ),
        (
            "root plural",
            "rule:\n  - {id: r}\n",
            "/rule",
            5,
            "did you mean `rules`?",
        ),
        (
            "git",
            "git:\n  block_force_pushes: true\n",
            "/git/block_force_pushes",
            6,
            "did you mean `block_force_push`?",
        ),
        (
            "mcp",
            "mcp:\n  allowed_server: [x]\n",
            "/mcp/allowed_server",
            6,
            "did you mean `allowed_servers`?",
        ),
        (
            "evidence",
            "evidence:\n  retention: 30\n",
            "/evidence/retention",
            6,
            "did you mean `retention_days`?",
        ),
    ];
    for &(name, body, path, line, help) in cases {
        let diagnostics = check(&format!("{META}{body}"));
        let Some(found) = diagnostics.iter().find(|d| d.path == path) else {
            panic!("{name}: nothing at {path}: {diagnostics:?}");
        };
        assert_eq!(found.level, Level::Warning, "{name}");
        assert_eq!(found.line, Some(line), "{name}");
        assert_eq!(found.help.as_deref(), Some(help), "{name}");
        assert!(
            found.message.ends_with("is ignored"),
            "{name}: {}",
            found.message
        );
    }
    // Keys far from any known key are simply extra.
    let quiet = check(&format!(
        "{META}notes: x\nowners: [a]\ngit:\n  require_signed_commits: true\n"
    ));
    assert!(quiet.is_empty(), "{quiet:?}");
}

#[test]
fn documents_without_positions_still_validate() {
    let doc =
        SourceDocument::from_value(json!({"metadata": {"id": "x", "title": "X", "version": 3}}));
    let diagnostics = validate(&doc);
    assert_eq!(diagnostics.len(), 1);
    assert_eq!(diagnostics[0].path, "/metadata/version");
    assert_eq!(diagnostics[0].line, None);
    assert_eq!(
        diagnostics[0].help.as_deref(),
        Some("quote it: version: \"3\"")
    );
}

#[test]
fn suggestions() {
    let known = [
        "block_read",
        "block_write",
        "require_approval_read",
        "allow_write",
        "case_sensitive",
    ];
    let cases: &[(&str, Option<&str>)] = &[
        ("block_raed", Some("block_read")),
        ("Block_Read", Some("block_read")),
        ("block-write", Some("block_write")),
        ("blockread", Some("block_read")),
        ("allow_writes", Some("allow_write")),
        ("case", Some("case_sensitive")),
        ("block", None),
        ("secrets", None),
        ("", None),
    ];
    for &(word, expected) in cases {
        assert_eq!(suggest(word, &known), expected, "{word}");
    }
    let loose: &[(&str, Option<&str>)] = &[
        ("enforcing", Some("enforce")),
        ("case_insensitive", Some("case_sensitive")),
        ("block_reads", Some("block_read")),
        ("block_everything", None),
        ("all", None),
    ];
    let known = [
        "enforce",
        "audit_only",
        "block_read",
        "block_write",
        "case_sensitive",
    ];
    for &(word, expected) in loose {
        assert_eq!(suggest_loosely(word, &known), expected, "{word}");
    }
}

#[test]
fn edit_distances() {
    let cases: &[(&str, &str, usize)] = &[
        ("", "", 0),
        ("abc", "", 3),
        ("", "abc", 3),
        ("read", "raed", 1),
        ("kitten", "sitting", 3),
        ("block_read", "block_write", 4),
        ("héllo", "hello", 1),
    ];
    for &(a, b, distance) in cases {
        assert_eq!(edit_distance(a, b), distance, "{a} -> {b}");
        assert_eq!(edit_distance(b, a), distance, "{b} -> {a}");
    }
}

#[test]
fn slugs() {
    let cases: &[(&str, &str)] = &[
        ("My Pack", "my-pack"),
        ("  -Acme Prod!  ", "acme-prod"),
        ("ok.id_1", "ok.id_1"),
        ("???", ""),
    ];
    for &(text, slug) in cases {
        assert_eq!(slugify(text), slug, "{text}");
    }
}
