//! CAVRA in the browser: the engine's JSON facade ([`cavra::api`]) as
//! JavaScript functions. This crate only translates: JS values in, engine
//! calls, JS values out. Anything that decides belongs in the engine.
//!
//! Errors cross into JavaScript as thrown `Error`s carrying the engine's
//! message; nothing here panics on input (a panic would kill the module).

#![forbid(unsafe_code)]
#![deny(missing_docs)]
#![cfg_attr(
    not(test),
    deny(clippy::unwrap_used, clippy::expect_used, clippy::panic)
)]

use cavra::api;
use cavra::{rfc3339_millis, DecisionStamp};
use js_sys::{Reflect, Uint8Array, JSON};
use wasm_bindgen::prelude::*;

/// Installs the panic hook in debug builds, so a bug shows its message in
/// the console instead of `unreachable`.
#[wasm_bindgen(start)]
pub fn start() {
    #[cfg(feature = "debug")]
    console_error_panic_hook::set_once();
}

fn parse(json: &str) -> Result<JsValue, JsError> {
    JSON::parse(json).map_err(|_| JsError::new("the engine returned JSON the browser cannot read"))
}

/// JSON text for a JS argument: strings pass through (they are JSON or YAML
/// already), `undefined`/`null` become "", anything else is stringified.
fn json_text(value: &JsValue, what: &str) -> Result<String, JsError> {
    if value.is_undefined() || value.is_null() {
        return Ok(String::new());
    }
    if let Some(text) = value.as_string() {
        return Ok(text);
    }
    JSON::stringify(value)
        .ok()
        .and_then(|s| s.as_string())
        .ok_or_else(|| JsError::new(&format!("{what} cannot be turned into JSON")))
}

fn field(object: &JsValue, key: &str) -> JsValue {
    if object.is_object() {
        Reflect::get(object, &JsValue::from_str(key)).unwrap_or(JsValue::UNDEFINED)
    } else {
        JsValue::UNDEFINED
    }
}

fn random<const N: usize>() -> Result<[u8; N], JsError> {
    let mut bytes = [0u8; N];
    getrandom::fill(&mut bytes)
        .map_err(|e| JsError::new(&format!("the browser gave no randomness: {e}")))?;
    Ok(bytes)
}

fn now_millis() -> i64 {
    js_sys::Date::now() as i64
}

/// The engine version.
#[wasm_bindgen]
pub fn version() -> String {
    api::version()
}

/// The built-in packs: `[{id, title, description, version, inherits, ...}]`.
#[wasm_bindgen]
pub fn packs() -> Result<JsValue, JsError> {
    parse(&api::packs())
}

/// The YAML text of a built-in pack.
#[wasm_bindgen(js_name = packSource)]
pub fn pack_source(id: &str) -> Result<String, JsError> {
    api::pack_source(id).map_err(|e| JsError::new(&e))
}

/// `{ok, errors: [{message, path, line, column, help}], warnings}`.
#[wasm_bindgen(js_name = validatePolicy)]
pub fn validate_policy(text: &str) -> Result<JsValue, JsError> {
    parse(&api::validate_policy(text))
}

/// Runs the policy's own tests (policy text or a pack id).
#[wasm_bindgen(js_name = runPolicyTests)]
pub fn run_policy_tests(policy: &str) -> Result<JsValue, JsError> {
    parse(&api::run_policy_tests(policy).map_err(|e| JsError::new(&e))?)
}

/// What changed between two policies (text or pack ids).
#[wasm_bindgen(js_name = diffPolicies)]
pub fn diff_policies(old: &str, new: &str) -> Result<JsValue, JsError> {
    parse(&api::diff_policies(old, new).map_err(|e| JsError::new(&e))?)
}

/// The AI security posture of a policy (text or pack id) with the session's
/// decisions and options `{sign?, retentionDays?, mode?}`: `{score, grade,
/// governed, mcp, signing, retention, session, findings}`.
#[wasm_bindgen(js_name = posture)]
pub fn posture(policy: &str, decisions: JsValue, options: JsValue) -> Result<JsValue, JsError> {
    let decisions = json_text(&decisions, "the decisions")?;
    let options = json_text(&options, "posture options")?;
    parse(&api::posture(policy, &decisions, &options).map_err(|e| JsError::new(&e))?)
}

/// A new Ed25519 key pair `{privateKeyPem, publicKeyPem, keyId}`. The seed
/// (64 hex digits) is for reproducible tests; without it the browser's
/// randomness is used.
#[wasm_bindgen(js_name = generateKeyPair)]
pub fn generate_key_pair(seed_hex: Option<String>) -> Result<JsValue, JsError> {
    let seed = match seed_hex {
        Some(hex) => seed_from_hex(&hex)?,
        None => random::<32>()?,
    };
    parse(&api::generate_key_pair(seed).map_err(|e| JsError::new(&e))?)
}

