use super::{parse_url, ParsedUrl, MAX_URL_LEN};

/// Expected: scheme, host, port, path, has_userinfo, normalized.
type Want = (
    &'static str,
    &'static str,
    Option<u16>,
    &'static str,
    bool,
    &'static str,
);

#[rustfmt::skip]
const CASES: &[(&str, Want)] = &[
    ("https://docs.rs/serde", ("https", "docs.rs", None, "/serde", false, "https://docs.rs/serde")),
    // The userinfo trick: the host is what follows the `@`.
    ("https://github.com@evil.com/", ("https", "evil.com", None, "/", true, "https://github.com@evil.com/")),
    ("https://user:s3cret@evil.com/x", ("https", "evil.com", None, "/x", true, "https://user@evil.com/x")),
    ("https://:s3cret@evil.com/", ("https", "evil.com", None, "/", true, "https://evil.com/")),
    // IPv4 in any encoding.
    ("http://2130706433/", ("http", "127.0.0.1", None, "/", false, "http://127.0.0.1/")),
    ("http://0x7f.0.0.1/", ("http", "127.0.0.1", None, "/", false, "http://127.0.0.1/")),
    ("http://0177.0.0.1/", ("http", "127.0.0.1", None, "/", false, "http://127.0.0.1/")),
    ("http://127.1/", ("http", "127.0.0.1", None, "/", false, "http://127.0.0.1/")),
    ("http://0x7f000001/", ("http", "127.0.0.1", None, "/", false, "http://127.0.0.1/")),
    ("http://127.0.0.1./", ("http", "127.0.0.1", None, "/", false, "http://127.0.0.1/")),
    ("ssh://0x7f.1/x", ("ssh", "127.0.0.1", None, "/x", false, "ssh://127.0.0.1/x")),
    // IDNA: a Cyrillic look-alike is not github.com.
    ("https://g\u{456}thub.com", ("https", "xn--gthub-n2e.com", None, "/", false, "https://xn--gthub-n2e.com/")),
    ("https://b\u{fc}cher.example/", ("https", "xn--bcher-kva.example", None, "/", false, "https://xn--bcher-kva.example/")),
    ("ssh://g\u{456}thub.com/a", ("ssh", "xn--gthub-n2e.com", None, "/a", false, "ssh://xn--gthub-n2e.com/a")),
    ("https://\u{ff47}ithub.com/", ("https", "github.com", None, "/", false, "https://github.com/")),
    // Case, ports, IPv6, trailing dots.
    ("HTTPS://GitHub.COM/Org/Repo", ("https", "github.com", None, "/Org/Repo", false, "https://github.com/Org/Repo")),
    ("ssh://GitHub.COM/x", ("ssh", "github.com", None, "/x", false, "ssh://github.com/x")),
    ("https://example.com:8443/a?b=c#d", ("https", "example.com", Some(8443), "/a", false, "https://example.com:8443/a?b=c#d")),
    ("https://example.com:443/", ("https", "example.com", None, "/", false, "https://example.com/")),
    ("http://[::1]:8080/x", ("http", "[::1]", Some(8080), "/x", false, "http://[::1]:8080/x")),
    ("http://[0:0:0:0:0:0:0:1]/", ("http", "[::1]", None, "/", false, "http://[::1]/")),
    ("ssh://[::1]/x", ("ssh", "[::1]", None, "/x", false, "ssh://[::1]/x")),
    ("https://github.com./x", ("https", "github.com", None, "/x", false, "https://github.com/x")),
    ("https://github.com../x", ("https", "github.com", None, "/x", false, "https://github.com/x")),
    ("ssh://github.com./x", ("ssh", "github.com", None, "/x", false, "ssh://github.com/x")),
    ("http://localhost:3000/api", ("http", "localhost", Some(3000), "/api", false, "http://localhost:3000/api")),
    // No scheme.
    ("docs.rs/serde", ("https", "docs.rs", None, "/serde", false, "https://docs.rs/serde")),
    ("example.com", ("https", "example.com", None, "/", false, "https://example.com/")),
    ("  example.com  ", ("https", "example.com", None, "/", false, "https://example.com/")),
    ("example.com:8080/x", ("https", "example.com", Some(8080), "/x", false, "https://example.com:8080/x")),
    ("localhost:3000", ("https", "localhost", Some(3000), "/", false, "https://localhost:3000/")),
    ("127.0.0.1:8080", ("https", "127.0.0.1", Some(8080), "/", false, "https://127.0.0.1:8080/")),
    ("//cdn.example/x.js", ("https", "cdn.example", None, "/x.js", false, "https://cdn.example/x.js")),
    ("github.com@evil.com", ("https", "evil.com", None, "/", true, "https://github.com@evil.com/")),
    ("docs.rs/a?next=http://x", ("https", "docs.rs", None, "/a", false, "https://docs.rs/a?next=http://x")),
    ("git@github.com:org/repo.git", ("ssh", "github.com", None, "/org/repo.git", true, "ssh://git@github.com/org/repo.git")),
    // Other schemes with a host.
    ("wss://socket.example/chat", ("wss", "socket.example", None, "/chat", false, "wss://socket.example/chat")),
    ("git://github.com/a/b.git", ("git", "github.com", None, "/a/b.git", false, "git://github.com/a/b.git")),
    ("ftp://files.example/pub", ("ftp", "files.example", None, "/pub", false, "ftp://files.example/pub")),
    ("ssh://git@github.com:2222/a", ("ssh", "github.com", Some(2222), "/a", true, "ssh://git@github.com:2222/a")),
    ("ssh://host", ("ssh", "host", None, "/", false, "ssh://host")),
];

