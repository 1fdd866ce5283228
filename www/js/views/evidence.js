// The Evidence view: turn the session into a signed evidence bundle, read
// every file of it, download the reproducible ZIP the engine builds, and
// verify any bundle ZIP offline, in the page. Private keys and secrets stay
// in this module's memory: never stored, never sent, gone with the tab.
import { cavra, errorMessage } from "../engine.js";
import { badge, download, el, severityTag } from "../dom.js";
import { SAMPLE_ACTIONS } from "../scenarios.js";
import { renderMarkdown } from "../markdown.js";

const SIGNING_MODES = [
  { id: "ed25519", label: "Ed25519 signature", note: "Anyone with your public key can check who signed it and that nothing changed." },
  { id: "hmac", label: "HMAC-SHA256 secret", note: "Only people holding the same secret can check it: for your own local chains." },
  { id: "sha256", label: "SHA-256 digest only", note: "Proves the files were not changed since, but not who made them: anyone can recompute it." },
];

const DEFAULT_RETENTION_DAYS = 2555;
const REBUILD_DELAY_MS = 200;
const MAX_ZIP_BYTES = 64 * 1024 * 1024;
const PUBLIC_KEY_FILE = "cavra-public.pem";

/** Blocks of the view in the order each role reads them (DOM order, so keyboard order matches). */
const ROLE_ORDER = {
  developer: ["controls", "files", "verifier"],
  security: ["controls", "files", "verifier"],
  auditor: ["verifier", "files", "controls"],
  executive: ["controls", "files", "verifier"],
};

const CHECK_STATUS = {
  pass: { icon: "✓", label: "Pass" },
  fail: { icon: "✗", label: "Fail" },
  warn: { icon: "!", label: "Warning" },
  not_checked: { icon: "?", label: "Not checked" },
};

const CHECK_NAMES = {
  zip: "ZIP archive",
  manifest: "Manifest",
  schema_version: "Schema version",
  unlisted_files: "Unlisted files",
  session_log: "Session log chain",
  signature: "Signature",
  key_fingerprint: "Key fingerprint",
  key_id: "Key id",
  attestation: "In-toto attestation",
  retention: "Retention",
  trust_root: "Trust root",
};

export function mount(section, context) {
  new EvidenceView(section, context);
}

// ---------------------------------------------------------------- helpers

function plural(n, word, many = `${word}s`) {
  return `${n} ${n === 1 ? word : many}`;
}

function formatBytes(n) {
  if (n < 1024) return `${n.toLocaleString("en")} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KiB`;
  return `${(n / 1024 / 1024).toFixed(1)} MiB`;
}

async function sha256Hex(bytes) {
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", bytes));
  return [...digest].map((b) => b.toString(16).padStart(2, "0")).join("");
}

/** A file name's id-safe form, for tab and panel ids. */
function slug(name) {
  return name.replace(/[^A-Za-z0-9_-]/g, "-");
}

/** Pretty JSON of a text, or the text itself when it is not JSON. */
function prettyJson(text) {
  try {
    return JSON.stringify(JSON.parse(text), null, 2);
  } catch {
    return text;
  }
}

function checkTitle(name) {
  if (name.startsWith("file:")) return `File ${name.slice(5)}`;
  const known = CHECK_NAMES[name];
  if (known) return known;
  const words = name.replace(/_/g, " ");
  return words[0].toUpperCase() + words.slice(1);
}

/** The 32-byte seed inside an Ed25519 PKCS#8 PEM private key, as hex (RFC 8410 layout). */
export function ed25519SeedFromPem(pem) {
  const text = String(pem).trim();
  if (/BEGIN ENCRYPTED PRIVATE KEY/.test(text)) throw new Error("this key is encrypted; decrypt it first (openssl pkcs8 -in key.pem -nocrypt)");
  if (/BEGIN OPENSSH PRIVATE KEY/.test(text)) throw new Error("this is an OpenSSH key; CAVRA reads PKCS#8 PEM (ssh-keygen -p -m PKCS8 -f key)");
  const match = /-----BEGIN PRIVATE KEY-----([\s\S]*?)-----END PRIVATE KEY-----/.exec(text);
  if (!match) throw new Error("paste a PKCS#8 PEM private key (-----BEGIN PRIVATE KEY----- …)");
  let der;
  try {
    der = Uint8Array.from(atob(match[1].replace(/\s+/g, "")), (c) => c.charCodeAt(0));
  } catch {
    throw new Error("the key's base64 is damaged");
  }
  // OID 1.3.101.112 (Ed25519), then OCTET STRING { OCTET STRING (32 bytes) }.
  const marker = [0x06, 0x03, 0x2b, 0x65, 0x70, 0x04, 0x22, 0x04, 0x20];
  const at = der.findIndex((_, i) => marker.every((b, j) => der[i + j] === b));
  if (der[0] !== 0x30 || at < 0 || der.length < at + marker.length + 32) throw new Error("this is not an Ed25519 private key");
  const seed = der.slice(at + marker.length, at + marker.length + 32);
  return [...seed].map((b) => b.toString(16).padStart(2, "0")).join("");
}

