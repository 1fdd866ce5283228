//! `cavra evidence`: bundle a session, verify a bundle or a log, export to
//! a SIEM.

use super::exit::{CliError, CliResult, Outcome};
use super::keys::PRIVATE_KEY_FILE;
use super::{session, stamp};
use crate::evidence::session_log::SessionLog;
use crate::evidence::siem::{export, SiemFormat};
use crate::evidence::signature::{parse_private_pem, parse_public_pem, Signer, Verifier};
use crate::evidence::verify::{
    verify_bundle, verify_chain, verify_zip, CheckStatus, VerificationReport, VerifyOptions,
};
use crate::evidence::zip::{read_zip, write_zip, MAX_ZIP_ENTRIES, MAX_ZIP_TOTAL_BYTES};
use crate::evidence::{build_bundle, BundleContext, BundleFile, PolicyRef};
use crate::rfc3339_millis;
use anstyle::{AnsiColor, Style};
use clap::{Args, Subcommand, ValueEnum};
use serde_json::Value;
use std::io::Write;
use std::path::{Path, PathBuf};

/// `cavra evidence`.
#[derive(Debug, Clone, Args)]
pub struct EvidenceArgs {
    /// What to do.
    #[command(subcommand)]
    pub command: EvidenceCommand,
}

/// The evidence subcommands.
#[derive(Debug, Clone, Subcommand)]
pub enum EvidenceCommand {
    /// Turn a session log into a signed evidence bundle (directory or ZIP).
    Bundle(BundleArgs),
    /// Verify a bundle (directory or ZIP): digests, log chain, signature, retention.
    Verify(VerifyArgs),
    /// Verify a session log's hash chain.
    VerifyLog {
        /// The JSON Lines log.
        file: PathBuf,
    },
    /// Write a bundle's decisions in a SIEM's ingest format.
    ExportSiem {
        /// The bundle (directory or ZIP).
        bundle: PathBuf,
        /// Target format.
        #[arg(long, value_enum)]
        format: SiemArg,
        /// Write to this file instead of stdout.
        #[arg(long, value_name = "FILE")]
        out: Option<PathBuf>,
    },
}

/// `--sign` values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum SignArg {
    /// Ed25519 signature (needs --key, or a key under .cavra/keys/).
    Ed25519,
    /// HMAC-SHA256 with a shared secret from an environment variable.
    Hmac,
    /// SHA-256 digest only: integrity, no authenticity.
    Sha256,
}

/// `--format` values.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum SiemArg {
    /// Splunk HTTP Event Collector events.
    SplunkHec,
    /// Azure Monitor / Microsoft Sentinel log records.
    Sentinel,
    /// Datadog log intake items.
    Datadog,
    /// ArcSight CEF lines.
    Cef,
    /// Plain JSON for a webhook.
    Webhook,
}

impl From<SiemArg> for SiemFormat {
    fn from(f: SiemArg) -> SiemFormat {
        match f {
            SiemArg::SplunkHec => SiemFormat::SplunkHec,
            SiemArg::Sentinel => SiemFormat::Sentinel,
            SiemArg::Datadog => SiemFormat::Datadog,
            SiemArg::Cef => SiemFormat::Cef,
            SiemArg::Webhook => SiemFormat::Webhook,
        }
    }
}

