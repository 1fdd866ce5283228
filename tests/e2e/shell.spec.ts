// The shell's release checks, at desktop and mobile sizes: the page loads
// clean (no console errors, no failed requests), every view renders (a
// screenshot of each is kept), no view scrolls the page sideways, axe finds
// no serious or critical accessibility problem in the shell or any view,
// theme and role choices survive a reload (and the role picks the landing
// view and the tab order), the command palette works from the keyboard
// alone, and share links reproduce a session while damaged ones are refused
// with a message. The views are written separately: failures name the view.
import { test, expect, type Page } from "@playwright/test";
import AxeBuilder from "@axe-core/playwright";
import { collectProblems, gotoReady, screenshot, waitReady, type Problems } from "./helpers";

const VIEWS = ["simulator", "policy", "evidence", "dashboard", "posture"] as const;
type View = (typeof VIEWS)[number];

const tab = (page: Page, view: View) => page.locator(`#tab-${view}`);
const panel = (page: Page, view: View) => page.locator(`#view-${view}`);

/** Clicks a view's tab and waits for its panel to be the one shown. */
async function showView(page: Page, view: View) {
  await tab(page, view).click();
  await expect(panel(page, view), `the ${view} view is shown after clicking its tab`).toBeVisible();
  await expect(tab(page, view)).toHaveAttribute("aria-selected", "true");
}

async function tabOrder(page: Page): Promise<string[]> {
  return page.locator("#view-tabs [role=tab]").evaluateAll((tabs) => tabs.map((t) => (t as HTMLElement).dataset.view ?? ""));
}

/** The role table of the page itself (www/js/shell/preferences.js), so this spec follows it. */
async function rolesInPage(page: Page): Promise<Record<string, { lands: View; order: View[] }>> {
  return page.evaluate(async () => {
    const { ROLES } = await import("/js/shell/preferences.js");
    return JSON.parse(JSON.stringify(ROLES));
  });
}

/** The simulator's canonical run, at once (reduced motion): the session then holds seven actions. */
async function runCanonicalScenario(page: Page) {
  await page.emulateMedia({ reducedMotion: "reduce" });
  await showView(page, "simulator");
  await page.locator("[data-scenario=before-the-agent-acts]").click();
  await page.getByTestId("scenario-run").click();
  await expect(page.getByTestId("scenario-totals")).toHaveAttribute("data-total", "7");
}

async function sessionActions(page: Page): Promise<string[]> {
  return page.getByTestId("timeline-item").locator(".sim-item-action").allTextContents();
}

/** axe's serious and critical findings as readable lines: rule, impact, help and the elements' selectors. */
function seriousFindings(results: Awaited<ReturnType<AxeBuilder["analyze"]>>): string[] {
  return results.violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map((v) => `${v.id} (${v.impact}): ${v.help}\n    ${v.nodes.map((n) => n.target.join(" ")).join("\n    ")}`);
}

async function horizontalOverflow(page: Page) {
  return page.evaluate(() => ({ scrollWidth: document.documentElement.scrollWidth, innerWidth: window.innerWidth }));
}

