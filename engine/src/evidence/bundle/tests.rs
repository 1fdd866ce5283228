use super::*;
use crate::evidence::fixtures::{context, decide_all, log_of, BASELINE_ACTIONS, CREATED_AT};
use crate::Mode;

fn baseline() -> (SessionLog, BundleContext) {
    let decisions = decide_all("cavra-ai-agent-baseline", None, &BASELINE_ACTIONS);
    let ctx = context(&decisions);
    (log_of(&decisions), ctx)
}

fn json_file(files: &[BundleFile], name: &str) -> Value {
    let file = files.iter().find(|f| f.name == name);
    let bytes = file.map_or(&[][..], |f| f.bytes.as_slice());
    serde_json::from_slice(bytes).unwrap_or_else(|e| panic!("{name}: {e}"))
}

fn files(log: &SessionLog, ctx: &BundleContext) -> Vec<BundleFile> {
    content_files(log, ctx).unwrap_or_else(|e| panic!("{e}"))
}

#[test]
fn files_come_in_bundle_order_with_stable_bytes() {
    let (log, ctx) = baseline();
    let first = files(&log, &ctx);
    let names: Vec<&str> = first.iter().map(|f| f.name.as_str()).collect();
    assert_eq!(names, BUNDLE_ORDER[..7]);
    let (log_again, ctx_again) = baseline();
    assert_eq!(
        files(&log_again, &ctx_again),
        first,
        "same inputs, same bytes"
    );
    for file in &first {
        let text =
            std::str::from_utf8(&file.bytes).unwrap_or_else(|e| panic!("{}: {e}", file.name));
        assert!(
            text.ends_with('\n') && !text.ends_with("\n\n"),
            "{}",
            file.name
        );
        assert!(!text.contains('\r'), "{}", file.name);
        if file.name.ends_with(".json") {
            let value: Value = serde_json::from_str(text).unwrap_or_default();
            assert_eq!(pretty_json(&value), text, "{} is pretty_json", file.name);
        }
    }
    let jsonl = first.iter().find(|f| f.name == "decisions.jsonl");
    assert_eq!(
        jsonl.map(|f| f.bytes.clone()),
        Some(log.to_jsonl().into_bytes())
    );
}

#[test]
fn evidence_json_fields() {
    let (log, ctx) = baseline();
    let evidence = json_file(&files(&log, &ctx), "evidence.json");
    let keys: Vec<&str> = evidence
        .as_object()
        .map_or(vec![], |m| m.keys().map(String::as_str).collect());
    assert_eq!(
        keys,
        [
            "created_at",
            "decisions",
            "policy",
            "product",
            "session_id",
            "tagline"
        ]
    );
    assert_eq!(evidence["created_at"], CREATED_AT);
    assert_eq!(evidence["session_id"], "local");
    assert_eq!(evidence["product"], "CAVRA");
    assert_eq!(evidence["tagline"], TAGLINE);
    assert_eq!(evidence["policy"]["id"], "cavra-ai-agent-baseline");
    assert_eq!(evidence["policy"]["version"], ctx.policy.version.as_str());
    assert_eq!(evidence["policy"]["digest"], ctx.policy.digest.as_str());
    let decisions: Vec<Value> = log
        .decisions()
        .unwrap_or_default()
        .iter()
        .map(decision_value)
        .collect();
    assert_eq!(evidence["decisions"], Value::Array(decisions));
}

#[test]
fn siem_event_and_run_summary_count_by_verdict() {
    let (log, ctx) = baseline();
    let all = files(&log, &ctx);
    let siem = json_file(&all, "siem-event.json");
    assert_eq!(siem["event_type"], "cavra.evidence_bundle");
    assert_eq!(siem["session_id"], "local");
    assert_eq!(siem["timestamp"], CREATED_AT);
    assert_eq!(siem["product"], "CAVRA");
    assert_eq!(siem["decision_count"], 5);
    assert_eq!(siem["blocked_count"], 3);
    assert_eq!(siem["approval_required_count"], 1);
    assert_eq!(siem["max_severity"], "critical");
    assert_eq!(siem["decisions"].as_array().map(Vec::len), Some(5));
    let summary = json_file(&all, "sandbox-run-summary.json");
    let expected = serde_json::json!({
        "session_id": "local", "created_at": CREATED_AT,
        "events": 5, "blocked": 3, "approval_required": 1, "allowed": 1,
    });
    assert_eq!(summary, expected);
}

#[test]
fn audit_only_blocks_still_count_as_blocked() {
    let decisions = decide_all(
        "cavra-ai-agent-baseline",
        Some(Mode::AuditOnly),
        &BASELINE_ACTIONS,
    );
    let ctx = context(&decisions);
    let summary = json_file(
        &files(&log_of(&decisions), &ctx),
        "sandbox-run-summary.json",
    );
    assert_eq!(
        (summary["blocked"].clone(), summary["allowed"].clone()),
        (3.into(), 1.into())
    );
}

