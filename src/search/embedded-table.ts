/**
 * One catalog's part of the embedded index: its records under integer ids, and the postings
 * (word, attribute key, attribute key and scalar value, node type, format, data type, dimension
 * name -> ids) that narrow a query before any record is looked at.
 */
import { isLosslessNumber, type JsonObject, type JsonValue, LosslessNumber, NonFinite } from "../hierarchy/json.js";
import type { Filter } from "./filter.js";
import type { SearchRecord } from "./record.js";
import { compareCodePoints } from "./strings.js";
import { recordWords } from "./text.js";
import { attributePaths, canonical, kindOf } from "./values.js";
export const valuePosting = (key: string, text: string) => `v:${key}\u0000${text}`;
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
export function detach(record: SearchRecord, pool: Map<string, string>): SearchRecord {
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
export interface Narrowed {
  ids: Uint8Array | null;
  exact: boolean;
}

export class CatalogTable {
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

export function and(parts: Narrowed[]): Narrowed {
  const marked = parts.filter((p) => p.ids !== null);
  const exact = parts.every((p) => p.exact);
  if (marked.length === 0) return { ids: null, exact };
  const out = marked[0].ids!.slice();
  for (const p of marked.slice(1)) for (let i = 0; i < out.length; i++) out[i] &= p.ids![i];
  return { ids: out, exact };
}
