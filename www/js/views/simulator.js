// The simulator view (placeholder until written).
export function mount(section) {
  section.innerHTML = "<h1>simulator</h1>";
}
