//! Schema validation: checks a parsed policy against the embedded JSON
//! Schema and turns every violation into a [`Diagnostic`] a person can act
//! on.
//!
//! The schema (`schemas/policy.schema.json`, draft 2020-12) is the single
//! description of the policy language: editors use the published copy, and
//! the engine embeds the same file and compiles it once. Raw validator
//! messages are written for schema authors ("Additional properties are not
//! allowed"), so the common cases are rephrased here for policy authors:
//! unknown keys with a "did you mean", wrong types saying what was expected
//! and what was found, enums listing their values. Each diagnostic carries
//! the JSON pointer and the line and column from the [`SourceDocument`].

use super::diagnostic::Diagnostic;
use super::source::{display_path, escape_segment, SourceDocument};
use jsonschema::error::{TypeKind, ValidationErrorKind};
use jsonschema::{JsonType, ValidationError, Validator};
use serde_json::Value;
use std::sync::OnceLock;

/// The policy JSON Schema (draft 2020-12), as published for editors.
pub const POLICY_SCHEMA_JSON: &str = include_str!("../../schemas/policy.schema.json");

/// The schema, parsed and compiled.
struct Compiled {
    schema: Value,
    validator: Validator,
}

/// Compiles the embedded schema on first use. A failure here is a bug in
/// the shipped schema; it is reported as a diagnostic, never a panic.
fn compiled() -> Result<&'static Compiled, &'static str> {
    static COMPILED: OnceLock<Result<Compiled, String>> = OnceLock::new();
    COMPILED
        .get_or_init(|| {
            let schema: Value = serde_json::from_str(POLICY_SCHEMA_JSON)
                .map_err(|err| format!("the embedded policy schema is not valid json: {err}"))?;
            let validator = jsonschema::options()
                .with_draft(jsonschema::Draft::Draft202012)
                .build(&schema)
                .map_err(|err| format!("the embedded policy schema does not compile: {err}"))?;
            Ok(Compiled { schema, validator })
        })
        .as_ref()
        .map_err(String::as_str)
}

/// Validates a parsed document against the schema; returns every error
/// (not only the first), sorted by position, each with path, line and
/// column.
///
/// Besides errors, it warns about keys in open sections (the root,
/// `metadata`, `git`, `mcp`, ...) that are ignored but look like a typo of
/// a known key, such as `filesytem` at the top level.
///
/// ```
/// use cavra::policy::{schema::validate, source::parse_document};
///
/// let doc = parse_document("metadata:\n  id: demo\n  title: Demo\n  version: 1.2\n").unwrap();
/// let diagnostics = validate(&doc);
/// assert_eq!(diagnostics.len(), 1);
/// assert_eq!(diagnostics[0].message, "`metadata.version` must be a string");
/// assert_eq!(diagnostics[0].help.as_deref(), Some("quote it: version: \"1.2\""));
/// assert_eq!((diagnostics[0].line, diagnostics[0].column), (Some(4), Some(12)));
/// ```
pub fn validate(doc: &SourceDocument) -> Vec<Diagnostic> {
    let compiled = match compiled() {
        Ok(compiled) => compiled,
        Err(message) => return vec![Diagnostic::error(format!("internal error: {message}"), "")],
    };
    let errors: Vec<ValidationError<'_>> = compiled.validator.iter_errors(&doc.value).collect();
    // A misspelt required key is one mistake, not two: when an unknown key
    // is suggested as the missing one, only the unknown key is reported.
    let mut misspelt: Vec<(&str, &str)> = Vec::new();
    for error in &errors {
        if let ValidationErrorKind::AdditionalProperties { unexpected } = error.kind() {
            let pointer = error.instance_path().as_str();
            let known = known_keys(&compiled.schema, pointer);
            misspelt.extend(
                unexpected
                    .iter()
                    .filter_map(|key| suggest_loosely(key, &known))
                    .map(|best| (pointer, best)),
            );
        }
    }
    let mut out = Vec::new();
    for error in &errors {
        if let ValidationErrorKind::Required { property } = error.kind() {
            let pointer = error.instance_path().as_str();
            if misspelt.contains(&(pointer, property.as_str().unwrap_or_default())) {
                continue;
            }
        }
        describe(&compiled.schema, doc, error, &mut out);
    }
    typo_warnings(
        &compiled.schema,
        &compiled.schema,
        doc,
        &doc.value,
        "",
        &mut out,
    );
    out.sort_by(|a, b| {
        let position = |d: &Diagnostic| (d.line.unwrap_or(usize::MAX), d.column.unwrap_or(0));
        position(a)
            .cmp(&position(b))
            .then_with(|| a.path.cmp(&b.path))
            .then_with(|| a.message.cmp(&b.message))
    });
    out.dedup();
    out
}

