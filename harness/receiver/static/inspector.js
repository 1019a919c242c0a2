// The inspector page: wires the live list, filters, tabs and the URL hash, the detail view,
// the mock view, the clear and pause buttons and the page settings.

import { el, getJson } from "./dom.js";
import { showDetail } from "./detail.js";
import { CaptureList } from "./list.js";
import { autoRefresh, refreshMock } from "./mock.js";
import { wirePrefs } from "./prefs.js";
import { FILTERS, readHash, writeHash } from "./state.js";
import { refreshTimes } from "./time.js";

const $ = (selector) => document.querySelector(selector);
const INPUTS = { event: "#f-event", channel: "#f-channel", interviewId: "#f-interview", q: "#f-q" };

async function main() {
  wirePrefs($("#theme"), $("#time-mode"));
  refreshTimes(document);
  const info = (await getJson("/inspector/info")).data || {};
  const eventSelect = $("#f-event");
  for (const name of info.knownEvents || []) eventSelect.append(new Option(name, name));
  const detail = $("#detail");
  const split = $(".split");
  const view = { capture: null, diff: null, tab: "captures", shown: null, previous: null, opened: null };
  let mockPending = false;

  const current = () => Object.fromEntries(FILTERS.map((name) => [name, $(INPUTS[name]).value.trim()]));
  const save = () => writeHash({ capture: view.capture, diff: view.diff, tab: view.tab, filters: current() });

  const closeDetail = () => {
    detail.hidden = true;
    split.classList.remove("with-detail");
    if (view.opened) view.opened.attempts.close();
    view.capture = view.diff = view.opened = null;
    list.select(null);
    save();
  };
  const open = async (id, diff = null) => {
    if (view.capture !== id && view.capture !== null) view.previous = view.capture;
    view.capture = id;
    view.diff = diff;
    list.select(id);
    split.classList.add("with-detail");
    save();
    if (view.opened) view.opened.attempts.close();
    view.opened = await showDetail(detail, id, { info, previous: view.previous, onClose: closeDetail, diffWith: diff });
  };
  const mockVisible = () => !$("#view-mock").hidden;
  const onCapture = (capture) => {
    if (view.opened && capture.deliveryId && capture.deliveryId === view.opened.capture.deliveryId) {
      view.opened.attempts.refresh();  // a retry of the delivery shown arrived
    }
    if (!mockVisible() || mockPending) return;
    mockPending = true;  // at most one refresh a second while deliveries pour in
    setTimeout(() => { mockPending = false; refreshMock(document); }, 1000);
  };
  const list = new CaptureList({
    tbody: $("#captures tbody"), empty: $("#empty"), count: $("#count"), conn: $("#conn"),
    channels: $("#seen-channels"), events: eventSelect, older: $("#older"), onOpen: (id) => open(id),
    onCapture, onCleared: () => { if (view.capture !== null) closeDetail(); },
  });

  const showTab = (name) => {
    view.tab = name;
    for (const t of document.querySelectorAll(".tab")) {
      const on = t.dataset.view === name;
      t.classList.toggle("active", on);
      t.setAttribute("aria-pressed", String(on));
    }
    $("#view-captures").hidden = name !== "captures";
    $("#view-mock").hidden = name !== "mock";
    if (name === "mock") refreshMock(document);
    save();
  };

  // The URL → the page (first load, and every hashchange the user makes).
  const apply = () => {
    const state = readHash();
    for (const name of FILTERS) {
      const input = $(INPUTS[name]);
      if (name === "event" && state.filters.event && ![...input.options].some((o) => o.value === state.filters.event)) {
        input.append(new Option(state.filters.event, state.filters.event));
      }
      input.value = state.filters[name];
    }
    list.connect(current());
    if (state.tab !== view.tab) showTab(state.tab);
    if (state.capture === null) {
      if (view.capture !== null) closeDetail();
    } else if (state.capture !== view.capture || state.diff !== view.diff) {
      open(state.capture, state.diff);
    }
  };

  const filters = $("#filters");
  let typing = null;
  // A press on the list defers a filter's reconnect until its click is done: the input's
  // blur `change` comes at pointerdown, and a list rebuilt then would swallow the click.
  let pressed = false;
  let deferred = false;
  const reconnect = () => {
    clearTimeout(typing);
    if (pressed) {
      deferred = true;
      return;
    }
    list.connect(current());
    save();
  };
  const released = () => {
    pressed = false;
    if (deferred) {
      deferred = false;
      reconnect();
    }
  };
  $(".list-pane").addEventListener("pointerdown", () => { pressed = true; });
  window.addEventListener("click", released);  // after the row's own click handler
  window.addEventListener("pointerup", () => setTimeout(released));  // a press with no click
  filters.addEventListener("change", reconnect);
  filters.addEventListener("input", (e) => {
    if (e.target.tagName !== "INPUT") return;
    clearTimeout(typing);
    typing = setTimeout(reconnect, 300);
  });
  filters.addEventListener("reset", () => setTimeout(reconnect));
  filters.addEventListener("submit", (e) => { e.preventDefault(); reconnect(); });

  for (const tab of document.querySelectorAll(".tab")) tab.addEventListener("click", () => showTab(tab.dataset.view));
  $("#mock-refresh").addEventListener("click", () => refreshMock(document));
  autoRefresh(document, mockVisible);
  if (!info.apiUrl) $("#tab-mock").append(" ", el("span", { class: "badge muted" }, "not connected"));

  const pause = $("#pause");
  pause.addEventListener("click", () => {
    const paused = pause.getAttribute("aria-pressed") !== "true";
    pause.setAttribute("aria-pressed", String(paused));
    pause.textContent = paused ? "Resume" : "Pause";
    list.setPaused(paused);
  });
  $("#clear").addEventListener("click", async () => {
    if (!confirm("Delete every capture in the receiver (DELETE /events)?")) return;
    const answer = await getJson("/events", { method: "DELETE" });
    if (!answer.ok) $("#count").textContent = answer.data.message || `HTTP ${answer.status}`;
  });

  window.addEventListener("hashchange", apply);
  apply();
}

main();
