//! Policy source text: YAML (or JSON) in, a `serde_json::Value` plus the
//! position of every value out.
//!
//! Every later stage (schema validation, compilation, lint, `explain`) works
//! on the JSON value, but its errors must name the line and column the user
//! wrote. So this module builds the value itself from yaml-rust2's event
//! stream, recording the position of each value and each mapping key under
//! its JSON pointer. It is also the place that defends the engine against
//! hostile input: size, nesting depth and alias expansion are bounded here.
//!
//! Scalars follow the YAML 1.2 core schema. JSON is read as YAML flow syntax;
//! only when yaml-rust2 rejects text that is valid JSON (for example an
//! escaped surrogate pair such as `"\ud83d\ude00"`) is it read by a small JSON
//! tokenizer that feeds the same builder, so positions, duplicate-key checks
//! and limits are identical on both paths.

// `Diagnostic` is the project's one error type (136 bytes). An error ends
// the parse, so its size costs nothing on the path that succeeds.

use super::diagnostic::{Diagnostic, Span};
use serde_json::{Map, Number, Value};
use std::cell::Cell;
use std::collections::HashMap;
use yaml_rust2::parser::{Event, Parser, Tag};
use yaml_rust2::scanner::{ScanError, TScalarStyle};

/// Largest policy text accepted, in bytes (1 MiB).
pub const MAX_POLICY_BYTES: usize = 1024 * 1024;
/// Deepest nesting of mappings and sequences accepted (the root mapping is 1).
pub const MAX_DEPTH: usize = 64;
/// Most nodes (mappings, sequences, scalars, keys included) a document may
/// produce once aliases are expanded: the guard against "billion laughs".
pub const MAX_NODES: usize = 100_000;
/// Most bytes of strings plus recorded JSON pointers a document may
/// produce. [`MAX_NODES`] alone does not bound memory: an alias of one long
/// string is one node, and every value under long, deeply nested keys
/// carries a long pointer.
const MAX_EXPANDED_BYTES: usize = 64 * 1024 * 1024;

/// The handle yaml-rust2 gives `!!` tags.
const CORE_TAG: &str = "tag:yaml.org,2002:";

/// A parsed policy document: the value and where each value is.
///
/// Positions are keyed by JSON pointer (RFC 6901, `~0`/`~1` escapes).
/// Values that came from an alias take the alias's position at their root
/// and the anchor's positions below it (where the text actually is).
#[derive(Debug, Clone, PartialEq)]
pub struct SourceDocument {
    /// The document as JSON.
    pub value: Value,
    /// JSON pointer -> position of that value.
    spans: HashMap<String, Span>,
    /// JSON pointer of a mapping entry -> position of its key.
    key_spans: HashMap<String, Span>,
    /// JSON pointer -> text as written, for plain scalars that resolved to
    /// a number, boolean or null (`1.10` is the number 1.1 but was written
    /// `1.10`).
    raw: HashMap<String, String>,
}

impl SourceDocument {
    /// A document with no source positions, for values that did not come
    /// from text (a compiled policy, a JSON API call).
    ///
    /// ```
    /// use cavra::policy::source::SourceDocument;
    ///
    /// let doc = SourceDocument::from_value(serde_json::json!({"metadata": {"id": "x"}}));
    /// assert_eq!(doc.span("/metadata/id"), None);
    /// ```
    pub fn from_value(value: Value) -> Self {
        SourceDocument {
            value,
            spans: HashMap::new(),
            key_spans: HashMap::new(),
            raw: HashMap::new(),
        }
    }

    /// Position of the value at a JSON pointer (`""` = root,
    /// `"/filesystem/block_read/0"`); falls back to the nearest ancestor
    /// that has one.
    ///
    /// ```
    /// use cavra::policy::source::parse_document;
    ///
    /// let doc = parse_document("filesystem:\n  block_read:\n    - .env\n").unwrap();
    /// let span = doc.span("/filesystem/block_read/0").unwrap();
    /// assert_eq!((span.line, span.column, span.offset), (3, 7, 32));
    /// // `/filesystem/block_read/9` does not exist: its list answers.
    /// assert_eq!(doc.line("/filesystem/block_read/9"), Some(3));
    /// ```
    pub fn span(&self, pointer: &str) -> Option<Span> {
        let mut pointer = pointer;
        loop {
            if let Some(span) = self.spans.get(pointer) {
                return Some(*span);
            }
            pointer = parent_pointer(pointer)?;
        }
    }

    /// Position of the key of a mapping entry (for unknown-key errors),
    /// falling back to [`SourceDocument::span`].
    ///
    /// ```
    /// use cavra::policy::source::parse_document;
    ///
    /// let doc = parse_document("commands:\n  default: block\n").unwrap();
    /// assert_eq!(doc.key_span("/commands/default").unwrap().column, 3);
    /// assert_eq!(doc.span("/commands/default").unwrap().column, 12);
    /// ```
    pub fn key_span(&self, pointer: &str) -> Option<Span> {
        self.key_spans
            .get(pointer)
            .copied()
            .or_else(|| self.span(pointer))
    }

