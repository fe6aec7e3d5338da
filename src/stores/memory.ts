import { createHash } from "node:crypto";
import { FolderIndex } from "./folder-index.js";
import { validateKey, validatePrefix } from "./keys.js";
import { checkRange, sliceRange } from "./range.js";
import {
  type ByteRange,
  byKey,
  type CallOptions,
  type Listing,
  type ListTreeOptions,
  type NotModified,
  ObjectTooLargeError,
  type SetOptions,
  type Store,
  type StoreEntry,
  type TreeEntry,
  VersionConflictError,
} from "./store.js";

/** A store in a Map; versions are a per-store counter so concurrent edits can be detected. */
export class MemoryStore implements Store {
  readonly capabilities = { writable: true, listable: true, listTree: true };
  private readonly objects = new Map<string, { data: Uint8Array; version: string }>();
  private readonly folders = new FolderIndex();
  private counter = 0;

  constructor(
    readonly description = "memory://",
    initial?: Record<string, string | Uint8Array>,
  ) {
    for (const [key, value] of Object.entries(initial ?? {})) {
      this.put(key, typeof value === "string" ? new TextEncoder().encode(value) : value);
    }
  }

  private put(key: string, data: Uint8Array): string {
    return this.store(validateKey(key), new Uint8Array(data));
  }

  private store(key: string, data: Uint8Array): string {
    const version = String(++this.counter);
    if (!this.objects.has(key)) this.folders.add(key);
    this.objects.set(key, { data, version });
    return version;
  }

  private remove(key: string): boolean {
    if (!this.objects.delete(key)) return false;
    this.folders.remove(key);
    return true;
  }

  keys(): string[] {
    return [...this.objects.keys()].sort();
  }

  async get(key: string, options?: CallOptions): Promise<StoreEntry | undefined> {
    const entry = this.objects.get(validateKey(key));
    const max = options?.maxBytes;
    if (entry && max !== undefined && entry.data.byteLength > max) {
      throw new ObjectTooLargeError(this.description, key, max, entry.data.byteLength);
    }
    return entry && { data: new Uint8Array(entry.data), version: entry.version };
  }

  async getRange(key: string, range: ByteRange, _options?: CallOptions): Promise<StoreEntry | undefined> {
    const entry = this.objects.get(validateKey(key));
    return entry && { data: sliceRange(entry.data, checkRange(range)).slice(), version: entry.version };
  }

  async getIfChanged(
    key: string,
    version: string,
    options?: CallOptions,
  ): Promise<StoreEntry | NotModified | undefined> {
    const current = this.objects.get(validateKey(key));
    if (current?.version === version) return { notModified: true, version };
    return this.get(key, options);
  }

  async listIfChanged(prefix: string, version: string): Promise<Listing | NotModified> {
    const listing = await this.list(prefix);
    return listing.version === version ? { notModified: true, version } : listing;
  }

  /** A listing's version is a digest of its names: it changes exactly when they do. */
  async list(prefix: string): Promise<Listing> {
    const listing = this.folders.list(validatePrefix(prefix));
    const version = createHash("sha1").update(JSON.stringify(listing)).digest("base64url");
    return { ...listing, version };
  }

  async listTree(prefix: string, options: ListTreeOptions): Promise<TreeEntry[]> {
    const base = validatePrefix(prefix) === "" ? "" : `${prefix}/`;
    const names = new Set(options.names);
    return [...this.objects.entries()]
      .filter(([key]) => key.startsWith(base) && names.has(key.slice(key.lastIndexOf("/") + 1)))
      .map(([key, { version }]) => ({ key, version }))
      .sort(byKey);
  }

  async set(key: string, data: Uint8Array, options?: SetOptions): Promise<string> {
    this.checkVersion(validateKey(key), options);
    return this.put(key, data);
  }

  private checkVersion(key: string, options: SetOptions | undefined): void {
    const current = this.objects.get(key);
    if (options?.ifVersion !== undefined && (current?.version ?? null) !== options.ifVersion) {
      throw new VersionConflictError(key);
    }
  }

  /** The copy shares the source's bytes: stored bytes are never changed, only replaced. */
  async copy(from: string, to: string, options?: SetOptions): Promise<boolean> {
    const source = this.objects.get(validateKey(from));
    this.checkVersion(validateKey(to), options);
    if (!source) return false;
    this.store(to, source.data);
    return true;
  }

  async delete(key: string, _options?: CallOptions): Promise<boolean> {
    return this.remove(validateKey(key));
  }

  async deletePrefix(prefix: string): Promise<number> {
    const base = validatePrefix(prefix) === "" ? "" : `${prefix}/`;
    let n = 0;
    for (const key of [...this.objects.keys()]) {
      if (key.startsWith(base) && this.remove(key)) n++;
    }
    return n;
  }
}
