import { setImmediate as yieldToLoop } from "node:timers/promises";
import { isLosslessNumber, type JsonObject, type JsonValue, LosslessNumber, NonFinite } from "../hierarchy/json.js";
import { inSubtree, matches } from "./evaluate.js";
import { FacetCounter, facetValue } from "./facets.js";
import type { Filter } from "./filter.js";
import type { SearchRecord } from "./record.js";
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
import { recordWords } from "./text.js";
import { attributePaths, canonical, kindOf } from "./values.js";

/**
 * The default index: in this process's memory, nothing to install. Nodes get integer ids;
 * postings (word, attribute key, attribute key and scalar value, node type, format, data type,
 * dimension name → ids) narrow each query. Where the postings say exactly what the filter says
 * (equality on a scalar, exists, types, words, and/or/not of those) no node is looked at;
 * otherwise `matches` decides each candidate. Removed nodes leave dead ids in the postings until
 * a compaction rebuilds them.
 */

/** Evaluations between two looks at the deadline (and two turns of the event loop). */
const CHECK_EVERY = 4_096;

const valuePosting = (key: string, text: string) => `v:${key}\u0000${text}`;
const isScalar = (value: unknown) => {
  const kind = kindOf(value);
  return kind !== "list" && kind !== "object";
};

/** Every posting a record is in. */
function* postingKeys(record: SearchRecord): Generator<string> {
  for (const word of recordWords(record)) yield `w:${word}`;
  for (const [key, value] of attributePaths(record.attributes)) {
    yield `k:${key}`;
    // Scalars only: lists and objects are rarely asked for by value, and would each be a posting.
    if (isScalar(value)) yield valuePosting(key, canonical(value));
    else yield `c:${key}`;
  }
  yield `t:${record.nodeType}`;
  yield `f:${record.zarrFormat}`;
  if (typeof record.dataType === "string") yield `d:${record.dataType}`;
  else if (record.dataType !== undefined) yield "D";
  for (const name of new Set(record.dimensionNames ?? [])) if (name !== null) yield `n:${name}`;
}

/**
 * A record the index can keep for long: strings from the metadata parser are ropes of one-character
 * pieces (lossless-json builds them a character at a time), several times their length in memory,
 * so every string is copied flat, and equal strings share one copy (`pool`, per batch).
 */
function detach(record: SearchRecord, pool: Map<string, string>): SearchRecord {
  const flat = (text: string) => {
    let copy = pool.get(text);
    if (copy === undefined) {
      // JSON.parse makes a flat string; JSON.stringify escapes lone surrogates, so it comes back exact.
      copy = JSON.parse(JSON.stringify(text)) as string;
      pool.set(copy, copy);
    }
    return copy;
  };
  const copy = (value: JsonValue): JsonValue => {
    if (typeof value === "string") return flat(value);
    if (Array.isArray(value)) return value.map(copy);
    if (isLosslessNumber(value)) return new LosslessNumber(flat(value.toString()));
    if (value !== null && typeof value === "object" && !(value instanceof NonFinite)) {
      const out: JsonObject = {};
      for (const [k, v] of Object.entries(value)) out[flat(k)] = copy(v);
      return out;
    }
    return value;
  };
  return {
    catalog: flat(record.catalog),
    path: flat(record.path),
    version: record.version === null ? null : flat(record.version),
    nodeType: record.nodeType,
    zarrFormat: record.zarrFormat,
    attributes: copy(record.attributes) as JsonObject,
    ...(record.dataType === undefined ? {} : { dataType: copy(record.dataType) }),
    ndim: record.ndim,
    dimensionNames: record.dimensionNames?.map((n) => (n === null ? null : flat(n))) ?? null,
  };
}

/** Ids a filter narrows to: null is every node; `exact` says no node needs a second look. */
interface Narrowed {
  ids: Uint8Array | null;
  exact: boolean;
}

class CatalogTable {
  /** Records by id; undefined once removed. */
  private records: (SearchRecord | undefined)[] = [];
  private ids = new Map<string, number>();
  private postings = new Map<string, number[]>();
  /** Attribute key -> the canonical texts of its scalar values, and the string data types, for facets. */
  private values = new Map<string, Set<string>>();
  private dataTypes = new Set<string>();
  private dead = 0;
  /** Live ids in path order (code points), rebuilt after changes. */
  private sortedIds: Int32Array | null = null;
  indexedAt: Date | null = null;

  get size(): number {
    return this.ids.size;
  }

  record(id: number): SearchRecord | undefined {
    return this.records[id];
  }

  versions(): Map<string, string | null> {
    const out = new Map<string, string | null>();
    for (const [path, id] of this.ids) out.set(path, this.records[id]!.version);
    return out;
  }

  paths(): IterableIterator<string> {
    return this.ids.keys();
  }

  add(record: SearchRecord): void {
    this.remove(record.path);
    const id = this.records.length;
    this.records.push(record);
    this.ids.set(record.path, id);
    for (const key of postingKeys(record)) {
      const list = this.postings.get(key);
      if (list) list.push(id);
      else this.postings.set(key, [id]);
    }
    for (const [key, value] of attributePaths(record.attributes)) {
      if (isScalar(value)) this.valueSet(key).add(canonical(value));
    }
    if (typeof record.dataType === "string") this.dataTypes.add(record.dataType);
    this.sortedIds = null;
  }

