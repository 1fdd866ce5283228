// The Dashboard view: the session at a glance. Verdict counts, charts by
// action type, severity and risk, a one-sentence headline and the session
// timeline, all redrawn from the store whenever the session changes.
import { errorMessage } from "../engine.js";
import { badge, describeAction, download, el, severityTag } from "../dom.js";
import { SAMPLE_ACTIONS } from "../scenarios.js";
import { barChart } from "../charts.js";

const VERDICTS = [
  { id: "block", note: (n, enforced) => (enforced ? `stopped before ${n === 1 ? "it" : "they"} happened` : "would have been stopped") },
  { id: "require_approval", note: () => "waiting for a human" },
  { id: "allow", note: () => "went ahead" },
  { id: "allow_with_attestation", note: () => "went ahead, attested for reviewers" },
];

/** Decision-record action types, in the order the charts list them. */
const ACTION_TYPES = [
  ["read_file", "File reads"],
  ["write_file", "File writes"],
  ["execute_command", "Commands"],
  ["git_operation", "Git"],
  ["mcp_tool_call", "MCP tool calls"],
  ["network_request", "Network"],
  ["pull_request", "Pull requests"],
];

const SEVERITIES = ["critical", "high", "medium", "low"];

/** Risk score buckets, with the severity colour each one borrows. */
const RISK_BUCKETS = [
  { label: "75–100", min: 75, max: 100, tone: "critical" },
  { label: "50–74", min: 50, max: 74, tone: "high" },
  { label: "25–49", min: 25, max: 49, tone: "medium" },
  { label: "0–24", min: 0, max: 24, tone: "low" },
];

/** Which blocks lead for each role (the headline always comes first). */
const ROLE_ORDER = {
  developer: ["counts", "timeline", "charts"],
  security: ["counts", "charts", "timeline"],
  auditor: ["counts", "timeline", "charts"],
  executive: ["counts", "charts", "timeline"],
};

function plural(count, word, many = `${word}s`) {
  return `${count} ${count === 1 ? word : many}`;
}

/** "a", "a and b", "a, b and c". */
function listing(parts) {
  if (parts.length <= 1) return parts.join("");
  return `${parts.slice(0, -1).join(", ")} and ${parts[parts.length - 1]}`;
}

function countBy(decisions, key) {
  const counts = new Map();
  for (const decision of decisions) counts.set(decision[key], (counts.get(decision[key]) ?? 0) + 1);
  return counts;
}

/** The one-sentence summary an executive reads first. */
export function headline(decisions) {
  if (decisions.length === 0) return "No actions yet: this session is empty.";
  const verdicts = countBy(decisions, "decision");
  const blocked = verdicts.get("block") ?? 0;
  const approval = verdicts.get("require_approval") ?? 0;
  const attested = verdicts.get("allow_with_attestation") ?? 0;
  const allowed = (verdicts.get("allow") ?? 0) + attested;
  const enforced = decisions.every((d) => d.enforced);
  const parts = [];
  if (blocked) parts.push(enforced ? `${blocked} blocked before ${blocked === 1 ? "it" : "they"} happened` : `${blocked} that would have been blocked`);
  if (approval) parts.push(`${approval} held for a human's approval`);
  if (allowed) parts.push(`${allowed} allowed${attested ? ` (${attested} with an attestation for reviewers)` : ""}`);
  const sentence = `${plural(decisions.length, "action")}: ${listing(parts)}.`;
  return enforced ? sentence : `${sentence} Audit-only mode: nothing was stopped, only recorded.`;
}

function timeOf(timestamp) {
  const date = new Date(timestamp);
  if (Number.isNaN(date.getTime())) return timestamp ?? "";
  return date.toLocaleTimeString([], { hour: "2-digit", minute: "2-digit", second: "2-digit", hour12: false });
}

/** A CSV cell: quoted, and defused so spreadsheets never run it as a formula. */
function csvCell(value) {
  let text = String(value ?? "");
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return `"${text.replace(/"/g, '""')}"`;
}

