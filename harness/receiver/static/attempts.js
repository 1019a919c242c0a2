// The mock's delivery attempts for one capture's delivery id, refreshed while one is being
// retried (every 2 s, until it settles or the detail closes), when a capture of the same
// delivery arrives, and on "Refresh".

import { badge, el, getJson, ms, table } from "./dom.js";
import { timeNode } from "./time.js";

const RETRY_REFRESH_MS = 2000;

export class Attempts {
  constructor(capture) {
    this.capture = capture;
    this.holder = el("div", {}, el("p", { class: "note" }, "Loading…"));
    this.timer = null;
    this.closed = false;
    this.node = el("div", { class: "attempts" },
      el("button", { type: "button", class: "small", onclick: () => this.refresh() }, "Refresh attempts"),
      this.holder);
  }

  close() {
    this.closed = true;
    clearTimeout(this.timer);
  }

  async refresh() {
    clearTimeout(this.timer);
    const { deliveryId } = this.capture;
    if (!deliveryId) {
      this.holder.replaceChildren(el("p", { class: "note" }, "No delivery id: this capture did not come from the mock."));
      return;
    }
    const answer = await getJson(`/mock/deliveries?deliveryId=${encodeURIComponent(deliveryId)}`);
    if (this.closed) return;
    if (!answer.ok) {
      this.holder.replaceChildren(el("p", { class: "note" }, answer.data.message || `HTTP ${answer.status}`));
      return;
    }
    const items = answer.data.items || [];
    if (!items.length) {
      this.holder.replaceChildren(el("p", { class: "note" }, "The mock made no attempt with this delivery id."));
      return;
    }
    this.holder.replaceChildren(table(
      ["Attempt", "At", "Status", "Latency", "Outcome", "Error"],
      items.map((a) => [a.attempt, timeNode(a.at), a.statusCode ?? "no answer", ms(a.latencyMs),
        badge(a.outcome === "delivered" ? "ok" : a.outcome === "retrying" ? "warn" : "bad", a.outcome),
        a.error || ""]),
    ));
    if (items.at(-1).outcome === "retrying") this.timer = setTimeout(() => this.refresh(), RETRY_REFRESH_MS);
  }
}
