import { setImmediate as yieldToLoop } from "node:timers/promises";
import { inSubtree, matches } from "./evaluate.js";
import { FacetCounter, facetValue } from "./facets.js";
import type { Filter } from "./filter.js";
import type { SearchRecord } from "./record.js";
import type { FacetCount, IndexChange, IndexPage, IndexQuery, SearchIndex, SortKey } from "./search-index.js";
import { compareCodePoints } from "./strings.js";
import { recordWords } from "./text.js";
import { attributePaths, canonical } from "./values.js";

/**
 * The default index: in this process's memory, nothing to install. Inverted postings (word,
 * attribute key, attribute key and value, node type, format, data type, dimension name → nodes)
 * narrow each query to candidates; `matches` decides each candidate. Word postings are exact, so
 * text needs no second look.
 */

interface Entry {
  record: SearchRecord;
  /** Position in the catalog's path order (valid while the table's `sorted` is). */
  ord: number;
}

/** Values longer than this (as canonical text) get no value posting: eq on them narrows by key. */
const MAX_VALUE_POSTING = 256;

/** Evaluations between two looks at the deadline (and two turns of the event loop). */
const CHECK_EVERY = 2_048;

const valuePosting = (key: string, text: string) => `v:${key}\u0000${text}`;

/** Every posting a record is in. Recomputed on removal, so entries need not remember them. */
function* postingKeys(record: SearchRecord): Generator<string> {
  for (const word of recordWords(record)) yield `w:${word}`;
  for (const [key, value] of attributePaths(record.attributes)) {
    yield `k:${key}`;
    const text = canonical(value);
    if (text.length <= MAX_VALUE_POSTING) yield valuePosting(key, text);
  }
  yield `t:${record.nodeType}`;
  yield `f:${record.zarrFormat}`;
  if (typeof record.dataType === "string") yield `d:${record.dataType}`;
  for (const name of new Set(record.dimensionNames ?? [])) if (name !== null) yield `n:${name}`;
}

class CatalogTable {
  readonly entries = new Map<string, Entry>();
  readonly postings = new Map<string, Set<Entry>>();
  private sortedEntries: Entry[] | null = null;
  indexedAt: Date | null = null;

  add(record: SearchRecord): void {
    this.remove(record.path);
    const entry: Entry = { record, ord: -1 };
    this.entries.set(record.path, entry);
    for (const key of postingKeys(record)) {
      let set = this.postings.get(key);
      if (!set) {
        set = new Set();
        this.postings.set(key, set);
      }
      set.add(entry);
    }
    this.sortedEntries = null;
  }

  remove(path: string): void {
    const entry = this.entries.get(path);
    if (!entry) return;
    this.entries.delete(path);
    for (const key of postingKeys(entry.record)) {
      const set = this.postings.get(key);
      set?.delete(entry);
      if (set?.size === 0) this.postings.delete(key);
    }
    this.sortedEntries = null;
  }

  /** Every entry in path order (code points). */
  sorted(): Entry[] {
    if (!this.sortedEntries) {
      this.sortedEntries = [...this.entries.values()].sort((a, b) => compareCodePoints(a.record.path, b.record.path));
      this.sortedEntries.forEach((e, i) => {
        e.ord = i;
      });
    }
    return this.sortedEntries;
  }

  posting(key: string): Set<Entry> {
    return this.postings.get(key) ?? EMPTY;
  }

  /** A superset of the entries the filter can match; null when it cannot narrow (every entry). */
  candidates(filter: Filter): Set<Entry> | null {
    switch (filter.op) {
      case "and":
        return intersect(filter.items.map((f) => this.candidates(f)));
      case "or": {
        const parts = filter.items.map((f) => this.candidates(f));
        if (parts.some((p) => p === null)) return null;
        const out = new Set<Entry>();
        for (const part of parts as Set<Entry>[]) for (const e of part) out.add(e);
        return out;
      }
      case "nodeType":
        return this.posting(`t:${filter.value}`);
      case "zarrFormat":
        return this.posting(`f:${filter.value}`);
      case "dataType":
        return union(filter.values.map((v) => this.posting(`d:${v}`)));
      case "dimensionName":
        return this.posting(`n:${filter.value}`);
      case "attribute":
        return this.attributeCandidates(filter);
      default:
        return null;
    }
  }

