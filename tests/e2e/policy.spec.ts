// The Policy view: packs load, the editor validates as you type and marks
// errors at the engine's line and column, policy tests run on each edit, a
// valid edit re-decides the session (and an invalid one does not), the diff
// and the session's "what changed" follow the edit.
import { test, expect, type Page, type TestInfo } from "@playwright/test";
import { collectProblems } from "./helpers";

const BASELINE = "cavra-ai-agent-baseline";

async function openPolicy(page: Page) {
  await page.goto("/#/policy");
  await expect(page.locator("body[data-ready=true]")).toBeVisible();
  await expect(page.locator("#view-policy")).toBeVisible();
  await expect(page.getByTestId("policy-status")).toHaveAttribute("data-valid", "true");
}

const editor = (page: Page) => page.locator("#policy-yaml");

/**
 * Replaces the editor's text as a paste would (one input event) and waits
 * for validation. Not `fill()`: Chromium's insertText takes ~20 s for a
 * 1000-line policy, so whole-text edits go through the value instead; the
 * keyboard tests below type for real.
 */
async function edit(page: Page, change: (text: string) => string) {
  const before = await editor(page).inputValue();
  const after = change(before);
  expect(after, "the edit must change the text").not.toBe(before);
  await editor(page).evaluate((node: HTMLTextAreaElement, text: string) => {
    node.focus();
    node.value = text;
    node.dispatchEvent(new InputEvent("input", { bubbles: true, inputType: "insertFromPaste" }));
  }, after);
  await expect(page.getByTestId("policy-status")).not.toHaveAttribute("data-pending", "true");
}

const ALLOW_ENV = (text: string) => text.replace("  block_read:\n    - .env\n", "  block_read:\n");

async function screenshot(page: Page, testInfo: TestInfo, name = "policy") {
  // From the top, so the sticky header is not painted mid-page.
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path: `test-results/screenshots/${name}-${testInfo.project.name}.png`, fullPage: true });
}

// The offline worker (sw.js) is the shell's concern and checked by its own
// spec; blocking it keeps these checks about the Policy view alone.
test.use({ serviceWorkers: "block" });

