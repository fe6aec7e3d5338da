import { setTimeout as delay } from "node:timers/promises";
import type { CallOptions, Listing, ListTreeOptions, SetOptions, Store, StoreEntry } from "./store.js";

/** Adds a fixed delay before every call: a stand-in for a network round trip. */
export class LatencyStore implements Store {
  readonly description: string;
  readonly capabilities;
  readonly listTree?: (prefix: string, options: ListTreeOptions) => Promise<string[]>;

  constructor(
    readonly inner: Store,
    readonly delayMs: number,
  ) {
    this.description = inner.description;
    this.capabilities = inner.capabilities;
    if (inner.listTree) {
      const listTree = inner.listTree.bind(inner);
      this.listTree = async (prefix, options) => {
        await delay(this.delayMs, undefined, { signal: options.signal });
        return listTree(prefix, options);
      };
    }
  }

  async get(key: string, options?: CallOptions): Promise<StoreEntry | undefined> {
    await delay(this.delayMs, undefined, { signal: options?.signal });
    return this.inner.get(key, options);
  }

  async list(prefix: string, options?: CallOptions): Promise<Listing> {
    await delay(this.delayMs, undefined, { signal: options?.signal });
    return this.inner.list(prefix, options);
  }

  async set(key: string, data: Uint8Array, options?: SetOptions): Promise<string | undefined> {
    await delay(this.delayMs, undefined, { signal: options?.signal });
    return this.inner.set(key, data, options);
  }

  async delete(key: string, options?: CallOptions): Promise<boolean> {
    await delay(this.delayMs, undefined, { signal: options?.signal });
    return this.inner.delete(key, options);
  }

  async deletePrefix(prefix: string, options?: CallOptions): Promise<number> {
    await delay(this.delayMs, undefined, { signal: options?.signal });
    return this.inner.deletePrefix(prefix, options);
  }
}
