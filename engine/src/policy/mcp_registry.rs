//! The MCP trust registry: what an organisation knows about each MCP server
//! beyond the policy's allow list (trust tier, approval state, which tools
//! and capabilities it was approved for).
//!
//! It refines the verdict for servers the policy already allows; it never
//! loosens a policy block. Given with `--mcp-registry FILE` as a JSON list of
//! server records.

use crate::action::{json_type, InputError};
use serde_json::Value;

/// Longest registry file accepted, in bytes.
pub const MAX_REGISTRY_BYTES: usize = 1024 * 1024;

/// How far a server is trusted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TrustTier {
    /// Vetted and trusted.
    Trusted,
    /// Approved for use.
    Approved,
    /// Being tried out: needs approval per use.
    Experimental,
    /// Never to be used.
    Blocked,
    /// Not assessed.
    Unknown,
}

/// Where the server's approval stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ApprovalState {
    /// Approved.
    Approved,
    /// Requested, not yet decided.
    Pending,
    /// Refused.
    Denied,
    /// No approval needed.
    NotRequired,
}

/// One server record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServerRecord {
    /// The server id agents use (matched case-insensitively).
    pub server_id: String,
    /// Display name (also matched).
    pub name: Option<String>,
    /// Trust tier.
    pub trust_tier: TrustTier,
    /// Approval state.
    pub approval_state: ApprovalState,
    /// Tools it may be called with (empty: any).
    pub allowed_tools: Vec<String>,
    /// Capabilities it may exercise (empty: any).
    pub capabilities: Vec<String>,
    /// Who owns it.
    pub owner: Option<String>,
}

/// A parsed registry.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct McpRegistry {
    servers: Vec<ServerRecord>,
}

impl McpRegistry {
    /// Parses the JSON list of server records; errors name the record and
    /// field.
    pub fn from_json_str(text: &str) -> Result<McpRegistry, InputError> {
        if text.len() > MAX_REGISTRY_BYTES {
            return Err(InputError::general(format!(
                "the MCP registry is {} bytes, over the limit of {MAX_REGISTRY_BYTES}",
                text.len()
            )));
        }
        let value: Value = serde_json::from_str(text)
            .map_err(|e| InputError::general(format!("the MCP registry is not valid JSON: {e}")))?;
        let items = value.as_array().ok_or_else(|| {
            InputError::general("the MCP registry must be a JSON list of server records")
        })?;
        let servers = items
            .iter()
            .enumerate()
            .map(|(i, item)| {
                record(item).map_err(|e| InputError::field(&format!("[{i}].{}", e.0), e.1))
            })
            .collect::<Result<Vec<_>, _>>()?;
        Ok(McpRegistry { servers })
    }

    /// The record of a server, by id or name, ignoring case.
    pub fn find(&self, server: &str) -> Option<&ServerRecord> {
        self.servers.iter().find(|r| {
            r.server_id.eq_ignore_ascii_case(server)
                || r.name
                    .as_deref()
                    .is_some_and(|n| n.eq_ignore_ascii_case(server))
        })
    }
}

type FieldError = (&'static str, String);

fn record(item: &Value) -> Result<ServerRecord, FieldError> {
    let map = item.as_object().ok_or((
        "record",
        format!("must be an object, found {}", json_type(item)),
    ))?;
    let text = |field: &'static str| -> Result<Option<String>, FieldError> {
        match map.get(field) {
            None | Some(Value::Null) => Ok(None),
            Some(Value::String(s)) => Ok(Some(s.clone())),
            Some(other) => Err((
                field,
                format!("must be a string, found {}", json_type(other)),
            )),
        }
    };
    let list = |field: &'static str| -> Result<Vec<String>, FieldError> {
        match map.get(field) {
            None | Some(Value::Null) => Ok(Vec::new()),
            Some(Value::Array(items)) => items
                .iter()
                .map(|v| {
                    v.as_str()
                        .map(str::to_string)
                        .ok_or((field, "must be a list of strings".to_string()))
                })
                .collect(),
            Some(other) => Err((field, format!("must be a list, found {}", json_type(other)))),
        }
    };
    let server_id = text("server_id")?.ok_or(("server_id", "is missing".to_string()))?;
    let tier = text("trust_tier")?.unwrap_or_else(|| "unknown".into());
    let trust_tier = match tier.as_str() {
        "trusted" => TrustTier::Trusted,
        "approved" => TrustTier::Approved,
        "experimental" => TrustTier::Experimental,
        "blocked" => TrustTier::Blocked,
        "unknown" => TrustTier::Unknown,
        other => {
            return Err((
                "trust_tier",
                format!("`{other}` is not trusted, approved, experimental, blocked or unknown"),
            ))
        }
    };
    let state = text("approval_state")?.unwrap_or_else(|| "not_required".into());
    let approval_state = match state.as_str() {
        "approved" => ApprovalState::Approved,
        "pending" => ApprovalState::Pending,
        "denied" => ApprovalState::Denied,
        "not_required" => ApprovalState::NotRequired,
        other => {
            return Err((
                "approval_state",
                format!("`{other}` is not approved, pending, denied or not_required"),
            ))
        }
    };
    Ok(ServerRecord {
        server_id,
        name: text("name")?,
        trust_tier,
        approval_state,
        allowed_tools: list("allowed_tools")?,
        capabilities: list("capabilities")?,
        owner: text("owner")?,
    })
}
