import v8 from "node:v8";
import { LRUCache } from "lru-cache";
import { monotonicMs } from "../stores/clock.js";
import type { Listing } from "../stores/store.js";
import type { JsonValue } from "./json.js";

/** A document as a store held it when last checked: its parsed value and version, or its absence. */
export type CachedDocument =
  | { kind: "document"; value: JsonValue; version: string | null; cost: number; checkedAt: number; derived?: unknown }
  | { kind: "absent"; cost: number; checkedAt: number };

export interface CachedListing {
  kind: "listing";
  listing: Listing;
  cost: number;
  checkedAt: number;
}

type Entry = CachedDocument | CachedListing;

/**
 * Default bound on what the cache holds, in estimated heap bytes: half the heap's bound (about
 * 235 MB under the CLI's bounds), so a larger heap keeps more.
 */
export function defaultCacheBytes(): number {
  return Math.floor(v8.getHeapStatistics().heap_size_limit / 2);
}

/** An entry this large or larger is kept among the large ones (see DocumentCache). */
const LARGE_ENTRY = 1024 * 1024;

/**
 * A listing's heap: the entry, the listing, its arrays and version, and per name its string and
 * slot (fitted: 8,333 listings of 3.2 short names each held 527 bytes each).
 */
function listingCost(listing: Listing): number {
  let cost = 400;
  for (const name of listing.keys) cost += name.length + 32;
  for (const name of listing.prefixes) cost += name.length + 32;
  return cost;
}

/** Freezes a parsed document so that sharing it between requests cannot let one change another's. */
function deepFreeze<T>(value: T): T {
  if (typeof value !== "object" || value === null || Object.isFrozen(value)) return value;
  Object.freeze(value);
  // Only objects need a visit; for...in reads the keys without building an array of values.
  if (Array.isArray(value)) {
    for (const child of value) if (typeof child === "object" && child !== null) deepFreeze(child);
  } else {
    const record = value as Record<string, unknown>;
    for (const key in record) {
      const child = record[key];
      if (typeof child === "object" && child !== null) deepFreeze(child);
    }
  }
  return value;
}

/**
 * What every request of a server has read of each catalog's metadata documents and listings,
 * kept with the store's version and the time it was last confirmed. A request asks the store
 * whether its copy still holds (a conditional read: a stat, a 304, a generation match) instead of
 * reading and parsing again, or, within a catalog's staleness bound, uses it without asking.
 * Bounded by an estimate of the heap it holds, least recently used out first (lru-cache). Concurrent requests
 * that need the same read share one store call (see `flight`).
 */
export class DocumentCache {
  /**
   * Two tiers, each least recently used out first: the few large documents (consolidated
   * metadata, up to three quarters of the bound) and the many small documents and listings of a
   * walk (whatever the large ones leave, and at least a quarter). A walk through 300,000 small
   * documents would otherwise push out the one consolidated document that spares a request all
   * of them, and a large document would push out a walk's worth; where there is no large
   * document, a walk's documents have the whole bound.
   */
  private readonly small: LRUCache<string, Entry>;
  private readonly large: LRUCache<string, Entry>;
  private readonly flights = new Map<string, { startedAt: number; promise: Promise<unknown> }>();

  /** What the small entries keep however many large ones there are. */
  private readonly smallShare: number;

  constructor(readonly maxBytes = defaultCacheBytes()) {
    this.smallShare = Math.max(1, Math.floor(maxBytes / 4));
    const lru = (max: number) =>
      new LRUCache<string, Entry>({ maxSize: max, maxEntrySize: max, sizeCalculation: (e) => Math.max(1, e.cost) });
    this.small = lru(Math.max(1, maxBytes));
    this.large = lru(Math.max(1, maxBytes - this.smallShare));
  }

  private tier(cost: number): LRUCache<string, Entry> {
    return cost < LARGE_ENTRY ? this.small : this.large;
  }

  private static id(catalog: string, kind: "d" | "l", key: string): string {
    // Joined, not concatenated: the cache keeps each id, and a flat string is one object where a
    // template's rope is several.
    return [catalog, kind, key].join("\u0000");
  }

  private lookup<T extends Entry>(id: string): T | undefined {
    return (this.small.get(id) ?? this.large.get(id)) as T | undefined;
  }

