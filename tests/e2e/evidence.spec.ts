// The Evidence view: the bundle's files in tabs, the ZIP download (a real
// ZIP that opens and verifies in the page and with the native CLI), a
// tampered or garbage ZIP failing with the failing check shown, the CLI's
// own demo bundle verifying in the browser, signing modes and keys, roles,
// the palette, and byte parity of the wasm bundle with the engine's pinned
// golden bundle.
import { test, expect, type Page, type TestInfo } from "@playwright/test";
import { CANONICAL_ACTIONS, collectProblems } from "./helpers";
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { deflateRawSync, inflateRawSync } from "node:zlib";

const ROOT = process.cwd();
const CLI = path.resolve(ROOT, process.env.CARGO_TARGET_DIR ?? "target", "debug", "cavra");
const GOLDEN = path.join(ROOT, "engine/tests/golden/demo-session");
const BUNDLE_FILES = [
  "evidence.json",
  "pr-attestation.md",
  "compliance-mapping.md",
  "siem-event.json",
  "sandbox-run-summary.json",
  "retention-policy.json",
  "decisions.jsonl",
  "attestation.intoto.json",
];
// The golden bundle's signing key: `cavra.generateKeyPair("2a".repeat(32))`.
const SEED_KEY_PEM = "-----BEGIN PRIVATE KEY-----\nMC4CAQAwBQYDK2VwBCIEICoqKioqKioqKioqKioqKioqKioqKioqKioqKioqKioq\n-----END PRIVATE KEY-----\n";
const SEED_KEY_ID = "a57b2e0aae5fb2e0";

// ------------------------------------------------------------------ ZIP
// A small independent ZIP reader and writer (central directory, DEFLATE),
// so "the ZIP opens" is checked by code that is not the engine's.

type ZipEntry = { name: string; data: Buffer; method: number; crc: number };

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k += 1) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(data: Buffer): number {
  let c = 0xffffffff;
  for (const byte of data) c = CRC_TABLE[(c ^ byte) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function readZip(zip: Buffer): ZipEntry[] {
  const eocd = zip.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  if (eocd < 0) throw new Error("no end of central directory record");
  const count = zip.readUInt16LE(eocd + 10);
  let at = zip.readUInt32LE(eocd + 16);
  const entries: ZipEntry[] = [];
  for (let n = 0; n < count; n += 1) {
    if (zip.readUInt32LE(at) !== 0x02014b50) throw new Error(`central directory entry ${n} is damaged`);
    const method = zip.readUInt16LE(at + 10);
    const crc = zip.readUInt32LE(at + 16);
    const compressed = zip.readUInt32LE(at + 20);
    const nameLength = zip.readUInt16LE(at + 28);
    const extraLength = zip.readUInt16LE(at + 30);
    const commentLength = zip.readUInt16LE(at + 32);
    const local = zip.readUInt32LE(at + 42);
    const name = zip.subarray(at + 46, at + 46 + nameLength).toString("utf8");
    if (zip.readUInt32LE(local) !== 0x04034b50) throw new Error(`local header of ${name} is damaged`);
    const start = local + 30 + zip.readUInt16LE(local + 26) + zip.readUInt16LE(local + 28);
    const raw = zip.subarray(start, start + compressed);
    const data = method === 8 ? inflateRawSync(raw) : Buffer.from(raw);
    if (crc32(data) !== crc) throw new Error(`CRC of ${name} does not match`);
    entries.push({ name, data, method, crc });
    at += 46 + nameLength + extraLength + commentLength;
  }
  return entries;
}

function writeZip(entries: { name: string; data: Buffer }[]): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const { name, data } of entries) {
    const nameBytes = Buffer.from(name, "utf8");
    const packed = deflateRawSync(data);
    const crc = crc32(data);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(8, 8);
    local.writeUInt16LE(0x21, 12); // 1980-01-01
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(packed.length, 18);
    local.writeUInt32LE(data.length, 22);
    local.writeUInt16LE(nameBytes.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(8, 10);
    central.writeUInt16LE(0x21, 14);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(packed.length, 20);
    central.writeUInt32LE(data.length, 24);
    central.writeUInt16LE(nameBytes.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, nameBytes, packed);
    centrals.push(central, nameBytes);
    offset += local.length + nameBytes.length + packed.length;
  }
  const directory = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, directory, end]);
}

// ------------------------------------------------------------------ page helpers

async function openEvidence(page: Page) {
  await page.goto("/#/evidence");
  await expect(page.locator("body[data-ready=true]")).toBeVisible();
  await expect(page.locator("#view-evidence")).toBeVisible();
}

