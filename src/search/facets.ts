import { type JsonValue, parseJson } from "../hierarchy/json.js";
import type { SearchRecord } from "./record.js";
import type { FacetCount } from "./search-index.js";
import { canonical, compareValues, keySegments, resolve } from "./values.js";

/**
 * Facets: the values a key takes over the hits and how many hits have each. Keys are an
 * attribute's dotted path, or one of the node's own fields below.
 */
export const FIELD_FACETS = ["nodeType", "dataType", "catalog"] as const;

/** The facet value of one node, or undefined when it does not have the key. */
export function facetValue(record: SearchRecord, key: string): JsonValue | undefined {
  switch (key) {
    case "nodeType":
      return record.nodeType === "group" ? "GROUP" : "ARRAY";
    case "dataType":
      return record.dataType;
    case "catalog":
      return record.catalog;
    default: {
      const { found, value } = resolve(record.attributes, keySegments(key));
      return found ? value : undefined;
    }
  }
}

/** Counts by canonical text (1 and 1.0 are one value), then ranks. */
export class FacetCounter {
  private readonly counts = new Map<string, number>();

  add(value: JsonValue | undefined): void {
    // Facet.value is JSON!: a key holding null counts no value.
    if (value === undefined || value === null) return;
    const text = canonical(value);
    this.counts.set(text, (this.counts.get(text) ?? 0) + 1);
  }

  addCanonical(text: string, count: number): void {
    if (text === "null") return;
    this.counts.set(text, (this.counts.get(text) ?? 0) + count);
  }

  top(first: number): FacetCount[] {
    return rankFacets(
      [...this.counts].map(([text, count]) => ({ value: parseJson(text), count })),
      first,
    );
  }
}

/** Most frequent first, ties by value (see compareValues), at most `first`. */
export function rankFacets(counts: FacetCount[], first: number): FacetCount[] {
  return counts.sort((a, b) => b.count - a.count || compareValues(a.value, b.value)).slice(0, first);
}
