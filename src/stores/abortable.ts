import type { CallOptions, Listing, ListTreeOptions, SetOptions, Store, StoreEntry } from "./store.js";

/**
 * Settles a promise as soon as `signal` aborts, with the signal's reason. The work behind the
 * promise is abandoned, not stopped: it finishes (or times out) on its own, and its outcome is
 * ignored.
 */
export function untilAborted<T>(work: () => Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return work();
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener("abort", onAbort, { once: true });
    work().then(
      (value) => {
        signal.removeEventListener("abort", onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener("abort", onAbort);
        reject(error);
      },
    );
  });
}

/**
 * Makes every read give up when its call's signal aborts, even over a store that ignores the
 * signal (the GCS client's listings take none; a hung socket may not notice): a request past
 * its deadline stops waiting instead of hanging. Writes pass through untouched, since giving up
 * on a write that may still land would report a failure that did not happen.
 */
export class AbortableStore implements Store {
  readonly description: string;
  readonly capabilities: Store["capabilities"];
  readonly listTree?: (prefix: string, options: ListTreeOptions) => Promise<string[]>;

  constructor(readonly inner: Store) {
    this.description = inner.description;
    this.capabilities = inner.capabilities;
    if (inner.listTree) {
      const listTree = inner.listTree.bind(inner);
      this.listTree = (prefix, options) => untilAborted(() => listTree(prefix, options), options.signal);
    }
  }

  get(key: string, options?: CallOptions): Promise<StoreEntry | undefined> {
    return untilAborted(() => this.inner.get(key, options), options?.signal);
  }

  list(prefix: string, options?: CallOptions): Promise<Listing> {
    return untilAborted(() => this.inner.list(prefix, options), options?.signal);
  }

  set(key: string, data: Uint8Array, options?: SetOptions): Promise<string | undefined> {
    return this.inner.set(key, data, options);
  }

  delete(key: string, options?: CallOptions): Promise<boolean> {
    return this.inner.delete(key, options);
  }

  deletePrefix(prefix: string, options?: CallOptions): Promise<number> {
    return this.inner.deletePrefix(prefix, options);
  }
}
