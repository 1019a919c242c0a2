// "Copy as curl": a command that POSTs the capture's exact bytes, with its headers, to the
// receiver's channel again (the bytes come from GET /events/{id}/raw). Text bodies go as a
// single-quoted --data-binary; bytes that are not UTF-8 go through `base64 -d`.

const SKIPPED = new Set(["host", "content-length", "connection", "transfer-encoding", "accept-encoding", "expect"]);

export function shellQuote(text) {
  return `'${String(text).replaceAll("'", "'\\''")}'`;
}

function base64Of(bytes) {
  let text = "";
  for (let i = 0; i < bytes.length; i += 0x8000) text += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(text);
}

export async function curlCommand(capture) {
  const response = await fetch(`/events/${capture.id}/raw`);
  if (!response.ok) throw new Error(`GET /events/${capture.id}/raw answered ${response.status}`);
  const bytes = new Uint8Array(await response.arrayBuffer());
  const url = `${location.origin}/hooks/${encodeURIComponent(capture.channel)}`;
  const headers = Object.entries(capture.headers)
    .filter(([name]) => !SKIPPED.has(name.toLowerCase()))
    .map(([name, value]) => `  -H ${shellQuote(`${name}: ${value}`)}`);
  let text = null;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    text = null;
  }
  const tail = [...headers];
  if (text !== null && !text.includes("\0")) {
    return ["curl -sS -X POST " + shellQuote(url), ...tail, `  --data-binary ${shellQuote(text)}`].join(" \\\n");
  }
  return [`printf %s ${shellQuote(base64Of(bytes))} | base64 -d | curl -sS -X POST ${shellQuote(url)}`,
    ...tail, "  --data-binary @-"].join(" \\\n");
}