/// `cavra evidence bundle`.
#[derive(Debug, Clone, Args)]
pub struct BundleArgs {
    /// Session id: reads .cavra/sessions/<ID>.jsonl under the workspace.
    #[arg(
        long,
        value_name = "ID",
        required_unless_present = "log",
        conflicts_with = "log"
    )]
    pub session: Option<String>,
    /// A session log file to bundle.
    #[arg(long, value_name = "FILE")]
    pub log: Option<PathBuf>,
    /// Output: a directory, or a path ending in .zip [default: .cavra/evidence/<session>-evidence-bundle.zip].
    #[arg(long, value_name = "DIR|FILE.zip")]
    pub out: Option<PathBuf>,
    /// Signature mode [default: ed25519 with --key, else sha256].
    #[arg(long, value_enum)]
    pub sign: Option<SignArg>,
    /// Ed25519 private key (PKCS#8 PEM).
    #[arg(long, value_name = "PEM")]
    pub key: Option<PathBuf>,
    /// Key id to record (default: derived from the public key).
    #[arg(long, value_name = "ID")]
    pub key_id: Option<String>,
    /// Environment variable holding the HMAC secret.
    #[arg(long, value_name = "VAR", default_value = "CAVRA_EVIDENCE_SIGNING_KEY")]
    pub hmac_key_env: String,
    /// Days to retain the bundle.
    #[arg(long, value_name = "N", default_value_t = 2555)]
    pub retention_days: u32,
    /// Put the bundle under legal hold.
    #[arg(long)]
    pub legal_hold: bool,
    /// Data classification.
    #[arg(long, default_value = "regulated-sdlc")]
    pub classification: String,
    /// Who signs (recorded in the manifest).
    #[arg(long, default_value = "local")]
    pub signer: String,
    /// Creation time (RFC 3339 UTC) instead of now, for reproducible bundles.
    #[arg(long, value_name = "TIME")]
    pub created_at: Option<String>,
    /// Workspace root (for --session) [default: the current directory].
    #[arg(long, value_name = "DIR")]
    pub workspace: Option<PathBuf>,
    /// Replace an existing output.
    #[arg(long)]
    pub force: bool,
}

/// `cavra evidence verify`.
#[derive(Debug, Clone, Args)]
pub struct VerifyArgs {
    /// The bundle: a directory or a ZIP.
    pub bundle: PathBuf,
    /// Ed25519 public key (SPKI PEM).
    #[arg(long, value_name = "PEM", conflicts_with_all = ["hmac_key_env", "trust_root"])]
    pub public_key: Option<PathBuf>,
    /// Environment variable holding the HMAC secret.
    #[arg(long, value_name = "VAR", conflicts_with = "trust_root")]
    pub hmac_key_env: Option<String>,
    /// Trust root: JSON `{"keys": [{"key_id", "public_key_pem", "status": "active"|"revoked"}]}`.
    #[arg(long, value_name = "FILE")]
    pub trust_root: Option<PathBuf>,
    /// The key id the bundle must be signed with.
    #[arg(long, value_name = "ID")]
    pub key_id: Option<String>,
    /// Fail unless retention is at least N days.
    #[arg(long, value_name = "N")]
    pub min_retention_days: Option<u32>,
    /// Files not listed in the manifest fail verification.
    #[arg(long)]
    pub strict: bool,
    /// Exit 0 even when the signature could not be checked for lack of a key.
    #[arg(long)]
    pub allow_unverified: bool,
    /// JSON output.
    #[arg(long)]
    pub json: bool,
}

/// Runs `cavra evidence ...`.
pub fn run(args: &EvidenceArgs) -> CliResult {
    match &args.command {
        EvidenceCommand::Bundle(a) => bundle(a),
        EvidenceCommand::Verify(a) => verify(a),
        EvidenceCommand::VerifyLog { file } => verify_log(file),
        EvidenceCommand::ExportSiem {
            bundle,
            format,
            out,
        } => export_siem(bundle, (*format).into(), out.as_deref()),
    }
}

fn read_text(path: &Path, what: &str) -> Result<String, CliError> {
    std::fs::read_to_string(path)
        .map_err(|e| CliError::new(format!("cannot read {what} `{}`: {e}", path.display())))
}

