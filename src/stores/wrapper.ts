import type {
  CallOptions,
  Listing,
  ListTreeOptions,
  SetOptions,
  Store,
  StoreCapabilities,
  StoreEntry,
} from "./store.js";

export type Operation =
  | "get"
  | "getIfChanged"
  | "getRange"
  | "list"
  | "listIfChanged"
  | "listTree"
  | "set"
  | "copy"
  | "delete"
  | "deletePrefix";

export const READS: ReadonlySet<Operation> = new Set([
  "get",
  "getIfChanged",
  "getRange",
  "list",
  "listIfChanged",
  "listTree",
]);

/**
 * A store that forwards every call to `inner` through one method, `around`, so a wrapper
 * (counting, latency, cancellation) says once what it does around a call instead of repeating
 * it in every method. `around` runs the call with the options it is given (it may pass others).
 * The optional methods exist exactly when `inner` has them, so callers can still tell.
 */
export abstract class StoreWrapper implements Store {
  readonly description: string;
  readonly capabilities: StoreCapabilities;
  readonly getIfChanged?: Store["getIfChanged"];
  readonly listIfChanged?: Store["listIfChanged"];
  readonly listTree?: Store["listTree"];
  readonly getRange?: Store["getRange"];
  readonly copy?: Store["copy"];

  constructor(readonly inner: Store) {
    this.description = inner.description;
    this.capabilities = inner.capabilities;
    const { getIfChanged, getRange, listIfChanged, listTree, copy } = inner;
    if (getRange) {
      this.getRange = (key, range, options) =>
        this.around("getRange", key, options, (o) => getRange.call(inner, key, range, o));
    }
    if (getIfChanged) {
      this.getIfChanged = (key, version, options) =>
        this.around("getIfChanged", key, options, (o) => getIfChanged.call(inner, key, version, o));
    }
    if (listIfChanged) {
      this.listIfChanged = (prefix, version, options) =>
        this.around("listIfChanged", prefix, options, (o) => listIfChanged.call(inner, prefix, version, o));
    }
    if (copy) {
      this.copy = (from, to, options) => this.around("copy", to, options, (o) => copy.call(inner, from, to, o));
    }
    if (listTree) {
      this.listTree = (prefix, options) =>
        this.around("listTree", prefix, options, (o) =>
          listTree.call(inner, prefix, (o ?? options) as ListTreeOptions),
        );
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
