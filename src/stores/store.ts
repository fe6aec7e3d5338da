/**
 * The key-value contract every backend implements. Keys are '/'-separated, relative to the
 * store's root, validated by `validateKey` before they reach an implementation. A "directory"
 * prefix is written without a trailing slash; "" is the root.
 */

export interface StoreEntry {
  data: Uint8Array;
  /** Opaque token that changes whenever the object changes (etag, generation, mtime). */
  version?: string;
}

export interface Listing {
  /** Names (not full keys) of objects directly below the prefix. */
  keys: string[];
  /** Names of child "directories" directly below the prefix. */
  prefixes: string[];
}

export interface ListTreeOptions {
  /** Object basenames to return (e.g. metadata document names); others are never returned. */
  names: readonly string[];
  /**
   * Called by stores that walk directories: whether to enter `dir`, given the basenames of the
   * objects directly inside it. Lets the caller keep the walk out of folders it knows are
   * leaves without the store knowing why.
   */
  descend?: (dir: string, objectNames: readonly string[]) => boolean | Promise<boolean>;
  signal?: AbortSignal;
  /** Paginating stores call this once per page they fetch, so callers can count round trips. */
  onPage?: () => void;
}

/** Part of an object: `length` bytes from `offset`, or its last `suffixLength` bytes. */
export type ByteRange = { offset: number; length: number } | { suffixLength: number };

export interface CallOptions {
  signal?: AbortSignal;
  /** Reads: refuse an object larger than this (ObjectTooLargeError) rather than read it whole. */
  maxBytes?: number;
}

export interface SetOptions extends CallOptions {
  /**
   * Optimistic concurrency: write only if the object's current version equals this one;
   * `null` means "only if the object does not exist". Undefined writes unconditionally.
   */
  ifVersion?: string | null;
}

export interface StoreCapabilities {
  writable: boolean;
  /** `list` works (HTTP cannot list). */
  listable: boolean;
  /** `listTree` exists and is worth using instead of a level-by-level walk. */
  listTree: boolean;
}

export interface Store {
  /** Human-readable identity for errors and logs: never carries credentials. */
  readonly description: string;
  readonly capabilities: StoreCapabilities;
  /** The object, or undefined when it does not exist. */
  get(key: string, options?: CallOptions): Promise<StoreEntry | undefined>;
  /**
   * Part of the object (clipped at its end), or undefined when it does not exist. Stores that
   * cannot read a part leave this out; callers then read the whole object.
   */
  getRange?(key: string, range: ByteRange, options?: CallOptions): Promise<StoreEntry | undefined>;
  /** One level below `prefix`. */
  list(prefix: string, options?: CallOptions): Promise<Listing>;
  /** Every object below `prefix` whose basename is in `options.names`, as full keys. */
  listTree?(prefix: string, options: ListTreeOptions): Promise<string[]>;
  /** Returns the new version. */
  set(key: string, data: Uint8Array, options?: SetOptions): Promise<string | undefined>;
  /** Returns whether something was deleted. */
  delete(key: string, options?: CallOptions): Promise<boolean>;
  /** Deletes every object below `prefix`; returns how many. */
  deletePrefix(prefix: string, options?: CallOptions): Promise<number>;
  close?(): Promise<void>;
}

/** Base of every error a store throws on purpose; `code` is stable, the message is for people. */
export class StoreError extends Error {
  constructor(
    readonly code: "INVALID_KEY" | "UNAVAILABLE" | "READ_ONLY" | "CONFLICT" | "NOT_SUPPORTED" | "TOO_LARGE",
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = "StoreError";
  }
}

export class InvalidKeyError extends StoreError {
  constructor(
    readonly key: string,
    reason: string,
  ) {
    super("INVALID_KEY", `refused key ${JSON.stringify(key)}: ${reason}`);
  }
}

export class StoreUnavailableError extends StoreError {
  constructor(store: string, what: string, options?: { cause?: unknown }) {
    super("UNAVAILABLE", `store ${store} is unavailable: ${what}`, options);
  }
}

export class ReadOnlyStoreError extends StoreError {
  constructor(store: string) {
    super("READ_ONLY", `store ${store} is read-only`);
  }
}

export class VersionConflictError extends StoreError {
  constructor(key: string) {
    super("CONFLICT", `object ${JSON.stringify(key)} changed since it was read`);
  }
}

export class ObjectTooLargeError extends StoreError {
  constructor(
    store: string,
    key: string,
    readonly maxBytes: number,
    /** The object's size, or the bytes received when reading stopped if the size was not declared. */
    readonly size: number,
  ) {
    super("TOO_LARGE", `object ${JSON.stringify(key)} in store ${store} is larger than ${maxBytes} bytes`);
  }
}

export class NotSupportedError extends StoreError {
  constructor(store: string, operation: string) {
    super("NOT_SUPPORTED", `store ${store} cannot ${operation}`);
  }
}

export function joinKey(prefix: string, name: string): string {
  return prefix === "" ? name : `${prefix}/${name}`;
}