    /// 1-based line of the value at the pointer (convenience for
    /// `file:line` sources).
    pub fn line(&self, pointer: &str) -> Option<usize> {
        self.span(pointer).map(|span| span.line)
    }

    /// The text of the value at `pointer` as written, when it was a plain
    /// scalar that YAML resolved to a number, boolean or null.
    pub(crate) fn source_text(&self, pointer: &str) -> Option<&str> {
        self.raw.get(pointer).map(String::as_str)
    }
}

/// The pointer of the parent of `pointer`, `None` for the root.
fn parent_pointer(pointer: &str) -> Option<&str> {
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

/// Parses YAML 1.2 (JSON is accepted as YAML flow syntax) into a document.
///
/// Text that starts with `{` or `[` and that yaml-rust2 rejects although it
/// is valid JSON is read as JSON instead, with the same positions and
/// checks. Errors carry the line and column (1-based, in characters) of the
/// offending text.
///
/// ```
/// use cavra::policy::source::parse_document;
///
/// let doc = parse_document("metadata:\n  id: demo\n  version: \"1.0\"\n").unwrap();
/// assert_eq!(doc.value["metadata"]["version"], "1.0");
/// assert_eq!(doc.line("/metadata/version"), Some(3));
///
/// let err = parse_document("a: 1\na: 2\n").unwrap_err();
/// assert_eq!((err.line, err.column), (Some(2), Some(1)));
/// assert!(err.message.starts_with("duplicate key `a`"));
/// ```
pub fn parse_document(text: &str) -> Result<SourceDocument, Diagnostic> {
    if text.len() > MAX_POLICY_BYTES {
        return Err(Diagnostic::error(
            format!(
                "policy is {} bytes, more than the limit of {MAX_POLICY_BYTES} bytes (1 MiB)",
                text.len()
            ),
            "",
        ));
    }
    // yaml-rust2 would read a byte order mark as part of the first key.
    let (body, bom) = match text.strip_prefix('\u{feff}') {
        Some(rest) => (rest, '\u{feff}'.len_utf8()),
        None => (text, 0),
    };
    let lines = LineIndex::new(body, bom);
    match parse_yaml(body, &lines) {
        Ok(doc) => Ok(doc),
        Err(Failure::Syntax(_)) if is_valid_json(body) => parse_json(body, &lines),
        Err(Failure::Syntax(diagnostic)) | Err(Failure::Invalid(diagnostic)) => Err(diagnostic),
    }
}

/// Why parsing stopped: the text is not YAML, or it is YAML that is not an
/// acceptable policy document.
enum Failure {
    Syntax(Diagnostic),
    Invalid(Diagnostic),
}

fn is_valid_json(text: &str) -> bool {
    let trimmed = text.trim_start();
    (trimmed.starts_with('{') || trimmed.starts_with('['))
        && serde_json::from_str::<serde::de::IgnoredAny>(text).is_ok()
}

// ---------------------------------------------------------------------------
// Positions

/// A parser position: 1-based line, 0-based column in characters
/// (yaml-rust2's convention).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
struct Pos {
    line: usize,
    col: usize,
}

/// Byte offsets of line starts, to turn parser positions into [`Span`]s.
///
/// Offsets are computed here from line and column rather than taken from
/// the parser, whose byte index drifts after non-ASCII block scalars. Line
/// breaks are `\n`, `\r\n` and a lone `\r`, as in YAML.
struct LineIndex<'t> {
    text: &'t str,
    starts: Vec<usize>,
    /// Bytes of a stripped byte order mark before `text`.
    bom: usize,
    /// The last position converted: (line, column, byte offset in `text`).
    cursor: Cell<(usize, usize, usize)>,
}

impl<'t> LineIndex<'t> {
    fn new(text: &'t str, bom: usize) -> Self {
        let mut starts = vec![0];
        let bytes = text.as_bytes();
        let mut i = 0;
        while let Some(&b) = bytes.get(i) {
            i += 1;
            if b == b'\n' || (b == b'\r' && bytes.get(i) != Some(&b'\n')) {
                starts.push(i);
            }
        }
        LineIndex {
            text,
            starts,
            bom,
            cursor: Cell::new((1, 0, 0)),
        }
    }

