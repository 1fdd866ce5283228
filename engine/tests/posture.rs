//! The posture assessment: the baseline pack scores well, a permissive
//! policy gets the findings that say why, signing and mode options change
//! the findings, the session shows up, and bad input is an error.

use cavra::api::{self, Session};
use cavra::DecisionStamp;
use serde_json::Value;

const TIME: &str = "2026-11-25T10:00:00.000Z";

/// The seven actions of the "Before the agent acts" scenario.
const SAMPLE: [&str; 7] = [
    r#"{"type":"file_read","path":".env"}"#,
    r#"{"type":"file_write","path":"iam/admin-role.tf"}"#,
    r#"{"type":"command","command":"terraform plan"}"#,
    r#"{"type":"command","command":"terraform apply -auto-approve"}"#,
    r#"{"type":"mcp_tool_call","server":"unknown-filesystem","tool":"read_file","capability":"filesystem"}"#,
    r#"{"type":"git","operation":"push","remote":"origin","branch":"main"}"#,
    r#"{"type":"pull_request","title":"Add payment retry logic"}"#,
];

const PERMISSIVE: &str = r#"
metadata:
  id: permissive
  title: Lets everything through
  version: "1"
commands:
  allow: ["*"]
  default: allow
network:
  default: allow
mcp:
  block_unknown_servers: false
git:
  block_force_push: false
"#;

fn posture(policy: &str, decisions: &str, options: &str) -> Value {
    let text = api::posture(policy, decisions, options).expect("posture");
    serde_json::from_str(&text).expect("posture is JSON")
}

fn session_log(policy: &str, options: &str) -> String {
    let mut session = Session::new(policy, options).expect("session");
    for (n, action) in SAMPLE.iter().enumerate() {
        session
            .evaluate(action, DecisionStamp::sequential(n as u64 + 1, TIME))
            .expect("decides");
    }
    session.log()
}

fn finding_ids(report: &Value) -> Vec<String> {
    report["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .map(|f| f["id"].as_str().expect("id").to_string())
        .collect()
}

fn kind<'a>(report: &'a Value, name: &str) -> &'a Value {
    report["governed"]
        .as_array()
        .expect("governed")
        .iter()
        .find(|k| k["kind"] == name)
        .expect("kind listed")
}

#[test]
fn the_baseline_pack_scores_an_a_and_governs_every_kind() {
    let report = posture(
        "cavra-ai-agent-baseline",
        "",
        r#"{"sign":"ed25519","retentionDays":2555,"mode":"enforce"}"#,
    );
    assert_eq!(report["score"], 100, "{report:#}");
    assert_eq!(report["grade"], "A");
    assert_eq!(report["governed"].as_array().expect("kinds").len(), 7);
    for k in report["governed"].as_array().expect("kinds") {
        assert_eq!(k["governed"], true, "{k}");
    }
    assert_eq!(report["mcp"]["unknown_server_verdict"], "block");
    assert!(report["mcp"]["trusted_servers"]
        .as_array()
        .expect("trusted")
        .contains(&Value::from("github")));
    assert_eq!(report["signing"]["strength"], "strong");
    assert_eq!(report["retention"]["meets"], true);
    assert!(!finding_ids(&report).contains(&"mcp.unknown_allowed".to_string()));
}

#[test]
fn a_permissive_policy_gets_the_findings_that_say_why() {
    let report = posture(PERMISSIVE, "", r#"{"sign":"ed25519"}"#);
    let ids = finding_ids(&report);
    for id in [
        "coverage.file_read",
        "coverage.file_write",
        "coverage.network",
        "mcp.unknown_allowed",
        "commands.default_allow",
        "git.force_push_allowed",
    ] {
        assert!(ids.contains(&id.to_string()), "missing {id} in {ids:?}");
    }
    assert_eq!(kind(&report, "network")["governed"], false);
    assert_eq!(kind(&report, "command")["governed"], true);
    assert_eq!(report["mcp"]["unknown_server_verdict"], "allow");
    assert_eq!(report["grade"], "F");
    let severities: Vec<&str> = report["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .map(|f| f["severity"].as_str().expect("severity"))
        .collect();
    assert_eq!(
        severities.first(),
        Some(&"high"),
        "most severe first: {severities:?}"
    );
    for f in report["findings"].as_array().expect("findings") {
        assert!(!f["remediation"].as_str().expect("remediation").is_empty());
    }
}

#[test]
fn digest_only_signing_and_short_retention_are_findings() {
    let report = posture(
        "cavra-ai-agent-baseline",
        "",
        r#"{"sign":"sha256","retentionDays":365}"#,
    );
    let ids = finding_ids(&report);
    assert!(ids.contains(&"signing.digest_only".to_string()), "{ids:?}");
    assert!(ids.contains(&"retention.short".to_string()), "{ids:?}");
    assert_eq!(report["signing"]["strength"], "weak");
    assert_eq!(report["retention"]["meets"], false);
    assert!(report["score"].as_u64().expect("score") < 100);

    let unsigned = posture("cavra-ai-agent-baseline", "", r#"{"sign":null}"#);
    assert_eq!(unsigned["signing"]["strength"], "none");
    assert!(finding_ids(&unsigned).contains(&"signing.none".to_string()));
}

#[test]
fn audit_only_mode_says_nothing_is_enforced() {
    let log = session_log("cavra-ai-agent-baseline", r#"{"mode":"audit_only"}"#);
    let report = posture(
        "cavra-ai-agent-baseline",
        &log,
        r#"{"sign":"ed25519","mode":"audit_only"}"#,
    );
    let ids = finding_ids(&report);
    assert_eq!(ids.first().map(String::as_str), Some("mode.audit_only"));
    assert!(ids.contains(&"session.not_enforced".to_string()), "{ids:?}");
    assert_eq!(report["mode"], "audit_only");
    assert_eq!(
        report["session"]["not_enforced"], 5,
        "4 blocks and 1 approval went ahead"
    );
    assert_eq!(report["grade"], "F");
}

#[test]
fn the_session_counts_verdicts_and_blocked_secret_reads() {
    let log = session_log("cavra-ai-agent-baseline", "{}");
    let report = posture("cavra-ai-agent-baseline", &log, r#"{"sign":"ed25519"}"#);
    let session = &report["session"];
    assert_eq!(session["decisions"], 7);
    assert_eq!(session["blocked"], 4);
    assert_eq!(session["require_approval"], 1);
    assert_eq!(session["allowed"], 1);
    assert_eq!(session["attested"], 1);
    assert_eq!(session["blocked_secret_reads"], 1);
    assert_eq!(report["mcp"]["session_calls"], 1);
    assert_eq!(report["mcp"]["session_untrusted_calls"], 1);
    let ids = finding_ids(&report);
    assert_eq!(ids, vec!["session.secret_reads".to_string()]);
    assert_eq!(report["grade"], "A");
}

#[test]
fn bad_input_is_an_error_not_a_panic() {
    assert!(api::posture("metadata: [not, a, mapping", "", "{}").is_err());
    assert!(api::posture("cavra-ai-agent-baseline", "{}", "{}").is_err());
    assert!(api::posture("cavra-ai-agent-baseline", "", r#"{"sign":"md5"}"#).is_err());
    assert!(api::posture("cavra-ai-agent-baseline", "", r#"{"mode":"yolo"}"#).is_err());
    assert!(api::posture("cavra-ai-agent-baseline", "", r#"{"retentionDays":0}"#).is_err());
    assert!(api::posture("cavra-ai-agent-baseline", "", "[]").is_err());
}
