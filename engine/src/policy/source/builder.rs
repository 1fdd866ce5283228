//! Building the value: structural events in, a `serde_json::Value` out,
//! with the position of every value and mapping key recorded under its
//! JSON pointer.
//!
//! This is where hostile input is bounded: nesting depth, the number of
//! nodes and the bytes of text and pointers are counted as the tree grows
//! (aliases included, see `anchors`), so a small file cannot make the
//! engine allocate without limit. Mapping keys, with their duplicate and
//! merge-key checks, are in `keys`.

mod anchors;
mod keys;

use self::anchors::{Anchor, AnchorSource};
use super::lines::{LineIndex, Pos};
use super::pointer::escape_segment;
use super::scalar::{core_suffix, resolve, tag_name};
use super::{SourceDocument, MAX_DEPTH, MAX_EXPANDED_BYTES, MAX_NODES};
use crate::policy::diagnostic::{Diagnostic, Span};
use serde_json::{Map, Value};
use std::collections::HashMap;
use yaml_rust2::parser::Tag;

/// One structural event, from either the YAML parser or the JSON tokenizer.
pub(super) enum Node {
    MapStart {
        anchor: usize,
        tag: Option<Tag>,
    },
    SeqStart {
        anchor: usize,
        tag: Option<Tag>,
    },
    End,
    Scalar {
        text: String,
        plain: bool,
        anchor: usize,
        tag: Option<Tag>,
    },
    Alias {
        anchor: usize,
    },
}

/// One recorded position, in document order.
struct Entry {
    pointer: String,
    is_key: bool,
    span: Span,
    raw: Option<String>,
}

/// What the builder has produced so far; the limits are checked on it.
#[derive(Clone, Copy, Default)]
struct Usage {
    /// Nodes, keys included (limit [`MAX_NODES`]).
    nodes: usize,
    /// Bytes of strings and of recorded pointers (limit
    /// [`MAX_EXPANDED_BYTES`]).
    bytes: usize,
    /// Recorded entries.
    entries: usize,
}

/// An open mapping or sequence.
struct Frame {
    pointer: String,
    anchor: usize,
    /// Usage before this node; its own entry is at index `before.entries`.
    before: Usage,
    /// Height of the deepest child container so far.
    height: usize,
    body: Body,
}

enum Body {
    Map {
        map: Map<String, Value>,
        /// The key waiting for its value.
        key: Option<String>,
        /// Line of each key, for duplicate-key errors.
        key_lines: HashMap<String, usize>,
    },
    Seq(Vec<Value>),
}

/// Where the next node goes.
enum Slot {
    Root,
    Key,
    Value(String),
}

pub(super) struct Builder<'l, 't> {
    lines: &'l LineIndex<'t>,
    stack: Vec<Frame>,
    root: Option<Value>,
    entries: Vec<Entry>,
    anchors: HashMap<usize, Anchor>,
    usage: Usage,
}

impl<'l, 't> Builder<'l, 't> {
    pub(super) fn new(lines: &'l LineIndex<'t>) -> Self {
        Builder {
            lines,
            stack: Vec::new(),
            root: None,
            entries: Vec::new(),
            anchors: HashMap::new(),
            usage: Usage::default(),
        }
    }

    fn error(&self, message: impl Into<String>, pointer: &str, pos: Pos) -> Diagnostic {
        Diagnostic::error(message, pointer).at(Some(self.lines.span(pos)))
    }

    fn slot(&self) -> Slot {
        match self.stack.last() {
            None => Slot::Root,
            Some(frame) => match &frame.body {
                Body::Map { key: None, .. } => Slot::Key,
                Body::Map { key: Some(key), .. } => {
                    Slot::Value(format!("{}/{}", frame.pointer, escape_segment(key)))
                }
                Body::Seq(items) => Slot::Value(format!("{}/{}", frame.pointer, items.len())),
            },
        }
    }