function tagFor(name) {
  if (name === "manifest.json") return "manifest";
  if (name === "decisions.jsonl") return "log";
  if (name === "attestation.intoto.json") return "attestation";
  if (name.endsWith(".md")) return "markdown";
  if (name.endsWith(".json")) return "json";
  return "text";
}

// ---------------------------------------------------------------- the view

class EvidenceView {
  constructor(section, { store, router, palette, say }) {
    this.section = section;
    this.store = store;
    this.router = router;
    this.say = say;
    this.signing = { mode: "ed25519", keys: null, hmacKey: "", retentionDays: DEFAULT_RETENTION_DAYS, legalHold: false };
    this.bundle = null;
    this.bundleProblem = null;
    this.builds = 0;
    this.dirty = true;
    this.timer = null;
    this.selectedFile = null;
    this.fileChosen = false;
    this.showSource = new Set();
    this.verifying = { name: null, bytes: null };

    this.render();
    this.listen(palette);
  }

  // ------------------------------------------------------------ wiring

  listen(palette) {
    this.store.addEventListener("change", () => this.invalidate());
    this.router.addEventListener("view", (event) => {
      if (event.detail.id === "evidence" && this.dirty) this.build();
    });
    document.addEventListener("cavra:role", () => this.arrange());
    palette.add({ id: "evidence.download", group: "Evidence", title: "Evidence: download ZIP", keywords: "bundle zip export save", run: () => this.openAnd(() => this.downloadZip()) });
    palette.add({ id: "evidence.keys", group: "Evidence", title: "Evidence: generate key pair", keywords: "ed25519 sign signing key", run: () => this.openAnd(() => this.generateKeys()) });
    palette.add({ id: "evidence.verify", group: "Evidence", title: "Evidence: verify a ZIP", keywords: "check audit upload drop bundle", run: () => this.openAnd(() => this.dropZone.focus()) });
  }

  /** Shows the view (building the bundle if it is stale), then runs a command. */
  openAnd(command) {
    this.router.go("evidence", { focus: false });
    if (this.dirty) this.build();
    command();
  }

  isShown() {
    return !this.section.hidden;
  }

  /** The session or an option changed: rebuild soon if the view is shown, else when it is next shown. */
  invalidate({ delay = 0 } = {}) {
    this.dirty = true;
    clearTimeout(this.timer);
    if (this.isShown()) this.timer = setTimeout(() => this.build(), delay);
  }

  role() {
    return document.body.dataset.role in ROLE_ORDER ? document.body.dataset.role : "developer";
  }

  /** Puts the blocks in the order the current role reads them. */
  arrange() {
    for (const id of ROLE_ORDER[this.role()]) this.layout.append(this.blocks[id]);
    if (!this.fileChosen && this.bundle) this.showFiles();
  }

  // ------------------------------------------------------------ skeleton

  render() {
    this.blocks = {
      controls: el("div", { class: "evidence-controls grid-2" }, this.renderSummary(), this.renderSigning()),
      files: this.renderFilesCard(),
      verifier: this.renderVerifier(),
    };
    this.layout = el("div", { class: "evidence-layout" });
    this.section.replaceChildren(
      el("header", { class: "view-header" },
        el("div", {},
          el("h1", {}, "Evidence"),
          el("p", {}, "Turn this session into a signed evidence bundle an auditor can check offline, read every file in it, and verify any CAVRA bundle right here. Nothing leaves this page."))),
      this.layout,
    );
    this.arrange();
    this.renderSigningDetails();
  }

  renderSigning() {
    const name = "evidence-sign-mode";
    const choices = SIGNING_MODES.map((mode) =>
      el("label", { class: "evidence-choice" },
        el("input", { type: "radio", name, value: mode.id, checked: mode.id === this.signing.mode, onchange: () => this.setMode(mode.id) }),
        el("span", {}, el("strong", {}, mode.label), el("span", { class: "muted" }, mode.note))));
    this.signingDetails = el("div", { class: "evidence-signing-details stack" });
    this.retentionInput = el("input", { type: "number", id: "evidence-retention", min: 1, step: 1, value: this.signing.retentionDays, inputmode: "numeric", oninput: () => this.setRetention() });
    this.retentionError = el("p", { class: "error evidence-field-error", id: "evidence-retention-error", hidden: true });
    this.retentionInput.setAttribute("aria-describedby", "evidence-retention-error");
    return el("div", { class: "card evidence-signing" },
      el("h2", {}, "Signing"),
      el("fieldset", { class: "evidence-modes" }, el("legend", {}, "How the bundle proves itself"), choices),
      this.signingDetails,
      el("div", { class: "evidence-retention" },
        el("label", { class: "field", for: "evidence-retention" }, "Retention (days)", this.retentionInput),
        el("label", { class: "evidence-check" },
          el("input", { type: "checkbox", id: "evidence-legal-hold", onchange: (e) => { this.signing.legalHold = e.target.checked; this.invalidate(); } }),
          el("span", {}, "Legal hold ", el("span", { class: "muted" }, "(keep it past the retention date)")))),
      this.retentionError);
  }

  /** The part of the signing panel that depends on the mode: keys, secret or a warning. */
  renderSigningDetails() {
    const mode = this.signing.mode;
    if (mode === "ed25519") this.signingDetails.replaceChildren(...this.renderKeyPanel());
    else if (mode === "hmac") this.signingDetails.replaceChildren(this.renderSecretField());
    else this.signingDetails.replaceChildren(this.renderDigestWarning());
  }

