import type { JsonValue } from "../hierarchy/json.js";
import type { Query } from "./evaluate.js";
import type { SearchRecord } from "./record.js";

/** A position in the result order (catalog, then path, by code point): what cursors encode. */
export interface SortKey {
  catalog: string;
  path: string;
}

export interface IndexQuery extends Query {
  /** The catalogs to search, already narrowed to what the caller may read. */
  catalogs: string[];
  /** The request's deadline: long evaluations stop when it aborts. */
  signal?: AbortSignal;
}

export interface IndexPage {
  hits: SortKey[];
  /** Every hit, not only this page's. */
  totalCount: number;
  hasNextPage: boolean;
}

export interface FacetCount {
  value: JsonValue;
  count: number;
}

/** What a build, refresh or write changed in one catalog. */
export interface IndexChange {
  /** Nodes new or changed. */
  upsert: SearchRecord[];
  /** Paths of nodes gone. */
  remove: string[];
  /** A subtree gone: this node and everything below it. */
  removeBelow?: string;
}

/**
 * Where the records live and how they are searched. Every backend answers exactly as
 * `answers` (evaluate.ts) says; they differ in how they narrow the candidates.
 */
export interface SearchIndex {
  readonly kind: "embedded" | "postgres";
  /** The version of every node indexed in the catalog, by path. */
  versions(catalog: string): Promise<Map<string, string | null>>;
  /** Applies a change; `indexedAt` (a build or refresh's start) records how fresh the catalog is. */
  apply(catalog: string, change: IndexChange, indexedAt?: Date): Promise<void>;
  indexedAt(catalog: string): Promise<Date | null>;
  /** Hits in (catalog, path) order, after `after`, at most `first`. */
  search(query: IndexQuery, first: number, after: SortKey | null): Promise<IndexPage>;
  /** Values of `key` over every hit, most frequent first, ties by value; at most `first`. */
  facets(query: IndexQuery, key: string, first: number): Promise<FacetCount[]>;
  close(): Promise<void>;
}

/** One evaluation per query object (a request's page and its facets share it), forgotten with the query. */
export function perQuery<T>(compute: (query: IndexQuery) => Promise<T>): (query: IndexQuery) => Promise<T> {
  const results = new WeakMap<IndexQuery, Promise<T>>();
  return (query) => {
    let result = results.get(query);
    if (!result) {
      result = compute(query);
      results.set(query, result);
    }
    return result;
  };
}
