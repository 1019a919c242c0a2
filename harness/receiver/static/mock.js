// The mock side: webhooks configured (with circuit state and a "Reset circuit" button) and
// recent delivery attempts, through the receiver's /mock/* proxy of the mock's control API.
// While the view is shown it refreshes every 2 s (and after each capture), so retries and
// failures that reach no receiver channel still show up.

import { badge, el, getJson, ms, postJson } from "./dom.js";
import { timeNode } from "./time.js";

const SHOWN = 100;
const REFRESH_MS = 2000;

function circuit(hook, root) {
  if (!hook.circuitOpenedAt) return badge("ok", "closed");
  const reset = el("button", {
    type: "button", class: "small reset-circuit", "aria-label": `Reset circuit of ${hook.name || hook.url}`,
    onclick: async () => {
      reset.disabled = true;
      const answer = await postJson(`/mock/webhooks/${encodeURIComponent(hook.id)}/reset-circuit`, {});
      if (!answer.ok) {
        const note = root.querySelector("#mock-note");
        note.className = "note warn";
        note.textContent = answer.data.message || `HTTP ${answer.status}`;
      }
      await refreshMock(root);
    },
  }, "Reset circuit");
  return [badge("bad", "open", `open since ${hook.circuitOpenedAt}`), " ", reset];
}

function webhookRow(hook, root) {
  return el("tr", { dataset: { webhook: hook.id } },
    el("td", {}, hook.name || "(unnamed)"),
    el("td", { class: "mono" }, hook.url),
    el("td", { title: hook.events.join(", ") }, `${hook.events.length} event${hook.events.length === 1 ? "" : "s"}`),
    el("td", {}, hook.isActive ? badge("ok", "active") : badge("muted", "inactive")),
    el("td", { class: "circuit" }, circuit(hook, root)),
    el("td", {}, hook.consecutiveFailures));
}

function attemptRow(attempt, names) {
  const kind = { delivered: "ok", retrying: "warn" }[attempt.outcome] || "bad";
  return el("tr", {},
    el("td", {}, timeNode(attempt.at)),
    el("td", {}, attempt.event),
    el("td", { title: attempt.webhookId }, names.get(attempt.webhookId) || attempt.webhookId),
    el("td", {}, attempt.attempt),
    el("td", {}, attempt.statusCode ?? "no answer"),
    el("td", {}, ms(attempt.latencyMs)),
    el("td", {}, badge(kind, attempt.outcome)),
    el("td", {}, attempt.error || ""));
}

let refreshing = null;

export function refreshMock(root) {
  if (!refreshing) refreshing = load(root).finally(() => { refreshing = null; });
  return refreshing;
}

async function load(root) {
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
  hooksBody.replaceChildren(...items.map((h) => webhookRow(h, root)));
  const list = attempts.ok ? attempts.data.items || [] : [];
  attemptsBody.replaceChildren(...list.map((a) => attemptRow(a, names)));
  note.className = "note";
  const pending = attempts.ok ? attempts.data.pending : "?";
  const total = attempts.ok ? attempts.data.total : list.length;
  const evicted = attempts.ok && attempts.data.retention ? attempts.data.retention.evicted : 0;
  const older = evicted ? ` (${evicted} older evicted)` : "";
  note.textContent = `${items.length} webhook(s); ${total} attempt(s) kept${older}, ${pending} pending; the newest ${Math.min(SHOWN, total)} shown; refreshed ${new Date().toISOString().slice(11, 19)} UTC.`;
}

// Refreshes every REFRESH_MS while `visible()` says the view is shown; answers stop().
export function autoRefresh(root, visible) {
  const timer = setInterval(() => { if (visible() && !document.hidden) refreshMock(root); }, REFRESH_MS);
  return () => clearInterval(timer);
}
