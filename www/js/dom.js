// Small DOM builders shared by the views. Text always goes in as text
// (never as HTML): policy text, actions and share links are untrusted.

/**
 * `el("p", {class: "muted"}, "text", child)`: attributes (`on*` keys add
 * listeners, `hidden`/`disabled` booleans) and children (strings, nodes,
 * arrays, null).
 */
export function el(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attributes ?? {})) {
    if (value === null || value === undefined || value === false) continue;
    if (key.startsWith("on") && typeof value === "function") node.addEventListener(key.slice(2), value);
    else if (value === true) node.setAttribute(key, "");
    else node.setAttribute(key, String(value));
  }
  append(node, children);
  return node;
}

function append(node, children) {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    if (Array.isArray(child)) append(node, child);
    else node.append(child instanceof Node ? child : String(child));
  }
}

const VERDICT_LABELS = {
  block: "Block",
  require_approval: "Needs approval",
  allow: "Allow",
  allow_with_attestation: "Allow + attestation",
};

/** The words for a verdict. */
export function verdictLabel(verdict) {
  return VERDICT_LABELS[verdict] ?? verdict;
}

/** A verdict badge (colour comes from the class, the words from the label). */
export function badge(verdict) {
  return el("span", { class: `badge ${verdict}`, "data-verdict": verdict }, verdictLabel(verdict));
}

/** A severity word in its colour. */
export function severityTag(severity) {
  return el("span", { class: `severity ${severity}` }, severity);
}

/** A one-line summary of an action, for lists and timelines. */
export function describeAction(action) {
  switch (action.type) {
    case "file_read": return `read ${action.path}`;
    case "file_write": return `write ${action.path}`;
    case "command": return `$ ${action.command}`;
    case "git": return `git ${action.operation} ${[action.remote, action.branch ?? action.ref].filter(Boolean).join(" ")}${action.force ? " --force" : ""}`;
    case "mcp_tool_call": return `MCP ${action.server} → ${action.tool}`;
    case "network": return `fetch ${action.url}`;
    case "pull_request": return `pull request “${action.title ?? ""}”`;
    default: return action.type;
  }
}

/** Starts a browser download of bytes or text. */
export function download(name, data, type = "application/octet-stream") {
  const url = URL.createObjectURL(new Blob([data], { type }));
  const link = el("a", { href: url, download: name, hidden: true });
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
