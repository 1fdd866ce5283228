//! Tool arguments: typed reads from a `tools/call` `arguments` object, each
//! failure a sentence naming the argument, so the agent can fix its call.
//! Nothing here fills in a default action.

use serde_json::{Map, Value};

/// The arguments of one call.
pub(crate) struct Args<'a> {
    map: &'a Map<String, Value>,
}

fn type_name(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

impl<'a> Args<'a> {
    /// Wraps the arguments, refusing names outside `allowed`.
    pub fn new(map: &'a Map<String, Value>, allowed: &[&str]) -> Result<Self, String> {
        if let Some(unknown) = map.keys().find(|k| !allowed.contains(&k.as_str())) {
            return Err(format!(
                "unknown argument `{unknown}` (expected {})",
                allowed
                    .iter()
                    .map(|a| format!("`{a}`"))
                    .collect::<Vec<_>>()
                    .join(", ")
            ));
        }
        Ok(Args { map })
    }

    /// A required non-empty string.
    pub fn string(&self, name: &str) -> Result<String, String> {
        match self.opt_string(name)? {
            Some(s) if !s.is_empty() => Ok(s),
            Some(_) => Err(format!("argument `{name}` must not be empty")),
            None => Err(format!("missing required argument `{name}` (a string)")),
        }
    }

    /// An optional string (`null` counts as absent).
    pub fn opt_string(&self, name: &str) -> Result<Option<String>, String> {
        match self.map.get(name) {
            None | Some(Value::Null) => Ok(None),
            Some(Value::String(s)) => Ok(Some(s.clone())),
            Some(other) => Err(format!(
                "argument `{name}` must be a string, not {}",
                type_name(other)
            )),
        }
    }

    /// An optional boolean (`null` counts as absent).
    pub fn opt_bool(&self, name: &str) -> Result<Option<bool>, String> {
        match self.map.get(name) {
            None | Some(Value::Null) => Ok(None),
            Some(Value::Bool(b)) => Ok(Some(*b)),
            Some(other) => Err(format!(
                "argument `{name}` must be a boolean, not {}",
                type_name(other)
            )),
        }
    }

    /// An optional object (`null` counts as absent).
    pub fn opt_object(&self, name: &str) -> Result<Option<&'a Value>, String> {
        match self.map.get(name) {
            None | Some(Value::Null) => Ok(None),
            Some(v @ Value::Object(_)) => Ok(Some(v)),
            Some(other) => Err(format!(
                "argument `{name}` must be an object, not {}",
                type_name(other)
            )),
        }
    }
}
