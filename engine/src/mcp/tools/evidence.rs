//! The evidence tools: `cavra.generate_pr_attestation` renders the
//! session's attestation page, `cavra.export_evidence` writes a signed
//! bundle of the session. Both are built by `crate::evidence` from the
//! server's in-memory session log, the same way `cavra evidence bundle`
//! builds them from a log file.

use super::super::args::Args;
use super::super::{Host, Server};
use super::Output;
use crate::evidence::signature::{parse_private_pem, Signer};
use crate::evidence::{build_bundle, bundle::content_files, BundleContext, PolicyRef};
use serde_json::{json, Value};
use std::path::{Path, PathBuf};

/// Where `cavra keys generate` puts the private key, under the workspace.
const LOCAL_KEY: &str = ".cavra/keys/cavra-ed25519.pem";
/// Days a bundle is retained (the CLI's default).
const RETENTION_DAYS: u32 = 2555;

fn context<H: Host>(server: &Server<H>) -> BundleContext {
    let policy = &server.config.policy;
    BundleContext {
        session_id: server.config.session_id.clone(),
        created_at: server.host.now(),
        policy: PolicyRef {
            id: policy.id().to_string(),
            version: policy.version().to_string(),
            digest: policy.digest.clone(),
        },
        retention_days: RETENTION_DAYS,
        legal_hold: false,
        classification: "regulated-sdlc".into(),
        signer: "cavra-mcp".into(),
    }
}

/// `cavra.generate_pr_attestation`.
pub(super) fn pr_attestation<H: Host>(server: &mut Server<H>) -> Result<Output, String> {
    let ctx = context(server);
    let files = content_files(&server.log, &ctx).map_err(|e| e.to_string())?;
    let markdown = files
        .into_iter()
        .find(|f| f.name == "pr-attestation.md")
        .map(|f| String::from_utf8_lossy(&f.bytes).into_owned())
        .ok_or("the evidence code produced no pr-attestation.md")?;
    Ok(Output::text(
        markdown.clone(),
        json!({
            "session_id": ctx.session_id,
            "decisions": server.decisions.len(),
            "markdown": markdown,
        }),
    ))
}

/// The signer: the configured key, else the workspace's local key, else
/// SHA256. Returns the signer, its name and the key file used.
fn signer<H: Host>(server: &Server<H>) -> Result<(Signer, &'static str, Option<PathBuf>), String> {
    let local = server.config.workspace.join(LOCAL_KEY);
    let path = match &server.config.key {
        Some(key) => key.clone(),
        None if local.is_file() => local,
        None => return Ok((Signer::Sha256, "SHA256", None)),
    };
    let pem = std::fs::read_to_string(&path)
        .map_err(|e| format!("cannot read the signing key `{}`: {e}", path.display()))?;
    let key = parse_private_pem(&pem).map_err(|e| format!("{}: {e}", path.display()))?;
    Ok((Signer::Ed25519 { key, key_id: None }, "Ed25519", Some(path)))
}

/// `cavra.export_evidence`.
pub(super) fn export<H: Host>(server: &mut Server<H>, args: &Args) -> Result<Output, String> {
    let given = args.opt_string("path")?;
    let overwrite = args.opt_bool("overwrite")?;
    if server.log.is_empty() {
        return Err("nothing to export: no decision has been made in this session yet".to_string());
    }
    let ctx = context(server);
    let (out, overwrite) = match given {
        Some(p) if p.is_empty() => return Err("argument `path` must not be empty".to_string()),
        Some(p) => (server.config.workspace.join(p), overwrite.unwrap_or(false)),
        None => (
            server
                .config
                .workspace
                .join(".cavra/evidence")
                .join(format!("{}-evidence-bundle.zip", ctx.session_id)),
            overwrite.unwrap_or(true),
        ),
    };
    let (signer, signature, key) = signer(server)?;
    let files = build_bundle(&server.log, &ctx, &signer).map_err(|e| e.to_string())?;
    if out.exists() && !overwrite {
        return Err(format!(
            "`{}` already exists; pass `overwrite: true` to replace it",
            out.display()
        ));
    }
    server
        .host
        .write_bundle(&files, &ctx.created_at, &out, overwrite)?;
    let manifest = files
        .iter()
        .find(|f| f.name == "manifest.json")
        .and_then(|f| serde_json::from_slice::<Value>(&f.bytes).ok())
        .unwrap_or(Value::Null);
    let mut result = json!({
        "path": out.display().to_string(),
        "format": if is_zip(&out) { "zip" } else { "directory" },
        "session_id": ctx.session_id,
        "decisions": server.decisions.len(),
        "signature": signature,
        "key": key.map(|k| k.display().to_string()),
        "files": files.iter().map(|f| f.name.clone()).collect::<Vec<_>>(),
        "manifest": manifest,
        "verify": format!("cavra evidence verify {}", out.display()),
    });
    if signature == "SHA256" {
        result["note"] = json!("SHA256 proves integrity only, not who made the bundle; create a key with `cavra keys generate` to sign with Ed25519");
    }
    Ok(Output::json(result))
}

fn is_zip(path: &Path) -> bool {
    path.extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("zip"))
}
