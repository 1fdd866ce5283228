use super::*;
use serde_json::json;

/// Line and column (1-based, characters) of a byte offset, computed
/// independently of the parser, with the same line breaks as YAML.
fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let before = text.get(..offset).expect("offset on a char boundary");
    let mut line = 1;
    let mut column = 1;
    let mut chars = before.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\r' if chars.peek() == Some(&'\n') => {}
            '\n' | '\r' => {
                line += 1;
                column = 1;
            }
            _ => column += 1,
        }
    }
    (line, column)
}

/// Every recorded position agrees with its own byte offset.
fn assert_offsets_consistent(name: &str, text: &str, doc: &SourceDocument) {
    for (pointer, span) in doc.spans.iter().chain(doc.key_spans.iter()) {
        assert_eq!(
            line_col(text, span.offset),
            (span.line, span.column),
            "{name}: offset of {pointer:?} disagrees with its line/column"
        );
    }
}

fn parse_ok(name: &str, text: &str) -> SourceDocument {
    match parse_document(text) {
        Ok(doc) => {
            assert_offsets_consistent(name, text, &doc);
            doc
        }
        Err(err) => panic!("{name}: expected success, got {err}"),
    }
}

fn parse_err(name: &str, text: &str) -> Diagnostic {
    match parse_document(text) {
        Ok(doc) => panic!("{name}: expected an error, got {}", doc.value),
        Err(err) => err,
    }
}

const POLICY: &str = "\
# a comment first
metadata:
  id: demo
  title: \"Demo\"
filesystem:
  block_read:
    - .env
    - \"**/*.pem\"
  block_write: [a, {x: y}]
";

#[test]
fn value_positions() {
    // (pointer, value line, value column, key line, key column)
    let cases: &[(&str, usize, usize, usize, usize)] = &[
        ("", 2, 1, 2, 1),
        ("/metadata", 3, 3, 2, 1),
        ("/metadata/id", 3, 7, 3, 3),
        ("/metadata/title", 4, 10, 4, 3),
        ("/filesystem/block_read", 7, 5, 6, 3),
        ("/filesystem/block_read/0", 7, 7, 7, 7),
        ("/filesystem/block_read/1", 8, 7, 8, 7),
        ("/filesystem/block_write", 9, 16, 9, 3),
        ("/filesystem/block_write/1", 9, 20, 9, 20),
        ("/filesystem/block_write/1/x", 9, 24, 9, 21),
        // Unknown pointers fall back to the nearest ancestor.
        ("/filesystem/block_read/7", 7, 5, 7, 5),
        ("/nope", 2, 1, 2, 1),
    ];
    let doc = parse_ok("policy", POLICY);
    for &(pointer, line, column, key_line, key_column) in cases {
        let span = doc.span(pointer).expect("span");
        assert_eq!(
            (span.line, span.column),
            (line, column),
            "span of {pointer:?}"
        );
        let key = doc.key_span(pointer).expect("key span");
        assert_eq!(
            (key.line, key.column),
            (key_line, key_column),
            "key span of {pointer:?}"
        );
        assert_eq!(doc.line(pointer), Some(line));
    }
    assert_eq!(
        doc.value,
        json!({"metadata": {"id": "demo", "title": "Demo"},
               "filesystem": {"block_read": [".env", "**/*.pem"],
                              "block_write": ["a", {"x": "y"}]}})
    );
}

