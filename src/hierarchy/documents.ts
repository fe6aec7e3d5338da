import DataLoader from "dataloader";
import pLimit from "p-limit";
import { monotonicMs } from "../stores/clock.js";
import {
  InvalidKeyError,
  isNotModified,
  type Listing,
  type ListTreeOptions,
  ObjectTooLargeError,
  type Store,
  type StoreEntry,
  StoreError,
  type TreeEntry,
} from "../stores/store.js";
import { type CachedDocument, DocumentCache } from "./document-cache.js";
import { BadInputError, InvalidMetadataError, LimitExceededError, StoreUnavailable, ZarrError } from "./errors.js";
import { HeapRoom, heapHeld } from "./heap-room.js";
import { JsonSyntaxError, type JsonValue, parseJson } from "./json.js";

export interface ReaderLimits {
  /** Store reads in flight at once, per catalog per request. */
  concurrency: number;
  /**
   * Metadata documents larger than this are refused (LIMIT_EXCEEDED "documentBytes"), before
   * they are read whole on stores that can tell.
   */
  maxDocumentBytes: number;
}

/**
 * The consolidated metadata of a 100,000-node hierarchy is about 50 MB: the default lets such
 * catalogs through and still refuses what no metadata document should be.
 */
export const DEFAULT_READER_LIMITS: ReaderLimits = { concurrency: 64, maxDocumentBytes: 256 * 1024 * 1024 };

/** Store failures in the model's vocabulary: a refused key is the caller's fault, the rest the store's. */
export function toZarrError(error: unknown): Error {
  if (error instanceof ZarrError) return error;
  if (error instanceof InvalidKeyError) return new BadInputError(error.message);
  if (error instanceof ObjectTooLargeError) {
    return new LimitExceededError(
      "documentBytes",
      error.maxBytes,
      error.size,
      `metadata document too large: ${error.message}; raise the limit with --max-document-bytes (config limits.maxDocumentBytes) to serve it`,
    );
  }
  if (error instanceof StoreError) {
    if (error.code === "NOT_SUPPORTED") return new StoreUnavailable(error.message);
    return new StoreUnavailable(error.message, { cause: error });
  }
  if (error instanceof Error && error.name === "AbortError") return new StoreUnavailable("store call was cancelled");
  return new StoreUnavailable("store call failed", { cause: error });
}

export interface ParsedDocument {
  value: JsonValue;
  version: string | null;
  /** What a reader computed from the document, kept with it for as long as it is kept (see NodeDocuments). */
  derived?: unknown;
}

/** How a reader shares what it reads with other requests of the same server. */
export interface SharedReads {
  cache: DocumentCache;
  /** The catalog's name in the cache. */
  catalog: string;
  /** Within this many milliseconds of the store confirming a copy, the copy is used without asking again. */
  maxStalenessMs: number;
  /** When the request began (monotonicMs()): no read older than this answers it, whatever the bound. */
  startedAt: number;
}

/** One heap per process: every reader asks the same room. */
const heapRoom = new HeapRoom();

function parse(key: string, data: Uint8Array): JsonValue {
  heapRoom.check(key, data);
  try {
    return parseJson(data);
  } catch (error) {
    if (error instanceof JsonSyntaxError) throw new InvalidMetadataError(key, `malformed JSON (${error.message})`);
    throw error;
  }
}

/**
 * Per-request, per-catalog access to documents and listings. Every read goes through a
 * DataLoader: calls made in the same tick become one batch whose reads run concurrently
 * (bounded), and each key is read at most once per request. Below the loaders sits the server's
 * DocumentCache: a document already parsed is confirmed with a conditional read rather than read
 * and parsed again.
 */
export class DocumentReader {
  private readonly documents: DataLoader<string, ParsedDocument | undefined>;
  private readonly listings: DataLoader<string, Listing>;
  /** The loaders' caches, kept so that a write can forget everything below a prefix. */
  private readonly documentCache = new Map<string, Promise<ParsedDocument | undefined>>();
  private readonly listingCache = new Map<string, Promise<Listing>>();
  /**
   * What this request's answer depended on: each document read and the version it had (null:
   * absent). `exact` turns false once anything was read that a version cannot vouch for (a
   * listing, an object without a version, a failed read).
   */
  readonly dependencies = new Map<string, string | null>();
  exact = true;
  private readonly limit: ReturnType<typeof pLimit>;
  private readonly shared: SharedReads;