  renderDigestWarning() {
    return el("p", { class: "evidence-note warn" },
      el("strong", {}, "Integrity only. "),
      "A SHA-256 digest shows the files were not changed after the bundle was made. ",
      "It does not show who made it: anyone who edits the files can recompute it. Sign with Ed25519 for evidence others can trust.");
  }

  renderKeyPanel() {
    const keys = this.signing.keys;
    const pem = el("pre", { class: "evidence-pem", "data-testid": "public-key-pem", tabindex: 0, "aria-label": "Public key PEM" }, keys ? keys.publicKeyPem : "No key yet.");
    this.importArea = el("textarea", { class: "code", id: "evidence-private-key", rows: 4, spellcheck: "false", autocomplete: "off", placeholder: "-----BEGIN PRIVATE KEY-----" });
    this.importError = el("p", { class: "error evidence-field-error", hidden: true, role: "alert" });
    return [
      el("div", { class: "row evidence-key-head" },
        el("span", {}, "Key id ", el("code", { "data-testid": "key-id" }, keys ? keys.keyId : "—")),
        keys ? el("span", { class: "muted" }, keys.source === "imported" ? "(your key)" : "(generated in this page)") : null),
      pem,
      el("div", { class: "row" },
        el("button", { type: "button", class: "button secondary", onclick: () => this.generateKeys() }, "Generate key pair"),
        el("button", { type: "button", class: "button ghost", disabled: !keys, onclick: () => this.copyPublicKey() }, "Copy public key"),
        el("button", { type: "button", class: "button ghost", disabled: !keys, onclick: () => this.downloadPublicKey() }, `Download ${PUBLIC_KEY_FILE}`)),
      el("p", { class: "evidence-note" }, "The private key stays in this page's memory only: it is never stored or sent anywhere, and it is gone when you close the tab. Share the public key with whoever verifies the bundle."),
      el("details", { class: "evidence-import" },
        el("summary", {}, "Sign with your own private key"),
        el("div", { class: "stack" },
          el("label", { class: "field", for: "evidence-private-key" }, "Ed25519 private key (PKCS#8 PEM, as written by cavra keys generate)", this.importArea),
          this.importError,
          el("div", { class: "row" }, el("button", { type: "button", class: "button secondary", onclick: () => this.importKey() }, "Use this key")))),
    ];
  }

  renderSecretField() {
    const input = el("input", { type: "password", id: "evidence-hmac-secret", autocomplete: "off", spellcheck: "false", value: this.signing.hmacKey, oninput: (e) => { this.signing.hmacKey = e.target.value; this.invalidate({ delay: REBUILD_DELAY_MS }); } });
    return el("div", { class: "stack" },
      el("label", { class: "field", for: "evidence-hmac-secret" }, "Shared secret", input),
      el("p", { class: "evidence-note" }, "Whoever verifies needs this same secret, so only use HMAC for your own local chains. It stays in this page's memory."));
  }

  renderSummary() {
    this.summaryBody = el("div", { class: "stack" });
    return el("div", { class: "card evidence-summary", "aria-labelledby": "evidence-summary-title" },
      el("h2", { id: "evidence-summary-title" }, "Bundle"),
      this.summaryBody);
  }

  renderFilesCard() {
    this.filesBody = el("div", { class: "stack" });
    return el("div", { class: "card evidence-files" }, this.filesBody);
  }

  renderVerifier() {
    this.fileInput = el("input", { type: "file", id: "evidence-zip-input", class: "visually-hidden", accept: ".zip,application/zip", tabindex: -1, "aria-label": "Evidence bundle ZIP to verify", onchange: (e) => this.verifyFile(e.target.files?.[0]) });
    this.dropZone = el("div", {
      class: "evidence-dropzone", role: "button", tabindex: 0, "data-testid": "verify-dropzone",
      // Named by its visible text (axe: the accessible name must contain what is shown).
      "aria-describedby": "evidence-drop-help",
      onclick: () => this.fileInput.click(),
      onkeydown: (e) => { if (e.key === "Enter" || e.key === " ") { e.preventDefault(); this.fileInput.click(); } },
      ondragover: (e) => { e.preventDefault(); this.dropZone.classList.add("dragging"); },
      ondragleave: () => this.dropZone.classList.remove("dragging"),
      ondrop: (e) => { e.preventDefault(); this.dropZone.classList.remove("dragging"); this.verifyFile(e.dataTransfer?.files?.[0]); },
    },
    el("span", { class: "evidence-drop-icon", "aria-hidden": "true" }, "⇩"),
    el("strong", {}, "Drop a bundle ZIP here"),
    el("span", { class: "muted", id: "evidence-drop-help" }, "or press to choose a file · checked in this page, never uploaded"));
    this.verifyKey = el("textarea", { class: "code", id: "evidence-verify-key", rows: 3, spellcheck: "false", placeholder: "-----BEGIN PUBLIC KEY-----" });
    this.verifySecret = el("input", { type: "password", id: "evidence-verify-secret", autocomplete: "off" });
    this.verifyAgain = el("button", { type: "button", class: "button ghost", disabled: true, onclick: () => this.verifyBytes(this.verifying.name, this.verifying.bytes) }, "Verify again with these keys");
    this.verifyOwn = el("button", { type: "button", class: "button", onclick: () => this.verifySessionBundle() }, "Verify this session's bundle");
    this.result = el("div", { class: "evidence-result", "data-testid": "verify-result", hidden: true });
    return el("div", { class: "card evidence-verifier" },
      el("h2", {}, "Verify a bundle"),
      el("p", { class: "muted" }, "Checks every file's size and SHA-256 against the manifest, the session log's hash chain, the signature and the in-toto attestation, as cavra evidence verify does."),
      this.dropZone,
      this.fileInput,
      el("div", { class: "grid-2" },
        el("label", { class: "field", for: "evidence-verify-key" }, "Public key (PEM) for Ed25519 bundles", this.verifyKey),
        el("label", { class: "field", for: "evidence-verify-secret" }, "Secret for HMAC bundles", this.verifySecret)),
      el("div", { class: "row" }, this.verifyOwn, this.verifyAgain),
      this.result);
  }

