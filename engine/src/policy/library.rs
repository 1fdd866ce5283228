//! The policy library: every pack CAVRA can load by id, and the loading of
//! one policy with its parents.
//!
//! The engine never touches the file system; the CLI adds the packs of a
//! `--policy-dir` to a library, and the browser uses the embedded packs as
//! they are. Loading runs parse -> schema validation -> model -> inheritance,
//! and every error carries the file, JSON path, line and column.

use super::diagnostic::Diagnostic;
use super::merge::merge;
use super::model::{from_document, Policy};
use super::{schema, source};

include!(concat!(env!("OUT_DIR"), "/packs.rs"));

/// How deep `inherits` chains may go.
pub const MAX_INHERITANCE_DEPTH: usize = 32;

/// The id of the pack used when none is named.
pub const DEFAULT_PACK: &str = "cavra-ai-agent-baseline";

/// The text of one pack.
#[derive(Debug, Clone)]
pub struct PackText {
    /// Pack id (folder name).
    pub id: String,
    /// File label used in diagnostics and `file:line` sources.
    pub file: String,
    /// YAML or JSON text.
    pub text: String,
}

/// What `policy list`, the MCP `policy_list` tool and the browser show of
/// a pack.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct PackSummary {
    /// Pack id.
    pub id: String,
    /// Title (None when the pack does not load).
    pub title: Option<String>,
    /// Description.
    pub description: Option<String>,
    /// Version (None when the pack does not load).
    pub version: Option<String>,
    /// Parent pack ids.
    pub inherits: Vec<String>,
    /// File label.
    pub file: String,
    /// Why the pack does not load, when it does not.
    pub error: Option<String>,
}

/// Every pack that can be loaded by id.
#[derive(Debug, Clone, Default)]
pub struct Library {
    packs: Vec<PackText>,
}

impl Library {
    /// The packs built into CAVRA.
    pub fn embedded() -> Library {
        Library {
            packs: EMBEDDED_PACKS
                .iter()
                .map(|(id, file, text)| PackText {
                    id: (*id).to_string(),
                    file: (*file).to_string(),
                    text: (*text).to_string(),
                })
                .collect(),
        }
    }

    /// Adds a pack, replacing an embedded pack of the same id.
    pub fn add(&mut self, pack: PackText) {
        self.packs.retain(|p| p.id != pack.id);
        self.packs.push(pack);
    }

    /// All packs, sorted by id.
    pub fn packs(&self) -> Vec<&PackText> {
        let mut packs: Vec<&PackText> = self.packs.iter().collect();
        packs.sort_by(|a, b| a.id.cmp(&b.id));
        packs
    }

    /// A summary of every pack, sorted by id; a pack that does not parse is
    /// listed with its first error instead of failing the list.
    pub fn summaries(&self) -> Vec<PackSummary> {
        self.packs()
            .into_iter()
            .map(|pack| match parse_policy(&pack.text, &pack.file) {
                Ok(p) => PackSummary {
                    id: pack.id.clone(),
                    title: Some(p.metadata.title),
                    description: p.metadata.description,
                    version: Some(p.metadata.version),
                    inherits: p.metadata.inherits,
                    file: pack.file.clone(),
                    error: None,
                },
                Err(d) => PackSummary {
                    id: pack.id.clone(),
                    title: None,
                    description: None,
                    version: None,
                    inherits: Vec::new(),
                    file: pack.file.clone(),
                    error: d.first().map(ToString::to_string),
                },
            })
            .collect()
    }

    /// The pack with this id.
    pub fn get(&self, id: &str) -> Option<&PackText> {
        self.packs.iter().find(|p| p.id == id)
    }

    /// Loads a pack by id, with its parents merged in.
    pub fn load_pack(&self, id: &str) -> Result<Policy, Vec<Diagnostic>> {
        let pack = self
            .get(id)
            .ok_or_else(|| vec![self.unknown_pack(id, None)])?;
        self.load_text(&pack.text, &pack.file)
    }

