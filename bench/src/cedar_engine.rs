//! cedar-policy: `bench/policies/baseline.cedar` parsed once into a
//! `PolicySet` (or, split by the action in each policy's scope, into one
//! `PolicySet` per action kind: Cedar has no policy index and evaluates
//! every policy of the set for every request, so the split spares it the
//! policies of other kinds); every `Request` (one per action, or one per
//! simple command of a command line) and the (empty) `Entities` built
//! once, outside the timed loop. A decision is `Authorizer::is_authorized`
//! on each of the action's requests plus resolving the four-verdict
//! outcome from the determining policies' `@verdict` annotations (looked
//! up in a map made once).

use crate::workload::{Kind, WorkAction};
use crate::{peer_parts, Verdict};
use cedar_policy::{
    ActionConstraint, Authorizer, Context, Decision, Entities, EntityUid, PolicyId, PolicySet,
    Request, RestrictedExpression,
};
use std::collections::HashMap;
use std::str::FromStr;

/// The Cedar policy set, as text.
pub const POLICY: &str = include_str!("../policies/baseline.cedar");

/// Cedar with the baseline policy set and the workload's requests.
pub struct CedarEngine {
    authorizer: Authorizer,
    policies: PolicySet,
    entities: Entities,
    verdicts: HashMap<PolicyId, Verdict>,
    /// Per action: which policy set (index into `sets`) and its requests.
    requests: Vec<(usize, Vec<Request>)>,
    /// The per-kind policy sets (empty unless split).
    sets: Vec<PolicySet>,
}

const KINDS: [Kind; 6] = [
    Kind::FileRead,
    Kind::FileWrite,
    Kind::Command,
    Kind::Git,
    Kind::Mcp,
    Kind::PullRequest,
];

fn string(s: &str) -> RestrictedExpression {
    RestrictedExpression::new_string(s.to_string())
}

fn action_uid(kind: Kind) -> EntityUid {
    EntityUid::from_str(&format!(r#"Action::"{}""#, kind.name())).expect("action")
}

fn request(kind: Kind, pairs: Vec<(&str, RestrictedExpression)>) -> Request {
    let principal = EntityUid::from_str(r#"Agent::"coding-agent""#).expect("principal");
    let action = action_uid(kind);
    let resource = EntityUid::from_str(r#"Workspace::"repo""#).expect("resource");
    let context =
        Context::from_pairs(pairs.into_iter().map(|(k, v)| (k.to_string(), v))).expect("context");
    Request::new(principal, action, resource, context, None).expect("request")
}

/// The Cedar requests for one action: one, or one per simple command.
pub fn requests_for(a: &WorkAction) -> Vec<Request> {
    let s = |v: &Option<String>| string(v.as_deref().unwrap_or(""));
    match a.kind {
        Kind::FileRead | Kind::FileWrite => vec![request(a.kind, vec![("path", s(&a.path))])],
        Kind::Command => {
            let command = a.command.as_deref().unwrap_or("");
            peer_parts(command)
                .iter()
                .map(|part| {
                    request(
                        a.kind,
                        vec![("part", string(part)), ("command", string(command))],
                    )
                })
                .collect()
        }
        Kind::Git => vec![request(
            a.kind,
            vec![
                ("operation", s(&a.operation)),
                ("branch", s(&a.branch)),
                ("force", RestrictedExpression::new_bool(a.force)),
            ],
        )],
        Kind::Mcp => vec![request(
            a.kind,
            vec![
                ("server", s(&a.server)),
                ("tool", s(&a.tool)),
                ("capability", s(&a.capability)),
            ],
        )],
        Kind::PullRequest => vec![request(a.kind, vec![("branch", s(&a.branch))])],
    }
}

impl CedarEngine {
    /// Parses the policy set and builds every request; with `per_kind`,
    /// also splits the set by the action each policy is scoped to.
    pub fn new(actions: &[WorkAction], per_kind: bool) -> Self {
        let policies = PolicySet::from_str(POLICY).expect("Cedar policy set parses");
        let verdicts = policies
            .policies()
            .map(|p| {
                let v = p
                    .annotation("verdict")
                    .and_then(Verdict::parse)
                    .unwrap_or_else(|| panic!("policy {} has no valid @verdict", p.id()));
                (p.id().clone(), v)
            })
            .collect();
        let sets = if per_kind {
            KINDS
                .iter()
                .map(|kind| {
                    let uid = action_uid(*kind);
                    let mut set = PolicySet::new();
                    for p in policies.policies() {
                        let scoped_here = match p.action_constraint() {
                            ActionConstraint::Eq(a) => a == uid,
                            _ => true,
                        };
                        if scoped_here {
                            set.add(p.clone()).expect("unique ids");
                        }
                    }
                    set
                })
                .collect()
        } else {
            Vec::new()
        };
        let requests = actions
            .iter()
            .map(|a| {
                let set = if per_kind {
                    KINDS.iter().position(|k| *k == a.kind).expect("kind")
                } else {
                    usize::MAX
                };
                (set, requests_for(a))
            })
            .collect();
        Self {
            authorizer: Authorizer::new(),
            policies,
            entities: Entities::empty(),
            verdicts,
            requests,
            sets,
        }
    }

    fn set(&self, index: usize) -> &PolicySet {
        self.sets.get(index).unwrap_or(&self.policies)
    }

    /// The verdict of one request.
    #[inline]
    fn one(&self, set: &PolicySet, request: &Request) -> Verdict {
        let response = self.authorizer.is_authorized(request, set, &self.entities);
        let determining = response
            .diagnostics()
            .reason()
            .filter_map(|id| self.verdicts.get(id).copied())
            .max();
        match response.decision() {
            Decision::Allow => determining.unwrap_or(Verdict::Allow),
            // Nothing satisfied: Cedar's default deny, CAVRA's "a human decides".
            Decision::Deny => determining.unwrap_or(Verdict::RequireApproval),
        }
    }

    /// The verdict for action `i`: the most restrictive over its requests.
    #[inline]
    pub fn decide(&self, i: usize) -> Verdict {
        let (set, requests) = &self.requests[i];
        let set = self.set(*set);
        requests
            .iter()
            .map(|r| self.one(set, r))
            .max()
            .unwrap_or(Verdict::RequireApproval)
    }

    /// Evaluation errors for action `i` (a policy that errors is skipped by
    /// Cedar, which would silently change the verdict): must be empty.
    pub fn errors(&self, i: usize) -> Vec<String> {
        let (set, requests) = &self.requests[i];
        requests
            .iter()
            .flat_map(|r| {
                self.authorizer
                    .is_authorized(r, self.set(*set), &self.entities)
                    .diagnostics()
                    .errors()
                    .map(|e| e.to_string())
                    .collect::<Vec<_>>()
            })
            .collect()
    }

    /// How many Cedar requests action `i` takes.
    pub fn request_count(&self, i: usize) -> usize {
        self.requests[i].1.len()
    }
}
