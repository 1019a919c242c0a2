// Times: every time is shown in UTC with its date ("2026-12-02 04:13:22.123"), or relative
// ("12 s ago") when the user picks that; the other form is in the title. One setting for the
// whole page (localStorage "inspector.time"), re-rendered every 10 s while relative.

const KEY = "inspector.time";
let mode = localStorage.getItem(KEY) === "relative" ? "relative" : "utc";
const listeners = new Set();

export function timeMode() {
  return mode;
}

export function setTimeMode(next) {
  mode = next === "relative" ? "relative" : "utc";
  localStorage.setItem(KEY, mode);
  for (const listener of listeners) listener();
  refreshTimes(document);
}

export function onTimeMode(listener) {
  listeners.add(listener);
}

export function utc(iso) {
  const when = new Date(iso);
  if (Number.isNaN(when.getTime())) return String(iso);
  return when.toISOString().replace("T", " ").replace("Z", "");
}

export function relative(iso, now = Date.now()) {
  const when = new Date(iso).getTime();
  if (Number.isNaN(when)) return String(iso);
  const seconds = Math.round((now - when) / 1000);
  const ahead = seconds < 0;
  const s = Math.abs(seconds);
  const text = s < 60 ? `${s} s` : s < 3600 ? `${Math.floor(s / 60)} min`
    : s < 86400 ? `${Math.floor(s / 3600)} h` : `${Math.floor(s / 86400)} d`;
  return ahead ? `in ${text}` : `${text} ago`;
}

function render(node) {
  const iso = node.dataset.at;
  const zone = node.dataset.short ? "" : " UTC";
  const shown = mode === "relative" ? relative(iso) : `${utc(iso)}${zone}`;
  node.textContent = shown;
  node.title = mode === "relative" ? `${utc(iso)} UTC` : relative(iso);
}

// A <time> element for an ISO instant, in the page's current mode (`short`: without the
// " UTC" suffix, for a column whose heading says it).
export function timeNode(iso, { short = false } = {}) {
  const node = document.createElement("time");
  node.className = "when";
  node.dateTime = String(iso);
  node.dataset.at = String(iso);
  if (short) node.dataset.short = "1";
  render(node);
  return node;
}

export function refreshTimes(root) {
  for (const node of root.querySelectorAll("time.when")) render(node);
  for (const node of root.querySelectorAll("[data-time-heading]")) {
    node.textContent = mode === "relative" ? "Received" : "Time (UTC)";
  }
}

setInterval(() => { if (mode === "relative") refreshTimes(document); }, 10_000);
