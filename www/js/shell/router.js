// Which view is shown: the URL hash (#/simulator, #/policy, ...) is the
// truth, so the back button and links work. Share links use #s=..., which
// the share module reads before routing.
export const VIEWS = [
  { id: "simulator", title: "Simulator" },
  { id: "policy", title: "Policy" },
  { id: "evidence", title: "Evidence" },
  { id: "dashboard", title: "Dashboard" },
  { id: "posture", title: "Posture" },
];

export class Router extends EventTarget {
  constructor(fallback = () => "simulator") {
    super();
    this.fallback = fallback;
    this.current = null;
    window.addEventListener("hashchange", () => this.sync());
  }

  viewFromHash() {
    const match = /^#\/([a-z]+)/.exec(location.hash);
    return match && VIEWS.some((v) => v.id === match[1]) ? match[1] : null;
  }

  /** Shows a view and puts it in the URL. */
  go(id, { focus = true } = {}) {
    if (location.hash !== `#/${id}`) history.pushState(null, "", `#/${id}`);
    this.show(id, focus);
  }

  sync() {
    const id = this.viewFromHash();
    if (id) this.show(id, false);
    else if (!this.current) this.show(this.fallback(), false);
  }

  show(id, focus) {
    this.current = id;
    for (const view of VIEWS) {
      const tab = document.getElementById(`tab-${view.id}`);
      const panel = document.getElementById(`view-${view.id}`);
      const selected = view.id === id;
      tab.setAttribute("aria-selected", String(selected));
      tab.tabIndex = selected ? 0 : -1;
      panel.hidden = !selected;
    }
    if (focus) document.getElementById(`view-${id}`).focus({ preventScroll: false });
    this.dispatchEvent(new CustomEvent("view", { detail: { id } }));
  }
}

/** Arrow keys move between the view tabs (the ARIA tabs pattern). */
export function enableTabKeys(router) {
  const tabs = [...document.querySelectorAll("#view-tabs [role=tab]")];
  for (const tab of tabs) {
    tab.addEventListener("click", (event) => {
      event.preventDefault();
      router.go(tab.dataset.view);
    });
    tab.addEventListener("keydown", (event) => {
      const visible = tabs.filter((t) => !t.closest("li").hidden);
      const at = visible.indexOf(tab);
      let next = null;
      if (event.key === "ArrowRight") next = visible[(at + 1) % visible.length];
      if (event.key === "ArrowLeft") next = visible[(at - 1 + visible.length) % visible.length];
      if (event.key === "Home") next = visible[0];
      if (event.key === "End") next = visible[visible.length - 1];
      if (next) {
        event.preventDefault();
        router.go(next.dataset.view, { focus: false });
        next.focus();
      }
    });
  }
  for (const panel of document.querySelectorAll("[role=tabpanel]")) panel.tabIndex = -1;
}
