//! The engine's JSON facade: each verb takes JSON (or policy text) and
//! returns JSON text, so every surface that is not Rust (the browser's wasm
//! bindings, parity tests between native and wasm) calls the same functions
//! and agreement between targets is a string comparison.
//!
//! Nothing here reads a clock or randomness: callers pass decision stamps,
//! bundle times and key seeds. Errors are one sentence, returned as `Err`
//! (the wasm layer throws them as JavaScript `Error`s).

use crate::action::ActionRequest;
use crate::decide::{decide, DecideOptions};
use crate::decision::{Decision, DecisionStamp};
use crate::evidence::session_log::SessionLog;
use crate::evidence::signature::{
    generate_ed25519, parse_private_pem, parse_public_pem, Signer, Verifier,
};
use crate::evidence::verify::{verify_zip, VerifyOptions};
use crate::evidence::zip::write_zip;
use crate::evidence::{build_bundle_for, BundleContext, PolicyRef};
use crate::explain::explain;
use crate::policy::compile::CompiledPolicy;
use crate::policy::diagnostic::Diagnostic;
use crate::policy::library::{Library, DEFAULT_PACK};
use crate::policy::model::Policy;
use crate::verdict::Mode;
use serde_json::{json, Map, Value};

fn to_text(value: &Value) -> String {
    serde_json::to_string(value).unwrap_or_default()
}

fn object(text: &str, what: &str) -> Result<Map<String, Value>, String> {
    if text.trim().is_empty() {
        return Ok(Map::new());
    }
    match serde_json::from_str::<Value>(text) {
        Ok(Value::Object(map)) => Ok(map),
        Ok(_) => Err(format!("{what} must be a JSON object")),
        Err(e) => Err(format!("{what} is not valid JSON: {e}")),
    }
}

fn opt_str<'a>(map: &'a Map<String, Value>, key: &str) -> Option<&'a str> {
    map.get(key).and_then(Value::as_str)
}

/// The engine version.
pub fn version() -> String {
    crate::ENGINE_VERSION.to_string()
}

/// The built-in packs: `[{id, title, description, version, inherits, file, error}]`.
pub fn packs() -> String {
    serde_json::to_string(&Library::embedded().summaries()).unwrap_or_else(|_| "[]".into())
}

/// The YAML text of a built-in pack (what the browser's policy editor opens).
pub fn pack_source(id: &str) -> Result<String, String> {
    Library::embedded()
        .get(id.trim())
        .map(|pack| pack.text.clone())
        .ok_or_else(|| format!("no built-in pack `{}`", id.trim()))
}

/// Loads policy text, or a built-in pack when the text is a pack id.
fn load(policy_or_pack: &str) -> Result<Policy, Vec<Diagnostic>> {
    let library = Library::embedded();
    let trimmed = policy_or_pack.trim();
    if library.get(trimmed).is_some() {
        library.load_pack(trimmed)
    } else {
        library.load_text(policy_or_pack, "policy.yaml")
    }
}

fn diagnostics_json(diagnostics: &[Diagnostic]) -> Value {
    Value::Array(
        diagnostics
            .iter()
            .map(|d| {
                json!({"message": d.message, "path": d.path, "line": d.line,
                       "column": d.column, "help": d.help})
            })
            .collect(),
    )
}

/// Validates policy text: `{ok, errors: [{message, path, line, column, help}], warnings}`.
/// Columns count characters (the browser's editor converts them to UTF-16 offsets).
pub fn validate_policy(text: &str) -> String {
    let (errors, warnings) = match load(text) {
        Ok(policy) => match CompiledPolicy::compile(&policy) {
            Ok(_) => (Vec::new(), Vec::new()),
            Err(errors) => (errors, Vec::new()),
        },
        Err(diagnostics) => diagnostics.into_iter().partition(Diagnostic::is_error),
    };
    to_text(&json!({
        "ok": errors.is_empty(),
        "errors": diagnostics_json(&errors),
        "warnings": diagnostics_json(&warnings),
    }))
}

fn compiled(policy_or_pack: &str) -> Result<(Policy, CompiledPolicy), String> {
    let render = |d: Vec<Diagnostic>| crate::policy::diagnostic::render(&d);
    let policy = load(policy_or_pack).map_err(render)?;
    let compiled = CompiledPolicy::compile(&policy).map_err(render)?;
    Ok((policy, compiled))
}

/// Runs a policy's own `tests:`; the test report as JSON.
pub fn run_policy_tests(policy_or_pack: &str) -> Result<String, String> {
    let (policy, compiled) = compiled(policy_or_pack)?;
    let report = crate::policy::testing::run_tests(&compiled, &policy.tests);
    serde_json::to_string(&report).map_err(|e| e.to_string())
}

/// What changed between two policies, and which decisions change.
pub fn diff_policies(old: &str, new: &str) -> Result<String, String> {
    let (old_policy, old_compiled) = compiled(old)?;
    let (new_policy, new_compiled) = compiled(new)?;
    let diff = crate::policy::diff::diff(&old_policy, &new_policy, &old_compiled, &new_compiled);
    serde_json::to_string(&diff).map_err(|e| e.to_string())
}