/// Builds the signer the flags ask for.
pub fn signer(
    sign: Option<SignArg>,
    key: Option<&Path>,
    key_id: Option<String>,
    hmac_env: &str,
) -> Result<Signer, CliError> {
    let mode = sign.unwrap_or(if key.is_some() {
        SignArg::Ed25519
    } else {
        SignArg::Sha256
    });
    match mode {
        SignArg::Sha256 => Ok(Signer::Sha256),
        SignArg::Hmac => {
            let secret = std::env::var(hmac_env).map_err(|_| {
                CliError::new(format!(
                    "HMAC signing needs the secret in the environment variable `{hmac_env}`"
                ))
            })?;
            if secret.is_empty() {
                return Err(CliError::new(format!("`{hmac_env}` is empty")));
            }
            Ok(Signer::Hmac {
                secret: secret.into_bytes(),
            })
        }
        SignArg::Ed25519 => {
            let default = PathBuf::from(".cavra/keys").join(PRIVATE_KEY_FILE);
            let path = key.map(Path::to_path_buf).unwrap_or(default);
            let pem = read_text(&path, "private key").map_err(|e| {
                CliError::new(format!("{e} (create one with `cavra keys generate`)"))
            })?;
            let key = parse_private_pem(&pem)
                .map_err(|e| CliError::new(format!("{}: {e}", path.display())))?;
            Ok(Signer::Ed25519 { key, key_id })
        }
    }
}

/// Writes bundle files as a directory or a ZIP, replacing nothing unless
/// `force`, and never leaving a half-written output behind.
pub fn write_bundle(
    files: &[BundleFile],
    created_at: &str,
    out: &Path,
    force: bool,
) -> Result<(), CliError> {
    if out.exists() && !force {
        return Err(CliError::new(format!(
            "`{}` already exists; pass --force to replace it",
            out.display()
        )));
    }
    let parent = out
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    std::fs::create_dir_all(parent)
        .map_err(|e| CliError::new(format!("cannot create `{}`: {e}", parent.display())))?;
    let name = out
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "bundle".into());
    let tmp = parent.join(format!(".{name}.cavra-tmp"));
    let _ = std::fs::remove_dir_all(&tmp);
    let _ = std::fs::remove_file(&tmp);
    let result = if out
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("zip"))
    {
        let bytes = write_zip(files, created_at)?;
        std::fs::write(&tmp, bytes)
    } else {
        std::fs::create_dir_all(&tmp).and_then(|()| {
            files
                .iter()
                .try_for_each(|f| std::fs::write(tmp.join(&f.name), &f.bytes))
        })
    };
    let result = result.and_then(|()| {
        if out.is_dir() {
            std::fs::remove_dir_all(out)?;
        } else if out.exists() {
            std::fs::remove_file(out)?;
        }
        std::fs::rename(&tmp, out)
    });
    result.map_err(|e| {
        let _ = std::fs::remove_dir_all(&tmp);
        let _ = std::fs::remove_file(&tmp);
        CliError::new(format!("cannot write `{}`: {e}", out.display()))
    })
}

