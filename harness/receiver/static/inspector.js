// The inspector page: wires the live list, filters, the detail view and the mock view.

import { el, getJson } from "./dom.js";
import { showDetail } from "./detail.js";
import { CaptureList } from "./list.js";
import { refreshMock } from "./mock.js";

const $ = (selector) => document.querySelector(selector);

async function main() {
  const info = (await getJson("/inspector/info")).data || {};
  const eventSelect = $("#f-event");
  for (const name of info.knownEvents || []) eventSelect.append(new Option(name, name));
  const detail = $("#detail");
  let mockPending = false;

  const closeDetail = () => {
    detail.hidden = true;
    list.select(null);
    history.replaceState(null, "", location.pathname);
  };
  const open = (id) => {
    list.select(id);
    history.replaceState(null, "", `#capture=${id}`);
    showDetail(detail, id, info, closeDetail);
  };
  const mockVisible = () => !$("#view-mock").hidden;
  const onCapture = () => {
    if (!mockVisible() || mockPending) return;
    mockPending = true;  // at most one refresh a second while deliveries pour in
    setTimeout(() => { mockPending = false; refreshMock(document); }, 1000);
  };
  const list = new CaptureList({
    tbody: $("#captures tbody"), empty: $("#empty"), count: $("#count"), conn: $("#conn"),
    channels: $("#seen-channels"), events: eventSelect, onOpen: open, onCapture,
  });

  const filters = $("#filters");
  const current = () => ({
    event: eventSelect.value,
    channel: $("#f-channel").value.trim(),
    interviewId: $("#f-interview").value.trim(),
  });
  let typing = null;
  const reconnect = () => { clearTimeout(typing); list.connect(current()); };
  filters.addEventListener("change", reconnect);
  filters.addEventListener("input", (e) => {
    if (e.target.tagName !== "INPUT") return;
    clearTimeout(typing);
    typing = setTimeout(reconnect, 300);
  });
  filters.addEventListener("reset", () => setTimeout(reconnect));
  filters.addEventListener("submit", (e) => { e.preventDefault(); reconnect(); });

  for (const tab of document.querySelectorAll(".tab")) {
    tab.addEventListener("click", () => {
      for (const t of document.querySelectorAll(".tab")) t.classList.toggle("active", t === tab);
      $("#view-captures").hidden = tab.dataset.view !== "captures";
      $("#view-mock").hidden = tab.dataset.view !== "mock";
      if (tab.dataset.view === "mock") refreshMock(document);
    });
  }
  $("#mock-refresh").addEventListener("click", () => refreshMock(document));
  if (!info.apiUrl) {
    $("#tab-mock").append(" ", el("span", { class: "badge muted" }, "not connected"));
  }

  list.connect(current());
  const linked = /^#capture=(\d+)$/.exec(location.hash);
  if (linked) open(Number(linked[1]));
}

main();