  // ------------------------------------------------------------ signing

  setMode(mode) {
    this.signing.mode = mode;
    this.renderSigningDetails();
    this.invalidate();
  }

  setRetention() {
    const value = this.retentionInput.value.trim();
    const days = Number(value);
    const valid = /^\d+$/.test(value) && days >= 1;
    this.retentionError.hidden = valid;
    this.retentionError.textContent = valid ? "" : "Retention is a whole number of days, at least 1.";
    this.retentionInput.setAttribute("aria-invalid", String(!valid));
    if (!valid) return;
    this.signing.retentionDays = days;
    this.invalidate({ delay: REBUILD_DELAY_MS });
  }

  generateKeys() {
    try {
      this.signing.keys = { ...cavra.generateKeyPair(), source: "generated" };
    } catch (error) {
      this.say(`No key pair was made: ${errorMessage(error)}`, { error: true });
      return;
    }
    if (this.signing.mode !== "ed25519") this.checkMode("ed25519");
    this.renderSigningDetails();
    this.invalidate();
    this.say(`New Ed25519 key pair ${this.signing.keys.keyId}; the bundle is re-signed with it.`);
  }

  checkMode(mode) {
    this.signing.mode = mode;
    const radio = this.section.querySelector(`input[name=evidence-sign-mode][value=${mode}]`);
    if (radio) radio.checked = true;
  }

  importKey() {
    try {
      const seed = ed25519SeedFromPem(this.importArea.value);
      this.signing.keys = { ...cavra.generateKeyPair(seed), source: "imported" };
    } catch (error) {
      this.importError.hidden = false;
      this.importError.textContent = `That key was not used: ${errorMessage(error)}.`;
      return;
    }
    this.renderSigningDetails();
    this.invalidate();
    this.say(`Signing with your key ${this.signing.keys.keyId}. The pasted text was cleared from the page.`);
  }

  async copyPublicKey() {
    try {
      await navigator.clipboard.writeText(this.signing.keys.publicKeyPem);
      this.say("Public key copied.");
    } catch {
      this.say("The browser did not allow copying; select the key and copy it.", { error: true });
    }
  }

  downloadPublicKey() {
    if (!this.signing.keys) return;
    download(PUBLIC_KEY_FILE, this.signing.keys.publicKeyPem, "application/x-pem-file");
  }

  /** The options of store.bundle(), or throws a sentence saying what is missing. */
  bundleOptions() {
    const { mode, hmacKey, retentionDays, legalHold } = this.signing;
    const common = { retentionDays, legalHold };
    if (mode === "hmac") {
      if (!hmacKey) throw new Error("Enter a shared secret to sign with HMAC.");
      return { sign: "hmac", hmacKey, ...common };
    }
    if (mode === "sha256") return { sign: "sha256", ...common };
    if (!this.signing.keys) {
      // A key is needed to sign at all; a fresh one in memory is the safe default.
      this.signing.keys = { ...cavra.generateKeyPair(), source: "generated" };
      this.renderSigningDetails();
    }
    return { sign: "ed25519", privateKeyPem: this.signing.keys.privateKeyPem, ...common };
  }

  // ------------------------------------------------------------ building

  build() {
    clearTimeout(this.timer);
    this.dirty = false;
    this.builds += 1;
    this.bundle = null;
    this.bundleProblem = null;
    this.zipDigest = null;
    if (this.store.entries.length) {
      try {
        this.bundle = this.store.bundle(this.bundleOptions());
      } catch (error) {
        this.bundleProblem = errorMessage(error);
      }
    }
    this.renderBundleSummary();
    this.renderFiles();
    if (this.bundle) this.digestZip(this.builds);
  }

  async digestZip(build) {
    const digest = await sha256Hex(this.bundle.zip);
    if (build !== this.builds) return;
    this.zipDigest = digest;
    const slot = this.summaryBody.querySelector("[data-zip-digest]");
    if (slot) slot.textContent = digest;
  }

  zipName() {
    const session = String(this.store.options.sessionId || "session").replace(/[^A-Za-z0-9._-]+/g, "-");
    return `cavra-evidence-${session}.zip`;
  }

