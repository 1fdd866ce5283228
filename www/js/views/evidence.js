// The evidence view (placeholder until written).
export function mount(section) {
  section.innerHTML = "<h1>evidence</h1>";
}
