//! AI security posture: how well a policy, the way its evidence is signed
//! and kept, the enforcement mode and the session so far govern an AI
//! coding agent, as a score, a grade and findings with remediation.
//!
//! The assessment only reads a compiled policy and decision records; it
//! decides nothing. Every finding says what is wrong and what to change,
//! and the score is 100 minus a fixed weight per finding, so a reader can
//! recompute it by hand.

use crate::action::ActionKind;
use crate::decision::Decision;
use crate::policy::compile::CompiledPolicy;
use crate::policy::model::RuleTarget;
use crate::verdict::{Mode, Verdict};
use serde::Serialize;

/// Evidence is kept seven years unless said otherwise (SOX, banking and
/// most audit record-keeping rules ask for that); bundles use the same default.
pub const DEFAULT_RETENTION_DAYS: u32 = 2555;

/// How bundles are signed, weakest last.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum SignMode {
    /// Ed25519 signature: integrity and origin, verifiable with a public key.
    Ed25519,
    /// HMAC-SHA256: integrity and origin, but verifiers hold the signing secret.
    Hmac,
    /// A SHA-256 digest only: integrity, no origin.
    Sha256,
}

impl SignMode {
    /// Parses `ed25519`, `hmac` or `sha256`.
    pub fn parse(text: &str) -> Option<SignMode> {
        match text {
            "ed25519" => Some(SignMode::Ed25519),
            "hmac" => Some(SignMode::Hmac),
            "sha256" => Some(SignMode::Sha256),
            _ => None,
        }
    }
}

/// What the assessment is told about the deployment around the policy.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PostureOptions {
    /// How evidence bundles are signed (`None`: not signed at all).
    pub sign: Option<SignMode>,
    /// How long bundles are kept.
    pub retention_days: u32,
    /// Enforcement mode in use (`None`: the policy's own).
    pub mode: Option<Mode>,
}

impl Default for PostureOptions {
    fn default() -> Self {
        PostureOptions {
            sign: Some(SignMode::Ed25519),
            retention_days: DEFAULT_RETENTION_DAYS,
            mode: None,
        }
    }
}

/// How serious a finding is, least first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    /// Worth knowing; costs no points.
    Info,
    /// A small gap.
    Low,
    /// A gap an auditor would ask about.
    Medium,
    /// A gap an agent can fall through.
    High,
    /// Nothing stops the agent.
    Critical,
}

impl Level {
    /// Points the finding takes off the score of 100.
    pub fn weight(self) -> u32 {
        match self {
            Level::Info => 0,
            Level::Low => 3,
            Level::Medium => 8,
            Level::High => 15,
            Level::Critical => 40,
        }
    }
}

/// One thing to fix.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Finding {
    /// Stable id (`mcp.unknown_allowed`, `coverage.network`, ...).
    pub id: String,
    /// How serious it is.
    pub severity: Level,
    /// One line.
    pub title: String,
    /// What it means for the agent.
    pub detail: String,
    /// What to change.
    pub remediation: String,
}

/// Whether one kind of action is governed by the policy itself.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Coverage {
    /// Policy-language kind (`file_read`, `network`, ...).
    pub kind: &'static str,
    /// Human name ("File reads").
    pub label: &'static str,
    /// True when the policy has lists or rules for it beyond the defaults.
    pub governed: bool,
    /// What governs it, in a sentence.
    pub detail: String,
}

/// MCP trust coverage.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct McpPosture {
    /// Server patterns the policy trusts.
    pub trusted_servers: Vec<String>,
    /// Server patterns the policy blocks.
    pub blocked_servers: Vec<String>,
    /// What a server on neither list gets: `block` or `allow`.
    pub unknown_server_verdict: Verdict,
    /// Servers or capabilities with a risk level.
    pub risk_scored: Vec<String>,
    /// Rules written for MCP tool calls.
    pub rules: usize,
    /// MCP calls in the session.
    pub session_calls: usize,
    /// Of those, calls to servers the policy does not trust.
    pub session_untrusted_calls: usize,
}

/// How bundles are signed and what that proves.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Signing {
    /// `ed25519`, `hmac`, `sha256`, or null when unsigned.
    pub mode: Option<SignMode>,
    /// `strong`, `moderate`, `weak` or `none`.
    pub strength: &'static str,
    /// What a verifier learns.
    pub detail: &'static str,
}

