// The posture view (placeholder until written).
export function mount(section) {
  section.innerHTML = "<h1>posture</h1>";
}
