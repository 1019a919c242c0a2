// The detail view of one capture: meta, actions (download, copy body, copy as curl, compare,
// replay as captured or edited), violations, body, headers and the mock's delivery attempts.

import { answerBadge, clear, copyText, el, getJson, schemaBadge, signatureBadge, table } from "./dom.js";
import { Attempts } from "./attempts.js";
import { bodyText, bodyView } from "./body.js";
import { curlCommand } from "./curl.js";
import { showDiff } from "./diff.js";
import { revealPath } from "./json.js";
import { replayForm } from "./resend.js";
import { timeNode } from "./time.js";

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
    ["Received", timeNode(capture.receivedAt)],
    ["Interview", capture.interviewId || "–"],
    ["Delivery id", capture.deliveryId || "–"],
    ["Size", `${capture.size} bytes`],
    ["Answered", [answerBadge(capture.answer.status), capture.answer.delayMs ? ` after ${capture.answer.delayMs} ms` : ""]],
    ["Signature", capture.signatureReason],
    ["Verified by", verifiedBy(capture.verifiedBy)],
    ["Flags", capture.flags.length ? capture.flags.join(", ") : "none"],
  ];
  return el("dl", { class: "meta" }, rows.map(([k, v]) => [el("dt", {}, k), el("dd", {}, v)]));
}

function violations(capture, pre) {
  const errors = capture.schemaErrors || [];
  if (!errors.length) return section("Schema", el("p", { class: "fine" }, "No schema violations."));
  const items = errors.map((error) => {
    const path = error.instancePath || "/";
    return el("li", { class: "violation-item" },
      el("button", {
        type: "button", class: "link path",
        onclick: () => {
          revealPath(pre, path);
          const node = [...pre.querySelectorAll(".violation")].find((n) => n.dataset.path === path)
            || pre.querySelector(".violation");
          if (node) node.scrollIntoView({ block: "center" });
        },
      }, path),
      " ", error.message,
      el("span", { class: "keyword" }, ` (${error.keyword}${error.schemaPath ? ` at ${error.schemaPath}` : ""})`),
      error.level ? [" ", el("span", { class: `level ${error.level}` }, `${error.level} level`)] : []);
  });
  const level = capture.schemaLevel === "strict"
    ? "strict level: valid as the vendor documents it, not what the harness sends"
    : "vendor level: breaks what the vendor documents";
  return section(`Schema violations (${errors.length}, ${level})`, el("ol", { class: "violations" }, items));
}

function headers(capture) {
  return table(["Header", "Value"], Object.entries(capture.headers).map(([k, v]) => [k, v]));
}

function compare(capture, previous, holder) {
  const other = el("input", {
    type: "number", min: 1, size: 6, "aria-label": "Compare with capture", value: previous ?? undefined, placeholder: "#",
  });
  return el("form", {
    class: "compare",
    onsubmit: (e) => {
      e.preventDefault();
      if (other.value) showDiff(holder, Number(other.value), capture.id);
    },
  }, other, el("button", { type: "submit" }, "Compare"));
}

// Shows capture `id` in `pane`; answers {capture, attempts} (or null when it is gone).
export async function showDetail(pane, id, { info, previous, onClose, diffWith }) {
  pane.hidden = false;
  clear(pane).append(el("p", { class: "note" }, `Loading capture #${id}…`));
  const answer = await getJson(`/events/${id}`);
  if (!answer.ok) {
    pane.replaceChildren(el("p", { class: "note" }, answer.data.message || `HTTP ${answer.status}`),
      el("button", { type: "button", onclick: onClose }, "Close"));
    return null;
  }
  const capture = answer.data;
  const view = bodyView(capture);
  const attempts = new Attempts(capture);
  const copied = el("span", { class: "copy-result", role: "status" });
  const diffHolder = el("div", { class: "diff-holder" });
  pane.replaceChildren(
    el("div", { class: "detail-head" },
      el("h2", {}, capture.event || "(no event)"),
      signatureBadge(capture.signature), " ", schemaBadge(capture.schemaErrors, capture.schemaLevel),
      el("button", { type: "button", class: "close", "aria-label": "Close", onclick: onClose }, "×")),
    el("div", { class: "actions" },
      el("a", { class: "button", href: `/events/${capture.id}/fixture`, download: "" }, "Download fixture"),
      el("a", { class: "button", href: `/events/${capture.id}/raw`, download: "" }, "Download raw"),
      el("button", { type: "button", onclick: () => copyText(bodyText(capture), copied, "body") }, "Copy body"),
      el("button", {
        type: "button",
        onclick: async () => {
          try {
            await copyText(await curlCommand(capture), copied, "curl command");
          } catch (error) {
            copied.replaceChildren(String(error));
          }
        },
      }, "Copy as curl"),
      compare(capture, previous, diffHolder), copied),
    diffHolder,
    replayForm(capture, info.scheme || "standard"),
    meta(capture),
    violations(capture, view.pre),
    section("Body", view.node),
    section("Headers", headers(capture)),
    section("Delivery attempts (from the mock)", attempts.node),
  );
  if (diffWith) showDiff(diffHolder, diffWith, capture.id);
  attempts.refresh();
  return { capture, attempts };
}
