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

/** A conditional read's answer when the object still has the version the caller holds. */
export interface NotModified {
  notModified: true;
  version: string;
}

export function isNotModified(x: unknown): x is NotModified {
  return typeof x === "object" && x !== null && (x as { notModified?: unknown }).notModified === true;
}

export interface Listing {
  /** Names (not full keys) of objects directly below the prefix. */
  keys: string[];
  /** Names of child "directories" directly below the prefix. */
  prefixes: string[];
  /**
   * Changes whenever this listing changes (file: the folder's own stat; memory: its names);
   * absent when the store cannot tell.
   */
  version?: string;
}

/** One object a tree listing found. */
export interface TreeEntry {
  key: string;
  /** The object's version, in exactly the format get() returns; absent when unknown. */
  version?: string;
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
  /**
   * A read that skips the body when the caller's copy is current. Undefined: absent;
   * NotModified: its version still equals `version` (no body read: a file's stat, HTTP 304 on
   * If-None-Match / If-Modified-Since, GCS ifGenerationNotMatch); else the entry as get() answers.
   */
  getIfChanged?(key: string, version: string, options?: CallOptions): Promise<StoreEntry | NotModified | undefined>;
  /** One level below `prefix`. */
  list(prefix: string, options?: CallOptions): Promise<Listing>;
  /** NotModified when the listing's version still equals `version`; else the listing (with its version). */
  listIfChanged?(prefix: string, version: string, options?: CallOptions): Promise<Listing | NotModified>;
  /**
   * Every object below `prefix` whose basename is in `options.names`, sorted by key, each with
   * its version where the store has it cheaply (GCS: the listing's generations; file: a stat).
   */
  listTree?(prefix: string, options: ListTreeOptions): Promise<TreeEntry[]>;
  /** Returns the new version. */
  set(key: string, data: Uint8Array, options?: SetOptions): Promise<string | undefined>;
  /**
   * Copies `from` to `to` by the store's own means (a hard link or clone on disk, a server-side
   * rewrite on GCS, a shared reference in memory): the bytes never pass through this process, so
   * an object of any size costs no memory here. The copy may share storage with its source, which
   * is safe because stores replace objects rather than change them in place. `ifVersion` is the
   * destination's precondition, as in set. Returns whether `from` existed (and was copied).
   */
  copy?(from: string, to: string, options?: SetOptions): Promise<boolean>;
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

/** Sort order of tree listings: by key, as plain code units (the order of every store's own listing). */
export function byKey(a: TreeEntry, b: TreeEntry): number {
  return a.key < b.key ? -1 : a.key > b.key ? 1 : 0;
}

export function joinKey(prefix: string, name: string): string {
  return prefix === "" ? name : `${prefix}/${name}`;
}
