// Older captures than the list holds, newest first, through GET /events (oldest first, with
// `after` = an exclusive id, `limit` at most PAGE and the answer's `next` cursor). It walks
// windows of ids below `before`, doubling the window until it has `count` matches or reaches
// id 0; inside a window it follows `next` a page at a time until the page passes the window.

import { getJson } from "./dom.js";

const FIRST_WINDOW = 500;
const MAX_WINDOW = 64_000;
const MAX_ROUNDS = 200;
const PAGE = 1000; // the most GET /events answers at once

// Full captures reduced to what a list row shows (the stream's row fields).
export function rowOf(capture) {
  const data = capture.body && typeof capture.body === "object" ? capture.body.data : null;
  const isTest = data && typeof data === "object" && typeof data.isTest === "boolean" ? data.isTest : null;
  return {
    id: capture.id, channel: capture.channel, receivedAt: capture.receivedAt, event: capture.event,
    interviewId: capture.interviewId, deliveryId: capture.deliveryId, signature: capture.signature,
    schemaErrors: capture.schemaErrors, schemaLevel: capture.schemaLevel, flags: capture.flags,
    answerStatus: capture.answer.status, isTest,
  };
}

function textMatches(capture, needle) {
  if (!needle) return true;
  const fields = [capture.event, capture.channel, capture.interviewId, capture.deliveryId,
    typeof capture.body === "string" ? capture.body : JSON.stringify(capture.body)];
  return fields.some((f) => f && String(f).toLowerCase().includes(needle));
}

// {rows, error, more}: up to `count` rows of captures matching `filters` with id < before;
// `remaining` (how many the stream's total says are left) ends the walk early.
export async function olderPage(filters, before, count, remaining = Infinity) {
  const { q, ...query } = filters;
  const needle = q ? q.toLowerCase() : "";
  const found = [];
  let high = before;
  let window = FIRST_WINDOW;
  const wanted = Math.min(count, remaining);
  for (let round = 0; round < MAX_ROUNDS && high > 1 && found.length < wanted; round += 1) {
    const after = Math.max(0, high - 1 - window);
    const inWindow = [];
    let cursor = null;
    do {
      const base = cursor ? { ...query, cursor, limit: PAGE } : { ...query, after, limit: PAGE };
      const params = new URLSearchParams(Object.entries(base).filter(([, v]) => v !== "" && v !== undefined));
      const answer = await getJson(`/events?${params}`);
      if (!answer.ok) return { rows: found, error: answer.data.message || `HTTP ${answer.status}` };
      const items = answer.data.items;
      inWindow.push(...items.filter((c) => c.id < high && textMatches(c, needle)));
      const passed = items.length > 0 && items[items.length - 1].id >= high - 1;
      cursor = passed ? null : answer.data.next;
    } while (cursor);
    found.push(...inWindow.reverse().map(rowOf));
    high = after + 1;
    window = Math.min(window * 2, MAX_WINDOW);
  }
  return { rows: found.slice(0, count), error: null, more: high > 1 };
}
