// The dashboard view (placeholder until written).
export function mount(section) {
  section.innerHTML = "<h1>dashboard</h1>";
}
