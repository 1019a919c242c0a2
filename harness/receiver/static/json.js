// The body as a collapsible, lazy JSON tree inside <pre class="body">, laid out like
// JSON.stringify(value, null, 2). Each value is a span with data-path (its JSON pointer) so
// schema violations can be marked in place. Only what is open is built, and a container
// shows its children CHUNK at a time, so a 50,000-key body costs a few hundred nodes.
// Toggles, "more" buttons and violation notes are user-select: none (notes are CSS
// ::after text), so a selection copies JSON text only.

import { el } from "./dom.js";

const CHUNK = 200;
const LONG = 2000;
const OPEN_DEPTH = 3;

export function pointer(parent, key) {
  return `${parent}/${String(key).replaceAll("~", "~0").replaceAll("/", "~1")}`;
}

function stringNode(text) {
  const full = JSON.stringify(text);
  if (full.length <= LONG) return full;
  const shown = el("span", {}, full.slice(0, LONG));
  const more = el("button", {
    type: "button",
    class: "more",
    onclick: () => { shown.replaceChildren(el("span", {}, full)); more.remove(); },
  }, `show all ${full.length} characters`);
  return [shown, more];
}

function leaf(value, path, marks) {
  const node = typeof value === "string"
    ? el("span", { class: "j-string" }, stringNode(value))
    : el("span", { class: `j-${value === null ? "null" : typeof value}` }, JSON.stringify(value));
  node.dataset.path = path || "/";
  if (marks.has(path)) {
    node.classList.add("violation");
    node.title = marks.get(path).join("\n");
  }
  return node;
}

// tree: {marks: Map pointer → messages, open: Set of pointers that must start open}
function container(value, path, depth, tree) {
  const array = Array.isArray(value);
  const keys = array ? null : Object.keys(value);
  const size = array ? value.length : keys.length;
  const [opening, closing] = array ? ["[", "]"] : ["{", "}"];
  const node = el("span", { class: array ? "j-array" : "j-object", dataset: { path: path || "/" } });
  const bracket = el("span", { class: "bracket" }, opening);
  if (tree.marks.has(path)) {
    const messages = tree.marks.get(path);
    bracket.classList.add("violation");
    bracket.title = messages.join("\n");
    bracket.dataset.path = path || "/";
    bracket.dataset.note = `  ⚠ ${messages.join("; ")}`;
  }
  if (!size) {
    node.append(bracket, closing);
    return node;
  }
  const toggle = el("button", {
    type: "button", class: "toggle", "aria-expanded": "false",
    "aria-label": `${path || "/"}: ${size} ${array ? "items" : "keys"}`,
  });
  const summary = el("span", { class: "summary" }, ` … ${size} ${array ? "items" : "keys"} `);
  const body = el("span", { class: "children" });
  let shown = 0;
  const more = el("button", { type: "button", class: "more" });
  const renderMore = (upTo = shown + CHUNK) => {
    const end = Math.min(size, upTo);
    const lines = [];
    for (let i = shown; i < end; i += 1) {
      const key = array ? i : keys[i];
      const child = array ? value[i] : value[key];
      const childPath = pointer(path, key);
      const line = el("span", { class: "line" }, "  ".repeat(depth + 1));
      if (!array) line.append(el("span", { class: "j-key" }, JSON.stringify(key)), ": ");
      line.append(render(child, childPath, depth + 1, tree), i < size - 1 ? "," : "", "\n");
      lines.push(line);
    }
    shown = end;
    more.before(...lines);
    if (shown < size) more.replaceChildren(`show ${Math.min(CHUNK, size - shown)} more (${size - shown} left)`);
    else more.remove();
  };
  more.addEventListener("click", () => renderMore());
  const setOpen = (open) => {
    toggle.setAttribute("aria-expanded", String(open));
    toggle.textContent = open ? "▾" : "▸";
    node.classList.toggle("collapsed", !open);
    if (open && !shown) {
      body.append("\n", more);
      renderMore();
    }
  };
  toggle.addEventListener("click", () => setOpen(toggle.getAttribute("aria-expanded") !== "true"));
  node.reveal = (key) => {  // open it and build children up to `key` (for a violation link)
    setOpen(true);
    const index = array ? Number(key) : keys.indexOf(key);
    if (index >= shown) renderMore(index + 1);
  };
  node.append(toggle, bracket, summary, body, el("span", { class: "pad" }, "  ".repeat(depth)), closing);
  setOpen(depth < OPEN_DEPTH || tree.open.has(path));
  return node;
}

function render(value, path, depth, tree) {
  if (value !== null && typeof value === "object") return container(value, path, depth, tree);
  return leaf(value, path, tree.marks);
}

// marks: Map of JSON pointer → list of violation messages (their containers start open).
export function renderJson(value, marks) {
  const open = new Set();
  for (const path of marks.keys()) {
    let parent = path;
    while (parent) {
      parent = parent.slice(0, parent.lastIndexOf("/"));
      open.add(parent);
    }
  }
  return render(value, "", 0, { marks, open });
}

// Opens every container on the way to `path` inside `root` and returns its node (or null).
export function revealPath(root, path) {
  const parts = path === "/" || !path ? [] : path.split("/").slice(1);
  let node = root.querySelector('[data-path="/"]');
  let current = "";
  for (const raw of parts) {
    if (!node || !node.reveal) break;
    const key = raw.replaceAll("~1", "/").replaceAll("~0", "~");
    node.reveal(key);
    current = pointer(current, key);
    node = [...root.querySelectorAll("[data-path]")].find((n) => n.dataset.path === current) || node;
  }
  return node;
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
