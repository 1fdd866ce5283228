//! The content files of an evidence bundle: what a session did, rendered for
//! machines (JSON), reviewers (Markdown), SIEMs and records management.
//!
//! These are the first seven files of [`BUNDLE_ORDER`]; the attestation and
//! the manifest, which sign and list them, are built from this output. Each
//! file is a pure function of the session log and the [`BundleContext`], so
//! the same inputs give the same bytes natively and in the browser.
//!
//! Counts (`blocked`, `approval_required`, `allowed`) are by each decision's
//! policy verdict (`decision`), the field older CAVRA consumers read, not by
//! `effective_decision`: an audit-only block is still counted as blocked,
//! and the Markdown files say it was not enforced. `allowed` covers `allow`
//! and `allow_with_attestation`, so the three counts add up to the total.

use super::canonical::{pretty_at, pretty_json, pretty_object};
use super::session_log::{decision_value, SessionLog};
use super::timestamp::Timestamp;
use super::{compliance, pr_attestation};
use super::{BundleContext, BundleFile, EvidenceError, BUNDLE_ORDER};
use crate::{Decision, Severity, Verdict};
use serde_json::{json, Value};

/// The product name written into every bundle.
pub const PRODUCT: &str = "CAVRA";

/// The one-line description written into `evidence.json`.
pub const TAGLINE: &str = "Runtime authority for AI coding agents";

/// Schema version of `retention-policy.json`.
pub const RETENTION_SCHEMA_VERSION: &str = "cavra.evidence.retention.v1";

/// Builds the seven content files, in bundle order: `evidence.json`,
/// `pr-attestation.md`, `compliance-mapping.md`, `siem-event.json`,
/// `sandbox-run-summary.json`, `retention-policy.json`, `decisions.jsonl`.
///
/// Errors: a log line that is not a decision, `created_at` that is not RFC
/// 3339, `retention_days` of 0, or a retention end past the year 9999.
pub fn content_files(
    log: &SessionLog,
    ctx: &BundleContext,
) -> Result<Vec<BundleFile>, EvidenceError> {
    content_files_for(log, &log.decisions()?, ctx)
}

/// [`content_files`] for a caller that already holds the log's decisions
/// (parsing ten thousand lines twice is a measurable part of a bundle).
pub fn content_files_for(
    log: &SessionLog,
    decisions: &[Decision],
    ctx: &BundleContext,
) -> Result<Vec<BundleFile>, EvidenceError> {
    let retention = retention_policy(ctx)?;
    // The decision list is most of both evidence.json and siem-event.json:
    // render it once.
    let decisions_text = pretty_at(&decisions_json(decisions), 1);
    let [evidence, attestation, mapping, siem, summary, retention_name, log_name, ..] =
        BUNDLE_ORDER;
    Ok(vec![
        BundleFile::text(evidence, evidence_json(&decisions_text, ctx)),
        BundleFile::text(attestation, pr_attestation::render(decisions, ctx)),
        BundleFile::text(mapping, compliance::render(decisions, ctx)),
        BundleFile::text(siem, siem_event_json(decisions, &decisions_text, ctx)),
        BundleFile::text(summary, pretty_json(&run_summary(decisions, ctx))),
        BundleFile::text(retention_name, pretty_json(&retention)),
        BundleFile::text(log_name, log.to_jsonl()),
    ])
}

/// Decisions counted by policy verdict.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct Counts {
    pub total: usize,
    pub blocked: usize,
    pub approval_required: usize,
    pub attested: usize,
    pub allowed: usize,
}

impl Counts {
    pub(crate) fn of(decisions: &[Decision]) -> Counts {
        let mut counts = Counts {
            total: decisions.len(),
            ..Counts::default()
        };
        for decision in decisions {
            match decision.decision {
                Verdict::Block => counts.blocked += 1,
                Verdict::RequireApproval => counts.approval_required += 1,
                Verdict::AllowWithAttestation => {
                    counts.attested += 1;
                    counts.allowed += 1;
                }
                Verdict::Allow => counts.allowed += 1,
            }
        }
        counts
    }
}

