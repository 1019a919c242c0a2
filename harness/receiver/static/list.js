// The live list: one EventSource on /events/stream with the filters as its query; newest
// first. The count is the stream's true total; older captures load a page at a time; the
// list is one Tab stop (roving tabindex) with arrow keys, Home/End, PageUp/PageDown; it can
// be paused (new captures wait in a buffer); DELETE /events empties it (event "cleared").

import { answerBadge, badge, el, schemaBadge, signatureBadge, visible } from "./dom.js";
import { olderPage } from "./paging.js";
import { timeNode } from "./time.js";

const MAX_ROWS = 20_000;
const PAGE = 500;
const KEYS = { ArrowDown: 1, ArrowUp: -1, PageDown: 10, PageUp: -10 };

function testBadge(isTest) {
  if (isTest === true) return badge("is-test", "test", "data.isTest: true");
  if (isTest === false) return badge("is-live", "live", "data.isTest: false");
  return badge("muted none", "–", "no boolean data.isTest");
}

export class CaptureList {
  constructor(parts) {
    Object.assign(this, parts);  // tbody, empty, count, conn, channels, events, older, callbacks
    this.source = null;
    this.key = null;
    this.filters = {};
    this.seenChannels = new Set();
    this.ids = new Set();
    this.selected = null;
    this.active = null;
    this.total = 0;
    this.ready = false;
    this.paused = false;
    this.buffer = [];
    this.tbody.addEventListener("keydown", (e) => this.keydown(e));
    this.tbody.addEventListener("click", (e) => {
      const row = e.target.closest("tr.capture-row");
      if (row) this.openRow(row);
    });
    this.older.addEventListener("click", () => this.loadOlder());
  }

  // Reconnects only when the filters changed: a blur's `change` after the debounced `input`
  // already applied them must not rebuild the list under the pointer.
  connect(filters) {
    const key = JSON.stringify(filters);
    if (key === this.key && this.source && this.source.readyState !== EventSource.CLOSED) return false;
    if (this.source) this.source.close();
    this.key = key;
    this.filters = filters;
    this.clearRows();
    const query = new URLSearchParams(Object.entries(filters).filter(([, v]) => v));
    this.source = new EventSource(`/events/stream?${query}`);
    this.status("connecting…", "muted");
    this.source.addEventListener("capture", (message) => this.arrived(JSON.parse(message.data)));
    this.source.addEventListener("ready", (message) => {
      this.ready = true;
      this.total = JSON.parse(message.data).total;
      this.status("live", "ok");
      this.update();
    });
    this.source.addEventListener("cleared", () => {
      this.clearRows();
      this.update();
      this.onCleared();
    });
    this.source.addEventListener("error", () => {
      this.ready = false;
      this.status("reconnecting…", "warn");
    });
    return true;
  }

  clearRows() {
    this.tbody.replaceChildren();
    this.ids.clear();
    this.buffer = [];
    this.total = 0;
    this.update();
  }

  status(text, kind) {
    this.conn.textContent = text;
    this.conn.className = `conn ${kind}`;
  }

  arrived(capture) {
    if (this.ids.has(capture.id)) return;
    if (this.ready) this.total += 1;
    if (this.paused && this.ready) {
      this.buffer.push(capture);
      this.update();
      return;
    }
    this.add(capture, "top");
  }

  row(capture) {
    const event = capture.event || "(no event)";
    const row = el("tr", { class: "capture-row", tabindex: -1, dataset: { id: capture.id } },
      el("td", { class: "num" }, capture.id),
      el("td", { class: "time" }, timeNode(capture.receivedAt, { short: true })),
      el("td", { class: "event", title: visible(event) }, event),
      el("td", { class: "c-answer" }, answerBadge(capture.answerStatus)),
      el("td", { class: "c-sig" }, signatureBadge(capture.signature)),
      el("td", { class: "c-schema" }, schemaBadge(capture.schemaErrors, capture.schemaLevel)),
      el("td", { class: "c-test" }, testBadge(capture.isTest)),
      el("td", { class: "channel", title: capture.channel }, capture.channel),
      el("td", { class: "interview mono", title: capture.interviewId || "" }, capture.interviewId || "–"));
    if (capture.id === this.selected) row.classList.add("selected");
    return row;
  }

