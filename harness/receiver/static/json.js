// The body, pretty-printed like JSON.stringify(value, null, 2), as DOM nodes: each value is a
// span with data-path (its JSON pointer) so schema violations can be highlighted in place.

import { el } from "./dom.js";

const LONG = 400;

export function pointer(parent, key) {
  return `${parent}/${String(key).replaceAll("~", "~0").replaceAll("/", "~1")}`;
}

function stringNode(text) {
  const full = JSON.stringify(text);
  if (full.length <= LONG) return full;
  const shown = el("span", {}, `${full.slice(0, LONG)}…`);
  const more = el("button", {
    type: "button",
    class: "more",
    onclick: () => { shown.textContent = full; more.remove(); },
  }, `show all ${full.length} characters`);
  return [shown, " ", more];
}

// marks: Map of JSON pointer → list of violation messages.
export function renderJson(value, marks, path = "", depth = 0) {
  const pad = "  ".repeat(depth);
  const inner = "  ".repeat(depth + 1);
  let node;
  if (Array.isArray(value)) {
    node = el("span", { class: "j-array" }, value.length ? "[\n" : "[");
    value.forEach((item, index) => {
      node.append(inner, renderJson(item, marks, pointer(path, index), depth + 1));
      node.append(index < value.length - 1 ? ",\n" : "\n");
    });
    node.append(value.length ? `${pad}]` : "]");
  } else if (value !== null && typeof value === "object") {
    const keys = Object.keys(value);
    node = el("span", { class: "j-object" }, keys.length ? "{\n" : "{");
    keys.forEach((key, index) => {
      node.append(inner, el("span", { class: "j-key" }, JSON.stringify(key)), ": ");
      node.append(renderJson(value[key], marks, pointer(path, key), depth + 1));
      node.append(index < keys.length - 1 ? ",\n" : "\n");
    });
    node.append(keys.length ? `${pad}}` : "}");
  } else if (typeof value === "string") {
    node = el("span", { class: "j-string" }, stringNode(value));
  } else {
    node = el("span", { class: `j-${value === null ? "null" : typeof value}` }, JSON.stringify(value));
  }
  node.dataset.path = path || "/";
  if (marks.has(path)) mark(node, path || "/", marks.get(path));
  return node;
}

// A leaf is highlighted itself; an object or array by its opening bracket, followed by the
// messages (a "required" violation points at the object that lacks the property).
function mark(node, path, messages) {
  const title = messages.join("\n");
  if (!node.classList.contains("j-object") && !node.classList.contains("j-array")) {
    node.classList.add("violation");
    node.title = title;
    return;
  }
  const bracket = node.firstChild;
  const opener = el("span", { class: "violation", title, dataset: { path } }, bracket.textContent.trimEnd());
  const note = el("span", { class: "violation-note" }, `  ⚠ ${messages.join("; ")}`);
  bracket.replaceWith(opener, note, bracket.textContent.endsWith("\n") ? "\n" : "");
}

// The deepest path present in the document for each violation (a missing property's
// instancePath is its parent object, so it is always present; this guards odd paths).
export function violationMarks(errors, document) {
  const marks = new Map();
  for (const error of errors || []) {
    const path = presentPath(error.instancePath || "", document);
    if (!marks.has(path)) marks.set(path, []);
    marks.get(path).push(error.message);
  }
  return marks;
}

function presentPath(path, document) {
  const parts = path.split("/").slice(1);
  let value = document;
  let found = "";
  for (const raw of parts) {
    const key = raw.replaceAll("~1", "/").replaceAll("~0", "~");
    if (value === null || typeof value !== "object" || !(key in value)) break;
    value = value[key];
    found = pointer(found, key);
  }
  return found;
}
