// The Dashboard view: an empty session says so and offers the sample
// actions; the seven canonical actions give 4 block / 1 require_approval /
// 1 allow / 1 allow_with_attestation, the charts label every bar with the
// right count (checked against a separate engine in the page), the
// timeline lists every decision, it follows the store (clear), leads with
// the headline for executives, and has no overflow on mobile.
import { test, expect, type Page, type TestInfo } from "@playwright/test";
import { CANONICAL_ACTIONS, collectProblems } from "./helpers";
import AxeBuilder from "@axe-core/playwright";

async function openDashboard(page: Page) {
  await page.goto("/#/dashboard");
  await expect(page.locator("body[data-ready=true]")).toBeAttached();
  await expect(page.locator("#view-dashboard")).toBeVisible();
}

async function addSamples(page: Page) {
  await page.getByRole("button", { name: "Add the sample actions" }).click();
  await expect(page.locator("#view-dashboard .dash-timeline li")).toHaveCount(7);
}

/** Bar label -> count, read from the text drawn beside each bar. */
async function barCounts(page: Page, chartId: string): Promise<Record<string, number>> {
  const rows = page.locator(`#${chartId} .chart-row`);
  const out: Record<string, number> = {};
  for (const row of await rows.all()) {
    const key = await row.getAttribute("data-key");
    out[key ?? "?"] = Number(await row.locator(".chart-count").textContent());
  }
  return out;
}

/** The same actions decided by a fresh engine, independent of the view. */
async function referenceDecisions(page: Page) {
  return page.evaluate(async (actions) => {
    const { loadEngine, cavra } = await import("/js/engine.js");
    await loadEngine();
    const engine = new cavra.Engine("cavra-ai-agent-baseline", { mode: "enforce" });
    return actions.map((a) => engine.evaluate(a)) as { action_type: string; severity: string; decision: string }[];
  }, CANONICAL_ACTIONS);
}

async function screenshot(page: Page, testInfo: TestInfo) {
  // The status toast would cover part of the view.
  await expect(page.locator("#status.shown")).toHaveCount(0, { timeout: 6000 });
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path: `test-results/screenshots/dashboard-${testInfo.project.name}.png`, fullPage: true });
}

