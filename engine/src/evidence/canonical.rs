//! Canonical JSON: the exact bytes that digests and signatures cover.
//!
//! Compatible with Python's `json.dumps(obj, sort_keys=True)` (the format
//! CAVRA's Python verifier rebuilds): keys sorted by code point, `", "` and
//! `": "` separators, no indentation, every character outside 0x20-0x7E
//! escaped as lowercase `\uXXXX` (surrogate pairs above U+FFFF).

use serde_json::Value;
use sha2::{Digest, Sha256};
use std::fmt::Write as _;

/// The canonical text of a JSON value.
pub fn canonical_json(value: &Value) -> String {
    let mut out = String::new();
    write_value(value, &mut out);
    out
}

fn write_value(value: &Value, out: &mut String) {
    match value {
        Value::Null => out.push_str("null"),
        Value::Bool(true) => out.push_str("true"),
        Value::Bool(false) => out.push_str("false"),
        Value::Number(n) => write_number(n, out),
        Value::String(s) => write_string(s, out),
        Value::Array(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                write_value(item, out);
            }
            out.push(']');
        }
        Value::Object(map) => {
            let mut entries: Vec<(&String, &Value)> = map.iter().collect();
            // Python sorts str keys by code point; Rust's str order is byte
            // order, which for UTF-8 is the same.
            sort_entries(&mut entries);
            out.push('{');
            for (i, (key, item)) in entries.into_iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                write_string(key, out);
                out.push_str(": ");
                write_value(item, out);
            }
            out.push('}');
        }
    }
}

/// Pretty JSON as bundle files are written: the same text as Python's
/// `json.dumps(value, indent=2, sort_keys=True)` (keys sorted, 2-space
/// indentation, `","` at line ends and `": "` after keys, the same escaping
/// as [`canonical_json`]) plus one final newline.
pub fn pretty_json(value: &Value) -> String {
    let mut out = String::new();
    write_pretty(value, 0, &mut out);
    out.push('\n');
    out
}

/// Sorts object entries by key. Maps built in sorted order (see
/// `session_log::decision_value`) pass the linear check and skip the sort.
fn sort_entries(entries: &mut [(&String, &Value)]) {
    if !entries.is_sorted_by(|a, b| a.0 <= b.0) {
        entries.sort_unstable_by(|a, b| a.0.cmp(b.0));
    }
}

/// A value rendered as it appears at `depth` inside a pretty document (no
/// final newline), for assembling documents from shared parts.
pub(crate) fn pretty_at(value: &Value, depth: usize) -> String {
    let mut out = String::new();
    write_pretty(value, depth, &mut out);
    out
}

/// A pretty object document from fields whose values are already rendered
/// at depth 1 ([`pretty_at`]); keys are sorted as [`pretty_json`] sorts them.
/// Bundles use it to render their large decision list once and put it in
/// two files.
pub(crate) fn pretty_object(mut fields: Vec<(&str, String)>) -> String {
    fields.sort_unstable_by(|a, b| a.0.cmp(b.0));
    let mut out = String::from("{");
    for (i, (key, rendered)) in fields.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        newline_indent(1, &mut out);
        write_string(key, &mut out);
        out.push_str(": ");
        out.push_str(rendered);
    }
    out.push_str("\n}\n");
    out
}

fn write_pretty(value: &Value, depth: usize, out: &mut String) {
    match value {
        Value::Array(items) if !items.is_empty() => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                newline_indent(depth + 1, out);
                write_pretty(item, depth + 1, out);
            }
            newline_indent(depth, out);
            out.push(']');
        }
        Value::Object(map) if !map.is_empty() => {
            let mut entries: Vec<(&String, &Value)> = map.iter().collect();
            sort_entries(&mut entries);
            out.push('{');
            for (i, (key, item)) in entries.into_iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                newline_indent(depth + 1, out);
                write_string(key, out);
                out.push_str(": ");
                write_pretty(item, depth + 1, out);
            }
            newline_indent(depth, out);
            out.push('}');
        }
        // Scalars and empty containers (`[]`, `{}`) print as in canonical form.
        _ => write_value(value, out),
    }
}

fn newline_indent(depth: usize, out: &mut String) {
    out.push('\n');
    for _ in 0..depth {
        out.push_str("  ");
    }
}

