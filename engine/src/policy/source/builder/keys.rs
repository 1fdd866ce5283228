//! Mapping keys: each must be a scalar (not an alias, a list or a mapping),
//! is kept as written (`1.10: x` has the key "1.10"), and must be unique in
//! its mapping; a duplicate is an error that names the lines of both. Merge
//! keys (`<<`) are not supported. A key's position is recorded apart from
//! its value's, for errors about the key itself.

use super::anchors::AnchorSource;
use super::{Body, Builder, Entry, Frame, Node};
use crate::policy::diagnostic::Diagnostic;
use crate::policy::source::lines::Pos;
use crate::policy::source::scalar::resolve;
use crate::policy::source::{display_path, escape_segment};

impl<'l, 't> Builder<'l, 't> {
    pub(super) fn key(&mut self, node: Node, pos: Pos) -> Result<(), Diagnostic> {
        let parent = self
            .stack
            .last()
            .map(|f| f.pointer.clone())
            .unwrap_or_default();
        let (text, plain, anchor, tag) = match node {
            Node::Scalar {
                text,
                plain,
                anchor,
                tag,
            } => (text, plain, anchor, tag),
            Node::Alias { .. } => {
                return Err(self
                    .error("an alias cannot be used as a mapping key", &parent, pos)
                    .with_help("write the key out"))
            }
            _ => {
                return Err(self.error(
                    "a mapping key must be a plain value, not a list or mapping",
                    &parent,
                    pos,
                ))
            }
        };
        if plain && tag.is_none() && text == "<<" {
            return Err(self
                .error("yaml merge keys (`<<`) are not supported", &parent, pos)
                .with_help("write the keys out in this mapping"));
        }
        let (value, _) = resolve(&text, plain, tag.as_ref())
            .map_err(|message| self.error(message, &parent, pos))?;
        // Keys are kept as written: `1.10: x` has the key "1.10".
        if value.is_null() && plain {
            return Err(self
                .error("a mapping key is empty or null", &parent, pos)
                .with_help("quote the key if it is the text `null` or `~`"));
        }
        let span = self.lines.span(pos);
        let pointer = format!("{parent}/{}", escape_segment(&text));
        let first_line = match self.stack.last() {
            Some(Frame {
                body: Body::Map { key_lines, .. },
                ..
            }) => key_lines.get(&text).copied(),
            _ => None,
        };
        if let Some(first) = first_line {
            let place = if parent.is_empty() {
                "at the top level".to_string()
            } else {
                format!("in `{}`", display_path(&parent, None))
            };
            return Err(Diagnostic::error(
                format!(
                    "duplicate key `{text}` {place}: first on line {first}, again on line {}",
                    span.line
                ),
                pointer,
            )
            .at(Some(span))
            .with_help("remove one of them or merge their values"));
        }
        let before = self.usage;
        self.spend(1, text.len(), &parent, pos)?;
        self.record(
            Entry {
                pointer,
                is_key: true,
                span,
                raw: None,
            },
            pos,
        )?;
        let Some(frame) = self.stack.last_mut() else {
            return Ok(());
        };
        let Body::Map {
            map,
            key,
            key_lines,
        } = &mut frame.body
        else {
            return Ok(());
        };
        // A block mapping is reported after its first key; it starts there.
        if map.is_empty() {
            if let Some(entry) = self.entries.get_mut(frame.before.entries) {
                if (span.line, span.column) < (entry.span.line, entry.span.column) {
                    entry.span = span;
                }
            }
        }
        key_lines.insert(text.clone(), span.line);
        *key = Some(text.clone());
        if anchor != 0 {
            self.define(anchor, AnchorSource::Key(text), before, 0);
        }
        Ok(())
    }
}