    /// Loads policy text (YAML or JSON) named `file`, resolving parents from
    /// this library.
    pub fn load_text(&self, text: &str, file: &str) -> Result<Policy, Vec<Diagnostic>> {
        let mut stack = Vec::new();
        self.load_resolved(text, file, &mut stack)
    }

    fn load_resolved(
        &self,
        text: &str,
        file: &str,
        stack: &mut Vec<String>,
    ) -> Result<Policy, Vec<Diagnostic>> {
        let own = if is_embedded(text, file) {
            parse_embedded(text, file)?
        } else {
            parse_policy(text, file)?
        };
        if own.metadata.inherits.is_empty() {
            return Ok(own);
        }
        stack.push(own.metadata.id.clone());
        let mut base: Option<Policy> = None;
        for parent_id in &own.metadata.inherits {
            if stack.contains(parent_id) {
                let mut cycle = stack.clone();
                cycle.push(parent_id.clone());
                return Err(vec![Diagnostic::error(
                    format!("inheritance cycle: {}", cycle.join(" -> ")),
                    "/metadata/inherits",
                )
                .in_file(file)]);
            }
            if stack.len() >= MAX_INHERITANCE_DEPTH {
                return Err(vec![Diagnostic::error(
                    format!("inheritance is deeper than {MAX_INHERITANCE_DEPTH} levels"),
                    "/metadata/inherits",
                )
                .in_file(file)]);
            }
            let pack = self
                .get(parent_id)
                .ok_or_else(|| vec![self.unknown_pack(parent_id, Some(file))])?;
            let parent = self.load_resolved(&pack.text, &pack.file, stack)?;
            base = Some(match base {
                Some(base) => merge(&base, &parent),
                None => parent,
            });
        }
        stack.pop();
        Ok(match base {
            Some(base) => merge(&base, &own),
            None => own,
        })
    }

    fn unknown_pack(&self, id: &str, file: Option<&str>) -> Diagnostic {
        let known: Vec<&str> = self.packs().iter().map(|p| p.id.as_str()).collect();
        let mut d = Diagnostic::error(format!("unknown policy pack `{id}`"), "/metadata/inherits")
            .with_help(format!("known packs: {}", known.join(", ")));
        if let Some(file) = file {
            d = d.in_file(file);
        }
        d
    }
}

/// Whether `text` is exactly a pack built into this binary.
fn is_embedded(text: &str, file: &str) -> bool {
    EMBEDDED_PACKS
        .iter()
        .any(|(_, label, embedded)| *label == file && *embedded == text)
}

/// Parses a built-in pack without schema validation: the test below proves
/// every built-in pack valid, and compiling the schema validator is the
/// largest part of loading a pack, paid before every tool call by
/// `cavra hook`.
fn parse_embedded(text: &str, file: &str) -> Result<Policy, Vec<Diagnostic>> {
    let doc = source::parse_document(text).map_err(|d| vec![d.in_file(file)])?;
    from_document(&doc, file)
}

/// Parses and validates one policy file on its own (no inheritance).
pub fn parse_policy(text: &str, file: &str) -> Result<Policy, Vec<Diagnostic>> {
    let doc = source::parse_document(text).map_err(|d| vec![d.in_file(file)])?;
    let errors: Vec<Diagnostic> = schema::validate(&doc)
        .into_iter()
        .filter(Diagnostic::is_error)
        .map(|d| d.in_file(file))
        .collect();
    if !errors.is_empty() {
        return Err(errors);
    }
    from_document(&doc, file)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Loading skips schema validation for these texts, so they must pass it.
    #[test]
    fn every_embedded_pack_passes_schema_validation() {
        for (id, file, text) in EMBEDDED_PACKS {
            assert!(is_embedded(text, file), "{id}");
            if let Err(errors) = parse_policy(text, file) {
                panic!("{id}: {errors:?}");
            }
        }
    }
}
