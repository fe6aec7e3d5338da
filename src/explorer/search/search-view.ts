import { useState } from "preact/hooks";
import type { Capabilities } from "../api/capabilities.js";
import { type GqlError, type Operation, run } from "../api/client.js";
import { searchOperation } from "../api/queries.js";
import { useOperation } from "../api/use-operation.js";
import { type FacetFilter, navigate, nodeRoute, type Route } from "../route.js";
import { ErrorBox } from "../ui/errors.js";
import { formatNumber, formatShape, formatValue } from "../ui/format.js";
import { html } from "../ui/html.js";
import { Link } from "../ui/link.js";
import { QueryPanel } from "../ui/query-panel.js";
import { facetRequests, sameValue, searchArguments } from "./filters.js";

type SearchRoute = Extract<Route, { view: "search" }>;

interface Hit {
  __typename: string;
  catalog: string;
  path: string;
  shape?: number[];
  dataType?: unknown;
}

interface SearchData {
  search: {
    totalCount: number;
    pageInfo: { hasNextPage: boolean; endCursor: string | null };
    nodes: (Hit | null)[];
    [alias: string]: unknown;
  } | null;
}

type Facet = { value: unknown; count: number };

function withFilters(route: SearchRoute, filters: FacetFilter[]): SearchRoute {
  return { ...route, filters };
}

function FacetGroup({
  route,
  facet,
  label,
  values,
  errors,
}: {
  route: SearchRoute;
  facet: string;
  label: string;
  values: Facet[] | undefined;
  errors: GqlError[];
}) {
  const chosen = (value: unknown) => route.filters.some((f) => f.facet === facet && sameValue(f.value, value));
  const toggle = (value: unknown) =>
    navigate(
      withFilters(
        route,
        chosen(value)
          ? route.filters.filter((f) => !(f.facet === facet && sameValue(f.value, value)))
          : [...route.filters, { facet, value }],
      ),
    );
  const removable = route.facetKeys.includes(facet);
  return html`<fieldset class="facet" data-facet=${facet}>
    <legend>${label}${
      removable
        ? html` <button type="button" class="link-button" aria-label=${`Remove the ${facet} facet`}
            onClick=${() => navigate({ ...route, facetKeys: route.facetKeys.filter((k) => k !== facet) })}>×</button>`
        : null
    }</legend>
    <${ErrorBox} errors=${errors} />
    ${values && values.length === 0 ? html`<p class="muted">none</p>` : null}
    <ul>
      ${(values ?? []).map(
        (v) => html`<li>
          <button type="button" class="facet-value" aria-pressed=${chosen(v.value) ? "true" : "false"} data-value=${formatValue(v.value)} onClick=${() => toggle(v.value)}>
            <span>${formatValue(v.value)}</span> <span class="count">${formatNumber(v.count)}</span>
          </button>
        </li>`,
      )}
    </ul>
  </fieldset>`;
}

function AddFacet({ route }: { route: SearchRoute }) {
  const [key, setKey] = useState("");
  return html`<form class="add-facet" onSubmit=${(e: Event) => {
    e.preventDefault();
    const k = key.trim();
    if (k && !route.facetKeys.includes(k)) navigate({ ...route, facetKeys: [...route.facetKeys, k] });
    setKey("");
  }}>
    <label for="facet-key">Facet on an attribute</label>
    <div class="row">
      <input id="facet-key" value=${key} placeholder="e.g. standard_name" onInput=${(e: Event) => setKey((e.target as HTMLInputElement).value)} />
      <button type="submit">Add</button>
    </div>
  </form>`;
}

function Chips({ route }: { route: SearchRoute }) {
  if (route.filters.length === 0) return null;
  return html`<ul class="chips" aria-label="Filters">
    ${route.filters.map(
      (f, i) => html`<li>
        <span>${f.facet} = ${formatValue(f.value)}</span>
        <button type="button" aria-label=${`Remove filter ${f.facet} = ${formatValue(f.value)}`}
          onClick=${() =>
            navigate(
              withFilters(
                route,
                route.filters.filter((_, j) => j !== i),
              ),
            )}>×</button>
      </li>`,
    )}
  </ul>`;
}

