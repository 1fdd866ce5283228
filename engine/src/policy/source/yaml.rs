//! The YAML path: yaml-rust2's event stream turned into builder events,
//! and its scan errors into diagnostics with a position and, where the
//! cause is common (a tab, an unquoted `: `), a hint.
//!
//! A policy file holds exactly one document; a second `---` is an error.

use super::builder::{too_deep, Builder, Node};
use super::lines::{LineIndex, Pos};
use super::{Failure, SourceDocument};
use crate::policy::diagnostic::Diagnostic;
use yaml_rust2::parser::{Event, Parser};
use yaml_rust2::scanner::{ScanError, TScalarStyle};

pub(super) fn parse_yaml(text: &str, lines: &LineIndex<'_>) -> Result<SourceDocument, Failure> {
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
