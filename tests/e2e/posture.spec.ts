// The Posture view: the engine's assessment drawn in the page. The
// baseline pack scores an A with every kind governed; the sample session
// adds its finding; switching the mode to audit_only adds "nothing is
// enforced" (and back); digest-only signing is a finding; the signing
// choice follows the Evidence view; a permissive policy (opened from a
// share link) shows its gaps; no overflow on mobile; no console errors.
import { test, expect, type Page, type TestInfo } from "@playwright/test";
import { collectProblems } from "./helpers";
import AxeBuilder from "@axe-core/playwright";

const PERMISSIVE = `metadata:
  id: permissive
  title: Lets everything through
  version: "1"
commands:
  allow: ["*"]
  default: allow
mcp:
  block_unknown_servers: false
`;

async function ready(page: Page, url: string) {
  await page.goto(url);
  await expect(page.locator("body[data-ready=true]")).toBeAttached();
}

async function runCommand(page: Page, title: string) {
  await page.keyboard.press("Control+k");
  await page.keyboard.type(title);
  await page.keyboard.press("Enter");
}

async function addSamples(page: Page) {
  await runCommand(page, "Dashboard: add the sample actions");
  await expect(page.locator("#view-dashboard .dash-timeline li")).toHaveCount(7);
  await page.locator("#tab-posture").click();
  await expect(page.locator("#view-posture")).toBeVisible();
}

const view = (page: Page) => page.locator("#view-posture");
const finding = (page: Page, id: string) => view(page).locator(`.posture-finding[data-finding="${id}"]`);

test("the baseline scores an A, and the sample session adds its finding", async ({ page }, testInfo) => {
  const errors = collectProblems(page);
  await ready(page, "/#/posture");
  const score = view(page).locator(".posture-score");
  await expect(score).toHaveAttribute("data-grade", "A");
  await expect(score).toHaveAttribute("data-score", "100");
  await expect(score.locator("svg[role=img]")).toHaveAttribute("aria-label", "Grade A, score 100 out of 100");
  await expect(view(page).locator("#posture-findings-title")).toHaveText("Findings (0)");
  await expect(view(page).locator(".posture-kind")).toHaveCount(7);
  await expect(view(page).locator(".posture-kind[data-governed=true]")).toHaveCount(7);
  await expect(view(page).locator(".posture-mcp .badge")).toHaveAttribute("data-verdict", "block");
  await expect(view(page).locator(".posture-signing")).toContainText("Strong");

  await addSamples(page);
  await expect(finding(page, "session.secret_reads")).toContainText(".env");
  await expect(finding(page, "session.secret_reads").locator(".posture-fix")).not.toBeEmpty();
  await expect(score).toHaveAttribute("data-score", "97");
  await expect(view(page).locator(".posture-session")).toContainText("7");
  await expect(view(page).locator(".posture-mcp")).toContainText("1 MCP call, 1 to untrusted servers");

  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  expect(overflow).toBeLessThanOrEqual(0);
  await expect(page.locator("#status.shown")).toHaveCount(0, { timeout: 6000 });
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path: `test-results/screenshots/posture-${testInfo.project.name}.png`, fullPage: true });
  expect(errors).toEqual([]);
});

test("audit_only mode adds the 'nothing is enforced' finding, enforce removes it", async ({ page }) => {
  const errors = collectProblems(page);
  await ready(page, "/#/posture");
  await addSamples(page);
  await view(page).getByLabel("Enforcement mode").selectOption("audit_only");
  const auditOnly = finding(page, "mode.audit_only");
  await expect(auditOnly).toContainText("Mode audit_only: nothing is enforced");
  await expect(auditOnly).toHaveAttribute("data-severity", "critical");
  await expect(view(page).locator(".posture-finding").first()).toHaveAttribute("data-finding", "mode.audit_only");
  await expect(finding(page, "session.not_enforced")).toBeVisible();
  await expect(view(page).locator(".posture-score")).toHaveAttribute("data-grade", "F");
  // The whole session was decided again in the new mode.
  await page.locator("#tab-dashboard").click();
  await expect(page.locator("#dashboard-headline")).toContainText("Audit-only mode");
  await page.locator("#tab-posture").click();
  await view(page).getByLabel("Enforcement mode").selectOption("enforce");
  await expect(auditOnly).toHaveCount(0);
  await expect(view(page).locator(".posture-score")).toHaveAttribute("data-grade", "A");
  expect(errors).toEqual([]);
});

