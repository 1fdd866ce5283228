// The single-file build: scripts/build-single-file writes
// dist/cavra-sandbox.html, which must work opened straight from disk
// (file://, where module imports and wasm fetches are refused): the engine
// loads from the inlined base64, every view mounts, and the canonical
// seven-action run gives 4 block / 1 require_approval / 1 allow /
// 1 allow_with_attestation, with no console errors and no request for
// anything but the file itself.
import { test, expect } from "@playwright/test";
import { execFileSync } from "node:child_process";
import { existsSync, readFileSync, statSync } from "node:fs";
import { resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { CANONICAL_ACTIONS, CANONICAL_VERDICTS, collectProblems, screenshot, waitReady } from "./helpers";

const OUTPUT = resolve("dist/cavra-sandbox.html");
const CANONICAL_RULES = [
  "filesystem.read.block",
  "filesystem.write.require_approval",
  "commands.allow",
  "commands.block",
  "mcp.server.trust.block_unknown",
  "git.protected_branch.block_direct_push",
  "git.pull_request.allow_with_attestation",
];

test.describe("single-file build", () => {
  test.beforeAll(() => {
    const printed = execFileSync(process.execPath, ["scripts/build-single-file"], { encoding: "utf8" });
    expect(printed).toMatch(/cavra-sandbox\.html: [\d.]+ KiB/);
  });

  test("is one self-contained file", () => {
    expect(existsSync(OUTPUT)).toBe(true);
    const html = readFileSync(OUTPUT, "utf8");
    expect(html).not.toMatch(/<link\b[^>]*rel=["']?stylesheet/i);
    expect(html).not.toMatch(/<script\b[^>]*\bsrc=/i);
    expect(html).not.toMatch(/^\s*(import|export)\s/m);
    expect((html.match(/<script type="module">/g) ?? []).length).toBe(1);
    expect(html).toContain('globalThis.CAVRA_WASM_BASE64="AGFzbQ'); // "\0asm", the wasm magic number
    expect(statSync(OUTPUT).size).toBeGreaterThan(100_000);
  });

  test("works from file:// and runs the canonical scenario", async ({ page }, testInfo) => {
    const problems = collectProblems(page, { requests: true });
    const url = pathToFileURL(OUTPUT).href;
    const elsewhere: string[] = [];
    page.on("request", (request) => {
      if (request.url().split("#")[0] !== url && !request.url().startsWith("data:")) elsewhere.push(request.url());
    });
    // Decisions land at once instead of one every 250 ms.
    await page.emulateMedia({ reducedMotion: "reduce" });
    await page.goto(`${url}#/simulator`);
    await waitReady(page);
    await expect(page.locator("#engine-version")).toHaveText(/\d+\.\d+\.\d+/);

    await page.locator("[data-scenario=before-the-agent-acts]").click();
    await page.getByTestId("scenario-run").click();
    const totals = page.getByTestId("scenario-totals");
    await expect(totals).toHaveAttribute("data-total", "7");
    await expect(totals).toHaveAttribute("data-block", "4");
    await expect(totals).toHaveAttribute("data-require-approval", "1");
    await expect(totals).toHaveAttribute("data-allow", "1");
    await expect(totals).toHaveAttribute("data-allow-with-attestation", "1");

    const items = page.getByTestId("timeline-item");
    await expect(items).toHaveCount(CANONICAL_ACTIONS.length);
    expect(await items.evaluateAll((nodes) => nodes.map((n) => (n as HTMLElement).dataset.verdict))).toEqual(CANONICAL_VERDICTS);
    expect(await items.evaluateAll((nodes) => nodes.map((n) => (n as HTMLElement).dataset.rule))).toEqual(CANONICAL_RULES);
    const targets = ["path", "path", "command", "command", "server", "branch", "title"] as const;
    for (const [n, action] of CANONICAL_ACTIONS.entries()) {
      await expect(items.nth(n)).toContainText(String((action as Record<string, unknown>)[targets[n]]));
    }

    // Every view mounted from the one module script.
    for (const view of ["simulator", "policy", "evidence", "dashboard", "posture"]) {
      await page.locator(`#tab-${view}`).click();
      await expect(page.locator(`#view-${view}`)).toBeVisible();
      await expect(page.locator(`#view-${view}`)).not.toBeEmpty();
    }
    await page.locator("#tab-simulator").click();
    await screenshot(page, testInfo, "single-file");

    expect(elsewhere, "the single file fetches nothing else").toEqual([]);
    expect(problems).toEqual([]);
  });
});