fn seed_from_hex(hex: &str) -> Result<[u8; 32], JsError> {
    let mut out = [0u8; 32];
    let bytes = hex.as_bytes();
    if bytes.len() != 64 {
        return Err(JsError::new("a key seed is 64 hexadecimal digits"));
    }
    for (i, pair) in bytes.chunks(2).enumerate() {
        let digits = std::str::from_utf8(pair).unwrap_or("");
        out[i] = u8::from_str_radix(digits, 16)
            .map_err(|_| JsError::new("a key seed is 64 hexadecimal digits"))?;
    }
    Ok(out)
}

/// Verifies a bundle ZIP; options `{publicKeyPem?, hmacKey?, strict?,
/// allowUnverified?, minRetentionDays?}`. The verification report.
#[wasm_bindgen(js_name = verifyBundle)]
pub fn verify_bundle(zip: &[u8], options: JsValue) -> Result<JsValue, JsError> {
    let options = json_text(&options, "verify options")?;
    parse(&api::verify_bundle(zip, &options).map_err(|e| JsError::new(&e))?)
}

/// A policy and the session decided under it.
#[wasm_bindgen]
pub struct Engine {
    session: api::Session,
    /// A pinned clock (RFC 3339) for reproducible decisions and bundles.
    clock: Option<String>,
    /// Sequential decision ids (`dec_000000000001`, ...) instead of random.
    sequential_ids: bool,
    decided: u64,
}

#[wasm_bindgen]
impl Engine {
    /// `new Engine(policyYamlOrPackId, {mode?, workspace?, sessionId?,
    /// agentId?, clock?, sequentialIds?})`. `clock` and `sequentialIds` pin
    /// timestamps and ids, so the same actions give the same bytes as the CLI.
    #[wasm_bindgen(constructor)]
    pub fn new(policy: &str, options: JsValue) -> Result<Engine, JsError> {
        let clock = field(&options, "clock").as_string();
        let sequential_ids = field(&options, "sequentialIds").as_bool().unwrap_or(false);
        let options = json_text(&options, "engine options")?;
        let session = api::Session::new(policy, &options).map_err(|e| JsError::new(&e))?;
        Ok(Engine {
            session,
            clock,
            sequential_ids,
            decided: 0,
        })
    }

    fn stamp(&mut self) -> Result<DecisionStamp, JsError> {
        self.decided += 1;
        let mut stamp = if self.sequential_ids {
            DecisionStamp::sequential(self.decided, "")
        } else {
            DecisionStamp::from_parts(random::<12>()?, now_millis())
        };
        stamp.timestamp = self.now();
        Ok(stamp)
    }

    fn now(&self) -> String {
        match &self.clock {
            Some(clock) => clock.clone(),
            None => rfc3339_millis(now_millis()),
        }
    }

    /// Evaluates one action (an object or JSON text, as the CLI's
    /// `--action-json`) and logs it; the decision record.
    pub fn evaluate(&mut self, action: JsValue) -> Result<JsValue, JsError> {
        let action = json_text(&action, "the action")?;
        let stamp = self.stamp()?;
        parse(
            &self
                .session
                .evaluate(&action, stamp)
                .map_err(|e| JsError::new(&e))?,
        )
    }

    /// Evaluates, logs and explains: `{decision, prose}`.
    pub fn explain(&mut self, action: JsValue) -> Result<JsValue, JsError> {
        let action = json_text(&action, "the action")?;
        let stamp = self.stamp()?;
        parse(
            &self
                .session
                .explain(&action, stamp)
                .map_err(|e| JsError::new(&e))?,
        )
    }

    /// The session's decisions.
    pub fn log(&self) -> Result<JsValue, JsError> {
        parse(&self.session.log())
    }

    /// Builds the session's evidence bundle: `{files: {name: text}, zip:
    /// Uint8Array, manifest}`; options `{sign, privateKeyPem?, hmacKey?,
    /// keyId?, retentionDays?, legalHold?}`.
    pub fn bundle(&self, options: JsValue) -> Result<JsValue, JsError> {
        let created_at = self.now();
        let options = json_text(&options, "bundle options")?;
        let built = self
            .session
            .bundle(&options, &created_at)
            .map_err(|e| JsError::new(&e))?;
        let result: JsValue = parse(&built.json)?;
        let zip = Uint8Array::from(built.zip.as_slice());
        Reflect::set(&result, &JsValue::from_str("zip"), &zip)
            .map_err(|_| JsError::new("could not hand the ZIP to the page"))?;
        Ok(result)
    }
}