#[test]
fn positions_in_other_encodings_of_text() {
    // (name, text, pointer, line, column)
    let cases: &[(&str, &str, &str, usize, usize)] = &[
        (
            "json",
            "{\n  \"metadata\": {\"id\": \"x\"},\n  \"list\": [1, 2]\n}",
            "/metadata/id",
            2,
            22,
        ),
        (
            "json list item",
            "{\n  \"metadata\": {\"id\": \"x\"},\n  \"list\": [1, 2]\n}",
            "/list/1",
            3,
            15,
        ),
        (
            "json with tabs",
            "{\n\t\"a\": [\n\t\t\"x\",\n\t\t\"y\"\n\t]\n}",
            "/a/1",
            4,
            3,
        ),
        (
            "json surrogate pair",
            "{\"a\": \"\\ud83d\\ude00\",\n \"b\": [true, 2]}",
            "/b/1",
            2,
            14,
        ),
        (
            "json surrogate key",
            "{\"a\": \"\\ud83d\\ude00\",\n \"b\": [true, 2]}",
            "/a",
            1,
            7,
        ),
        ("crlf", "a: 1\r\nb: 2\r\n", "/b", 2, 4),
        ("lone cr", "a: 1\rb: 2\r", "/b", 2, 4),
        ("non-ascii columns", "é: ü\nb: [ä, x]\n", "/b/1", 2, 8),
        (
            "after non-ascii block scalar",
            "a: |\n  ää\n  ö\nb: x\n",
            "/b",
            4,
            4,
        ),
        ("byte order mark", "\u{feff}a: 1\n", "/a", 1, 5),
        ("empty value uses its key", "a:\nb: [x]\n", "/a", 1, 1),
        (
            "key with slash",
            "controls:\n  a/b: [x]\n",
            "/controls/a~1b/0",
            2,
            9,
        ),
        ("key with tilde", "m:\n  a~b: 1\n", "/m/a~0b", 2, 8),
        ("document markers", "---\na: 1\n...\n", "/a", 2, 4),
        ("quoted value", "a: 'x y'\n", "/a", 1, 4),
        ("literal block", "a: |\n  text\n", "/a", 2, 3),
        (
            "alias root is the alias",
            "x: &b [a, b]\ny: *b\n",
            "/y",
            2,
            4,
        ),
        (
            "alias children are the anchor's",
            "x: &b [a, b]\ny: *b\n",
            "/y/1",
            1,
            11,
        ),
    ];
    for &(name, text, pointer, line, column) in cases {
        let doc = parse_ok(name, text);
        let span = doc
            .span(pointer)
            .unwrap_or_else(|| panic!("{name}: no span"));
        assert_eq!(
            (span.line, span.column),
            (line, column),
            "{name}: {pointer}"
        );
    }
}

#[test]
fn json_input_gives_the_same_value_as_yaml() {
    let yaml = parse_ok(
        "yaml",
        "metadata:\n  id: x\nlist: [1, 2.5, true, null, \"s\"]\n",
    );
    let json = parse_ok(
        "json",
        r#"{"metadata": {"id": "x"}, "list": [1, 2.5, true, null, "s"]}"#,
    );
    let fallback = parse_ok(
        "json fallback",
        r#"{"metadata": {"id": "x"}, "list": [1, 2.5, true, null, "s"], "e": "\ud83d\ude00"}"#,
    );
    assert_eq!(yaml.value, json.value);
    assert_eq!(fallback.value["list"], yaml.value["list"]);
    assert_eq!(fallback.value["e"], "😀");
    // Key order is kept.
    let keys: Vec<&String> = json.value.as_object().expect("map").keys().collect();
    assert_eq!(keys, ["metadata", "list"]);
}

