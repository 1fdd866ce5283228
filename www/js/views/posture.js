// The Posture view: the AI security posture the engine computes from the
// policy in force, the session so far, the enforcement mode and how
// evidence is signed and kept: a score and grade, which action kinds the
// policy governs, MCP trust, signing strength, retention and findings with
// their remediation. The assessment is the engine's (cavra.posture); this
// module only asks and draws.
import { cavra, errorMessage } from "../engine.js";
import { badge, download, el, severityTag } from "../dom.js";
import { scoreGauge } from "../charts.js";

const MODES = [
  ["enforce", "Enforce"],
  ["audit_only", "Audit only (shadow)"],
  ["strict", "Strict"],
  ["break_glass", "Break-glass"],
];

const SIGNING = [
  ["ed25519", "Ed25519 signature"],
  ["hmac", "HMAC-SHA256 secret"],
  ["sha256", "SHA-256 digest only"],
  ["none", "Not signed"],
];

const STRENGTHS = ["none", "weak", "moderate", "strong"];
const DEFAULT_RETENTION_DAYS = 2555;

/** Which result blocks lead for each role (the score always comes first). */
const ROLE_ORDER = {
  developer: ["coverage", "findings", "details"],
  security: ["findings", "coverage", "details"],
  auditor: ["details", "findings", "coverage"],
  executive: ["findings", "coverage", "details"],
};

function plural(count, word, many = `${word}s`) {
  return `${count} ${count === 1 ? word : many}`;
}

/** The colour family of a grade: good, middling, poor. */
function gradeTone(grade) {
  if (grade === "A" || grade === "B") return "good";
  if (grade === "C") return "fair";
  return "poor";
}

/** "3 findings: 1 high, 2 medium". */
function findingSummary(findings) {
  if (findings.length === 0) return "No findings.";
  const bySeverity = new Map();
  for (const f of findings) bySeverity.set(f.severity, (bySeverity.get(f.severity) ?? 0) + 1);
  const parts = [...bySeverity].map(([severity, n]) => `${n} ${severity}`);
  return `${plural(findings.length, "finding")}: ${parts.join(", ")}.`;
}

/** The Evidence view's signing choice and retention, when that view is on the page. */
function evidenceChoice() {
  const radio = document.querySelector("input[name=evidence-sign-mode]:checked");
  const retention = Number(document.getElementById("evidence-retention")?.value);
  return {
    sign: radio?.value ?? null,
    retentionDays: Number.isInteger(retention) && retention >= 1 ? retention : null,
  };
}

class Posture {
  constructor(section, { store, router, palette, say }) {
    this.section = section;
    this.store = store;
    this.router = router;
    this.say = say;
    this.report = null;
    this.dirty = true;
    // The signing and retention follow the Evidence view until changed here.
    this.followsEvidence = { sign: true, retention: true };
    this.section.classList.add("posture-view");
    this.renderSkeleton();
    this.listen(palette);
    this.refresh();
  }

  listen(palette) {
    this.store.addEventListener("change", () => this.invalidate());
    this.router.addEventListener("view", (event) => {
      if (event.detail.id === "posture" && this.dirty) this.refresh();
    });
    document.addEventListener("cavra:role", () => this.arrange());
    // The Evidence view's controls live in the same document: follow them.
    document.addEventListener("change", (event) => this.followEvidence(event));
    document.addEventListener("input", (event) => this.followEvidence(event));
    palette.add({ id: "posture.findings", group: "Posture", title: "Posture: show findings", keywords: "remediation fix gaps risks", run: () => this.reveal("posture-findings-title") });
    palette.add({ id: "posture.coverage", group: "Posture", title: "Posture: show what the policy governs", keywords: "coverage kinds governed", run: () => this.reveal("posture-coverage-title") });
    palette.add({ id: "posture.mode", group: "Posture", title: "Posture: change the enforcement mode", keywords: "enforce audit_only audit strict break_glass shadow", run: () => { this.router.go("posture", { focus: false }); this.modeSelect.focus(); } });
    palette.add({ id: "posture.download", group: "Posture", title: "Posture: download the report (JSON)", keywords: "export score findings", run: () => this.downloadReport() });
  }

