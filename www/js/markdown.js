// A small, safe Markdown renderer for the evidence bundle's .md files.
// It builds DOM nodes and text nodes only (never innerHTML), because the
// files quote agent actions, rule reasons and policy text: untrusted input.
// Covers what the engine writes: headings, paragraphs, ordered and nested
// unordered lists, tables, fenced code, block quotes, rules, and inline
// code, bold, italic, backslash escapes and http(s) links.

const PUNCTUATION = /[!"#$%&'()*+,\-./:;<=>?@[\\\]^_`{|}~]/;
const SAFE_LINK = /^https?:\/\/[^\s]+$/i;

/** Renders Markdown text into a DocumentFragment. */
export function renderMarkdown(text) {
  const fragment = document.createDocumentFragment();
  const lines = String(text ?? "").replace(/\r\n?/g, "\n").split("\n");
  for (const block of parseBlocks(lines)) fragment.append(block);
  return fragment;
}

function node(tag, ...children) {
  const element = document.createElement(tag);
  element.append(...children);
  return element;
}

// ---------------------------------------------------------------- blocks

const HEADING = /^(#{1,6})\s+(.*?)\s*#*\s*$/;
const FENCE = /^\s{0,3}(```+|~~~+)\s*([\w+-]*)\s*$/;
const RULE = /^\s{0,3}([-*_])(\s*\1){2,}\s*$/;
const BULLET = /^(\s*)([-*+])\s+(.*)$/;
const ORDERED = /^(\s*)(\d{1,9})[.)]\s+(.*)$/;
const TABLE_SEPARATOR = /^\s*\|?\s*:?-{1,}:?\s*(\|\s*:?-{1,}:?\s*)*\|?\s*$/;

function parseBlocks(lines) {
  const blocks = [];
  let i = 0;
  while (i < lines.length) {
    const line = lines[i];
    if (!line.trim()) { i += 1; continue; }
    const reader = BLOCK_READERS.find((read) => read.test(lines, i));
    const { element, next } = (reader ?? PARAGRAPH).read(lines, i);
    blocks.push(element);
    i = next;
  }
  return blocks;
}

const FENCED = {
  test: (lines, i) => FENCE.test(lines[i]),
  read(lines, i) {
    const [, marker, language] = FENCE.exec(lines[i]);
    const body = [];
    let j = i + 1;
    while (j < lines.length && !lines[j].trim().startsWith(marker)) body.push(lines[j++]);
    const code = node("code", body.join("\n"));
    if (language) code.dataset.language = language;
    return { element: node("pre", code), next: j + 1 };
  },
};

const HEADINGS = {
  test: (lines, i) => HEADING.test(lines[i]),
  read(lines, i) {
    const [, hashes, content] = HEADING.exec(lines[i]);
    return { element: node(`h${hashes.length}`, ...inline(content)), next: i + 1 };
  },
};

const RULES = {
  test: (lines, i) => RULE.test(lines[i]),
  read: (lines, i) => ({ element: document.createElement("hr"), next: i + 1 }),
};

const TABLES = {
  test: (lines, i) => lines[i].includes("|") && i + 1 < lines.length && TABLE_SEPARATOR.test(lines[i + 1]) && lines[i + 1].includes("-"),
  read(lines, i) {
    const header = splitRow(lines[i]);
    const alignments = splitRow(lines[i + 1]).map(alignmentOf);
    const rows = [];
    let j = i + 2;
    while (j < lines.length && lines[j].trim() && lines[j].includes("|")) rows.push(splitRow(lines[j++]));
    const cell = (tag, content, column) => {
      const element = node(tag, ...inline(content));
      if (alignments[column]) element.style.textAlign = alignments[column];
      if (tag === "th") element.scope = "col";
      return element;
    };
    const table = node(
      "table",
      node("thead", node("tr", ...header.map((content, column) => cell("th", content, column)))),
      node("tbody", ...rows.map((row) => node("tr", ...header.map((_, column) => cell("td", row[column] ?? "", column))))),
    );
    // Wide tables scroll inside their own box, never the page.
    const wrapper = node("div", table);
    wrapper.className = "table-scroll";
    return { element: wrapper, next: j };
  },
};

const QUOTES = {
  test: (lines, i) => /^\s{0,3}>/.test(lines[i]),
  read(lines, i) {
    const body = [];
    let j = i;
    while (j < lines.length && /^\s{0,3}>/.test(lines[j])) body.push(lines[j++].replace(/^\s{0,3}>\s?/, ""));
    return { element: node("blockquote", ...parseBlocks(body)), next: j };
  },
};

const LISTS = {
  test: (lines, i) => BULLET.test(lines[i]) || ORDERED.test(lines[i]),
  read(lines, i) {
    const { element, next } = readList(lines, i, indentOf(lines[i]));
    return { element, next };
  },
};

const PARAGRAPH = {
  test: () => true,
  read(lines, i) {
    const body = [lines[i].trim()];
    let j = i + 1;
    while (j < lines.length && lines[j].trim() && !BLOCK_READERS.some((read) => read.test(lines, j))) body.push(lines[j++].trim());
    return { element: node("p", ...inline(body.join("\n"))), next: j };
  },
};

const BLOCK_READERS = [FENCED, HEADINGS, RULES, TABLES, QUOTES, LISTS];

function splitRow(line) {
  let row = line.trim();
  if (row.startsWith("|")) row = row.slice(1);
  if (row.endsWith("|") && !row.endsWith("\\|")) row = row.slice(0, -1);
  const cells = [];
  let current = "";
  let inCode = false;
  for (let k = 0; k < row.length; k += 1) {
    const ch = row[k];
    if (ch === "\\" && row[k + 1] === "|") { current += "\\|"; k += 1; continue; }
    if (ch === "`") inCode = !inCode;
    if (ch === "|" && !inCode) { cells.push(current.trim()); current = ""; continue; }
    current += ch;
  }
  cells.push(current.trim());
  return cells;
}

function alignmentOf(separator) {
  const left = separator.startsWith(":");
  const right = separator.endsWith(":");
  if (left && right) return "center";
  if (right) return "right";
  return left ? "left" : null;
}

function indentOf(line) {
  return /^\s*/.exec(line)[0].replace(/\t/g, "    ").length;
}

function listMarker(line) {
  const bullet = BULLET.exec(line);
  if (bullet) return { ordered: false, indent: indentOf(line), content: bullet[3] };
  const ordered = ORDERED.exec(line);
  if (ordered) return { ordered: true, indent: indentOf(line), start: Number(ordered[2]), content: ordered[3] };
  return null;
}

/** Reads list items at one indent; deeper items become a nested list inside the previous item. */
function readList(lines, i, indent) {
  const first = listMarker(lines[i]);
  const list = document.createElement(first.ordered ? "ol" : "ul");
  if (first.ordered && first.start !== 1) list.start = first.start;
  let item = null;
  let j = i;
  while (j < lines.length) {
    const line = lines[j];
    if (!line.trim()) {
      // A blank line ends the list unless the list carries on after it.
      const following = lines[j + 1];
      if (following !== undefined && listMarker(following) && indentOf(following) >= indent) { j += 1; continue; }
      break;
    }
    const marker = listMarker(line);
    if (marker && marker.indent === indent && marker.ordered === first.ordered) {
      item = node("li", ...inline(marker.content));
      list.append(item);
      j += 1;
    } else if (marker && marker.indent > indent && item) {
      const nested = readList(lines, j, marker.indent);
      item.append(nested.element);
      j = nested.next;
    } else if (!marker && item && indentOf(line) > indent) {
      item.append("\n", ...inline(line.trim()));
      j += 1;
    } else break;
  }
  return { element: list, next: j };
}

// ---------------------------------------------------------------- inline

/** Inline Markdown -> an array of nodes (text, code, strong, em, a, br). */
export function inline(text) {
  const out = [];
  let buffer = "";
  const flush = () => {
    if (buffer) out.push(document.createTextNode(buffer));
    buffer = "";
  };
  let k = 0;
  while (k < text.length) {
    const ch = text[k];
    if (ch === "\\" && PUNCTUATION.test(text[k + 1] ?? "")) {
      buffer += text[k + 1];
      k += 2;
      continue;
    }
    if (ch === "`") {
      const span = codeSpan(text, k);
      if (span) {
        flush();
        out.push(node("code", span.content));
        k = span.next;
        continue;
      }
      const run = /^`+/.exec(text.slice(k))[0];
      buffer += run;
      k += run.length;
      continue;
    }
    if (ch === "*" || ch === "_") {
      const emphasis = emphasisAt(text, k);
      if (emphasis) {
        flush();
        out.push(node(emphasis.tag, ...inline(emphasis.content)));
        k = emphasis.next;
        continue;
      }
    }
    if (ch === "[") {
      const link = linkAt(text, k);
      if (link) {
        flush();
        out.push(link.element);
        k = link.next;
        continue;
      }
    }
    if (ch === "\n") {
      flush();
      out.push(document.createTextNode(" "));
      k += 1;
      continue;
    }
    buffer += ch;
    k += 1;
  }
  flush();
  return out;
}

/** A code span opened by a backtick run at `k` and closed by a run of the same length. */
function codeSpan(text, k) {
  const run = /^`+/.exec(text.slice(k))[0];
  let search = k + run.length;
  while (search < text.length) {
    const at = text.indexOf(run, search);
    if (at < 0) return null;
    const closing = /^`+/.exec(text.slice(at))[0];
    if (closing.length === run.length) {
      let content = text.slice(k + run.length, at).replace(/\n/g, " ");
      if (content.length > 1 && content.startsWith(" ") && content.endsWith(" ") && content.trim()) content = content.slice(1, -1);
      return { content, next: at + run.length };
    }
    search = at + closing.length;
  }
  return null;
}

/** Where `marker` next occurs at `from` or later, skipping escapes and code spans; -1 if nowhere. */
function findCloser(text, from, marker) {
  let k = from;
  while (k < text.length) {
    if (text[k] === "\\" && PUNCTUATION.test(text[k + 1] ?? "")) { k += 2; continue; }
    if (text[k] === "`") {
      const span = codeSpan(text, k);
      if (span) { k = span.next; continue; }
    }
    if (text.startsWith(marker, k)) return k;
    k += 1;
  }
  return -1;
}

const WORD = /[\p{L}\p{N}]/u;

function emphasisAt(text, k) {
  const ch = text[k];
  const strong = text[k + 1] === ch;
  const marker = strong ? ch + ch : ch;
  const start = k + marker.length;
  // Underscores inside words (snake_case) are not emphasis.
  if (ch === "_" && WORD.test(text[k - 1] ?? "")) return null;
  if (!text[start] || /\s/.test(text[start])) return null;
  let close = findCloser(text, start, marker);
  // A single `*` must not close on half of a `**`.
  while (close >= 0 && !strong && text[close + 1] === ch) close = findCloser(text, close + 2, marker);
  if (close <= start || /\s/.test(text[close - 1])) return null;
  if (ch === "_" && WORD.test(text[close + marker.length] ?? "")) return null;
  return { tag: strong ? "strong" : "em", content: text.slice(start, close), next: close + marker.length };
}

/** The `)` that closes a link destination starting at `from`, counting nested parentheses. */
function closingParen(text, from) {
  let depth = 0;
  for (let k = from; k < text.length; k += 1) {
    if (text[k] === "\\") k += 1;
    else if (text[k] === "(") depth += 1;
    else if (text[k] === ")" && depth-- === 0) return k;
  }
  return -1;
}

function linkAt(text, k) {
  const closeText = findCloser(text, k + 1, "]");
  if (closeText < 0 || text[closeText + 1] !== "(") return null;
  const closeUrl = closingParen(text, closeText + 2);
  if (closeUrl < 0) return null;
  const label = text.slice(k + 1, closeText);
  const url = text.slice(closeText + 2, closeUrl).trim().split(/\s+/)[0] ?? "";
  const children = inline(label);
  // Only web links become links: javascript:, data: and relative URLs stay text.
  if (!SAFE_LINK.test(url)) return { element: node("span", ...children), next: closeUrl + 1 };
  const anchor = node("a", ...children);
  anchor.href = url;
  anchor.rel = "noopener noreferrer";
  anchor.target = "_blank";
  return { element: anchor, next: closeUrl + 1 };
}
