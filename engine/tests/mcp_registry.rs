//! The MCP trust registry refines verdicts for servers the policy allows,
//! in the documented order, and never loosens a policy block.

use cavra::policy::mcp_registry::McpRegistry;
use cavra::{
    decide, ActionRequest, CompiledPolicy, DecideOptions, DecisionStamp, Library, Verdict,
};
use std::sync::Arc;

const REGISTRY: &str = r#"[
  {"server_id": "github", "trust_tier": "trusted", "approval_state": "approved",
   "allowed_tools": ["create_issue", "list_issues"], "capabilities": ["repository"], "owner": "platform"},
  {"server_id": "filesystem-readonly", "trust_tier": "experimental", "approval_state": "approved"},
  {"server_id": "cavra", "name": "CAVRA", "trust_tier": "approved", "approval_state": "pending"}
]"#;

fn verdict(
    registry: Option<&str>,
    server: &str,
    tool: &str,
    capability: Option<&str>,
) -> (Verdict, String, Option<String>) {
    let policy = Library::embedded()
        .load_pack("cavra-ai-agent-baseline")
        .expect("loads");
    let policy = CompiledPolicy::compile(&policy).expect("compiles");
    let options = DecideOptions {
        mcp_registry: registry
            .map(|r| Arc::new(McpRegistry::from_json_str(r).expect("registry parses"))),
        ..DecideOptions::default()
    };
    let mut action = serde_json::json!({"type": "mcp_tool_call", "server": server, "tool": tool});
    if let Some(c) = capability {
        action["capability"] = c.into();
    }
    let request = ActionRequest::from_json(&action).expect("action");
    let d = decide(
        &policy,
        &request,
        &options,
        DecisionStamp::sequential(1, "t"),
    )
    .expect("decides");
    (d.decision, d.rule_id, d.approver_group)
}

#[test]
fn registry_refines_allowed_servers_in_order() {
    let cases: &[(&str, &str, Option<&str>, Verdict, &str)] = &[
        (
            "github",
            "create_issue",
            Some("repository"),
            Verdict::Allow,
            "mcp.registry.allow",
        ),
        (
            "github",
            "search_code",
            Some("repository"),
            Verdict::RequireApproval,
            "mcp.registry.tool_scope",
        ),
        (
            "github",
            "list_issues",
            Some("admin"),
            Verdict::RequireApproval,
            "mcp.registry.capability_scope",
        ),
        (
            "filesystem-readonly",
            "read_file",
            None,
            Verdict::RequireApproval,
            "mcp.registry.requires_approval",
        ),
        (
            "cavra",
            "cavra.check_command",
            None,
            Verdict::RequireApproval,
            "mcp.registry.requires_approval",
        ),
        (
            "unknown-filesystem",
            "read_file",
            None,
            Verdict::Block,
            "mcp.server.trust.block_unknown",
        ),
    ];
    for (server, tool, capability, expected, rule) in cases {
        let (v, r, approver) = verdict(Some(REGISTRY), server, tool, *capability);
        assert_eq!((v, r.as_str()), (*expected, *rule), "{server}:{tool}");
        if v == Verdict::RequireApproval && r.starts_with("mcp.registry") {
            assert_eq!(approver.as_deref(), Some("AI Governance"));
        }
    }
}

#[test]
fn servers_missing_from_the_registry_or_blocked_there_are_blocked() {
    let only_github =
        r#"[{"server_id": "github", "trust_tier": "blocked", "approval_state": "approved"}]"#;
    assert_eq!(
        verdict(Some(only_github), "github", "create_issue", None).1,
        "mcp.registry.blocked"
    );
    assert_eq!(
        verdict(Some(only_github), "filesystem-readonly", "read_file", None).1,
        "mcp.registry.unknown"
    );
    let denied =
        r#"[{"server_id": "github", "trust_tier": "trusted", "approval_state": "denied"}]"#;
    assert_eq!(
        verdict(Some(denied), "github", "create_issue", None).0,
        Verdict::Block
    );
    // Without a registry, the policy alone decides.
    assert_eq!(verdict(None, "github", "anything", None).0, Verdict::Allow);
}

#[test]
fn bad_registries_are_clear_errors() {
    for (text, needle) in [
        ("{}", "list"),
        ("[{\"trust_tier\": \"trusted\"}]", "server_id"),
        (
            "[{\"server_id\": \"x\", \"trust_tier\": \"sort-of\"}]",
            "trust_tier",
        ),
        (
            "[{\"server_id\": \"x\", \"allowed_tools\": \"all\"}]",
            "allowed_tools",
        ),
        ("not json", "JSON"),
    ] {
        let err = McpRegistry::from_json_str(text)
            .expect_err(text)
            .to_string();
        assert!(err.contains(needle), "{text}: {err}");
    }
}

#[test]
fn the_cli_reads_the_registry() {
    let dir = std::env::temp_dir().join(format!("cavra-registry-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("dir");
    let file = dir.join("registry.json");
    std::fs::write(&file, REGISTRY).expect("write");
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_cavra"))
        .args([
            "check",
            "mcp",
            "github",
            "search_code",
            "--json",
            "--mcp-registry",
        ])
        .arg(&file)
        .current_dir(&dir)
        .env("NO_COLOR", "1")
        .output()
        .expect("runs");
    let d: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
    assert_eq!(d["rule_id"], "mcp.registry.tool_scope");
    assert_eq!(d["approver_group"], "AI Governance");
    let bad = dir.join("bad.json");
    std::fs::write(&bad, "{").expect("write");
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_cavra"))
        .args(["check", "mcp", "github", "x", "--mcp-registry"])
        .arg(&bad)
        .current_dir(&dir)
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(2));
}
