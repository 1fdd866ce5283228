// The session every view shares: the policy in force, the actions the
// simulated agent took and their decisions. Views read it and listen for
// "change"; only the store talks to the engine's session.
import { cavra, errorMessage } from "./engine.js";

export const DEFAULT_PACK = "cavra-ai-agent-baseline";

/** Removes keys the engine does not read as part of an action (`expect`). */
export function plainAction(action) {
  const { expect, label, ...rest } = action;
  return rest;
}

export class Store extends EventTarget {
  constructor() {
    super();
    /** `{packId, text, originalText}`: the pack it started from and the YAML in force. */
    this.policy = { packId: DEFAULT_PACK, text: null, originalText: null };
    /** `{mode, workspace, sessionId, agentId}` for new engines. */
    this.options = { mode: "enforce", workspace: "/workspace", sessionId: "sandbox-session", agentId: "sandbox-agent" };
    /** `[{action, decision}]` in the order the agent acted. */
    this.entries = [];
    this.engine = null;
    this.previewEngine = null;
  }

  /** The policy source the engine takes: edited text, else the pack id. */
  get policySource() {
    return this.policy.text ?? this.policy.packId;
  }

  emit(what) {
    this.dispatchEvent(new CustomEvent("change", { detail: { what } }));
  }

  newEngine(source = this.policySource, extra = {}) {
    return new cavra.Engine(source, { ...this.options, ...extra });
  }

  /** Starts over with a policy; re-decides every action already taken. Throws (and keeps the old policy) if the policy does not load. */
  setPolicy({ packId = this.policy.packId, text = null, originalText = this.policy.originalText } = {}) {
    const engine = this.newEngine(text ?? packId);
    this.policy = { packId, text, originalText };
    this.engine = engine;
    this.previewEngine = null;
    const actions = this.entries.map((e) => e.action);
    this.entries = [];
    for (const action of actions) this.entries.push({ action, decision: this.engine.evaluate(plainAction(action)) });
    this.emit("policy");
  }

  /** Changes mode/agent/... and re-decides the session. */
  setOptions(options) {
    Object.assign(this.options, options);
    this.setPolicy({ packId: this.policy.packId, text: this.policy.text });
  }

  ensureEngine() {
    if (!this.engine) this.engine = this.newEngine();
    return this.engine;
  }

  /** The agent acts: decides, logs and returns the decision. Throws on a bad action. */
  evaluate(action) {
    const decision = this.ensureEngine().evaluate(plainAction(action));
    // Measured by the release checks: navigation to the first decision.
    if (!performance.getEntriesByName("cavra:first-decision").length) performance.mark("cavra:first-decision");
    this.entries.push({ action, decision });
    this.emit("decision");
    return decision;
  }

  /** Decides without logging (the builder's evaluate-as-you-type). */
  preview(action) {
    if (!this.previewEngine) this.previewEngine = this.newEngine();
    return this.previewEngine.explain(plainAction(action));
  }

  /** The decision and prose explanation of an action under the policy in force, without logging. */
  explain(action) {
    return this.preview(action);
  }

  /** Forgets every action (a new session). */
  clear() {
    this.entries = [];
    this.engine = this.newEngine();
    this.emit("clear");
  }

  /** What the same actions get under another policy: `[{action, before, after}]`. Throws if the policy does not load. */
  compareUnder(source) {
    const other = this.newEngine(source);
    return this.entries.map(({ action, decision }) => ({ action, before: decision, after: other.evaluate(plainAction(action)) }));
  }

  /** The evidence bundle of the session: `{files, zip, manifest}`. */
  bundle(options) {
    return this.ensureEngine().bundle(options);
  }

  get decisions() {
    return this.entries.map((e) => e.decision);
  }
}

export { errorMessage };