    /// Adds `nodes` and `bytes` to the usage, failing past a limit.
    fn spend(
        &mut self,
        nodes: usize,
        bytes: usize,
        pointer: &str,
        pos: Pos,
    ) -> Result<(), Diagnostic> {
        self.usage.nodes = self.usage.nodes.saturating_add(nodes);
        self.usage.bytes = self.usage.bytes.saturating_add(bytes);
        if self.usage.nodes > MAX_NODES {
            return Err(self
                .error(
                    format!(
                        "policy expands to more than {MAX_NODES} values (the limit), \
                         usually because aliases repeat large anchors"
                    ),
                    pointer,
                    pos,
                )
                .with_help("write the policy without nested aliases, or split it into packs"));
        }
        if self.usage.bytes > MAX_EXPANDED_BYTES {
            return Err(self
                .error(
                    format!(
                        "policy expands to more than {} MiB of text and key paths (the limit), \
                         usually because aliases repeat long values or long keys are nested deeply",
                        MAX_EXPANDED_BYTES / (1024 * 1024)
                    ),
                    pointer,
                    pos,
                )
                .with_help("use fewer aliases and shorter keys"));
        }
        Ok(())
    }

    /// Records a position (its pointer counts towards the byte limit).
    fn record(&mut self, entry: Entry, pos: Pos) -> Result<(), Diagnostic> {
        self.spend(0, entry.pointer.len(), &entry.pointer, pos)?;
        self.entries.push(entry);
        self.usage.entries = self.entries.len();
        Ok(())
    }

    pub(super) fn push(&mut self, node: Node, pos: Pos) -> Result<(), Diagnostic> {
        if let Node::End = node {
            self.close();
            return Ok(());
        }
        let pointer = match self.slot() {
            Slot::Key => return self.key(node, pos),
            Slot::Root => {
                check_root(&node)
                    .map_err(|diagnostic| diagnostic.at(Some(self.lines.span(pos))))?;
                String::new()
            }
            Slot::Value(pointer) => pointer,
        };
        match node {
            Node::MapStart { anchor, tag } => {
                self.check_container_tag(tag.as_ref(), "map", &pointer, pos)?;
                self.open(pointer, anchor, pos, true)
            }
            Node::SeqStart { anchor, tag } => {
                self.check_container_tag(tag.as_ref(), "seq", &pointer, pos)?;
                self.open(pointer, anchor, pos, false)
            }
            Node::Scalar {
                text,
                plain,
                anchor,
                tag,
            } => self.scalar(pointer, &text, plain, anchor, tag.as_ref(), pos),
            Node::Alias { anchor } => self.alias(pointer, anchor, pos),
            Node::End => Ok(()),
        }
    }

    fn scalar(
        &mut self,
        pointer: String,
        text: &str,
        plain: bool,
        anchor: usize,
        tag: Option<&Tag>,
        pos: Pos,
    ) -> Result<(), Diagnostic> {
        let (value, raw) =
            resolve(text, plain, tag).map_err(|message| self.error(message, &pointer, pos))?;
        let before = self.usage;
        self.spend(1, text.len(), &pointer, pos)?;
        // An empty value (`key:` then nothing) has no text of its own, and
        // the parser reports the position of the next token: use the key's.
        let empty = plain && tag.is_none() && text.is_empty();
        let key_span = self.entries.last().filter(|e| e.is_key).map(|e| e.span);
        let span = match (empty, key_span) {
            (true, Some(key_span)) => key_span,
            _ => self.lines.span(pos),
        };
        self.record(
            Entry {
                pointer: pointer.clone(),
                is_key: false,
                span,
                raw,
            },
            pos,
        )?;
        if anchor != 0 {
            self.define(anchor, AnchorSource::Tree(pointer), before, 0);
        }
        self.attach(value, 0);
        Ok(())
    }

