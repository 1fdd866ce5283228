// The policy YAML editor: a plain <textarea> over a mirrored backdrop that
// highlights the lines and columns the engine complains about, a line-number
// gutter, and a clickable list of problems. No editor library: the textarea
// keeps native undo, selection, IME and screen-reader behaviour.
import { el } from "./dom.js";

/** Must match `.pe-input`/`.pe-mirror` in css/views/policy.css: bars and markers are placed by it. */
const LINE_HEIGHT = 20;
const PADDING_TOP = 10;
const INDENT = "  ";
/** Characters beyond which an indent is applied directly instead of through the (slow) undoable path. */
const UNDOABLE_LIMIT = 4000;

/**
 * UTF-16 offset (what the textarea counts) of a 1-based character column
 * (what the engine counts) in one line; clamped to the line's end.
 */
export function columnToUtf16(lineText, column) {
  const chars = Array.from(lineText);
  const before = Math.max(0, Math.min((column ?? 1) - 1, chars.length));
  return chars.slice(0, before).join("").length;
}

/** The UTF-16 offset in `text` where a 1-based line starts (the text's end if past it). */
export function lineStartOffset(text, line) {
  let offset = 0;
  for (let n = 1; n < line; n += 1) {
    const next = text.indexOf("\n", offset);
    if (next < 0) return text.length;
    offset = next + 1;
  }
  return offset;
}

/** The UTF-16 offset of an engine position `{line, column}` in `text`. */
export function positionToOffset(text, line, column) {
  const start = lineStartOffset(text, line);
  const end = text.indexOf("\n", start);
  const lineText = text.slice(start, end < 0 ? text.length : end);
  return start + columnToUtf16(lineText, column);
}

/** Where the underline of a problem ends: the rest of the word at the column (at least one character). */
function tokenEnd(lineText, start) {
  let end = start;
  while (end < lineText.length && !/\s/.test(lineText[end])) end += 1;
  return Math.max(end, Math.min(start + 1, lineText.length));
}

function problemLabel(problem) {
  return problem.line ? `${problem.line}:${problem.column ?? 1}` : "—";
}

export class PolicyEditor {
  /**
   * `{id, label, onInput}`: `onInput(text)` runs on every edit (the caller
   * debounces). `element` is the widget to insert.
   */
  constructor({ id = "policy-editor", label = "Policy YAML", onInput = () => {} } = {}) {
    this.onInput = onInput;
    this.problems = [];
    this.lineCount = 0;
    this.escapeArmed = false;
    this.build(id, label);
    this.input.addEventListener("input", () => this.edited());
    this.input.addEventListener("scroll", () => this.syncScroll());
    this.input.addEventListener("keydown", (event) => this.onKey(event));
  }

  build(id, label) {
    this.input = el("textarea", {
      id,
      class: "pe-input",
      spellcheck: "false",
      autocapitalize: "off",
      autocomplete: "off",
      wrap: "off",
      "aria-describedby": `${id}-hint`,
      "aria-invalid": "false",
    });
    this.numbers = el("div", { class: "pe-numbers" });
    this.gutterMarks = el("div", { class: "pe-gutter-marks" });
    this.gutterInner = el("div", { class: "pe-gutter-inner" }, this.numbers, this.gutterMarks);
    this.gutter = el("div", { class: "pe-gutter", "aria-hidden": "true" }, this.gutterInner);
    this.mirror = el("pre", { class: "pe-mirror", "aria-hidden": "true" });
    this.frame = el("div", { class: "pe-frame" }, this.gutter, el("div", { class: "pe-body" }, this.mirror, this.input));
    this.list = el("ul", { class: "pe-problems", role: "list", "aria-label": "Problems in the policy", hidden: true });
    this.element = el("div", { class: "pe" },
      el("div", { class: "pe-label-row" },
        el("label", { for: id, class: "pe-label" }, label),
        el("span", { id: `${id}-hint`, class: "pe-hint muted" }, "Tab indents, Shift+Tab outdents; press Esc then Tab to leave the editor."),
      ),
      this.frame,
      this.list,
    );
  }

