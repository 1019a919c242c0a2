// DOM helpers for the inspector. Every piece of payload data reaches the page as a text node
// (append of a string, textContent, setAttribute): never as HTML markup, so `<script>` is text.

export function el(tag, props = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(props)) {
    if (value === undefined || value === null || value === false) continue;
    if (key === "class") node.className = value;
    else if (key === "dataset") Object.assign(node.dataset, value);
    else if (key.startsWith("on")) node.addEventListener(key.slice(2), value);
    else node.setAttribute(key, value === true ? "" : String(value));
  }
  append(node, children);
  return node;
}

export function append(node, children) {
  for (const child of [children].flat(Infinity)) {
    if (child === undefined || child === null || child === false) continue;
    node.append(child instanceof Node ? child : String(child));
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

export function shortTime(iso) {
  const when = new Date(iso);
  if (Number.isNaN(when.getTime())) return String(iso);
  const pad = (n, w = 2) => String(n).padStart(w, "0");
  return `${pad(when.getHours())}:${pad(when.getMinutes())}:${pad(when.getSeconds())}.` +
    pad(when.getMilliseconds(), 3);
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

export function table(headings, rows) {
  return el("table", { class: "grid" },
    el("thead", {}, el("tr", {}, headings.map((h) => el("th", {}, h)))),
    el("tbody", {}, rows.map((cells) => el("tr", {}, cells.map((c) => el("td", {}, c))))));
}

export function ms(value) {
  return value === null || value === undefined ? "–" : `${Number(value).toFixed(1)} ms`;
}
