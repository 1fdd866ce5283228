// Interop: the official MCP TypeScript SDK (@modelcontextprotocol/sdk)
// talks to `cavra mcp` over stdio. It connects with StdioClientTransport,
// lists the tools, checks each inputSchema is an object schema, calls every
// tool, checks the errors, and verifies the exported bundle with the CLI.
//
// Usage: node tests/mcp/sdk_client.mjs [path/to/cavra]   (default target/debug/cavra)

import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";

const cavra = resolve(process.argv[2] ?? "target/debug/cavra");
assert.ok(existsSync(cavra), `no cavra binary at ${cavra}; build it first`);

const DOTTED = [
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

const workspace = mkdtempSync(join(tmpdir(), "cavra-mcp-sdk-"));
let client;
try {
  // The SDK passes only a safe default environment (no CAVRA_* variables).
  const transport = new StdioClientTransport({
    command: cavra,
    args: ["mcp", "--session", "sdk", "--workspace", workspace],
    cwd: workspace,
    env: { NO_COLOR: "1", PATH: process.env.PATH ?? "" },
    stderr: "ignore",
  });
  client = new Client({ name: "cavra-sdk-interop", version: "1.0.0" });
  await client.connect(transport);
  assert.equal(client.getServerVersion()?.name, "cavra");
  assert.ok(client.getServerCapabilities()?.tools, "tools capability");
  await client.ping();

  const { tools } = await client.listTools();
  const names = tools.map((t) => t.name);
  for (const name of DOTTED) {
    assert.ok(names.includes(name), `${name} listed`);
    assert.ok(names.includes(name.replaceAll(".", "_")), `${name} alias listed`);
  }
  for (const tool of tools) {
    assert.ok(tool.description && tool.description.length > 0, `${tool.name} description`);
    const schema = tool.inputSchema;
    assert.equal(schema.type, "object", `${tool.name} schema type`);
    assert.equal(typeof schema.properties, "object", `${tool.name} properties`);
    assert.ok(Array.isArray(schema.required), `${tool.name} required`);
    assert.equal(schema.additionalProperties, false, `${tool.name} closed`);
    for (const key of schema.required) {
      assert.ok(key in schema.properties, `${tool.name}: required ${key} is a property`);
    }
  }

  const ok = async (name, args) => {
    const result = await client.callTool({ name, arguments: args });
    assert.notEqual(result.isError, true, `${name}: ${JSON.stringify(result.content)}`);
    assert.equal(result.content[0].type, "text");
    assert.equal(typeof result.structuredContent, "object", `${name} structuredContent`);
    return result;
  };
  const decision = async (name, args) => {
    const result = await ok(name, args);
    assert.deepEqual(JSON.parse(result.content[0].text), result.structuredContent);
    return result.structuredContent;
  };

  let d = await decision("cavra.check_file_read", { path: ".env" });
  assert.equal(d.decision, "block");
  assert.equal(d.rule_id, "filesystem.read.block");
  const envRead = d.decision_id;
  d = await decision("cavra_check_file_write", { path: "src/lib.rs", agent_id: "sdk" });
  assert.equal(d.decision, "allow");
  d = await decision("cavra.check_command", { command: "terraform apply" });
  assert.equal(d.decision, "block");
  d = await decision("cavra.check_git_operation", { operation: "push", remote: "origin", branch: "main" });
  assert.equal(d.decision, "block");
  d = await decision("cavra.check_mcp_tool_call", { server: "unknown-server", tool: "read_file" });
  assert.equal(d.decision, "block");
  d = await decision("cavra.evaluate_action", { action: { type: "command", command: "npm test" } });
  assert.equal(d.decision, "allow");

  let r = await ok("cavra.explain_decision", { decision_id: envRead });
  assert.match(r.content[0].text, /filesystem\.read\.block/);
  r = await ok("cavra.generate_pr_attestation", {});
  assert.match(r.structuredContent.markdown, /^# CAVRA attestation/);
  r = await ok("cavra.policy_list", {});
  assert.equal(r.structuredContent.active.id, "cavra-ai-agent-baseline");
  r = await ok("cavra.policy_validate", { policy: "metadata:\n  id: x\n" });
  assert.equal(r.structuredContent.ok, false);
  assert.equal(typeof r.structuredContent.diagnostics[0].line, "number");
  r = await ok("cavra.export_evidence", { path: "bundle.zip" });
  const bundle = r.structuredContent.path;
  assert.equal(r.structuredContent.decisions, 6);

  // Errors.
  const failed = async (name, args, needle) => {
    const result = await client.callTool({ name, arguments: args });
    assert.equal(result.isError, true, `${name} ${JSON.stringify(args)} should fail`);
    assert.ok(result.content[0].text.includes(needle), `${name}: ${result.content[0].text}`);
  };
  await failed("cavra.check_command", {}, "`command`");
  await failed("cavra.check_file_read", { path: 42 }, "`path`");
  await failed("cavra.check_git_operation", { operation: "push", force: "yes" }, "`force`");
  await assert.rejects(
    client.callTool({ name: "cavra.does_not_exist", arguments: {} }),
    (e) => e.code === -32602,
  );

  await client.close();
  client = undefined;

  for (const args of [
    ["evidence", "verify", bundle],
    ["evidence", "verify-log", join(workspace, ".cavra/sessions/sdk.jsonl")],
  ]) {
    const run = spawnSync(cavra, args, { cwd: workspace, env: { NO_COLOR: "1", PATH: process.env.PATH ?? "" } });
    assert.equal(run.status, 0, `cavra ${args.join(" ")}: ${run.stdout}${run.stderr}`);
  }
  console.log(`ok: the MCP SDK called all ${DOTTED.length} tools of cavra mcp; evidence verifies`);
} finally {
  if (client) await client.close().catch(() => {});
  rmSync(workspace, { recursive: true, force: true });
}
