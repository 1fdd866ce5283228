//! Test fixtures for the evidence modules: real decisions from embedded
//! packs, with pinned ids and times, so every test works on what `decide`
//! actually produces rather than hand-written records.

use super::session_log::SessionLog;
use super::{BundleContext, PolicyRef};
use crate::{ActionRequest, CompiledPolicy, DecideOptions, Decision, DecisionStamp, Library, Mode};

/// The pinned creation time of test bundles.
pub(crate) const CREATED_AT: &str = "2026-11-25T10:00:00Z";

/// Decides each action (JSON text) under an embedded pack, stamping the
/// n-th decision `dec_00000000000n` at a pinned time.
pub(crate) fn decide_all(pack: &str, mode: Option<Mode>, actions: &[&str]) -> Vec<Decision> {
    let policy = Library::embedded()
        .load_pack(pack)
        .unwrap_or_else(|e| panic!("pack {pack}: {e:?}"));
    let policy =
        CompiledPolicy::compile(&policy).unwrap_or_else(|e| panic!("compile {pack}: {e:?}"));
    let options = DecideOptions {
        mode,
        ..DecideOptions::default()
    };
    actions
        .iter()
        .enumerate()
        .map(|(i, text)| {
            let request =
                ActionRequest::from_json_str(text).unwrap_or_else(|e| panic!("{text}: {e:?}"));
            let stamp = DecisionStamp::sequential(i as u64 + 1, "2026-11-25T09:59:00.250Z");
            crate::decide(&policy, &request, &options, stamp)
                .unwrap_or_else(|e| panic!("{text}: {e:?}"))
        })
        .collect()
}

/// A log holding `decisions` in order.
pub(crate) fn log_of(decisions: &[Decision]) -> SessionLog {
    let mut log = SessionLog::new();
    for decision in decisions {
        log.append(decision);
    }
    log
}

/// A bundle context for `decisions` (policy taken from the first one).
pub(crate) fn context(decisions: &[Decision]) -> BundleContext {
    let (id, version, digest) = decisions.first().map_or_else(
        || {
            (
                "cavra-ai-agent-baseline".to_string(),
                "1.0.0".to_string(),
                "sha256:00".to_string(),
            )
        },
        |d| {
            (
                d.policy_id.clone(),
                d.policy_version.clone(),
                d.policy_digest.clone(),
            )
        },
    );
    BundleContext {
        session_id: "local".to_string(),
        created_at: CREATED_AT.to_string(),
        policy: PolicyRef {
            id,
            version,
            digest,
        },
        retention_days: 2555,
        legal_hold: false,
        classification: "regulated-sdlc".to_string(),
        signer: "local".to_string(),
    }
}

/// A mixed baseline session: a blocked secret read, an allowed read, an
/// approval for a credential write, a blocked destructive command and a
/// destructive MCP tool.
pub(crate) const BASELINE_ACTIONS: [&str; 5] = [
    r#"{"type": "file_read", "path": "config/.env"}"#,
    r#"{"type": "file_read", "path": "src/main.rs"}"#,
    r#"{"type": "git", "operation": "reset_hard"}"#,
    r#"{"type": "command", "command": "rm -rf /"}"#,
    r#"{"type": "mcp_tool_call", "server": "db", "tool": "drop_table", "capability": "database"}"#,
];