/// Turns one validator error into diagnostics (an error listing several
/// unknown keys becomes one diagnostic per key).
fn describe(
    schema: &Value,
    doc: &SourceDocument,
    error: &ValidationError<'_>,
    out: &mut Vec<Diagnostic>,
) {
    let pointer = error.instance_path().as_str();
    let instance = doc.value.pointer(pointer).unwrap_or(&Value::Null);
    let at = display_path(pointer, Some(&doc.value));
    let subject = if at.is_empty() {
        "the policy".to_string()
    } else {
        format!("`{at}`")
    };
    let located = |diagnostic: Diagnostic| diagnostic.at(doc.span(pointer));
    let diagnostic = match error.kind() {
        ValidationErrorKind::AdditionalProperties { unexpected } => {
            let known = known_keys(schema, pointer);
            for key in unexpected {
                let child = format!("{pointer}/{}", escape_segment(key));
                let place = if at.is_empty() {
                    "at the top level".to_string()
                } else {
                    format!("in `{at}`")
                };
                let mut diagnostic =
                    Diagnostic::error(format!("unknown key `{key}` {place}"), child.clone())
                        .at(doc.key_span(&child));
                diagnostic = match suggest_loosely(key, &known) {
                    Some(best) => diagnostic.with_help(format!("did you mean `{best}`?")),
                    None if !known.is_empty() => diagnostic.with_help(format!(
                        "known keys: {}",
                        known
                            .iter()
                            .map(|k| format!("`{k}`"))
                            .collect::<Vec<_>>()
                            .join(", ")
                    )),
                    None => diagnostic,
                };
                out.push(diagnostic);
            }
            return;
        }
        ValidationErrorKind::Required { property } => {
            let name = property.as_str().unwrap_or_default();
            let message = if at.is_empty() {
                format!("missing required key `{name}`")
            } else {
                format!("missing required key `{name}` in `{at}`")
            };
            let diagnostic = Diagnostic::error(message, pointer).at(doc.key_span(pointer));
            match (pointer, name) {
                ("", "metadata") => diagnostic
                    .with_help("add a `metadata:` section with `id`, `title` and `version`"),
                ("/metadata", "version") => diagnostic.with_help("add `version: \"1.0.0\"`"),
                _ => diagnostic,
            }
        }
        ValidationErrorKind::Type { kind } => {
            let types: Vec<JsonType> = match kind {
                TypeKind::Single(single) => vec![*single],
                TypeKind::Multiple(set) => set.iter().collect(),
            };
            located(type_error(schema, doc, pointer, &subject, instance, &types))
        }
        ValidationErrorKind::Enum { options } => {
            let options: Vec<&str> = options
                .as_array()
                .map(|list| list.iter().filter_map(Value::as_str).collect())
                .unwrap_or_default();
            let listed = options
                .iter()
                .map(|o| format!("`{o}`"))
                .collect::<Vec<_>>()
                .join(", ");
            let diagnostic = Diagnostic::error(
                format!(
                    "{subject} must be one of {listed}; found {}",
                    found(doc, pointer, instance)
                ),
                pointer,
            );
            let best = instance
                .as_str()
                .and_then(|text| suggest_loosely(text, &options));
            located(match best {
                Some(best) => diagnostic.with_help(format!("did you mean `{best}`?")),
                None => diagnostic,
            })
        }
        ValidationErrorKind::Pattern { pattern } => {
            if pointer == "/metadata/id" {
                let text = instance.as_str().unwrap_or_default();
                let diagnostic = Diagnostic::error(
                    format!(
                        "`metadata.id` must be lowercase letters, digits, `.`, `_` and `-`, \
                         starting with a letter or digit; found `{text}`"
                    ),
                    pointer,
                );
                let slug = slugify(text);
                located(if slug.is_empty() {
                    diagnostic.with_help("for example `cavra-my-policy`")
                } else {
                    diagnostic.with_help(format!("for example `{slug}`"))
                })
            } else {
                located(Diagnostic::error(
                    format!(
                        "{subject} must match the pattern `{pattern}`; found {}",
                        found(doc, pointer, instance)
                    ),
                    pointer,
                ))
            }
        }
        ValidationErrorKind::MinLength { limit: 1 } => located(Diagnostic::error(
            format!("{subject} must not be empty"),
            pointer,
        )),
        ValidationErrorKind::Minimum { limit } => located(Diagnostic::error(
            format!(
                "{subject} must be at least {limit}; found {}",
                found(doc, pointer, instance)
            ),
            pointer,
        )),
        _ => located(Diagnostic::error(
            format!("{subject}: {}", lowercase_first(&error.to_string())),
            pointer,
        )),
    };
    out.push(diagnostic);
}