#[test]
fn scalars_follow_the_yaml_1_2_core_schema() {
    let cases: &[(&str, Value)] = &[
        ("~", Value::Null),
        ("null", Value::Null),
        ("Null", Value::Null),
        ("NULL", Value::Null),
        ("", Value::Null),
        ("true", json!(true)),
        ("True", json!(true)),
        ("TRUE", json!(true)),
        ("false", json!(false)),
        ("False", json!(false)),
        ("FALSE", json!(false)),
        ("yes", json!("yes")),
        ("off", json!("off")),
        ("12", json!(12)),
        ("-3", json!(-3)),
        ("+4", json!(4)),
        ("012", json!(12)),
        ("0o17", json!(15)),
        ("0x1F", json!(31)),
        ("0x", json!("0x")),
        ("0o9", json!("0o9")),
        ("0b101", json!("0b101")),
        ("1_000", json!("1_000")),
        ("18446744073709551615", json!(18446744073709551615u64)),
        ("99999999999999999999", json!(1e20)),
        ("1.5", json!(1.5)),
        ("-2.5", json!(-2.5)),
        (".5", json!(0.5)),
        ("1.", json!(1.0)),
        ("1e3", json!(1000.0)),
        ("2.5E-1", json!(0.25)),
        ("1e999", json!("1e999")),
        (".inf", json!(".inf")),
        ("-.Inf", json!("-.Inf")),
        (".nan", json!(".nan")),
        ("inf", json!("inf")),
        ("1.2.0", json!("1.2.0")),
        ("'12'", json!("12")),
        ("\"true\"", json!("true")),
        ("\"\"", json!("")),
        ("!!str 12", json!("12")),
        ("!!int \"7\"", json!(7)),
        ("!!float 1", json!(1.0)),
        ("!!bool 'true'", json!(true)),
        ("! 12", json!("12")),
        ("!<tag:yaml.org,2002:str> 12", json!("12")),
        ("|\n  x\n", json!("x\n")),
        (">\n  a\n  b\n", json!("a b\n")),
        ("'~'", json!("~")),
    ];
    for (scalar, expected) in cases {
        let text = format!("v: {scalar}\n");
        let doc = parse_ok(scalar, &text);
        assert_eq!(&doc.value["v"], expected, "scalar {scalar:?}");
    }
}

#[test]
fn plain_scalars_keep_their_text() {
    let doc = parse_ok("raw", "a: 1.10\nb: yes\nc: 0x1F\nd: ~\n");
    assert_eq!(doc.source_text("/a"), Some("1.10"));
    assert_eq!(doc.source_text("/b"), None, "strings need no raw text");
    assert_eq!(doc.source_text("/c"), Some("0x1F"));
    assert_eq!(doc.source_text("/d"), Some("~"));
}

#[test]
fn keys_are_strings_as_written() {
    let doc = parse_ok("keys", "1: a\n2.50: b\ntrue: c\n0x1F: d\n\"q\": e\n");
    let keys: Vec<&String> = doc.value.as_object().expect("map").keys().collect();
    assert_eq!(keys, ["1", "2.50", "true", "0x1F", "q"]);
}

#[test]
fn anchors_and_aliases_are_expanded() {
    let text = "\
defaults: &secrets
  - .env
  - \"**/*.pem\"
match: &m {paths: *secrets}
filesystem:
  block_read: *secrets
rules:
  - {id: a, match: *m}
name: &n hello
again: *n
";
    let doc = parse_ok("aliases", text);
    let secrets = json!([".env", "**/*.pem"]);
    assert_eq!(doc.value["filesystem"]["block_read"], secrets);
    assert_eq!(doc.value["match"]["paths"], secrets);
    assert_eq!(doc.value["rules"][0]["match"]["paths"], secrets);
    assert_eq!(doc.value["again"], "hello");
    let span = |p: &str| doc.span(p).map(|s| (s.line, s.column));
    assert_eq!(span("/filesystem/block_read"), Some((6, 15)));
    assert_eq!(span("/filesystem/block_read/1"), Some((3, 5)));
    assert_eq!(span("/rules/0/match"), Some((8, 20)));
    assert_eq!(span("/rules/0/match/paths/0"), Some((2, 5)));
    let key = doc
        .key_span("/rules/0/match/paths")
        .map(|s| (s.line, s.column));
    assert_eq!(key, Some((4, 12)));
}

