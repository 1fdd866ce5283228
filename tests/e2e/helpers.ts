// Shared helpers for the sandbox's release checks: open the page and wait
// for the engine, collect every console error, page error and failed
// request (a release check fails on any of them), and keep full-page
// screenshots under test-results/screenshots/ as artifacts.
import { expect, type Page, type TestInfo } from "@playwright/test";
import { mkdirSync } from "node:fs";

export const SCREENSHOT_DIR = "test-results/screenshots";

/** The problems a page reported; assert it is empty at the end of a test. */
export type Problems = string[];

/**
 * Starts collecting console errors and uncaught page errors; with
 * `requests: true`, also failed requests and HTTP responses >= 400.
 * Call before `page.goto` so nothing is missed.
 */
export function collectProblems(page: Page, { requests = false }: { requests?: boolean } = {}): Problems {
  const problems: Problems = [];
  page.on("console", (message) => {
    if (message.type() === "error") problems.push(`console error: ${message.text()}`);
  });
  page.on("pageerror", (error) => problems.push(`page error: ${error.message}`));
  if (requests) {
    page.on("requestfailed", (request) => problems.push(`request failed: ${request.url()} (${request.failure()?.errorText})`));
    page.on("response", (response) => {
      if (response.status() >= 400) problems.push(`HTTP ${response.status()}: ${response.url()}`);
    });
  }
  return problems;
}

/** Opens `path` (default "/") and waits until the engine has loaded and the views are mounted. */
export async function gotoReady(page: Page, path = "/"): Promise<void> {
  await page.goto(path);
  await waitReady(page);
}

/** Waits for `body[data-ready=true]`, which app.js sets once the views are mounted. */
export async function waitReady(page: Page): Promise<void> {
  await expect(page.locator("body[data-ready=true]")).toBeAttached({ timeout: 30_000 });
}

/** Saves a full-page screenshot to test-results/screenshots/<name>-<project>.png and returns its path. */
export async function screenshot(page: Page, testInfo: TestInfo, name: string): Promise<string> {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  const path = `${SCREENSHOT_DIR}/${name}-${testInfo.project.name}.png`;
  await page.screenshot({ path, fullPage: true });
  return path;
}

/** The seven actions of the canonical "Before the agent acts" scenario. */
export const CANONICAL_ACTIONS = [
  { type: "file_read", path: ".env" },
  { type: "file_write", path: "iam/admin-role.tf" },
  { type: "command", command: "terraform plan" },
  { type: "command", command: "terraform apply -auto-approve" },
  { type: "mcp_tool_call", server: "unknown-filesystem", tool: "read_file", capability: "filesystem" },
  { type: "git", operation: "push", remote: "origin", branch: "main" },
  { type: "pull_request", title: "Add payment retry logic" },
];

/** Their verdicts under the baseline pack: 4 block, 1 require_approval, 1 allow, 1 allow_with_attestation. */
export const CANONICAL_VERDICTS = ["block", "require_approval", "allow", "block", "block", "block", "allow_with_attestation"];