test("digest-only signing is a finding, and signing follows the Evidence view", async ({ page }) => {
  const errors = collectProblems(page);
  await ready(page, "/#/posture");
  await view(page).getByLabel("Signing used for bundles").selectOption("sha256");
  await expect(finding(page, "signing.digest_only")).toContainText("integrity without origin");
  await expect(view(page).locator(".posture-signing")).toContainText("Weak");
  await view(page).getByLabel("Signing used for bundles").selectOption("ed25519");
  await expect(finding(page, "signing.digest_only")).toHaveCount(0);

  // A fresh page: the posture follows the choice made in Evidence.
  await ready(page, "/?fresh=1#/evidence");
  await page.locator("input[name=evidence-sign-mode][value=sha256]").check();
  await page.locator("#tab-posture").click();
  await expect(view(page).getByLabel("Signing used for bundles")).toHaveValue("sha256");
  await expect(finding(page, "signing.digest_only")).toBeVisible();

  await view(page).getByLabel("Retention (days)").fill("365");
  await expect(finding(page, "retention.short")).toBeVisible();
  await expect(view(page).locator(".posture-retention")).toContainText("Below 2555 days");
  expect(errors).toEqual([]);
});

test("a permissive policy shows its gaps", async ({ page }) => {
  const errors = collectProblems(page);
  await ready(page, "/");
  const fragment = await page.evaluate(async (text) => {
    const { encodeShare } = await import("/js/shell/share.js");
    return encodeShare({ policy: { packId: "cavra-ai-agent-baseline", text }, mode: "enforce", actions: [] });
  }, PERMISSIVE);
  await ready(page, `/?fresh=1#${fragment}`);
  await page.locator("#tab-posture").click();
  await expect(finding(page, "mcp.unknown_allowed")).toContainText("Unknown MCP servers are allowed");
  await expect(finding(page, "coverage.file_read")).toContainText("No rule for file reads");
  await expect(finding(page, "coverage.network")).toBeVisible();
  await expect(view(page).locator('.posture-kind[data-kind="file_read"]')).toHaveAttribute("data-governed", "false");
  await expect(view(page).locator('.posture-kind[data-kind="file_read"]')).toContainText("Not governed");
  await expect(view(page).locator(".posture-mcp .badge")).toHaveAttribute("data-verdict", "allow");
  await expect(view(page).locator(".posture-score")).toHaveAttribute("data-grade", "F");
  // Most severe first.
  const severities = await view(page).locator(".posture-finding").evaluateAll((nodes) => nodes.map((n) => n.getAttribute("data-severity")));
  const rank = ["critical", "high", "medium", "low", "info"];
  expect([...severities].sort((a, b) => rank.indexOf(a!) - rank.indexOf(b!))).toEqual(severities);
  expect(errors).toEqual([]);
});

test("axe finds no serious problem in a full session, in every theme", async ({ page }) => {
  const errors = collectProblems(page);
  await ready(page, "/#/posture");
  await addSamples(page);
  await view(page).getByLabel("Signing used for bundles").selectOption("sha256");
  for (const theme of ["light", "dark", "contrast"]) {
    await page.locator("#theme-select").selectOption(theme);
    const results = await new AxeBuilder({ page }).include("#view-posture").analyze();
    const serious = results.violations
      .filter((v) => v.impact === "serious" || v.impact === "critical")
      .map((v) => `${theme}: ${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(" ")).join(", ")})`);
    expect(serious).toEqual([]);
  }
  expect(errors).toEqual([]);
});
