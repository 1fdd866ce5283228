//! Embeds every policy pack under `../policies/<id>/policy.yaml` into the
//! crate, so the binary and the wasm module work offline and agree.

use std::fmt::Write as _;
use std::path::Path;

fn main() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../policies");
    println!("cargo:rerun-if-changed={}", root.display());
    let mut ids: Vec<String> = Vec::new();
    if let Ok(entries) = std::fs::read_dir(&root) {
        for entry in entries.flatten() {
            let path = entry.path().join("policy.yaml");
            println!("cargo:rerun-if-changed={}", path.display());
            if path.is_file() {
                ids.push(entry.file_name().to_string_lossy().into_owned());
            }
        }
    }
    ids.sort();
    let mut out = String::from("/// Packs embedded at build time: (id, file label, YAML text).\npub(crate) const EMBEDDED_PACKS: &[(&str, &str, &str)] = &[\n");
    for id in &ids {
        let path = root.join(id).join("policy.yaml");
        let _ = writeln!(
            out,
            "    ({id:?}, \"policies/{id}/policy.yaml\", include_str!({:?})),",
            path.display().to_string()
        );
    }
    out.push_str("];\n");
    let dest = Path::new(&std::env::var("OUT_DIR").unwrap_or_else(|_| ".".into())).join("packs.rs");
    if let Err(e) = std::fs::write(&dest, out) {
        println!("cargo:warning=cannot write {}: {e}", dest.display());
    }
}