  add(capture, where) {
    const row = this.row(capture);
    if (where === "top") this.tbody.prepend(row);
    else this.tbody.append(row);
    this.ids.add(capture.id);
    while (this.tbody.rows.length > MAX_ROWS) {
      this.ids.delete(Number(this.tbody.lastElementChild.dataset.id));
      this.tbody.lastElementChild.remove();
    }
    this.remember(capture);
    this.rove();
    this.update();
    if (where === "top") this.onCapture(capture);
  }

  async loadOlder() {
    const last = this.tbody.lastElementChild;
    const before = last ? Number(last.dataset.id) : Number.MAX_SAFE_INTEGER;
    this.older.disabled = true;
    const key = this.key;
    const { rows, error } = await olderPage(this.filters, before, PAGE, this.total - this.tbody.rows.length);
    this.older.disabled = false;
    if (key !== this.key) return;  // the filters changed meanwhile
    for (const capture of rows) if (!this.ids.has(capture.id)) this.add(capture, "bottom");
    if (error) this.count.textContent += ` · ${error}`;
  }

  setPaused(paused) {
    this.paused = paused;
    if (!paused) {
      const waiting = this.buffer;
      this.buffer = [];
      for (const capture of waiting) this.add(capture, "top");
    }
    this.update();
  }

  remember(capture) {
    if (!this.seenChannels.has(capture.channel)) {
      this.seenChannels.add(capture.channel);
      this.channels.append(el("option", { value: capture.channel }));
    }
    const event = capture.event;
    if (event && ![...this.events.options].some((o) => o.value === event)) {
      const label = visible(event);
      this.events.append(new Option(label.length > 60 ? `${label.slice(0, 60)}…` : label, event));
    }
  }

  // Exactly one row is a Tab stop: the one last moved to (arrows, click), else the newest.
  rove(focus = null) {
    if (focus) this.active = Number(focus.dataset.id);
    const current = focus || this.tbody.querySelector(`tr[data-id="${this.active}"]`) || this.tbody.rows[0];
    for (const row of this.tbody.querySelectorAll('tr[tabindex="0"]')) if (row !== current) row.tabIndex = -1;
    if (current) current.tabIndex = 0;
  }

  keydown(event) {
    const row = event.target.closest("tr.capture-row");
    if (!row) return;
    const rows = [...this.tbody.rows];
    let index = rows.indexOf(row);
    if (event.key === "Enter" || event.key === " ") {
      event.preventDefault();
      this.openRow(row);
      return;
    }
    if (event.key in KEYS) index += KEYS[event.key];
    else if (event.key === "Home") index = 0;
    else if (event.key === "End") index = rows.length - 1;
    else return;
    event.preventDefault();
    const next = rows[Math.max(0, Math.min(rows.length - 1, index))];
    if (next && next !== row) this.openRow(next);
  }

  openRow(row) {
    this.rove(row);
    row.focus({ preventScroll: false });
    this.onOpen(Number(row.dataset.id));
  }

  select(id) {
    this.selected = id;
    for (const row of this.tbody.rows) {
      const on = Number(row.dataset.id) === id;
      row.classList.toggle("selected", on);
      if (on) row.setAttribute("aria-current", "true");
      else row.removeAttribute("aria-current");
    }
  }

  update() {
    const n = this.tbody.rows.length;
    this.empty.hidden = n > 0 || this.buffer.length > 0;
    const total = Math.max(this.total, n + this.buffer.length);
    const noun = `capture${total === 1 ? "" : "s"}`;
    let text = n < total - this.buffer.length ? `${n} of ${total} ${noun} shown` : `${total} ${noun}`;
    if (this.paused) text += ` · paused, ${this.buffer.length} new`;
    this.count.textContent = text;
    this.older.hidden = n + this.buffer.length >= total;
  }
}
