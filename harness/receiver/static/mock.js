// The mock side: webhooks configured (with circuit state) and recent delivery attempts,
// through the receiver's /mock/* proxy of the mock's control API.

import { badge, el, getJson, ms, shortTime } from "./dom.js";

const SHOWN = 100;

function circuit(hook) {
  if (hook.circuitOpenedAt) return badge("bad", "open", `open since ${hook.circuitOpenedAt}`);
  return badge("ok", "closed");
}

function webhookRow(hook) {
  return el("tr", { dataset: { webhook: hook.id } },
    el("td", {}, hook.name || "(unnamed)"),
    el("td", { class: "mono" }, hook.url),
    el("td", { title: hook.events.join(", ") }, `${hook.events.length} event${hook.events.length === 1 ? "" : "s"}`),
    el("td", {}, hook.isActive ? badge("ok", "active") : badge("muted", "inactive")),
    el("td", { class: "circuit" }, circuit(hook)),
    el("td", {}, hook.consecutiveFailures));
}

function attemptRow(attempt, names) {
  const kind = { delivered: "ok", retrying: "warn" }[attempt.outcome] || "bad";
  return el("tr", {},
    el("td", { title: attempt.at }, shortTime(attempt.at)),
    el("td", {}, attempt.event),
    el("td", { title: attempt.webhookId }, names.get(attempt.webhookId) || attempt.webhookId),
    el("td", {}, attempt.attempt),
    el("td", {}, attempt.statusCode ?? "no answer"),
    el("td", {}, ms(attempt.latencyMs)),
    el("td", {}, badge(kind, attempt.outcome)),
    el("td", {}, attempt.error || ""));
}

export async function refreshMock(root) {
  const note = root.querySelector("#mock-note");
  const hooksBody = root.querySelector("#webhooks tbody");
  const attemptsBody = root.querySelector("#attempts tbody");
  const [hooks, attempts] = await Promise.all([getJson("/mock/webhooks?limit=1000"), getJson(`/mock/deliveries?order=newest&limit=${SHOWN}`)]);
  if (!hooks.ok) {
    note.className = "note warn";
    note.textContent = hooks.data.message || `HTTP ${hooks.status}`;
    hooksBody.replaceChildren();
    attemptsBody.replaceChildren();
    return;
  }
  const items = hooks.data.items || [];
  const names = new Map(items.map((h) => [h.id, h.name ? `${h.name} · ${h.url}` : h.url]));
  hooksBody.replaceChildren(...items.map(webhookRow));
  const list = attempts.ok ? attempts.data.items || [] : [];
  attemptsBody.replaceChildren(...list.map((a) => attemptRow(a, names)));
  note.className = "note";
  const pending = attempts.ok ? attempts.data.pending : "?";
  const total = attempts.ok ? attempts.data.total : list.length;
  const evicted = attempts.ok && attempts.data.retention ? attempts.data.retention.evicted : 0;
  const older = evicted ? ` (${evicted} older evicted)` : "";
  note.textContent = `${items.length} webhook(s); ${total} attempt(s) kept${older}, ${pending} pending; the newest ${Math.min(SHOWN, total)} shown.`;
}
