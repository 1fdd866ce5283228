//! Anchors and aliases: `&name` records a completed node, `*name` repeats
//! it.
//!
//! An alias is the cheap way to make a small file expand into a huge value
//! ("billion laughs"), so every alias is charged the nodes, bytes and depth
//! its anchor added before anything is copied: a limit fails first.

use super::{too_deep, Body, Builder, Entry, Usage};
use crate::policy::diagnostic::Diagnostic;
use crate::policy::source::lines::Pos;
use crate::policy::source::MAX_DEPTH;
use serde_json::Value;

/// A completed anchored node, kept for its aliases.
///
/// The value is not copied when the anchor is defined: nested anchors would
/// copy the same nodes once per level. An alias finds it in the tree being
/// built instead, by its pointer.
pub(super) struct Anchor {
    /// Where the node is, or the text of an anchored mapping key.
    source: AnchorSource,
    /// What the node added: nodes, bytes, entries.
    usage: Usage,
    /// Index of its first entry in `Builder::entries`.
    first_entry: usize,
    /// Levels of nesting it adds (0 for a scalar).
    height: usize,
}

pub(super) enum AnchorSource {
    Tree(String),
    Key(String),
}

impl<'l, 't> Builder<'l, 't> {
    /// Registers an anchor for the node that began when usage was `before`.
    pub(super) fn define(
        &mut self,
        anchor: usize,
        source: AnchorSource,
        before: Usage,
        height: usize,
    ) {
        let usage = Usage {
            nodes: self.usage.nodes.saturating_sub(before.nodes),
            bytes: self.usage.bytes.saturating_sub(before.bytes),
            entries: self.usage.entries.saturating_sub(before.entries),
        };
        let anchored = Anchor {
            source,
            usage,
            first_entry: before.entries,
            height,
        };
        self.anchors.insert(anchor, anchored);
    }

    /// A complete node already in the tree being built.
    fn find(&self, pointer: &str) -> Option<&Value> {
        if let Some(root) = &self.root {
            return root.pointer(pointer);
        }
        // The deepest open container above the node holds it, complete.
        let frame = self.stack.iter().rev().find(|frame| {
            pointer
                .strip_prefix(frame.pointer.as_str())
                .is_some_and(|rest| rest.starts_with('/'))
        })?;
        let rest = pointer.get(frame.pointer.len() + 1..)?;
        let (first, tail) = match rest.find('/') {
            Some(cut) => (rest.get(..cut)?, rest.get(cut..)?),
            None => (rest, ""),
        };
        let child = match &frame.body {
            Body::Map { map, .. } => map.get(&first.replace("~1", "/").replace("~0", "~")),
            Body::Seq(items) => first.parse::<usize>().ok().and_then(|i| items.get(i)),
        }?;
        child.pointer(tail)
    }

    pub(super) fn alias(
        &mut self,
        pointer: String,
        anchor: usize,
        pos: Pos,
    ) -> Result<(), Diagnostic> {
        let Some(target) = self.anchors.get(&anchor) else {
            let name = self.lines.name_at(pos);
            return Err(self
                .error(
                    format!("alias `*{name}` refers to a node that contains it"),
                    &pointer,
                    pos,
                )
                .with_help("an alias may only repeat a node that is complete"));
        };
        let (usage, first, height) = (target.usage, target.first_entry, target.height);
        let prefix = match &target.source {
            AnchorSource::Tree(at) => at.len(),
            AnchorSource::Key(_) => 0,
        };
        // The copies' pointers start with this alias's pointer instead.
        let bytes = usage
            .bytes
            .saturating_sub(usage.entries.saturating_mul(prefix))
            .saturating_add(usage.entries.saturating_mul(pointer.len()));
        self.spend(usage.nodes, bytes, &pointer, pos)?;
        if self.stack.len() + height > MAX_DEPTH {
            return Err(too_deep(&pointer).at(Some(self.lines.span(pos))));
        }
        let value = match self.anchors.get(&anchor).map(|a| &a.source) {
            Some(AnchorSource::Key(text)) => Some(Value::String(text.clone())),
            Some(AnchorSource::Tree(at)) => self.find(at).cloned(),
            None => None,
        };
        let Some(value) = value else {
            return Err(self.error("internal error: an anchored value was lost", &pointer, pos));
        };
        // The alias itself stands where `*name` is written; what it repeats
        // keeps the anchor's positions. The anchor's first entry is its own.
        let own = Entry {
            pointer: pointer.clone(),
            is_key: false,
            span: self.lines.span(pos),
            raw: match self.anchors.get(&anchor).map(|a| &a.source) {
                Some(AnchorSource::Tree(_)) => self.entries.get(first).and_then(|e| e.raw.clone()),
                _ => None,
            },
        };
        let below = match self.anchors.get(&anchor).map(|a| &a.source) {
            Some(AnchorSource::Tree(_)) => self
                .entries
                .get(first.saturating_add(1)..first.saturating_add(usage.entries))
                .unwrap_or_default(),
            _ => &[],
        };
        let mut copies = Vec::with_capacity(below.len() + 1);
        copies.push(own);
        copies.extend(below.iter().map(|entry| Entry {
            pointer: format!(
                "{pointer}{}",
                entry.pointer.get(prefix..).unwrap_or_default()
            ),
            is_key: entry.is_key,
            span: entry.span,
            raw: entry.raw.clone(),
        }));
        self.entries.extend(copies);
        self.usage.entries = self.entries.len();
        self.attach(value, height);
        Ok(())
    }
}