/** The session as CSV, one decision per line. */
export function sessionCsv(entries) {
  const header = ["timestamp", "action", "verdict", "effective_verdict", "rule", "severity", "risk_score", "reason"];
  const lines = entries.map(({ action, decision }) => [
    decision.timestamp, describeAction(action), decision.decision, decision.effective_decision,
    decision.rule_id, decision.severity, decision.risk_score, decision.reason,
  ].map(csvCell).join(","));
  return [header.join(","), ...lines].join("\r\n") + "\r\n";
}

class Dashboard {
  constructor(section, { store, router, palette, say }) {
    this.section = section;
    this.store = store;
    this.router = router;
    this.say = say;
    this.section.classList.add("dashboard-view");
    this.dirty = true;
    this.store.addEventListener("change", () => this.invalidate());
    document.addEventListener("cavra:role", () => this.invalidate());
    this.router.addEventListener("view", (event) => {
      if (event.detail.id === "dashboard" && this.dirty) this.render();
    });
    this.registerCommands(palette);
    this.render();
  }

  registerCommands(palette) {
    palette.add({ id: "dashboard.sample", group: "Dashboard", title: "Dashboard: add the sample actions", keywords: "seven canonical scenario demo before the agent acts", run: () => { this.router.go("dashboard", { focus: false }); this.addSamples(); } });
    palette.add({ id: "dashboard.timeline", group: "Dashboard", title: "Dashboard: show the session timeline", keywords: "history log decisions", run: () => this.reveal("dashboard-timeline-title") });
    palette.add({ id: "dashboard.charts", group: "Dashboard", title: "Dashboard: show the charts", keywords: "severity action type risk", run: () => this.reveal("dashboard-charts-title") });
    palette.add({ id: "dashboard.csv", group: "Dashboard", title: "Dashboard: download the session as CSV", keywords: "export spreadsheet decisions", run: () => this.downloadCsv() });
  }

  /** Shows the view and moves focus to one of its headings. */
  reveal(headingId) {
    this.router.go("dashboard", { focus: false });
    if (this.dirty) this.render();
    const heading = document.getElementById(headingId);
    if (!heading) {
      this.say("The session is empty: add actions first.");
      return;
    }
    heading.tabIndex = -1;
    heading.focus();
    heading.scrollIntoView({ block: "start" });
  }

  addSamples() {
    try {
      for (const action of SAMPLE_ACTIONS) this.store.evaluate(action);
      this.say(headline(this.store.decisions));
    } catch (error) {
      this.say(`The sample actions were not added: ${errorMessage(error)}`, { error: true });
    }
  }

  downloadCsv() {
    if (this.store.entries.length === 0) {
      this.say("The session is empty: there is nothing to download.");
      return;
    }
    download("cavra-session.csv", sessionCsv(this.store.entries), "text/csv");
    this.say(`Downloaded ${plural(this.store.entries.length, "decision")} as CSV.`);
  }

  role() {
    return document.body.dataset.role in ROLE_ORDER ? document.body.dataset.role : "developer";
  }

  /** The session changed: redraw now if shown, else when next shown. */
  invalidate() {
    this.dirty = true;
    if (!this.section.hidden) this.render();
  }

  render() {
    this.dirty = false;
    const entries = this.store.entries;
    const decisions = entries.map((e) => e.decision);
    const header = el("header", { class: "view-header" },
      el("div", {},
        el("h1", {}, "Dashboard"),
        el("p", {}, "What the agent did in this session and what CAVRA decided, at a glance.")));
    const summary = el("p", { class: "dash-headline", id: "dashboard-headline" }, headline(decisions));
    if (decisions.length === 0) {
      this.section.replaceChildren(header, summary, this.emptyState());
      return;
    }
    const blocks = {
      counts: this.counts(decisions),
      charts: this.charts(decisions),
      timeline: this.timeline(entries),
    };
    this.section.replaceChildren(header, summary, ...ROLE_ORDER[this.role()].map((id) => blocks[id]));
  }

  emptyState() {
    return el("div", { class: "card dash-empty" },
      el("h2", {}, "Nothing has happened yet"),
      el("p", { class: "muted" }, "Run a scenario or build an action in the Simulator, or add the seven sample actions of “Before the agent acts” here: an agent reading .env, editing IAM, planning and applying Terraform, calling an unknown MCP server, pushing to main and opening a pull request."),
      el("div", { class: "row" },
        el("button", { type: "button", class: "button", id: "dashboard-add-samples", onclick: () => this.addSamples() }, "Add the sample actions"),
        el("button", { type: "button", class: "button secondary", onclick: () => this.router.go("simulator") }, "Open the Simulator")));
  }

