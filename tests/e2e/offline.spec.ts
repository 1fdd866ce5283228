// Offline: after one visit the service worker (www/sw.js) serves the whole
// sandbox from its cache, so with the network cut the page still loads and
// the engine still decides. Also keeps the worker's precache list honest:
// every .js and .css file under www/ must be in it, and everything it names
// must exist, or offline use would break silently.
import { test, expect, type Page } from "@playwright/test";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { collectProblems, gotoReady, waitReady } from "./helpers";

const WWW = "www";

/** The PRECACHE array of www/sw.js, read as text (the worker is not a module node can import). */
function precacheList(): string[] {
  const source = readFileSync(join(WWW, "sw.js"), "utf8");
  const block = /const PRECACHE = \[([\s\S]*?)\];/.exec(source);
  expect(block, "www/sw.js declares `const PRECACHE = [...]`").not.toBeNull();
  return [...block![1].matchAll(/"([^"]+)"/g)].map((m) => m[1]);
}

/** Every file under www/ whose name ends with one of `extensions`, as a path relative to www/. */
function filesUnder(dir: string, extensions: string[]): string[] {
  const found: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) found.push(...filesUnder(path, extensions));
    else if (extensions.some((ext) => entry.name.endsWith(ext))) found.push(relative(WWW, path).split("\\").join("/"));
  }
  return found;
}

/** Waits until the worker is active and controls the page (a reload makes sure of it). */
async function waitForControllingWorker(page: Page) {
  await page.evaluate(() => navigator.serviceWorker.ready.then(() => undefined));
  await page.reload();
  await waitReady(page);
  await expect.poll(() => page.evaluate(() => Boolean(navigator.serviceWorker.controller))).toBe(true);
}

/** Decides the canonical .env read with a fresh engine from the page's own module graph. */
async function decideInPage(page: Page) {
  return page.evaluate(async () => {
    const { cavra, loadEngine } = await import("/js/engine.js");
    await loadEngine();
    const engine = new cavra.Engine("cavra-ai-agent-baseline", { workspace: "/workspace" });
    const decision = engine.evaluate({ type: "file_read", path: ".env" });
    return { decision: decision.decision, rule: decision.rule_id };
  });
}

test.describe("offline", () => {
  test("the precache list names every stylesheet and module under www/, and nothing missing", () => {
    const listed = precacheList();
    const expected = filesUnder(WWW, [".js", ".css"]).filter((path) => path !== "sw.js");
    const unlisted = expected.filter((path) => !listed.includes(path));
    expect(unlisted, `add these to PRECACHE in www/sw.js (and bump its cache version): ${unlisted.join(", ")}`).toEqual([]);
    for (const shell of ["./", "index.html", "pkg/cavra_web.js", "pkg/cavra_web_bg.wasm"]) expect(listed).toContain(shell);
    const missing = listed.filter((path) => path !== "./" && !existsSync(join(WWW, path)));
    expect(missing, `PRECACHE in www/sw.js names files that do not exist: ${missing.join(", ")}`).toEqual([]);
    expect(new Set(listed).size, "PRECACHE has no duplicates").toBe(listed.length);
  });

  test("with the network cut after the first visit, the sandbox loads and the engine decides", async ({ page, context }) => {
    const problems = collectProblems(page, { requests: true });
    // A cache left by an older version of the worker must go; someone else's cache must stay.
    await page.addInitScript(() => {
      if (sessionStorage.getItem("cavra-test-caches")) return;
      sessionStorage.setItem("cavra-test-caches", "1");
      void caches.open("cavra-sandbox-v0").then((cache) => cache.put("old.txt", new Response("old")));
      void caches.open("someone-else").then((cache) => cache.put("theirs.txt", new Response("theirs")));
    });
    await gotoReady(page);
    await waitForControllingWorker(page);

    const names = await page.evaluate(() => caches.keys());
    const ours = names.filter((name) => name.startsWith("cavra-sandbox-"));
    expect(ours, "one versioned cache of the sandbox, older versions deleted").toHaveLength(1);
    expect(ours[0]).not.toBe("cavra-sandbox-v0");
    expect(names).toContain("someone-else");
    const cached = await page.evaluate(async (name) => {
      const cache = await caches.open(name);
      return (await cache.keys()).map((request) => new URL(request.url).pathname);
    }, ours[0]);
    for (const path of precacheList()) expect(cached, `${path} is precached`).toContain(`/${path === "./" ? "" : path}`);

    await context.setOffline(true);
    expect(await page.evaluate(() => navigator.onLine)).toBe(false);
    await page.reload();
    await waitReady(page);
    await expect(page.locator("#engine-version")).not.toBeEmpty();
    expect(await decideInPage(page)).toEqual({ decision: "block", rule: "filesystem.read.block" });

    // A new navigation (not just a reload) is answered from the cache as well.
    await page.goto("/?from=offline#/policy");
    await waitReady(page);
    await expect(page.locator("#view-policy")).toBeVisible();

    await context.setOffline(false);
    expect(problems).toEqual([]);
  });
});
