//! `cavra keys generate`: an Ed25519 key pair for signing evidence and
//! policies, written as PKCS#8 / SPKI PEM files.

use super::exit::{CliError, CliResult, Outcome};
use crate::evidence::signature::{generate_ed25519, public_key_sha256, KeyPair};
use clap::{Args, Subcommand};
use std::io::Write;
use std::path::{Path, PathBuf};

/// File name of a generated private key.
pub const PRIVATE_KEY_FILE: &str = "cavra-ed25519.pem";
/// File name of a generated public key.
pub const PUBLIC_KEY_FILE: &str = "cavra-ed25519.pub.pem";

/// `cavra keys`.
#[derive(Debug, Clone, Args)]
pub struct KeysArgs {
    /// What to do.
    #[command(subcommand)]
    pub command: KeysCommand,
}

/// The keys subcommands.
#[derive(Debug, Clone, Subcommand)]
pub enum KeysCommand {
    /// Generate an Ed25519 key pair (private key readable by you only).
    Generate {
        /// Directory to write the keys to.
        #[arg(long, value_name = "DIR", default_value = ".cavra/keys")]
        out: PathBuf,
        /// Key id to print and record (default: first 16 hex of the public key's SHA-256).
        #[arg(long, value_name = "ID")]
        key_id: Option<String>,
        /// Overwrite existing key files.
        #[arg(long)]
        force: bool,
        /// JSON output.
        #[arg(long)]
        json: bool,
    },
}

/// A fresh key pair from the operating system's randomness.
pub fn fresh_key_pair() -> Result<KeyPair, CliError> {
    let mut seed = [0u8; 32];
    getrandom::fill(&mut seed)
        .map_err(|e| CliError::new(format!("no randomness for a key: {e}")))?;
    generate_ed25519(seed).map_err(CliError::from)
}

/// Writes a key pair into `dir`; refuses to replace keys unless `force`.
pub fn write_key_pair(
    dir: &Path,
    pair: &KeyPair,
    force: bool,
) -> Result<(PathBuf, PathBuf), CliError> {
    let private = dir.join(PRIVATE_KEY_FILE);
    let public = dir.join(PUBLIC_KEY_FILE);
    if !force && (private.exists() || public.exists()) {
        return Err(CliError::new(format!(
            "`{}` already holds a key pair; pass --force to replace it (the old key can no longer sign)",
            dir.display()
        )));
    }
    std::fs::create_dir_all(dir)
        .map_err(|e| CliError::new(format!("cannot create `{}`: {e}", dir.display())))?;
    write_private(&private, &pair.private_pem)?;
    std::fs::write(&public, &pair.public_pem)
        .map_err(|e| CliError::new(format!("cannot write `{}`: {e}", public.display())))?;
    Ok((private, public))
}

#[cfg(unix)]
fn write_private(path: &Path, pem: &str) -> Result<(), CliError> {
    use std::os::unix::fs::OpenOptionsExt;
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create(true)
        .truncate(true)
        .mode(0o600)
        .open(path)
        .map_err(|e| CliError::new(format!("cannot write `{}`: {e}", path.display())))?;
    file.write_all(pem.as_bytes())
        .map_err(|e| CliError::new(format!("cannot write `{}`: {e}", path.display())))
}

#[cfg(not(unix))]
fn write_private(path: &Path, pem: &str) -> Result<(), CliError> {
    std::fs::write(path, pem)
        .map_err(|e| CliError::new(format!("cannot write `{}`: {e}", path.display())))
}

/// Runs `cavra keys`.
pub fn run(args: &KeysArgs) -> CliResult {
    let KeysCommand::Generate {
        out,
        key_id,
        force,
        json,
    } = &args.command;
    let pair = fresh_key_pair()?;
    let (private, public) = write_key_pair(out, &pair, *force)?;
    let key_id = key_id.clone().unwrap_or_else(|| pair.key_id.clone());
    let fingerprint = public_key_sha256(&pair.public_pem);
    let mut stdout = std::io::stdout().lock();
    if *json {
        let value = serde_json::json!({
            "private_key": private.display().to_string(),
            "public_key": public.display().to_string(),
            "key_id": key_id,
            "public_key_sha256": fingerprint,
        });
        writeln!(stdout, "{}", serde_json::to_string_pretty(&value)?)?;
    } else {
        writeln!(
            stdout,
            "private key  {} (keep it secret)",
            private.display()
        )?;
        writeln!(stdout, "public key   {}", public.display())?;
        writeln!(stdout, "key id       {key_id}")?;
        writeln!(stdout, "fingerprint  sha256:{fingerprint}")?;
    }
    Ok(Outcome::Success)
}