  isShown() {
    return !this.section.hidden;
  }

  /** The policy or session changed: recompute now if shown, else when next shown. */
  invalidate() {
    this.dirty = true;
    if (this.isShown()) this.refresh();
  }

  followEvidence(event) {
    const target = event.target;
    if (target?.name === "evidence-sign-mode" && this.followsEvidence.sign) {
      this.signSelect.value = target.value;
      this.invalidate();
    } else if (target?.id === "evidence-retention" && this.followsEvidence.retention) {
      const days = evidenceChoice().retentionDays;
      if (days) {
        this.retentionInput.value = String(days);
        this.invalidate();
      }
    }
  }

  reveal(headingId) {
    this.router.go("posture", { focus: false });
    if (this.dirty) this.refresh();
    const heading = document.getElementById(headingId);
    if (!heading) return;
    heading.tabIndex = -1;
    heading.focus();
    heading.scrollIntoView({ block: "start" });
  }

  role() {
    return document.body.dataset.role in ROLE_ORDER ? document.body.dataset.role : "developer";
  }

  // ------------------------------------------------------------ controls

  renderSkeleton() {
    const chosen = evidenceChoice();
    this.modeSelect = el("select", { id: "posture-mode", "aria-describedby": "posture-mode-help", onchange: () => this.setMode(this.modeSelect.value) },
      MODES.map(([id, label]) => el("option", { value: id }, label)));
    this.signSelect = el("select", { id: "posture-sign", "aria-describedby": "posture-sign-help", onchange: () => { this.followsEvidence.sign = false; this.invalidate(); } },
      SIGNING.map(([id, label]) => el("option", { value: id }, label)));
    this.signSelect.value = chosen.sign ?? "ed25519";
    this.retentionInput = el("input", {
      type: "number", id: "posture-retention", min: 1, step: 1, inputmode: "numeric", value: chosen.retentionDays ?? DEFAULT_RETENTION_DAYS,
      "aria-describedby": "posture-retention-help", oninput: () => { this.followsEvidence.retention = false; this.invalidate(); },
    });
    const field = (id, label, control, help) => el("div", { class: "posture-field" },
      el("label", { class: "field", for: id }, label, control),
      el("span", { class: "posture-help muted", id: `${id}-help` }, help));
    const controls = el("div", { class: "card posture-controls" },
      field("posture-mode", "Enforcement mode", this.modeSelect, "Applies to the whole session: every action is decided again."),
      field("posture-sign", "Signing used for bundles", this.signSelect, "Follows the Evidence view until you change it here."),
      field("posture-retention", "Retention (days)", this.retentionInput, "2555 days is seven years."));
    this.results = el("div", { class: "posture-results" });
    this.section.replaceChildren(
      el("header", { class: "view-header" },
        el("div", {},
          el("h1", {}, "Posture"),
          el("p", {}, "How well this policy, the way evidence is signed and kept, and the enforcement mode govern an AI coding agent, assessed by the engine, with what to fix first."))),
      controls,
      this.results);
  }

  setMode(mode) {
    try {
      this.store.setOptions({ mode });
      this.say(`Mode ${mode}: the session was decided again.`);
    } catch (error) {
      this.modeSelect.value = this.store.options.mode;
      this.say(`The mode was not changed: ${errorMessage(error)}`, { error: true });
    }
  }

  /** The options the engine assesses with, from the controls. */
  options() {
    const sign = this.signSelect.value === "none" ? null : this.signSelect.value;
    const days = Number(this.retentionInput.value);
    const valid = Number.isInteger(days) && days >= 1;
    this.retentionInput.setAttribute("aria-invalid", String(!valid));
    return { sign, retentionDays: valid ? days : DEFAULT_RETENTION_DAYS, mode: this.store.options.mode };
  }

