// The policy view (placeholder until written).
export function mount(section) {
  section.innerHTML = "<h1>policy</h1>";
}
