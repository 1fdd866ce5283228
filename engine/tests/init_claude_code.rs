//! `cavra init claude-code` through the real binary, on a project that
//! already has its own Claude Code settings and MCP servers: everything the
//! user had is kept, cavra's entries are added once, a second run changes
//! no byte, `--dry-run` writes nothing, and invalid JSON writes nothing.

use serde_json::{json, Value};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

const HOOK: &str = "cavra hook claude-code";

/// A temporary project directory removed when the test ends.
struct Project(PathBuf);

impl Project {
    fn new(name: &str) -> Project {
        let dir = std::env::temp_dir().join(format!("cavra-init-cc-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(dir.join(".claude")).expect("temp dir");
        Project(dir)
    }

    fn settings(&self) -> PathBuf {
        self.0.join(".claude").join("settings.json")
    }

    fn mcp(&self) -> PathBuf {
        self.0.join(".mcp.json")
    }

    fn init(&self, extra: &[&str]) -> Output {
        let dir = self.0.display().to_string();
        Command::new(env!("CARGO_BIN_EXE_cavra"))
            .args(["init", "claude-code", "--project", &dir])
            .args(extra)
            .output()
            .expect("run cavra")
    }
}

impl Drop for Project {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn existing_settings() -> Value {
    json!({
        "permissions": {"allow": ["Bash(npm test:*)"], "deny": ["Read(./secrets/**)"]},
        "env": {"FOO": "bar"},
        "hooks": {
            "PreToolUse": [
                {"matcher": "Bash", "hooks": [{"type": "command", "command": "./scripts/lint-bash.sh"}]}
            ],
            "Stop": [
                {"hooks": [{"type": "command", "command": "notify-send done"}]}
            ]
        },
        "model": "opus"
    })
}

fn existing_mcp() -> Value {
    json!({
        "mcpServers": {
            "github": {"command": "github-mcp", "args": ["--stdio"], "env": {"TOKEN": "${GITHUB_TOKEN}"}},
            "docs": {"type": "http", "url": "https://docs.example.com/mcp"}
        }
    })
}

fn write_json(path: &Path, value: &Value) {
    std::fs::write(
        path,
        serde_json::to_string_pretty(value).expect("json") + "\n",
    )
    .expect("write");
}

fn read_json(path: &Path) -> Value {
    serde_json::from_str(&std::fs::read_to_string(path).expect("read")).expect("json")
}

fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

/// How many matcher groups of an event run the cavra hook.
fn cavra_groups(settings: &Value, event: &str) -> usize {
    settings["hooks"][event]
        .as_array()
        .map(|groups| {
            groups
                .iter()
                .filter(|g| g["hooks"].to_string().contains(HOOK))
                .count()
        })
        .unwrap_or(0)
}

#[test]
fn init_merges_into_existing_files_and_is_idempotent() {
    let project = Project::new("merge");
    write_json(&project.settings(), &existing_settings());
    write_json(&project.mcp(), &existing_mcp());

    let first = project.init(&[]);
    assert_eq!(first.status.code(), Some(0), "{first:?}");
    assert!(stdout(&first).contains("updated .claude/settings.json"));
    assert!(stdout(&first).contains("updated .mcp.json"));

    let settings = read_json(&project.settings());
    let before = existing_settings();
    for key in ["permissions", "env", "model"] {
        assert_eq!(settings[key], before[key], "{key} kept");
    }
    assert_eq!(settings["hooks"]["Stop"], before["hooks"]["Stop"]);
    assert_eq!(
        settings["hooks"]["PreToolUse"][0], before["hooks"]["PreToolUse"][0],
        "the user's Bash hook stays first"
    );
    for event in ["PreToolUse", "PostToolUse"] {
        assert_eq!(cavra_groups(&settings, event), 1, "{event}");
    }
    let ours = &settings["hooks"]["PreToolUse"][1];
    assert_eq!(ours["hooks"][0]["type"], "command");
    assert_eq!(ours["hooks"][0]["command"], HOOK);
    let matcher = ours["matcher"].as_str().expect("matcher");
    for tool in ["Bash", "Read", "Write", "Edit", "WebFetch", "mcp__"] {
        assert!(matcher.contains(tool), "{matcher} covers {tool}");
    }

    let mcp = read_json(&project.mcp());
    let before = existing_mcp();
    assert_eq!(mcp["mcpServers"]["github"], before["mcpServers"]["github"]);
    assert_eq!(mcp["mcpServers"]["docs"], before["mcpServers"]["docs"]);
    assert_eq!(
        mcp["mcpServers"]["cavra"],
        json!({"command": "cavra", "args": ["mcp"]})
    );

    let settings_bytes = std::fs::read(project.settings()).expect("read");
    let mcp_bytes = std::fs::read(project.mcp()).expect("read");
    let second = project.init(&[]);
    assert_eq!(second.status.code(), Some(0));
    assert!(
        stdout(&second).contains("nothing changed"),
        "{}",
        stdout(&second)
    );
    assert_eq!(
        std::fs::read(project.settings()).expect("read"),
        settings_bytes
    );
    assert_eq!(std::fs::read(project.mcp()).expect("read"), mcp_bytes);
    // No temporary files left behind.
    let leftovers: Vec<_> = std::fs::read_dir(project.0.join(".claude"))
        .expect("ls")
        .flatten()
        .filter(|e| e.file_name().to_string_lossy().contains(".tmp"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

#[test]
fn init_creates_missing_files() {
    let project = Project::new("fresh");
    std::fs::remove_dir_all(project.0.join(".claude")).expect("rm");
    let output = project.init(&[]);
    assert_eq!(output.status.code(), Some(0), "{output:?}");
    let settings = read_json(&project.settings());
    assert_eq!(cavra_groups(&settings, "PreToolUse"), 1);
    assert_eq!(cavra_groups(&settings, "PostToolUse"), 1);
    assert_eq!(
        read_json(&project.mcp())["mcpServers"]["cavra"]["args"],
        json!(["mcp"])
    );
}

#[test]
fn dry_run_prints_the_change_and_writes_nothing() {
    let project = Project::new("dry");
    write_json(&project.settings(), &existing_settings());
    let before = std::fs::read(project.settings()).expect("read");
    let output = project.init(&["--dry-run"]);
    assert_eq!(output.status.code(), Some(0));
    let text = stdout(&output);
    assert!(text.contains("would write .claude/settings.json"), "{text}");
    assert!(text.contains(HOOK), "{text}");
    assert!(text.contains("nothing was written"), "{text}");
    assert_eq!(std::fs::read(project.settings()).expect("read"), before);
    assert!(!project.mcp().exists());
}

#[test]
fn invalid_json_is_an_error_and_nothing_is_written() {
    let project = Project::new("invalid");
    let broken = "{\"hooks\": {\"PreToolUse\": [}\n";
    std::fs::write(project.settings(), broken).expect("write");
    let output = project.init(&[]);
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("settings.json") && stderr.contains("not valid JSON"),
        "{stderr}"
    );
    assert_eq!(
        std::fs::read_to_string(project.settings()).expect("read"),
        broken
    );
    assert!(
        !project.mcp().exists(),
        "nothing written when one file is bad"
    );

    // A `hooks` of the wrong shape is refused the same way.
    std::fs::write(project.settings(), "{\"hooks\": []}").expect("write");
    let output = project.init(&[]);
    assert_eq!(output.status.code(), Some(2));
    assert_eq!(
        std::fs::read_to_string(project.settings()).expect("read"),
        "{\"hooks\": []}"
    );
}