  counts() {
    const counts = { block: 0, require_approval: 0, allow: 0, allow_with_attestation: 0 };
    for (const decision of this.store.decisions) {
      const verdict = decision.effective_decision ?? decision.decision;
      counts[verdict] = (counts[verdict] ?? 0) + 1;
    }
    return counts;
  }

  renderBundleSummary() {
    const entries = this.store.entries.length;
    if (!entries) {
      this.summaryBody.replaceChildren(
        el("p", { class: "muted" }, "Nothing to bundle yet: the session has no decisions."),
        this.downloadButtons(false));
      return;
    }
    if (!this.bundle) {
      this.summaryBody.replaceChildren(
        el("p", { class: "error", role: "alert", "data-testid": "bundle-problem" }, this.bundleProblem ?? "The bundle could not be built."),
        this.downloadButtons(false));
      return;
    }
    const manifest = this.bundle.manifest;
    const signature = manifest.signature ?? {};
    const counts = this.counts();
    this.summaryBody.replaceChildren(
      el("dl", { class: "evidence-facts" },
        el("dt", {}, "Session"), el("dd", {}, el("code", {}, this.store.options.sessionId), " · ", plural(entries, "decision")),
        el("dt", {}, "Verdicts"), el("dd", { class: "row" },
          ...Object.entries(counts).filter(([, n]) => n).map(([verdict, n]) => el("span", { class: "evidence-count" }, badge(verdict), ` ${n}`))),
        el("dt", {}, "Signature"), el("dd", { "data-testid": "bundle-signature" }, this.signatureWords(signature)),
        el("dt", {}, "Created"), el("dd", {}, manifest.created_at),
        el("dt", {}, "ZIP"), el("dd", {}, `${formatBytes(this.bundle.zip.length)} · ${plural(manifest.files.length + 1, "file")}`),
        el("dt", {}, "ZIP sha256"), el("dd", {}, el("code", { class: "evidence-digest", "data-zip-digest": "" }, this.zipDigest ?? "…"))),
      this.downloadButtons(true),
      el("p", { class: "evidence-note" }, "Built by the CAVRA engine in this page and rebuilt whenever the session changes. The ZIP is reproducible: the same decisions, time and key give the same bytes as cavra evidence bundle on the command line."));
  }

  signatureWords(signature) {
    if (signature.algorithm === "Ed25519") return [el("strong", {}, "Ed25519"), " · key id ", el("code", {}, signature.key_id)];
    if (signature.algorithm === "HS256") return [el("strong", {}, "HMAC-SHA256"), " · shared secret"];
    if (signature.algorithm === "SHA256") return [el("strong", {}, "SHA-256 digest"), " · integrity only, not who"];
    return signature.algorithm ?? "unsigned";
  }

  downloadButtons(enabled) {
    const ed25519 = this.signing.mode === "ed25519" && this.signing.keys;
    return el("div", { class: "row" },
      el("button", { type: "button", class: "button", disabled: !enabled, "data-testid": "download-zip", onclick: () => this.downloadZip() }, "Download ZIP"),
      ed25519 ? el("button", { type: "button", class: "button secondary", onclick: () => this.downloadPublicKey() }, "Download public key") : null);
  }

  downloadZip() {
    if (!this.bundle) {
      this.say(this.store.entries.length ? (this.bundleProblem ?? "The bundle could not be built.") : "The session is empty: add actions before downloading evidence.", { error: true });
      return;
    }
    download(this.zipName(), this.bundle.zip, "application/zip");
    this.say(`Downloaded ${this.zipName()} (${formatBytes(this.bundle.zip.length)}).`);
  }

  // ------------------------------------------------------------ files

  renderFiles() {
    if (!this.store.entries.length) {
      this.filesBody.replaceChildren(...this.renderEmpty());
      return;
    }
    if (!this.bundle) {
      this.filesBody.replaceChildren(el("h2", {}, "Files"), el("p", { class: "muted" }, "The files appear once the bundle can be built: see the signing panel."));
      return;
    }
    this.showFiles();
  }

  renderEmpty() {
    return [
      el("h2", {}, "No evidence yet"),
      el("p", {}, "A bundle records what the agent asked to do in this session and what CAVRA answered. This session has no actions yet, so there is nothing to attest."),
      el("p", { class: "muted" }, "Let the simulated agent act in the Simulator, or add the seven actions of the “Before the agent acts” scenario here."),
      el("div", { class: "row" },
        el("button", { type: "button", class: "button", "data-testid": "add-sample-actions", onclick: () => this.addSamples() }, "Add the sample actions"),
        el("button", { type: "button", class: "button secondary", onclick: () => this.router.go("simulator") }, "Go to the simulator")),
    ];
  }

  addSamples() {
    try {
      for (const action of SAMPLE_ACTIONS) this.store.evaluate(action);
    } catch (error) {
      this.say(`The sample actions were not added: ${errorMessage(error)}`, { error: true });
      return;
    }
    this.build();
    const counts = this.counts();
    this.say(`Added ${SAMPLE_ACTIONS.length} sample actions: ${counts.block} blocked, ${counts.require_approval} need approval, ${counts.allow + counts.allow_with_attestation} allowed.`);
  }

