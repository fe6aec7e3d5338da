import { setImmediate as yieldToLoop } from "node:timers/promises";
import { and, CatalogTable, detach, valuePosting } from "./embedded-table.js";
import { inSubtree, matches } from "./evaluate.js";
import { FacetCounter, facetValue } from "./facets.js";
import {
  type FacetCount,
  type IndexChange,
  type IndexPage,
  type IndexQuery,
  perQuery,
  type SearchIndex,
  type SortKey,
} from "./search-index.js";
import { compareCodePoints } from "./strings.js";

/** Evaluations between two looks at the deadline (and two turns of the event loop). */
const CHECK_EVERY = 4_096;

/**
 * The default index: in this process's memory, nothing to install. Nodes get integer ids;
 * postings (word, attribute key, attribute key and scalar value, node type, format, data type,
 * dimension name → ids) narrow each query. Where the postings say exactly what the filter says
 * (equality on a scalar, exists, types, words, and/or/not of those) no node is looked at;
 * otherwise `matches` decides each candidate. Removed nodes leave dead ids in the postings until
 * a compaction rebuilds them.
 */
export class EmbeddedIndex implements SearchIndex {
  readonly kind = "embedded" as const;
  private readonly tables = new Map<string, CatalogTable>();
  /** Every hit of the query, per catalog in catalog order, each in path order; a page and its facets share one evaluation. */
  private readonly hits = perQuery((query) => this.evaluate(query));

  private table(catalog: string): CatalogTable {
    let table = this.tables.get(catalog);
    if (!table) {
      table = new CatalogTable();
      this.tables.set(catalog, table);
    }
    return table;
  }

  async versions(catalog: string): Promise<Map<string, string | null>> {
    return this.tables.get(catalog)?.versions() ?? new Map();
  }

  async apply(catalog: string, change: IndexChange, indexedAt?: Date): Promise<void> {
    const table = this.table(catalog);
    if (change.removeBelow !== undefined) {
      for (const path of [...table.paths()]) if (inSubtree(path, change.removeBelow)) table.remove(path);
    }
    for (const path of change.remove) table.remove(path);
    const pool = new Map<string, string>();
    for (const record of change.upsert) table.add(detach(record, pool));
    table.compact();
    if (indexedAt) table.indexedAt = indexedAt;
  }

  async indexedAt(catalog: string): Promise<Date | null> {
    return this.tables.get(catalog)?.indexedAt ?? null;
  }

  private async evaluate(query: IndexQuery): Promise<Hits[]> {
    const out: Hits[] = [];
    let checked = 0;
    for (const catalog of [...query.catalogs].sort(compareCodePoints)) {
      const table = this.tables.get(catalog);
      if (!table) continue;
      const narrowed = and([table.words(query.words), table.narrow(query.filter)]);
      const ids: number[] = [];
      const sorted = table.sorted();
      const marks = narrowed.ids;
      for (let i = 0; i < sorted.length; i++) {
        const id = sorted[i];
        if (marks !== null && marks[id] === 0) continue;
        if (!narrowed.exact) {
          if (++checked % CHECK_EVERY === 0) {
            await yieldToLoop();
            query.signal?.throwIfAborted();
          }
          if (!matches(query.filter, table.record(id)!)) continue;
        }
        ids.push(id);
      }
      out.push({ catalog, table, ids });
    }
    return out;
  }

  async search(query: IndexQuery, first: number, after: SortKey | null): Promise<IndexPage> {
    const all = await this.hits(query);
    const page: SortKey[] = [];
    let total = 0;
    let more = false;
    for (const { catalog, table, ids } of all) {
      total += ids.length;
      const order = after ? compareCodePoints(catalog, after.catalog) : 1;
      if (order < 0) continue;
      let from = 0;
      if (order === 0 && after) {
        // The first hit past the cursor's path, by binary search.
        let hi = ids.length;
        while (from < hi) {
          const mid = (from + hi) >> 1;
          if (compareCodePoints(table.record(ids[mid])!.path, after.path) <= 0) from = mid + 1;
          else hi = mid;
        }
      }
      for (let i = from; i < ids.length; i++) {
        if (page.length === first) {
          more = true;
          break;
        }
        page.push({ catalog, path: table.record(ids[i])!.path });
      }
    }
    return { hits: page, totalCount: total, hasNextPage: more };
  }

  async facets(query: IndexQuery, key: string, first: number): Promise<FacetCount[]> {
    const counter = new FacetCounter();
    for (const { catalog, table, ids } of await this.hits(query)) {
      if (key === "catalog") {
        if (ids.length > 0) counter.addCanonical(JSON.stringify(catalog), ids.length);
        continue;
      }
      // Count hits in each value's posting rather than look at every hit; nodes whose value is a
      // list or an object (no value posting) are looked at one by one.
      const marks = new Uint8Array(table.capacity);
      for (const id of ids) marks[id] = 1;
      const count = (posting: readonly number[]) => {
        let n = 0;
        for (const id of posting) n += marks[id];
        return n;
      };
      for (const [posting, value] of facetPostings(table, key)) {
        const n = count(table.posting(posting));
        if (n > 0) counter.addCanonical(value, n);
      }
      const others = key === "dataType" ? "D" : key === "nodeType" ? null : `c:${key}`;
      if (others !== null) {
        for (const id of table.posting(others)) {
          if (marks[id] === 1) counter.add(facetValue(table.record(id)!, key));
        }
      }
    }
    return counter.top(first);
  }

  async close(): Promise<void> {
    this.tables.clear();
  }
}

interface Hits {
  catalog: string;
  table: CatalogTable;
  ids: number[];
}

/** The value postings a facet key counts over, with each value's canonical text. */
function* facetPostings(table: CatalogTable, key: string): Generator<[string, string]> {
  if (key === "nodeType") {
    yield ["t:group", '"GROUP"'];
    yield ["t:array", '"ARRAY"'];
    return;
  }
  if (key === "dataType") {
    for (const type of table.stringDataTypes()) yield [`d:${type}`, JSON.stringify(type)];
    return;
  }
  for (const text of table.valuesOf(key)) yield [valuePosting(key, text), text];
}