/** Puts the seven canonical actions in the session through the view's own button. */
async function addSamples(page: Page) {
  await page.getByTestId("add-sample-actions").click();
  await expect(page.locator("#view-evidence [role=tab][data-file]")).toHaveCount(BUNDLE_FILES.length + 1);
}

const view = (page: Page) => page.locator("#view-evidence");
const result = (page: Page) => page.getByTestId("verify-result");
const checkRow = (page: Page, name: string) => page.locator(`[data-testid=verify-checks] tr[data-check="${name}"]`);

async function uploadToVerifier(page: Page, file: { name: string; buffer: Buffer }, publicKeyPem = "") {
  await page.locator("#evidence-verify-key").fill(publicKeyPem);
  await page.locator("#evidence-zip-input").setInputFiles({ name: file.name, mimeType: "application/zip", buffer: file.buffer });
}

async function downloadBytes(page: Page, trigger: () => Promise<void>) {
  const [download] = await Promise.all([page.waitForEvent("download"), trigger()]);
  const file = await download.path();
  expect(file, "the download must finish").toBeTruthy();
  return { name: download.suggestedFilename(), buffer: readFileSync(file!) };
}

async function screenshot(page: Page, testInfo: TestInfo) {
  await page.screenshot({ path: `test-results/screenshots/evidence-${testInfo.project.name}.png`, fullPage: true });
}

function requireCli() {
  expect(existsSync(CLI), `the CAVRA CLI is not built at ${CLI}: run cargo build -p cavra first`).toBe(true);
}

// The offline worker (sw.js) is the shell's concern and checked by its own
// spec; blocking it keeps these checks about the Evidence view alone.
test.use({ serviceWorkers: "block" });

