// Native/wasm parity: the browser's engine decides every action of
// tests/fixtures/parity-actions.json and each JSON.stringify(decision) must
// equal, character for character, the line the native engine wrote to
// tests/fixtures/parity-decisions.jsonl (engine/tests/parity.rs checks the
// native side against the same file). Also measures the browser's decision
// speed and the page's start-up times, kept in test-results/parity-timing.json.
import { test, expect, type Page } from "@playwright/test";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { collectProblems, gotoReady } from "./helpers";

const ACTIONS_FILE = "tests/fixtures/parity-actions.json";
const DECISIONS_FILE = "tests/fixtures/parity-decisions.jsonl";
const TIMING_FILE = "test-results/parity-timing.json";
const TIMING_RUNS = 15;
const ENGINE_OPTIONS = {
  sessionId: "parity",
  agentId: "parity-agent",
  workspace: "/workspace",
  clock: "2026-11-25T10:00:00.000Z",
  sequentialIds: true,
};

/** The corpus's action lines, exactly as written (the engine gets this text, so key order is kept). */
function actionLines(): string[] {
  const text = readFileSync(ACTIONS_FILE, "utf8");
  const lines = text
    .split("\n")
    .map((line) => line.trim())
    .filter((line) => line.startsWith("{"))
    .map((line) => line.replace(/,$/, ""));
  expect(lines.length, "one action per line of the corpus").toBe(JSON.parse(text).length);
  return lines;
}

function goldenLines(): string[] {
  return readFileSync(DECISIONS_FILE, "utf8").split("\n").filter((line) => line.length > 0);
}

/** Decides every line in a fresh engine in the page; a refused action becomes `{"error": message}`, as natively. */
async function decideInPage(page: Page, lines: string[]): Promise<string[]> {
  return page.evaluate(
    async ({ lines, options }) => {
      const { cavra, loadEngine } = await import("/js/engine.js");
      await loadEngine();
      const engine = new cavra.Engine("cavra-ai-agent-baseline", options);
      return lines.map((line: string) => {
        try {
          return JSON.stringify(engine.evaluate(line));
        } catch (error) {
          return JSON.stringify({ error: (error as Error).message });
        }
      });
    },
    { lines, options: ENGINE_OPTIONS },
  );
}

/** Evaluates the corpus `runs` times (a fresh engine each run, created outside the clock); milliseconds per run. */
async function timeRunsInPage(page: Page, lines: string[], runs: number): Promise<number[]> {
  return page.evaluate(
    async ({ lines, options, runs }) => {
      const { cavra, loadEngine } = await import("/js/engine.js");
      await loadEngine();
      const parsed = lines.map((line: string) => JSON.parse(line));
      const durations: number[] = [];
      for (let run = 0; run < runs; run += 1) {
        const engine = new cavra.Engine("cavra-ai-agent-baseline", options);
        const started = performance.now();
        for (const action of parsed) {
          try {
            engine.evaluate(action);
          } catch {
            // The few invalid actions of the corpus are refused; that is part of the work measured.
          }
        }
        durations.push(performance.now() - started);
      }
      return durations;
    },
    { lines, options: ENGINE_OPTIONS, runs },
  );
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

test.describe("native/wasm parity", () => {
  test.beforeEach(({}, testInfo) => {
    test.skip(testInfo.project.name !== "desktop", "parity is a property of the engine, not of the viewport");
  });

  test("every decision of the corpus is the native decision, character for character", async ({ page }) => {
    const problems = collectProblems(page);
    const lines = actionLines();
    const golden = goldenLines();
    expect(lines.length).toBeGreaterThanOrEqual(220);
    expect(golden.length, `${DECISIONS_FILE} has one line per action`).toBe(lines.length);

    await gotoReady(page);
    const decided = await decideInPage(page, lines);
    const mismatches = decided
      .map((got, n) => (got === golden[n] ? null : `line ${n + 1}: ${lines[n]}\n  native ${golden[n]}\n  wasm   ${got}`))
      .filter(Boolean);
    expect(mismatches, mismatches.join("\n")).toEqual([]);
    // A corpus the engine mostly refused would prove nothing.
    expect(decided.filter((line) => line.startsWith('{"error"')).length).toBeLessThan(10);
    expect(problems).toEqual([]);
  });

  test("decision speed and start-up times are recorded", async ({ page }, testInfo) => {
    const problems = collectProblems(page);
    // Notes the moment app.js sets body[data-ready]: set before any page script runs.
    await page.addInitScript(() => {
      new MutationObserver((_, observer) => {
        if (document.body?.dataset.ready === "true") {
          (globalThis as any).__cavraReadyAt = performance.now();
          observer.disconnect();
        }
      }).observe(document, { subtree: true, attributes: true, attributeFilter: ["data-ready"] });
    });
    await gotoReady(page, "/#/simulator");
    const readyMs = await page.evaluate(() => (globalThis as any).__cavraReadyAt as number);

    // The store marks its first evaluate; if no view decided on load, the user's first click does.
    let trigger = "page load";
    let firstDecision = await page.evaluate(() => performance.getEntriesByName("cavra:first-decision")[0]?.startTime ?? null);
    if (firstDecision === null) {
      trigger = "Simulator's Run all, clicked once the page was ready";
      await page.getByTestId("scenario-run").click();
      await page.waitForFunction(() => performance.getEntriesByName("cavra:first-decision").length > 0);
      firstDecision = await page.evaluate(() => performance.getEntriesByName("cavra:first-decision")[0].startTime);
    }

    const lines = actionLines();
    const runs = await timeRunsInPage(page, lines, TIMING_RUNS);
    const total = runs.reduce((sum, ms) => sum + ms, 0);
    const timing = {
      browser: page.context().browser()?.version(),
      actions: lines.length,
      runs: TIMING_RUNS,
      decisionsPerSecond: Math.round((lines.length * TIMING_RUNS) / (total / 1000)),
      medianMicrosPerDecision: Number(((median(runs) * 1000) / lines.length).toFixed(1)),
      navigationToReadyMs: Number(readyMs.toFixed(1)),
      navigationToFirstDecisionMs: Number(firstDecision.toFixed(1)),
      firstDecisionTrigger: trigger,
    };
    console.log(`parity timing: ${JSON.stringify(timing)}`);
    mkdirSync("test-results", { recursive: true });
    writeFileSync(TIMING_FILE, `${JSON.stringify(timing, null, 2)}\n`);
    await testInfo.attach("parity-timing.json", { path: TIMING_FILE, contentType: "application/json" });

    expect(timing.decisionsPerSecond).toBeGreaterThan(0);
    expect(timing.navigationToReadyMs).toBeGreaterThan(0);
    // A decision the user's click caused cannot come before the page was ready.
    if (trigger !== "page load") expect(timing.navigationToFirstDecisionMs).toBeGreaterThanOrEqual(timing.navigationToReadyMs);
    expect(problems).toEqual([]);
  });
});