  /**
   * An entry larger than its tier is not kept, and no older copy stays in its place (lru-cache
   * drops the key it refuses); one in the other tier is dropped too.
   */
  private store(id: string, entry: Entry): void {
    const tier = this.tier(entry.cost);
    (tier === this.small ? this.large : this.small).delete(id);
    tier.set(id, entry);
    // Over the bound together: the small ones give way, down to their share.
    while (
      this.small.calculatedSize + this.large.calculatedSize > this.maxBytes &&
      this.small.calculatedSize > this.smallShare &&
      this.small.pop() !== undefined
    );
  }

  /** Estimated heap held, for tests and metrics. */
  get heldBytes(): number {
    return this.small.calculatedSize + this.large.calculatedSize;
  }

  document(catalog: string, key: string): CachedDocument | undefined {
    return this.lookup(DocumentCache.id(catalog, "d", key));
  }

  /**
   * Keeps a parsed document (frozen: it is shared from now on) and returns the entry. `cost` is
   * the heap it is estimated to hold (heapHeld of its text).
   */
  putDocument(
    catalog: string,
    key: string,
    value: JsonValue,
    version: string | null,
    cost: number,
    checkedAt: number,
  ): CachedDocument {
    const entry: CachedDocument = { kind: "document", value: deepFreeze(value), version, cost, checkedAt };
    this.store(DocumentCache.id(catalog, "d", key), entry);
    return entry;
  }

  putAbsent(catalog: string, key: string, checkedAt: number): void {
    this.store(DocumentCache.id(catalog, "d", key), { kind: "absent", cost: 96, checkedAt });
  }

  listing(catalog: string, prefix: string): CachedListing | undefined {
    return this.lookup(DocumentCache.id(catalog, "l", prefix));
  }

  putListing(catalog: string, prefix: string, listing: Listing, checkedAt: number): void {
    this.store(DocumentCache.id(catalog, "l", prefix), {
      kind: "listing",
      listing,
      cost: listingCost(listing),
      checkedAt,
    });
  }

  /** The store confirmed, at `checkedAt`, that an entry still holds. */
  confirm(entry: { checkedAt: number }, checkedAt: number): void {
    entry.checkedAt = Math.max(entry.checkedAt, checkedAt);
  }

  /** This server changed or removed `key`: forget what it knew of it and of the listings above it. */
  forget(catalog: string, key: string): void {
    this.drop(DocumentCache.id(catalog, "d", key));
    for (let dir = key; dir !== ""; ) {
      dir = dir.includes("/") ? dir.slice(0, dir.lastIndexOf("/")) : "";
      this.drop(DocumentCache.id(catalog, "l", dir));
    }
  }

  /** Everything below `prefix` changed. */
  forgetBelow(catalog: string, prefix: string): void {
    const heads = [DocumentCache.id(catalog, "d", ""), DocumentCache.id(catalog, "l", "")];
    for (const id of [...this.small.keys(), ...this.large.keys()]) {
      const head = heads.find((h) => id.startsWith(h));
      if (head === undefined) continue;
      const key = id.slice(head.length);
      if (prefix === "" || key === prefix || key.startsWith(`${prefix}/`)) this.drop(id);
    }
    this.forget(catalog, prefix);
  }

  private drop(id: string): void {
    this.small.delete(id);
    this.large.delete(id);
  }

  /**
   * One store call for concurrent requests that need the same answer: a request joins a call
   * already in flight only if that call started no earlier than the request did, so it can never
   * be answered by a read older than itself. A failed shared call (another request's deadline, say)
   * is not the joiner's failure: it makes its own call.
   */
  flight<T>(catalog: string, key: string, startedAfter: number, run: () => Promise<T>): Promise<T> {
    const id = DocumentCache.id(catalog, "d", key);
    const current = this.flights.get(id);
    if (current && current.startedAt >= startedAfter) return (current.promise as Promise<T>).catch(() => run());
    const flight = { startedAt: monotonicMs(), promise: run() };
    this.flights.set(id, flight);
    const clear = () => {
      if (this.flights.get(id) === flight) this.flights.delete(id);
    };
    flight.promise.then(clear, clear);
    return flight.promise;
  }
}
