//! SIEM exports: a session's decisions in the payload each product ingests,
//! for `cavra evidence export-siem`.
//!
//! The engine only builds the text; sending it (and the secrets that needs)
//! is the CLI's job. Every format is deterministic: keys sorted, one record
//! per decision in log order, times taken from the decisions themselves.
//!
//! Severity mapping (CAVRA severity to each product's field):
//!
//! | CAVRA | Splunk HEC `event.severity`, `fields.severity` | Sentinel `Severity` | Datadog `status` | CEF Severity (0-10) | webhook |
//! | --- | --- | --- | --- | --- | --- |
//! | low | `low` | `Low` | `info` | 3 | `low` |
//! | medium | `medium` | `Medium` | `warning` | 5 | `medium` |
//! | high | `high` | `High` | `error` | 8 | `high` |
//! | critical | `critical` | `High` (Sentinel has no higher level; `CavraSeverity` keeps `critical`) | `critical` | 10 | `critical` |
//!
//! Splunk's values are its Common Information Model severities; CEF's fall
//! in the bands ArcSight reads as Low (0-3), Medium (4-6), High (7-8) and
//! Very-High (9-10).

use super::bundle::{siem_event, PRODUCT};
use super::canonical::{canonical_json, pretty_json};
use super::session_log::decision_value;
use super::timestamp::Timestamp;
use super::{BundleContext, EvidenceError};
use crate::{Decision, Severity};
use serde_json::{json, Value};
use std::fmt::Write as _;

/// A SIEM payload format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SiemFormat {
    /// Splunk HTTP Event Collector: one event envelope per decision, one
    /// JSON object per line (HEC accepts them stacked in one request).
    SplunkHec,
    /// Azure Monitor Logs Ingestion (Microsoft Sentinel): a JSON array of
    /// flat records with `TimeGenerated`.
    Sentinel,
    /// Datadog log intake: a JSON array of log items.
    Datadog,
    /// ArcSight Common Event Format: one `CEF:0|...` line per decision.
    Cef,
    /// Plain JSON: the bundle's `siem-event.json` object.
    Webhook,
}

impl SiemFormat {
    /// Every format, in the order `--help` lists them.
    pub const ALL: [SiemFormat; 5] = [
        SiemFormat::SplunkHec,
        SiemFormat::Sentinel,
        SiemFormat::Datadog,
        SiemFormat::Cef,
        SiemFormat::Webhook,
    ];

    /// The command-line name (`splunk-hec`, `sentinel`, `datadog`, `cef`,
    /// `webhook`).
    pub fn as_str(self) -> &'static str {
        match self {
            SiemFormat::SplunkHec => "splunk-hec",
            SiemFormat::Sentinel => "sentinel",
            SiemFormat::Datadog => "datadog",
            SiemFormat::Cef => "cef",
            SiemFormat::Webhook => "webhook",
        }
    }

    /// Parses a command-line name (`splunk` is accepted for `splunk-hec`).
    pub fn parse(name: &str) -> Result<SiemFormat, EvidenceError> {
        match name {
            "splunk" => Ok(SiemFormat::SplunkHec),
            _ => SiemFormat::ALL
                .into_iter()
                .find(|f| f.as_str() == name)
                .ok_or_else(|| {
                    EvidenceError::new(format!(
                        "unknown SIEM format `{name}`; expected one of splunk-hec, sentinel, datadog, cef, webhook"
                    ))
                }),
        }
    }

    /// The media type of the payload.
    pub fn content_type(self) -> &'static str {
        match self {
            SiemFormat::Cef => "text/plain; charset=utf-8",
            _ => "application/json",
        }
    }
}

