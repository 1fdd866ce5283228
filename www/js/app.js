// Boots the sandbox: preferences, the engine, the shared session, the
// views, routing, the palette, share links and the offline worker.
import { loadEngine, cavra, errorMessage } from "./engine.js";
import { Store, DEFAULT_PACK } from "./store.js";
import { Router, VIEWS, enableTabKeys } from "./shell/router.js";
import { ROLES, applyRole, applyTheme, currentRole, currentTheme, setRole, setTheme, themes } from "./shell/preferences.js";
import { Palette } from "./shell/palette.js";
import { decodeShare, encodeShare } from "./shell/share.js";
import { say } from "./shell/status.js";
import * as simulator from "./views/simulator.js";
import * as policy from "./views/policy.js";
import * as evidence from "./views/evidence.js";
import * as dashboard from "./views/dashboard.js";
import * as posture from "./views/posture.js";

const MODULES = { simulator, policy, evidence, dashboard, posture };

async function applyShareLink(store) {
  const fragment = location.hash.slice(1);
  if (!fragment.startsWith("s=")) return false;
  try {
    const shared = await decodeShare(fragment);
    if (shared.mode) store.options.mode = shared.mode;
    store.setPolicy({ packId: shared.policy.packId, text: shared.policy.text, originalText: null });
    for (const action of shared.actions) store.evaluate(action);
    say(`Opened a shared session: ${shared.actions.length} actions under ${shared.policy.text ? "an edited policy" : shared.policy.packId}.`);
  } catch (error) {
    say(`This share link was not opened: ${errorMessage(error)}`, { error: true });
  }
  history.replaceState(null, "", `${location.pathname}${location.search}#/simulator`);
  return true;
}

async function copyShareLink(store) {
  const fragment = await encodeShare({
    policy: { packId: store.policy.packId, text: store.policy.text },
    mode: store.options.mode,
    actions: store.entries.map((e) => e.action),
  });
  const url = `${location.href.split("#")[0]}#${fragment}`;
  try {
    await navigator.clipboard.writeText(url);
    say(`Link copied (${url.length} characters): it reproduces this policy and ${store.entries.length} actions.`);
  } catch {
    say("The browser did not allow copying; the link is in the address bar.");
  }
  history.replaceState(null, "", url);
  return url;
}

function registerCommands(palette, router, store) {
  for (const view of VIEWS) {
    palette.add({ id: `view.${view.id}`, group: "Go to", title: view.title, run: () => router.go(view.id) });
  }
  for (const theme of themes()) {
    palette.add({ id: `theme.${theme}`, group: "Theme", title: theme === "contrast" ? "High contrast" : theme[0].toUpperCase() + theme.slice(1), run: () => setTheme(theme) });
  }
  for (const [id, role] of Object.entries(ROLES)) {
    palette.add({ id: `role.${id}`, group: "Role", title: role.title, run: () => { setRole(id); router.go(role.lands); } });
  }
  palette.add({ id: "session.share", group: "Session", title: "Copy share link", run: () => copyShareLink(store) });
  palette.add({ id: "session.clear", group: "Session", title: "Clear the session", keywords: "reset new", run: () => { store.clear(); say("The session is empty."); } });
}

function registerServiceWorker() {
  if (!("serviceWorker" in navigator) || !/^https?:$/.test(location.protocol)) return;
  navigator.serviceWorker.register("sw.js").catch((error) => console.warn(`offline mode unavailable: ${errorMessage(error)}`));
}

async function boot() {
  applyTheme(currentTheme());
  applyRole(currentRole());
  document.getElementById("theme-select").addEventListener("change", (e) => setTheme(e.target.value));

  await loadEngine();
  document.getElementById("engine-version").textContent = cavra.version();

  const store = new Store();
  store.setPolicy({ packId: DEFAULT_PACK });
  const router = new Router(() => ROLES[currentRole()].lands);
  const palette = new Palette();
  const context = { store, router, palette, say };

  document.getElementById("role-select").addEventListener("change", (e) => {
    setRole(e.target.value);
    router.go(ROLES[e.target.value].lands, { focus: false });
  });
  document.getElementById("share-button").addEventListener("click", () => copyShareLink(store));
  registerCommands(palette, router, store);

  for (const view of VIEWS) {
    try {
      MODULES[view.id].mount(document.getElementById(`view-${view.id}`), context);
    } catch (error) {
      document.getElementById(`view-${view.id}`).textContent = `This view failed to load: ${errorMessage(error)}`;
      console.error(error);
    }
  }
  enableTabKeys(router);
  document.getElementById("boot").remove();

  await applyShareLink(store);
  router.sync();
  document.body.dataset.ready = "true";
  registerServiceWorker();
}

boot().catch((error) => {
  const boot = document.getElementById("boot");
  if (boot) boot.innerHTML = `<p class="error">The CAVRA engine did not load: <span></span></p>`;
  boot?.querySelector("span")?.append(errorMessage(error));
  console.error(error);
});