test.describe("evidence view", () => {
  let problems: string[] = [];
  let scratch = "";

  test.beforeEach(async ({ page }) => {
    problems = collectProblems(page);
    scratch = mkdtempSync(path.join(tmpdir(), "cavra-evidence-e2e-"));
  });

  test.afterEach(async ({ page }) => {
    rmSync(scratch, { recursive: true, force: true });
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(overflow, "the page must not scroll sideways").toBeLessThanOrEqual(0);
    expect(problems).toEqual([]);
  });

  test("an empty session explains itself and offers the simulator and the sample actions", async ({ page }) => {
    await openEvidence(page);
    await expect(view(page).getByRole("heading", { name: "No evidence yet" })).toBeVisible();
    await expect(page.getByTestId("download-zip")).toBeDisabled();
    await view(page).getByRole("button", { name: "Go to the simulator" }).click();
    await expect(page).toHaveURL(/#\/simulator$/);
    await expect(page.locator("#view-simulator")).toBeVisible();

    await page.goto("/#/evidence");
    await expect(page.locator("body[data-ready=true]")).toBeVisible();
    await addSamples(page);
    await expect(view(page).getByRole("heading", { name: "No evidence yet" })).toHaveCount(0);
    await expect(page.getByTestId("download-zip")).toBeEnabled();
    await expect(page.getByTestId("bundle-signature")).toContainText("Ed25519");
    const keyId = await page.getByTestId("key-id").textContent();
    expect(keyId).toMatch(/^[0-9a-f]{16}$/);
    await expect(page.getByTestId("bundle-signature")).toContainText(keyId!);
  });

  test("the tabs show every bundle file, each rendered and non-empty, with arrow-key navigation", async ({ page }, testInfo) => {
    await openEvidence(page);
    await addSamples(page);
    const tabs = view(page).locator("[role=tablist] [role=tab]");
    await expect(tabs).toHaveText([...BUNDLE_FILES, "manifest.json"]);

    // The manifest's own table lists exactly the other files.
    await view(page).getByRole("tab", { name: "manifest.json" }).click();
    const listed = await page.getByTestId("manifest-table").locator("tbody tr td:first-child").allTextContents();
    expect(listed).toEqual(BUNDLE_FILES);
    for (const digest of await page.getByTestId("manifest-table").locator("tbody tr td:last-child").allTextContents()) expect(digest).toMatch(/^[0-9a-f]{64}$/);

    const panel = view(page).getByRole("tabpanel").filter({ has: page.locator(".evidence-file-toolbar") });
    for (const name of [...BUNDLE_FILES, "manifest.json"]) {
      await view(page).getByRole("tab", { name }).click();
      await expect(view(page).getByRole("tab", { name })).toHaveAttribute("aria-selected", "true");
      await expect(panel).toHaveAttribute("data-file", name);
      await expect(panel).toHaveAttribute("aria-labelledby", `evidence-tab-${name.replace(/[^A-Za-z0-9_-]/g, "-")}`);
      const text = (await panel.innerText()).trim();
      expect(text.length, `${name}'s panel must show its content`).toBeGreaterThan(120);
    }

    // Markdown is rendered as headings and tables, and its source is one toggle away.
    await view(page).getByRole("tab", { name: "pr-attestation.md" }).click();
    await expect(panel.getByRole("heading", { level: 1 })).toHaveText("CAVRA attestation: session sandbox-session");
    await expect(panel.locator("table").first()).toContainText("require_approval");
    await expect(panel.locator("ol > li")).toHaveCount(7);
    await expect(panel.locator("strong", { hasText: "block" }).first()).toBeVisible();
    await panel.getByRole("button", { name: "Show source" }).click();
    await expect(panel.getByRole("button", { name: "Show source" })).toHaveAttribute("aria-pressed", "true");
    await expect(panel.locator("pre")).toContainText("# CAVRA attestation: session `sandbox-session`");
    await panel.getByRole("button", { name: "Show source" }).click();
    await expect(panel.getByRole("button", { name: "Show source" })).toHaveAttribute("aria-pressed", "false");
    await expect(panel.getByRole("heading", { level: 1 })).toBeVisible();

    // JSON is pretty-printed; the session log is a table of its seven decisions.
    await view(page).getByRole("tab", { name: "sandbox-run-summary.json" }).click();
    await expect(panel.locator("pre")).toContainText('"blocked": 4,\n  "created_at"');
    await view(page).getByRole("tab", { name: "decisions.jsonl" }).click();
    await expect(panel.locator("tbody tr")).toHaveCount(7);
    await expect(panel.locator("tbody tr").first()).toContainText("filesystem.read.block");
    await expect(panel.locator("tbody tr").first().locator(".badge")).toHaveAttribute("data-verdict", "block");

    // Arrow keys move between file tabs (roving focus, automatic activation).
    const first = view(page).getByRole("tab", { name: "evidence.json" });
    await first.click();
    await first.press("ArrowRight");
    await expect(view(page).getByRole("tab", { name: "pr-attestation.md" })).toBeFocused();
    await expect(view(page).getByRole("tab", { name: "pr-attestation.md" })).toHaveAttribute("aria-selected", "true");
    await page.keyboard.press("End");
    await expect(view(page).getByRole("tab", { name: "manifest.json" })).toBeFocused();
    await page.keyboard.press("ArrowRight");
    await expect(first).toBeFocused();
    await expect(first).toHaveAttribute("tabindex", "0");
    await expect(view(page).getByRole("tab", { name: "manifest.json" })).toHaveAttribute("tabindex", "-1");

    await view(page).getByRole("tab", { name: "pr-attestation.md" }).click();
    await page.getByRole("button", { name: "Verify this session's bundle" }).click();
    await expect(result(page)).toHaveAttribute("data-verified", "true");
    await screenshot(page, testInfo);
  });

  test("the ZIP downloads, opens with a ZIP reader, and verifies in the page and with the CLI", async ({ page }) => {
    requireCli();
    await openEvidence(page);
    await addSamples(page);

    const key = await downloadBytes(page, () => view(page).getByRole("button", { name: "Download public key" }).click());
    expect(key.name).toBe("cavra-public.pem");
    expect(key.buffer.toString()).toMatch(/^-----BEGIN PUBLIC KEY-----\n[A-Za-z0-9+/=]{60}\n-----END PUBLIC KEY-----\n$/);
    await expect(page.getByTestId("public-key-pem")).toHaveText(key.buffer.toString().trim());

    const zip = await downloadBytes(page, () => page.getByTestId("download-zip").click());
    expect(zip.name).toBe("cavra-evidence-sandbox-session.zip");
    expect(zip.buffer.subarray(0, 4)).toEqual(Buffer.from([0x50, 0x4b, 0x03, 0x04]));
    const entries = readZip(zip.buffer);
    expect(entries.map((e) => e.name)).toEqual(["manifest.json", ...BUNDLE_FILES]);
    expect(entries.every((e) => e.method === 8), "entries are DEFLATE-compressed").toBe(true);
    const manifest = JSON.parse(entries[0].data.toString("utf8"));
    expect(manifest.files.map((f: { path: string }) => f.path)).toEqual(BUNDLE_FILES);
    expect(manifest.signature.key_id).toBe(await page.getByTestId("key-id").textContent());

    const zipPath = path.join(scratch, zip.name);
    const keyPath = path.join(scratch, key.name);
    writeFileSync(zipPath, zip.buffer);
    writeFileSync(keyPath, key.buffer);
    const unzip = spawnSync("unzip", ["-tq", zipPath], { encoding: "utf8" });
    if (!unzip.error) expect(unzip.status, `unzip -t: ${unzip.stdout}${unzip.stderr}`).toBe(0);

    const cli = spawnSync(CLI, ["evidence", "verify", zipPath, "--public-key", keyPath], { encoding: "utf8" });
    expect(cli.status, `cavra evidence verify: ${cli.stdout}${cli.stderr}`).toBe(0);
    // And the CLI refuses it under a different key.
    execFileSync(CLI, ["keys", "generate", "--out", path.join(scratch, "other")], { encoding: "utf8" });
    const wrong = spawnSync(CLI, ["evidence", "verify", zipPath, "--public-key", path.join(scratch, "other", "cavra-ed25519.pub.pem")], { encoding: "utf8" });
    expect(wrong.status, `a foreign key must not verify: ${wrong.stdout}${wrong.stderr}`).toBe(1);

    // In the page: verified with the key, "not verified" (never verified) without it.
    await uploadToVerifier(page, zip, key.buffer.toString());
    await expect(result(page)).toHaveAttribute("data-verified", "true");
    await expect(result(page)).toContainText("Verified");
    await expect(result(page)).toContainText(zip.name);
    await expect(checkRow(page, "signature")).toHaveAttribute("data-status", "pass");
    await expect(checkRow(page, "session_log")).toContainText("hash chain intact over 7 lines");
    await expect(page.locator("[data-testid=verify-checks] tbody tr")).toHaveCount(16);
    await expect(page.locator("[data-testid=verify-checks] tbody tr[data-status=pass]")).toHaveCount(16);

    await uploadToVerifier(page, zip, "");
    await expect(result(page)).toHaveAttribute("data-verified", "false");
    await expect(result(page)).toContainText("Not verified");
    await expect(checkRow(page, "signature")).toHaveAttribute("data-status", "not_checked");
  });

  test("a tampered ZIP and a garbage file fail verification with the failing check shown", async ({ page }) => {
    await openEvidence(page);
    await addSamples(page);
    const key = (await page.getByTestId("public-key-pem").textContent())!.trim();
    const zip = await downloadBytes(page, () => page.getByTestId("download-zip").click());
    await uploadToVerifier(page, zip, key);
    await expect(result(page)).toHaveAttribute("data-verified", "true");

    // One decision's verdict edited in the reviewer's attestation, same length, then re-zipped.
    const entries = readZip(zip.buffer).map(({ name, data }) => ({ name, data }));
    const target = entries.find((e) => e.name === "pr-attestation.md")!;
    const edited = target.data.toString("utf8").replace("-> **block**", "-> **allow**");
    expect(edited).not.toBe(target.data.toString("utf8"));
    target.data = Buffer.from(edited, "utf8");
    await uploadToVerifier(page, { name: "tampered.zip", buffer: writeZip(entries) }, key);
    await expect(result(page)).toHaveAttribute("data-verified", "false");
    await expect(result(page)).toContainText("Failed");
    await expect(result(page)).toContainText("File pr-attestation.md");
    await expect(checkRow(page, "file:pr-attestation.md")).toHaveAttribute("data-status", "fail");
    await expect(checkRow(page, "file:pr-attestation.md")).toContainText("Fail");
    await expect(checkRow(page, "file:evidence.json")).toHaveAttribute("data-status", "pass");

    // A byte flipped inside a stored file's compressed data.
    const flipped = Buffer.from(zip.buffer);
    const nameAt = flipped.indexOf(Buffer.from("evidence.json"));
    const dataAt = nameAt + "evidence.json".length + flipped.readUInt16LE(nameAt - 2) + 200;
    flipped[dataAt] ^= 0xff;
    await uploadToVerifier(page, { name: "flipped.zip", buffer: flipped }, key);
    await expect(result(page)).toHaveAttribute("data-verified", "false");
    await expect(result(page)).toContainText("Failed");
    await expect(page.locator("[data-testid=verify-checks] tbody tr[data-status=fail]").first()).toBeVisible();

    // Not a ZIP at all: a clear message, no exception.
    await uploadToVerifier(page, { name: "notes.zip", buffer: Buffer.from("these are not the bundles you are looking for") }, key);
    await expect(result(page)).toHaveAttribute("data-verified", "false");
    await expect(result(page)).toContainText("Failed");
    await expect(checkRow(page, "zip")).toHaveAttribute("data-status", "fail");
    await expect(checkRow(page, "zip")).toContainText("not a readable ZIP");
  });

  test("the CLI's own demo bundle verifies in the browser", async ({ page }) => {
    requireCli();
    execFileSync(CLI, ["demo", "--out", path.join(scratch, "out")], { cwd: scratch, encoding: "utf8" });
    const zipPath = path.join(scratch, "out", "demo-session-evidence-bundle.zip");
    const publicKey = readFileSync(path.join(scratch, ".cavra", "keys", "cavra-ed25519.pub.pem"), "utf8");

    await openEvidence(page);
    await uploadToVerifier(page, { name: "demo-session-evidence-bundle.zip", buffer: readFileSync(zipPath) }, publicKey);
    await expect(result(page)).toHaveAttribute("data-verified", "true");
    await expect(result(page)).toContainText("Verified");
    await expect(result(page)).toContainText("demo-session-evidence-bundle.zip");
    await expect(checkRow(page, "attestation")).toHaveAttribute("data-status", "pass");
    await expect(checkRow(page, "session_log")).toContainText("7 lines");

    // The same bundle under someone else's key is not verified.
    const other = await page.evaluate(async () => {
      const { cavra } = await import("/js/engine.js");
      return cavra.generateKeyPair("11".repeat(32)).publicKeyPem;
    });
    await page.locator("#evidence-verify-key").fill(other);
    await view(page).getByRole("button", { name: "Verify again with these keys" }).click();
    await expect(result(page)).toHaveAttribute("data-verified", "false");
    await expect(checkRow(page, "signature")).toHaveAttribute("data-status", "fail");
  });

  test("parity: the page's bundle of the demo session is byte-identical to the engine's golden bundle", async ({ page }) => {
    await openEvidence(page);
    const built = await page.evaluate(async (actions) => {
      const { cavra, loadEngine } = await import("/js/engine.js");
      await loadEngine();
      const engine = new cavra.Engine("cavra-ai-agent-baseline", {
        sessionId: "demo-session", agentId: "demo-agent", workspace: "/workspace",
        clock: "2026-11-25T10:00:00.000Z", sequentialIds: true,
      });
      for (const action of actions) engine.evaluate({ ...action, actor: "simulated-ai-agent" });
      const { privateKeyPem } = cavra.generateKeyPair("2a".repeat(32));
      const bundle = engine.bundle({ sign: "ed25519", privateKeyPem });
      const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", bundle.zip));
      return { files: bundle.files as Record<string, string>, sha256: [...digest].map((b) => b.toString(16).padStart(2, "0")).join("") };
    }, CANONICAL_ACTIONS);
    expect(Object.keys(built.files).sort()).toEqual([...BUNDLE_FILES, "manifest.json"].sort());
    for (const [name, text] of Object.entries(built.files)) {
      expect(text, `${name} must equal the golden file`).toBe(readFileSync(path.join(GOLDEN, name), "utf8"));
    }
    expect(built.sha256).toBe(readFileSync(path.join(GOLDEN, "bundle.zip.sha256"), "utf8").trim().split(/\s+/)[0]);
  });

  test("signing modes, keys, retention and legal hold change the bundle", async ({ page }) => {
    await openEvidence(page);
    await addSamples(page);
    const panel = view(page).locator("#evidence-file-panel");

    // Import a private key: its public key and key id are derived in the page, and the bundle is signed with it.
    await view(page).getByText("Sign with your own private key").click();
    await page.locator("#evidence-private-key").fill("not a key");
    await view(page).getByRole("button", { name: "Use this key" }).click();
    await expect(view(page).getByRole("alert").filter({ hasText: "That key was not used" })).toBeVisible();
    await page.locator("#evidence-private-key").fill(SEED_KEY_PEM);
    await view(page).getByRole("button", { name: "Use this key" }).click();
    await expect(page.getByTestId("key-id")).toHaveText(SEED_KEY_ID);
    await expect(page.getByTestId("bundle-signature")).toContainText(SEED_KEY_ID);

    // A generated key replaces it.
    await view(page).getByRole("button", { name: "Generate key pair" }).click();
    await expect(page.getByTestId("key-id")).not.toHaveText(SEED_KEY_ID);
    const generated = await page.getByTestId("key-id").textContent();
    await expect(page.getByTestId("bundle-signature")).toContainText(generated!);

    // Digest only: says it proves integrity, not who; verifies with a warning.
    await view(page).getByLabel(/SHA-256 digest only/).check();
    await expect(page.getByTestId("bundle-signature")).toContainText("SHA-256 digest");
    await expect(view(page).locator(".evidence-signing")).toContainText("does not show who made it");
    await view(page).getByRole("button", { name: "Verify this session's bundle" }).click();
    await expect(result(page)).toHaveAttribute("data-verified", "true");
    await expect(checkRow(page, "signature")).toHaveAttribute("data-status", "warn");

    // HMAC: needs a secret, then verifies with it.
    await view(page).getByLabel(/HMAC-SHA256 secret/).check();
    await expect(page.getByTestId("bundle-problem")).toContainText("Enter a shared secret");
    await expect(page.getByTestId("download-zip")).toBeDisabled();
    await page.locator("#evidence-hmac-secret").fill("correct horse battery staple");
    await expect(page.getByTestId("bundle-signature")).toContainText("HMAC-SHA256");
    await view(page).getByRole("button", { name: "Verify this session's bundle" }).click();
    await expect(result(page)).toHaveAttribute("data-verified", "true");
    await expect(checkRow(page, "signature")).toContainText("HS256 signature verified");
    await page.locator("#evidence-verify-secret").fill("wrong secret");
    await view(page).getByRole("button", { name: "Verify again with these keys" }).click();
    await expect(result(page)).toHaveAttribute("data-verified", "false");
    await expect(checkRow(page, "signature")).toHaveAttribute("data-status", "fail");

    // Retention and legal hold are written into retention-policy.json.
    await page.locator("#evidence-retention").fill("0");
    await expect(view(page).getByText("Retention is a whole number of days, at least 1.")).toBeVisible();
    await page.locator("#evidence-retention").fill("30");
    await view(page).getByLabel(/Legal hold/).check();
    await view(page).getByRole("tab", { name: "retention-policy.json" }).click();
    await expect(panel.locator("pre")).toContainText('"retention_days": 30');
    await expect(panel.locator("pre")).toContainText('"legal_hold": true');
    await expect(panel.locator("pre")).toContainText('"disposition": "retain"');
  });

  test("auditors land on the verifier and the manifest; the palette reaches every evidence command", async ({ page }) => {
    await page.addInitScript(() => localStorage.setItem("cavra.role", "auditor"));
    await page.goto("/");
    await expect(page.locator("body[data-ready=true]")).toBeVisible();
    await expect(view(page)).toBeVisible();
    const order = await view(page).locator(".evidence-layout > *").evaluateAll((blocks) => blocks.map((b) => b.className));
    expect(order[0]).toContain("evidence-verifier");
    await addSamples(page);
    await expect(view(page).getByRole("tab", { name: "manifest.json" })).toHaveAttribute("aria-selected", "true");
    await expect(page.getByTestId("manifest-table")).toBeVisible();

    // Back to developer: the signing and download controls lead again.
    await page.locator("#role-select").selectOption("developer");
    await page.locator("#tab-evidence").click();
    await expect(view(page)).toBeVisible();
    const developerOrder = await view(page).locator(".evidence-layout > *").evaluateAll((blocks) => blocks.map((b) => b.className));
    expect(developerOrder[0]).toContain("evidence-controls");

    // Palette: verify a ZIP focuses the drop zone, which opens the file chooser from the keyboard.
    await page.keyboard.press("Control+k");
    await page.keyboard.type("verify a zip");
    await page.keyboard.press("Enter");
    await expect(page.getByTestId("verify-dropzone")).toBeFocused();
    const [chooser] = await Promise.all([page.waitForEvent("filechooser"), page.keyboard.press("Enter")]);
    expect(chooser.isMultiple()).toBe(false);

    await page.keyboard.press("Control+k");
    await page.keyboard.type("evidence generate key");
    const before = await page.getByTestId("key-id").textContent();
    await page.keyboard.press("Enter");
    await expect(page.getByTestId("key-id")).not.toHaveText(before!);

    const zip = await downloadBytes(page, async () => {
      await page.keyboard.press("Control+k");
      await page.keyboard.type("evidence download zip");
      await page.keyboard.press("Enter");
    });
    expect(zip.name).toBe("cavra-evidence-sandbox-session.zip");
    expect(readZip(zip.buffer)).toHaveLength(BUNDLE_FILES.length + 1);
  });
});