/// A wrong-type error, with a fix for the usual YAML slips.
fn type_error(
    schema: &Value,
    doc: &SourceDocument,
    pointer: &str,
    subject: &str,
    instance: &Value,
    types: &[JsonType],
) -> Diagnostic {
    let key = pointer
        .rsplit('/')
        .next()
        .map(|segment| segment.replace("~1", "/").replace("~0", "~"))
        .unwrap_or_default();
    let written = doc
        .source_text(pointer)
        .map(str::to_string)
        .unwrap_or_else(|| instance.to_string());
    let wants = |ty: JsonType| types.contains(&ty);
    let required = pointer
        .rsplit_once('/')
        .and_then(|(parent, _)| schema_at(schema, parent))
        .and_then(|parent| parent.get("required"))
        .and_then(Value::as_array)
        .is_some_and(|names| names.iter().any(|name| name.as_str() == Some(key.as_str())));

    // A version YAML read as a number: the commonest mistake of all.
    if pointer == "/metadata/version" && !instance.is_string() && !instance.is_null() {
        return Diagnostic::error("`metadata.version` must be a string", pointer)
            .with_help(format!("quote it: version: \"{written}\""));
    }

    let expected = types
        .iter()
        .map(|ty| expected_name(schema, pointer, *ty))
        .collect::<Vec<_>>()
        .join(" or ");
    let diagnostic = Diagnostic::error(
        format!(
            "{subject} must be {expected}, found {}",
            found(doc, pointer, instance)
        ),
        pointer,
    );
    let quoted_key = if key.chars().all(|c| c.is_ascii_digit()) {
        String::new()
    } else {
        format!("{key}: ")
    };
    match instance {
        Value::Null if wants(JsonType::Array) => {
            diagnostic.with_help("write `[]` for an empty list, or remove the key")
        }
        Value::Null if required => diagnostic.with_help("give it a value"),
        Value::Null => diagnostic.with_help("give it a value, or remove the key"),
        Value::Number(_) | Value::Bool(_) if wants(JsonType::String) => {
            diagnostic.with_help(format!("quote it: {quoted_key}\"{written}\""))
        }
        Value::String(text) if wants(JsonType::Boolean) => {
            let lower = text.to_ascii_lowercase();
            if lower == "true" || lower == "false" {
                diagnostic.with_help(format!("remove the quotes: {quoted_key}{lower}"))
            } else if matches!(lower.as_str(), "yes" | "y" | "on") {
                diagnostic.with_help(format!(
                    "yaml 1.2 reads `{text}` as text; write `{quoted_key}true`"
                ))
            } else if matches!(lower.as_str(), "no" | "n" | "off") {
                diagnostic.with_help(format!(
                    "yaml 1.2 reads `{text}` as text; write `{quoted_key}false`"
                ))
            } else {
                diagnostic
            }
        }
        Value::String(text)
            if (wants(JsonType::Integer) || wants(JsonType::Number))
                && text.trim().parse::<f64>().is_ok() =>
        {
            diagnostic.with_help(format!("remove the quotes: {quoted_key}{}", text.trim()))
        }
        Value::String(text) if wants(JsonType::Array) => diagnostic.with_help(format!(
            "write a list: {quoted_key}[{}]",
            Value::String(text.clone())
        )),
        _ => diagnostic,
    }
}

