//! The MCP server through the real `cavra mcp` binary on stdio: version
//! negotiation, notifications, JSON-RPC errors, the tool list, every tool
//! called once, argument errors, and evidence that `cavra evidence verify`
//! and `verify-log` accept. Each server runs in its own temporary workspace
//! with a clean environment.

use serde_json::{json, Value};
use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Command, Output, Stdio};
use std::sync::mpsc::{channel, Receiver};
use std::time::Duration;

const DOTTED: [&str; 11] = [
    "cavra.evaluate_action",
    "cavra.check_file_read",
    "cavra.check_file_write",
    "cavra.check_command",
    "cavra.check_git_operation",
    "cavra.check_mcp_tool_call",
    "cavra.explain_decision",
    "cavra.generate_pr_attestation",
    "cavra.export_evidence",
    "cavra.policy_list",
    "cavra.policy_validate",
];

/// A temporary directory removed when the test ends.
struct TempDir(PathBuf);

impl TempDir {
    fn new(name: &str) -> TempDir {
        let dir = std::env::temp_dir().join(format!("cavra-mcp-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).expect("temp dir");
        TempDir(dir)
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn clean_command(dir: &Path) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_cavra"));
    cmd.current_dir(dir).env("NO_COLOR", "1");
    for (name, _) in std::env::vars_os() {
        if name.to_string_lossy().starts_with("CAVRA_") {
            cmd.env_remove(name);
        }
    }
    cmd
}

/// Runs `cavra` to completion in `dir`.
fn cavra(dir: &Path, args: &[&str]) -> Output {
    clean_command(dir)
        .args(args)
        .stdin(Stdio::null())
        .output()
        .expect("run cavra")
}

/// A running `cavra mcp`, with its replies read on a thread so a missing
/// reply fails the test instead of hanging it.
struct Server {
    child: Child,
    stdin: ChildStdin,
    replies: Receiver<String>,
    next_id: u64,
}

impl Server {
    fn start(dir: &Path, extra: &[&str]) -> Server {
        let mut child = clean_command(dir)
            .arg("mcp")
            .args(extra)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("spawn cavra mcp");
        let stdin = child.stdin.take().expect("stdin");
        let stdout = child.stdout.take().expect("stdout");
        let (tx, replies) = channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines() {
                let Ok(line) = line else { break };
                if tx.send(line).is_err() {
                    break;
                }
            }
        });
        Server {
            child,
            stdin,
            replies,
            next_id: 0,
        }
    }

    fn send_line(&mut self, line: &str) {
        writeln!(self.stdin, "{line}").expect("write to server");
        self.stdin.flush().expect("flush");
    }

    fn recv(&mut self) -> Value {
        let line = self
            .replies
            .recv_timeout(Duration::from_secs(30))
            .expect("a reply within 30 s");
        serde_json::from_str(&line).unwrap_or_else(|e| panic!("reply is not JSON ({e}): {line}"))
    }

    /// Sends a request and returns its reply, checking the id.
    fn request(&mut self, method: &str, params: Value) -> Value {
        self.next_id += 1;
        let id = self.next_id;
        let message = json!({"jsonrpc": "2.0", "id": id, "method": method, "params": params});
        self.send_line(&message.to_string());
        let reply = self.recv();
        assert_eq!(reply["jsonrpc"], "2.0", "{reply}");
        assert_eq!(reply["id"], id, "{reply}");
        reply
    }

    fn initialize(&mut self, version: &str) -> Value {
        let reply = self.request(
            "initialize",
            json!({"protocolVersion": version, "capabilities": {}, "clientInfo": {"name": "test", "version": "1"}}),
        );
        self.send_line(r#"{"jsonrpc":"2.0","method":"notifications/initialized"}"#);
        reply
    }

    /// `tools/call`; returns the result (panics on a JSON-RPC error).
    fn call(&mut self, name: &str, arguments: Value) -> Value {
        let reply = self.request("tools/call", json!({"name": name, "arguments": arguments}));
        assert!(reply.get("error").is_none(), "{name}: {reply}");
        let result = reply["result"].clone();
        assert!(result["content"][0]["type"] == "text", "{name}: {result}");
        result
    }

    /// A successful call's structured content, checked against its text.
    fn ok(&mut self, name: &str, arguments: Value) -> Value {
        let result = self.call(name, arguments);
        assert_eq!(result["isError"], false, "{name}: {result}");
        let structured = result["structuredContent"].clone();
        assert!(structured.is_object(), "{name}: {result}");
        structured
    }

    /// A failed call's message.
    fn tool_error(&mut self, name: &str, arguments: Value) -> String {
        let result = self.call(name, arguments);
        assert_eq!(result["isError"], true, "{name}: {result}");
        result["content"][0]["text"]
            .as_str()
            .expect("error text")
            .to_string()
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

#[test]
fn initialize_negotiates_each_protocol_version() {
    let dir = TempDir::new("versions");
    for (asked, answered) in [
        ("2025-06-18", "2025-06-18"),
        ("2025-03-26", "2025-03-26"),
        ("2024-11-05", "2024-11-05"),
        ("2099-01-01", "2025-06-18"),
    ] {
        let mut server = Server::start(&dir.0, &["--session", "versions"]);
        let reply = server.initialize(asked);
        let result = &reply["result"];
        assert_eq!(result["protocolVersion"], answered, "{asked}: {reply}");
        assert_eq!(result["serverInfo"]["name"], "cavra");
        assert_eq!(result["serverInfo"]["version"], env!("CARGO_PKG_VERSION"));
        assert!(result["capabilities"]["tools"].is_object(), "{reply}");
        // The notification got no reply: the next line answers the ping.
        let ping = server.request("ping", json!({}));
        assert_eq!(ping["result"], json!({}));
    }
}

#[test]
fn protocol_errors_are_answered_and_serving_goes_on() {
    let dir = TempDir::new("errors");
    let mut server = Server::start(&dir.0, &["--session", "errors"]);
    // Answered before initialize (documented choice).
    assert_eq!(server.request("ping", json!({}))["result"], json!({}));
    server.initialize("2025-06-18");
    server.send_line(r#"{"jsonrpc":"2.0","method":"notifications/whatever"}"#);

    server.send_line("{this is not json");
    let reply = server.recv();
    assert_eq!(reply["error"]["code"], -32700, "{reply}");
    assert_eq!(reply["id"], Value::Null);
    assert_eq!(server.request("ping", json!({}))["result"], json!({}));

    server.send_line(r#"{"jsonrpc":"2.0","id":77}"#);
    let reply = server.recv();
    assert_eq!(reply["error"]["code"], -32600, "{reply}");
    assert_eq!(reply["id"], 77);
    server.send_line("[1, 2]");
    assert_eq!(server.recv()["error"]["code"], -32600);
    server.send_line("42");
    assert_eq!(server.recv()["error"]["code"], -32600);

    let reply = server.request("resources/list", json!({}));
    assert_eq!(reply["error"]["code"], -32601, "{reply}");
    let reply = server.request("tools/call", json!({"name": "cavra.nope", "arguments": {}}));
    assert_eq!(reply["error"]["code"], -32602, "{reply}");
    assert!(reply["error"]["message"]
        .as_str()
        .is_some_and(|m| m.contains("cavra.nope")));
    assert_eq!(server.request("ping", json!({}))["result"], json!({}));
}

#[test]
fn tools_list_has_every_tool_with_an_object_schema() {
    let dir = TempDir::new("list");
    let mut server = Server::start(&dir.0, &["--session", "list"]);
    server.initialize("2025-06-18");
    let reply = server.request("tools/list", json!({}));
    let tools = reply["result"]["tools"].as_array().expect("tools").clone();
    let names: Vec<&str> = tools.iter().filter_map(|t| t["name"].as_str()).collect();
    for name in DOTTED {
        assert!(names.contains(&name), "{name} missing from {names:?}");
        let alias = name.replace('.', "_");
        assert!(names.contains(&alias.as_str()), "{alias} missing");
    }
    for tool in &tools {
        let name = &tool["name"];
        assert!(
            tool["description"].as_str().is_some_and(|d| !d.is_empty()),
            "{name}"
        );
        let schema = &tool["inputSchema"];
        assert_eq!(schema["type"], "object", "{name}");
        assert!(schema["properties"].is_object(), "{name}");
        assert!(schema["required"].is_array(), "{name}");
        assert_eq!(schema["additionalProperties"], false, "{name}");
        for required in schema["required"].as_array().into_iter().flatten() {
            let key = required.as_str().expect("required name");
            assert!(schema["properties"].get(key).is_some(), "{name}: {key}");
        }
    }
    // Only the aliases, for clients that reject dots.
    let mut strict = Server::start(&dir.0, &["--session", "list", "--tool-names", "underscore"]);
    strict.initialize("2025-06-18");
    let reply = strict.request("tools/list", json!({}));
    let tools = reply["result"]["tools"].as_array().expect("tools");
    assert_eq!(tools.len(), 11);
    assert!(tools
        .iter()
        .all(|t| t["name"].as_str().is_some_and(|n| !n.contains('.'))));
    // Dotted names still work there.
    strict.ok("cavra.policy_list", json!({}));
}

#[test]
fn every_tool_answers_and_decisions_are_right() {
    let dir = TempDir::new("tools");
    let mut server = Server::start(&dir.0, &["--session", "tools"]);
    server.initialize("2025-06-18");

    let d = server.ok("cavra.check_file_read", json!({"path": ".env"}));
    assert_eq!(d["decision"], "block");
    assert_eq!(d["rule_id"], "filesystem.read.block");
    assert_eq!(d["session_id"], "tools");
    let env_read = d["decision_id"].as_str().expect("id").to_string();
    // The text is the same decision as JSON.
    let result = server.call("cavra_check_file_read", json!({"path": ".env"}));
    let text: Value =
        serde_json::from_str(result["content"][0]["text"].as_str().expect("text")).expect("json");
    assert_eq!(text, result["structuredContent"]);

    let d = server.ok(
        "cavra.check_file_write",
        json!({"path": "src/lib.rs", "agent_id": "claude-code"}),
    );
    assert_eq!(d["decision"], "allow");
    assert_eq!(d["agent_id"], "claude-code");
    let d = server.ok("cavra.check_command", json!({"command": "terraform apply"}));
    assert_eq!(d["decision"], "block", "{d}");
    let d = server.ok(
        "cavra_check_command",
        json!({"command": "npm test", "environment": "dev"}),
    );
    assert_eq!(d["decision"], "allow", "{d}");
    let d = server.ok(
        "cavra.check_git_operation",
        json!({"operation": "push", "remote": "origin", "branch": "main"}),
    );
    assert_eq!(d["decision"], "block", "{d}");
    let d = server.ok(
        "cavra.check_mcp_tool_call",
        json!({"server": "some-unknown-server", "tool": "delete_everything"}),
    );
    assert_eq!(d["decision"], "block", "{d}");
    let d = server.ok(
        "cavra.evaluate_action",
        json!({"action": {"type": "file_read", "path": "config/.env"}}),
    );
    assert_eq!(d["rule_id"], "filesystem.read.block");

    let e = server.ok("cavra.explain_decision", json!({"decision_id": env_read}));
    assert!(
        e["explanation"]
            .as_str()
            .is_some_and(|t| t.contains("filesystem.read.block")),
        "{e}"
    );
    let e = server.ok(
        "cavra_explain_decision",
        json!({"action": {"type": "command", "command": "rm -rf /"}}),
    );
    assert_eq!(e["decision"]["decision"], "block", "{e}");

    let pr = server.ok("cavra.generate_pr_attestation", json!({}));
    let markdown = pr["markdown"].as_str().expect("markdown");
    assert!(markdown.starts_with("# CAVRA attestation"), "{markdown}");
    assert!(markdown.contains(&env_read), "{markdown}");

    let list = server.ok("cavra.policy_list", json!({}));
    assert_eq!(list["active"]["id"], "cavra-ai-agent-baseline");
    assert!(list["packs"].as_array().is_some_and(|p| !p.is_empty()));

    let valid = server.ok(
        "cavra.policy_validate",
        json!({"policy": "metadata:\n  id: mine\n  title: Mine\n  version: 1.0.0\n  inherits: cavra-ai-agent-baseline\n"}),
    );
    assert_eq!(valid["ok"], true, "{valid}");
    let invalid = server.ok(
        "cavra.policy_validate",
        json!({"policy": "metadata:\n  id: x\n"}),
    );
    assert_eq!(invalid["ok"], false, "{invalid}");
    let first = &invalid["diagnostics"][0];
    assert!(
        first["line"].is_number() && first["column"].is_number(),
        "{invalid}"
    );

    let export = server.ok("cavra.export_evidence", json!({}));
    assert_eq!(export["signature"], "SHA256");
}

#[test]
fn bad_arguments_are_tool_errors_naming_the_argument() {
    let dir = TempDir::new("bad-args");
    let mut server = Server::start(&dir.0, &["--session", "bad-args"]);
    server.initialize("2025-06-18");
    for (tool, arguments, needle) in [
        ("cavra.check_file_read", json!({}), "`path`"),
        ("cavra.check_file_read", json!({"path": 3}), "`path`"),
        ("cavra.check_file_write", json!({"path": ""}), "`path`"),
        (
            "cavra.check_command",
            json!({"command": ["ls"]}),
            "`command`",
        ),
        ("cavra_check_command", json!({}), "`command`"),
        (
            "cavra.check_git_operation",
            json!({"branch": "main"}),
            "`operation`",
        ),
        (
            "cavra.check_git_operation",
            json!({"operation": "push", "force": "yes"}),
            "`force`",
        ),
        (
            "cavra.check_mcp_tool_call",
            json!({"server": "github"}),
            "`tool`",
        ),
        ("cavra.evaluate_action", json!({}), "`action`"),
        ("cavra.evaluate_action", json!({"action": "ls"}), "`action`"),
        (
            "cavra.evaluate_action",
            json!({"action": {"type": "file_read"}}),
            "`path`",
        ),
        ("cavra.explain_decision", json!({}), "decision_id"),
        (
            "cavra.explain_decision",
            json!({"decision_id": "dec_000000000000"}),
            "`decision_id`",
        ),
        ("cavra.policy_validate", json!({}), "`policy`"),
        (
            "cavra.check_command",
            json!({"command": "ls", "agent_id": 7}),
            "`agent_id`",
        ),
        (
            "cavra.check_command",
            json!({"command": "ls", "cmd": "ls"}),
            "`cmd`",
        ),
        ("cavra.export_evidence", json!({}), "no decision"),
    ] {
        let message = server.tool_error(tool, arguments.clone());
        assert!(message.contains(needle), "{tool} {arguments}: {message}");
    }
    // Nothing was decided, so nothing was logged.
    assert!(!dir.0.join(".cavra/sessions/bad-args.jsonl").exists());
}

#[test]
fn exported_evidence_and_the_session_log_verify() {
    let dir = TempDir::new("export");
    let mut server = Server::start(&dir.0, &["--session", "export"]);
    server.initialize("2025-06-18");
    server.ok("cavra.check_file_read", json!({"path": ".env"}));
    server.ok("cavra.check_command", json!({"command": "npm test"}));
    let export = server.ok("cavra.export_evidence", json!({}));
    assert_eq!(export["decisions"], 2);
    assert_eq!(export["signature"], "SHA256");
    let path = export["path"].as_str().expect("path").to_string();
    assert!(
        path.ends_with(".cavra/evidence/export-evidence-bundle.zip"),
        "{path}"
    );
    assert!(export["files"]
        .as_array()
        .is_some_and(|f| f.iter().any(|n| n == "manifest.json")));
    assert!(export["manifest"].is_object());
    let out = cavra(&dir.0, &["evidence", "verify", &path]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );

    // A directory bundle, then a refusal to replace it.
    let export = server.ok("cavra.export_evidence", json!({"path": "bundle-dir"}));
    assert_eq!(export["format"], "directory");
    let out = cavra(&dir.0, &["evidence", "verify", "bundle-dir"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    let message = server.tool_error("cavra.export_evidence", json!({"path": "bundle-dir"}));
    assert!(message.contains("overwrite"), "{message}");

    let out = cavra(
        &dir.0,
        &["evidence", "verify-log", ".cavra/sessions/export.jsonl"],
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );

    // With a local key the bundle is signed with Ed25519.
    let out = cavra(&dir.0, &["keys", "generate"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let export = server.ok("cavra_export_evidence", json!({"path": "signed.zip"}));
    assert_eq!(export["signature"], "Ed25519", "{export}");
    let out = cavra(
        &dir.0,
        &[
            "evidence",
            "verify",
            "signed.zip",
            "--public-key",
            ".cavra/keys/cavra-ed25519.pub.pem",
        ],
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
}
