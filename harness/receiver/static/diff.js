// The difference of two captures' bodies, leaf by leaf (JSON pointer → value): what was
// added, removed or changed. Bodies that are not JSON compare as one value each.

import { el, getJson } from "./dom.js";
import { pointer } from "./json.js";

const MAX_LEAVES = 20_000;
const SHOWN = 500;

function leaves(value, path = "", out = new Map()) {
  if (out.size >= MAX_LEAVES) return out;
  if (value !== null && typeof value === "object") {
    const keys = Object.keys(value);
    if (!keys.length) out.set(path || "/", JSON.stringify(value));
    for (const key of keys) leaves(value[key], pointer(path, key), out);
  } else {
    out.set(path || "/", JSON.stringify(value));
  }
  return out;
}

export function diffBodies(a, b) {
  const left = leaves(a);
  const right = leaves(b);
  const rows = [];
  for (const [path, value] of left) {
    if (!right.has(path)) rows.push({ path, kind: "removed", a: value, b: "" });
    else if (right.get(path) !== value) rows.push({ path, kind: "changed", a: value, b: right.get(path) });
  }
  for (const [path, value] of right) if (!left.has(path)) rows.push({ path, kind: "added", a: "", b: value });
  return rows;
}

export async function showDiff(holder, idA, idB) {
  holder.replaceChildren(el("p", { class: "note" }, `Comparing #${idA} with #${idB}…`));
  const [a, b] = await Promise.all([getJson(`/events/${idA}`), getJson(`/events/${idB}`)]);
  if (!a.ok || !b.ok) {
    holder.replaceChildren(el("p", { class: "note warn" }, (a.ok ? b : a).data.message || "capture not found"));
    return;
  }
  const rows = diffBodies(a.data.body, b.data.body);
  if (!rows.length) {
    holder.replaceChildren(el("p", { class: "fine diff-same" }, `#${idA} and #${idB} have the same body.`));
    return;
  }
  holder.replaceChildren(
    el("p", { class: "note" }, `${rows.length} difference${rows.length === 1 ? "" : "s"} (#${idA} → #${idB})`
      + (rows.length > SHOWN ? `, first ${SHOWN} shown` : "")),
    el("table", { class: "grid diff" },
      el("thead", {}, el("tr", {}, el("th", {}, "Path"), el("th", {}, `#${idA}`), el("th", {}, `#${idB}`))),
      el("tbody", {}, rows.slice(0, SHOWN).map((r) => el("tr", { class: `diff-${r.kind}` },
        el("td", { class: "mono" }, r.path), el("td", { class: "mono a" }, r.a), el("td", { class: "mono b" }, r.b))))),
  );
}
