// The command palette (Ctrl/Cmd+K): every view and action by name. A
// modal dialog: focus stays inside, arrows move, Enter runs, Escape closes
// and gives focus back to where it was.
export class Palette {
  constructor() {
    this.commands = [];
    this.backdrop = document.getElementById("palette");
    this.input = document.getElementById("palette-input");
    this.list = document.getElementById("palette-list");
    this.active = 0;
    this.shown = [];
    this.returnFocus = null;

    document.addEventListener("keydown", (event) => {
      if ((event.ctrlKey || event.metaKey) && event.key.toLowerCase() === "k") {
        event.preventDefault();
        this.isOpen() ? this.close() : this.open();
      }
    });
    document.getElementById("palette-button").addEventListener("click", () => this.open());
    this.input.addEventListener("input", () => this.render());
    this.input.addEventListener("keydown", (event) => this.onKey(event));
    this.backdrop.addEventListener("mousedown", (event) => {
      if (event.target === this.backdrop) this.close();
    });
  }

  /** Adds a command: `{id, title, group, keywords?, run}`. */
  add(command) {
    this.commands = this.commands.filter((c) => c.id !== command.id);
    this.commands.push(command);
  }

  isOpen() {
    return !this.backdrop.hidden;
  }

  open() {
    this.returnFocus = document.activeElement;
    this.backdrop.hidden = false;
    this.input.value = "";
    this.render();
    this.input.focus();
  }

  close() {
    this.backdrop.hidden = true;
    if (this.returnFocus && document.contains(this.returnFocus)) this.returnFocus.focus();
  }

  matches(query) {
    const words = query.toLowerCase().split(/\s+/).filter(Boolean);
    return this.commands.filter((c) => {
      const text = `${c.group} ${c.title} ${c.keywords ?? ""}`.toLowerCase();
      return words.every((w) => text.includes(w));
    });
  }

  render() {
    this.shown = this.matches(this.input.value);
    this.active = 0;
    this.list.replaceChildren(
      ...this.shown.map((command, n) => {
        const item = document.createElement("li");
        item.id = `palette-item-${n}`;
        item.setAttribute("role", "option");
        item.innerHTML = `<span class="palette-group"></span><span class="palette-title"></span>`;
        item.querySelector(".palette-group").textContent = command.group;
        item.querySelector(".palette-title").textContent = command.title;
        item.addEventListener("mousemove", () => this.highlight(n));
        item.addEventListener("click", () => this.run(n));
        return item;
      }),
    );
    if (this.shown.length === 0) {
      const empty = document.createElement("li");
      empty.className = "palette-empty";
      empty.textContent = "No command matches.";
      this.list.appendChild(empty);
    }
    this.highlight(0);
  }

  highlight(n) {
    this.active = n;
    [...this.list.children].forEach((item, i) => item.setAttribute("aria-selected", String(i === n)));
    const item = this.list.children[n];
    if (item && item.id) {
      this.input.setAttribute("aria-activedescendant", item.id);
      item.scrollIntoView({ block: "nearest" });
    } else this.input.removeAttribute("aria-activedescendant");
  }

  run(n) {
    const command = this.shown[n];
    if (!command) return;
    this.close();
    command.run();
  }

  onKey(event) {
    const count = this.shown.length;
    if (event.key === "ArrowDown" && count) {
      event.preventDefault();
      this.highlight((this.active + 1) % count);
    } else if (event.key === "ArrowUp" && count) {
      event.preventDefault();
      this.highlight((this.active - 1 + count) % count);
    } else if (event.key === "Enter") {
      event.preventDefault();
      this.run(this.active);
    } else if (event.key === "Escape") {
      event.preventDefault();
      this.close();
    } else if (event.key === "Tab") {
      // The input is the dialog's only focus stop: keep focus inside.
      event.preventDefault();
    }
  }
}
