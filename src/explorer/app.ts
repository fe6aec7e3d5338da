import { useEffect, useState } from "preact/hooks";
import { type Capabilities, NONE } from "./api/capabilities.js";
import { bearerToken, setBearerToken } from "./api/client.js";
import { HomeView } from "./home-view.js";
import { NodeView } from "./node/node-view.js";
import { currentRoute, navigate, onRoute, type Route } from "./route.js";
import { SearchView } from "./search/search-view.js";
import { itemKey, type TreeModel } from "./tree/model.js";
import { Tree } from "./tree/tree-view.js";
import { html } from "./ui/html.js";

function SearchBox({ route }: { route: Route }) {
  const current = route.view === "search" ? route.text : "";
  const [text, setText] = useState(current);
  useEffect(() => setText(current), [current]);
  return html`<form role="search" class="search-box" onSubmit=${(e: Event) => {
    e.preventDefault();
    navigate(route.view === "search" ? { ...route, text } : { view: "search", text, filters: [], facetKeys: [] });
  }}>
    <label for="search-text" class="offscreen">Search metadata</label>
    <input id="search-text" type="search" value=${text} placeholder="Search names, attributes, dimensions…"
      onInput=${(e: Event) => setText((e.target as HTMLInputElement).value)} />
    <button type="submit">Search</button>
  </form>`;
}

/** A bearer token for private catalogs: kept for this tab, sent with every request; the page reloads with it. */
function TokenForm() {
  const [token, setToken] = useState(bearerToken() ?? "");
  const save = (value: string | null) => {
    setBearerToken(value);
    window.location.reload();
  };
  return html`<details class="token">
    <summary>${bearerToken() ? "Token set" : "Token"}</summary>
    <form onSubmit=${(e: Event) => {
      e.preventDefault();
      save(token.trim() || null);
    }}>
      <label for="token">Bearer token for catalogs that need one (kept in this tab only)</label>
      <div class="row">
        <input id="token" type="password" autocomplete="off" value=${token} onInput=${(e: Event) => setToken((e.target as HTMLInputElement).value)} />
        <button type="submit">Use</button>
        ${bearerToken() ? html`<button type="button" onClick=${() => save(null)}>Forget</button>` : null}
      </div>
    </form>
  </details>`;
}

function title(route: Route): string {
  if (route.view === "node") return `${route.path || route.catalog} · ${route.catalog} · zarr-graphql`;
  if (route.view === "search") return `Search${route.text ? ` “${route.text}”` : ""} · zarr-graphql`;
  return "zarr-graphql explorer";
}

export function App({ model, capabilities: asked }: { model: TreeModel; capabilities: Promise<Capabilities> }) {
  const [route, setRoute] = useState<Route>(currentRoute);
  const [capabilities, setCapabilities] = useState<Capabilities | null>(null);
  useEffect(() => onRoute(setRoute), []);
  useEffect(() => {
    asked.then(setCapabilities, () => setCapabilities(NONE));
  }, [asked]);
  useEffect(() => {
    document.title = title(route);
    if (route.view === "node") void model.reveal(route.catalog, route.path);
  }, [route, model]);
  const caps = capabilities ?? NONE;
  const selected = route.view === "node" ? itemKey(route.catalog, route.path) : null;
  let view: unknown;
  if (route.view === "node") {
    view = html`<${NodeView} key=${selected} catalog=${route.catalog} path=${route.path} capabilities=${caps} />`;
  } else if (route.view === "search") {
    view = caps.search
      ? html`<${SearchView} route=${route} capabilities=${caps} />`
      : capabilities
        ? html`<p class="error" role="alert">This server has no search API.</p>`
        : html`<p class="muted" role="status">Loading…</p>`;
  } else {
    view = html`<${HomeView} model=${model} searchable=${caps.search} />`;
  }
  return html`<a class="skip" href="#main">Skip to content</a>
    <header class="top">
      <a class="brand" href="./" onClick=${(e: MouseEvent) => {
        if (e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey) return;
        e.preventDefault();
        navigate({ view: "home" });
      }}>zarr-graphql <span>explorer</span></a>
      ${caps.search ? html`<${SearchBox} route=${route} />` : html`<span class="spacer"></span>`}
      <${TokenForm} />
      <a class="graphiql" href="graphql">GraphiQL</a>
    </header>
    <div class="layout">
      <nav class="sidebar" aria-label="Catalog tree"><${Tree} model=${model} selected=${selected} /></nav>
      <main id="main" tabindex="-1">${view}</main>
    </div>`;
}