    /// The text of 1-based `line` from character `col` on.
    fn rest_of_line(&self, pos: Pos) -> &'t str {
        let start = self
            .starts
            .get(pos.line.saturating_sub(1))
            .copied()
            .unwrap_or(self.text.len());
        let end = self
            .starts
            .get(pos.line)
            .copied()
            .unwrap_or(self.text.len());
        let line = self.text.get(start..end).unwrap_or("");
        let skip = line
            .char_indices()
            .nth(pos.col)
            .map_or(line.len(), |(at, _)| at);
        line.get(skip..).unwrap_or("")
    }

    fn span(&self, pos: Pos) -> Span {
        let line_start = self
            .starts
            .get(pos.line.saturating_sub(1))
            .copied()
            .unwrap_or(self.text.len());
        // Positions arrive mostly in order; walking on from the previous
        // one keeps a long single line (minified JSON) linear, not
        // quadratic.
        let (last_line, last_col, last_byte) = self.cursor.get();
        let (from_col, from_byte) = if last_line == pos.line && last_col <= pos.col {
            (last_col, last_byte)
        } else {
            (0, line_start)
        };
        let line_end = self
            .starts
            .get(pos.line)
            .copied()
            .unwrap_or(self.text.len());
        let rest = self.text.get(from_byte..line_end).unwrap_or("");
        let within = rest
            .char_indices()
            .nth(pos.col - from_col)
            .map_or(rest.len(), |(at, _)| at);
        let byte = from_byte + within;
        self.cursor.set((pos.line, pos.col, byte));
        let on_first_line = pos.line <= 1 && self.bom > 0;
        Span {
            offset: self.bom + byte,
            line: pos.line.max(1),
            column: pos.col + 1 + usize::from(on_first_line),
        }
    }

    /// Whether the line holds a tab (for a hint on syntax errors).
    fn line_has_tab(&self, line: usize) -> bool {
        self.rest_of_line(Pos { line, col: 0 }).contains('\t')
    }

    /// The name of the alias or anchor written at `pos` (`*name`, `&name`).
    fn name_at(&self, pos: Pos) -> String {
        self.rest_of_line(pos)
            .trim_start_matches(['*', '&'])
            .chars()
            .take_while(|c| !c.is_whitespace() && !matches!(c, ',' | '[' | ']' | '{' | '}'))
            .collect()
    }
}

// ---------------------------------------------------------------------------
// Events