/// How long evidence is kept.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Retention {
    /// Days bundles are kept.
    pub days: u32,
    /// The days asked for ([`DEFAULT_RETENTION_DAYS`]).
    pub required_days: u32,
    /// Whether `days` reaches `required_days`.
    pub meets: bool,
    /// In a sentence.
    pub detail: String,
}

/// What the session so far shows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SessionPosture {
    /// Decisions made.
    pub decisions: usize,
    /// Verdict block.
    pub blocked: usize,
    /// Verdict require_approval.
    pub require_approval: usize,
    /// Verdict allow.
    pub allowed: usize,
    /// Verdict allow_with_attestation.
    pub attested: usize,
    /// Blocked or held actions that went ahead anyway (audit_only).
    pub not_enforced: usize,
    /// Blocks turned into approvals by break-glass.
    pub break_glass: usize,
    /// Reads stopped by `filesystem.block_read` (credentials, state files).
    pub blocked_secret_reads: usize,
    /// Mean risk score, 0 when the session is empty.
    pub average_risk: u32,
    /// Highest risk score.
    pub max_risk: u8,
}

/// The whole assessment.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Posture {
    /// 100 minus the weights of the findings, at least 0.
    pub score: u32,
    /// A (90+), B (80+), C (70+), D (60+) or F.
    pub grade: &'static str,
    /// Pack id of the policy assessed.
    pub policy_id: String,
    /// The mode in force: the option's, else the policy's.
    pub mode: Mode,
    /// One entry per action kind.
    pub governed: Vec<Coverage>,
    /// MCP trust coverage.
    pub mcp: McpPosture,
    /// Signing strength.
    pub signing: Signing,
    /// Retention.
    pub retention: Retention,
    /// The session so far.
    pub session: SessionPosture,
    /// Most severe first.
    pub findings: Vec<Finding>,
}

/// Assesses a policy with the deployment options and the session's decisions.
pub fn assess(
    policy: &CompiledPolicy,
    decisions: &[Decision],
    options: &PostureOptions,
) -> Posture {
    let mode = options.mode.unwrap_or(policy.mode);
    let mut findings = Vec::new();
    let governed = coverage(policy, &mut findings);
    let mcp = mcp_posture(policy, decisions, &mut findings);
    mode_findings(mode, &mut findings);
    let signing = signing(options.sign, &mut findings);
    let retention = retention(options.retention_days, &mut findings);
    let session = session(decisions, &mut findings);
    findings.sort_by(|a, b| b.severity.cmp(&a.severity).then(a.id.cmp(&b.id)));
    let lost: u32 = findings.iter().map(|f| f.severity.weight()).sum();
    let score = 100u32.saturating_sub(lost);
    Posture {
        score,
        grade: grade(score),
        policy_id: policy.id().to_string(),
        mode,
        governed,
        mcp,
        signing,
        retention,
        session,
        findings,
    }
}

/// The letter for a score.
pub fn grade(score: u32) -> &'static str {
    match score {
        90.. => "A",
        80..=89 => "B",
        70..=79 => "C",
        60..=69 => "D",
        _ => "F",
    }
}

fn finding(id: &str, severity: Level, title: &str, detail: String, remediation: &str) -> Finding {
    Finding {
        id: id.to_string(),
        severity,
        title: title.to_string(),
        detail,
        remediation: remediation.to_string(),
    }
}

/// Rules written for a kind (including `action: any` rules).
fn rule_count(policy: &CompiledPolicy, kind: ActionKind) -> usize {
    policy
        .policy
        .rules
        .iter()
        .filter(|r| matches!(r.target, RuleTarget::Any) || r.target == RuleTarget::Kind(kind))
        .count()
}

fn plural(n: usize, one: &str) -> String {
    if n == 1 {
        format!("1 {one}")
    } else {
        format!("{n} {one}s")
    }
}

