// The body of a capture, shown as what it is: a JSON tree, text, or (bytes that are not
// UTF-8) a hex dump with base64 beside it, never mojibake. "Copy body" copies it exactly:
// JSON as JSON (pretty-printed), text as text, binary as base64.

import { el } from "./dom.js";
import { renderJson, violationMarks } from "./json.js";

const HEX_SHOWN = 4096;

function isJson(capture) {
  return !capture.flags.includes("not_json") && !capture.flags.includes("too_large");
}

export function isBinary(capture) {
  return capture.bodyBase64 !== null && capture.bodyBase64 !== undefined;
}

function bytesOf(base64) {
  const text = atob(base64);
  const bytes = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i += 1) bytes[i] = text.charCodeAt(i);
  return bytes;
}

function hexDump(bytes) {
  const lines = [];
  const end = Math.min(bytes.length, HEX_SHOWN);
  for (let offset = 0; offset < end; offset += 16) {
    const row = bytes.slice(offset, Math.min(offset + 16, end));
    const hex = [...row].map((b) => b.toString(16).padStart(2, "0")).join(" ");
    const ascii = [...row].map((b) => (b >= 0x20 && b < 0x7f ? String.fromCharCode(b) : ".")).join("");
    lines.push(`${offset.toString(16).padStart(8, "0")}  ${hex.padEnd(47)}  ${ascii}`);
  }
  if (bytes.length > end) lines.push(`… ${bytes.length - end} more bytes (Download raw for all)`);
  return lines.join("\n");
}

// What "Copy body" puts on the clipboard.
export function bodyText(capture) {
  if (isBinary(capture)) return capture.bodyBase64;
  if (isJson(capture)) return JSON.stringify(capture.body, null, 2);
  return String(capture.body);
}

// {node, kind}: the <pre class="body"> (with a view switch for binary bodies).
export function bodyView(capture) {
  if (isBinary(capture)) {
    const pre = el("pre", { class: "body binary", "aria-label": "Body (hex)" }, hexDump(bytesOf(capture.bodyBase64)));
    const views = { hex: () => hexDump(bytesOf(capture.bodyBase64)), base64: () => capture.bodyBase64 };
    const switcher = el("div", { class: "views", role: "group", "aria-label": "Show the bytes as" },
      Object.keys(views).map((name) => el("button", {
        type: "button", class: "view-as", "aria-pressed": String(name === "hex"),
        onclick: (event) => {
          pre.textContent = views[name]();
          pre.setAttribute("aria-label", `Body (${name})`);
          for (const b of switcher.children) b.setAttribute("aria-pressed", String(b === event.currentTarget));
        },
      }, name)));
    const note = el("p", { class: "note" }, `${capture.size} bytes that are not UTF-8 text`);
    return { node: el("div", {}, note, switcher, pre), pre, kind: "binary" };
  }
  const pre = el("pre", { class: "body", tabindex: 0, "aria-label": "Body" });
  if (isJson(capture)) pre.append(renderJson(capture.body, violationMarks(capture.schemaErrors, capture.body)));
  else pre.append(el("span", { class: "j-text" }, String(capture.body)));
  return { node: pre, pre, kind: isJson(capture) ? "json" : "text" };
}
