use super::{canonicalize, PathTarget, MAX_PATH_LEN};

const WS: &str = "/work/repo";

/// One case: raw path, workspace, expected result. `W` = inside the
/// workspace, `O` = outside, `E` = error whose message contains the text.
enum Want {
    W(&'static str),
    O(&'static str),
    E(&'static str),
}
use Want::{E, O, W};

const CASES: &[(&str, &str, Want)] = &[
    // Lexical clean-up inside the workspace.
    ("src/../.env", WS, W(".env")),
    ("./config//.env", WS, W("config/.env")),
    ("config\\.env", WS, W("config/.env")),
    ("config\\\\.env", WS, W("config/.env")),
    (".env", WS, W(".env")),
    ("a/./b/./c", WS, W("a/b/c")),
    ("a/b/../../c", WS, W("c")),
    (".github/workflows/", WS, W(".github/workflows")),
    (".github/workflows//", WS, W(".github/workflows")),
    ("....", WS, W("....")),
    ("...", WS, W("...")),
    ("a/.../b", WS, W("a/.../b")),
    (".", WS, W(".")),
    ("./", WS, W(".")),
    ("a/..", WS, W(".")),
    ("Config/.ENV", WS, W("Config/.ENV")),
    (" spaced name ", WS, W(" spaced name ")),
    // Absolute paths inside and outside.
    ("/work/repo/src/main.rs", WS, W("src/main.rs")),
    ("/work/repo", WS, W(".")),
    ("/work/repo/", WS, W(".")),
    ("//work///repo//.env", WS, W(".env")),
    ("/work/repo/../repo/.env", WS, W(".env")),
    ("/work/repo2/x", WS, O("/work/repo2/x")),
    ("/work/rep", WS, O("/work/rep")),
    ("/work", WS, O("/work")),
    ("/WORK/repo/.env", WS, O("/WORK/repo/.env")),
    ("/etc/passwd", WS, O("/etc/passwd")),
    ("/", WS, O("/")),
    ("/../../etc/passwd", WS, O("/etc/passwd")),
    ("/etc/ssh/", WS, O("/etc/ssh")),
    // Relative paths that climb out.
    ("../x", WS, O("/work/x")),
    ("a/../../x", WS, O("/work/x")),
    ("../../etc/passwd", "/w/r", O("/etc/passwd")),
    ("../../../../../etc/passwd", "/w/r", O("/etc/passwd")),
    ("..", WS, O("/work")),
    // Climbing out and straight back in lands inside.
    ("../repo/.env", WS, W(".env")),
    // Home paths are outside, as written.
    ("~/.ssh/id_rsa", WS, O("~/.ssh/id_rsa")),
    ("~", WS, O("~")),
    ("~/", WS, O("~")),
    ("~//.aws/./credentials", WS, O("~/.aws/credentials")),
    ("~alice/.ssh/id_rsa", WS, O("~alice/.ssh/id_rsa")),
    ("~/../bob/.ssh", WS, O("~/../bob/.ssh")),
    ("~\\.ssh\\config", WS, O("~/.ssh/config")),
    ("~/repo/x", "~/repo", W("x")),
    ("x", "~/repo", W("x")),
    ("../../x", "~/repo", O("~/../x")),
    // Windows drive paths.
    ("C:\\Users\\x", WS, O("C:/Users/x")),
    ("c:\\Users\\x", WS, O("C:/Users/x")),
    ("C:/Users/x/", WS, O("C:/Users/x")),
    ("C:", WS, O("C:/")),
    ("C:\\..\\Windows", WS, O("C:/Windows")),
    ("C:x", WS, O("C:/x")),
    ("c:\\Repo\\.env", "C:\\repo", W(".env")),
    ("C:/repo/src/lib.rs", "c:/Repo/", W("src/lib.rs")),
    ("D:/repo/.env", "C:/repo", O("D:/repo/.env")),
    ("src\\main.rs", "C:\\repo", W("src/main.rs")),
    ("..\\other\\x", "C:\\repo", O("C:/other/x")),
    ("/repo/x", "C:/repo", O("/repo/x")),
    // file:// URLs.
    ("file:///work/repo/.env", WS, W(".env")),
    ("FILE:///work/repo/.env", WS, W(".env")),
    ("file://localhost/work/repo/.env", WS, W(".env")),
    ("file:/work/repo/.env", WS, W(".env")),
    ("file:///work/repo/%2Eenv", WS, W(".env")),
    ("file:///work/repo/my%20file", WS, W("my file")),
    ("file:///etc/passwd", WS, O("/etc/passwd")),
    ("file:///C:/Users/x", WS, O("C:/Users/x")),
    ("file://C:/Users/x", WS, O("C:/Users/x")),
    ("file://server/share/x", WS, O("/server/share/x")),
    ("file:///work/repo/100%", WS, W("100%")),
    ("file:///x/%FF", WS, E("utf-8")),
    ("file://", WS, E("no path")),
    // Workspace spellings.
    ("/x/y", "", W("x/y")),
    ("x/y", "", W("x/y")),
    ("../x", "", W("x")),
    ("/", "", W(".")),
    ("/work/repo/a", "/work/repo/", W("a")),
    ("/work/repo/a", "\\work\\repo", W("a")),
    ("/work/repo/a", "/work/./other/../repo", W("a")),
    ("/repo/a", "repo", W("a")),
    // Errors.
    ("", WS, E("empty")),
    ("   ", WS, E("empty")),
    ("\t\n", WS, E("empty")),
];

fn check(raw: &str, workspace: &str, want: &Want) -> Result<(), String> {
    let got = canonicalize(raw, workspace);
    let ok = match (want, &got) {
        (W(path), Ok(PathTarget::Workspace(g))) => g == path,
        (O(path), Ok(PathTarget::Outside(g))) => g == path,
        (E(text), Err(err)) => err.message.contains(text),
        _ => false,
    };
    if ok {
        Ok(())
    } else {
        let wanted = match want {
            W(p) => format!("Workspace({p:?})"),
            O(p) => format!("Outside({p:?})"),
            E(t) => format!("error containing {t:?}"),
        };
        Err(format!(
            "canonicalize({raw:?}, {workspace:?}) = {got:?}, want {wanted}"
        ))
    }
}

#[test]
fn table() {
    let failures: Vec<String> = CASES
        .iter()
        .filter_map(|(raw, ws, want)| check(raw, ws, want).err())
        .collect();
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn canonical_output_is_a_fixed_point() {
    let mut failures = Vec::new();
    for (raw, ws, _) in CASES {
        let Ok(first) = canonicalize(raw, ws) else {
            continue;
        };
        let second = canonicalize(first.as_str(), ws);
        if second.as_ref() != Ok(&first) {
            failures.push(format!("{raw:?} in {ws:?}: {first:?} then {second:?}"));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn workspace_output_never_has_leading_dot_slash_or_empty() {
    for (raw, ws, _) in CASES {
        if let Ok(PathTarget::Workspace(path)) = canonicalize(raw, ws) {
            assert!(!path.is_empty(), "{raw:?}");
            assert!(
                path == "." || !path.starts_with("./"),
                "{raw:?} -> {path:?}"
            );
            assert!(!path.starts_with('/'), "{raw:?} -> {path:?}");
            assert!(!path.ends_with('/'), "{raw:?} -> {path:?}");
            assert!(!path.contains("//"), "{raw:?} -> {path:?}");
            assert!(!path.split('/').any(|s| s == ".."), "{raw:?} -> {path:?}");
        }
    }
}

#[test]
fn length_limit_is_inclusive() {
    let at_limit = "a".repeat(MAX_PATH_LEN);
    assert_eq!(
        canonicalize(&at_limit, WS),
        Ok(PathTarget::Workspace(at_limit.clone()))
    );
    let over = "a".repeat(MAX_PATH_LEN + 1);
    let err = canonicalize(&over, WS).err().map(|e| e.message);
    assert_eq!(
        err,
        Some(format!(
            "path is {} bytes long; the limit is {MAX_PATH_LEN}",
            MAX_PATH_LEN + 1
        ))
    );
    assert!(canonicalize("x", &over).is_err());
}

#[test]
fn as_str_and_is_outside() {
    let inside = PathTarget::Workspace("a/b".to_owned());
    let outside = PathTarget::Outside("/etc".to_owned());
    assert_eq!((inside.as_str(), inside.is_outside()), ("a/b", false));
    assert_eq!((outside.as_str(), outside.is_outside()), ("/etc", true));
    assert_eq!(outside.to_string(), "/etc");
}

#[test]
fn control_and_invisible_characters_are_kept_for_the_suspicious_check() {
    assert_eq!(
        canonicalize(".e\u{200B}nv", WS),
        Ok(PathTarget::Workspace(".e\u{200B}nv".to_owned()))
    );
    assert_eq!(
        canonicalize("a\0b", WS),
        Ok(PathTarget::Workspace("a\0b".to_owned()))
    );
}

#[test]
fn odd_inputs_do_not_panic() {
    for raw in [
        "%",
        "file:",
        "file:/",
        "file:%",
        "file:///%E",
        "~",
        "~~",
        ":",
        "C",
        "C:",
        "\\\\",
        "/..",
        "é:/x",
        "file://é",
        "\u{0}",
        "🦀/../🦀",
        "~é/x",
    ] {
        let _ = canonicalize(raw, WS);
        let _ = canonicalize(WS, raw);
    }
}