/// The text with its first letter in upper case.
fn capitalized(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// One coverage entry per kind, with a finding for each ungoverned kind
/// and for permissive defaults.
fn coverage(policy: &CompiledPolicy, findings: &mut Vec<Finding>) -> Vec<Coverage> {
    let p = &policy.policy;
    let fs = &p.filesystem;
    let rules = |kind| rule_count(policy, kind);
    let lists = |noun: &str, counts: [(usize, &str); 3], r: usize| {
        let mut parts: Vec<String> = counts
            .iter()
            .filter(|(n, _)| *n > 0)
            .map(|(n, what)| format!("{} {what}", plural(*n, noun)))
            .collect();
        if r > 0 {
            parts.push(plural(r, "rule"));
        }
        parts.join(", ")
    };

    let read = lists(
        "path",
        [
            (fs.block_read.len(), "blocked"),
            (fs.require_approval_read.len(), "requiring approval"),
            (fs.allow_read.len(), "allowed"),
        ],
        rules(ActionKind::FileRead),
    );
    let write = lists(
        "path",
        [
            (fs.block_write.len(), "blocked"),
            (fs.require_approval_write.len(), "requiring approval"),
            (fs.allow_write.len(), "allowed"),
        ],
        rules(ActionKind::FileWrite),
    );
    let cmd = &p.commands;
    let commands = lists(
        "command",
        [
            (cmd.block.len(), "blocked"),
            (cmd.require_approval.len(), "requiring approval"),
            (cmd.allow.len(), "allowed"),
        ],
        rules(ActionKind::Command),
    );
    let net = &p.network;
    let network = lists(
        "domain",
        [
            (net.block_domains.len(), "blocked"),
            (0, ""),
            (net.allow_domains.len(), "allowed"),
        ],
        rules(ActionKind::Network),
    );

    let mut out = Vec::new();
    let mut entry = |kind: ActionKind, label, governed: String, otherwise: String| {
        let is_governed = !governed.is_empty();
        out.push(Coverage {
            kind: kind.policy_name(),
            label,
            governed: is_governed,
            detail: if is_governed {
                capitalized(&format!("{governed}; {otherwise}"))
            } else {
                format!("Nothing in the policy; {otherwise}")
            },
        });
        is_governed
    };

    if !entry(
        ActionKind::FileRead,
        "File reads",
        read,
        "other reads are allowed.".into(),
    ) {
        findings.push(finding(
            "coverage.file_read",
            Level::High,
            "No rule for file reads",
            "The agent can read any file, credentials and state files included, into its context.".into(),
            "List credential and state files (.env, *.pem, *.key, *.tfstate, ...) in filesystem.block_read.",
        ));
    }
    if !entry(
        ActionKind::FileWrite,
        "File writes",
        write,
        "other writes are allowed.".into(),
    ) {
        findings.push(finding(
            "coverage.file_write",
            Level::Medium,
            "No rule for file writes",
            "The agent can change CI workflows, infrastructure and security code without anyone looking.".into(),
            "Block CI workflows and root Terraform in filesystem.block_write; require approval for IAM and security code.",
        ));
    }
    let command_default = policy.command_default;
    if !entry(
        ActionKind::Command,
        "Commands",
        commands,
        format!("unlisted commands get {command_default}."),
    ) {
        findings.push(finding(
            "coverage.command",
            if command_default.is_allowed() { Level::High } else { Level::Medium },
            "No rule for commands",
            format!("Every command gets the default, {command_default}: destructive commands are not told apart from builds and tests."),
            "Block destructive commands (terraform apply/destroy, kubectl delete, rm -rf /) and allow the everyday ones (build, test, lint).",
        ));
    } else if command_default.is_allowed() {
        findings.push(finding(
            "commands.default_allow",
            Level::Medium,
            "Unlisted commands are allowed",
            "A command the policy does not know runs without a human.".into(),
            "Set commands.default: require_approval and allow the commands the agent needs by name.",
        ));
    }
    git_coverage(policy, &mut entry, findings);
    let mcp_governed = {
        let m = &p.mcp;
        let mut parts = Vec::new();
        if !m.allowed_servers.is_empty() {
            parts.push(format!(
                "{} trusted",
                plural(m.allowed_servers.len(), "server")
            ));
        }
        if !m.blocked_servers.is_empty() {
            parts.push(format!(
                "{} blocked",
                plural(m.blocked_servers.len(), "server")
            ));
        }
        if m.block_unknown_servers.is_some() {
            parts.push("unknown-server handling set".into());
        }
        let r = rules(ActionKind::McpToolCall);
        if r > 0 {
            parts.push(plural(r, "rule"));
        }
        parts.join(", ")
    };
    let unknown = if policy.mcp.block_unknown_servers {
        "blocked"
    } else {
        "allowed"
    };
    if !entry(
        ActionKind::McpToolCall,
        "MCP tool calls",
        mcp_governed,
        format!("unknown servers are {unknown}."),
    ) {
        findings.push(finding(
            "coverage.mcp_tool_call",
            Level::Low,
            "No MCP rules",
            "Only the built-in default applies: every MCP server is unknown, so every MCP call is blocked.".into(),
            "List the MCP servers you vetted in mcp.allowed_servers.",
        ));
    }
    let network_default = policy.network_default;
    if !entry(
        ActionKind::Network,
        "Network requests",
        network,
        format!("unlisted domains get {network_default}."),
    ) {
        findings.push(finding(
            "coverage.network",
            if network_default.is_allowed() { Level::High } else { Level::Medium },
            "No rule for network requests",
            format!("Every URL gets the default, {network_default}: paste sites and cloud metadata endpoints are not blocked."),
            "Block exfiltration sinks (pastebin.com, webhook.site, *.ngrok.io, 169.254.169.254) in network.block_domains and allow the registries you use.",
        ));
    } else if network_default.is_allowed() {
        findings.push(finding(
            "network.default_allow",
            Level::Medium,
            "Unlisted domains are allowed",
            "The agent can send data to any domain the policy does not name.".into(),
            "Set network.default: require_approval and allow the domains the agent needs by name.",
        ));
    }
    pull_request_coverage(policy, &mut entry, findings);
    out
}

/// Git: governed when the policy sets its own git section or rules; the
/// built-in defaults still protect main and master.
fn git_coverage(
    policy: &CompiledPolicy,
    entry: &mut impl FnMut(ActionKind, &'static str, String, String) -> bool,
    findings: &mut Vec<Finding>,
) {
    let git = &policy.policy.git;
    let settings = &policy.git;
    let mut parts = Vec::new();
    if !git.protected_branches.is_empty() {
        parts.push(format!(
            "{} protected",
            plural(git.protected_branches.len(), "branch pattern")
        ));
    }
    if !git.sources.is_empty() {
        parts.push(plural(git.sources.len(), "git setting"));
    }
    let r = rule_count(policy, ActionKind::Git);
    if r > 0 {
        parts.push(plural(r, "rule"));
    }
    let direct = if settings.block_direct_push {
        "blocked"
    } else {
        "allowed"
    };
    let force = if settings.block_force_push {
        "blocked"
    } else {
        "allowed"
    };
    if !entry(
        ActionKind::Git,
        "Git",
        parts.join(", "),
        format!("direct pushes to protected branches are {direct}, force pushes {force}."),
    ) {
        findings.push(finding(
            "coverage.git",
            Level::Low,
            "No git rules of the policy's own",
            "CAVRA's built-in defaults protect main and master; the policy does not say which branches matter to you.".into(),
            "Name your protected branches in git.protected_branches and set the git guards explicitly.",
        ));
    }
    if !settings.block_force_push {
        findings.push(finding(
            "git.force_push_allowed",
            Level::High,
            "Force pushes are allowed",
            "The agent can rewrite published history.".into(),
            "Set git.block_force_push: true.",
        ));
    }
    if !settings.block_direct_push {
        findings.push(finding(
            "git.direct_push_allowed",
            Level::Medium,
            "Direct pushes to protected branches are allowed",
            "Changes can reach a protected branch without review.".into(),
            "Set git.block_direct_push_to_protected_branch: true so changes go through pull requests.",
        ));
    }
}

/// Pull requests: governed by `git.require_pull_request`/attestation or rules.
fn pull_request_coverage(
    policy: &CompiledPolicy,
    entry: &mut impl FnMut(ActionKind, &'static str, String, String) -> bool,
    findings: &mut Vec<Finding>,
) {
    let git = &policy.policy.git;
    let mut parts = Vec::new();
    if git.require_pull_request.is_some() || git.require_ai_attestation.is_some() {
        parts.push("attestation set in git settings".to_string());
    }
    let r = rule_count(policy, ActionKind::PullRequest);
    if r > 0 {
        parts.push(plural(r, "rule"));
    }
    let attested =
        git.require_pull_request.unwrap_or(true) || git.require_ai_attestation.unwrap_or(true);
    let otherwise = if attested {
        "pull requests are allowed with an AI attestation."
    } else {
        "pull requests are allowed without attestation."
    };
    if !entry(
        ActionKind::PullRequest,
        "Pull requests",
        parts.join(", "),
        otherwise.into(),
    ) {
        findings.push(finding(
            "coverage.pull_request",
            Level::Low,
            "No rule for pull requests",
            "Pull requests get CAVRA's built-in attestation; the policy does not decide it.".into(),
            "Set git.require_pull_request and git.require_ai_attestation explicitly.",
        ));
    }
    if !attested {
        findings.push(finding(
            "pull_request.not_attested",
            Level::Low,
            "Pull requests are not attested",
            "Reviewers are not told an AI agent prepared the change.".into(),
            "Set git.require_ai_attestation: true.",
        ));
    }
}

/// MCP trust coverage, with a finding when unknown servers get through.
fn mcp_posture(
    policy: &CompiledPolicy,
    decisions: &[Decision],
    findings: &mut Vec<Finding>,
) -> McpPosture {
    let m = &policy.policy.mcp;
    let texts =
        |list: &[crate::policy::model::Pattern]| list.iter().map(|p| p.text.clone()).collect();
    let calls: Vec<&Decision> = decisions
        .iter()
        .filter(|d| d.action_type == "mcp_tool_call")
        .collect();
    let untrusted = calls
        .iter()
        .filter(|d| {
            d.matched_rules
                .iter()
                .any(|r| r.rule_id.ends_with("_unknown"))
        })
        .count();
    let unknown_server_verdict = if policy.mcp.block_unknown_servers {
        Verdict::Block
    } else {
        findings.push(finding(
            "mcp.unknown_allowed",
            Level::High,
            "Unknown MCP servers are allowed",
            format!(
                "Any MCP server the agent is configured with runs its tools unvetted{}.",
                if untrusted > 0 {
                    format!(" ({} in this session)", plural(untrusted, "such call"))
                } else {
                    String::new()
                }
            ),
            "Set mcp.block_unknown_servers: true and list the servers you vetted in mcp.allowed_servers.",
        ));
        Verdict::Allow
    };
    McpPosture {
        trusted_servers: texts(&m.allowed_servers),
        blocked_servers: texts(&m.blocked_servers),
        unknown_server_verdict,
        risk_scored: m.risk_scoring.keys().cloned().collect(),
        rules: rule_count(policy, ActionKind::McpToolCall),
        session_calls: calls.len(),
        session_untrusted_calls: untrusted,
    }
}

/// Modes that weaken enforcement.
fn mode_findings(mode: Mode, findings: &mut Vec<Finding>) {
    match mode {
        Mode::AuditOnly => findings.push(finding(
            "mode.audit_only",
            Level::Critical,
            "Mode audit_only: nothing is enforced",
            "Verdicts are recorded, but every action goes ahead, blocked ones included.".into(),
            "Switch to enforce once the policy's verdicts have been reviewed in shadow mode.",
        )),
        Mode::BreakGlass => findings.push(finding(
            "mode.break_glass",
            Level::High,
            "Break-glass mode: blocks become approvals",
            "Actions the policy blocks can go ahead with a change advisory board approval.".into(),
            "Return to enforce as soon as the emergency is over, and review every break-glass decision.",
        )),
        Mode::Enforce | Mode::Strict => {}
    }
}

/// What the signing mode proves to an auditor.
fn signing(mode: Option<SignMode>, findings: &mut Vec<Finding>) -> Signing {
    let (strength, detail) = match mode {
        Some(SignMode::Ed25519) => (
            "strong",
            "Ed25519 signature: anyone with the public key checks integrity and origin offline.",
        ),
        Some(SignMode::Hmac) => (
            "moderate",
            "HMAC-SHA256: integrity and origin, but whoever verifies holds the secret that signs.",
        ),
        Some(SignMode::Sha256) => (
            "weak",
            "SHA-256 digests only: a changed file is detected, but anyone can recompute the digests.",
        ),
        None => ("none", "Bundles are not signed: nothing proves they are unchanged."),
    };
    match mode {
        Some(SignMode::Hmac) => findings.push(finding(
            "signing.hmac",
            Level::Low,
            "Bundles are HMAC-signed: verifiers can also sign",
            "Anyone given the key to verify a bundle could forge one.".into(),
            "Sign with Ed25519 and hand auditors only the public key.",
        )),
        Some(SignMode::Sha256) => findings.push(finding(
            "signing.digest_only",
            Level::Medium,
            "Bundles only digest-signed (sha256): integrity without origin",
            "A bundle rebuilt by someone else verifies just as well as yours.".into(),
            "Sign bundles with Ed25519 and give auditors the public key.",
        )),
        None => findings.push(finding(
            "signing.none",
            Level::High,
            "Bundles are not signed",
            "Evidence can be edited without anyone noticing.".into(),
            "Sign bundles with Ed25519 and give auditors the public key.",
        )),
        Some(SignMode::Ed25519) => {}
    }
    Signing {
        mode,
        strength,
        detail,
    }
}

/// Retention against the seven-year default.
fn retention(days: u32, findings: &mut Vec<Finding>) -> Retention {
    let meets = days >= DEFAULT_RETENTION_DAYS;
    let years = f64::from(days) / 365.0;
    let detail = format!(
        "Bundles are kept {days} days (about {years:.1} years); {DEFAULT_RETENTION_DAYS} days (7 years) covers SOX and most audit record-keeping rules."
    );
    if !meets {
        findings.push(finding(
            "retention.short",
            Level::Medium,
            &format!("Retention below {DEFAULT_RETENTION_DAYS} days"),
            format!("Evidence kept {days} days may be gone before an auditor asks for it."),
            "Keep bundles at least 2555 days (retentionDays), or set a legal hold.",
        ));
    }
    Retention {
        days,
        required_days: DEFAULT_RETENTION_DAYS,
        meets,
        detail,
    }
}

/// Session counts, with findings for what the session reveals.
fn session(decisions: &[Decision], findings: &mut Vec<Finding>) -> SessionPosture {
    let count = |verdict: Verdict| decisions.iter().filter(|d| d.decision == verdict).count();
    let not_enforced = decisions
        .iter()
        .filter(|d| !d.decision.is_allowed() && d.effective_decision.is_allowed())
        .count();
    let break_glass = decisions.iter().filter(|d| d.break_glass).count();
    let secret_reads: Vec<&str> = decisions
        .iter()
        .filter(|d| d.decision == Verdict::Block && d.rule_id == "filesystem.read.block")
        .map(|d| d.target.as_str())
        .collect();
    let total_risk: u32 = decisions.iter().map(|d| u32::from(d.risk_score)).sum();
    let average_risk = u32::try_from(decisions.len())
        .ok()
        .filter(|n| *n > 0)
        .map_or(0, |n| (total_risk + n / 2) / n);
    if not_enforced > 0 {
        findings.push(finding(
            "session.not_enforced",
            Level::High,
            "Blocked actions went ahead",
            format!(
                "{} the policy blocks or holds went ahead because nothing is enforced.",
                plural(not_enforced, "action")
            ),
            "Review these actions now, and switch the mode to enforce.",
        ));
    }
    if break_glass > 0 {
        findings.push(finding(
            "session.break_glass",
            Level::Medium,
            "Blocks were turned into approvals",
            format!(
                "{} would have been blocked; break-glass sent them to the change advisory board.",
                plural(break_glass, "action")
            ),
            "Review each break-glass approval after the emergency.",
        ));
    }
    if !secret_reads.is_empty() {
        findings.push(finding(
            "session.secret_reads",
            Level::Low,
            "The session tried to read protected files",
            format!(
                "{} blocked ({}): the agent went looking for credentials or state.",
                if secret_reads.len() == 1 { "1 read was".to_string() } else { format!("{} reads were", secret_reads.len()) },
                secret_reads.join(", ")
            ),
            "Find out why the agent asked (its task, its instructions, injected text), and keep secrets out of the workspace.",
        ));
    }
    SessionPosture {
        decisions: decisions.len(),
        blocked: count(Verdict::Block),
        require_approval: count(Verdict::RequireApproval),
        allowed: count(Verdict::Allow),
        attested: count(Verdict::AllowWithAttestation),
        not_enforced,
        break_glass,
        blocked_secret_reads: secret_reads.len(),
        average_risk,
        max_risk: decisions.iter().map(|d| d.risk_score).max().unwrap_or(0),
    }
}
