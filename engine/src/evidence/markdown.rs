//! Markdown escaping for the reviewer-facing bundle files.
//!
//! Targets, reasons and ids come from agents and policies, so any of them
//! may hold backticks, pipes, newlines or Markdown syntax. These functions
//! make such text render literally (CommonMark with GitHub tables) and keep
//! each value on its own line or table cell.

/// `text` as an inline code span: the fence is one backtick longer than the
/// longest run inside, padded when the text starts or ends with a backtick
/// or a space; control characters are shown as escapes (`\n`, `\u{1b}`) so
/// the span cannot end the line. An empty value is shown as `(empty)`.
pub(crate) fn code(text: &str) -> String {
    code_span(text, false)
}

/// Like [`code`], for a table cell: `|` is also escaped, since GitHub splits
/// cells on `|` even inside code spans.
pub(crate) fn cell_code(text: &str) -> String {
    code_span(text, true)
}

fn code_span(text: &str, in_table: bool) -> String {
    if text.is_empty() {
        return "(empty)".to_string();
    }
    let mut body = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\n' => body.push_str("\\n"),
            '\r' => body.push_str("\\r"),
            '\t' => body.push_str("\\t"),
            '|' if in_table => body.push_str("\\|"),
            c if c.is_control() => body.push_str(&c.escape_unicode().to_string()),
            c => body.push(c),
        }
    }
    let mut longest = 0;
    let mut run = 0;
    for c in body.chars() {
        run = if c == '`' { run + 1 } else { 0 };
        longest = longest.max(run);
    }
    let fence = "`".repeat(longest + 1);
    let pad = body.starts_with('`')
        || body.ends_with('`')
        || (body.starts_with(' ') && body.ends_with(' '));
    if pad {
        format!("{fence} {body} {fence}")
    } else {
        format!("{fence}{body}{fence}")
    }
}

/// `text` as plain Markdown text: ASCII punctuation that Markdown or a
/// table could read as syntax is backslash-escaped, and line breaks and
/// other control characters become spaces.
pub(crate) fn text(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '|' | '#' | '!' | '~' | '&' => {
                out.push('\\');
                out.push(c);
            }
            c if c.is_control() => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn code_spans_hold_any_text() {
        let cases = [
            ("src/main.rs", false, "`src/main.rs`"),
            ("a`b", false, "``a`b``"),
            ("`x`", false, "`` `x` ``"),
            ("a``b`", false, "``` a``b` ```"),
            (" x ", false, "`  x  `"),
            ("a|b", false, "`a|b`"),
            ("a|b", true, "`a\\|b`"),
            ("echo hi\n# heading", false, "`echo hi\\n# heading`"),
            ("a\u{1b}[31m", false, "`a\\u{1b}[31m`"),
            ("", true, "(empty)"),
        ];
        for (input, in_table, expected) in cases {
            assert_eq!(code_span(input, in_table), expected, "{input:?}");
        }
    }

    #[test]
    fn text_is_inert() {
        let cases = [
            ("Reads a secret.", "Reads a secret."),
            ("a|b *c* [d](e)", "a\\|b \\*c\\* \\[d\\](e)"),
            ("line\n# two", "line \\# two"),
            ("<img src=x>", "\\<img src=x\\>"),
        ];
        for (input, expected) in cases {
            assert_eq!(text(input), expected, "{input:?}");
        }
    }
}