/// The payload for `format`: `decisions` in log order, `ctx` for the
/// session, the producer (`signer`, used as the host name) and the bundle
/// time. Always ends with a newline unless there is nothing to send (Splunk
/// HEC and CEF give the empty string for an empty session; the JSON formats
/// give `[]` or an object with zero counts).
pub fn export(format: SiemFormat, decisions: &[Decision], ctx: &BundleContext) -> String {
    match format {
        SiemFormat::SplunkHec => lines(decisions.iter().map(|d| canonical_json(&splunk(d, ctx)))),
        SiemFormat::Sentinel => {
            pretty_json(&Value::Array(decisions.iter().map(sentinel).collect()))
        }
        SiemFormat::Datadog => pretty_json(&Value::Array(
            decisions.iter().map(|d| datadog(d, ctx)).collect(),
        )),
        SiemFormat::Cef => lines(decisions.iter().map(cef)),
        SiemFormat::Webhook => pretty_json(&siem_event(decisions, ctx)),
    }
}

fn lines(items: impl Iterator<Item = String>) -> String {
    let mut out = String::new();
    for item in items {
        out.push_str(&item);
        out.push('\n');
    }
    out
}

/// Milliseconds since the epoch of a decision, when its timestamp parses.
fn unix_millis(d: &Decision) -> Option<i64> {
    Timestamp::parse(&d.timestamp, "timestamp")
        .ok()
        .map(|t| t.unix_millis())
}

fn splunk(d: &Decision, ctx: &BundleContext) -> Value {
    let mut envelope = json!({
        "host": ctx.signer,
        "source": "cavra",
        "sourcetype": "cavra:decision",
        "event": decision_value(d),
        "fields": {
            "session_id": d.session_id,
            "decision": d.decision.as_str(),
            "rule_id": d.rule_id,
            "severity": d.severity.as_str(),
        },
    });
    // HEC reads `time` as epoch seconds with an optional fraction; without
    // it (an unreadable timestamp) Splunk uses the receipt time.
    if let (Some(millis), Value::Object(map)) = (unix_millis(d), &mut envelope) {
        let seconds = if millis % 1000 == 0 {
            Value::from(millis / 1000)
        } else {
            serde_json::Number::from_f64(millis as f64 / 1000.0).map_or(Value::Null, Value::Number)
        };
        map.insert("time".to_string(), seconds);
    }
    envelope
}

fn sentinel_severity(severity: Severity) -> &'static str {
    match severity {
        Severity::Low => "Low",
        Severity::Medium => "Medium",
        Severity::High | Severity::Critical => "High",
    }
}

fn sentinel(d: &Decision) -> Value {
    json!({
        "TimeGenerated": d.timestamp,
        "Product": PRODUCT,
        "EventType": "cavra.decision",
        "SessionId": d.session_id,
        "DecisionId": d.decision_id,
        "CorrelationId": d.correlation_id,
        "AgentId": d.agent_id,
        "Actor": d.actor,
        "ActionType": d.action_type,
        "Target": d.target,
        "RequestedOperation": d.requested_operation,
        "PolicyId": d.policy_id,
        "PolicyVersion": d.policy_version,
        "PolicyDigest": d.policy_digest,
        "RuleId": d.rule_id,
        "Decision": d.decision.as_str(),
        "EffectiveDecision": d.effective_decision.as_str(),
        "Enforced": d.enforced,
        "Mode": d.mode.as_str(),
        "BreakGlass": d.break_glass,
        "Severity": sentinel_severity(d.severity),
        "CavraSeverity": d.severity.as_str(),
        "RiskScore": d.risk_score,
        "Reason": d.reason,
        "ApproverGroup": d.approver_group.as_deref().unwrap_or(""),
        "Controls": d.controls.join("; "),
        "EvidenceRefs": d.evidence_refs.join("; "),
        "EngineVersion": d.engine_version,
    })
}

fn datadog_status(severity: Severity) -> &'static str {
    match severity {
        Severity::Low => "info",
        Severity::Medium => "warning",
        Severity::High => "error",
        Severity::Critical => "critical",
    }
}

/// A Datadog tag value: lowercase, and only characters Datadog keeps in
/// tags (others, commas included, become `_`), at most 200 characters.
fn tag_value(value: &str) -> String {
    value
        .chars()
        .flat_map(char::to_lowercase)
        .map(|c| match c {
            'a'..='z' | '0'..='9' | '_' | '-' | ':' | '.' | '/' => c,
            _ => '_',
        })
        .take(200)
        .collect()
}