test.describe("policy view", () => {
  let problems: string[] = [];

  test.beforeEach(async ({ page }) => {
    problems = collectProblems(page, { requests: true });
  });

  test.afterEach(async ({ page }) => {
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(overflow, "the page must not scroll sideways").toBeLessThanOrEqual(0);
    expect(problems).toEqual([]);
  });

  test("lists every built-in pack and choosing one loads its YAML and puts it in force", async ({ page }, testInfo) => {
    await openPolicy(page);
    const packs = page.locator(".policy-pack");
    expect(await packs.count()).toBeGreaterThanOrEqual(10);
    await expect(page.locator(`#policy-pack-${BASELINE}`)).toBeChecked();
    await expect(editor(page)).toHaveValue(new RegExp(`id: ${BASELINE}\\n`));

    const kubernetes = page.locator('.policy-pack[data-pack="cavra-kubernetes-prod"]');
    await expect(kubernetes).toContainText("Kubernetes production change control");
    await expect(kubernetes).toContainText("Inherits cavra-ai-agent-baseline");
    await kubernetes.click();
    await expect(page.locator("#policy-pack-cavra-kubernetes-prod")).toBeChecked();
    await expect(editor(page)).toHaveValue(/id: cavra-kubernetes-prod\n/);
    await expect(editor(page)).toHaveValue(/kubectl drain\*/);
    await expect(page.getByTestId("policy-status")).toHaveAttribute("data-valid", "true");
    await expect(page.getByTestId("policy-status")).toContainText(/Valid · \d+ rules \+ inherited/);
    await expect(page.getByTestId("policy-in-force")).toContainText("Kubernetes production change control as shipped");
    await expect(page.getByTestId("policy-diff")).toContainText("No changes");

    // Back to the baseline through the keyboard-driven command palette.
    await page.keyboard.press("Control+k");
    await page.keyboard.type("choose pack AI coding agent baseline");
    await page.keyboard.press("Enter");
    await expect(editor(page)).toHaveValue(new RegExp(`id: ${BASELINE}\\n`));
    await expect(page.locator(`#policy-pack-${BASELINE}`)).toBeChecked();
    await screenshot(page, testInfo);
  });

  test("a YAML error is marked at its line and column, blocks nothing new, and fixing it turns the status valid", async ({ page }) => {
    await openPolicy(page);
    const original = await editor(page).inputValue();
    const line = original.split("\n").findIndex((l) => l === '  version: "1.0.0"') + 1;
    expect(line).toBeGreaterThan(1);

    await edit(page, (t) => t.replace('version: "1.0.0"', "version: 1.2"));
    const status = page.getByTestId("policy-status");
    await expect(status).toHaveAttribute("data-valid", "false");
    await expect(status).toHaveText(/1 error/);
    const problem = page.locator(".pe-problem").first();
    await expect(problem).toContainText(`${line}:12`);
    await expect(problem).toContainText("must be a string");
    await expect(problem).toContainText('quote it: version: "1.2"');
    await expect(editor(page)).toHaveAttribute("aria-invalid", "true");
    await expect(page.locator(".pe-underline.error")).toHaveText("1.2");
    await expect(page.locator(".pe-gutter-mark.error")).toHaveCount(1);
    await expect(page.getByTestId("policy-in-force")).toHaveAttribute("data-state", "invalid");
    await expect(page.getByTestId("policy-in-force")).toContainText("last valid policy");
    await expect(page.getByTestId("policy-tests")).toHaveAttribute("data-state", "skipped");

    // The underline sits under the characters it names (the mirror matches the textarea).
    const mark = await page.locator(".pe-underline.error").boundingBox();
    const area = await editor(page).boundingBox();
    const scrollTop = await editor(page).evaluate((node: HTMLTextAreaElement) => node.scrollTop);
    expect(mark && area).toBeTruthy();
    expect(mark!.y - area!.y).toBeCloseTo(10 + (line - 1) * 20 - scrollTop, -1);

    // Clicking the problem puts the caret on it; fix it from the keyboard.
    await problem.locator("button").click();
    await expect(editor(page)).toBeFocused();
    const caret = await editor(page).evaluate((node: HTMLTextAreaElement) => node.selectionStart);
    expect((await editor(page).inputValue()).slice(caret, caret + 3)).toBe("1.2");
    await page.keyboard.type('"');
    await page.keyboard.press("End");
    await page.keyboard.type('"');
    await expect(status).toHaveAttribute("data-valid", "true");
    await expect(status).toHaveText(/Valid · \d+ rules/);
    await expect(page.locator(".pe-problem")).toHaveCount(0);
    await expect(page.getByTestId("policy-in-force")).toHaveAttribute("data-state", "valid");
  });

  test("columns count characters, so an error after an emoji is still found", async ({ page }) => {
    await openPolicy(page);
    await edit(page, (t) => t.replace("  title: AI coding agent baseline", '  title: "😀😀" bad'));
    await expect(page.getByTestId("policy-status")).toHaveAttribute("data-valid", "false");
    await expect(page.locator(".pe-underline.error")).toHaveText("bad");
    await page.locator(".pe-problem button").first().click();
    const caret = await editor(page).evaluate((node: HTMLTextAreaElement) => node.selectionStart);
    expect((await editor(page).inputValue()).slice(caret, caret + 3)).toBe("bad");
  });

  test("broken indentation is an error; Tab indents and Esc then Tab leaves the editor", async ({ page }) => {
    await openPolicy(page);
    const text = await editor(page).inputValue();
    const line = text.split("\n").findIndex((l) => l === "  mode: enforce") + 1;
    await editor(page).evaluate((node: HTMLTextAreaElement, at: number) => {
      node.focus();
      node.setSelectionRange(at, at);
    }, text.indexOf("  mode: enforce"));
    await page.keyboard.press("Tab");
    await expect(editor(page)).toHaveValue(/\n {4}mode: enforce\n/);
    await expect(page.getByTestId("policy-status")).toHaveAttribute("data-valid", "false");
    await expect(page.locator(".pe-problem").first()).toContainText(`${line}:`);
    await page.keyboard.press("Shift+Tab");
    await expect(editor(page)).toHaveValue(text);
    await expect(page.getByTestId("policy-status")).toHaveAttribute("data-valid", "true");

    await page.keyboard.press("Escape");
    await page.keyboard.press("Tab");
    await expect(editor(page)).not.toBeFocused();
    await expect(editor(page)).toHaveValue(text);
  });

  test("policy tests run on every edit and a contradicted test shows what it expected and got", async ({ page }) => {
    await openPolicy(page);
    const tests = page.getByTestId("policy-tests");
    await expect(tests).toHaveAttribute("data-state", "passing");
    const passed = Number(await tests.getAttribute("data-passed"));
    expect(passed).toBeGreaterThan(7);
    await expect(tests.getByTestId("policy-tests-passed")).toHaveText(new RegExp(`${passed} passed`));
    await expect(tests.getByTestId("policy-tests-failed")).toHaveText(/0 failed/);

    await edit(page, ALLOW_ENV);
    await expect(tests).toHaveAttribute("data-state", "failing");
    const failed = Number(await tests.getAttribute("data-failed"));
    expect(failed).toBeGreaterThan(0);
    await expect(tests.getByTestId("policy-tests-failed")).toHaveText(new RegExp(`${failed} failed`));
    const failure = tests.locator(".policy-failure", { hasText: "scenario 1: reading .env is blocked" });
    await expect(failure).toBeVisible();
    await expect(failure.locator("dd").first()).toContainText("Block");
    await expect(failure.locator("dd").first()).toContainText("filesystem.read.block");
    await expect(failure.locator("dd").nth(1)).toContainText("Allow");
    await failure.getByRole("button", { name: /line \d+/ }).click();
    await expect(editor(page)).toBeFocused();
  });

  test("allowing .env reads changes the session's verdict, the diff shows it, and an invalid edit keeps the last valid policy", async ({ page }, testInfo) => {
    await openPolicy(page);
    const session = page.getByTestId("session-changes");
    await expect(session).toHaveAttribute("data-state", "empty");
    await session.getByRole("button", { name: "Try it on the sample actions" }).click();
    await expect(session).toHaveAttribute("data-state", "same");
    await expect(session).toContainText("7 actions");

    await edit(page, ALLOW_ENV);
    await expect(page.getByTestId("policy-status")).toHaveAttribute("data-valid", "true");
    await expect(page.getByTestId("policy-in-force")).toContainText("your edit of AI coding agent baseline");
    await expect(session).toHaveAttribute("data-state", "changed");
    await expect(session).toHaveAttribute("data-changes", "1");
    const row = session.locator("tbody tr", { hasText: "read .env" });
    await expect(row.locator("[data-verdict]").first()).toHaveAttribute("data-verdict", "block");
    await expect(row.locator("[data-verdict]").nth(1)).toHaveAttribute("data-verdict", "allow");
    await expect(session).not.toContainText("null");

    const diff = page.getByTestId("policy-diff");
    await expect(diff).toHaveAttribute("data-state", "changed");
    const change = diff.locator(".policy-change.removed");
    await expect(change).toContainText("filesystem.block_read");
    await expect(change).toContainText(".env");
    const sample = diff.getByTestId("policy-diff-decisions").locator("tr", { hasText: "read .env" }).first();
    await expect(sample).toContainText("Block");
    await expect(sample).toContainText("Allow");
    await screenshot(page, testInfo, "policy-edited");

    // Invalid text: the edit in force stays, and the view says so.
    await edit(page, (t) => t.replace('version: "1.0.0"', "version: 1.2"));
    await expect(page.getByTestId("policy-status")).toHaveAttribute("data-valid", "false");
    await expect(page.getByTestId("policy-in-force")).toContainText("last valid policy (your edit of AI coding agent baseline)");
    await expect(session).toHaveAttribute("data-changes", "1");
    await expect(session).toContainText("Showing the last valid edit");

    await page.getByTestId("policy-reset").click();
    await expect(page.getByTestId("policy-status")).toHaveAttribute("data-valid", "true");
    await expect(editor(page)).not.toHaveValue(/version: 1\.2/);
    await expect(session).toHaveAttribute("data-state", "same");
    await expect(page.getByTestId("policy-diff")).toHaveAttribute("data-state", "same");
  });

  test("download, mode and role", async ({ page }, testInfo) => {
    await openPolicy(page);
    await edit(page, ALLOW_ENV);
    const [file] = await Promise.all([page.waitForEvent("download"), page.getByTestId("policy-download").click()]);
    expect(file.suggestedFilename()).toBe("policy.yaml");
    const saved = await file.path();
    const { readFileSync } = await import("node:fs");
    expect(readFileSync(saved!, "utf8")).toBe(await editor(page).inputValue());

    await page.locator("#policy-mode").selectOption("audit_only");
    await expect(page.getByTestId("policy-in-force")).toContainText("mode audit only");
    await expect(page.getByTestId("policy-in-force")).toContainText("your edit");

    await page.locator("#role-select").selectOption("security");
    await expect(page.locator("#view-policy")).toBeVisible();
    await expect(page.locator(".policy-blocks").locator(":scope > *").nth(1)).toHaveAttribute("data-testid", "policy-diff");
    await page.locator("#role-select").selectOption("executive");
    await page.goto("/#/policy");
    await expect(page.locator("body[data-ready=true]")).toBeVisible();
    await expect(page.locator(".policy-blocks").locator(":scope > *").first()).toHaveAttribute("data-testid", "session-changes");

    // The other themes, kept for a look.
    await page.locator("#role-select").selectOption("security");
    await page.goto("/#/policy");
    await expect(page.locator("body[data-ready=true]")).toBeVisible();
    await edit(page, (t) => ALLOW_ENV(t).replace('version: "1.0.0"', "version: 1.2"));
    for (const theme of ["dark", "contrast"]) {
      await page.locator("#theme-select").selectOption(theme);
      await screenshot(page, testInfo, `policy-${theme}`);
    }
    await page.locator("#theme-select").selectOption("system");
    await page.locator("#role-select").selectOption("developer");
  });
});