  counts(decisions) {
    const verdicts = countBy(decisions, "decision");
    const enforced = decisions.every((d) => d.enforced);
    return el("section", { class: "dash-counts", "aria-labelledby": "dashboard-counts-title" },
      el("h2", { class: "visually-hidden", id: "dashboard-counts-title" }, "Decisions by verdict"),
      VERDICTS.map(({ id, note }) => {
        const n = verdicts.get(id) ?? 0;
        return el("div", { class: `card dash-count ${id}`, "data-verdict": id, "data-count": n },
          el("span", { class: "dash-count-number" }, String(n)),
          badge(id),
          el("span", { class: "dash-count-note muted" }, n ? note(n, enforced) : "none in this session"));
      }));
  }

  charts(decisions) {
    const types = countBy(decisions, "action_type");
    const severities = countBy(decisions, "severity");
    const risks = decisions.map((d) => d.risk_score);
    const average = Math.round(risks.reduce((a, b) => a + b, 0) / risks.length);
    const byType = barChart({
      id: "dashboard-chart-type", title: "Actions by type",
      rows: ACTION_TYPES.map(([key, label]) => ({ key, label, value: types.get(key) ?? 0, tone: "accent" })),
    });
    const bySeverity = barChart({
      id: "dashboard-chart-severity", title: "Actions by severity",
      rows: SEVERITIES.map((key) => ({ key, label: key[0].toUpperCase() + key.slice(1), value: severities.get(key) ?? 0, tone: key })),
    });
    const byRisk = barChart({
      id: "dashboard-chart-risk", title: "Risk score distribution", valueHeading: "Actions",
      rows: RISK_BUCKETS.map((b) => ({ key: b.label, label: `Risk ${b.label}`, value: risks.filter((r) => r >= b.min && r <= b.max).length, tone: b.tone })),
    });
    return el("section", { class: "dash-charts-block", "aria-labelledby": "dashboard-charts-title" },
      el("h2", { id: "dashboard-charts-title" }, "Breakdown"),
      el("div", { class: "dash-charts" },
        el("div", { class: "card" }, byType),
        el("div", { class: "card" }, bySeverity),
        el("div", { class: "card dash-risk" },
          el("div", { class: "dash-risk-numbers" },
            el("p", {}, el("span", { class: "dash-risk-number", id: "dashboard-risk-average" }, String(average)), el("span", { class: "muted" }, "average risk")),
            el("p", {}, el("span", { class: "dash-risk-number" }, String(Math.max(...risks))), el("span", { class: "muted" }, "highest risk"))),
          byRisk)));
  }

  timeline(entries) {
    const items = entries.map(({ action, decision }, n) =>
      el("li", { class: "dash-event", "data-verdict": decision.decision },
        el("span", { class: "dash-event-n muted", "aria-hidden": "true" }, String(n + 1)),
        el("time", { class: "dash-event-time muted", datetime: decision.timestamp }, timeOf(decision.timestamp)),
        el("span", { class: "dash-event-action" }, describeAction(action)),
        el("span", { class: "dash-event-verdict" },
          badge(decision.decision),
          decision.enforced ? null : el("span", { class: "dash-event-note" }, "not enforced"),
          decision.break_glass ? el("span", { class: "dash-event-note" }, "break-glass") : null),
        el("span", { class: "dash-event-meta" }, severityTag(decision.severity), el("code", {}, decision.rule_id))));
    return el("section", { class: "card dash-timeline-card", "aria-labelledby": "dashboard-timeline-title" },
      el("div", { class: "dash-card-head" },
        el("h2", { id: "dashboard-timeline-title" }, "Session timeline"),
        el("button", { type: "button", class: "button ghost", onclick: () => this.downloadCsv() }, "Download CSV")),
      el("div", { class: "dash-timeline-scroll", tabindex: 0, role: "region", "aria-label": "Session timeline, oldest first" },
        el("ol", { class: "dash-timeline" }, items)));
  }
}

export function mount(section, context) {
  return new Dashboard(section, context);
}