fn bundle(args: &BundleArgs) -> CliResult {
    let workspace = args
        .workspace
        .clone()
        .or_else(|| std::env::current_dir().ok())
        .unwrap_or_else(|| PathBuf::from("."));
    let log_path = match (&args.log, &args.session) {
        (Some(log), _) => log.clone(),
        (None, Some(id)) => session::log_path(&workspace, id)?,
        (None, None) => return Err(CliError::new("give --session ID or --log FILE")),
    };
    let text = read_text(&log_path, "session log")?;
    let log = SessionLog::from_jsonl(&text)
        .map_err(|e| CliError::new(format!("{}: {e}", log_path.display())))?;
    let decisions = log.decisions()?;
    let first = decisions.first().ok_or_else(|| {
        CliError::new(format!("{}: the session log is empty", log_path.display()))
    })?;
    if args.retention_days == 0 {
        return Err(CliError::new("--retention-days must be at least 1"));
    }
    let created_at = args
        .created_at
        .clone()
        .unwrap_or_else(|| rfc3339_millis(stamp::now_millis()));
    let ctx = BundleContext {
        session_id: args
            .session
            .clone()
            .unwrap_or_else(|| first.session_id.clone()),
        created_at: created_at.clone(),
        policy: PolicyRef {
            id: first.policy_pack.clone(),
            version: first.policy_version.clone(),
            digest: first.policy_digest.clone(),
        },
        retention_days: args.retention_days,
        legal_hold: args.legal_hold,
        classification: args.classification.clone(),
        signer: args.signer.clone(),
    };
    if !session::valid_session_id(&ctx.session_id) {
        // The id names the output file; a log can carry any text there.
        return Err(CliError::new(format!(
            "session id `{}` is not usable as a file name: use letters, digits, `.`, `_` and `-`",
            ctx.session_id
        )));
    }
    let signer = signer(
        args.sign,
        args.key.as_deref(),
        args.key_id.clone(),
        &args.hmac_key_env,
    )?;
    let files = build_bundle(&log, &ctx, &signer)?;
    let out = args.out.clone().unwrap_or_else(|| {
        workspace
            .join(".cavra/evidence")
            .join(format!("{}-evidence-bundle.zip", ctx.session_id))
    });
    write_bundle(&files, &created_at, &out, args.force)?;
    let mut stdout = std::io::stdout().lock();
    writeln!(
        stdout,
        "wrote {} ({} decisions, {} files, signed {})",
        out.display(),
        decisions.len(),
        files.len(),
        signature_name(&signer)
    )?;
    if matches!(signer, Signer::Sha256) {
        writeln!(stdout, "note: SHA256 mode proves integrity only, not who made the bundle; sign with --sign ed25519 for authenticity")?;
    }
    Ok(Outcome::Success)
}

fn signature_name(signer: &Signer) -> &'static str {
    match signer {
        Signer::Sha256 => "SHA256",
        Signer::Hmac { .. } => "HS256",
        Signer::Ed25519 { .. } => "Ed25519",
    }
}

/// Reads a bundle from a directory or a ZIP, within the ZIP caps.
pub fn read_bundle(path: &Path) -> Result<Vec<BundleFile>, CliError> {
    if path.is_dir() {
        let mut files = Vec::new();
        let mut total = 0u64;
        let entries = std::fs::read_dir(path)
            .map_err(|e| CliError::new(format!("cannot read `{}`: {e}", path.display())))?;
        for entry in entries.flatten() {
            if files.len() >= MAX_ZIP_ENTRIES {
                return Err(CliError::new(format!(
                    "`{}` holds more than {MAX_ZIP_ENTRIES} entries",
                    path.display()
                )));
            }
            let meta = entry.metadata()?;
            total += meta.len();
            if total > MAX_ZIP_TOTAL_BYTES {
                return Err(CliError::new(format!(
                    "`{}` is larger than {MAX_ZIP_TOTAL_BYTES} bytes",
                    path.display()
                )));
            }
            let name = entry.file_name().to_string_lossy().into_owned();
            if !meta.is_file() {
                // Bundles are flat, as in a ZIP, where a folder entry fails too.
                return Err(CliError::new(format!(
                    "`{}` holds `{name}`, which is not a regular file; bundles are flat",
                    path.display()
                )));
            }
            let bytes = std::fs::read(entry.path())?;
            files.push(BundleFile { name, bytes });
        }
        files.sort_by(|a, b| a.name.cmp(&b.name));
        Ok(files)
    } else {
        let bytes = std::fs::read(path)
            .map_err(|e| CliError::new(format!("cannot read `{}`: {e}", path.display())))?;
        read_zip(&bytes).map_err(|e| CliError::new(format!("{}: {e}", path.display())))
    }
}