fn write_number(n: &serde_json::Number, out: &mut String) {
    if let Some(i) = n.as_i64() {
        let _ = write!(out, "{i}");
    } else if let Some(u) = n.as_u64() {
        let _ = write!(out, "{u}");
    } else if let Some(f) = n.as_f64() {
        // Python's repr of a float: shortest round-trip, with ".0" for
        // integral values and exponent form outside 1e-4..1e16.
        let text = format!("{f:?}");
        out.push_str(&python_float(&text, f));
    }
}

fn python_float(debug: &str, f: f64) -> String {
    let abs = f.abs();
    if abs != 0.0 && !(1e-4..1e16).contains(&abs) {
        let text = format!("{f:e}");
        // Rust prints `1e20`, Python `1e+20`; Rust `1.5e-7`, Python `1.5e-07`.
        if let Some((mantissa, exp)) = text.split_once('e') {
            let (sign, digits) = match exp.strip_prefix('-') {
                Some(d) => ('-', d),
                None => ('+', exp),
            };
            let digits = if digits.len() < 2 {
                format!("0{digits}")
            } else {
                digits.to_string()
            };
            return format!("{mantissa}e{sign}{digits}");
        }
        return text;
    }
    debug.to_string()
}

fn write_string(s: &str, out: &mut String) {
    out.push('"');
    // Copy runs of printable ASCII in one go: almost every string in a
    // decision is plain, and bundles hold tens of megabytes of them.
    let mut run_start = 0;
    for (i, c) in s.char_indices() {
        let plain = matches!(c, ' '..='~') && c != '"' && c != '\\';
        if plain {
            continue;
        }
        out.push_str(s.get(run_start..i).unwrap_or_default());
        run_start = i + c.len_utf8();
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            _ => {
                let mut units = [0u16; 2];
                for unit in c.encode_utf16(&mut units) {
                    let _ = write!(out, "\\u{unit:04x}");
                }
            }
        }
    }
    out.push_str(s.get(run_start..).unwrap_or_default());
    out.push('"');
}

/// Lowercase hex SHA-256 of some bytes.
pub fn sha256_hex(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn matches_python_sort_keys_output() {
        let cases = [
            (
                json!({"b": 1, "a": [true, null, "x"]}),
                r#"{"a": [true, null, "x"], "b": 1}"#,
            ),
            (
                json!({"s": "é\u{1F600}\n\"/\\"}),
                r#"{"s": "\u00e9\ud83d\ude00\n\"/\\"}"#,
            ),
            (
                json!({"f": 1.5, "g": 2.0, "n": -3}),
                r#"{"f": 1.5, "g": 2.0, "n": -3}"#,
            ),
            (
                json!({"big": 1e20, "small": 1.5e-7}),
                r#"{"big": 1e+20, "small": 1.5e-07}"#,
            ),
            (json!({"c": "\u{7f}\u{1}"}), r#"{"c": "\u007f\u0001"}"#),
            (json!({}), "{}"),
            (json!([]), "[]"),
        ];
        for (value, expected) in cases {
            assert_eq!(canonical_json(&value), expected);
        }
    }

    #[test]
    fn pretty_matches_python_indent_2_sort_keys() {
        // Expected texts are `json.dumps(v, indent=2, sort_keys=True) + "\n"`
        // from CPython 3.
        let cases = [
            (
                json!({"b": 1, "a": [true, null, "x"], "e": {}, "l": []}),
                "{\n  \"a\": [\n    true,\n    null,\n    \"x\"\n  ],\n  \"b\": 1,\n  \"e\": {},\n  \"l\": []\n}\n",
            ),
            (
                json!({"s": "é\u{1F600}\n\"/\\", "n": {"z": [1, {"y": 2.5}], "a": 1e20}}),
                "{\n  \"n\": {\n    \"a\": 1e+20,\n    \"z\": [\n      1,\n      {\n        \"y\": 2.5\n      }\n    ]\n  },\n  \"s\": \"\\u00e9\\ud83d\\ude00\\n\\\"/\\\\\"\n}\n",
            ),
            (json!([]), "[]\n"),
            (json!({}), "{}\n"),
            (json!("x"), "\"x\"\n"),
            (json!([[]]), "[\n  []\n]\n"),
        ];
        for (value, expected) in cases {
            assert_eq!(pretty_json(&value), expected, "{value}");
        }
    }
}