/// The AI security posture of a policy (text or pack id) with the
/// session's decisions (a JSON array of decision records, or empty) and
/// options `{sign?: "ed25519"|"hmac"|"sha256"|null, retentionDays?, mode?}`:
/// `{score, grade, governed, mcp, signing, retention, session, findings}`.
/// A missing `sign` means sha256 (what bundles default to); `null` means
/// unsigned. A missing `mode` means the policy's own.
pub fn posture(
    policy_or_pack: &str,
    decisions_json: &str,
    options_json: &str,
) -> Result<String, String> {
    use crate::posture::{assess, PostureOptions, SignMode, DEFAULT_RETENTION_DAYS};
    let (_, policy) = compiled(policy_or_pack)?;
    let decisions: Vec<Decision> = if decisions_json.trim().is_empty() {
        Vec::new()
    } else {
        serde_json::from_str(decisions_json)
            .map_err(|e| format!("decisions must be a JSON array of decision records: {e}"))?
    };
    let options = object(options_json, "posture options")?;
    let sign = match options.get("sign") {
        None => Some(SignMode::Sha256),
        Some(Value::Null) => None,
        Some(value) => Some(value.as_str().and_then(SignMode::parse).ok_or_else(|| {
            format!("unknown signing mode {value} (ed25519, hmac, sha256 or null)")
        })?),
    };
    let retention_days = match options.get("retentionDays") {
        None | Some(Value::Null) => DEFAULT_RETENTION_DAYS,
        Some(v) => v
            .as_u64()
            .and_then(|d| u32::try_from(d).ok())
            .filter(|d| *d >= 1)
            .ok_or("`retentionDays` must be a whole number of days, at least 1")?,
    };
    let mode = match opt_str(&options, "mode") {
        Some(name) => Some(Mode::parse(name).ok_or_else(|| {
            format!("unknown mode `{name}` (enforce, audit_only, strict, break_glass)")
        })?),
        None => None,
    };
    let report = assess(
        &policy,
        &decisions,
        &PostureOptions {
            sign,
            retention_days,
            mode,
        },
    );
    serde_json::to_string(&report).map_err(|e| e.to_string())
}

/// A key pair from 32 bytes of the caller's randomness:
/// `{privateKeyPem, publicKeyPem, keyId}`.
pub fn generate_key_pair(seed: [u8; 32]) -> Result<String, String> {
    let pair = generate_ed25519(seed).map_err(|e| e.to_string())?;
    Ok(to_text(&json!({
        "privateKeyPem": pair.private_pem,
        "publicKeyPem": pair.public_pem,
        "keyId": pair.key_id,
    })))
}

/// Verifies a bundle ZIP; options `{publicKeyPem?, hmacKey?, strict?,
/// allowUnverified?, minRetentionDays?}`. The verification report as JSON.
pub fn verify_bundle(zip: &[u8], options_json: &str) -> Result<String, String> {
    let options = object(options_json, "verify options")?;
    let verifier = if let Some(pem) = opt_str(&options, "publicKeyPem") {
        Verifier::Ed25519 {
            key: parse_public_pem(pem).map_err(|e| e.to_string())?,
            expected_key_id: None,
        }
    } else if let Some(secret) = opt_str(&options, "hmacKey") {
        Verifier::Hmac {
            secret: secret.as_bytes().to_vec(),
        }
    } else {
        Verifier::None
    };
    let report = verify_zip(
        zip,
        &VerifyOptions {
            verifier,
            strict: options
                .get("strict")
                .and_then(Value::as_bool)
                .unwrap_or(false),
            allow_unverified: options
                .get("allowUnverified")
                .and_then(Value::as_bool)
                .unwrap_or(false),
            min_retention_days: options
                .get("minRetentionDays")
                .and_then(Value::as_u64)
                .and_then(|d| u32::try_from(d).ok()),
            expected_key_id: None,
        },
    );
    serde_json::to_string(&report).map_err(|e| e.to_string())
}

/// A policy, its options and the session's decisions: what the browser's
/// `Engine` object holds.
pub struct Session {
    policy: CompiledPolicy,
    options: DecideOptions,
    session_id: Option<String>,
    agent_id: Option<String>,
    log: SessionLog,
    decisions: Vec<Decision>,
}

/// A bundle built by [`Session::bundle`].
pub struct BuiltBundle {
    /// `{"files": {name: text}, "manifest": {...}}` as JSON.
    pub json: String,
    /// The reproducible ZIP.
    pub zip: Vec<u8>,
}