#[test]
fn load_errors_name_the_problem_and_the_place() {
    // (name, text, message fragment, line, column)
    let cases: &[(&str, &str, &str, usize, usize)] = &[
        ("empty file", "", "policy is empty", 1, 1),
        ("only whitespace", "  \n\n", "policy is empty", 1, 1),
        (
            "only comments",
            "# nothing\n# here\n",
            "policy is empty",
            1,
            1,
        ),
        ("empty document", "---\n", "policy is empty", 2, 1),
        (
            "two documents",
            "a: 1\n---\nb: 2\n",
            "more than one yaml document",
            2,
            1,
        ),
        (
            "trailing separator",
            "a: 1\n---\n",
            "more than one yaml document",
            2,
            1,
        ),
        ("root list", "- a\n- b\n", "found a list", 1, 1),
        ("root scalar", "hello\n", "found a single value", 1, 1),
        ("root json list", "[1, 2]", "found a list", 1, 1),
        (
            "duplicate key",
            "a: 1\nb: 2\na: 3\n",
            "duplicate key `a` at the top level: first on line 1, again on line 3",
            3,
            1,
        ),
        (
            "nested duplicate",
            "m:\n  x: 1\n  y: 2\n  x: 3\n",
            "duplicate key `x` in `m`: first on line 2, again on line 4",
            4,
            3,
        ),
        (
            "duplicate in a list item",
            "r:\n  - id: a\n    id: b\n",
            "duplicate key `id` in `r[0]`",
            3,
            5,
        ),
        (
            "duplicate after number key",
            "1: a\n'1': b\n",
            "duplicate key `1`",
            2,
            1,
        ),
        (
            "duplicate in flow",
            "a: {x: 1, x: 2}\n",
            "duplicate key `x` in `a`",
            1,
            11,
        ),
        (
            "duplicate in json fallback",
            "{\"a\": \"\\ud83d\\ude00\",\n \"a\": 1}",
            "duplicate key `a`",
            2,
            2,
        ),
        ("tab indentation", "a:\n\tb: 1\n", "invalid yaml", 2, 2),
        ("tab after colon", "a:\n  b:\t1\n", "invalid yaml", 2, 6),
        (
            "unclosed flow list",
            "a: [1, 2\nb: 3\n",
            "invalid yaml",
            2,
            2,
        ),
        (
            "bad indentation",
            "a:\n  b: 1\n c: 2\n",
            "invalid yaml",
            3,
            3,
        ),
        ("invalid json", "{\"a\": 1 \"b\": 2}", "invalid yaml", 1, 12),
        ("unknown alias", "a: *nope\n", "unknown alias `*nope`", 1, 4),
        (
            "recursive alias",
            "a: &x [1, *x]\n",
            "alias `*x` refers to a node that contains it",
            1,
            11,
        ),
        (
            "complex key",
            "? [a]\n: b\n",
            "mapping key must be a plain value",
            1,
            3,
        ),
        (
            "alias as key",
            "a: &k x\n*k : y\n",
            "alias cannot be used as a mapping key",
            2,
            1,
        ),
        (
            "merge key",
            "base: &b {x: 1}\nm:\n  <<: *b\n",
            "merge keys (`<<`) are not supported",
            3,
            3,
        ),
        ("null key", "~: x\n", "key is empty or null", 1, 1),
        (
            "custom tag",
            "a: !Ref x\n",
            "unsupported yaml tag `!Ref`",
            1,
            9,
        ),
        (
            "wrong core tag",
            "a: !!int abc\n",
            "`abc` is not a valid `!!int`",
            1,
            10,
        ),
        (
            "binary tag",
            "a: !!binary aGk=\n",
            "unsupported yaml tag `!!binary`",
            1,
            13,
        ),
        (
            "tag on a list",
            "a: !!map [1]\n",
            "unsupported yaml tag `!!map`",
            1,
            10,
        ),
    ];
    for &(name, text, fragment, line, column) in cases {
        let err = parse_err(name, text);
        assert!(
            err.message.contains(fragment),
            "{name}: message {:?} lacks {fragment:?}",
            err.message
        );
        assert_eq!(
            (err.line, err.column),
            (Some(line), Some(column)),
            "{name}: position of {err}"
        );
        assert!(err.is_error(), "{name}");
        assert!(
            err.message.starts_with(|c: char| c.is_lowercase()),
            "{name}: {}",
            err.message
        );
    }
}