  remove(path: string): void {
    const id = this.ids.get(path);
    if (id === undefined) return;
    this.ids.delete(path);
    this.records[id] = undefined;
    this.dead++;
    this.sortedIds = null;
  }

  private valueSet(key: string): Set<string> {
    let set = this.values.get(key);
    if (!set) {
      set = new Set();
      this.values.set(key, set);
    }
    return set;
  }

  /** Rebuilds ids and postings once dead ids outnumber live ones. */
  compact(): void {
    if (this.dead < 1_024 || this.dead < this.ids.size) return;
    const live = this.records.filter((r): r is SearchRecord => r !== undefined);
    this.records = [];
    this.ids = new Map();
    this.postings = new Map();
    this.values = new Map();
    this.dataTypes = new Set();
    this.dead = 0;
    for (const record of live) this.add(record);
  }

  sorted(): Int32Array {
    if (!this.sortedIds) {
      const ids = [...this.ids.values()].sort((a, b) =>
        compareCodePoints(this.records[a]!.path, this.records[b]!.path),
      );
      this.sortedIds = Int32Array.from(ids);
    }
    return this.sortedIds;
  }

  /** A posting as marks over ids (dead ids are marked too; callers skip them). */
  private mark(key: string): Uint8Array {
    const out = new Uint8Array(this.records.length);
    for (const id of this.postings.get(key) ?? []) out[id] = 1;
    return out;
  }

  private union(keys: string[]): Uint8Array {
    const out = new Uint8Array(this.records.length);
    for (const key of keys) for (const id of this.postings.get(key) ?? []) out[id] = 1;
    return out;
  }

  /** Ids ever given (live or dead): the length of mark arrays. */
  get capacity(): number {
    return this.records.length;
  }

  /** Every scalar value (canonical text) an attribute key has held since the last compaction. */
  valuesOf(key: string): Iterable<string> {
    return this.values.get(key) ?? [];
  }

  /** Every string data type held since the last compaction. */
  stringDataTypes(): Iterable<string> {
    return this.dataTypes;
  }

  posting(key: string): readonly number[] {
    return this.postings.get(key) ?? [];
  }

  words(words: string[]): Narrowed {
    return and(words.map((w) => ({ ids: this.mark(`w:${w}`), exact: true })));
  }

  narrow(filter: Filter): Narrowed {
    switch (filter.op) {
      case "all":
        return { ids: null, exact: true };
      case "and":
        return and(filter.items.map((f) => this.narrow(f)));
      case "or": {
        const parts = filter.items.map((f) => this.narrow(f));
        if (parts.length === 0) return { ids: new Uint8Array(this.records.length), exact: true };
        if (parts.some((p) => p.ids === null)) return { ids: null, exact: parts.every((p) => p.exact) };
        const out = new Uint8Array(this.records.length);
        for (const p of parts) for (let i = 0; i < out.length; i++) out[i] |= p.ids![i];
        return { ids: out, exact: parts.every((p) => p.exact) };
      }
      case "not": {
        const inner = this.narrow(filter.item);
        if (!inner.exact) return { ids: null, exact: false };
        if (inner.ids === null) return { ids: new Uint8Array(this.records.length), exact: true };
        return { ids: inner.ids.map((v) => v ^ 1), exact: true };
      }
      case "nodeType":
        return { ids: this.mark(`t:${filter.value}`), exact: true };
      case "zarrFormat":
        return { ids: this.mark(`f:${filter.value}`), exact: true };
      case "dataType":
        return { ids: this.union(filter.values.map((v) => `d:${v}`)), exact: true };
      case "dimensionName":
        return { ids: this.mark(`n:${filter.value}`), exact: true };
      case "attribute":
        return and(
          filter.tests.map((test): Narrowed => {
            const key = `k:${filter.key}`;
            if (test.op === "exists") {
              const present = this.mark(key);
              return { ids: test.value ? present : present.map((v) => v ^ 1), exact: true };
            }
            if ((test.op === "eq" || test.op === "in") && test.caseSensitive) {
              const values = test.op === "eq" ? [test.value] : (test as { values: JsonValue[] }).values;
              if (values.every(isScalar)) {
                return { ids: this.union(values.map((v) => valuePosting(filter.key, canonical(v)))), exact: true };
              }
            }
            // Every other test needs the key.
            return { ids: this.mark(key), exact: false };
          }),
        );
      default:
        return { ids: null, exact: false };
    }
  }
}

function and(parts: Narrowed[]): Narrowed {
  const marked = parts.filter((p) => p.ids !== null);
  const exact = parts.every((p) => p.exact);
  if (marked.length === 0) return { ids: null, exact };
  const out = marked[0].ids!.slice();
  for (const p of marked.slice(1)) for (let i = 0; i < out.length; i++) out[i] &= p.ids![i];
  return { ids: out, exact };
}

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
