import type { FacetRequest } from "../api/queries.js";
import type { FacetFilter } from "../route.js";

/** The facets every search shows, in order: a fixed alias each, and the label shown. */
export const BUILT_IN_FACETS: { key: string; alias: string; label: string }[] = [
  { key: "nodeType", alias: "nodeType", label: "Node type" },
  { key: "dataType", alias: "dataType", label: "Data type" },
  { key: "units", alias: "units", label: "Units" },
  { key: "catalog", alias: "catalog", label: "Catalog" },
];

/** The facets a search asks for: the built-in ones, then each attribute key the reader added. */
export function facetRequests(facetKeys: string[]): (FacetRequest & { label: string })[] {
  const builtIn = BUILT_IN_FACETS.map((f) => ({ ...f }));
  const added = facetKeys
    .filter((k) => !BUILT_IN_FACETS.some((f) => f.key === k))
    .map((key, i) => ({ key, alias: `attribute${i}`, label: key }));
  return [...builtIn, ...added];
}

/** One chosen value as a NodeFilter clause. */
function clause(facet: string, values: unknown[]): Record<string, unknown> {
  if (facet === "dataType") return { dataType: values.map((v) => (typeof v === "string" ? v : JSON.stringify(v))) };
  const one = (value: unknown) =>
    facet === "nodeType" ? { nodeType: value } : { attribute: { key: facet, eq: value } };
  return values.length === 1 ? one(values[0]) : { or: values.map(one) };
}

/**
 * The chosen facet values as the search's arguments: values of one facet are alternatives (or),
 * facets narrow each other (and); catalogs go to the `catalogs` argument.
 */
export function searchArguments(filters: FacetFilter[]): {
  filter: Record<string, unknown> | null;
  catalogs: string[] | null;
} {
  const byFacet = new Map<string, unknown[]>();
  for (const f of filters) byFacet.set(f.facet, [...(byFacet.get(f.facet) ?? []), f.value]);
  const catalogs = byFacet.get("catalog")?.map(String) ?? null;
  byFacet.delete("catalog");
  const clauses = [...byFacet].map(([facet, values]) => clause(facet, values));
  const filter = clauses.length === 0 ? null : clauses.length === 1 ? clauses[0] : { and: clauses };
  return { filter, catalogs };
}

export function sameValue(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}