/// The key to verify with. `Ok(Err(..))` is a trust-root failure: a
/// verification outcome (exit 1), not a usage error.
fn verifier(args: &VerifyArgs) -> Result<Result<Verifier, String>, CliError> {
    if let Some(path) = &args.public_key {
        let pem = read_text(path, "public key")?;
        let key = parse_public_pem(&pem)
            .map_err(|e| CliError::new(format!("{}: {e}", path.display())))?;
        // The expected key id is checked once, through VerifyOptions.
        return Ok(Ok(Verifier::Ed25519 {
            key,
            expected_key_id: None,
        }));
    }
    if let Some(var) = &args.hmac_key_env {
        let secret = std::env::var(var)
            .map_err(|_| CliError::new(format!("the environment variable `{var}` is not set")))?;
        return Ok(Ok(Verifier::Hmac {
            secret: secret.into_bytes(),
        }));
    }
    if let Some(path) = &args.trust_root {
        return Ok(trust_root_verifier(path, args).map_err(|e| e.to_string()));
    }
    Ok(Ok(Verifier::None))
}

/// Picks the key from a trust root: the bundle's key id must be listed and
/// active.
fn trust_root_verifier(path: &Path, args: &VerifyArgs) -> Result<Verifier, CliError> {
    let root: Value = serde_json::from_str(&read_text(path, "trust root")?)
        .map_err(|e| CliError::new(format!("{}: not JSON: {e}", path.display())))?;
    let files = read_bundle(&args.bundle)?;
    let manifest_key_id = files
        .iter()
        .find(|f| f.name == "manifest.json")
        .and_then(|f| serde_json::from_slice::<Value>(&f.bytes).ok())
        .and_then(|m| m["signature"]["key_id"].as_str().map(str::to_string))
        .ok_or_else(|| CliError::new("the bundle's manifest names no signing key id"))?;
    let wanted = args.key_id.clone().unwrap_or(manifest_key_id);
    let keys = root["keys"].as_array().ok_or_else(|| {
        CliError::new(format!("{}: expected {{\"keys\": [...]}}", path.display()))
    })?;
    let entry = keys
        .iter()
        .find(|k| k["key_id"].as_str() == Some(wanted.as_str()))
        .ok_or_else(|| CliError::new(format!("key `{wanted}` is not in the trust root")))?;
    if entry["status"].as_str().unwrap_or("active") != "active" {
        return Err(CliError::new(format!(
            "key `{wanted}` is {} in the trust root",
            entry["status"].as_str().unwrap_or("inactive")
        )));
    }
    let pem = entry["public_key_pem"]
        .as_str()
        .ok_or_else(|| CliError::new(format!("key `{wanted}` has no public_key_pem")))?;
    let key = parse_public_pem(pem)?;
    Ok(Verifier::Ed25519 {
        key,
        expected_key_id: Some(wanted),
    })
}

fn verify(args: &VerifyArgs) -> CliResult {
    let verifier = match verifier(args)? {
        Ok(verifier) => verifier,
        Err(reason) => {
            let report = VerificationReport::failure("trust_root", reason);
            return print_report(&report, args.json);
        }
    };
    let options = VerifyOptions {
        verifier,
        strict: args.strict,
        allow_unverified: args.allow_unverified,
        min_retention_days: args.min_retention_days,
        expected_key_id: args.key_id.clone(),
    };
    let report = if args.bundle.is_dir() {
        match read_bundle(&args.bundle) {
            Ok(files) => verify_bundle(&files, &options),
            Err(e) => VerificationReport::failure("bundle", e.to_string()),
        }
    } else {
        let bytes = std::fs::read(&args.bundle)
            .map_err(|e| CliError::new(format!("cannot read `{}`: {e}", args.bundle.display())))?;
        verify_zip(&bytes, &options)
    };
    print_report(&report, args.json)
}