#[test]
fn error_helps() {
    let cases: &[(&str, &str, &str)] = &[
        ("tab indentation", "a:\n\tb: 1\n", "tab"),
        ("unknown alias", "a: *nope\n", "define the anchor `&nope`"),
        ("duplicate key", "a: 1\na: 2\n", "remove one of them"),
        ("empty file", "", "metadata"),
    ];
    for &(name, text, fragment) in cases {
        let err = parse_err(name, text);
        let help = err.help.unwrap_or_default();
        assert!(
            help.contains(fragment),
            "{name}: help {help:?} lacks {fragment:?}"
        );
    }
}

#[test]
fn duplicate_key_error_points_at_the_second_key() {
    let err = parse_err("dup", "filesystem:\n  block_read: [a]\n  block_read: [b]\n");
    assert_eq!(err.path, "/filesystem/block_read");
    assert_eq!(
        err.message,
        "duplicate key `block_read` in `filesystem`: first on line 2, again on line 3"
    );
}

#[test]
fn size_limit() {
    let mut text = String::from("a: ");
    text.push_str(&"x".repeat(MAX_POLICY_BYTES));
    let err = parse_err("too big", &text);
    assert!(err.message.contains("1048576"), "{}", err.message);
    assert!(err.message.contains("1 MiB"), "{}", err.message);
    let just_fits = format!("a: {}", "x".repeat(MAX_POLICY_BYTES - 3));
    assert!(parse_document(&just_fits).is_ok());
}

/// `a:` followed by `levels` nested flow lists: depth is `levels + 1`.
fn nested(levels: usize) -> String {
    format!("a: {}{}\n", "[".repeat(levels), "]".repeat(levels))
}

#[test]
fn depth_limit() {
    assert!(parse_document(&nested(MAX_DEPTH - 1)).is_ok());
    let cases = [
        ("one too deep", nested(MAX_DEPTH)),
        ("far too deep", nested(100_000)),
        (
            "deep json",
            format!("{{\"a\": {}{}}}", "[".repeat(200), "]".repeat(200)),
        ),
        (
            "deep json fallback",
            format!(
                "{{\"e\": \"\\ud83d\\ude00\", \"a\": {}{}}}",
                "[".repeat(100),
                "]".repeat(100)
            ),
        ),
        (
            "deep block mapping",
            (0..70)
                .map(|i| format!("{}k{i}:\n", " ".repeat(i)))
                .collect::<String>()
                + &" ".repeat(70)
                + "x: 1\n",
        ),
        (
            "deep through an alias",
            format!(
                "x: &deep {}{}\ny: [[[[[*deep]]]]]\n",
                "[".repeat(60),
                "]".repeat(60)
            ),
        ),
    ];
    for (name, text) in cases {
        let err = parse_err(name, &text);
        assert!(
            err.message.contains("nested more than 64 levels"),
            "{name}: {}",
            err.message
        );
        assert!(err.line.is_some(), "{name}: no position");
    }
}

