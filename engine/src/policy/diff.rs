//! `policy diff`: what changed between two policies, entry by entry with
//! values, and which decisions change because of it.
//!
//! Lists of patterns are compared as sets, rules and tests by their id or
//! name, and everything else value by value. Decision changes are computed
//! over both policies' own tests and a fixed sample of everyday and
//! dangerous agent actions.

use super::compile::CompiledPolicy;
use super::model::Policy;
use super::render::to_value;
use crate::action::ActionRequest;
use crate::decide::{decide, DecideOptions};
use crate::decision::DecisionStamp;
use crate::verdict::Verdict;
use serde::Serialize;
use serde_json::Value;

/// The built-in sample of agent actions used to show decision changes.
pub const SAMPLE_ACTIONS_JSON: &str = include_str!("sample-actions.json");

/// One changed entry.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Change {
    /// `added`, `removed` or `changed`.
    pub kind: &'static str,
    /// JSON pointer of the entry (lists: the list; rules: `/rules/<id>`).
    pub path: String,
    /// Value before (None when added).
    pub old: Option<Value>,
    /// Value after (None when removed).
    pub new: Option<Value>,
}

/// A decision that differs between the two policies.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DecisionChange {
    /// Where the action came from: `test: <name>` or `sample`.
    pub origin: String,
    /// The action.
    pub action: Value,
    /// Verdict and rule under the old policy.
    pub old: (Verdict, String),
    /// Verdict and rule under the new policy.
    pub new: (Verdict, String),
}

/// The whole diff.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PolicyDiff {
    /// Entry changes.
    pub changes: Vec<Change>,
    /// Decision changes.
    pub decision_changes: Vec<DecisionChange>,
}

/// Diffs two merged policies.
pub fn diff(
    old: &Policy,
    new: &Policy,
    old_compiled: &CompiledPolicy,
    new_compiled: &CompiledPolicy,
) -> PolicyDiff {
    let mut changes = Vec::new();
    let (mut a, mut b) = (to_value(old), to_value(new));
    // Tests are not policy content; their effect shows in decision changes.
    for v in [&mut a, &mut b] {
        if let Some(map) = v.as_object_mut() {
            map.remove("tests");
        }
    }
    diff_values("", &a, &b, &mut changes);

    let mut actions: Vec<(String, Value)> = Vec::new();
    for test in old.tests.iter().chain(new.tests.iter()) {
        if !actions.iter().any(|(_, a)| *a == test.action) {
            actions.push((format!("test: {}", test.name), test.action.clone()));
        }
    }
    if let Ok(Value::Array(samples)) = serde_json::from_str::<Value>(SAMPLE_ACTIONS_JSON) {
        for sample in samples {
            if !actions.iter().any(|(_, a)| *a == sample) {
                actions.push(("sample".to_string(), sample));
            }
        }
    }
    let mut decision_changes = Vec::new();
    for (n, (origin, action)) in actions.into_iter().enumerate() {
        let Ok(request) = ActionRequest::from_json(&action) else {
            continue;
        };
        let run = |policy: &CompiledPolicy| {
            let stamp = DecisionStamp::sequential(n as u64, "2026-01-01T00:00:00.000Z");
            decide(policy, &request, &DecideOptions::default(), stamp)
                .ok()
                .map(|d| (d.decision, d.rule_id))
        };
        if let (Some(before), Some(after)) = (run(old_compiled), run(new_compiled)) {
            if before != after {
                decision_changes.push(DecisionChange {
                    origin,
                    action,
                    old: before,
                    new: after,
                });
            }
        }
    }
    PolicyDiff {
        changes,
        decision_changes,
    }
}

fn key_of(item: &Value) -> Option<String> {
    let map = item.as_object()?;
    map.get("id")
        .or_else(|| map.get("name"))
        .and_then(Value::as_str)
        .map(str::to_string)
}

fn diff_values(path: &str, old: &Value, new: &Value, out: &mut Vec<Change>) {
    match (old, new) {
        (Value::Object(a), Value::Object(b)) => {
            for (key, va) in a {
                let p = format!("{path}/{key}");
                match b.get(key) {
                    Some(vb) => diff_values(&p, va, vb, out),
                    None => out.push(Change {
                        kind: "removed",
                        path: p,
                        old: Some(va.clone()),
                        new: None,
                    }),
                }
            }
            for (key, vb) in b {
                if !a.contains_key(key) {
                    out.push(Change {
                        kind: "added",
                        path: format!("{path}/{key}"),
                        old: None,
                        new: Some(vb.clone()),
                    });
                }
            }
        }
        (Value::Array(a), Value::Array(b)) if a.iter().chain(b).all(|v| key_of(v).is_some()) => {
            for item in a {
                let key = key_of(item).unwrap_or_default();
                let p = format!("{path}/{key}");
                match b
                    .iter()
                    .find(|x| key_of(x).as_deref() == Some(key.as_str()))
                {
                    Some(other) if other != item => out.push(Change {
                        kind: "changed",
                        path: p,
                        old: Some(item.clone()),
                        new: Some(other.clone()),
                    }),
                    Some(_) => {}
                    None => out.push(Change {
                        kind: "removed",
                        path: p,
                        old: Some(item.clone()),
                        new: None,
                    }),
                }
            }
            for item in b {
                let key = key_of(item).unwrap_or_default();
                if !a.iter().any(|x| key_of(x).as_deref() == Some(key.as_str())) {
                    out.push(Change {
                        kind: "added",
                        path: format!("{path}/{key}"),
                        old: None,
                        new: Some(item.clone()),
                    });
                }
            }
        }
        (Value::Array(a), Value::Array(b)) => {
            for item in a.iter().filter(|v| !b.contains(v)) {
                out.push(Change {
                    kind: "removed",
                    path: path.to_string(),
                    old: Some(item.clone()),
                    new: None,
                });
            }
            for item in b.iter().filter(|v| !a.contains(v)) {
                out.push(Change {
                    kind: "added",
                    path: path.to_string(),
                    old: None,
                    new: Some(item.clone()),
                });
            }
        }
        _ if old != new => out.push(Change {
            kind: "changed",
            path: path.to_string(),
            old: Some(old.clone()),
            new: Some(new.clone()),
        }),
        _ => {}
    }
}