  constructor(
    readonly store: Store,
    readonly limits: ReaderLimits = DEFAULT_READER_LIMITS,
    readonly signal?: AbortSignal,
    shared?: SharedReads,
  ) {
    this.limit = pLimit(limits.concurrency);
    // A reader of its own (a readiness probe, a test) still needs a cache to put things in.
    this.shared = shared ?? { cache: new DocumentCache(), catalog: "", maxStalenessMs: 0, startedAt: monotonicMs() };
    // Each batch's calls run concurrently, bounded; a failure stands in its key's slot only.
    const batch =
      <T>(call: (key: string) => Promise<T>) =>
      (keys: readonly string[]) =>
        Promise.all(keys.map((key) => this.limit(() => call(key)).catch((error: unknown) => toZarrError(error))));
    this.documents = new DataLoader(
      batch((key) => this.fetchDocument(key)),
      { maxBatchSize: 10_000, cacheMap: this.documentCache },
    );
    this.listings = new DataLoader(
      batch((prefix) => this.fetchListing(prefix)),
      { maxBatchSize: 10_000, cacheMap: this.listingCache },
    );
  }

  /** Whether a copy confirmed at `checkedAt` may answer without asking the store. */
  private fresh(checkedAt: number): boolean {
    const { maxStalenessMs } = this.shared;
    return maxStalenessMs > 0 && monotonicMs() - checkedAt <= maxStalenessMs;
  }

  private fetchDocument(key: string): Promise<ParsedDocument | undefined> {
    const { cache, catalog, startedAt } = this.shared;
    const cached = cache.document(catalog, key);
    if (cached && this.fresh(cached.checkedAt)) return Promise.resolve(fromCache(cached));
    return cache.flight(catalog, key, startedAt, () => this.readDocument(key, cached));
  }

  /** One store call for `key`: a conditional one when a parsed copy is at hand. */
  private async readDocument(key: string, cached: CachedDocument | undefined): Promise<ParsedDocument | undefined> {
    const { cache, catalog } = this.shared;
    const checkedAt = monotonicMs();
    const options = { signal: this.signal, maxBytes: this.limits.maxDocumentBytes };
    const version = cached?.kind === "document" ? cached.version : null;
    let entry: StoreEntry | undefined;
    if (version !== null && this.store.getIfChanged) {
      const answer = await this.store.getIfChanged(key, version, options);
      if (isNotModified(answer)) {
        cache.confirm(cached!, checkedAt);
        return fromCache(cached!);
      }
      entry = answer;
    } else {
      entry = await this.store.get(key, options);
    }
    if (!entry) {
      cache.putAbsent(catalog, key, checkedAt);
      return undefined;
    }
    // Stores refuse oversized objects themselves (maxBytes); this catches one that did not.
    if (entry.data.byteLength > this.limits.maxDocumentBytes) {
      throw toZarrError(
        new ObjectTooLargeError(this.store.description, key, this.limits.maxDocumentBytes, entry.data.byteLength),
      );
    }
    const entryVersion = entry.version ?? null;
    if (cached?.kind === "document" && entryVersion !== null && cached.version === entryVersion) {
      cache.confirm(cached, checkedAt);
      return fromCache(cached);
    }
    const value = parse(key, entry.data);
    return fromCache(cache.putDocument(catalog, key, value, entryVersion, heapHeld(entry.data), checkedAt));
  }

  private async fetchListing(prefix: string): Promise<Listing> {
    const { cache, catalog } = this.shared;
    const cached = cache.listing(catalog, prefix);
    if (cached && this.fresh(cached.checkedAt)) return cached.listing;
    const checkedAt = monotonicMs();
    const version = cached?.listing.version;
    if (cached && version !== undefined && this.store.listIfChanged) {
      const answer = await this.store.listIfChanged(prefix, version, { signal: this.signal });
      if (isNotModified(answer)) {
        cache.confirm(cached, checkedAt);
        return cached.listing;
      }
      cache.putListing(catalog, prefix, answer, checkedAt);
      return answer;
    }
    const listing = await this.store.list(prefix, { signal: this.signal });
    cache.putListing(catalog, prefix, listing, checkedAt);
    return listing;
  }

  /** The decoded document, undefined when it does not exist; InvalidMetadataError when unreadable. */
  document(key: string): Promise<ParsedDocument | undefined> {
    const known = this.documentCache.has(key);
    const result = this.documents.load(key);
    if (!known) {
      result.then(
        (doc) => this.record(key, doc),
        () => {
          this.exact = false;
        },
      );
    }
    return result;
  }

