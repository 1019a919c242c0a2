// What the page shows lives in the URL's hash: #capture=N&event=…&channel=…&interviewId=…
// &q=…&tab=mock&diff=M, so a link (or Back) restores it; the page rewrites the hash with
// history.replaceState and follows `hashchange` when the user edits or pastes one.

export const FILTERS = ["event", "channel", "interviewId", "q"];

export function readHash(hash = location.hash) {
  const params = new URLSearchParams(hash.replace(/^#/, ""));
  const number = (name) => (/^\d+$/.test(params.get(name) || "") ? Number(params.get(name)) : null);
  const filters = Object.fromEntries(FILTERS.map((name) => [name, params.get(name) || ""]));
  return { capture: number("capture"), diff: number("diff"), tab: params.get("tab") === "mock" ? "mock" : "captures", filters };
}

export function hashOf({ capture, diff, tab, filters }) {
  const params = new URLSearchParams();
  if (capture) params.set("capture", capture);
  if (capture && diff) params.set("diff", diff);
  if (tab === "mock") params.set("tab", "mock");
  for (const name of FILTERS) if (filters[name]) params.set(name, filters[name]);
  const text = params.toString();
  return text ? `#${text}` : "";
}

export function writeHash(state) {
  const hash = hashOf(state);
  if (hash !== location.hash && !(hash === "" && location.hash === "")) {
    history.replaceState(null, "", hash || location.pathname + location.search);
  }
}