  /** File names in bundle order: the manifest lists the others, and comes last. */
  fileNames() {
    const listed = this.bundle.manifest.files.map((f) => f.path);
    const rest = Object.keys(this.bundle.files).filter((name) => !listed.includes(name));
    return [...listed, ...rest];
  }

  defaultFile(names) {
    const preferred = this.role() === "auditor" ? "manifest.json" : "pr-attestation.md";
    return names.includes(preferred) ? preferred : names[0];
  }

  showFiles() {
    const names = this.fileNames();
    if (!names.includes(this.selectedFile) || !this.fileChosen) this.selectedFile = this.defaultFile(names);
    this.tabs = names.map((name) => this.fileTab(name));
    this.panel = el("div", { class: "evidence-file-panel", role: "tabpanel", id: "evidence-file-panel", tabindex: 0 });
    this.filesBody.replaceChildren(
      el("div", { class: "evidence-files-head" },
        el("h2", { id: "evidence-files-title" }, "Files"),
        el("p", { class: "muted" }, `${plural(names.length, "file")} in bundle order; manifest.json lists every other file with its size and SHA-256.`)),
      el("div", { class: "tabs evidence-tabs", role: "tablist", "aria-labelledby": "evidence-files-title" }, this.tabs),
      this.panel);
    this.selectFile(this.selectedFile, { focus: false, chosen: this.fileChosen });
  }

  fileTab(name) {
    return el("button", {
      type: "button", role: "tab", id: `evidence-tab-${slug(name)}`, "aria-controls": "evidence-file-panel", "data-file": name,
      onclick: () => this.selectFile(name, { focus: false }),
      onkeydown: (event) => this.onTabKey(event, name),
    }, name);
  }

  onTabKey(event, name) {
    const names = this.tabs.map((tab) => tab.dataset.file);
    const at = names.indexOf(name);
    const moves = { ArrowRight: at + 1, ArrowDown: at + 1, ArrowLeft: at - 1, ArrowUp: at - 1, Home: 0, End: names.length - 1 };
    if (!(event.key in moves)) return;
    event.preventDefault();
    this.selectFile(names[(moves[event.key] + names.length) % names.length], { focus: true });
  }

  selectFile(name, { focus = false, chosen = true } = {}) {
    this.selectedFile = name;
    this.fileChosen = chosen;
    for (const tab of this.tabs) {
      const selected = tab.dataset.file === name;
      tab.setAttribute("aria-selected", String(selected));
      tab.tabIndex = selected ? 0 : -1;
      if (selected && focus) tab.focus();
    }
    this.panel.setAttribute("aria-labelledby", `evidence-tab-${slug(name)}`);
    this.panel.dataset.file = name;
    this.panel.replaceChildren(...this.renderFile(name));
  }

  renderFile(name) {
    const text = this.bundle.files[name] ?? "";
    const kind = tagFor(name);
    const hasRendered = kind !== "json" && kind !== "text";
    const source = !hasRendered || this.showSource.has(name);
    const body = source ? this.sourceView(name, text, kind) : this.renderedView(name, text, kind);
    return [this.fileToolbar(name, text, hasRendered, source), body];
  }

  fileToolbar(name, text, hasRendered, source) {
    const listed = this.bundle.manifest.files.find((f) => f.path === name);
    const facts = listed
      ? [`${listed.bytes.toLocaleString("en")} bytes · sha256 `, el("code", { class: "evidence-digest" }, listed.sha256)]
      : [`${new TextEncoder().encode(text).length.toLocaleString("en")} bytes · the manifest itself, covered by the signature`];
    return el("div", { class: "evidence-file-toolbar" },
      el("p", { class: "evidence-file-facts muted" }, el("strong", {}, name), " · ", ...facts),
      el("div", { class: "row" },
        hasRendered ? el("button", { type: "button", class: "button ghost evidence-toggle", "aria-pressed": String(source), onclick: () => this.toggleSource(name) }, "Show source") : null,
        el("button", { type: "button", class: "button ghost", onclick: () => download(name, text, name.endsWith(".md") ? "text/markdown" : "application/json") }, "Download file")));
  }

  toggleSource(name) {
    if (this.showSource.has(name)) this.showSource.delete(name);
    else this.showSource.add(name);
    this.selectFile(name);
    this.panel.querySelector(".evidence-toggle")?.focus();
  }

  sourceView(name, text, kind) {
    if (kind === "log") return el("pre", { class: "evidence-source", tabindex: 0, "aria-label": `${name}, one pretty object per line` }, text.split("\n").filter(Boolean).map(prettyJson).join("\n\n"));
    if (kind === "markdown" || kind === "text") return el("pre", { class: "evidence-source", tabindex: 0, "aria-label": `${name} source` }, text);
    return el("pre", { class: "evidence-source", tabindex: 0, "aria-label": `${name}, pretty-printed` }, prettyJson(text));
  }

  renderedView(name, text, kind) {
    if (kind === "markdown") return el("div", { class: "evidence-markdown" }, renderMarkdown(text));
    if (kind === "manifest") return this.manifestView(text);
    if (kind === "log") return this.logView(text);
    if (kind === "attestation") return this.attestationView(name, text);
    return this.sourceView(name, text, kind);
  }

