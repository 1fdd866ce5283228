// One polite live region for short messages ("Link copied", errors), so
// screen readers hear them and nothing pops over the page.
let timer = null;

export function say(message, { error = false } = {}) {
  const bar = document.getElementById("status");
  bar.textContent = message;
  bar.classList.toggle("error", error);
  bar.classList.add("shown");
  clearTimeout(timer);
  timer = setTimeout(() => bar.classList.remove("shown"), error ? 8000 : 3500);
}