/// Prints a report; exit 0 when verified, 1 otherwise.
fn print_report(report: &VerificationReport, json: bool) -> CliResult {
    let mut out = anstream::stdout().lock();
    if json {
        writeln!(out, "{}", serde_json::to_string_pretty(report)?)?;
    } else {
        for check in &report.checks {
            let (mark, color) = match check.status {
                CheckStatus::Pass => ("pass", AnsiColor::Green),
                CheckStatus::Warn => ("warn", AnsiColor::Yellow),
                CheckStatus::NotChecked => ("not checked", AnsiColor::Yellow),
                CheckStatus::Fail => ("FAIL", AnsiColor::Red),
            };
            let style = Style::new().fg_color(Some(color.into())).bold();
            writeln!(
                out,
                "{style}{mark:<11}{style:#} {:<30} {}",
                check.name, check.detail
            )?;
        }
        let style = Style::new()
            .fg_color(Some(
                if report.verified {
                    AnsiColor::Green
                } else {
                    AnsiColor::Red
                }
                .into(),
            ))
            .bold();
        writeln!(out, "{style}{}{style:#}", report.summary)?;
    }
    Ok(if report.verified {
        Outcome::Success
    } else {
        Outcome::Negative
    })
}

fn verify_log(file: &Path) -> CliResult {
    let bytes = std::fs::read(file)
        .map_err(|e| CliError::new(format!("cannot read `{}`: {e}", file.display())))?;
    let mut out = std::io::stdout().lock();
    match verify_chain(&bytes) {
        Ok(lines) => {
            writeln!(
                out,
                "ok: {}: {lines} lines, hash chain intact",
                file.display()
            )?;
            Ok(Outcome::Success)
        }
        Err(e) => {
            writeln!(out, "FAIL: {}: {e}", file.display())?;
            Ok(Outcome::Negative)
        }
    }
}

fn export_siem(path: &Path, format: SiemFormat, out: Option<&Path>) -> CliResult {
    let files = read_bundle(path)?;
    // Export only what verifies: digests and chain must hold (the signature
    // is the receiver's to check).
    let options = VerifyOptions {
        allow_unverified: true,
        ..VerifyOptions::default()
    };
    let report = verify_bundle(&files, &options);
    if !report.verified {
        return Err(CliError::new(format!(
            "{}: the bundle does not verify ({}); run `cavra evidence verify`",
            path.display(),
            report.summary
        )));
    }
    let file = |name: &str| files.iter().find(|f| f.name == name);
    let log_text = file("decisions.jsonl")
        .map(|f| String::from_utf8_lossy(&f.bytes).into_owned())
        .unwrap_or_default();
    let log = SessionLog::from_jsonl(&log_text)?;
    let decisions = log.decisions()?;
    let evidence: Value = file("evidence.json")
        .and_then(|f| serde_json::from_slice(&f.bytes).ok())
        .unwrap_or(Value::Null);
    let retention: Value = file("retention-policy.json")
        .and_then(|f| serde_json::from_slice(&f.bytes).ok())
        .unwrap_or(Value::Null);
    let manifest: Value = file("manifest.json")
        .and_then(|f| serde_json::from_slice(&f.bytes).ok())
        .unwrap_or(Value::Null);
    let text = |v: &Value| v.as_str().unwrap_or_default().to_string();
    let ctx = BundleContext {
        session_id: text(&evidence["session_id"]),
        created_at: text(&evidence["created_at"]),
        policy: PolicyRef {
            id: text(&evidence["policy"]["id"]),
            version: text(&evidence["policy"]["version"]),
            digest: text(&evidence["policy"]["digest"]),
        },
        retention_days: retention["retention_days"].as_u64().unwrap_or(2555) as u32,
        legal_hold: retention["legal_hold"].as_bool().unwrap_or(false),
        classification: text(&retention["classification"]),
        signer: text(&manifest["signer"]),
    };
    let payload = export(format, &decisions, &ctx);
    match out {
        Some(path) => std::fs::write(path, payload)
            .map_err(|e| CliError::new(format!("cannot write `{}`: {e}", path.display())))?,
        None => write!(std::io::stdout().lock(), "{payload}")?,
    }
    Ok(Outcome::Success)
}