test.describe("shell", () => {
  let problems: Problems = [];

  test.beforeEach(async ({ page }) => {
    problems = collectProblems(page, { requests: true });
  });

  test.afterEach(async () => {
    expect(problems, "console errors, page errors or failed requests").toEqual([]);
  });

  test("the page loads clean and names the engine", async ({ page }) => {
    await gotoReady(page);
    await expect(page.locator("#boot")).toHaveCount(0);
    await expect(page.locator("#engine-version")).toHaveText(/\d+\.\d+\.\d+/);
    await expect(page.locator("[role=tabpanel]:visible")).toHaveCount(1);
    expect(await tabOrder(page)).toHaveLength(VIEWS.length);
  });

  for (const view of VIEWS) {
    test(`the ${view} view renders, fits the screen and is kept as a screenshot`, async ({ page }, testInfo) => {
      await gotoReady(page);
      await showView(page, view);
      const text = (await panel(page, view).innerText()).trim();
      expect(text.length, `the ${view} view has content`).toBeGreaterThan(0);
      expect(text, `the ${view} view mounted`).not.toContain("This view failed to load");
      await expect(page).toHaveURL(new RegExp(`#/${view}$`));
      // Settle entry animations before measuring and capturing.
      await page.waitForTimeout(300);
      const { scrollWidth, innerWidth } = await horizontalOverflow(page);
      expect(scrollWidth, `the ${view} view scrolls the page sideways (${scrollWidth}px wide in a ${innerWidth}px window)`).toBeLessThanOrEqual(innerWidth);
      await screenshot(page, testInfo, `view-${view}`);
    });

    test(`axe finds no serious or critical problem in the ${view} view`, async ({ page }) => {
      await gotoReady(page);
      await showView(page, view);
      await page.waitForTimeout(300);
      const findings = seriousFindings(await new AxeBuilder({ page }).include(`#view-${view}`).analyze());
      expect(findings, `axe in the ${view} view:\n  ${findings.join("\n  ")}`).toEqual([]);
    });
  }

  test("axe finds no serious or critical problem in the shell (header, footer, open palette)", async ({ page }) => {
    await gotoReady(page);
    const shell = seriousFindings(await new AxeBuilder({ page }).exclude(".view").analyze());
    expect(shell, `axe in the shell:\n  ${shell.join("\n  ")}`).toEqual([]);
    await page.locator("#palette-button").click();
    await expect(page.locator("#palette")).toBeVisible();
    const palette = seriousFindings(await new AxeBuilder({ page }).include("#palette").analyze());
    expect(palette, `axe in the palette:\n  ${palette.join("\n  ")}`).toEqual([]);
  });

  test("the chosen theme survives a reload, and every theme changes the page", async ({ page }) => {
    await gotoReady(page);
    const background = () => page.evaluate(() => getComputedStyle(document.body).backgroundColor);
    await page.locator("#theme-select").selectOption("light");
    await expect(page.locator("html")).toHaveAttribute("data-theme", "light");
    const light = await background();
    await page.locator("#theme-select").selectOption("dark");
    await expect(page.locator("html")).toHaveAttribute("data-theme", "dark");
    expect(await background(), "the dark theme has its own background").not.toBe(light);

    await page.reload();
    await waitReady(page);
    await expect(page.locator("html")).toHaveAttribute("data-theme", "dark");
    await expect(page.locator("#theme-select")).toHaveValue("dark");

    await page.locator("#theme-select").selectOption("contrast");
    await page.reload();
    await waitReady(page);
    await expect(page.locator("html")).toHaveAttribute("data-theme", "contrast");
  });

  test("with no choice the theme follows the OS", async ({ page }) => {
    await page.emulateMedia({ colorScheme: "dark" });
    await gotoReady(page);
    await expect(page.locator("html")).toHaveAttribute("data-theme", "system");
    const dark = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
    await page.emulateMedia({ colorScheme: "light" });
    const light = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
    expect(dark).not.toBe(light);
  });

  test("the auditor's role survives a reload, orders the tabs and lands on evidence", async ({ page }) => {
    await gotoReady(page);
    await page.locator("#role-select").selectOption("auditor");
    await expect(page.locator("body")).toHaveAttribute("data-role", "auditor");
    await expect(panel(page, "evidence")).toBeVisible();

    await page.goto("/");
    await waitReady(page);
    await expect(page.locator("body")).toHaveAttribute("data-role", "auditor");
    await expect(page.locator("#role-select")).toHaveValue("auditor");
    await expect(panel(page, "evidence"), "an auditor lands on the evidence view").toBeVisible();
    expect((await tabOrder(page))[0]).toBe("evidence");
  });

  test("every role has its landing view and tab order after a reload", async ({ page }) => {
    await gotoReady(page);
    const roles = await rolesInPage(page);
    expect(Object.keys(roles).sort()).toEqual(["auditor", "developer", "executive", "security"]);
    for (const [role, { lands, order }] of Object.entries(roles)) {
      await page.locator("#role-select").selectOption(role);
      await page.goto("/");
      await waitReady(page);
      await expect(panel(page, lands), `${role} lands on ${lands}`).toBeVisible();
      expect(await tabOrder(page), `${role}'s tab order`).toEqual(order);
    }
  });

  test("the command palette works from the keyboard alone", async ({ page }) => {
    await gotoReady(page);
    const palette = page.locator("#palette");
    const input = page.locator("#palette-input");

    await page.keyboard.press("Control+k");
    await expect(palette).toBeVisible();
    await expect(input).toBeFocused();
    await page.keyboard.type("posture");
    await expect(page.locator("#palette-list [role=option]").first()).toContainText(/posture/i);
    await page.keyboard.press("Enter");
    await expect(palette).toBeHidden();
    await expect(panel(page, "posture")).toBeVisible();
    await expect(page).toHaveURL(/#\/posture$/);

    // Arrows move the highlight; Enter runs the highlighted command.
    await page.keyboard.press("Control+k");
    await page.keyboard.type("theme");
    const options = page.locator("#palette-list [role=option]");
    expect(await options.count()).toBeGreaterThan(1);
    await page.keyboard.press("ArrowDown");
    await expect(options.nth(1)).toHaveAttribute("aria-selected", "true");
    await expect(input).toHaveAttribute("aria-activedescendant", (await options.nth(1).getAttribute("id")) ?? "");
    const chosen = (await options.nth(1).locator(".palette-title").innerText()).trim();
    await page.keyboard.press("Enter");
    await expect(palette).toBeHidden();
    const themeValue = await page.locator("#theme-select").evaluate((select, title) => {
      const option = [...(select as HTMLSelectElement).options].find((o) => o.text.toLowerCase().includes(title.toLowerCase()));
      return option?.value;
    }, chosen);
    await expect(page.locator("html")).toHaveAttribute("data-theme", themeValue ?? "(no theme option matches the palette's title)");

    // Focus stays inside; Escape closes and gives focus back where it was.
    await page.locator("#role-select").focus();
    await page.keyboard.press("Control+k");
    await expect(input).toBeFocused();
    await page.keyboard.press("Tab");
    await expect(input, "Tab keeps focus in the palette").toBeFocused();
    await page.keyboard.press("Escape");
    await expect(palette).toBeHidden();
    await expect(page.locator("#role-select")).toBeFocused();
  });

  test("a share link reproduces the session", async ({ page, context, browserName }, testInfo) => {
    if (browserName === "chromium") await context.grantPermissions(["clipboard-read", "clipboard-write"]);
    await gotoReady(page);
    await runCanonicalScenario(page);
    const actions = await sessionActions(page);
    expect(actions).toHaveLength(7);

    await page.locator("#share-button").click();
    await expect(page).toHaveURL(/#s=1\./);
    const url = page.url();
    await expect(page.locator("#status")).toContainText(/link/i);
    const copied = await page.evaluate(() => navigator.clipboard.readText().catch(() => null));
    if (copied !== null) expect(copied, "the copied link is the one in the address bar").toBe(url);

    const other = await context.newPage();
    const otherProblems = collectProblems(other, { requests: true });
    await other.goto(url);
    await waitReady(other);
    await expect(panel(other, "simulator")).toBeVisible();
    await expect(other.getByTestId("timeline-item")).toHaveCount(7);
    expect(await sessionActions(other)).toEqual(actions);
    await expect(other.getByTestId("scenario-totals")).toHaveAttribute("data-block", "4");
    await expect(other.locator("#status")).toContainText(/shared session/i);
    await expect(other).toHaveURL(/#\/simulator$/);
    await screenshot(other, testInfo, "shell-shared-session");
    expect(otherProblems).toEqual([]);
  });

  for (const fragment of ["s=1.garbage", "s=9.x", "s=1.!!!"]) {
    test(`a damaged share link (#${fragment}) is refused with a message and the page still works`, async ({ page }) => {
      await page.goto(`/#${fragment}`);
      await waitReady(page);
      const status = page.locator("#status");
      await expect(status).toHaveClass(/error/);
      await expect(status).toContainText(/share link/i);
      await expect(page).not.toHaveURL(/#s=/);
      await runCanonicalScenario(page);
      await expect(page.getByTestId("scenario-totals")).toHaveAttribute("data-block", "4");
    });
  }
});