#[test]
fn billion_laughs_fails_fast() {
    let mut text = String::from("a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
    for level in 1..10u8 {
        let name = char::from(b'a' + level);
        let previous = char::from(b'a' + level - 1);
        let items = vec![format!("*{previous}"); 9].join(", ");
        text.push_str(&format!("{name}: &{name} [{items}]\n"));
    }
    let started = std::time::Instant::now();
    let err = parse_err("billion laughs", &text);
    assert!(
        started.elapsed() < std::time::Duration::from_secs(5),
        "took {:?}",
        started.elapsed()
    );
    assert!(
        err.message.contains("more than 100000 values"),
        "{}",
        err.message
    );
    assert_eq!(err.line, Some(6), "the alias that crosses the limit");
}

#[test]
fn node_limit_is_exact() {
    // Root mapping, key `a`, the list: three nodes besides the items.
    let list = |items: usize| format!("a: [{}]\n", vec!["x"; items].join(","));
    assert!(parse_document(&list(MAX_NODES - 3)).is_ok());
    let err = parse_err("one node too many", &list(MAX_NODES - 2));
    assert!(err.message.contains("100000"), "{}", err.message);
}

#[test]
fn display_paths() {
    let value =
        json!({"rules": [{"match": {"paths": ["x"]}}], "controls": {"a.b": [1]}, "9": {"0": 1}});
    let cases: &[(&str, &str)] = &[
        ("", ""),
        ("/rules", "rules"),
        ("/rules/0/match/paths/0", "rules[0].match.paths[0]"),
        ("/controls/a.b/0", "controls[\"a.b\"][0]"),
        ("/9/0", "9.0"),
        ("/a~1b", "[\"a/b\"]"),
    ];
    for &(pointer, shown) in cases {
        assert_eq!(display_path(pointer, Some(&value)), shown, "{pointer}");
    }
    assert_eq!(display_path("/r/0/id", None), "r[0].id");
}

#[test]
fn documents_from_values_have_no_positions() {
    let doc = SourceDocument::from_value(json!({"a": [1]}));
    assert_eq!(doc.span("/a/0"), None);
    assert_eq!(doc.key_span("/a"), None);
    assert_eq!(doc.line(""), None);
}

#[test]
fn regression_mapping_position_is_its_first_key_not_the_parser_mark() {
    // yaml-rust2 marks a block mapping after its first key; the mapping
    // starts at that key.
    let doc = parse_ok("block map", "outer:\n  inner:\n    k: v\n");
    let span = doc.span("/outer/inner").map(|s| (s.line, s.column));
    assert_eq!(span, Some((3, 5)));
}

#[test]
fn anchored_keys_can_be_repeated_as_values() {
    let doc = parse_ok("key anchor", "&k name: 1\nother: *k\n");
    assert_eq!(doc.value, json!({"name": 1, "other": "name"}));
    assert_eq!(doc.span("/other").map(|s| (s.line, s.column)), Some((2, 8)));
}

#[test]
fn regression_nested_anchors_are_not_copied_per_level() {
    // Every level anchored, none aliased: defining anchors must cost
    // nothing, or 64 levels would copy the inner list 64 times.
    let levels = MAX_DEPTH - 1;
    let open: String = (0..levels).map(|i| format!("&a{i} [")).collect();
    let items = vec!["x"; 90_000].join(",");
    let text = format!("a: {open}{items}{}\n", "]".repeat(levels));
    let started = std::time::Instant::now();
    let doc = parse_document(&text).expect("nested anchors parse");
    assert!(
        started.elapsed() < std::time::Duration::from_secs(10),
        "took {:?}",
        started.elapsed()
    );
    let mut inner = &doc.value["a"];
    for _ in 1..levels {
        inner = &inner[0];
    }
    assert_eq!(inner.as_array().map(Vec::len), Some(90_000));
}

#[test]
fn expansion_is_bounded_in_bytes_too() {
    // One alias is one node, but it may repeat a long string.
    let long = "x".repeat(500_000);
    let aliases = vec!["*a"; 200].join(", ");
    let strings = format!("a: &a \"{long}\"\nb: [{aliases}]\n");
    // Long keys nested deep give every value below them a long pointer.
    let key = "k".repeat(16_000);
    let open: String = (0..32).map(|i| format!("{{{key}{i}: ")).collect();
    let leaves: String = (0..20_000).map(|i| format!("v{i}: 1,")).collect();
    let paths = format!("a: {open}{{{leaves}}}{}\n", "}".repeat(32));
    for (name, text) in [
        ("repeated long string", strings),
        ("long nested keys", paths),
    ] {
        let started = std::time::Instant::now();
        let err = parse_err(name, &text);
        assert!(
            started.elapsed() < std::time::Duration::from_secs(10),
            "{name}: took {:?}",
            started.elapsed()
        );
        assert!(
            err.message.contains("more than 64 MiB"),
            "{name}: {}",
            err.message
        );
    }
}
