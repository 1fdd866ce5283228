use super::*;
use crate::evidence::bundle::content_files;
use crate::evidence::fixtures::{context, decide_all, log_of, BASELINE_ACTIONS};

fn baseline() -> (Vec<Decision>, BundleContext) {
    let decisions = decide_all("cavra-ai-agent-baseline", None, &BASELINE_ACTIONS);
    let ctx = context(&decisions);
    (decisions, ctx)
}

fn json_array(text: &str) -> Vec<Value> {
    serde_json::from_str(text).unwrap_or_else(|e| panic!("{e}: {text}"))
}

#[test]
fn format_names() {
    let cases = [
        ("splunk-hec", Ok(SiemFormat::SplunkHec)),
        ("splunk", Ok(SiemFormat::SplunkHec)),
        ("sentinel", Ok(SiemFormat::Sentinel)),
        ("datadog", Ok(SiemFormat::Datadog)),
        ("cef", Ok(SiemFormat::Cef)),
        ("webhook", Ok(SiemFormat::Webhook)),
        (
            "Splunk-HEC",
            Err("unknown SIEM format `Splunk-HEC`; expected one of"),
        ),
        ("", Err("unknown SIEM format ``")),
    ];
    for (name, expected) in cases {
        match (SiemFormat::parse(name), expected) {
            (Ok(format), Ok(want)) => {
                assert_eq!(format, want);
                assert!(name == "splunk" || format.as_str() == name);
            }
            (Err(e), Err(want)) => assert!(e.message.starts_with(want), "{name}: {e}"),
            (got, want) => panic!("{name}: got {got:?}, want {want:?}"),
        }
    }
    assert_eq!(SiemFormat::Cef.content_type(), "text/plain; charset=utf-8");
    assert_eq!(SiemFormat::Datadog.content_type(), "application/json");
}

/// The documented severity table, one row per CAVRA severity:
/// (severity, Splunk, Sentinel, Datadog, CEF).
#[test]
fn severity_mapping_per_format() {
    let (decisions, ctx) = baseline();
    let rows = [
        (Severity::Low, "low", "Low", "info", "3"),
        (Severity::Medium, "medium", "Medium", "warning", "5"),
        (Severity::High, "high", "High", "error", "8"),
        (Severity::Critical, "critical", "High", "critical", "10"),
    ];
    for (severity, splunk_value, sentinel_value, datadog_value, cef_value) in rows {
        let one = [Decision {
            severity,
            ..decisions[0].clone()
        }];
        let splunk: Value =
            serde_json::from_str(export(SiemFormat::SplunkHec, &one, &ctx).trim_end())
                .unwrap_or_default();
        assert_eq!(splunk["event"]["severity"], splunk_value);
        assert_eq!(splunk["fields"]["severity"], splunk_value);
        let sentinel = json_array(&export(SiemFormat::Sentinel, &one, &ctx));
        assert_eq!(sentinel[0]["Severity"], sentinel_value);
        assert_eq!(sentinel[0]["CavraSeverity"], severity.as_str());
        let datadog = json_array(&export(SiemFormat::Datadog, &one, &ctx));
        assert_eq!(datadog[0]["status"], datadog_value);
        let cef = export(SiemFormat::Cef, &one, &ctx);
        let header: Vec<&str> = cef.splitn(8, '|').collect();
        assert_eq!(header.get(6), Some(&cef_value), "{cef}");
        let webhook: Value =
            serde_json::from_str(&export(SiemFormat::Webhook, &one, &ctx)).unwrap_or_default();
        assert_eq!(webhook["max_severity"], severity.as_str());
    }
}

