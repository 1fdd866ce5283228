// The Policy view: pick a built-in pack, edit its YAML with live validation,
// run the policy's own tests on every edit, see the diff against the pack it
// started from and which of the session's verdicts the edit changes. A valid
// edit is put in force at once; an invalid one never replaces the last valid.
import { cavra, errorMessage } from "../engine.js";
import { badge, describeAction, download, el } from "../dom.js";
import { SAMPLE_ACTIONS } from "../scenarios.js";
import { PolicyEditor } from "../policy-editor.js";

const VALIDATE_DELAY_MS = 150;

const MODES = [
  { id: "enforce", label: "Enforce", note: "verdicts are enforced" },
  { id: "audit_only", label: "Audit only", note: "verdicts are logged, nothing is stopped" },
  { id: "strict", label: "Strict", note: "verdicts are enforced strictly" },
  { id: "break_glass", label: "Break glass", note: "blocks become approvals, for emergencies" },
];

/** Which blocks each role sees first (DOM order, so keyboard order matches). */
const ROLE_ORDER = {
  developer: ["workspace", "session", "tests", "diff"],
  security: ["workspace", "diff", "tests", "session"],
  auditor: ["tests", "diff", "workspace", "session"],
  executive: ["session", "diff", "tests", "workspace"],
};

/** Sections whose list entries are policy patterns (the rest is metadata, tests, controls). */
const PATTERN_SECTIONS = new Set(["filesystem", "commands", "git", "mcp", "network"]);

/**
 * Counts what a policy text defines, from its layout alone (the engine does
 * not report it): list entries under the governed sections plus the custom
 * `rules:`, and whether it inherits more from a parent pack.
 */