impl Session {
    /// A session over policy text or a pack id (empty: the baseline), with
    /// options `{mode?, workspace?, sessionId?, agentId?}`.
    pub fn new(policy_or_pack: &str, options_json: &str) -> Result<Session, String> {
        let options = object(options_json, "engine options")?;
        let source = if policy_or_pack.trim().is_empty() {
            DEFAULT_PACK
        } else {
            policy_or_pack
        };
        let (_, policy) = compiled(source)?;
        let mode = match opt_str(&options, "mode") {
            Some(name) => Some(Mode::parse(name).ok_or_else(|| {
                format!("unknown mode `{name}` (enforce, audit_only, strict, break_glass)")
            })?),
            None => None,
        };
        Ok(Session {
            policy,
            options: DecideOptions {
                mode,
                workspace: opt_str(&options, "workspace").map(str::to_string),
                mcp_registry: None,
            },
            session_id: opt_str(&options, "sessionId").map(str::to_string),
            agent_id: opt_str(&options, "agentId").map(str::to_string),
            log: SessionLog::new(),
            decisions: Vec::new(),
        })
    }

    fn decide(&mut self, action_json: &str, stamp: DecisionStamp) -> Result<Decision, String> {
        let mut request = ActionRequest::from_json_str(action_json).map_err(|e| e.to_string())?;
        if request.context.session_id.is_none() {
            request.context.session_id = self.session_id.clone();
        }
        if request.context.agent_id.is_none() {
            request.context.agent_id = self.agent_id.clone();
        }
        let decision =
            decide(&self.policy, &request, &self.options, stamp).map_err(|e| e.to_string())?;
        self.log.append(&decision);
        self.decisions.push(decision.clone());
        Ok(decision)
    }

    /// Evaluates one action (the `--action-json` form) and logs it; the
    /// decision record as JSON.
    pub fn evaluate(&mut self, action_json: &str, stamp: DecisionStamp) -> Result<String, String> {
        let decision = self.decide(action_json, stamp)?;
        serde_json::to_string(&decision).map_err(|e| e.to_string())
    }

    /// Evaluates, logs and explains: `{decision, prose}`.
    pub fn explain(&mut self, action_json: &str, stamp: DecisionStamp) -> Result<String, String> {
        let decision = self.decide(action_json, stamp)?;
        let prose = explain(&decision);
        Ok(to_text(&json!({"decision": decision, "prose": prose})))
    }

    /// The session's decisions, as a JSON array.
    pub fn log(&self) -> String {
        serde_json::to_string(&self.decisions).unwrap_or_else(|_| "[]".into())
    }

    /// Builds the session's evidence bundle at `created_at`; options
    /// `{sign: "ed25519"|"hmac"|"sha256", privateKeyPem?, hmacKey?, keyId?,
    /// retentionDays?, legalHold?}`.
    pub fn bundle(&self, options_json: &str, created_at: &str) -> Result<BuiltBundle, String> {
        let options = object(options_json, "bundle options")?;
        let signer = match opt_str(&options, "sign").unwrap_or("sha256") {
            "sha256" => Signer::Sha256,
            "hmac" => Signer::Hmac {
                secret: opt_str(&options, "hmacKey")
                    .ok_or("HMAC signing needs `hmacKey`")?
                    .as_bytes()
                    .to_vec(),
            },
            "ed25519" => Signer::Ed25519 {
                key: parse_private_pem(
                    opt_str(&options, "privateKeyPem")
                        .ok_or("Ed25519 signing needs `privateKeyPem`")?,
                )
                .map_err(|e| e.to_string())?,
                key_id: opt_str(&options, "keyId").map(str::to_string),
            },
            other => {
                return Err(format!(
                    "unknown signing mode `{other}` (ed25519, hmac, sha256)"
                ))
            }
        };
        let retention_days = match options.get("retentionDays") {
            None | Some(Value::Null) => 2555,
            Some(v) => v
                .as_u64()
                .and_then(|d| u32::try_from(d).ok())
                .filter(|d| *d >= 1)
                .ok_or("`retentionDays` must be a whole number of days, at least 1")?,
        };
        let ctx = BundleContext {
            session_id: self
                .session_id
                .clone()
                .or_else(|| self.decisions.first().map(|d| d.session_id.clone()))
                .unwrap_or_else(|| "local".into()),
            created_at: created_at.to_string(),
            policy: PolicyRef {
                id: self.policy.id().to_string(),
                version: self.policy.version().to_string(),
                digest: self.policy.digest.clone(),
            },
            retention_days,
            legal_hold: options
                .get("legalHold")
                .and_then(Value::as_bool)
                .unwrap_or(false),
            classification: "regulated-sdlc".into(),
            signer: "local".into(),
        };
        let files = build_bundle_for(&self.log, &self.decisions, &ctx, &signer)
            .map_err(|e| e.to_string())?;
        let zip = write_zip(&files, created_at).map_err(|e| e.to_string())?;
        let texts: Map<String, Value> = files
            .iter()
            .map(|f| {
                (
                    f.name.clone(),
                    Value::String(String::from_utf8_lossy(&f.bytes).into_owned()),
                )
            })
            .collect();
        let manifest = files
            .iter()
            .find(|f| f.name == "manifest.json")
            .and_then(|f| serde_json::from_slice::<Value>(&f.bytes).ok())
            .unwrap_or(Value::Null);
        Ok(BuiltBundle {
            json: to_text(&json!({"files": texts, "manifest": manifest})),
            zip,
        })
    }
}
