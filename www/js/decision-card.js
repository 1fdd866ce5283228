// One decision, explained: the verdict, why, which rule decided, how risky,
// who approves, every rule that matched, the parts a command was split
// into, the controls it evidences and the engine's own prose. Any view can
// show a decision record with `decisionCard(decision, {prose})`; its styles
// live in css/views/simulator.css (loaded on every page).
import { badge, el, severityTag, verdictLabel } from "./dom.js";

/** Decision-record action types, in words. */
const ACTION_TYPE_WORDS = {
  read_file: "Read file",
  write_file: "Write file",
  execute_command: "Command",
  git_operation: "Git",
  mcp_tool_call: "MCP tool call",
  network_request: "Network",
  pull_request: "Pull request",
};

/** The words for a decision-record action type (`read_file` -> "Read file"). */
export function actionTypeWords(type) {
  return ACTION_TYPE_WORDS[type] ?? type;
}

/** Text with `backticked` spans shown as code; everything stays text, never HTML. */
export function richText(text) {
  return String(text ?? "").split(/(`[^`\n]+`)/).filter(Boolean)
    .map((part) => (part.length > 2 && part.startsWith("`") && part.endsWith("`") ? el("code", {}, part.slice(1, -1)) : part));
}

/** The risk band a score falls in, named like severities so it shares their colours. */
function riskBand(score) {
  if (score >= 85) return "critical";
  if (score >= 65) return "high";
  if (score >= 35) return "medium";
  return "low";
}

/** A 0–100 risk meter: a bar plus the number, so colour is never the only signal. */
export function riskMeter(score) {
  const value = Math.max(0, Math.min(100, Number(score) || 0));
  return el("span", { class: "dc-risk", "data-band": riskBand(value) },
    el("span", { class: "dc-risk-track", role: "meter", "aria-valuemin": 0, "aria-valuemax": 100, "aria-valuenow": value, "aria-label": `Risk score ${value} of 100` },
      el("span", { class: "dc-risk-fill", style: `width: ${value}%` })),
    el("span", { class: "dc-risk-value", "aria-hidden": "true" }, `${value}/100`));
}

/**
 * The engine's explanation (blank-line separated blocks; "  - " lines are
 * list items) as paragraphs and lists.
 */
export function proseBlocks(prose) {
  const blocks = String(prose ?? "").trim().split(/\n\s*\n/);
  return blocks.filter((b) => b.trim()).map((block) => {
    const parts = [];
    let list = null;
    for (const line of block.split("\n")) {
      const item = /^\s*-\s+(.*)$/.exec(line);
      if (item) {
        if (!list) parts.push((list = el("ul")));
        list.append(el("li", {}, richText(item[1])));
      } else if (line.trim()) {
        list = null;
        parts.push(el("p", {}, richText(line.trim())));
      }
    }
    return el("div", { class: "dc-prose-block" }, parts);
  });
}

function fact(term, ...value) {
  return el("div", { class: "dc-fact" }, el("dt", {}, term), el("dd", {}, value));
}

function wideFact(term, ...value) {
  const tile = fact(term, ...value);
  tile.classList.add("dc-fact-wide");
  return tile;
}

function facts(decision) {
  return el("dl", { class: "dc-facts" },
    wideFact("Rule", el("code", { "data-testid": "decision-rule" }, decision.rule_id)),
    fact("Severity", el("span", { "data-testid": "decision-severity" }, severityTag(decision.severity))),
    fact("Risk", el("span", { "data-testid": "decision-risk" }, riskMeter(decision.risk_score))),
    decision.approver_group ? fact("Approver", el("span", { "data-testid": "decision-approver" }, decision.approver_group)) : null,
    wideFact("Policy", el("code", {}, decision.policy_pack), decision.policy_version ? ` v${decision.policy_version}` : ""));
}

/** What actually happens when the mode softens the verdict (audit only, break glass). */
function enforcementNote(decision) {
  if (!decision.effective_decision || decision.effective_decision === decision.decision) return null;
  return el("p", { class: "dc-enforcement", role: "note" },
    `Mode ${String(decision.mode).replace(/_/g, " ")}: the policy says ${verdictLabel(decision.decision).toLowerCase()}, `,
    "but the action is treated as ", badge(decision.effective_decision), decision.enforced ? "." : " and nothing is stopped.");
}

function section(title, testId, ...content) {
  return el("section", { class: "dc-section", "data-testid": testId },
    el("h3", {}, title), content);
}

function matchedRules(rules) {
  if (!rules?.length) return null;
  // A list, not a table: rule ids and source paths are long words that a narrow table would break letter by letter.
  return section(`Matched rules (${rules.length})`, "decision-matched",
    el("ul", { class: "dc-matched" }, rules.map((rule) => el("li", { "data-verdict": rule.decision },
      el("span", { class: "dc-matched-rule" }, badge(rule.decision), " ", el("code", {}, rule.rule_id)),
      el("span", { class: "dc-matched-where" },
        rule.pattern ? ["pattern ", el("code", {}, rule.pattern), " · ", el("span", { class: "dc-source" }, rule.source)]
          : rule.source === "default" ? "nothing more specific matched: the section's default" : el("span", { class: "dc-source" }, rule.source))))));
}

function derivedActions(derived) {
  if (!derived?.length) return null;
  return section(`Derived actions (${derived.length})`, "decision-derived",
    el("p", { class: "muted dc-note" }, "The command was taken apart; each part was judged on its own and the strictest verdict won."),
    el("ol", { class: "dc-derived" }, derived.map((part) => el("li", { "data-verdict": part.decision },
      el("span", { class: "dc-derived-type" }, actionTypeWords(part.action_type)),
      el("code", { class: "dc-derived-target" }, part.target),
      el("span", { class: "dc-derived-verdict" }, badge(part.decision), " ", el("code", {}, part.rule_id))))));
}

function controls(list) {
  if (!list?.length) return null;
  return section(`Controls evidenced (${list.length})`, "decision-controls",
    el("ul", { class: "dc-controls" }, list.map((control) => el("li", {}, control))));
}

function why(prose, open) {
  if (!prose) return null;
  return el("details", { class: "dc-why", open, "data-testid": "decision-why" },
    el("summary", {}, "Why? The engine's explanation"),
    el("div", { class: "dc-prose" }, proseBlocks(prose)));
}

function identity(decision) {
  const who = [decision.agent_id && `agent ${decision.agent_id}`, decision.actor && `actor ${decision.actor}`, decision.session_id && `session ${decision.session_id}`]
    .filter(Boolean).join(" · ");
  return el("footer", { class: "dc-identity" },
    el("span", {}, "Decision ", el("code", { "data-testid": "decision-id" }, decision.decision_id)),
    decision.timestamp ? el("time", { datetime: decision.timestamp }, decision.timestamp) : null,
    who ? el("span", {}, who) : null);
}

/**
 * A decision record as a card. `prose` is the engine's explanation
 * (`store.preview(action).prose`), shown under "Why?"; `openWhy` expands it.
 */
export function decisionCard(decision, { prose = null, openWhy = false } = {}) {
  return el("article", { class: "decision-card", "data-testid": "decision-card", "data-verdict": decision.decision, "aria-label": `Decision: ${verdictLabel(decision.decision)} — ${decision.target}` },
    el("header", { class: "dc-head" },
      el("span", { "data-testid": "decision-verdict" }, badge(decision.decision)),
      el("span", { class: "dc-type" }, actionTypeWords(decision.action_type)),
      el("code", { class: "dc-target" }, decision.target)),
    el("p", { class: "dc-reason", "data-testid": "decision-reason" }, richText(decision.reason)),
    enforcementNote(decision),
    facts(decision),
    why(prose, openWhy),
    derivedActions(decision.derived_actions),
    matchedRules(decision.matched_rules),
    controls(decision.controls),
    identity(decision));
}