  private attributeCandidates(filter: Extract<Filter, { op: "attribute" }>): Set<Entry> | null {
    const byValue = (value: unknown) => {
      const text = canonical(value);
      return text.length <= MAX_VALUE_POSTING ? this.posting(valuePosting(filter.key, text)) : null;
    };
    const narrowed: (Set<Entry> | null)[] = [];
    for (const test of filter.tests) {
      if (test.op === "exists" && !test.value) continue;
      if (test.op === "eq" && test.caseSensitive) narrowed.push(byValue(test.value) ?? this.posting(`k:${filter.key}`));
      else if (test.op === "in" && test.caseSensitive) {
        const parts = test.values.map(byValue);
        narrowed.push(parts.every((p) => p !== null) ? union(parts as Set<Entry>[]) : this.posting(`k:${filter.key}`));
      }
      // Every other test needs the key.
      else narrowed.push(this.posting(`k:${filter.key}`));
    }
    return narrowed.length === 0 ? null : intersect(narrowed);
  }
}

const EMPTY: Set<Entry> = new Set();

function intersect(parts: (Set<Entry> | null)[]): Set<Entry> | null {
  const sets = (parts.filter((p) => p !== null) as Set<Entry>[]).sort((a, b) => a.size - b.size);
  if (sets.length === 0) return null;
  if (sets.length === 1) return sets[0];
  const out = new Set<Entry>();
  for (const e of sets[0]) if (sets.every((s) => s.has(e))) out.add(e);
  return out;
}

function union(parts: Set<Entry>[]): Set<Entry> {
  if (parts.length === 1) return parts[0];
  const out = new Set<Entry>();
  for (const part of parts) for (const e of part) out.add(e);
  return out;
}

export class EmbeddedIndex implements SearchIndex {
  readonly kind = "embedded" as const;
  private readonly tables = new Map<string, CatalogTable>();
  /** Hits per query object: a request's page and its facets share one evaluation. */
  private readonly evaluated = new WeakMap<IndexQuery, Promise<Entry[]>>();

  private table(catalog: string): CatalogTable {
    let table = this.tables.get(catalog);
    if (!table) {
      table = new CatalogTable();
      this.tables.set(catalog, table);
    }
    return table;
  }

  async versions(catalog: string): Promise<Map<string, string | null>> {
    const out = new Map<string, string | null>();
    for (const [path, entry] of this.tables.get(catalog)?.entries ?? []) out.set(path, entry.record.version);
    return out;
  }

  async apply(catalog: string, change: IndexChange, indexedAt?: Date): Promise<void> {
    const table = this.table(catalog);
    if (change.removeBelow !== undefined) {
      for (const path of [...table.entries.keys()]) if (inSubtree(path, change.removeBelow)) table.remove(path);
    }
    for (const path of change.remove) table.remove(path);
    for (const record of change.upsert) table.add(record);
    if (indexedAt) table.indexedAt = indexedAt;
  }

  async indexedAt(catalog: string): Promise<Date | null> {
    return this.tables.get(catalog)?.indexedAt ?? null;
  }

  /** Every hit of the query, in (catalog, path) order. */
  private hits(query: IndexQuery): Promise<Entry[]> {
    let result = this.evaluated.get(query);
    if (!result) {
      result = this.evaluate(query);
      this.evaluated.set(query, result);
    }
    return result;
  }

  private async evaluate(query: IndexQuery): Promise<Entry[]> {
    const out: Entry[] = [];
    let checked = 0;
    for (const catalog of [...query.catalogs].sort(compareCodePoints)) {
      const table = this.tables.get(catalog);
      if (!table) continue;
      const all = table.sorted();
      const narrowed = intersect([...query.words.map((w) => table.posting(`w:${w}`)), table.candidates(query.filter)]);
      const candidates = narrowed === null ? all : [...narrowed].sort((a, b) => a.ord - b.ord);
      for (const entry of candidates) {
        if (++checked % CHECK_EVERY === 0) {
          await yieldToLoop();
          query.signal?.throwIfAborted();
        }
        if (matches(query.filter, entry.record)) out.push(entry);
      }
    }
    return out;
  }

  async search(query: IndexQuery, first: number, after: SortKey | null): Promise<IndexPage> {
    const hits = await this.hits(query);
    let from = 0;
    if (after) {
      // Binary search for the first hit past the cursor.
      let lo = 0;
      let hi = hits.length;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        const r = hits[mid].record;
        const order = compareCodePoints(r.catalog, after.catalog) || compareCodePoints(r.path, after.path);
        if (order <= 0) lo = mid + 1;
        else hi = mid;
      }
      from = lo;
    }
    const page = hits.slice(from, from + first);
    return {
      hits: page.map((e) => ({ catalog: e.record.catalog, path: e.record.path })),
      totalCount: hits.length,
      hasNextPage: from + first < hits.length,
    };
  }

  async facets(query: IndexQuery, key: string, first: number): Promise<FacetCount[]> {
    const counter = new FacetCounter();
    for (const entry of await this.hits(query)) counter.add(facetValue(entry.record, key));
    return counter.top(first);
  }

  async close(): Promise<void> {
    this.tables.clear();
  }
}