function HitItem({ hit }: { hit: Hit }) {
  const isArray = hit.__typename === "ZarrArray";
  return html`<li class="hit">
    <${Link} route=${nodeRoute(hit.catalog, hit.path)}><span class="muted">${hit.catalog}/</span>${hit.path || "(root)"}<//>
    <span class="badge">${isArray ? "array" : "group"}</span>
    ${isArray ? html`<span class="detail">${formatShape(hit.shape ?? [])} ${formatValue(hit.dataType)}</span>` : null}
  </li>`;
}

/** Full-text search with facets that narrow it; each hit links to its node. */
export function SearchView({ route, capabilities }: { route: SearchRoute; capabilities: Capabilities }) {
  const facets = capabilities.facets ? facetRequests(route.facetKeys) : [];
  const { filter, catalogs } = searchArguments(route.filters);
  const op = searchOperation(route.text.trim() || null, filter, catalogs, facets, null);
  const state = useOperation<SearchData>(op);
  // Later pages, kept for the search they continue (a new search starts over).
  const [pages, setPages] = useState<{
    of: Operation | null;
    op: Operation;
    hits: Hit[];
    endCursor: string | null;
    hasNext: boolean;
    loading: boolean;
    errors: GqlError[];
  } | null>(null);
  const more = pages && pages.of === state.op ? pages : null;
  const search = state.data?.search;
  const hits = [...(search?.nodes ?? []), ...(more?.hits ?? [])];
  const hasNext = more ? more.hasNext : (search?.pageInfo.hasNextPage ?? false);
  const loadMore = async () => {
    const of = state.op;
    const after = more ? more.endCursor : (search?.pageInfo.endCursor ?? null);
    const next = searchOperation(route.text.trim() || null, filter, catalogs, [], after);
    const before = more?.hits ?? [];
    setPages({ of, op: next, hits: before, endCursor: after, hasNext: true, loading: true, errors: [] });
    const answer = await run<SearchData>(next);
    const page = answer.data?.search;
    setPages((current) =>
      current?.of !== of
        ? current
        : {
            of,
            op: next,
            hits: [...before, ...((page?.nodes ?? []).filter(Boolean) as Hit[])],
            endCursor: page?.pageInfo.endCursor ?? after,
            hasNext: page?.pageInfo.hasNextPage ?? false,
            loading: false,
            errors: answer.errors,
          },
    );
  };
  return html`<article class="search" aria-labelledby="search-h">
    <h1 id="search-h">Search${route.text ? html` <span class="muted">for “${route.text}”</span>` : null}</h1>
    <${Chips} route=${route} />
    <div class="search-layout">
      <div class="results">
        ${state.loading ? html`<p class="muted" role="status">Searching…</p>` : null}
        <${ErrorBox} errors=${state.errors.filter((e) => !e.path || e.path.length <= 1 || e.path[1] === "nodes" || e.path[1] === "totalCount")} />
        ${search ? html`<p class="count" role="status" data-total=${search.totalCount}>${formatNumber(search.totalCount)} ${search.totalCount === 1 ? "node" : "nodes"}</p>` : null}
        <ol class="hits">
          ${hits.map((h) => (h ? html`<${HitItem} hit=${h} />` : html`<li class="error">a hit could not be read</li>`))}
        </ol>
        <${ErrorBox} errors=${more?.errors ?? []} />
        ${hasNext ? html`<button type="button" onClick=${loadMore} disabled=${more?.loading}>${more?.loading ? "Loading…" : "More results"}</button>` : null}
      </div>
      ${
        capabilities.facets
          ? html`<aside class="facets" aria-label="Facets">
        ${facets.map(
          (f) =>
            html`<${FacetGroup} route=${route} facet=${f.key} label=${f.label} values=${search?.[f.alias] as Facet[] | undefined}
              errors=${state.errors.filter((e) => e.path?.[1] === f.alias)} />`,
        )}
        <${AddFacet} route=${route} />
      </aside>`
          : null
      }
    </div>
    <${QueryPanel} op=${state.op} label="this search" />
    <${QueryPanel} op=${more?.op ?? null} label="the last page of more results" />
  </article>`;
}
