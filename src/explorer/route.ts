// The page's state that a link carries: which node is open, or which search. Everything else
// (what the tree has expanded, the preview's slider) is the reader's and stays out of the URL.

/** One facet value chosen in a search: `facet` is "nodeType", "dataType", "catalog" or an attribute key. */
export interface FacetFilter {
  facet: string;
  value: unknown;
}

export type Route =
  | { view: "home" }
  | { view: "node"; catalog: string; path: string }
  | { view: "search"; text: string; filters: FacetFilter[]; facetKeys: string[] };

/** URL parameters of the built-in facets; attribute keys go as `a.KEY`. */
const BUILT_IN: Record<string, string> = { nodeType: "type", dataType: "dtype", catalog: "in" };
const BY_PARAM = Object.fromEntries(Object.entries(BUILT_IN).map(([k, v]) => [v, k]));

/** Strings as they are; anything else as `json:` and its JSON (so "1" and 1 stay apart). */
function encodeValue(value: unknown): string {
  return typeof value === "string" && !value.startsWith("json:") ? value : `json:${JSON.stringify(value)}`;
}

function decodeValue(text: string): unknown {
  if (!text.startsWith("json:")) return text;
  try {
    return JSON.parse(text.slice(5));
  } catch {
    return text;
  }
}

/** `?catalog=climate&path=atmosphere/temperature`, `?q=wind&type=ARRAY&a.units=K`, or no query. */
export function parseRoute(search: string): Route {
  const params = new URLSearchParams(search);
  const filters: FacetFilter[] = [];
  for (const [name, value] of params) {
    if (BY_PARAM[name]) filters.push({ facet: BY_PARAM[name], value: decodeValue(value) });
    else if (name.startsWith("a.") && name.length > 2)
      filters.push({ facet: name.slice(2), value: decodeValue(value) });
  }
  if (params.has("q") || filters.length > 0) {
    return { view: "search", text: params.get("q") ?? "", filters, facetKeys: params.getAll("facet") };
  }
  const catalog = params.get("catalog");
  if (catalog !== null) return { view: "node", catalog, path: params.get("path") ?? "" };
  return { view: "home" };
}

/** Slashes kept as they are: a path reads as a path in the address bar. */
function param(name: string, value: string): string {
  return `${encodeURIComponent(name)}=${encodeURIComponent(value).replace(/%2F/g, "/")}`;
}

export function routeHref(route: Route): string {
  const parts: string[] = [];
  if (route.view === "node") {
    parts.push(param("catalog", route.catalog));
    if (route.path) parts.push(param("path", route.path));
  } else if (route.view === "search") {
    parts.push(param("q", route.text));
    for (const f of route.filters) parts.push(param(BUILT_IN[f.facet] ?? `a.${f.facet}`, encodeValue(f.value)));
    for (const key of route.facetKeys) parts.push(param("facet", key));
  }
  // Relative to the page: "./" when nothing is open.
  return parts.length ? `?${parts.join("&")}` : "./";
}

export function nodeRoute(catalog: string, path: string): Route {
  return { view: "node", catalog, path };
}

type Listener = (route: Route) => void;
const listeners = new Set<Listener>();

export function currentRoute(): Route {
  return parseRoute(window.location.search);
}

/** Opens a route as a new history entry (back returns to the one before). */
export function navigate(route: Route): void {
  const href = routeHref(route);
  window.history.pushState(null, "", href);
  for (const listener of listeners) listener(currentRoute());
}

/** Calls `listener` on every navigation, the browser's back and forward included; returns the unsubscribe. */
export function onRoute(listener: Listener): () => void {
  listeners.add(listener);
  const popped = () => listener(currentRoute());
  window.addEventListener("popstate", popped);
  return () => {
    listeners.delete(listener);
    window.removeEventListener("popstate", popped);
  };
}

/** For an <a href>: plain left clicks navigate in the page; others (new tab, window) are the browser's. */
export function followLink(event: MouseEvent, route: Route): void {
  if (
    event.defaultPrevented ||
    event.button !== 0 ||
    event.metaKey ||
    event.ctrlKey ||
    event.shiftKey ||
    event.altKey
  ) {
    return;
  }
  event.preventDefault();
  navigate(route);
}

/** Two routes open the same view. */
export function sameRoute(a: Route, b: Route): boolean {
  return routeHref(a) === routeHref(b);
}