/// One structural event, from either the YAML parser or the JSON tokenizer.
enum Node {
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

fn parse_yaml(text: &str, lines: &LineIndex<'_>) -> Result<SourceDocument, Failure> {
    let mut parser = Parser::new_from_str(text);
    let mut builder = Builder::new(lines);
    let syntax = |err: ScanError| Failure::Syntax(syntax_error(&err, lines));
    let mut documents = 0usize;
    loop {
        let (event, marker) = parser.next_token().map_err(syntax)?;
        let pos = Pos {
            line: marker.line(),
            col: marker.col(),
        };
        let node = match event {
            Event::StreamEnd => break,
            Event::DocumentStart => {
                documents += 1;
                if documents > 1 {
                    return Err(Failure::Invalid(
                        Diagnostic::error(
                            "policy has more than one yaml document; a policy file holds exactly one",
                            "",
                        )
                        .at(Some(lines.span(pos)))
                        .with_help("remove the `---` separator and everything after it, or split the file"),
                    ));
                }
                continue;
            }
            Event::StreamStart | Event::DocumentEnd | Event::Nothing => continue,
            Event::MappingStart(anchor, tag) => Node::MapStart { anchor, tag },
            Event::SequenceStart(anchor, tag) => Node::SeqStart { anchor, tag },
            Event::MappingEnd | Event::SequenceEnd => Node::End,
            Event::Scalar(text, style, anchor, tag) => Node::Scalar {
                text,
                plain: style == TScalarStyle::Plain,
                anchor,
                tag,
            },
            Event::Alias(anchor) => Node::Alias { anchor },
        };
        builder.push(node, pos).map_err(Failure::Invalid)?;
    }
    builder.finish().map_err(Failure::Invalid)
}

fn syntax_error(err: &ScanError, lines: &LineIndex<'_>) -> Diagnostic {
    let marker = err.marker();
    let pos = Pos {
        line: marker.line(),
        col: marker.col(),
    };
    let info = err.info();
    let mut diagnostic = if info.contains("recursion limit") {
        // yaml-rust2 looks ahead in flow collections and may hit its own
        // nesting limit before the builder sees the 65th level.
        too_deep("")
    } else if info.contains("unknown anchor") {
        let name = lines.name_at(pos);
        Diagnostic::error(format!("unknown alias `*{name}`"), "")
            .with_help(format!("define the anchor `&{name}` before it is used"))
    } else {
        Diagnostic::error(format!("invalid yaml: {}", info.to_lowercase()), "")
    };
    if diagnostic.help.is_none() {
        if lines.line_has_tab(pos.line) {
            diagnostic =
                diagnostic.with_help("this line contains a tab; yaml indentation must use spaces");
        } else if info.contains("mapping values are not allowed") {
            diagnostic = diagnostic.with_help("quote the value if it contains `: `");
        }
    }
    diagnostic.at(Some(lines.span(pos)))
}

// ---------------------------------------------------------------------------
// JSON fallback

/// Feeds valid JSON (already checked by serde_json) to the builder.
fn parse_json(text: &str, lines: &LineIndex<'_>) -> Result<SourceDocument, Diagnostic> {
    let mut builder = Builder::new(lines);
    let mut chars = text.char_indices().peekable();
    let mut pos = Pos { line: 1, col: 0 };
    while let Some((at, c)) = chars.next() {
        let here = pos;
        pos.col += 1;
        let node = match c {
            '\n' => {
                pos = Pos {
                    line: here.line + 1,
                    col: 0,
                };
                continue;
            }
            '\r' => {
                if chars.peek().map(|&(_, next)| next) != Some('\n') {
                    pos = Pos {
                        line: here.line + 1,
                        col: 0,
                    };
                }
                continue;
            }
            ' ' | '\t' | ',' | ':' => continue,
            '{' => Node::MapStart {
                anchor: 0,
                tag: None,
            },
            '[' => Node::SeqStart {
                anchor: 0,
                tag: None,
            },
            '}' | ']' => Node::End,
            '"' => {
                let mut end = at + 1;
                let mut escaped = false;
                for (i, d) in chars.by_ref() {
                    pos.col += 1;
                    end = i + d.len_utf8();
                    if escaped {
                        escaped = false;
                    } else if d == '\\' {
                        escaped = true;
                    } else if d == '"' {
                        break;
                    }
                }
                let raw = text.get(at..end).unwrap_or("\"\"");
                let decoded: String = serde_json::from_str(raw).map_err(|err| {
                    Diagnostic::error(format!("invalid json string: {err}"), "")
                        .at(Some(lines.span(here)))
                })?;
                Node::Scalar {
                    text: decoded,
                    plain: false,
                    anchor: 0,
                    tag: None,
                }
            }
            _ => {
                let mut literal = String::from(c);
                while let Some(&(_, d)) = chars.peek() {
                    if d.is_whitespace() || matches!(d, ',' | ']' | '}' | ':') {
                        break;
                    }
                    literal.push(d);
                    pos.col += 1;
                    chars.next();
                }
                Node::Scalar {
                    text: literal,
                    plain: true,
                    anchor: 0,
                    tag: None,
                }
            }
        };
        builder.push(node, here)?;
    }
    builder.finish()
}

// ---------------------------------------------------------------------------
// Building the value

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

/// A completed anchored node, kept for its aliases.
///
/// The value is not copied when the anchor is defined: nested anchors would
/// copy the same nodes once per level. An alias finds it in the tree being
/// built instead, by its pointer.
struct Anchor {
    /// Where the node is, or the text of an anchored mapping key.
    source: AnchorSource,
    /// What the node added: nodes, bytes, entries.
    usage: Usage,
    /// Index of its first entry in `Builder::entries`.
    first_entry: usize,
    /// Levels of nesting it adds (0 for a scalar).
    height: usize,
}

enum AnchorSource {
    Tree(String),
    Key(String),
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

struct Builder<'l, 't> {
    lines: &'l LineIndex<'t>,
    stack: Vec<Frame>,
    root: Option<Value>,
    entries: Vec<Entry>,
    anchors: HashMap<usize, Anchor>,
    usage: Usage,
}

impl<'l, 't> Builder<'l, 't> {
    fn new(lines: &'l LineIndex<'t>) -> Self {
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

    fn push(&mut self, node: Node, pos: Pos) -> Result<(), Diagnostic> {
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

    /// Registers an anchor for the node that began when usage was `before`.
    fn define(&mut self, anchor: usize, source: AnchorSource, before: Usage, height: usize) {
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

    fn key(&mut self, node: Node, pos: Pos) -> Result<(), Diagnostic> {
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

    fn alias(&mut self, pointer: String, anchor: usize, pos: Pos) -> Result<(), Diagnostic> {
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

    fn finish(self) -> Result<SourceDocument, Diagnostic> {
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

fn too_deep(pointer: &str) -> Diagnostic {
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

// ---------------------------------------------------------------------------
// Scalars

/// The name of a core tag (`str` for `!!str` or
/// `!<tag:yaml.org,2002:str>`).
fn core_suffix(tag: &Tag) -> Option<&str> {
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
fn tag_name(tag: Option<&Tag>) -> String {
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
fn resolve(text: &str, plain: bool, tag: Option<&Tag>) -> Result<(Value, Option<String>), String> {
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

fn is_digits(text: &str, radix: u32) -> bool {
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

#[cfg(test)]
mod tests;
