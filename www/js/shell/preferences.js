// Theme and role: chosen in the header, kept in localStorage, applied to
// <html data-theme> and <body data-role>. The theme follows the OS until
// the user picks one.
const THEMES = ["system", "light", "dark", "contrast"];
export const ROLES = {
  developer: { title: "Developer", lands: "simulator", order: ["simulator", "policy", "evidence", "dashboard", "posture"] },
  security: { title: "Security reviewer", lands: "policy", order: ["policy", "simulator", "posture", "evidence", "dashboard"] },
  auditor: { title: "Auditor", lands: "evidence", order: ["evidence", "dashboard", "posture", "simulator", "policy"] },
  executive: { title: "Executive", lands: "dashboard", order: ["dashboard", "posture", "evidence", "simulator", "policy"] },
};

function stored(key, allowed, fallback) {
  try {
    const value = localStorage.getItem(key);
    return allowed.includes(value) ? value : fallback;
  } catch {
    return fallback;
  }
}

function keep(key, value) {
  try {
    localStorage.setItem(key, value);
  } catch {
    // Storage can be off (private windows, file://): the choice lasts for this page.
  }
}

export function currentTheme() {
  return stored("cavra.theme", THEMES, "system");
}

export function applyTheme(theme) {
  document.documentElement.dataset.theme = theme;
  const select = document.getElementById("theme-select");
  if (select) select.value = theme;
}

export function setTheme(theme) {
  if (!THEMES.includes(theme)) return;
  keep("cavra.theme", theme);
  applyTheme(theme);
}

export function currentRole() {
  return stored("cavra.role", Object.keys(ROLES), "developer");
}

/** Applies a role: the body's data-role (views lead with what it needs) and the order of the view tabs. */
export function applyRole(role) {
  document.body.dataset.role = role;
  const select = document.getElementById("role-select");
  if (select) select.value = role;
  const list = document.getElementById("view-tabs");
  for (const id of ROLES[role].order) {
    const item = list.querySelector(`[data-view=${id}]`).closest("li");
    list.appendChild(item);
  }
}

export function setRole(role) {
  if (!ROLES[role]) return;
  keep("cavra.role", role);
  applyRole(role);
  document.dispatchEvent(new CustomEvent("cavra:role", { detail: { role } }));
}

export function themes() {
  return THEMES;
}
