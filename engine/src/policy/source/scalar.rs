//! Scalars: the YAML 1.2 core schema, which decides whether `yes`, `1.10`
//! or `0o17` is a string, a number or a boolean, and the `!!` tags that
//! override it.
//!
//! Both the YAML and the JSON path resolve every scalar here, so a value
//! means the same whichever syntax wrote it.

use serde_json::{Number, Value};
use yaml_rust2::parser::Tag;

/// The handle yaml-rust2 gives `!!` tags.
const CORE_TAG: &str = "tag:yaml.org,2002:";

/// The name of a core tag (`str` for `!!str` or
/// `!<tag:yaml.org,2002:str>`).
pub(super) fn core_suffix(tag: &Tag) -> Option<&str> {
    if tag.handle == CORE_TAG {
        Some(&tag.suffix)
    } else if tag.handle.is_empty() {
        tag.suffix.strip_prefix(CORE_TAG)
    } else {
        None
    }
}

/// The non-specific tag `!`, which makes a scalar a string.
fn is_non_specific(tag: &Tag) -> bool {
    (tag.handle.is_empty() && tag.suffix == "!") || (tag.handle == "!" && tag.suffix.is_empty())
}

/// `!!str` for core tags, the tag as written otherwise.
pub(super) fn tag_name(tag: Option<&Tag>) -> String {
    match tag {
        Some(tag) => match core_suffix(tag) {
            Some(suffix) => format!("!!{suffix}"),
            None => format!("{}{}", tag.handle, tag.suffix),
        },
        None => String::new(),
    }
}

/// Resolves a scalar to a JSON value; the second part is the text as
/// written when it resolved to something other than a string.
pub(super) fn resolve(
    text: &str,
    plain: bool,
    tag: Option<&Tag>,
) -> Result<(Value, Option<String>), String> {
    let typed = |value: Value| {
        let raw = (!value.is_string()).then(|| text.to_string());
        (value, raw)
    };
    let Some(tag) = tag else {
        return Ok(if plain {
            typed(resolve_plain(text))
        } else {
            (Value::String(text.to_string()), None)
        });
    };
    if is_non_specific(tag) {
        return Ok((Value::String(text.to_string()), None));
    }
    let Some(suffix) = core_suffix(tag) else {
        return Err(format!("unsupported yaml tag `{}`", tag_name(Some(tag))));
    };
    let value = resolve_plain(text);
    let fits = match suffix {
        "str" => return Ok((Value::String(text.to_string()), None)),
        "null" => value.is_null(),
        "bool" => value.is_boolean(),
        "int" => value.is_i64() || value.is_u64(),
        "float" => value.is_number(),
        _ => return Err(format!("unsupported yaml tag `{}`", tag_name(Some(tag)))),
    };
    if fits {
        let value = match (suffix, value.as_f64()) {
            ("float", Some(float)) => Number::from_f64(float).map_or(value, Value::Number),
            _ => value,
        };
        Ok(typed(value))
    } else {
        Err(format!("value `{text}` is not a valid `!!{suffix}`"))
    }
}

/// The YAML 1.2 core schema for plain scalars. Non-finite floats (`.inf`,
/// `.nan`, `1e999`) stay strings: JSON cannot hold them, and in a policy
/// they are more likely file names than numbers.
fn resolve_plain(text: &str) -> Value {
    match text {
        "" | "~" | "null" | "Null" | "NULL" => return Value::Null,
        "true" | "True" | "TRUE" => return Value::Bool(true),
        "false" | "False" | "FALSE" => return Value::Bool(false),
        _ => {}
    }
    if let Some(octal) = text.strip_prefix("0o") {
        if is_digits(octal, 8) {
            if let Ok(n) = u64::from_str_radix(octal, 8) {
                return Value::Number(n.into());
            }
        }
        return Value::String(text.to_string());
    }
    if let Some(hex) = text.strip_prefix("0x") {
        if is_digits(hex, 16) {
            if let Ok(n) = u64::from_str_radix(hex, 16) {
                return Value::Number(n.into());
            }
        }
        return Value::String(text.to_string());
    }
    let unsigned = text.strip_prefix(['-', '+']).unwrap_or(text);
    if is_digits(unsigned, 10) {
        if let Ok(n) = text.parse::<i64>() {
            return Value::Number(n.into());
        }
        if let Ok(n) = unsigned.parse::<u64>() {
            if !text.starts_with('-') {
                return Value::Number(n.into());
            }
        }
    }
    if is_core_float(unsigned) {
        if let Some(n) = text.parse::<f64>().ok().and_then(Number::from_f64) {
            return Value::Number(n);
        }
    }
    Value::String(text.to_string())
}

pub(super) fn is_digits(text: &str, radix: u32) -> bool {
    !text.is_empty() && text.chars().all(|c| c.is_digit(radix))
}

/// `( \. [0-9]+ | [0-9]+ ( \. [0-9]* )? ) ( [eE] [-+]? [0-9]+ )?`, the
/// finite part of the core schema's float, without its sign.
fn is_core_float(text: &str) -> bool {
    let (mantissa, exponent) = match text.split_once(['e', 'E']) {
        Some((mantissa, exponent)) => (mantissa, Some(exponent)),
        None => (text, None),
    };
    let mantissa_ok = match mantissa.split_once('.') {
        Some(("", fraction)) => is_digits(fraction, 10),
        Some((whole, fraction)) => {
            is_digits(whole, 10) && (fraction.is_empty() || is_digits(fraction, 10))
        }
        None => is_digits(mantissa, 10),
    };
    let exponent_ok =
        exponent.is_none_or(|e| is_digits(e.strip_prefix(['-', '+']).unwrap_or(e), 10));
    mantissa_ok && exponent_ok
}