  manifestView(text) {
    let manifest;
    try {
      manifest = JSON.parse(text);
    } catch {
      return this.sourceView("manifest.json", text, "json");
    }
    const signature = manifest.signature ?? {};
    const rows = (manifest.files ?? []).map((f) =>
      el("tr", {}, el("td", {}, el("code", {}, f.path)), el("td", { class: "evidence-num" }, Number(f.bytes).toLocaleString("en")), el("td", {}, el("code", { class: "evidence-digest" }, f.sha256))));
    return el("div", { class: "stack" },
      el("dl", { class: "evidence-facts" },
        el("dt", {}, "Schema"), el("dd", {}, el("code", {}, manifest.schema_version)),
        el("dt", {}, "Created"), el("dd", {}, manifest.created_at),
        el("dt", {}, "Signer"), el("dd", {}, manifest.signer ?? "—"),
        el("dt", {}, "Algorithm"), el("dd", {}, signature.algorithm ?? "none"),
        signature.key_id ? [el("dt", {}, "Key id"), el("dd", {}, el("code", {}, signature.key_id))] : null,
        signature.public_key_sha256 ? [el("dt", {}, "Public key sha256"), el("dd", {}, el("code", { class: "evidence-digest" }, signature.public_key_sha256))] : null,
        el("dt", {}, "Value"), el("dd", {}, el("code", { class: "evidence-digest" }, signature.value ?? "—"))),
      el("div", { class: "table-scroll" },
        el("table", { class: "evidence-manifest", "data-testid": "manifest-table" },
          el("caption", { class: "visually-hidden" }, "Files listed in the manifest"),
          el("thead", {}, el("tr", {}, el("th", { scope: "col" }, "File"), el("th", { scope: "col", class: "evidence-num" }, "Bytes"), el("th", { scope: "col" }, "SHA-256"))),
          el("tbody", {}, rows))));
  }

  logView(text) {
    const lines = text.split("\n").filter(Boolean).map((line) => {
      try {
        return JSON.parse(line);
      } catch {
        return null;
      }
    });
    const rows = lines.map((d, n) => d
      ? el("tr", {},
        el("td", { class: "evidence-num" }, d.seq ?? n + 1),
        el("td", {}, el("code", {}, d.decision_id)),
        el("td", {}, el("span", { class: "muted" }, d.action_type), " ", el("code", {}, d.target ?? "")),
        el("td", {}, badge(d.effective_decision ?? d.decision)),
        el("td", {}, el("code", {}, d.rule_id ?? "—")),
        el("td", {}, severityTag(d.severity)),
        el("td", {}, el("code", { title: d.prev }, String(d.prev ?? "").replace(/^sha256:/, "").slice(0, 12) + "…")))
      : el("tr", {}, el("td", { class: "evidence-num" }, n + 1), el("td", { colspan: 6, class: "error" }, "This line is not JSON.")));
    return el("div", { class: "stack" },
      el("p", { class: "muted" }, "The session log, verbatim in the ZIP: each line carries the SHA-256 of the line before it, so removing, reordering or editing any line breaks the chain."),
      el("div", { class: "table-scroll" },
        el("table", { class: "evidence-log" },
          el("caption", { class: "visually-hidden" }, "Decisions in the session log"),
          el("thead", {}, el("tr", {}, ["#", "Decision", "Action", "Verdict", "Rule", "Severity", "Previous line"].map((h) => el("th", { scope: "col" }, h)))),
          el("tbody", {}, rows))));
  }

  attestationView(name, text) {
    let statement = null;
    try {
      const envelope = JSON.parse(text);
      const bytes = Uint8Array.from(atob(envelope.payload), (c) => c.charCodeAt(0));
      statement = JSON.parse(new TextDecoder().decode(bytes));
    } catch {
      return this.sourceView(name, text, "json");
    }
    return el("div", { class: "stack" },
      el("p", { class: "muted" }, `A DSSE envelope (${statement._type ?? "in-toto statement"}) signed with the bundle's Ed25519 key; standard in-toto tooling verifies it. Its payload, decoded:`),
      el("pre", { class: "evidence-source", tabindex: 0, "aria-label": "Decoded in-toto statement" }, JSON.stringify(statement, null, 2)));
  }

  // ------------------------------------------------------------ verifying

  async verifyFile(file) {
    if (!file) return;
    if (file.size > MAX_ZIP_BYTES) {
      this.showVerifyError(file.name, `${file.name} is ${formatBytes(file.size)}; evidence bundles are small, so files over ${formatBytes(MAX_ZIP_BYTES)} are not read.`);
      return;
    }
    let bytes;
    try {
      bytes = new Uint8Array(await file.arrayBuffer());
    } catch (error) {
      this.showVerifyError(file.name, `${file.name} could not be read: ${errorMessage(error)}.`);
      return;
    } finally {
      // Choosing the same file again must fire "change" again.
      this.fileInput.value = "";
    }
    this.verifyBytes(file.name, bytes);
  }

