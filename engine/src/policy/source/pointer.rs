//! JSON pointers (RFC 6901), the keys under which positions are recorded:
//! the parent of a pointer, the escaping of one segment, and the form users
//! read in diagnostics (`rules[0].decision`). Schema validation builds and
//! shows pointers with the same functions.

use super::scalar::is_digits;
use serde_json::Value;

/// The pointer of the parent of `pointer`, `None` for the root.
pub(super) fn parent_pointer(pointer: &str) -> Option<&str> {
    if pointer.is_empty() {
        return None;
    }
    Some(pointer.rsplit_once('/').map_or("", |(parent, _)| parent))
}

/// A JSON pointer as users write paths: `metadata.version`,
/// `rules[0].decision`, `controls["filesystem.read.block"]`; `""` for the
/// root.
///
/// With `root`, a number segment is an index only where the value is a
/// list; without it, every number segment is taken as an index.
pub(crate) fn display_path(pointer: &str, root: Option<&Value>) -> String {
    let mut out = String::new();
    let mut current = root;
    for raw in pointer.split('/').skip(1) {
        let segment = raw.replace("~1", "/").replace("~0", "~");
        let is_index = match current {
            Some(Value::Array(_)) => true,
            Some(_) => false,
            None => is_digits(&segment, 10),
        };
        current = current.and_then(|value| match value {
            Value::Array(items) => segment.parse::<usize>().ok().and_then(|i| items.get(i)),
            Value::Object(map) => map.get(&segment),
            _ => None,
        });
        let plain = !segment.is_empty()
            && segment
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-');
        if is_index {
            out.push_str(&format!("[{segment}]"));
        } else if plain {
            if !out.is_empty() {
                out.push('.');
            }
            out.push_str(&segment);
        } else {
            out.push_str(&format!("[{}]", Value::String(segment)));
        }
    }
    out
}

/// Escapes one JSON pointer segment (RFC 6901).
pub(crate) fn escape_segment(segment: &str) -> String {
    segment.replace('~', "~0").replace('/', "~1")
}
