// Small SVG chart builders for the dashboard and posture views. Plain SVG
// made with createElementNS (no library): every chart has a title for
// screen readers, every bar its count in text, and a visually hidden table
// with the same numbers, so colour is never the only way to read them.
import { el } from "./dom.js";

const SVG = "http://www.w3.org/2000/svg";
const ROW_HEIGHT = 44;
const BAR_HEIGHT = 16;
// Bars stop short of the right edge so the count always fits beside them.
const BAR_MAX_PERCENT = 84;

/** An SVG element with attributes and children (text goes in as text). */
export function svg(tag, attributes = {}, ...children) {
  const node = document.createElementNS(SVG, tag);
  for (const [key, value] of Object.entries(attributes)) {
    if (value !== null && value !== undefined && value !== false) node.setAttribute(key, String(value));
  }
  for (const child of children) {
    if (child === null || child === undefined) continue;
    node.append(child instanceof Node ? child : String(child));
  }
  return node;
}

/** A visually hidden table of the chart's numbers, for screen readers. */
function dataTable(caption, rows, valueHeading) {
  return el("table", { class: "visually-hidden" },
    el("caption", {}, caption),
    el("thead", {}, el("tr", {}, el("th", { scope: "col" }, "Category"), el("th", { scope: "col" }, valueHeading))),
    el("tbody", {}, rows.map((row) => el("tr", {}, el("th", { scope: "row" }, row.label), el("td", {}, String(row.value))))));
}

/**
 * A horizontal bar chart: `rows` = `[{key, label, value, tone}]` (tone picks
 * the bar colour class, `chart-tone-<tone>`). Returns a `<figure>` whose SVG
 * is sized in percentages, so text stays readable at any width.
 */
export function barChart({ id, title, caption = title, rows, valueHeading = "Count" }) {
  const max = Math.max(1, ...rows.map((r) => r.value));
  const titleId = `${id}-title`;
  const total = rows.reduce((sum, r) => sum + r.value, 0);
  const summary = rows.map((r) => `${r.label}: ${r.value}`).join(", ");
  const chart = svg("svg", {
    class: "chart-bars", width: "100%", height: rows.length * ROW_HEIGHT, role: "img",
    "aria-labelledby": titleId, "data-chart": id, focusable: "false",
  }, svg("title", { id: titleId }, `${title}: ${summary}`));
  rows.forEach((row, n) => chart.append(barRow(row, n, max)));
  return el("figure", { class: "chart", id, "data-total": total },
    el("figcaption", { class: "chart-caption" }, caption),
    chart,
    dataTable(caption, rows, valueHeading));
}

function barRow(row, n, max) {
  const top = n * ROW_HEIGHT;
  const percent = row.value === 0 ? 0 : Math.max(1.5, (row.value / max) * BAR_MAX_PERCENT);
  const barTop = top + 20;
  return svg("g", { class: `chart-row chart-tone-${row.tone ?? "accent"}`, "data-key": row.key ?? row.label, "data-count": row.value },
    svg("text", { class: "chart-label", x: 0, y: top + 14 }, row.label),
    svg("rect", { class: "chart-track", x: 0, y: barTop, width: `${BAR_MAX_PERCENT}%`, height: BAR_HEIGHT, rx: 3 }),
    svg("rect", { class: "chart-bar", x: 0, y: barTop, width: `${percent}%`, height: BAR_HEIGHT, rx: 3 }),
    svg("text", { class: "chart-count", x: `${percent + 1.5}%`, y: barTop + BAR_HEIGHT - 3 }, String(row.value)));
}

/**
 * A ring gauge for a 0-100 score with the grade in its middle; the ring's
 * colour class (`gauge-tone-<tone>`) is the caller's.
 */
export function scoreGauge({ score, grade, tone, label }) {
  const radius = 52;
  const circumference = 2 * Math.PI * radius;
  const filled = (Math.max(0, Math.min(100, score)) / 100) * circumference;
  return svg("svg", { class: `gauge gauge-tone-${tone}`, viewBox: "0 0 128 128", width: 148, height: 148, role: "img", "aria-label": label, focusable: "false" },
    svg("circle", { class: "gauge-track", cx: 64, cy: 64, r: radius, "stroke-width": 12, fill: "none" }),
    filled > 0 ? svg("circle", {
      class: "gauge-value", cx: 64, cy: 64, r: radius, "stroke-width": 12, fill: "none",
      "stroke-dasharray": `${filled} ${circumference}`, transform: "rotate(-90 64 64)", "stroke-linecap": "round",
    }) : null,
    svg("text", { class: "gauge-grade", x: 64, y: 62, "text-anchor": "middle" }, grade),
    svg("text", { class: "gauge-score", x: 64, y: 86, "text-anchor": "middle" }, `${score} / 100`));
}
