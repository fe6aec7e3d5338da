import type {
  ByteRange,
  CallOptions,
  Listing,
  ListTreeOptions,
  SetOptions,
  Store,
  StoreCapabilities,
  StoreEntry,
} from "./store.js";

export type Operation = "get" | "getRange" | "list" | "listTree" | "set" | "delete" | "deletePrefix";

export const READS: ReadonlySet<Operation> = new Set(["get", "getRange", "list", "listTree"]);

/**
 * A store that forwards every call to `inner` through one method, `around`, so a wrapper
 * (counting, latency, cancellation) says once what it does around a call instead of repeating
 * it in every method. `around` runs the call with the options it is given (it may pass others).
 */
export abstract class StoreWrapper implements Store {
  readonly description: string;
  readonly capabilities: StoreCapabilities;
  readonly listTree?: (prefix: string, options: ListTreeOptions) => Promise<string[]>;
  readonly getRange?: (key: string, range: ByteRange, options?: CallOptions) => Promise<StoreEntry | undefined>;

  constructor(readonly inner: Store) {
    this.description = inner.description;
    this.capabilities = inner.capabilities;
    if (inner.listTree) {
      const listTree = inner.listTree.bind(inner);
      this.listTree = (prefix, options) =>
        this.around("listTree", prefix, options, (o) => listTree(prefix, (o ?? options) as ListTreeOptions));
    }
    const { getRange } = inner;
    if (getRange) {
      this.getRange = (key, range, options) =>
        this.around("getRange", key, options, (o) => getRange.call(inner, key, range, o));
    }
  }

  protected abstract around<T, O extends CallOptions | undefined>(
    operation: Operation,
    key: string,
    options: O,
    call: (options: O) => Promise<T>,
  ): Promise<T>;

  get(key: string, options?: CallOptions): Promise<StoreEntry | undefined> {
    return this.around("get", key, options, (o) => this.inner.get(key, o));
  }

  list(prefix: string, options?: CallOptions): Promise<Listing> {
    return this.around("list", prefix, options, (o) => this.inner.list(prefix, o));
  }

  set(key: string, data: Uint8Array, options?: SetOptions): Promise<string | undefined> {
    return this.around("set", key, options, (o) => this.inner.set(key, data, o));
  }

  delete(key: string, options?: CallOptions): Promise<boolean> {
    return this.around("delete", key, options, (o) => this.inner.delete(key, o));
  }

  deletePrefix(prefix: string, options?: CallOptions): Promise<number> {
    return this.around("deletePrefix", prefix, options, (o) => this.inner.deletePrefix(prefix, o));
  }
}