    /// Mappings and sequences may carry only their own core tag
    /// (`!!map`, `!!seq`), which changes nothing.
    fn check_container_tag(
        &self,
        tag: Option<&Tag>,
        own: &str,
        pointer: &str,
        pos: Pos,
    ) -> Result<(), Diagnostic> {
        match tag {
            None => Ok(()),
            Some(tag) if core_suffix(tag) == Some(own) => Ok(()),
            Some(tag) => Err(self.error(
                format!("unsupported yaml tag `{}`", tag_name(Some(tag))),
                pointer,
                pos,
            )),
        }
    }

    fn open(
        &mut self,
        pointer: String,
        anchor: usize,
        pos: Pos,
        is_map: bool,
    ) -> Result<(), Diagnostic> {
        if self.stack.len() >= MAX_DEPTH {
            return Err(too_deep(&pointer).at(Some(self.lines.span(pos))));
        }
        let before = self.usage;
        self.spend(1, 0, &pointer, pos)?;
        let span = self.lines.span(pos);
        self.record(
            Entry {
                pointer: pointer.clone(),
                is_key: false,
                span,
                raw: None,
            },
            pos,
        )?;
        let body = if is_map {
            Body::Map {
                map: Map::new(),
                key: None,
                key_lines: HashMap::new(),
            }
        } else {
            Body::Seq(Vec::new())
        };
        self.stack.push(Frame {
            pointer,
            anchor,
            before,
            height: 0,
            body,
        });
        Ok(())
    }

    fn close(&mut self) {
        let Some(frame) = self.stack.pop() else {
            return;
        };
        let value = match frame.body {
            Body::Map { map, .. } => Value::Object(map),
            Body::Seq(items) => Value::Array(items),
        };
        let height = frame.height + 1;
        if frame.anchor != 0 {
            self.define(
                frame.anchor,
                AnchorSource::Tree(frame.pointer),
                frame.before,
                height,
            );
        }
        self.attach(value, height);
    }

    /// Puts a finished value into its parent (or makes it the root).
    fn attach(&mut self, value: Value, height: usize) {
        let Some(frame) = self.stack.last_mut() else {
            self.root = Some(value);
            return;
        };
        frame.height = frame.height.max(height);
        match &mut frame.body {
            Body::Map { map, key, .. } => {
                if let Some(key) = key.take() {
                    map.insert(key, value);
                }
            }
            Body::Seq(items) => items.push(value),
        }
    }

    pub(super) fn finish(self) -> Result<SourceDocument, Diagnostic> {
        let Some(value) = self.root else {
            return Err(empty_policy(self.lines.span(Pos { line: 1, col: 0 })));
        };
        let mut spans = HashMap::new();
        let mut key_spans = HashMap::new();
        let mut raw = HashMap::new();
        for entry in self.entries {
            if entry.is_key {
                key_spans.insert(entry.pointer, entry.span);
            } else {
                if let Some(text) = entry.raw {
                    raw.insert(entry.pointer.clone(), text);
                }
                spans.insert(entry.pointer, entry.span);
            }
        }
        Ok(SourceDocument {
            value,
            spans,
            key_spans,
            raw,
        })
    }
}

/// The root must be a mapping; an empty document is its own error.
fn check_root(node: &Node) -> Result<(), Diagnostic> {
    let found = match node {
        Node::MapStart { .. } => return Ok(()),
        Node::Scalar {
            text,
            plain: true,
            tag: None,
            ..
        } if text.is_empty() => {
            return Err(empty_policy_at(None));
        }
        Node::SeqStart { .. } => "a list",
        _ => "a single value",
    };
    Err(Diagnostic::error(
        format!("policy must be a mapping of sections (`metadata:`, ...), found {found}"),
        "",
    ))
}

pub(super) fn too_deep(pointer: &str) -> Diagnostic {
    Diagnostic::error(
        format!("policy is nested more than {MAX_DEPTH} levels deep (the limit)"),
        pointer,
    )
}

fn empty_policy(span: Span) -> Diagnostic {
    empty_policy_at(Some(span))
}

fn empty_policy_at(span: Option<Span>) -> Diagnostic {
    Diagnostic::error("policy is empty", "")
        .at(span)
        .with_help("a policy needs at least a `metadata:` section")
}
