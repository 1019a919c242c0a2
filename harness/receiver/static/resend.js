// Replay a capture to any loopback URL (your handler), re-signed now, as captured or edited.
// The receiver signs with the secret that verified the capture; an edited body only with a
// mock webhook's secret, never a `listen --secret` (type that one as the secret), and never
// a forged capture's (harness/receiver/replay.py); it never sends into the harness itself.

import { append, badge, clear, el, ms, postJson } from "./dom.js";
import { bodyText, isBinary } from "./body.js";

function result(answer) {
  const d = answer.data;
  if (!answer.ok) return [badge("bad", "not sent"), " ", d.message || `HTTP ${answer.status}`];
  return [badge(d.ok ? "ok" : "bad", d.status ?? "no answer"), ` in ${ms(d.latencyMs)}`,
    d.edited ? " (edited)" : "", d.signedWith === null ? " · unsigned" : "", d.error ? ` · ${d.error}` : ""];
}

export function replayForm(capture, scheme) {
  const url = el("input", {
    name: "url", type: "url", required: true, size: 36, "aria-label": "Replay URL",
    placeholder: "http://127.0.0.1:PORT/your/handler", value: localStorage.getItem("inspector.replayUrl") || undefined,
  });
  const secret = el("input", { name: "secret", size: 24, "aria-label": "Secret", placeholder: "secret (default: the one that verified it)" });
  const schemes = el("select", { name: "scheme", "aria-label": "Scheme" },
    ["standard", "hex", "none"].map((s) => el("option", { value: s, selected: s === scheme }, s)));
  const status = el("span", { class: "replay-result", role: "status" });
  const editor = el("textarea", {
    class: "editor", rows: 12, spellcheck: "false", "aria-label": "Edited body", hidden: true,
  });
  const validity = el("span", { class: "editor-note", role: "status" });
  const sendEdited = el("button", { type: "button", hidden: true }, "Replay edited (re-signed)");
  const editButton = el("button", { type: "button", "aria-expanded": "false" }, "Edit body…");
  if (isBinary(capture)) editButton.disabled = true;

  const send = async (body) => {
    if (!url.reportValidity()) return;
    localStorage.setItem("inspector.replayUrl", url.value);
    status.replaceChildren("sending…");
    const ask = { url: url.value, secret: secret.value || undefined, scheme: schemes.value };
    if (body !== undefined) ask.body = body;
    const answer = await postJson(`/events/${capture.id}/replay`, ask);
    append(clear(status), result(answer));
  };
  editButton.addEventListener("click", () => {
    const open = editor.hidden;
    if (open && !editor.value) editor.value = bodyText(capture);
    editor.hidden = !open;
    sendEdited.hidden = !open;
    editButton.setAttribute("aria-expanded", String(open));
    if (open) editor.focus();
  });
  editor.addEventListener("input", () => {
    try {
      JSON.parse(editor.value);
      validity.textContent = "";
    } catch (error) {
      validity.textContent = `not JSON (sent as typed): ${error.message}`;
    }
  });
  sendEdited.addEventListener("click", () => send(editor.value));
  const form = el("form", { class: "replay", onsubmit: (e) => { e.preventDefault(); send(); } },
    url, secret, schemes, el("button", { type: "submit" }, "Replay (re-signed)"), editButton, status);
  return el("div", { class: "resend" }, form, editor, el("div", { class: "editor-actions" }, sendEdited, validity));
}