test("an empty session says so and points to the simulator", async ({ page }) => {
  const errors = collectProblems(page);
  await openDashboard(page);
  const view = page.locator("#view-dashboard");
  await expect(view.locator("#dashboard-headline")).toHaveText(/No actions yet/);
  await expect(view.locator(".dash-count")).toHaveCount(0);
  await view.getByRole("button", { name: "Open the Simulator" }).click();
  await expect(page).toHaveURL(/#\/simulator$/);
  await expect(page.locator("#view-simulator")).toBeVisible();
  expect(errors).toEqual([]);
});

test("the seven sample actions give 4/1/1/1 with labelled charts and a timeline", async ({ page }, testInfo) => {
  const errors = collectProblems(page);
  await openDashboard(page);
  await addSamples(page);
  const view = page.locator("#view-dashboard");

  const expected = { block: 4, require_approval: 1, allow: 1, allow_with_attestation: 1 };
  for (const [verdict, count] of Object.entries(expected)) {
    const card = view.locator(`.dash-count[data-verdict=${verdict}]`);
    await expect(card.locator(".dash-count-number")).toHaveText(String(count));
    await expect(card.locator(`.badge.${verdict}`)).toBeVisible();
  }
  await expect(view.locator("#dashboard-headline")).toHaveText(
    "7 actions: 4 blocked before they happened, 1 held for a human's approval and 2 allowed (1 with an attestation for reviewers).",
  );

  expect(await barCounts(page, "dashboard-chart-type")).toEqual({
    read_file: 1, write_file: 1, execute_command: 2, git_operation: 1, mcp_tool_call: 1, network_request: 0, pull_request: 1,
  });
  const reference = await referenceDecisions(page);
  const severities: Record<string, number> = { critical: 0, high: 0, medium: 0, low: 0 };
  for (const d of reference) severities[d.severity] += 1;
  expect(await barCounts(page, "dashboard-chart-severity")).toEqual(severities);
  const risk = await barCounts(page, "dashboard-chart-risk");
  expect(Object.values(risk).reduce((a, b) => a + b, 0)).toBe(7);

  // Each chart is named for screen readers and has its numbers as a table.
  for (const id of ["dashboard-chart-type", "dashboard-chart-severity", "dashboard-chart-risk"]) {
    const chart = view.locator(`#${id} svg[role=img]`);
    await expect(chart).toHaveAttribute("aria-labelledby", `${id}-title`);
    await expect(view.locator(`#${id}-title`)).toBeAttached();
    await expect(view.locator(`#${id} table.visually-hidden tbody tr`)).toHaveCount(await view.locator(`#${id} .chart-row`).count());
  }
  await expect(view.locator("#dashboard-chart-type table tbody tr", { hasText: "Commands" }).locator("td")).toHaveText("2");

  const events = view.locator(".dash-timeline li");
  await expect(events.first()).toContainText("read .env");
  await expect(events.first().locator(".badge")).toHaveAttribute("data-verdict", "block");
  await expect(events.first()).toContainText("filesystem.read.block");
  await expect(events.nth(6)).toContainText("Add payment retry logic");
  await expect(events.nth(6).locator(".badge")).toHaveAttribute("data-verdict", "allow_with_attestation");
  for (const [n, d] of reference.entries()) await expect(events.nth(n).locator(".badge")).toHaveAttribute("data-verdict", d.decision);

  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  expect(overflow).toBeLessThanOrEqual(0);
  await screenshot(page, testInfo);
  expect(errors).toEqual([]);
});

test("it follows the session: clearing empties it, new actions add up", async ({ page }) => {
  const errors = collectProblems(page);
  await openDashboard(page);
  await addSamples(page);
  await page.keyboard.press("Control+k");
  await page.keyboard.type("Clear the session");
  await page.keyboard.press("Enter");
  await expect(page.locator("#view-dashboard #dashboard-headline")).toHaveText(/No actions yet/);
  await addSamples(page);
  await page.keyboard.press("Control+k");
  await page.keyboard.type("Dashboard: add the sample");
  await page.keyboard.press("Enter");
  await expect(page.locator("#view-dashboard .dash-timeline li")).toHaveCount(14);
  await expect(page.locator(".dash-count[data-verdict=block] .dash-count-number")).toHaveText("8");
  expect(errors).toEqual([]);
});

test("executives land here and read the headline first", async ({ page }) => {
  const errors = collectProblems(page);
  await page.goto("/");
  await expect(page.locator("body[data-ready=true]")).toBeAttached();
  await page.locator("#role-select").selectOption("executive");
  await expect(page.locator("#view-dashboard")).toBeVisible();
  await addSamples(page);
  const order = await page.locator("#view-dashboard > *").evaluateAll((nodes) => nodes.map((n) => n.className || n.tagName));
  expect(order[1]).toContain("dash-headline");
  expect(order[2]).toContain("dash-counts");
  // Larger than the body text (15px) at every size.
  const size = await page.locator(".dash-headline").evaluate((node) => parseFloat(getComputedStyle(node).fontSize));
  expect(size).toBeGreaterThanOrEqual(17);
  expect(errors).toEqual([]);
});

test("axe finds no serious problem in a full session, in every theme", async ({ page }) => {
  const errors = collectProblems(page);
  await openDashboard(page);
  await addSamples(page);
  for (const theme of ["light", "dark", "contrast"]) {
    await page.locator("#theme-select").selectOption(theme);
    const results = await new AxeBuilder({ page }).include("#view-dashboard").analyze();
    const serious = results.violations
      .filter((v) => v.impact === "serious" || v.impact === "critical")
      .map((v) => `${theme}: ${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(" ")).join(", ")})`);
    expect(serious).toEqual([]);
  }
  expect(errors).toEqual([]);
});