export function countRules(text) {
  let section = null;
  let count = 0;
  let ruleIndent = null;
  let inherits = false;
  for (const line of text.split("\n")) {
    if (/^\s*(#|$)/.test(line)) continue;
    const top = /^([A-Za-z_][\w-]*):/.exec(line);
    if (top) {
      section = top[1];
      ruleIndent = null;
      continue;
    }
    if (section === "metadata" && /^\s+inherits:\s*(\[\s*[^\]\s]|$)/.test(line)) inherits = true;
    if (section === "rules") {
      const item = /^(\s*)- /.exec(line);
      if (item && (ruleIndent === null || item[1].length === ruleIndent)) {
        ruleIndent = item[1].length;
        count += 1;
      }
    } else if (PATTERN_SECTIONS.has(section)) {
      if (/^\s+- /.test(line)) count += 1;
      const flow = /^\s+[\w-]+:\s*\[(.*)\]\s*(#.*)?$/.exec(line);
      if (flow && flow[1].trim()) count += flow[1].split(",").length;
    }
  }
  return { count, inherits };
}

function plural(n, word, many = `${word}s`) {
  return `${n} ${n === 1 ? word : many}`;
}

/** "/filesystem/block_read" -> "filesystem.block_read". */
function readablePath(path) {
  return path.replace(/^\//, "").split("/").join(".") || "(whole policy)";
}

function valueText(value) {
  if (value === null || value === undefined) return "—";
  return typeof value === "string" ? value : JSON.stringify(value);
}

/** What differs between two versions of a custom rule, field by field. */
function ruleFieldChanges(before, after) {
  const keys = [...new Set([...Object.keys(before ?? {}), ...Object.keys(after ?? {})])];
  return keys
    .filter((key) => JSON.stringify(before?.[key]) !== JSON.stringify(after?.[key]))
    .map((key) => ({ key, before: before?.[key], after: after?.[key] }));
}

function ruleSummary(rule) {
  return `${rule.action ?? "any action"} → ${rule.decision ?? "?"}${rule.severity ? ` (${rule.severity})` : ""}${rule.reason ? ` — ${rule.reason}` : ""}`;
}

const CHANGE_KINDS = {
  added: { symbol: "+", word: "Added" },
  removed: { symbol: "−", word: "Removed" },
  changed: { symbol: "~", word: "Changed" },
};

function changeItem(change) {
  const kind = CHANGE_KINDS[change.kind] ?? { symbol: "•", word: change.kind };
  const isRule = change.path.startsWith("/rules/");
  const head = el("div", { class: "policy-change-head" },
    el("span", { class: `policy-change-kind ${change.kind}` }, el("span", { "aria-hidden": "true" }, kind.symbol), ` ${kind.word}`),
    el("code", {}, isRule ? `rule ${change.path.slice("/rules/".length)}` : readablePath(change.path)),
  );
  let body;
  if (isRule && change.kind === "changed") {
    body = el("ul", { class: "policy-field-changes", role: "list" },
      ruleFieldChanges(change.old, change.new).map((f) =>
        el("li", {}, el("span", { class: "muted" }, `${f.key}: `), el("del", {}, valueText(f.before)), " → ", el("ins", {}, valueText(f.after)))));
  } else if (isRule) {
    body = el("p", { class: "policy-change-value" }, ruleSummary(change.new ?? change.old));
  } else if (change.kind === "changed") {
    body = el("p", { class: "policy-change-value" }, el("del", {}, valueText(change.old)), " → ", el("ins", {}, valueText(change.new)));
  } else {
    const value = change.kind === "added" ? change.new : change.old;
    body = el("p", { class: "policy-change-value" }, el(change.kind === "added" ? "ins" : "del", {}, valueText(value)));
  }
  return el("li", { class: `policy-change ${change.kind}` }, head, body);
}

function verdictCell(pair) {
  const [verdict, rule] = pair ?? [];
  return el("td", {}, verdict ? badge(verdict) : "—", rule ? el("div", { class: "policy-rule" }, el("code", {}, rule)) : null);
}

function decisionChangeRow(change) {
  const origin = change.origin?.startsWith("test: ") ? `test “${change.origin.slice(6)}”` : change.origin === "sample" ? "sample action" : change.origin;
  return el("tr", {},
    el("td", {}, el("code", { class: "policy-action" }, describeAction(change.action))),
    el("td", { class: "muted" }, origin ?? ""),
    verdictCell(change.old),
    el("td", { class: "policy-arrow", "aria-hidden": "true" }, "→"),
    verdictCell(change.new),
  );
}

/** Replaces a block's content; `null`/`false` children are skipped (replaceChildren would print them). */
function fill(host, ...children) {
  host.replaceChildren(...children.filter((child) => child !== null && child !== undefined && child !== false));
}

function table(caption, headers, rows, attributes = {}) {
  return el("div", { class: "table-scroll", ...attributes },
    el("table", { class: "policy-table" },
      el("caption", { class: "visually-hidden" }, caption),
      el("thead", {}, el("tr", {}, headers.map((h) => (h === "→" ? el("th", { "aria-hidden": "true" }, "") : el("th", { scope: "col" }, h))))),
      el("tbody", {}, rows)));
}

class PolicyView {
  constructor(section, { store, router, palette, say }) {
    this.section = section;
    this.store = store;
    this.router = router;
    this.palette = palette;
    this.say = say;
    this.packs = cavra.packs().filter((p) => !p.error);
    this.packId = store.policy.packId;
    this.originalText = store.policy.originalText ?? cavra.packSource(this.packId);
    this.valid = true;
    this.selfChange = false;
    this.sessionStale = true;
    this.timer = null;
    this.lastAnnounced = "";
    this.build();
    this.editor.value = store.policy.text ?? this.originalText;
    this.check({ apply: false });
    this.listen();
    this.registerCommands();
    this.applyRole(document.body.dataset.role);
  }

  build() {
    this.editor = new PolicyEditor({ id: "policy-yaml", label: "policy.yaml", onInput: () => this.scheduleCheck() });
    this.modeSelect = el("select", { id: "policy-mode", onchange: (e) => this.setMode(e.target.value) },
      MODES.map((m) => el("option", { value: m.id }, m.label)));
    this.modeSelect.value = this.store.options.mode;
    const toolbar = el("div", { class: "policy-toolbar" },
      el("label", { class: "field policy-mode-field", for: "policy-mode" }, "Mode", this.modeSelect),
      el("button", { type: "button", class: "button secondary", "data-testid": "policy-reset", onclick: () => this.resetToPack() }, "Reset to pack"),
      el("button", { type: "button", class: "button secondary", "data-testid": "policy-download", onclick: () => this.downloadYaml() }, "Download policy.yaml"),
    );
    const header = el("header", { class: "view-header" },
      el("div", {},
        el("h1", {}, "Policy"),
        el("p", {}, "Choose a built-in pack or edit its YAML. Every edit is validated and tested as you type; a valid edit is put in force at once and the session is decided again under it.")),
      toolbar);
    this.inForce = el("p", { class: "policy-in-force", "data-testid": "policy-in-force", role: "note" });
    this.blocks = {
      workspace: this.buildWorkspace(),
      tests: el("section", { class: "card policy-tests", "data-testid": "policy-tests", "aria-labelledby": "policy-tests-title" }),
      diff: el("section", { class: "card policy-diff", "data-testid": "policy-diff", "aria-labelledby": "policy-diff-title" }),
      session: el("section", { class: "card policy-session", "data-testid": "session-changes", "aria-labelledby": "policy-session-title" }),
    };
    this.blockHost = el("div", { class: "policy-blocks" });
    this.announcer = el("p", { class: "visually-hidden", role: "status", "aria-live": "polite" });
    this.section.classList.add("policy-view");
    this.section.replaceChildren(header, this.inForce, this.blockHost, this.announcer);
  }

  buildWorkspace() {
    this.packList = el("div", { class: "policy-pack-list", role: "radiogroup", "aria-labelledby": "policy-packs-title" },
      this.packs.map((pack) => this.packOption(pack)));
    this.status = el("p", { class: "policy-status", "data-testid": "policy-status", "data-valid": "true", id: "policy-status" });
    this.editor.input.setAttribute("aria-describedby", `${this.editor.input.getAttribute("aria-describedby")} policy-status`);
    const packs = el("section", { class: "card policy-packs", "aria-labelledby": "policy-packs-title" },
      el("h2", { id: "policy-packs-title" }, "Built-in packs"),
      el("p", { class: "muted policy-packs-note" }, "Choosing a pack loads its YAML and puts it in force."),
      this.packList);
    const editorCard = el("section", { class: "card policy-editor-card", "aria-labelledby": "policy-editor-title" },
      el("div", { class: "policy-editor-head" },
        el("h2", { id: "policy-editor-title" }, "Edit the policy"),
        this.status),
      this.editor.element);
    return el("div", { class: "policy-workspace" }, packs, editorCard);
  }

  packOption(pack) {
    const inherits = pack.inherits?.length ? `Inherits ${pack.inherits.join(", ")}` : "Base pack: inherits nothing";
    const radio = el("input", { type: "radio", name: "policy-pack", value: pack.id, id: `policy-pack-${pack.id}`, onchange: () => this.choosePack(pack.id) });
    return el("label", { class: "policy-pack", for: radio.id, "data-pack": pack.id },
      radio,
      el("span", { class: "policy-pack-text" },
        el("span", { class: "policy-pack-title" }, pack.title),
        el("span", { class: "policy-pack-meta" }, el("code", {}, pack.id), ` · v${pack.version}`),
        el("span", { class: "policy-pack-description" }, pack.description),
        el("span", { class: "policy-pack-inherits" }, inherits)));
  }

  listen() {
    this.store.addEventListener("change", (event) => {
      if (event.detail.what === "policy" && !this.selfChange) this.syncFromStore();
      this.sessionStale = true;
      if (!this.section.hidden) this.renderSession();
    });
    this.router.addEventListener("view", (event) => {
      if (event.detail.id === "policy" && this.sessionStale) this.renderSession();
    });
    document.addEventListener("cavra:role", (event) => this.applyRole(event.detail.role));
  }

  registerCommands() {
    const inView = (run) => () => {
      this.router.go("policy");
      run();
    };
    this.palette.add({ id: "policy.reset", group: "Policy", title: "Reset to pack", keywords: "undo revert original", run: inView(() => this.resetToPack()) });
    this.palette.add({ id: "policy.download", group: "Policy", title: "Download YAML", keywords: "save export policy.yaml", run: () => this.downloadYaml() });
    this.palette.add({ id: "policy.samples", group: "Policy", title: "Try it on the sample actions", keywords: "scenario run session", run: inView(() => this.runSamples()) });
    for (const pack of this.packs) {
      this.palette.add({ id: `policy.pack.${pack.id}`, group: "Policy", title: `Choose pack ${pack.title}`, keywords: pack.id, run: inView(() => this.choosePack(pack.id)) });
    }
  }

  /** Puts the role's most useful blocks first. */
  applyRole(role) {
    const order = ROLE_ORDER[role] ?? ROLE_ORDER.developer;
    this.blockHost.replaceChildren(...order.map((id) => this.blocks[id]));
    this.blockHost.dataset.lead = order[0];
  }

  // --- Actions -------------------------------------------------------------

  choosePack(id) {
    let text;
    try {
      text = cavra.packSource(id);
    } catch (error) {
      this.say(`The pack ${id} did not load: ${errorMessage(error)}`, { error: true });
      return;
    }
    this.packId = id;
    this.originalText = text;
    this.editor.value = text;
    this.check({ apply: true });
    const pack = this.packs.find((p) => p.id === id);
    this.say(`${pack?.title ?? id} is in force.`);
  }

  resetToPack() {
    this.editor.value = this.originalText;
    this.check({ apply: true });
    this.say("The policy is back to the pack as shipped.");
  }

  downloadYaml() {
    download("policy.yaml", this.editor.value, "application/yaml");
    this.say(this.valid ? "policy.yaml downloaded." : "policy.yaml downloaded; it still has errors, so it will not load as is.", { error: !this.valid });
  }

  setMode(mode) {
    this.selfChange = true;
    try {
      this.store.setOptions({ mode });
    } catch (error) {
      this.say(`The mode did not change: ${errorMessage(error)}`, { error: true });
    } finally {
      this.selfChange = false;
    }
    this.modeSelect.value = this.store.options.mode;
    this.renderInForce();
  }

  runSamples() {
    try {
      for (const action of SAMPLE_ACTIONS) this.store.evaluate(action);
      this.say(`The ${SAMPLE_ACTIONS.length} sample actions were decided under the policy in force.`);
    } catch (error) {
      this.say(`The sample actions did not run: ${errorMessage(error)}`, { error: true });
    }
  }

  // --- Validation ----------------------------------------------------------

  scheduleCheck() {
    clearTimeout(this.timer);
    this.status.dataset.pending = "true";
    this.timer = setTimeout(() => this.check({ apply: true }), VALIDATE_DELAY_MS);
  }

  /** Validates the text; when valid, puts it in force (if `apply`) and runs tests and the diff. */
  check({ apply }) {
    clearTimeout(this.timer);
    delete this.status.dataset.pending;
    const text = this.editor.value;
    let result;
    try {
      result = cavra.validatePolicy(text);
    } catch (error) {
      result = { ok: false, errors: [{ message: errorMessage(error), line: null, column: null, help: null, path: "" }], warnings: [] };
    }
    this.editor.setProblems(result.errors, result.warnings);
    this.valid = result.ok;
    if (result.ok && apply) this.applyPolicy(text);
    this.renderStatus(result, text);
    this.renderTests(result.ok ? text : null);
    this.renderDiff(result.ok ? text : null);
    this.renderPackChoice();
    this.renderInForce();
    this.sessionStale = true;
    if (!this.section.hidden || !apply) this.renderSession();
  }

  isEdited(text = this.editor.value) {
    return text !== this.originalText;
  }

  applyPolicy(text) {
    const edited = this.isEdited(text);
    const wanted = { packId: this.packId, text: edited ? text : null };
    const current = this.store.policy;
    if (current.packId === wanted.packId && current.text === wanted.text && current.originalText === this.originalText) return;
    this.selfChange = true;
    try {
      this.store.setPolicy({ ...wanted, originalText: this.originalText });
    } catch (error) {
      this.valid = false;
      this.say(`The policy was not put in force: ${errorMessage(error)}`, { error: true });
    } finally {
      this.selfChange = false;
    }
  }

  /** Another part of the page (a share link, another view) changed the policy: show it. */
  syncFromStore() {
    const { packId, text, originalText } = this.store.policy;
    this.modeSelect.value = this.store.options.mode;
    const shown = text ?? null;
    const samePack = packId === this.packId;
    if (samePack && ((shown === null && !this.isEdited()) || shown === this.editor.value)) {
      this.renderInForce();
      return;
    }
    this.packId = packId;
    this.originalText = originalText ?? (samePack ? this.originalText : cavra.packSource(packId));
    this.editor.value = shown ?? this.originalText;
    this.check({ apply: false });
  }

  // --- Rendering -----------------------------------------------------------

  renderStatus(result, text) {
    let words;
    if (result.ok) {
      const { count, inherits } = countRules(text);
      words = `Valid · ${plural(count, "rule")}${inherits ? " + inherited" : ""}`;
      if (result.warnings.length) words += ` · ${plural(result.warnings.length, "warning")}`;
    } else {
      words = plural(result.errors.length, "error");
    }
    this.status.dataset.valid = String(result.ok);
    this.status.replaceChildren(el("span", { class: "policy-status-icon", "aria-hidden": "true" }, result.ok ? "✓" : "✕"), words);
    if (words !== this.lastAnnounced) {
      this.lastAnnounced = words;
      this.announcer.textContent = result.ok ? `Policy ${words}.` : `Policy has ${words}; the last valid policy stays in force.`;
    }
  }

  renderPackChoice() {
    for (const option of this.packList.querySelectorAll(".policy-pack")) {
      const chosen = option.dataset.pack === this.packId;
      option.querySelector("input").checked = chosen;
      option.classList.toggle("chosen", chosen);
      if (chosen) this.revealPack(option);
    }
  }

  /** Scrolls the pack list (not the page) so the chosen pack shows, e.g. after the palette chose it. */
  revealPack(option) {
    const list = this.packList;
    const top = option.offsetTop;
    const bottom = top + option.offsetHeight;
    if (top < list.scrollTop) list.scrollTop = top - 4;
    else if (bottom > list.scrollTop + list.clientHeight) list.scrollTop = Math.min(top - 4, bottom - list.clientHeight + 4);
  }

  packTitle(id = this.packId) {
    return this.packs.find((p) => p.id === id)?.title ?? id;
  }

  renderInForce() {
    const mode = MODES.find((m) => m.id === this.store.options.mode) ?? { label: this.store.options.mode, note: "" };
    const inForceEdited = this.store.policy.text !== null;
    const what = inForceEdited ? `your edit of ${this.packTitle()}` : `${this.packTitle()} as shipped`;
    const modeText = ` · mode ${mode.label.toLowerCase()}${mode.note ? ` (${mode.note})` : ""}`;
    this.inForce.dataset.state = this.valid ? "valid" : "invalid";
    this.inForce.replaceChildren(
      el("span", { class: "policy-in-force-icon", "aria-hidden": "true" }, this.valid ? "●" : "▲"),
      this.valid
        ? el("span", {}, el("strong", {}, "In force: "), what, modeText)
        : el("span", {}, el("strong", {}, "Not in force: "), `the text has errors, so the last valid policy (${what}) still decides`, modeText),
    );
  }

  renderTests(text) {
    const title = el("h2", { id: "policy-tests-title" }, "Policy tests");
    const host = this.blocks.tests;
    if (text === null) {
      host.dataset.state = "skipped";
      fill(host, title, el("p", { class: "muted" }, "The tests run again once the YAML is valid."));
      return;
    }
    let report;
    try {
      report = cavra.runPolicyTests(text);
    } catch (error) {
      host.dataset.state = "error";
      fill(host, title, el("p", { class: "error" }, `The tests did not run: ${errorMessage(error)}`));
      return;
    }
    const outcomes = report.outcomes ?? [];
    const failing = outcomes.filter((o) => !o.passed);
    host.dataset.state = failing.length ? "failing" : "passing";
    host.dataset.passed = String(report.passed);
    host.dataset.failed = String(report.failed);
    const counts = el("p", { class: "policy-test-counts" },
      el("span", { class: "policy-count passed", "data-testid": "policy-tests-passed" }, el("span", { "aria-hidden": "true" }, "✓ "), `${report.passed} passed`),
      el("span", { class: `policy-count failed${report.failed ? " some" : ""}`, "data-testid": "policy-tests-failed" }, el("span", { "aria-hidden": "true" }, "✕ "), `${report.failed} failed`),
    );
    const note = outcomes.length === 0
      ? el("p", { class: "muted" }, "This policy has no tests: add a tests: list to pin the verdicts it must give.")
      : failing.length === 0
        ? el("p", { class: "muted" }, `Every test the policy declares gives the verdict and rule it expects.`)
        : el("ul", { class: "policy-failures", role: "list", "aria-label": "Failing tests" }, failing.map((o) => this.failureItem(o)));
    fill(host, title, counts, note, outcomes.length ? this.allTests(outcomes) : null);
  }

  failureItem(outcome) {
    const line = Number(/:(\d+)$/.exec(outcome.source ?? "")?.[1]) || null;
    const got = outcome.error
      ? el("span", { class: "error" }, outcome.error)
      : el("span", {}, badge(outcome.actual), outcome.actual_rule ? el("code", {}, outcome.actual_rule) : null);
    return el("li", { class: "policy-failure" },
      el("div", { class: "policy-failure-name" },
        el("span", { class: "policy-failure-icon", "aria-hidden": "true" }, "✕"),
        el("strong", {}, outcome.name),
        line ? el("button", { type: "button", class: "button ghost policy-line-button", onclick: () => this.editor.moveTo(line, 1) }, `line ${line}`) : null),
      el("dl", { class: "policy-expect" },
        el("dt", {}, "Expected"), el("dd", {}, badge(outcome.expected), outcome.expected_rule ? el("code", {}, outcome.expected_rule) : null),
        el("dt", {}, "Got"), el("dd", {}, got)));
  }

  /** Every outcome, built only when opened (a pack has a hundred or more). */
  allTests(outcomes) {
    const list = el("ul", { class: "policy-all-tests", role: "list" });
    const details = el("details", { class: "policy-all" }, el("summary", {}, `All ${outcomes.length} tests`), list);
    details.addEventListener("toggle", () => {
      if (!details.open || list.childElementCount) return;
      list.append(...outcomes.map((o) => el("li", { class: o.passed ? "passed" : "failed" },
        el("span", { class: "policy-test-mark" }, o.passed ? "✓ pass" : "✕ fail"), " ", o.name)));
    });
    return details;
  }

  renderDiff(text) {
    const host = this.blocks.diff;
    const title = el("h2", { id: "policy-diff-title" }, `Diff against ${this.packTitle()}`);
    if (text === null) {
      host.dataset.state = "skipped";
      fill(host, title, el("p", { class: "muted" }, "The diff updates once the YAML is valid."));
      return;
    }
    if (!this.isEdited(text)) {
      host.dataset.state = "same";
      fill(host, title, el("p", { class: "muted" }, "No changes: this is the pack as shipped. Edit the YAML to see what your change does."));
      return;
    }
    let diff;
    try {
      diff = cavra.diffPolicies(this.originalText, text);
    } catch (error) {
      host.dataset.state = "error";
      fill(host, title, el("p", { class: "error" }, `The diff failed: ${errorMessage(error)}`));
      return;
    }
    host.dataset.state = "changed";
    const changes = diff.changes ?? [];
    const decisions = diff.decision_changes ?? [];
    fill(host,
      title,
      el("p", { class: "policy-diff-summary" }, `${plural(changes.length, "policy change")} · ${plural(decisions.length, "test or sample decision changes", "test or sample decisions change")}`),
      changes.length
        ? el("ul", { class: "policy-changes", role: "list", "aria-label": "Policy changes" }, changes.map(changeItem))
        : el("p", { class: "muted" }, "The text differs only in layout or comments: the policy means the same."),
      decisions.length
        ? el("div", {},
          el("h3", {}, "Decisions that change"),
          table("Decisions of the policy's tests and sample actions that change", ["Action", "From", "Pack", "→", "Your edit"], decisions.map(decisionChangeRow), { "data-testid": "policy-diff-decisions" }))
        : el("p", { class: "muted" }, "No test or sample action changes verdict."),
    );
  }

  renderSession() {
    this.sessionStale = false;
    const host = this.blocks.session;
    const title = el("h2", { id: "policy-session-title" }, "What changed for this session");
    const entries = this.store.entries;
    if (entries.length === 0) {
      host.dataset.state = "empty";
      fill(host, title,
        el("p", { class: "muted" }, "The session has no actions yet. Run some to see which verdicts your edit changes."),
        el("div", { class: "row" },
          el("button", { type: "button", class: "button", "data-testid": "policy-run-samples", onclick: () => this.runSamples() }, "Try it on the sample actions"),
          el("button", { type: "button", class: "button ghost", onclick: () => this.router.go("simulator") }, "Open the simulator")));
      return;
    }
    if (this.store.policy.text === null) {
      host.dataset.state = "same";
      host.dataset.changes = "0";
      fill(host, title, el("p", { class: "muted" }, `The pack is in force as shipped, so none of the session's ${plural(entries.length, "action")} changes verdict. Edit the YAML to compare.`));
      return;
    }
    let rows;
    try {
      // The session is already decided under the edit; the pack's verdicts are the "before".
      rows = this.store.compareUnder(this.packId).map(({ action, before, after }) => ({ action, pack: after, edit: before }));
    } catch (error) {
      host.dataset.state = "error";
      fill(host, title, el("p", { class: "error" }, `The comparison failed: ${errorMessage(error)}`));
      return;
    }
    const changed = rows.filter((r) => r.pack.decision !== r.edit.decision);
    host.dataset.state = changed.length ? "changed" : "same";
    host.dataset.changes = String(changed.length);
    const summary = el("p", { class: "policy-session-summary" },
      changed.length
        ? `${plural(changed.length, "action")} of ${entries.length} would get a different verdict than under ${this.packTitle()}.`
        : `None of the session's ${plural(entries.length, "action")} changes verdict under your edit.`);
    const stale = this.valid ? null : el("p", { class: "policy-stale" }, "Showing the last valid edit: the text has errors.");
    fill(host, title, summary, stale,
      changed.length
        ? table("Session actions whose verdict changes", ["Action", "Under the pack", "→", "Under your edit"], changed.map((r) =>
          el("tr", {},
            el("td", {}, el("code", { class: "policy-action" }, describeAction(r.action))),
            verdictCell([r.pack.decision, r.pack.rule_id]),
            el("td", { class: "policy-arrow", "aria-hidden": "true" }, "→"),
            verdictCell([r.edit.decision, r.edit.rule_id]))))
        : null);
  }
}

export function mount(section, context) {
  return new PolicyView(section, context);
}