  get value() {
    return this.input.value;
  }

  /** Replaces the text (a new document: caret to the top, no onInput). */
  set value(text) {
    this.input.value = text;
    this.input.setSelectionRange(0, 0);
    this.input.scrollTop = 0;
    this.input.scrollLeft = 0;
    this.problems = [];
    this.render();
  }

  edited() {
    // Old marks point at text that moved: hide them until the next validation.
    // With none shown, only the gutter can change, so typing stays cheap.
    const hadProblems = this.problems.length > 0;
    this.problems = [];
    if (hadProblems) this.render();
    else this.renderGutter();
    this.onInput(this.input.value);
  }

  /** Shows the engine's `errors` and `warnings` (`{message, line, column, help}`) in the text and the list. */
  setProblems(errors = [], warnings = []) {
    this.problems = [
      ...errors.map((p) => ({ ...p, level: "error" })),
      ...warnings.map((p) => ({ ...p, level: "warning" })),
    ];
    this.input.setAttribute("aria-invalid", String(errors.length > 0));
    this.render();
  }

  render() {
    this.renderGutter();
    this.renderMirror();
    this.renderList();
    this.syncScroll();
  }

  renderGutter() {
    const lines = this.input.value.split("\n").length;
    if (lines !== this.lineCount) {
      this.lineCount = lines;
      this.numbers.textContent = Array.from({ length: lines }, (_, n) => n + 1).join("\n");
      this.frame.style.setProperty("--pe-digits", String(String(lines).length));
    }
    this.gutterMarks.replaceChildren(
      ...this.positioned().map((p) => el("div", { class: `pe-gutter-mark ${p.level}`, style: `top:${this.lineTop(p.line)}px` }, p.level === "error" ? "✕" : "!")),
    );
  }

  /** Problems with a line inside the text, one per line (the first wins). */
  positioned() {
    const seen = new Set();
    return this.problems.filter((p) => {
      if (!p.line || p.line > this.lineCount || seen.has(p.line)) return false;
      seen.add(p.line);
      return true;
    });
  }

  lineTop(line) {
    return PADDING_TOP + (line - 1) * LINE_HEIGHT;
  }

  /** The mirror repeats the text invisibly so an underline lands under the exact characters. */
  renderMirror() {
    const text = this.input.value;
    const marks = this.positioned()
      .map((p) => {
        const start = lineStartOffset(text, p.line);
        const end = text.indexOf("\n", start);
        const lineText = text.slice(start, end < 0 ? text.length : end);
        const from = columnToUtf16(lineText, p.column);
        return { ...p, from: start + from, to: start + tokenEnd(lineText, from) };
      })
      .sort((a, b) => a.from - b.from);
    const parts = [];
    let at = 0;
    for (const mark of marks) {
      if (mark.from < at) continue;
      parts.push(text.slice(at, mark.from));
      // An error at the end of a line underlines a space the textarea does not have.
      parts.push(el("span", { class: `pe-underline ${mark.level}` }, mark.to > mark.from ? text.slice(mark.from, mark.to) : " "));
      at = mark.to;
    }
    parts.push(text.slice(at));
    // A trailing newline needs a character after it, or the mirror is one line short.
    parts.push("\n ");
    const bars = this.positioned().map((p) => el("div", { class: `pe-line-bar ${p.level}`, style: `top:${this.lineTop(p.line)}px` }));
    this.mirror.replaceChildren(...bars, ...parts);
  }