  /** Whether this request has read (or been told) what is at `key`. */
  known(key: string): boolean {
    return this.documentCache.has(key);
  }

  /** Records that documents are known not to exist (from a tree listing), saving their GETs. */
  primeMissing(keys: Iterable<string>): void {
    for (const key of keys) {
      if (this.documentCache.has(key)) continue;
      this.documents.prime(key, undefined);
      this.dependencies.set(key, null);
    }
  }

  /**
   * Documents a tree listing named with their versions: those whose parsed copy has the same
   * version are primed from the cache (no read); the rest are returned, to be read.
   */
  primeConfirmed(entries: readonly TreeEntry[]): string[] {
    const { cache, catalog } = this.shared;
    const checkedAt = monotonicMs();
    const unknown: string[] = [];
    for (const { key, version } of entries) {
      if (this.documentCache.has(key)) continue;
      const cached = cache.document(catalog, key);
      if (version !== undefined && cached?.kind === "document" && cached.version === version) {
        cache.confirm(cached, checkedAt);
        const doc = fromCache(cached);
        this.documents.prime(key, doc);
        this.record(key, doc);
      } else unknown.push(key);
    }
    return unknown;
  }

  primeListing(prefix: string, listing: Listing): void {
    this.listings.prime(prefix, listing);
  }

  /** This request wrote `key` (or deleted it: undefined): later reads get `entry` without a GET. */
  remember(key: string, entry: StoreEntry | undefined): void {
    this.forget(key);
    const { cache, catalog } = this.shared;
    if (!entry) {
      cache.putAbsent(catalog, key, monotonicMs());
      this.documents.prime(key, undefined);
      return;
    }
    const value = parse(key, entry.data);
    const cached = cache.putDocument(catalog, key, value, entry.version ?? null, heapHeld(entry.data), monotonicMs());
    this.documents.prime(key, fromCache(cached));
  }

  /** `key` may have changed: read it again when asked, and list the folders above it again. */
  forget(key: string): void {
    this.documents.clear(key);
    this.shared.cache.forget(this.shared.catalog, key);
    this.forgetListingsAbove(key);
  }

  /** Everything below `prefix` may have changed: forget every document and listing there. */
  forgetBelow(prefix: string): void {
    const below = (key: string) => prefix === "" || key === prefix || key.startsWith(`${prefix}/`);
    for (const key of [...this.documentCache.keys()]) if (below(key)) this.documents.clear(key);
    for (const dir of [...this.listingCache.keys()]) if (below(dir)) this.listings.clear(dir);
    this.shared.cache.forgetBelow(this.shared.catalog, prefix);
    this.forgetListingsAbove(prefix);
  }

  private forgetListingsAbove(key: string): void {
    for (let dir = key; dir !== ""; ) {
      dir = dir.includes("/") ? dir.slice(0, dir.lastIndexOf("/")) : "";
      this.listings.clear(dir);
    }
  }

  list(prefix: string): Promise<Listing> {
    this.exact = false;
    return this.listings.load(prefix);
  }

  /** Every metadata document below `prefix` (see Store.listTree); a listing no version vouches for. */
  async listTree(prefix: string, options: ListTreeOptions): Promise<TreeEntry[]> {
    this.exact = false;
    if (!this.store.listTree) throw new Error("store cannot list trees");
    return this.store.listTree(prefix, { ...options, signal: this.signal });
  }

  private record(key: string, doc: ParsedDocument | undefined): void {
    if (doc && doc.version === null) this.exact = false;
    this.dependencies.set(key, doc ? doc.version : null);
  }

  /** Whether every recorded document still has the version it had; reads them again (one wave). */
  async unchanged(dependencies: ReadonlyMap<string, string | null>): Promise<boolean> {
    const keys = [...dependencies.keys()];
    const docs = await Promise.all(keys.map((key) => this.document(key).catch(() => null)));
    return docs.every((doc, i) => doc !== null && (doc?.version ?? null) === dependencies.get(keys[i]));
  }
}

/** A cached document is itself a ParsedDocument (value and version): handed out as it is, no copy per read. */
function fromCache(entry: CachedDocument): ParsedDocument | undefined {
  return entry.kind === "document" ? entry : undefined;
}
