import type { IoCounter } from "./io-counter.js";
import type {
  CallOptions,
  Listing,
  ListTreeOptions,
  SetOptions,
  Store,
  StoreCapabilities,
  StoreEntry,
} from "./store.js";

/**
 * Forwards every call to `inner` and records it in `counter`: every GET (404s included), every
 * list (one per page where the store says), every write, and bytes read.
 */
export class CountingStore implements Store {
  readonly description: string;
  readonly capabilities: StoreCapabilities;
  readonly listTree?: (prefix: string, options: ListTreeOptions) => Promise<string[]>;

  constructor(
    readonly inner: Store,
    readonly counter: IoCounter,
  ) {
    this.description = inner.description;
    this.capabilities = inner.capabilities;
    if (inner.listTree) {
      const listTree = inner.listTree.bind(inner);
      this.listTree = async (prefix, options) => {
        let pages = 0;
        const result = await this.track("lists", () =>
          listTree(prefix, {
            ...options,
            onPage: () => {
              pages++;
              options.onPage?.();
            },
          }),
        );
        // The first page was counted when the call began; stores that do not page report none.
        if (pages > 1) this.counter.addListPages(pages - 1);
        return result;
      };
    }
  }

  private async track<T>(kind: "gets" | "lists" | "writes", fn: () => Promise<T>): Promise<T> {
    const end = this.counter.begin(kind);
    try {
      return await fn();
    } finally {
      end();
    }
  }

  async get(key: string, options?: CallOptions): Promise<StoreEntry | undefined> {
    const entry = await this.track("gets", () => this.inner.get(key, options));
    if (entry) this.counter.addBytes(entry.data.byteLength);
    return entry;
  }

  list(prefix: string, options?: CallOptions): Promise<Listing> {
    return this.track("lists", () => this.inner.list(prefix, options));
  }

  set(key: string, data: Uint8Array, options?: SetOptions): Promise<string | undefined> {
    return this.track("writes", () => this.inner.set(key, data, options));
  }

  delete(key: string, options?: CallOptions): Promise<boolean> {
    return this.track("writes", () => this.inner.delete(key, options));
  }

  deletePrefix(prefix: string, options?: CallOptions): Promise<number> {
    return this.track("writes", () => this.inner.deletePrefix(prefix, options));
  }
}
