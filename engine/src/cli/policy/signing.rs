//! `policy sign` / `policy verify`: Ed25519 over a policy file's raw bytes,
//! so a team can prove which policy an agent ran under.

use crate::cli::exit::{CliError, CliResult, Outcome};
use crate::cli::stamp;
use crate::evidence::signature::parse_private_pem;
use crate::policy::signing::{sign_policy, signature_path, verify_policy};
use crate::rfc3339_millis;
use clap::Args;
use std::io::Write;
use std::path::{Path, PathBuf};

/// `policy sign`.
#[derive(Debug, Clone, Args)]
pub struct SignArgs {
    /// The policy file.
    pub file: PathBuf,
    /// Ed25519 private key (PKCS#8 PEM).
    #[arg(long, value_name = "PEM")]
    pub key: PathBuf,
    /// Key id to record (default: derived from the public key).
    #[arg(long, value_name = "ID")]
    pub key_id: Option<String>,
    /// Who signs.
    #[arg(long, default_value = "local")]
    pub signer: String,
}

/// `policy verify`.
#[derive(Debug, Clone, Args)]
pub struct VerifyArgs {
    /// The policy file.
    pub file: PathBuf,
    /// Ed25519 public key (SPKI PEM).
    #[arg(long, value_name = "PEM")]
    pub public_key: PathBuf,
    /// The signature file [default: FILE.sig.json].
    #[arg(long, value_name = "FILE")]
    pub signature: Option<PathBuf>,
    /// The key id the signature must name.
    #[arg(long, value_name = "ID")]
    pub key_id: Option<String>,
}

fn read(path: &Path, what: &str) -> Result<Vec<u8>, CliError> {
    std::fs::read(path)
        .map_err(|e| CliError::new(format!("cannot read {what} `{}`: {e}", path.display())))
}

fn text(path: &Path, what: &str) -> Result<String, CliError> {
    String::from_utf8(read(path, what)?)
        .map_err(|_| CliError::new(format!("{what} `{}` is not UTF-8", path.display())))
}

pub fn sign(args: &SignArgs) -> CliResult {
    let bytes = read(&args.file, "policy")?;
    let key = parse_private_pem(&text(&args.key, "private key")?)
        .map_err(|e| CliError::new(format!("{}: {e}", args.key.display())))?;
    let signed_at = rfc3339_millis(stamp::now_millis());
    let document = sign_policy(
        &bytes,
        &key,
        args.key_id.as_deref(),
        &args.signer,
        &signed_at,
    )?;
    let out = PathBuf::from(signature_path(&args.file.display().to_string()));
    let tmp = out.with_extension("json.cavra-tmp");
    std::fs::write(&tmp, document)
        .and_then(|()| std::fs::rename(&tmp, &out))
        .map_err(|e| {
            let _ = std::fs::remove_file(&tmp);
            CliError::new(format!("cannot write `{}`: {e}", out.display()))
        })?;
    writeln!(
        std::io::stdout().lock(),
        "signed {} -> {}",
        args.file.display(),
        out.display()
    )?;
    Ok(Outcome::Success)
}

pub fn verify(args: &VerifyArgs) -> CliResult {
    let bytes = read(&args.file, "policy")?;
    let sig_path = args
        .signature
        .clone()
        .unwrap_or_else(|| PathBuf::from(signature_path(&args.file.display().to_string())));
    let signature = text(&sig_path, "signature")?;
    let public = text(&args.public_key, "public key")?;
    let mut out = std::io::stdout().lock();
    match verify_policy(&bytes, &signature, &public, args.key_id.as_deref()) {
        Ok(()) => {
            writeln!(
                out,
                "ok: {} is signed by the given key",
                args.file.display()
            )?;
            Ok(Outcome::Success)
        }
        Err(e) => {
            writeln!(out, "FAIL: {}: {e}", args.file.display())?;
            Ok(Outcome::Negative)
        }
    }
}