#[test]
fn max_severity_ranks_not_alphabetically() {
    let template = decide_all("cavra-ai-agent-baseline", None, &BASELINE_ACTIONS[..1]);
    let with = |levels: &[Severity]| -> Vec<Decision> {
        levels
            .iter()
            .map(|&severity| Decision {
                severity,
                ..template[0].clone()
            })
            .collect()
    };
    use Severity::{Critical, High, Low, Medium};
    let cases: [(&[Severity], Value); 6] = [
        (&[Medium, High], "high".into()),
        (&[High, Medium], "high".into()),
        (&[Low, Medium], "medium".into()),
        (&[Critical, Low, High], "critical".into()),
        (&[Low], "low".into()),
        (&[], Value::Null),
    ];
    for (levels, expected) in cases {
        let decisions = with(levels);
        let ctx = context(&template);
        let siem = json_file(&files(&log_of(&decisions), &ctx), "siem-event.json");
        assert_eq!(siem["max_severity"], expected, "{levels:?}");
    }
}

fn retention_with(created_at: &str, days: u32, legal_hold: bool) -> Result<Value, EvidenceError> {
    let (log, mut ctx) = baseline();
    ctx.created_at = created_at.to_string();
    ctx.retention_days = days;
    ctx.legal_hold = legal_hold;
    content_files(&log, &ctx).map(|files| json_file(&files, "retention-policy.json"))
}

#[test]
fn retention_end_is_calendar_arithmetic() {
    let cases = [
        ("2026-11-25T10:00:00Z", 2555, "2033-11-23T10:00:00Z"),
        ("2024-02-28T23:59:59Z", 1, "2024-02-29T23:59:59Z"),
        ("2023-02-28T12:00:00+02:00", 1, "2023-03-01T12:00:00+02:00"),
        ("2024-01-31T00:00:00.123Z", 29, "2024-02-29T00:00:00.123Z"),
        ("2024-12-31T23:00:00-05:00", 1, "2025-01-01T23:00:00-05:00"),
        ("2100-02-28T00:00:00Z", 1, "2100-03-01T00:00:00Z"),
        ("2000-02-28T00:00:00Z", 1, "2000-02-29T00:00:00Z"),
        ("2023-03-01T00:00:00Z", 366, "2024-03-01T00:00:00Z"),
        ("2024-03-01T00:00:00Z", 365, "2025-03-01T00:00:00Z"),
        ("2026-04-30T08:30:00Z", 31, "2026-05-31T08:30:00Z"),
    ];
    for (created_at, days, until) in cases {
        let policy =
            retention_with(created_at, days, false).unwrap_or_else(|e| panic!("{created_at}: {e}"));
        assert_eq!(policy["retain_until"], until, "{created_at} + {days}");
        assert_eq!(policy["retention_days"], days);
        assert_eq!(policy["created_at"], created_at);
    }
}

#[test]
fn retention_errors() {
    let cases = [
        ("2026-11-25T10:00:00Z", 0, "retention_days is 0"),
        (
            "2026-11-25",
            30,
            "created_at `2026-11-25` is not an RFC 3339 timestamp",
        ),
        ("9999-12-31T00:00:00Z", 1, "past the year 9999"),
    ];
    for (created_at, days, expected) in cases {
        let err = retention_with(created_at, days, false)
            .err()
            .map(|e| e.message);
        assert!(
            err.as_deref().is_some_and(|m| m.contains(expected)),
            "{created_at}: {err:?}"
        );
    }
}

#[test]
fn legal_hold_sets_disposition() {
    for (legal_hold, disposition) in [
        (true, "retain"),
        (false, "eligible_for_review_after_retain_until"),
    ] {
        let policy = retention_with(CREATED_AT, 2555, legal_hold).unwrap_or_default();
        let expected = serde_json::json!({
            "schema_version": "cavra.evidence.retention.v1",
            "product": "CAVRA",
            "session_id": "local",
            "created_at": CREATED_AT,
            "retention_days": 2555,
            "retain_until": "2033-11-23T10:00:00Z",
            "classification": "regulated-sdlc",
            "legal_hold": legal_hold,
            "delete_protection": true,
            "disposition": disposition,
        });
        assert_eq!(policy, expected);
    }
}

#[test]
fn an_empty_session_still_gives_seven_files() {
    let ctx = context(&[]);
    let empty = content_files(&SessionLog::new(), &ctx).unwrap_or_default();
    assert_eq!(empty.len(), 7);
    assert_eq!(
        empty.last().map(|f| f.bytes.len()),
        Some(0),
        "empty log, empty decisions.jsonl"
    );
}
