//! The JSON facade gives exactly what the typed engine gives: the same
//! decision JSON for the shared scenario, validation errors with positions,
//! and bundles that verify.

use cavra::api::{self, Session};
use cavra::scenario::Scenario;
use cavra::{decide, CompiledPolicy, DecideOptions, DecisionStamp, Library};
use serde_json::Value;

const TIME: &str = "2026-11-25T10:00:00.000Z";

#[test]
fn the_facade_decides_the_scenario_byte_for_byte_like_the_engine() {
    let scenario = Scenario::before_the_agent_acts().expect("scenario");
    let policy = Library::embedded()
        .load_pack(&scenario.policy_pack)
        .expect("pack");
    let policy = CompiledPolicy::compile(&policy).expect("compiles");
    let mut session = Session::new(&scenario.policy_pack, "{}").expect("session");
    for (n, (request, _)) in scenario
        .requests()
        .expect("actions")
        .into_iter()
        .enumerate()
    {
        let stamp = DecisionStamp::sequential(n as u64 + 1, TIME);
        let native = serde_json::to_string(
            &decide(&policy, &request, &DecideOptions::default(), stamp.clone()).expect("decides"),
        )
        .expect("json");
        let mut action = scenario.actions[n].clone();
        for (key, value) in [
            ("session_id", &scenario.session_id),
            ("agent_id", &scenario.agent_id),
            ("actor", &scenario.actor),
        ] {
            action[key] = Value::String(value.clone());
        }
        let facade = session
            .evaluate(&action.to_string(), stamp)
            .expect("evaluates");
        assert_eq!(facade, native, "action {n}");
    }
    let log: Vec<Value> = serde_json::from_str(&session.log()).expect("log");
    assert_eq!(log.len(), 7);
}

#[test]
fn validation_reports_positions_and_bad_input_is_an_error() {
    let report: Value = serde_json::from_str(&api::validate_policy(
        "metadata:\n  id: x\n  title: X\n  version: 1.2\n",
    ))
    .expect("json");
    assert_eq!(report["ok"], false);
    assert_eq!(report["errors"][0]["line"], 4);
    assert!(report["errors"][0]["help"]
        .as_str()
        .unwrap_or("")
        .contains("quote"));
    let ok: Value =
        serde_json::from_str(&api::validate_policy("cavra-ai-agent-baseline")).expect("json");
    assert_eq!(ok["ok"], true);

    let mut session = Session::new("", "{\"mode\": \"strict\"}").expect("baseline");
    let err = session
        .evaluate(
            "{\"type\": \"teleport\"}",
            DecisionStamp::sequential(1, TIME),
        )
        .expect_err("unknown type");
    assert!(err.contains("teleport"), "{err}");
    assert!(Session::new("", "{\"mode\": \"sometimes\"}").is_err());
    assert!(Session::new("metadata: [", "{}").is_err());
}

#[test]
fn a_bundle_built_through_the_facade_verifies_and_tampering_fails() {
    let mut session = Session::new("", "{\"sessionId\": \"web-1\"}").expect("session");
    for (n, action) in [
        "{\"type\": \"file_read\", \"path\": \".env\"}",
        "{\"type\": \"command\", \"command\": \"cargo test\"}",
    ]
    .iter()
    .enumerate()
    {
        session
            .evaluate(action, DecisionStamp::sequential(n as u64, TIME))
            .expect("decides");
    }
    let keys: Value =
        serde_json::from_str(&api::generate_key_pair([9; 32]).expect("keys")).expect("json");
    let options =
        serde_json::json!({"sign": "ed25519", "privateKeyPem": keys["privateKeyPem"]}).to_string();
    let bundle = session.bundle(&options, TIME).expect("bundle");
    let again = session.bundle(&options, TIME).expect("bundle");
    assert_eq!(bundle.zip, again.zip, "reproducible");
    let files: Value = serde_json::from_str(&bundle.json).expect("json");
    assert!(
        files["files"]["decisions.jsonl"]
            .as_str()
            .unwrap_or("")
            .lines()
            .count()
            == 2
    );

    let verify = |zip: &[u8], key: &Value| -> Value {
        let options = serde_json::json!({"publicKeyPem": key}).to_string();
        serde_json::from_str(&api::verify_bundle(zip, &options).expect("report")).expect("json")
    };
    assert_eq!(verify(&bundle.zip, &keys["publicKeyPem"])["verified"], true);
    let other: Value =
        serde_json::from_str(&api::generate_key_pair([8; 32]).expect("keys")).expect("json");
    assert_eq!(
        verify(&bundle.zip, &other["publicKeyPem"])["verified"],
        false
    );
    let mut tampered = bundle.zip.clone();
    let middle = tampered.len() / 2;
    tampered[middle] ^= 1;
    assert_eq!(verify(&tampered, &keys["publicKeyPem"])["verified"], false);
}

#[test]
fn packs_tests_and_diffs_come_back_as_json() {
    let packs: Vec<Value> = serde_json::from_str(&api::packs()).expect("json");
    assert!(packs.len() >= 14);
    let report: Value =
        serde_json::from_str(&api::run_policy_tests("cavra-ai-agent-baseline").expect("runs"))
            .expect("json");
    assert_eq!(report["failed"], 0);
    let diff: Value = serde_json::from_str(
        &api::diff_policies("cavra-ai-agent-baseline", "cavra-terraform-prod").expect("diff"),
    )
    .expect("json");
    assert!(diff["changes"].as_array().is_some_and(|c| !c.is_empty()));
    assert_eq!(api::version(), env!("CARGO_PKG_VERSION"));
}