/// The most severe decision, ranked low < medium < high < critical; None
/// for an empty session (written as JSON `null`).
pub(crate) fn max_severity(decisions: &[Decision]) -> Option<Severity> {
    decisions.iter().map(|d| d.severity).max()
}

fn decisions_json(decisions: &[Decision]) -> Value {
    Value::Array(decisions.iter().map(decision_value).collect())
}

fn field(value: Value) -> String {
    pretty_at(&value, 1)
}

fn evidence_json(decisions_text: &str, ctx: &BundleContext) -> String {
    pretty_object(vec![
        ("created_at", field(json!(ctx.created_at))),
        ("session_id", field(json!(ctx.session_id))),
        ("product", field(json!(PRODUCT))),
        ("tagline", field(json!(TAGLINE))),
        (
            "policy",
            field(json!({
                "id": ctx.policy.id,
                "version": ctx.policy.version,
                "digest": ctx.policy.digest,
            })),
        ),
        ("decisions", decisions_text.to_string()),
    ])
}

/// The `siem-event.json` fields other than `decisions`.
fn siem_event_fields(decisions: &[Decision], ctx: &BundleContext) -> Value {
    let counts = Counts::of(decisions);
    json!({
        "event_type": "cavra.evidence_bundle",
        "session_id": ctx.session_id,
        "timestamp": ctx.created_at,
        "product": PRODUCT,
        "decision_count": counts.total,
        "blocked_count": counts.blocked,
        "approval_required_count": counts.approval_required,
        "max_severity": max_severity(decisions).map(Severity::as_str),
    })
}

fn siem_event_json(decisions: &[Decision], decisions_text: &str, ctx: &BundleContext) -> String {
    let mut fields: Vec<(&str, String)> = Vec::new();
    let head = siem_event_fields(decisions, ctx);
    if let Some(map) = head.as_object() {
        for (key, value) in map {
            fields.push((key.as_str(), pretty_at(value, 1)));
        }
    }
    fields.push(("decisions", decisions_text.to_string()));
    pretty_object(fields)
}

/// The `siem-event.json` object (also the webhook export's body).
pub(crate) fn siem_event(decisions: &[Decision], ctx: &BundleContext) -> Value {
    let mut event = siem_event_fields(decisions, ctx);
    if let Some(map) = event.as_object_mut() {
        map.insert("decisions".into(), decisions_json(decisions));
    }
    event
}

fn run_summary(decisions: &[Decision], ctx: &BundleContext) -> Value {
    let counts = Counts::of(decisions);
    json!({
        "session_id": ctx.session_id,
        "created_at": ctx.created_at,
        "events": counts.total,
        "blocked": counts.blocked,
        "approval_required": counts.approval_required,
        "allowed": counts.allowed,
    })
}

fn retention_policy(ctx: &BundleContext) -> Result<Value, EvidenceError> {
    if ctx.retention_days == 0 {
        return Err(EvidenceError::new(
            "retention_days is 0; a bundle must be kept at least 1 day (default 2555)",
        ));
    }
    let created = Timestamp::parse(&ctx.created_at, "created_at")?;
    let retain_until = created.plus_days(ctx.retention_days)?;
    let disposition = if ctx.legal_hold {
        "retain"
    } else {
        "eligible_for_review_after_retain_until"
    };
    Ok(json!({
        "schema_version": RETENTION_SCHEMA_VERSION,
        "product": PRODUCT,
        "session_id": ctx.session_id,
        "created_at": ctx.created_at,
        "retention_days": ctx.retention_days,
        "retain_until": retain_until,
        "classification": ctx.classification,
        "legal_hold": ctx.legal_hold,
        "delete_protection": true,
        "disposition": disposition,
    }))
}

#[cfg(test)]
mod tests;
