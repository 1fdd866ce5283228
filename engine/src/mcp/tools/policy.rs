//! The policy tools: `cavra.policy_list` shows the packs and the active
//! policy, `cavra.policy_validate` checks policy text the way `cavra policy
//! validate` checks a file (load with inheritance, then compile).

use super::super::args::Args;
use super::super::{Host, Server};
use super::Output;
use crate::policy::compile::CompiledPolicy;
use crate::policy::diagnostic::Diagnostic;
use crate::policy::library::parse_policy;
use crate::policy::source::MAX_POLICY_BYTES;
use serde_json::json;

/// `cavra.policy_list`.
pub(super) fn list<H: Host>(server: &mut Server<H>) -> Result<Output, String> {
    let packs = server.config.library.summaries();
    let policy = &server.config.policy;
    Ok(Output::json(json!({
        "active": {
            "id": policy.id(),
            "version": policy.version(),
            "digest": policy.digest,
            "mode": server.config.options.mode.unwrap_or(policy.mode).as_str(),
        },
        "packs": packs,
    })))
}

/// `cavra.policy_validate`. An invalid policy is a successful call with
/// `ok: false`; only a bad argument is a tool error.
pub(super) fn validate<H: Host>(server: &mut Server<H>, args: &Args) -> Result<Output, String> {
    let text = args.string("policy")?;
    if text.len() > MAX_POLICY_BYTES {
        return Err(format!(
            "argument `policy` is {} bytes; policies are limited to {MAX_POLICY_BYTES} bytes",
            text.len()
        ));
    }
    let file = "<policy>";
    let library = &server.config.library;
    let mut diagnostics: Vec<Diagnostic> = Vec::new();
    let mut summary = None;
    match (parse_policy(&text, file), library.load_text(&text, file)) {
        (Ok(_), Ok(merged)) => match CompiledPolicy::compile(&merged) {
            Ok(compiled) => {
                summary = Some(json!({
                    "id": compiled.id(),
                    "version": compiled.version(),
                    "rules": compiled.rules.len(),
                    "digest": compiled.digest,
                }));
            }
            Err(d) => diagnostics.extend(d),
        },
        (Err(d), _) | (_, Err(d)) => diagnostics.extend(d),
    }
    let errors = diagnostics.iter().filter(|d| d.is_error()).count();
    let ok = summary.is_some() && errors == 0;
    let messages: Vec<String> = diagnostics.iter().map(ToString::to_string).collect();
    Ok(Output::json(json!({
        "ok": ok,
        "policy": summary,
        "errors": errors,
        "diagnostics": diagnostics,
        "messages": messages,
    })))
}
