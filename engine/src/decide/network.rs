//! Network fetches (by host, after URL normalisation) and pull requests.

use super::*;

impl<'p> Evaluation<'p> {
    /// Evaluates a URL fetch; returns the normalised URL.
    pub(super) fn network(&mut self, raw: &str, main: bool) -> Result<String, InputError> {
        let kind = ActionKind::Network;
        let start = self.hits.len();
        if self.suspicious(kind, raw, false) {
            if !main {
                self.derive(kind, raw, Verdict::Block, "input.suspicious_characters");
            }
            return Ok(raw.to_string());
        }
        let url = match parse_url(raw) {
            Ok(url) => url,
            Err(e) if main => return Err(InputError::field("url", e.message)),
            Err(e) => {
                self.unjudgeable_part(
                    "network.unparseable",
                    kind,
                    raw,
                    format!("CAVRA cannot interpret the URL `{raw}`: {}.", e.message),
                );
                return Ok(raw.to_string());
            }
        };
        let policy = self.policy;
        let mut matched = false;
        for section in &policy.network {
            if let Some(pattern) = section.list.first_match(&url.host) {
                matched = true;
                let subject = format!("Fetching from `{}`", url.host);
                self.section_hit(
                    section.rule_id,
                    section.decision,
                    pattern,
                    kind,
                    &url.normalized,
                    &subject,
                );
            }
        }
        let facts = Facts {
            domain: Some(&url.host),
            ..Facts::default()
        };
        matched |= self.rules(kind, &url.normalized, &facts).is_some();
        if !matched {
            let default = policy.network_default;
            self.default_hit(
                Cow::Owned(format!("network.default.{default}")),
                default,
                kind,
                &url.normalized,
                format!(
                    "The domain `{}` is on no list, so it gets the default: {default}.",
                    url.host
                ),
            );
        }
        if !main {
            let (verdict, rule) = self.part_result(start);
            self.derive_owned(kind, &url.normalized, verdict, rule);
        }
        Ok(url.normalized)
    }

    /// Evaluates opening a pull request.
    pub(super) fn pull_request(&mut self, branch: Option<&str>) {
        let kind = ActionKind::PullRequest;
        let target = branch.unwrap_or("pull_request");
        let start = self.hits.len();
        let facts = Facts {
            branch,
            operation: Some("pull_request"),
            ..Facts::default()
        };
        self.rules(kind, target, &facts);
        if self.hits.len() == start {
            let attest = self.policy.policy.git.require_pull_request.unwrap_or(true)
                || self
                    .policy
                    .policy
                    .git
                    .require_ai_attestation
                    .unwrap_or(true);
            if attest {
                self.push(Hit {
                    rule_id: Cow::Borrowed("git.pull_request.allow_with_attestation"),
                    decision: Verdict::AllowWithAttestation,
                    pattern: None,
                    source: self
                        .policy
                        .git
                        .sources
                        .get("require_pull_request")
                        .map(|s| s.to_string())
                        .unwrap_or_else(|| "builtin".into()),
                    severity: None,
                    reason: "Opening a pull request is allowed; CAVRA attests that an AI agent prepared it, for the reviewers.".into(),
                    approvers: None,
                    kind,
                    target: target.to_string(),
                });
            } else {
                self.default_hit(
                    Cow::Borrowed("git.pull_request.allow"),
                    Verdict::Allow,
                    kind,
                    target,
                    "Opening a pull request is allowed.".into(),
                );
            }
        }
    }
}