/// How a type reads in a message; lists say what they hold.
fn expected_name(schema: &Value, pointer: &str, ty: JsonType) -> String {
    match ty {
        JsonType::Null => "null".into(),
        JsonType::Boolean => "true or false".into(),
        JsonType::Integer => "a whole number".into(),
        JsonType::Number => "a number".into(),
        JsonType::String => "a string".into(),
        JsonType::Object => "a mapping".into(),
        JsonType::Array => {
            let item_type = schema_at(schema, pointer)
                .and_then(|s| s.get("items"))
                .map(|items| deref(schema, items))
                .and_then(|items| items.get("type"))
                .and_then(Value::as_str);
            match item_type {
                Some("string") => "a list of strings".into(),
                _ => "a list".into(),
            }
        }
    }
}

/// What was found, with the value as written when it is short.
fn found(doc: &SourceDocument, pointer: &str, value: &Value) -> String {
    let shown = |text: &str| {
        let mut short: String = text.chars().take(40).collect();
        if short.len() < text.len() {
            short.push('…');
        }
        short
    };
    let written = doc.source_text(pointer);
    match value {
        Value::Null => "nothing (null)".into(),
        Value::Bool(b) => format!(
            "a boolean (`{}`)",
            written.map_or(b.to_string(), str::to_string)
        ),
        Value::Number(n) => format!(
            "a number (`{}`)",
            written.map_or(n.to_string(), str::to_string)
        ),
        Value::String(s) => format!("a string (`{}`)", shown(s)),
        Value::Array(_) => "a list".into(),
        Value::Object(_) => "a mapping".into(),
    }
}

fn lowercase_first(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_lowercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// A valid policy id close to `text`: `My Pack` -> `my-pack`.
fn slugify(text: &str) -> String {
    let mut slug = String::new();
    for c in text.trim().chars() {
        let c = c.to_ascii_lowercase();
        if c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-') {
            slug.push(c);
        } else if !slug.ends_with('-') {
            slug.push('-');
        }
    }
    slug.trim_matches(|c: char| !c.is_ascii_alphanumeric())
        .to_string()
}

// ---------------------------------------------------------------------------
// Walking the schema alongside the instance

/// Follows local `$ref`s (`#/$defs/...`); a few hops at most.
fn deref<'s>(root: &'s Value, mut schema: &'s Value) -> &'s Value {
    for _ in 0..8 {
        let Some(target) = schema
            .get("$ref")
            .and_then(Value::as_str)
            .and_then(|reference| reference.strip_prefix('#'))
            .and_then(|pointer| root.pointer(pointer))
        else {
            break;
        };
        schema = target;
    }
    schema
}

/// The subschema that applies at an instance pointer, through
/// `properties`, `items` and `additionalProperties`.
fn schema_at<'s>(root: &'s Value, pointer: &str) -> Option<&'s Value> {
    let mut schema = deref(root, root);
    for raw in pointer.split('/').skip(1) {
        let segment = raw.replace("~1", "/").replace("~0", "~");
        let next = schema
            .get("properties")
            .and_then(|properties| properties.get(&segment))
            .or_else(|| {
                segment
                    .parse::<usize>()
                    .ok()
                    .and_then(|_| schema.get("items"))
            })
            .or_else(|| schema.get("additionalProperties").filter(|s| s.is_object()))?;
        schema = deref(root, next);
    }
    Some(schema)
}

/// The keys the schema lists for the object at `pointer`, in schema order.
fn known_keys<'s>(root: &'s Value, pointer: &str) -> Vec<&'s str> {
    schema_at(root, pointer)
        .and_then(|schema| schema.get("properties"))
        .and_then(Value::as_object)
        .map(|properties| properties.keys().map(String::as_str).collect())
        .unwrap_or_default()
}