  renderList() {
    this.list.hidden = this.problems.length === 0;
    this.list.replaceChildren(
      ...this.problems.map((problem) =>
        el("li", { class: `pe-problem ${problem.level}` },
          el("button", {
            type: "button",
            class: "pe-problem-button",
            "data-line": problem.line ?? "",
            "data-column": problem.column ?? "",
            onclick: () => this.moveTo(problem.line, problem.column),
          },
          el("span", { class: "pe-problem-level" }, problem.level === "error" ? "Error" : "Warning"),
          el("span", { class: "pe-problem-pos" }, problemLabel(problem)),
          el("span", { class: "pe-problem-message" }, problem.message),
          problem.help ? el("span", { class: "pe-problem-help" }, problem.help) : null,
          problem.path ? el("code", { class: "pe-problem-path" }, problem.path) : null),
        ),
      ),
    );
  }

  syncScroll() {
    const { scrollTop, scrollLeft } = this.input;
    this.mirror.style.transform = `translate(${-scrollLeft}px, ${-scrollTop}px)`;
    this.gutterInner.style.transform = `translateY(${-scrollTop}px)`;
  }

  /** Puts the caret at an engine position (1-based line, character column) and scrolls it into view. */
  moveTo(line, column) {
    this.input.focus({ preventScroll: true });
    if (!line) return;
    const offset = positionToOffset(this.input.value, line, column ?? 1);
    this.input.setSelectionRange(offset, offset);
    const top = this.lineTop(line) - this.input.clientHeight / 3;
    this.input.scrollTop = Math.max(0, top);
    this.syncScroll();
    this.frame.scrollIntoView({ block: "nearest" });
  }

  focus() {
    this.input.focus();
  }

  onKey(event) {
    if (event.key === "Escape") {
      this.escapeArmed = true;
      return;
    }
    if (event.key !== "Tab" || event.ctrlKey || event.metaKey || event.altKey) {
      if (!["Shift"].includes(event.key)) this.escapeArmed = false;
      return;
    }
    if (this.escapeArmed) {
      // Esc then Tab: the keyboard user's way out, so the editor is no focus trap.
      this.escapeArmed = false;
      return;
    }
    event.preventDefault();
    if (event.shiftKey) this.outdent();
    else this.indent();
  }

  indent() {
    const { selectionStart, selectionEnd, value } = this.input;
    if (!value.slice(selectionStart, selectionEnd).includes("\n")) {
      this.replace(selectionStart, selectionEnd, INDENT);
      return;
    }
    this.rewriteLines((line) => INDENT + line);
  }

  outdent() {
    this.rewriteLines((line) => line.replace(/^ {1,2}/, ""));
  }

  /** Rewrites every line the selection touches, keeping them selected. */
  rewriteLines(change) {
    const { selectionStart, selectionEnd, value } = this.input;
    const from = value.lastIndexOf("\n", selectionStart - 1) + 1;
    const lineEnd = value.indexOf("\n", Math.max(selectionEnd - (selectionEnd > selectionStart ? 1 : 0), selectionStart));
    const to = lineEnd < 0 ? value.length : lineEnd;
    const before = value.slice(from, to);
    const after = before.split("\n").map(change).join("\n");
    if (after === before) return;
    this.replace(from, to, after);
    if (selectionStart === selectionEnd) {
      // A bare caret stays on its character instead of selecting the line.
      const caret = Math.max(from, selectionStart + after.length - before.length);
      this.input.setSelectionRange(caret, caret);
    } else this.input.setSelectionRange(from, from + after.length);
  }

  /**
   * Replaces a range as if typed, so the browser's undo still works. Big
   * replacements skip that: Chromium's insertText slows to seconds on
   * thousands of lines.
   */
  replace(from, to, text) {
    this.input.setSelectionRange(from, to);
    let typed = false;
    try {
      typed = text.length + (to - from) < UNDOABLE_LIMIT && document.execCommand("insertText", false, text);
    } catch {
      typed = false;
    }
    if (!typed) {
      this.input.setRangeText(text, from, to, "end");
      this.input.dispatchEvent(new Event("input", { bubbles: true }));
    }
  }
}
