//! MCP tool calls: blocked servers, rules, the trusted list or the
//! unknown-server default, and the trust registry for allowed servers.

use super::*;

impl<'p> Evaluation<'p> {
    /// Evaluates an MCP tool call.
    pub(super) fn mcp(&mut self, server: &str, tool: &str, capability: Option<&str>) {
        let kind = ActionKind::McpToolCall;
        let target = format!("{server}:{tool}");
        if self.suspicious(kind, &target, false)
            || capability.is_some_and(|c| self.suspicious(kind, c, false))
        {
            return;
        }
        let server_l = server.to_lowercase();
        let policy = self.policy;
        let settings = &policy.mcp;
        if let Some(pattern) = settings.blocked.first_match(&server_l) {
            self.push(Hit {
                rule_id: Cow::Borrowed("mcp.server.blocked"),
                decision: Verdict::Block,
                pattern: Some(pattern.text.clone()),
                source: pattern.source.to_string(),
                severity: None,
                reason: format!(
                    "The MCP server `{server}` is on the blocked list (`{}`).",
                    pattern.text
                ),
                approvers: None,
                kind,
                target: target.clone(),
            });
        }
        let facts = Facts {
            server: Some(server),
            tool: Some(tool),
            capability,
            ..Facts::default()
        };
        self.rules(kind, &target, &facts);
        if let Some(pattern) = settings.allowed.first_match(&server_l) {
            if let Some(registry) = self.registry {
                self.registry_check(registry, server, tool, capability, &target);
            }
            self.push(Hit {
                rule_id: Cow::Borrowed("mcp.server.trust.allow"),
                decision: Verdict::Allow,
                pattern: Some(pattern.text.clone()),
                source: pattern.source.to_string(),
                severity: None,
                reason: format!(
                    "The MCP server `{server}` is trusted by the policy (`{}`).",
                    pattern.text
                ),
                approvers: None,
                kind,
                target: target.clone(),
            });
        } else if settings.block_unknown_servers {
            self.signals.unknown_mcp_server = true;
            let src = settings.source.to_string();
            self.builtin(
                "mcp.server.trust.block_unknown",
                Verdict::Block,
                None,
                kind,
                &target,
                src,
                format!("The MCP server `{server}` is not on the policy's trusted list, and unknown servers are blocked."),
            );
        } else {
            self.signals.unknown_mcp_server = true;
            self.default_hit(
                Cow::Borrowed("mcp.server.trust.allow_unknown"),
                Verdict::Allow,
                kind,
                &target,
                format!("The MCP server `{server}` is not listed, and the policy lets unknown servers through."),
            );
        }
    }

    /// Refines an allowed server with the trust registry, in the spec's
    /// order: unregistered, blocked/denied, pending/unvetted, tool scope,
    /// capability scope, else allowed.
    pub(super) fn registry_check(
        &mut self,
        registry: &McpRegistry,
        server: &str,
        tool: &str,
        capability: Option<&str>,
        target: &str,
    ) {
        let (rule_id, decision, reason) = match registry.find(server) {
            None => (
                "mcp.registry.unknown",
                Verdict::Block,
                format!("The MCP server `{server}` is not in the MCP trust registry."),
            ),
            Some(r)
                if r.trust_tier == TrustTier::Blocked
                    || r.approval_state == ApprovalState::Denied =>
            {
                (
                    "mcp.registry.blocked",
                    Verdict::Block,
                    format!("The MCP trust registry blocks `{server}` (tier or approval denied)."),
                )
            }
            Some(r)
                if r.approval_state == ApprovalState::Pending
                    || matches!(r.trust_tier, TrustTier::Unknown | TrustTier::Experimental) =>
            {
                (
                    "mcp.registry.requires_approval",
                    Verdict::RequireApproval,
                    format!("`{server}` is pending approval or not yet vetted in the MCP trust registry."),
                )
            }
            Some(r)
                if !r.allowed_tools.is_empty()
                    && !r.allowed_tools.iter().any(|t| t.eq_ignore_ascii_case(tool)) =>
            {
                (
                    "mcp.registry.tool_scope",
                    Verdict::RequireApproval,
                    format!("The tool `{tool}` is outside what `{server}` was approved for."),
                )
            }
            Some(r)
                if !r.capabilities.is_empty()
                    && !capability.is_some_and(|c| {
                        r.capabilities.iter().any(|x| x.eq_ignore_ascii_case(c))
                    }) =>
            {
                (
                    "mcp.registry.capability_scope",
                    Verdict::RequireApproval,
                    format!(
                        "The capability `{}` is outside what `{server}` was approved for.",
                        capability.unwrap_or("(none given)")
                    ),
                )
            }
            Some(_) => (
                "mcp.registry.allow",
                Verdict::Allow,
                format!("`{server}` is approved in the MCP trust registry for this tool."),
            ),
        };
        self.push(Hit {
            rule_id: Cow::Borrowed(rule_id),
            decision,
            pattern: None,
            source: "mcp registry".into(),
            severity: None,
            reason,
            approvers: (decision == Verdict::RequireApproval).then(|| "AI Governance".to_string()),
            kind: ActionKind::McpToolCall,
            target: target.to_string(),
        });
    }

    /// Severity from `mcp.risk_scoring`, by server name, then capability.
    pub(super) fn mcp_risk(&self, action: &Action) -> Option<Severity> {
        let Action::McpToolCall {
            server, capability, ..
        } = action
        else {
            return None;
        };
        let scoring = &self.policy.mcp.risk_scoring;
        scoring.get(&server.to_lowercase()).copied().or_else(|| {
            capability
                .as_ref()
                .and_then(|c| scoring.get(&c.to_lowercase()).copied())
        })
    }
}
