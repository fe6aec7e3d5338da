import { validateKey, validatePrefix } from "./keys.js";
import { checkRange, sliceRange } from "./range.js";
import {
  type ByteRange,
  type CallOptions,
  type Listing,
  type ListTreeOptions,
  ObjectTooLargeError,
  type SetOptions,
  type Store,
  type StoreEntry,
  VersionConflictError,
} from "./store.js";

/** A store in a Map; versions are a per-store counter so concurrent edits can be detected. */
export class MemoryStore implements Store {
  readonly capabilities = { writable: true, listable: true, listTree: true };
  private readonly objects = new Map<string, { data: Uint8Array; version: string }>();
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
    const version = String(++this.counter);
    this.objects.set(validateKey(key), { data: new Uint8Array(data), version });
    return version;
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

  async list(prefix: string): Promise<Listing> {
    const base = validatePrefix(prefix) === "" ? "" : `${prefix}/`;
    const keys = new Set<string>();
    const prefixes = new Set<string>();
    for (const key of this.objects.keys()) {
      if (!key.startsWith(base)) continue;
      const rest = key.slice(base.length);
      const slash = rest.indexOf("/");
      if (slash === -1) keys.add(rest);
      else prefixes.add(rest.slice(0, slash));
    }
    return { keys: [...keys].sort(), prefixes: [...prefixes].sort() };
  }

  async listTree(prefix: string, options: ListTreeOptions): Promise<string[]> {
    const base = validatePrefix(prefix) === "" ? "" : `${prefix}/`;
    const names = new Set(options.names);
    return [...this.objects.keys()]
      .filter((key) => key.startsWith(base) && names.has(key.slice(key.lastIndexOf("/") + 1)))
      .sort();
  }

  async set(key: string, data: Uint8Array, options?: SetOptions): Promise<string> {
    const current = this.objects.get(validateKey(key));
    if (options?.ifVersion !== undefined && (current?.version ?? null) !== options.ifVersion) {
      throw new VersionConflictError(key);
    }
    return this.put(key, data);
  }

  async delete(key: string, _options?: CallOptions): Promise<boolean> {
    return this.objects.delete(validateKey(key));
  }

  async deletePrefix(prefix: string): Promise<number> {
    const base = validatePrefix(prefix) === "" ? "" : `${prefix}/`;
    let n = 0;
    for (const key of [...this.objects.keys()]) {
      if (key.startsWith(base) && this.objects.delete(key)) n++;
    }
    return n;
  }
}
