// DOM helpers for the inspector. Every piece of payload data reaches the page as a text node
// (append of a string, textContent, setAttribute): never as HTML markup, so `<script>` is text.
// Invisible and bidirectional control characters (U+202E and friends) are shown escaped, as a
// marked `\u202E`, so a name cannot reorder or hide what follows it.

// C0/C1 controls (tab, newline and carriage return excepted), ALM, zero-width and bidi marks,
// embeddings, overrides and isolates, word joiners, the BOM.
const INVISIBLE = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\u061C\u200B-\u200F\u2028-\u202E\u2060-\u2069\uFEFF]/g;

export function escapeCode(ch) {
  return `\\u${ch.codePointAt(0).toString(16).toUpperCase().padStart(4, "0")}`;
}

// The text with every invisible control written as its \uXXXX escape (for attributes).
export function visible(text) {
  return String(text).replace(INVISIBLE, escapeCode);
}

// Text nodes, with each invisible control as a marked <span class="esc">\uXXXX</span>.
export function textNodes(text) {
  const value = String(text);
  const found = [...value.matchAll(INVISIBLE)];
  if (!found.length) return [document.createTextNode(value)];
  const nodes = [];
  let last = 0;
  for (const match of found) {
    if (match.index > last) nodes.push(document.createTextNode(value.slice(last, match.index)));
    const code = escapeCode(match[0]);
    const mark = document.createElement("span");
    mark.className = "esc";
    mark.title = `invisible control character U+${code.slice(2)}`;
    mark.textContent = code;
    nodes.push(mark);
    last = match.index + match[0].length;
  }
  if (last < value.length) nodes.push(document.createTextNode(value.slice(last)));
  return nodes;
}

export function el(tag, props = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(props)) {
    if (value === undefined || value === null || value === false) continue;
    if (key === "class") node.className = value;
    else if (key === "dataset") Object.assign(node.dataset, value);
    else if (key.startsWith("on")) node.addEventListener(key.slice(2), value);
    else node.setAttribute(key, value === true ? "" : visible(value));
  }
  append(node, children);
  return node;
}

export function append(node, children) {
  for (const child of [children].flat(Infinity)) {
    if (child === undefined || child === null || child === false) continue;
    if (child instanceof Node) node.append(child);
    else node.append(...textNodes(child));
  }
  return node;
}

export function clear(node) {
  node.replaceChildren();
  return node;
}

export function badge(kind, text, title) {
  return el("span", { class: `badge ${kind}`, title }, text);
}

export function signatureBadge(verdict) {
  const kind = { valid: "ok", invalid: "bad", wrong_channel: "bad" }[verdict] || "muted";
  return badge(`sig ${kind}`, verdict === "valid" ? "signed ✓" : verdict, `signature: ${verdict}`);
}

// `errors` is a count (stream summaries) or a list (full captures); null while pending.
// `level` is the capture's schemaLevel: "vendor" (breaks what the vendor documents) or
// "strict" (vendor-valid, not what the harness itself sends; only with --strict-schemas).
export function schemaBadge(errors, level) {
  const count = Array.isArray(errors) ? errors.length : errors;
  if (count === null || count === undefined) return badge("schema muted", "checking…");
  if (count === 0) return badge("schema ok", "schema ✓", "no schema violations");
  const text = `${count} violation${count === 1 ? "" : "s"}`;
  if (level === "strict") {
    return badge("schema warn strict", `${text} (strict)`,
      "valid as the vendor documents it; not exactly what the harness sends");
  }
  return badge("schema bad vendor", text, "breaks what the vendor documents");
}

// What the receiver answered the sender: green for 2xx, red otherwise.
export function answerBadge(status) {
  return badge(`ans ${status >= 200 && status < 300 ? "ok" : "bad"}`, String(status),
    `the receiver answered ${status}`);
}

// fetch → {ok, status, data}; data is the parsed JSON (or {message} when there is none).
export async function getJson(url, options = {}) {
  try {
    const response = await fetch(url, options);
    let data;
    try {
      data = await response.json();
    } catch {
      data = { message: `${response.status} ${response.statusText}` };
    }
    return { ok: response.ok, status: response.status, data };
  } catch (error) {
    return { ok: false, status: 0, data: { error: "network", message: String(error) } };
  }
}

export function postJson(url, body) {
  return getJson(url, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify(body),
  });
}

export function table(headings, rows) {
  return el("table", { class: "grid" },
    el("thead", {}, el("tr", {}, headings.map((h) => el("th", {}, h)))),
    el("tbody", {}, rows.map((cells) => el("tr", {}, cells.map((c) => el("td", {}, c))))));
}

export function ms(value) {
  return value === null || value === undefined ? "–" : `${Number(value).toFixed(1)} ms`;
}

// Copies text to the clipboard; `status` (an element) says whether it worked.
export async function copyText(text, status, what) {
  try {
    await navigator.clipboard.writeText(text);
    status.replaceChildren(`${what} copied`);
  } catch (error) {
    status.replaceChildren(`could not copy: ${error}`);
  }
}
