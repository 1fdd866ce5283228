//! The stdio loop in-process, with a host that touches nothing: framing
//! edge cases that are slow or awkward through the real binary.

use super::*;
use crate::decision::DecisionStamp;
use crate::policy::compile::CompiledPolicy;
use std::cell::Cell;

struct FakeHost {
    n: Cell<u64>,
    fail_append: bool,
}

impl Host for FakeHost {
    fn stamp(&self) -> DecisionStamp {
        self.n.set(self.n.get() + 1);
        DecisionStamp::sequential(self.n.get(), "2026-11-25T10:00:00.000Z")
    }
    fn now(&self) -> String {
        "2026-11-25T10:00:00.000Z".into()
    }
    fn append(&self, workspace: &Path, _: &Decision) -> Result<PathBuf, String> {
        if self.fail_append {
            Err("disk full".into())
        } else {
            Ok(workspace.join("log.jsonl"))
        }
    }
    fn write_bundle(&self, _: &[BundleFile], _: &str, _: &Path, _: bool) -> Result<(), String> {
        Ok(())
    }
}

fn server(fail_append: bool) -> Server<FakeHost> {
    let library = Library::embedded();
    let policy = library
        .load_pack(crate::DEFAULT_PACK)
        .and_then(|p| CompiledPolicy::compile(&p))
        .expect("baseline compiles");
    let config = Config {
        policy,
        library,
        options: DecideOptions::default(),
        workspace: PathBuf::from("/workspace"),
        session_id: "unit".into(),
        key: None,
        tool_names: ToolNames::Both,
    };
    Server::new(
        config,
        FakeHost {
            n: Cell::new(0),
            fail_append,
        },
    )
}

fn replies(server: &mut Server<FakeHost>, input: &[u8]) -> Vec<Value> {
    let mut out = Vec::new();
    server.serve(input, &mut out).expect("serve");
    String::from_utf8(out)
        .expect("utf-8")
        .lines()
        .map(|l| serde_json::from_str(l).expect("json line"))
        .collect()
}

#[test]
fn blank_lines_and_crlf_are_tolerated() {
    let input = b"\n  \r\n{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"ping\"}\r\n";
    let out = replies(&mut server(false), input);
    assert_eq!(out.len(), 1);
    assert_eq!(out[0]["id"], 1);
}

#[test]
fn an_oversized_line_is_a_parse_error_and_the_next_line_is_served() {
    let mut input = vec![b'x'; MAX_LINE_BYTES + 10];
    input.extend_from_slice(b"\n{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"ping\"}\n");
    let out = replies(&mut server(false), &input);
    assert_eq!(out.len(), 2);
    assert_eq!(out[0]["error"]["code"], -32700);
    assert_eq!(out[1]["id"], 2);
}

#[test]
fn a_decision_that_cannot_be_logged_is_a_tool_error() {
    let input = br#"{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"cavra.check_file_read","arguments":{"path":".env"}}}"#;
    let out = replies(&mut server(true), input);
    assert_eq!(out[0]["result"]["isError"], true);
    let text = out[0]["result"]["content"][0]["text"]
        .as_str()
        .unwrap_or("");
    assert!(
        text.contains("block") && text.contains("disk full"),
        "{text}"
    );
}
