// The live list: one EventSource on /events/stream with the filters as its query; newest first.

import { el, schemaBadge, shortTime, signatureBadge } from "./dom.js";

const MAX_ROWS = 1000;

export class CaptureList {
  constructor({ tbody, empty, count, conn, channels, events, onOpen, onCapture }) {
    Object.assign(this, { tbody, empty, count, conn, channels, events, onOpen, onCapture });
    this.source = null;
    this.seenChannels = new Set();
    this.selected = null;
  }

  connect(filters) {
    if (this.source) this.source.close();
    this.tbody.replaceChildren();
    this.update();
    const query = new URLSearchParams(Object.entries(filters).filter(([, v]) => v));
    this.source = new EventSource(`/events/stream?${query}`);
    this.status("connecting…", "muted");
    this.source.addEventListener("capture", (message) => this.add(JSON.parse(message.data)));
    this.source.addEventListener("ready", () => this.status("live", "ok"));
    this.source.addEventListener("error", () => this.status("reconnecting…", "warn"));
  }

  status(text, kind) {
    this.conn.textContent = text;
    this.conn.className = `conn ${kind}`;
  }

  add(capture) {
    if (this.tbody.querySelector(`tr[data-id="${capture.id}"]`)) return;
    const row = el("tr", {
      class: "capture-row",
      tabindex: 0,
      dataset: { id: capture.id },
      onclick: () => this.onOpen(capture.id),
      onkeydown: (e) => { if (e.key === "Enter") this.onOpen(capture.id); },
    },
    el("td", { class: "num" }, capture.id),
    el("td", { class: "time", title: capture.receivedAt }, shortTime(capture.receivedAt)),
    el("td", { class: "event" }, capture.event || "(no event)"),
    el("td", { class: "channel" }, capture.channel),
    el("td", { class: "interview mono", title: capture.interviewId || "" }, capture.interviewId || "–"),
    el("td", {}, signatureBadge(capture.signature)),
    el("td", {}, schemaBadge(capture.schemaErrors, capture.schemaLevel)));
    if (capture.id === this.selected) row.classList.add("selected");
    this.tbody.prepend(row);
    while (this.tbody.rows.length > MAX_ROWS) this.tbody.lastElementChild.remove();
    this.remember(capture);
    this.update();
    this.onCapture(capture);
  }

  remember(capture) {
    if (!this.seenChannels.has(capture.channel)) {
      this.seenChannels.add(capture.channel);
      this.channels.append(el("option", { value: capture.channel }));
    }
    const event = capture.event;
    if (event && ![...this.events.options].some((o) => o.value === event)) {
      this.events.append(new Option(event, event));
    }
  }

  select(id) {
    this.selected = id;
    for (const row of this.tbody.rows) row.classList.toggle("selected", Number(row.dataset.id) === id);
  }

  update() {
    const n = this.tbody.rows.length;
    this.empty.hidden = n > 0;
    this.count.textContent = `${n} capture${n === 1 ? "" : "s"}${n >= MAX_ROWS ? " (newest shown)" : ""}`;
  }
}
