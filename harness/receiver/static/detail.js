// The detail view of one capture: meta, violations, body, headers, the mock's delivery
// attempts for it, replay (re-signed by the receiver when it verified the capture) and fixture
// download.

import { append, badge, clear, el, getJson, ms, schemaBadge, signatureBadge, table } from "./dom.js";
import { renderJson, violationMarks } from "./json.js";

function section(title, ...children) {
  return el("section", { class: "block" }, el("h3", {}, title), children);
}

function verifiedBy(by) {
  if (!by) return "–";
  if (!by.webhookId) return by.label;
  return `webhook ${by.webhookId} (${by.companyId ? `company ${by.companyId}` : "global"})`;
}

function meta(capture) {
  const rows = [
    ["Capture", `#${capture.id}`],
    ["Channel", capture.channel],
    ["Received", capture.receivedAt],
    ["Interview", capture.interviewId || "–"],
    ["Delivery id", capture.deliveryId || "–"],
    ["Size", `${capture.size} bytes`],
    ["Answered", `${capture.answer.status}${capture.answer.delayMs ? ` after ${capture.answer.delayMs} ms` : ""}`],
    ["Signature", capture.signatureReason],
    ["Verified by", verifiedBy(capture.verifiedBy)],
    ["Flags", capture.flags.length ? capture.flags.join(", ") : "none"],
  ];
  return el("dl", { class: "meta" }, rows.map(([k, v]) => [el("dt", {}, k), el("dd", {}, v)]));
}

function violations(capture, bodyPane) {
  const errors = capture.schemaErrors || [];
  if (!errors.length) {
    return section("Schema", el("p", { class: "fine" }, "No schema violations."));
  }
  const items = errors.map((error) => {
    const path = error.instancePath || "/";
    return el("li", {
      class: "violation-item",
      onclick: () => {
        const node = [...bodyPane.querySelectorAll(".violation")]
          .find((n) => n.dataset.path === path) || bodyPane.querySelector(".violation");
        if (node) node.scrollIntoView({ block: "center" });
      },
    }, el("code", { class: "path" }, path), " ", error.message,
    el("span", { class: "keyword" }, ` (${error.keyword}${error.schemaPath ? ` at ${error.schemaPath}` : ""})`),
    error.level ? [" ", el("span", { class: `level ${error.level}` }, `${error.level} level`)] : []);
  });
  const level = capture.schemaLevel === "strict"
    ? "strict level: valid as the vendor documents it, not what the harness sends"
    : "vendor level: breaks what the vendor documents";
  return section(`Schema violations (${errors.length}, ${level})`,
    el("ol", { class: "violations" }, items));
}

function body(capture) {
  const pre = el("pre", { class: "body" });
  const raw = capture.flags.includes("not_json") || capture.flags.includes("too_large");
  if (raw) append(pre, String(capture.body));
  else append(pre, renderJson(capture.body, violationMarks(capture.schemaErrors, capture.body)));
  return pre;
}

function headers(capture) {
  return table(["Header", "Value"], Object.entries(capture.headers).map(([k, v]) => [k, v]));
}

async function attempts(capture, holder) {
  if (!capture.deliveryId) {
    holder.replaceChildren(el("p", { class: "note" }, "No delivery id: this capture did not come from the mock."));
    return;
  }
  const answer = await getJson(`/mock/deliveries?deliveryId=${encodeURIComponent(capture.deliveryId)}`);
  if (!answer.ok) {
    holder.replaceChildren(el("p", { class: "note" }, answer.data.message || `HTTP ${answer.status}`));
    return;
  }
  const items = answer.data.items || [];
  if (!items.length) {
    holder.replaceChildren(el("p", { class: "note" }, "The mock made no attempt with this delivery id."));
    return;
  }
  holder.replaceChildren(table(
    ["Attempt", "At", "Status", "Latency", "Outcome", "Error"],
    items.map((a) => [a.attempt, a.at, a.statusCode ?? "no answer", ms(a.latencyMs),
      badge(a.outcome === "delivered" ? "ok" : a.outcome === "retrying" ? "warn" : "bad", a.outcome),
      a.error || ""]),
  ));
}

function replayForm(capture, scheme) {
  // Your handler's URL: the receiver never replays into the harness itself.
  const url = el("input", { name: "url", type: "url", required: true, placeholder: "http://127.0.0.1:PORT/your/handler", size: 40, "aria-label": "Replay URL" });
  const secret = el("input", { name: "secret", placeholder: "secret (default: the one that verified it)", size: 28, "aria-label": "Secret" });
  const schemes = el("select", { name: "scheme", "aria-label": "Scheme" },
    ["standard", "hex", "none"].map((s) => el("option", { value: s, selected: s === scheme }, s)));
  const result = el("span", { class: "replay-result", role: "status" });
  const send = async (event) => {
    event.preventDefault();
    result.replaceChildren("sending…");
    const answer = await getJson(`/events/${capture.id}/replay`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ url: url.value, secret: secret.value || undefined, scheme: schemes.value }),
    });
    const d = answer.data;
    if (!answer.ok) result.replaceChildren(badge("bad", "not sent"), " ", d.message || "");
    else result.replaceChildren(badge(d.ok ? "ok" : "bad", d.status ?? "no answer"), ` in ${ms(d.latencyMs)}`, d.error ? ` · ${d.error}` : "");
  };
  return el("form", { class: "replay", onsubmit: send }, url, secret, schemes,
    el("button", { type: "submit" }, "Replay (re-signed)"), result);
}

export async function showDetail(pane, id, info, onClose) {
  pane.hidden = false;
  clear(pane).append(el("p", { class: "note" }, `Loading capture #${id}…`));
  const answer = await getJson(`/events/${id}`);
  if (!answer.ok) {
    pane.replaceChildren(el("p", { class: "note" }, answer.data.message || `HTTP ${answer.status}`));
    return;
  }
  const capture = answer.data;
  const bodyPane = body(capture);
  const attemptsHolder = el("div", {}, el("p", { class: "note" }, "Loading…"));
  pane.replaceChildren(
    el("div", { class: "detail-head" },
      el("h2", {}, capture.event || "(no event)"),
      signatureBadge(capture.signature), " ", schemaBadge(capture.schemaErrors, capture.schemaLevel),
      el("button", { type: "button", class: "close", "aria-label": "Close", onclick: onClose }, "×")),
    el("div", { class: "actions" },
      el("a", { class: "button", href: `/events/${capture.id}/fixture`, download: "" }, "Download fixture"),
      replayForm(capture, info.scheme || "standard")),
    meta(capture),
    violations(capture, bodyPane),
    section("Body", bodyPane),
    section("Headers", headers(capture)),
    section("Delivery attempts (from the mock)", attemptsHolder),
  );
  await attempts(capture, attemptsHolder);
}