/// Input and a substring of the expected error.
#[rustfmt::skip]
const ERRORS: &[(&str, &str)] = &[
    ("", "empty"),
    ("   ", "empty"),
    ("http://", "invalid url"),
    ("https://exa mple.com/", "invalid url"),
    ("http://[::1/", "invalid url"),
    ("https://example.com:99999/", "invalid url"),
    ("::::", "invalid url"),
    ("mailto:someone@example.com", "no host"),
    ("data:text/plain,hi", "no host"),
    ("javascript:alert(1)", "no host"),
    ("github.com:x@evil.com", "no host"),
    ("file:///etc/passwd", "use a file action"),
    ("file://server/share", "use a file action"),
    ("ssh://./x", "no host"),
    ("git@github.com:x@evil.com", "ambiguous"),
    ("https://xn--a.com/", "invalid"),
];

#[test]
fn parses_and_normalises() {
    let mut failures = Vec::new();
    for (raw, (scheme, host, port, path, has_userinfo, normalized)) in CASES {
        let want = ParsedUrl {
            scheme: (*scheme).to_owned(),
            host: (*host).to_owned(),
            port: *port,
            path: (*path).to_owned(),
            has_userinfo: *has_userinfo,
            normalized: (*normalized).to_owned(),
        };
        let got = parse_url(raw);
        if got.as_ref() != Ok(&want) {
            failures.push(format!(
                "parse_url({raw:?})\n   got {got:?}\n  want {want:?}"
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn rejects() {
    let mut failures = Vec::new();
    for (raw, text) in ERRORS {
        match parse_url(raw) {
            Err(err) if err.message.contains(text) => {}
            other => failures.push(format!(
                "parse_url({raw:?}) = {other:?}, want error with {text:?}"
            )),
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn look_alike_host_is_not_the_real_one() {
    let host = parse_url("https://g\u{456}thub.com/org/repo").map(|url| url.host);
    assert!(
        matches!(&host, Ok(h) if h.starts_with("xn--") && h != "github.com"),
        "{host:?}"
    );
}

#[test]
fn normalised_url_is_a_fixed_point() {
    for (raw, _) in CASES {
        let first = parse_url(raw).map(|url| (url.host, url.normalized));
        let again = first
            .as_ref()
            .map(|(_, normalized)| parse_url(normalized).map(|url| (url.host, url.normalized)));
        assert_eq!(
            first.as_ref().ok(),
            again.ok().and_then(Result::ok).as_ref(),
            "{raw:?}"
        );
        assert!(first.is_ok(), "{raw:?}");
    }
}

#[test]
fn length_limit() {
    let prefix = "https://example.com/";
    let at_limit = format!("{prefix}{}", "a".repeat(MAX_URL_LEN - prefix.len()));
    assert!(parse_url(&at_limit).is_ok());
    let over = format!("{at_limit}a");
    let message = parse_url(&over).err().map(|err| err.message);
    assert_eq!(
        message,
        Some(format!(
            "url is {} bytes long; the limit is {MAX_URL_LEN}",
            MAX_URL_LEN + 1
        ))
    );
}

#[test]
fn odd_inputs_do_not_panic() {
    for raw in [
        "%",
        "http://%",
        "ssh://%ff/",
        "ssh://%zz/",
        "a@b:",
        "@:",
        ":",
        "//",
        "///",
        "http:",
        "x:1@",
        "ssh://[::1",
        "é",
        "é:é",
        "http://é.",
        "https://.",
        "https://..",
        "ssh://..",
        "\u{0}",
    ] {
        let _ = parse_url(raw);
    }
}