  // ------------------------------------------------------------ results

  refresh() {
    this.dirty = false;
    this.modeSelect.value = this.store.options.mode;
    try {
      this.report = cavra.posture(this.store.policySource, this.store.decisions, this.options());
    } catch (error) {
      this.report = null;
      this.results.replaceChildren(el("div", { class: "card", role: "alert" },
        el("h2", {}, "The posture could not be assessed"),
        el("p", { class: "error" }, errorMessage(error))));
      return;
    }
    this.blocks = {
      coverage: this.coverage(this.report.governed),
      findings: this.findings(this.report.findings),
      details: this.details(this.report),
    };
    this.scoreBlock = this.score(this.report);
    this.arrange();
  }

  /** Puts the blocks in the order the current role reads them. */
  arrange() {
    if (!this.report) return;
    this.results.replaceChildren(this.scoreBlock, ...ROLE_ORDER[this.role()].map((id) => this.blocks[id]));
  }

  score(report) {
    const tone = gradeTone(report.grade);
    const signing = SIGNING.find(([id]) => id === (report.signing.mode ?? "none"))?.[1];
    return el("section", { class: `card posture-score tone-${tone}`, "aria-labelledby": "posture-score-title", "data-grade": report.grade, "data-score": report.score },
      scoreGauge({ score: report.score, grade: report.grade, tone, label: `Grade ${report.grade}, score ${report.score} out of 100` }),
      el("div", { class: "posture-score-text" },
        el("h2", { id: "posture-score-title" }, `Grade ${report.grade} · ${report.score}/100`),
        el("p", { class: "posture-score-summary" }, findingSummary(report.findings)),
        el("dl", { class: "posture-facts" },
          el("dt", {}, "Policy"), el("dd", {}, el("code", {}, report.policy_id)),
          el("dt", {}, "Mode"), el("dd", {}, el("code", {}, report.mode)),
          el("dt", {}, "Signing"), el("dd", {}, signing),
          el("dt", {}, "Retention"), el("dd", {}, `${report.retention.days} days`)),
        el("p", { class: "muted posture-score-note" }, "100 minus points per finding: critical 40, high 15, medium 8, low 3.")));
  }

  findings(findings) {
    const list = findings.length
      ? el("ol", { class: "posture-findings" }, findings.map((f) =>
        el("li", { class: `posture-finding ${f.severity}`, "data-finding": f.id, "data-severity": f.severity },
          el("div", { class: "posture-finding-head" }, severityTag(f.severity), el("h3", {}, f.title)),
          el("p", {}, f.detail),
          el("p", { class: "posture-fix" }, el("strong", {}, "Fix: "), f.remediation),
          el("code", { class: "posture-finding-id" }, f.id))))
      : el("p", { class: "posture-none" }, "✓ No findings: the policy governs every kind of action, evidence is signed and kept long enough, and verdicts are enforced.");
    return el("section", { class: "card", "aria-labelledby": "posture-findings-title" },
      el("h2", { id: "posture-findings-title" }, `Findings (${findings.length})`),
      el("p", { class: "muted" }, "Most severe first, each with what to change."),
      list);
  }

  coverage(kinds) {
    const governed = kinds.filter((k) => k.governed).length;
    return el("section", { class: "card", "aria-labelledby": "posture-coverage-title" },
      el("h2", { id: "posture-coverage-title" }, "What the policy governs"),
      el("p", { class: "muted" }, `${governed} of ${kinds.length} kinds of action have rules of the policy's own; the others fall to CAVRA's defaults.`),
      el("ul", { class: "posture-coverage" }, kinds.map((k) =>
        el("li", { class: `posture-kind ${k.governed ? "governed" : "ungoverned"}`, "data-kind": k.kind, "data-governed": String(k.governed) },
          el("span", { class: "posture-kind-state" }, k.governed ? "✓ Governed" : "✕ Not governed"),
          el("strong", {}, k.label),
          el("span", { class: "posture-kind-detail muted" }, k.detail)))));
  }