/// Warns about keys of open objects that are ignored but are one typo away
/// from a known key. Recursion follows the schema, so it is as deep as the
/// schema, whatever the document.
fn typo_warnings(
    root: &Value,
    schema: &Value,
    doc: &SourceDocument,
    value: &Value,
    pointer: &str,
    out: &mut Vec<Diagnostic>,
) {
    let schema = deref(root, schema);
    match value {
        Value::Object(map) => {
            let Some(properties) = schema.get("properties").and_then(Value::as_object) else {
                return;
            };
            // Closed objects already report unknown keys as errors.
            let open = schema.get("additionalProperties") != Some(&Value::Bool(false));
            let known: Vec<&str> = properties.keys().map(String::as_str).collect();
            for (key, child_value) in map {
                let child = format!("{pointer}/{}", escape_segment(key));
                match properties.get(key) {
                    Some(child_schema) => {
                        typo_warnings(root, child_schema, doc, child_value, &child, out);
                    }
                    None if open => {
                        if let Some(best) = suggest(key, &known) {
                            let at = display_path(pointer, Some(&doc.value));
                            let place = if at.is_empty() {
                                "at the top level".to_string()
                            } else {
                                format!("in `{at}`")
                            };
                            out.push(
                                Diagnostic::warning(
                                    format!("unknown key `{key}` {place} is ignored"),
                                    child.clone(),
                                )
                                .at(doc.key_span(&child))
                                .with_help(format!("did you mean `{best}`?")),
                            );
                        }
                    }
                    None => {}
                }
            }
        }
        Value::Array(items) => {
            if let Some(item_schema) = schema.get("items") {
                for (index, item) in items.iter().enumerate() {
                    typo_warnings(
                        root,
                        item_schema,
                        doc,
                        item,
                        &format!("{pointer}/{index}"),
                        out,
                    );
                }
            }
        }
        _ => {}
    }
}

// ---------------------------------------------------------------------------
// Suggestions

/// The known word `word` was probably meant to be: the same after
/// normalising case and `-`, within a small edit distance, or the only
/// known word it is a prefix of.
fn suggest<'k>(word: &str, known: &[&'k str]) -> Option<&'k str> {
    let normal = |text: &str| text.to_lowercase().replace(['-', ' '], "_");
    let word_n = normal(word);
    if word_n.is_empty() {
        return None;
    }
    if let Some(exact) = known.iter().find(|k| normal(k) == word_n) {
        return Some(exact);
    }
    let limit = if word_n.chars().count() < 4 { 1 } else { 2 };
    let best = known
        .iter()
        .map(|k| (edit_distance(&word_n, &normal(k)), *k))
        .filter(|(distance, _)| *distance <= limit)
        .min_by_key(|(distance, _)| *distance);
    if let Some((_, k)) = best {
        return Some(k);
    }
    if word_n.chars().count() >= 4 {
        let mut prefixed = known.iter().filter(|k| normal(k).starts_with(&word_n));
        if let (Some(only), None) = (prefixed.next(), prefixed.next()) {
            return Some(only);
        }
    }
    None
}

/// Like [`suggest`], and also the one known word sharing a long start with
/// `word` (`enforcing` -> `enforce`). Only for errors: in open sections a
/// key such as `compliance_notes` is a real extra key, not a typo.
fn suggest_loosely<'k>(word: &str, known: &[&'k str]) -> Option<&'k str> {
    suggest(word, known).or_else(|| {
        let common = |k: &str| {
            word.chars()
                .zip(k.chars())
                .take_while(|(a, b)| a.eq_ignore_ascii_case(b))
                .count()
        };
        let best = known.iter().map(|k| common(k)).max()?;
        let mut longest = known.iter().filter(|k| common(k) == best);
        match (longest.next(), longest.next()) {
            (Some(only), None) if best >= 5 => Some(only),
            _ => None,
        }
    })
}

/// Optimal string alignment distance: Levenshtein plus swaps of adjacent
/// characters (`raed` -> `read` is one edit).
fn edit_distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    // Three rolling rows of the table d[i][j] = distance(a[..i], b[..j]).
    let width = b.len() + 1;
    let mut before: Vec<usize> = vec![0; width];
    let mut previous: Vec<usize> = (0..width).collect();
    let mut current: Vec<usize> = vec![0; width];
    let cell = |row: &[usize], j: usize| row.get(j).copied().unwrap_or(usize::MAX / 2);
    for (i, &ca) in a.iter().enumerate() {
        if let Some(first) = current.first_mut() {
            *first = i + 1;
        }
        for (j, &cb) in b.iter().enumerate() {
            let cost = usize::from(ca != cb);
            let mut best = (cell(&previous, j) + cost)
                .min(cell(&previous, j + 1) + 1)
                .min(cell(&current, j) + 1);
            let swapped = i > 0 && j > 0 && a.get(i - 1) == Some(&cb) && b.get(j - 1) == Some(&ca);
            if swapped {
                best = best.min(cell(&before, j - 1) + 1);
            }
            if let Some(slot) = current.get_mut(j + 1) {
                *slot = best;
            }
        }
        std::mem::swap(&mut before, &mut previous);
        std::mem::swap(&mut previous, &mut current);
    }
    cell(&previous, b.len())
}

#[cfg(test)]
mod tests;
