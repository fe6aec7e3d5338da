import type { CallOptions, Listing, ListTreeOptions, SetOptions, Store, StoreEntry } from "./store.js";

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener(
      "abort",
      () => {
        clearTimeout(timer);
        reject(signal.reason);
      },
      { once: true },
    );
  });
}

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
        await sleep(this.delayMs, options.signal);
        return listTree(prefix, options);
      };
    }
  }

  async get(key: string, options?: CallOptions): Promise<StoreEntry | undefined> {
    await sleep(this.delayMs, options?.signal);
    return this.inner.get(key, options);
  }

  async list(prefix: string, options?: CallOptions): Promise<Listing> {
    await sleep(this.delayMs, options?.signal);
    return this.inner.list(prefix, options);
  }

  async set(key: string, data: Uint8Array, options?: SetOptions): Promise<string | undefined> {
    await sleep(this.delayMs, options?.signal);
    return this.inner.set(key, data, options);
  }

  async delete(key: string, options?: CallOptions): Promise<boolean> {
    await sleep(this.delayMs, options?.signal);
    return this.inner.delete(key, options);
  }

  async deletePrefix(prefix: string, options?: CallOptions): Promise<number> {
    await sleep(this.delayMs, options?.signal);
    return this.inner.deletePrefix(prefix, options);
  }
}
