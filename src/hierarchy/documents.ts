import DataLoader from "dataloader";
import pLimit from "p-limit";
import {
  InvalidKeyError,
  type Listing,
  type ListTreeOptions,
  ObjectTooLargeError,
  type Store,
  type StoreEntry,
  StoreError,
} from "../stores/store.js";
import { BadInputError, InvalidMetadataError, LimitExceededError, StoreUnavailable, ZarrError } from "./errors.js";
import { JsonSyntaxError, type JsonValue, parseJson } from "./json.js";
import type { ParsedDocumentCache } from "./parse-cache.js";

export interface ReaderLimits {
  /** Store reads in flight at once, per catalog per request. */
  concurrency: number;
  /**
   * Metadata documents larger than this are refused (LIMIT_EXCEEDED "documentBytes"), before
   * they are read whole on stores that can tell.
   */
  maxDocumentBytes: number;
}

export const DEFAULT_READER_LIMITS: ReaderLimits = { concurrency: 64, maxDocumentBytes: 16 * 1024 * 1024 };

/** Store failures in the model's vocabulary: a refused key is the caller's fault, the rest the store's. */
export function toZarrError(error: unknown): Error {
  if (error instanceof ZarrError) return error;
  if (error instanceof InvalidKeyError) return new BadInputError(error.message);
  if (error instanceof ObjectTooLargeError) {
    return new LimitExceededError(
      "documentBytes",
      error.maxBytes,
      error.size,
      `metadata document too large: ${error.message}`,
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
}

/**
 * Per-request, per-catalog access to documents and listings. Every read goes through a
 * DataLoader: calls made in the same tick become one batch whose reads run concurrently
 * (bounded), and each key is read at most once per request.
 */
export class DocumentReader {
  readonly documents: DataLoader<string, StoreEntry | undefined>;
  readonly listings: DataLoader<string, Listing>;
  private readonly parsed = new Map<string, Promise<ParsedDocument | undefined>>();
  /** The loaders' caches, kept so that a write can forget everything below a prefix. */
  private readonly documentCache = new Map<string, Promise<StoreEntry | undefined>>();
  private readonly listingCache = new Map<string, Promise<Listing>>();
  /**
   * What this request's answer depended on: each document read and the version it had (null:
   * absent). `exact` turns false once anything was read that a version cannot vouch for (a
   * listing, an object without a version, a failed read).
   */
  readonly dependencies = new Map<string, string | null>();
  exact = true;
  private readonly limit: ReturnType<typeof pLimit>;

  constructor(
    readonly store: Store,
    readonly limits: ReaderLimits = DEFAULT_READER_LIMITS,
    readonly signal?: AbortSignal,
    /** Parsed documents shared across requests, and this catalog's name in it. */
    readonly shared?: { cache: ParsedDocumentCache; catalog: string },
  ) {
    this.limit = pLimit(limits.concurrency);
    // Each batch's calls run concurrently, bounded; a failure stands in its key's slot only.
    const batch =
      <T>(call: (key: string) => Promise<T>) =>
      (keys: readonly string[]) =>
        Promise.all(keys.map((key) => this.limit(() => call(key)).catch((error: unknown) => toZarrError(error))));
    this.documents = new DataLoader(
      batch((key) => store.get(key, { signal, maxBytes: limits.maxDocumentBytes })),
      { maxBatchSize: 10_000, cacheMap: this.documentCache },
    );
    this.listings = new DataLoader(
      batch((prefix) => store.list(prefix, { signal })),
      { maxBatchSize: 10_000, cacheMap: this.listingCache },
    );
  }

  /** The decoded document, undefined when it does not exist; InvalidMetadataError when unreadable. */
  document(key: string): Promise<ParsedDocument | undefined> {
    let result = this.parsed.get(key);
    if (!result) {
      result = this.documents.load(key).then((entry) => {
        this.record(key, entry);
        if (!entry) return undefined;
        // Stores refuse oversized objects themselves (maxBytes); this catches one that did not.
        if (entry.data.byteLength > this.limits.maxDocumentBytes) {
          throw toZarrError(
            new ObjectTooLargeError(this.store.description, key, this.limits.maxDocumentBytes, entry.data.byteLength),
          );
        }
        const version = entry.version ?? null;
        const cached = version !== null ? this.shared?.cache.get(this.shared.catalog, key, version) : undefined;
        if (cached !== undefined) return { value: cached, version };
        try {
          const value = parseJson(entry.data);
          if (version !== null) this.shared?.cache.set(this.shared.catalog, key, version, value, entry.data.byteLength);
          return { value, version };
        } catch (error) {
          if (error instanceof JsonSyntaxError)
            throw new InvalidMetadataError(key, `malformed JSON (${error.message})`);
          throw error;
        }
      });
      result.catch(() => {
        this.exact = false;
      });
      this.parsed.set(key, result);
    }
    return result;
  }

  /** Records that documents are known not to exist (from a tree listing), saving their GETs. */
  primeMissing(keys: Iterable<string>): void {
    for (const key of keys) this.documents.prime(key, undefined);
  }

  primeListing(prefix: string, listing: Listing): void {
    this.listings.prime(prefix, listing);
  }

  /** This request wrote `key` (or deleted it: undefined): later reads get `entry` without a GET. */
  remember(key: string, entry: StoreEntry | undefined): void {
    this.forget(key);
    this.documents.prime(key, entry);
  }

  /** `key` may have changed: read it again when asked, and list the folders above it again. */
  forget(key: string): void {
    this.parsed.delete(key);
    this.documents.clear(key);
    this.forgetListingsAbove(key);
  }

  /** Everything below `prefix` may have changed: forget every document and listing there. */
  forgetBelow(prefix: string): void {
    const below = (key: string) => prefix === "" || key === prefix || key.startsWith(`${prefix}/`);
    for (const key of [...this.documentCache.keys()]) if (below(key)) this.documents.clear(key);
    for (const key of [...this.parsed.keys()]) if (below(key)) this.parsed.delete(key);
    for (const dir of [...this.listingCache.keys()]) if (below(dir)) this.listings.clear(dir);
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
  listTree(prefix: string, options: ListTreeOptions): Promise<string[]> {
    this.exact = false;
    if (!this.store.listTree) throw new Error("store cannot list trees");
    return this.store
      .listTree(prefix, { ...options, signal: this.signal })
      .then((entries) => entries.map((e) => e.key));
  }

  private record(key: string, entry: StoreEntry | undefined): void {
    if (entry && entry.version === undefined) this.exact = false;
    this.dependencies.set(key, entry ? (entry.version ?? null) : null);
  }

  /** Whether every recorded document still has the version it had; reads them again (one wave). */
  async unchanged(dependencies: ReadonlyMap<string, string | null>): Promise<boolean> {
    const keys = [...dependencies.keys()];
    const entries = await Promise.all(keys.map((key) => this.documents.load(key).catch(() => null)));
    return entries.every((entry, i) => entry !== null && (entry?.version ?? null) === dependencies.get(keys[i]));
  }
}