  verifySessionBundle() {
    if (this.dirty) this.build();
    if (!this.bundle) {
      this.say(this.store.entries.length ? (this.bundleProblem ?? "The bundle could not be built.") : "The session is empty: add actions first.", { error: true });
      return;
    }
    // Verify with the key the session signed with, shown in the fields so it is clear what was used.
    const { mode, keys, hmacKey } = this.signing;
    this.verifyKey.value = mode === "ed25519" && keys ? keys.publicKeyPem : "";
    this.verifySecret.value = mode === "hmac" ? hmacKey : "";
    this.verifyBytes(`${this.zipName()} (this session)`, this.bundle.zip);
  }

  verifyOptions() {
    const options = {};
    if (this.verifyKey.value.trim()) options.publicKeyPem = this.verifyKey.value.trim() + "\n";
    if (this.verifySecret.value) options.hmacKey = this.verifySecret.value;
    return options;
  }

  verifyBytes(name, bytes) {
    if (!bytes) return;
    this.verifying = { name, bytes };
    this.verifyAgain.disabled = false;
    let report;
    try {
      report = cavra.verifyBundle(bytes, this.verifyOptions());
    } catch (error) {
      this.showVerifyError(name, `This file could not be checked: ${errorMessage(error)}.`);
      return;
    }
    this.showReport(name, bytes, report);
  }

  showVerifyError(name, message) {
    this.result.hidden = false;
    this.result.dataset.verified = "false";
    this.result.dataset.outcome = "error";
    this.result.replaceChildren(
      el("div", { class: "evidence-verdict failed" }, el("span", { class: "evidence-verdict-icon", "aria-hidden": "true" }, "✗"), el("span", {}, "Failed")),
      el("p", { class: "evidence-verdict-summary" }, message),
      el("p", { class: "muted" }, name));
    this.say(`Failed: ${message}`, { error: true });
  }

  outcome(report) {
    if (report.verified) return { id: "verified", word: "Verified", icon: "✓" };
    if (report.checks.some((c) => c.status === "fail")) return { id: "failed", word: "Failed", icon: "✗" };
    return { id: "unchecked", word: "Not verified", icon: "?" };
  }

  showReport(name, bytes, report) {
    const checks = Array.isArray(report.checks) ? report.checks : [];
    report = { ...report, checks };
    const outcome = this.outcome(report);
    const tally = {};
    for (const check of checks) tally[check.status] = (tally[check.status] ?? 0) + 1;
    this.result.hidden = false;
    this.result.dataset.verified = String(report.verified === true);
    this.result.dataset.outcome = outcome.id;
    this.result.replaceChildren(
      el("div", { class: `evidence-verdict ${outcome.id}` },
        el("span", { class: "evidence-verdict-icon", "aria-hidden": "true" }, outcome.icon),
        el("span", {}, outcome.word)),
      el("p", { class: "evidence-verdict-summary" }, this.reportSentence(report, outcome)),
      el("dl", { class: "evidence-facts" },
        el("dt", {}, "File"), el("dd", {}, name, el("span", { class: "muted" }, ` · ${formatBytes(bytes.length)}`)),
        el("dt", {}, "Signature"), el("dd", {}, report.signature_algorithm ?? "none found"),
        report.key_id ? [el("dt", {}, "Key id"), el("dd", {}, el("code", {}, report.key_id))] : null,
        report.public_key_sha256 ? [el("dt", {}, "Key fingerprint"), el("dd", {}, el("code", { class: "evidence-digest" }, report.public_key_sha256))] : null,
        el("dt", {}, "Checks"), el("dd", {}, Object.entries(tally).map(([status, n]) => `${n} ${(CHECK_STATUS[status]?.label ?? status).toLowerCase()}`).join(" · "))),
      el("div", { class: "table-scroll" },
        el("table", { class: "evidence-checks", "data-testid": "verify-checks" },
          el("caption", { class: "visually-hidden" }, "Verification checks"),
          el("thead", {}, el("tr", {}, el("th", { scope: "col" }, "Result"), el("th", { scope: "col" }, "Check"), el("th", { scope: "col" }, "Detail"))),
          el("tbody", {}, checks.map((check) => this.checkRow(check))))));
    this.say(`${outcome.word}: ${name}. ${this.reportSentence(report, outcome)}`, { error: outcome.id !== "verified" });
  }

  reportSentence(report, outcome) {
    if (outcome.id === "verified") return "Every check passed: the files are exactly those the manifest lists, the log chain is intact and the signature matches.";
    if (outcome.id === "unchecked") return `${report.summary}. Paste the signer's public key (or the HMAC secret) above and verify again.`;
    const failed = report.checks.filter((c) => c.status === "fail").map((c) => checkTitle(c.name));
    return `${failed.length === 1 ? "This check failed" : "These checks failed"}: ${failed.join(", ")}. The bundle is not what was signed; do not rely on it.`;
  }

  checkRow(check) {
    const status = CHECK_STATUS[check.status] ?? { icon: "•", label: check.status };
    return el("tr", { class: `evidence-check-row ${check.status}`, "data-check": check.name, "data-status": check.status },
      el("td", {}, el("span", { class: `evidence-status ${check.status}` }, el("span", { "aria-hidden": "true" }, status.icon), ` ${status.label}`)),
      el("td", {}, checkTitle(check.name)),
      el("td", { class: "evidence-detail" }, check.detail ?? ""));
  }
}