#[test]
fn splunk_hec_one_envelope_per_line() {
    let (decisions, ctx) = baseline();
    let text = export(SiemFormat::SplunkHec, &decisions, &ctx);
    assert!(text.ends_with('\n'));
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), decisions.len());
    for (line, decision) in lines.iter().zip(&decisions) {
        let envelope: Value = serde_json::from_str(line).unwrap_or_default();
        let keys: Vec<&str> = envelope
            .as_object()
            .map_or(vec![], |m| m.keys().map(String::as_str).collect());
        assert_eq!(
            keys,
            ["event", "fields", "host", "source", "sourcetype", "time"]
        );
        assert_eq!(envelope["time"], serde_json::json!(1_795_600_740.25));
        assert_eq!(
            (envelope["source"].as_str(), envelope["sourcetype"].as_str()),
            (Some("cavra"), Some("cavra:decision"))
        );
        assert_eq!(envelope["host"], "local");
        assert_eq!(envelope["event"], decision_value(decision));
    }
    let mut whole = decisions[0].clone();
    whole.timestamp = "2026-11-25T10:00:00Z".into();
    let line = export(SiemFormat::SplunkHec, &[whole.clone()], &ctx);
    assert!(line.contains(r#""time": 1795600800}"#), "{line}");
    whole.timestamp = "yesterday".into();
    let line = export(SiemFormat::SplunkHec, &[whole], &ctx);
    assert!(
        !line.contains("\"time\""),
        "no time when the timestamp is unreadable: {line}"
    );
    assert_eq!(export(SiemFormat::SplunkHec, &[], &ctx), "");
}

#[test]
fn sentinel_records_are_flat() {
    let (decisions, ctx) = baseline();
    let records = json_array(&export(SiemFormat::Sentinel, &decisions, &ctx));
    assert_eq!(records.len(), decisions.len());
    for (record, decision) in records.iter().zip(&decisions) {
        let map = record.as_object().cloned().unwrap_or_default();
        assert!(
            map.values().all(|v| !v.is_object() && !v.is_array()),
            "{record}"
        );
        assert_eq!(record["TimeGenerated"], decision.timestamp.as_str());
        assert_eq!(record["DecisionId"], decision.decision_id.as_str());
        assert_eq!(record["Decision"], decision.decision.as_str());
        assert_eq!(record["Controls"], decision.controls.join("; ").as_str());
    }
    assert_eq!(export(SiemFormat::Sentinel, &[], &ctx), "[]\n");
}

#[test]
fn datadog_items_and_tags() {
    let (mut decisions, ctx) = baseline();
    decisions[0].session_id = "Sprint 42,Team A".into();
    let items = json_array(&export(SiemFormat::Datadog, &decisions[..1], &ctx));
    let item = &items[0];
    assert_eq!(item["ddsource"], "cavra");
    assert_eq!(item["service"], "cavra");
    assert_eq!(item["hostname"], "local");
    assert_eq!(item["status"], "error");
    assert_eq!(item["evt"]["outcome"], "block");
    assert_eq!(item["cavra"], decision_value(&decisions[0]));
    assert_eq!(
        item["ddtags"],
        "session_id:sprint_42_team_a,decision:block,effective_decision:block,severity:high,rule_id:filesystem.read.block,policy:cavra-ai-agent-baseline,mode:enforce,action_type:read_file"
    );
    let message = item["message"].as_str().unwrap_or_default();
    assert!(
        message.starts_with("CAVRA block read_file config/.env (filesystem.read.block): "),
        "{message}"
    );
}

/// Splits a CEF line on pipes not escaped by a backslash.
fn cef_fields(line: &str) -> Vec<String> {
    let mut fields = vec![String::new()];
    let mut chars = line.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => {
                if let (Some(last), Some(next)) = (fields.last_mut(), chars.next()) {
                    last.push(next);
                }
            }
            '|' if fields.len() < 8 => fields.push(String::new()),
            c => {
                if let Some(last) = fields.last_mut() {
                    last.push(c);
                }
            }
        }
    }
    fields
}

#[test]
fn cef_lines_escape_header_and_extensions() {
    let (decisions, ctx) = baseline();
    let mut tricky = decisions[2].clone();
    tricky.rule_id = "rule|with\\pipe".into();
    tricky.reason = "a|b\\c=d\nnext line".into();
    tricky.target = "k=v | x\\y\r\nz".into();
    let text = export(SiemFormat::Cef, &[tricky], &ctx);
    assert_eq!(text.matches('\n').count(), 1, "one line: {text}");
    let line = text.trim_end_matches('\n');
    assert!(line.starts_with("CEF:0|CAVRA|CAVRA|0.1.0|rule\\|with\\\\pipe|a\\|b\\\\c=d next line|5|rt=1795600740250 act=require_approval "), "{line}");
    assert!(line.contains(" msg=a|b\\\\c\\=d\\nnext line "), "{line}");
    assert!(
        line.contains(" cs2Label=target cs2=k\\=v | x\\\\y\\r\\nz "),
        "{line}"
    );
    assert!(
        line.contains(" cs6Label=approverGroup cs6=Repository Owners "),
        "{line}"
    );
    assert!(line.ends_with(" cn1Label=riskScore cn1=40"), "{line}");
    let fields = cef_fields(line);
    assert_eq!(fields.len(), 8, "{fields:?}");
    assert_eq!(fields[4], "rule|with\\pipe");
    assert_eq!(fields[5], "a|b\\c=d next line");
    assert_eq!(export(SiemFormat::Cef, &[], &ctx), "");
}

#[test]
fn cef_has_one_line_per_decision_without_approver_for_blocks() {
    let (decisions, ctx) = baseline();
    let text = export(SiemFormat::Cef, &decisions, &ctx);
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 5);
    assert!(lines[0].starts_with("CEF:0|CAVRA|CAVRA|0.1.0|filesystem.read.block|"));
    assert!(!lines[0].contains("cs6="));
    assert!(lines[2].contains("cs6=Repository Owners"));
}

#[test]
fn webhook_is_the_bundle_siem_event() {
    let (decisions, ctx) = baseline();
    let files = content_files(&log_of(&decisions), &ctx).unwrap_or_default();
    let siem = files
        .iter()
        .find(|f| f.name == "siem-event.json")
        .map(|f| f.bytes.clone());
    assert_eq!(
        siem,
        Some(export(SiemFormat::Webhook, &decisions, &ctx).into_bytes())
    );
}

#[test]
fn exports_are_byte_stable() {
    for format in SiemFormat::ALL {
        let (decisions, ctx) = baseline();
        let first = export(format, &decisions, &ctx);
        let (decisions, ctx) = baseline();
        assert_eq!(
            export(format, &decisions, &ctx),
            first,
            "{}",
            format.as_str()
        );
    }
}