  details(report) {
    return el("div", { class: "posture-details" },
      this.mcp(report.mcp), this.signing(report.signing), this.retention(report.retention), this.session(report.session));
  }

  mcp(mcp) {
    const chips = (names) => (names.length ? el("span", { class: "posture-chips" }, names.map((n) => el("code", {}, n))) : el("span", { class: "muted" }, "none"));
    return el("section", { class: "card posture-mcp", "aria-labelledby": "posture-mcp-title" },
      el("h2", { id: "posture-mcp-title" }, "MCP trust"),
      el("dl", { class: "posture-facts" },
        el("dt", {}, "Unknown servers"), el("dd", {}, badge(mcp.unknown_server_verdict)),
        el("dt", {}, "Trusted"), el("dd", {}, chips(mcp.trusted_servers)),
        el("dt", {}, "Blocked"), el("dd", {}, chips(mcp.blocked_servers)),
        el("dt", {}, "Rules"), el("dd", {}, String(mcp.rules)),
        el("dt", {}, "This session"), el("dd", {}, `${plural(mcp.session_calls, "MCP call")}, ${mcp.session_untrusted_calls} to untrusted servers`)));
  }

  signing(signing) {
    const level = STRENGTHS.indexOf(signing.strength);
    return el("section", { class: `card posture-signing strength-${signing.strength}`, "aria-labelledby": "posture-signing-title" },
      el("h2", { id: "posture-signing-title" }, "Signing strength"),
      el("div", { class: "posture-meter", role: "meter", "aria-valuemin": 0, "aria-valuemax": 3, "aria-valuenow": level, "aria-valuetext": signing.strength, "aria-label": "Signing strength" },
        [1, 2, 3].map((n) => el("span", { class: n <= level ? "on" : "" }))),
      el("p", {}, el("strong", {}, signing.strength[0].toUpperCase() + signing.strength.slice(1)), ` · ${signing.mode ?? "unsigned"}`),
      el("p", { class: "muted" }, signing.detail));
  }

  retention(retention) {
    return el("section", { class: `card posture-retention ${retention.meets ? "meets" : "short"}`, "aria-labelledby": "posture-retention-title" },
      el("h2", { id: "posture-retention-title" }, "Retention"),
      el("p", { class: "posture-big" }, `${retention.days} days`),
      el("p", { class: "posture-state" }, retention.meets ? `✓ Meets ${retention.required_days} days (7 years)` : `✕ Below ${retention.required_days} days (7 years)`),
      el("p", { class: "muted" }, retention.detail));
  }

  session(session) {
    const facts = [
      ["Decisions", session.decisions],
      ["Blocked", session.blocked],
      ["Need approval", session.require_approval],
      ["Not enforced", session.not_enforced],
      ["Blocked secret reads", session.blocked_secret_reads],
      ["Average risk", session.average_risk],
    ];
    return el("section", { class: "card posture-session", "aria-labelledby": "posture-session-title" },
      el("h2", { id: "posture-session-title" }, "This session"),
      session.decisions === 0
        ? el("p", { class: "muted" }, "No actions yet: findings about the session appear once the agent acts.")
        : el("dl", { class: "posture-numbers" }, facts.map(([label, value]) => el("div", {}, el("dt", {}, label), el("dd", {}, String(value))))));
  }

  downloadReport() {
    if (this.dirty || !this.report) this.refresh();
    if (!this.report) return;
    download("cavra-posture.json", `${JSON.stringify(this.report, null, 2)}\n`, "application/json");
    this.say(`Downloaded the posture report: grade ${this.report.grade}, ${plural(this.report.findings.length, "finding")}.`);
  }
}

export function mount(section, context) {
  return new Posture(section, context);
}
