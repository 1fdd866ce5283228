//! Scenarios: named runs of agent actions with the verdicts they must get.
//!
//! The canonical "Before the agent acts" scenario is embedded, so `cavra
//! demo`, the tests and the browser run exactly the same seven actions.

use crate::action::{ActionRequest, InputError};
use serde::Deserialize;
use serde_json::Value;

/// The canonical seven-action scenario.
pub const BEFORE_THE_AGENT_ACTS: &str = include_str!("../../scenarios/before-the-agent-acts.json");

/// What a scenario action must get.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct Expectation {
    /// Verdict.
    pub decision: String,
    /// Determining rule.
    pub rule_id: Option<String>,
    /// Severity.
    pub severity: Option<String>,
    /// Approver group.
    pub approver_group: Option<String>,
}

/// A scenario file.
#[derive(Debug, Clone, Deserialize)]
pub struct Scenario {
    /// Machine name.
    pub name: String,
    /// Human title.
    pub title: String,
    /// What it shows.
    pub description: String,
    /// Pack to evaluate against.
    pub policy_pack: String,
    /// Session id of the run.
    pub session_id: String,
    /// Agent id of the run.
    pub agent_id: String,
    /// Actor of the run.
    pub actor: String,
    /// The actions, each with an `expect`.
    pub actions: Vec<Value>,
}

impl Scenario {
    /// Parses a scenario file.
    pub fn parse(text: &str) -> Result<Scenario, InputError> {
        serde_json::from_str(text)
            .map_err(|e| InputError::general(format!("invalid scenario: {e}")))
    }

    /// The canonical scenario.
    pub fn before_the_agent_acts() -> Result<Scenario, InputError> {
        Scenario::parse(BEFORE_THE_AGENT_ACTS)
    }

    /// The actions as requests, with the scenario's session, agent and actor,
    /// each paired with its expectation.
    pub fn requests(&self) -> Result<Vec<(ActionRequest, Option<Expectation>)>, InputError> {
        self.actions
            .iter()
            .map(|value| {
                let mut request = ActionRequest::from_json(value)?;
                let ctx = &mut request.context;
                ctx.session_id
                    .get_or_insert_with(|| self.session_id.clone());
                ctx.agent_id.get_or_insert_with(|| self.agent_id.clone());
                ctx.actor.get_or_insert_with(|| self.actor.clone());
                let expect = value
                    .get("expect")
                    .cloned()
                    .and_then(|e| serde_json::from_value(e).ok());
                Ok((request, expect))
            })
            .collect()
    }
}