fn datadog(d: &Decision, ctx: &BundleContext) -> Value {
    let tags = [
        ("session_id", d.session_id.as_str()),
        ("decision", d.decision.as_str()),
        ("effective_decision", d.effective_decision.as_str()),
        ("severity", d.severity.as_str()),
        ("rule_id", d.rule_id.as_str()),
        ("policy", d.policy_id.as_str()),
        ("mode", d.mode.as_str()),
        ("action_type", d.action_type.as_str()),
    ];
    let ddtags: Vec<String> = tags
        .iter()
        .map(|(key, value)| format!("{key}:{}", tag_value(value)))
        .collect();
    json!({
        "ddsource": "cavra",
        "service": "cavra",
        "hostname": ctx.signer,
        "ddtags": ddtags.join(","),
        "status": datadog_status(d.severity),
        "timestamp": d.timestamp,
        "message": format!(
            "CAVRA {} {} {} ({}): {}",
            d.decision, d.action_type, d.target, d.rule_id, d.reason
        ),
        "evt": {"name": "cavra.decision", "outcome": d.effective_decision.as_str()},
        "cavra": decision_value(d),
    })
}

fn cef_severity(severity: Severity) -> u8 {
    match severity {
        Severity::Low => 3,
        Severity::Medium => 5,
        Severity::High => 8,
        Severity::Critical => 10,
    }
}

/// A CEF header field: `\` and `|` escaped; line breaks and other control
/// characters, which the header may not hold, become spaces.
fn cef_header(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for c in value.chars() {
        match c {
            '\\' | '|' => {
                out.push('\\');
                out.push(c);
            }
            c if c.is_control() => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

/// A CEF extension value: `\` and `=` escaped, line breaks written as `\n`
/// and `\r` (the only place CEF allows them), other control characters as
/// spaces. `|` needs no escape here.
fn cef_extension(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for c in value.chars() {
        match c {
            '\\' | '=' => {
                out.push('\\');
                out.push(c);
            }
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            c if c.is_control() => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

fn cef(d: &Decision) -> String {
    let mut line = format!(
        "CEF:0|CAVRA|CAVRA|{}|{}|{}|{}|",
        cef_header(&d.engine_version),
        cef_header(&d.rule_id),
        cef_header(&d.reason),
        cef_severity(d.severity)
    );
    let mut extensions: Vec<(&str, String)> = Vec::new();
    if let Some(millis) = unix_millis(d) {
        extensions.push(("rt", millis.to_string()));
    }
    let policy = format!("{}@{}", d.policy_id, d.policy_version);
    let fields: [(&str, &str); 15] = [
        ("act", d.decision.as_str()),
        ("cat", &d.action_type),
        ("externalId", &d.decision_id),
        ("suser", &d.agent_id),
        ("msg", &d.reason),
        ("cs1Label", "sessionId"),
        ("cs1", &d.session_id),
        ("cs2Label", "target"),
        ("cs2", &d.target),
        ("cs3Label", "policy"),
        ("cs3", &policy),
        ("cs4Label", "effectiveDecision"),
        ("cs4", d.effective_decision.as_str()),
        ("cs5Label", "correlationId"),
        ("cs5", &d.correlation_id),
    ];
    extensions.extend(fields.iter().map(|(k, v)| (*k, v.to_string())));
    if let Some(group) = &d.approver_group {
        extensions.push(("cs6Label", "approverGroup".to_string()));
        extensions.push(("cs6", group.clone()));
    }
    extensions.push(("cn1Label", "riskScore".to_string()));
    extensions.push(("cn1", d.risk_score.to_string()));
    for (i, (key, value)) in extensions.iter().enumerate() {
        if i > 0 {
            line.push(' ');
        }
        let _ = write!(line, "{key}={}", cef_extension(value));
    }
    line
}

#[cfg(test)]
mod tests;
