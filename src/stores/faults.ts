import {
  type CallOptions,
  isNotModified,
  type Listing,
  type SetOptions,
  type Store,
  type StoreEntry,
  StoreUnavailableError,
} from "./store.js";

/**
 * What a faulty call does instead of its work:
 * - `error`: fails at once with StoreUnavailableError;
 * - `crash`: fails at once with a plain Error whose message names a server path and a secret,
 *   as a misbehaving client library might (nothing of it may reach a response);
 * - `timeout`: waits `timeoutMs`, then fails with StoreUnavailableError;
 * - `hang`: never answers, until the call's signal aborts (or `hangMs` passes without one);
 * - `garbage`: answers with bytes that are not the document (reads; listings gain junk names).
 */
export type FaultKind = "error" | "crash" | "timeout" | "hang" | "garbage";

export type FaultOperation = "get" | "getRange" | "list" | "listTree" | "set" | "copy" | "delete" | "deletePrefix";

export interface FaultOptions {
  /** Share of calls that fail, 0 to 1. */
  rate: number;
  /** Same seed, same faults on the same calls, whatever order concurrent calls arrive in. */
  seed: number;
  /** Faults to draw from, equally likely (default: error, timeout, hang, garbage). */
  kinds?: readonly FaultKind[];
  /** Operations that may fail (default: the reads, get, getRange, list and listTree). */
  operations?: readonly FaultOperation[];
  /** How long a `timeout` waits before failing (default 20 ms). */
  timeoutMs?: number;
  /** How long a `hang` lasts when its call has no signal (default 60 s). */
  hangMs?: number;
}

/** A counter per outcome, so tests can tell which faults a run actually injected. */
export interface FaultStats {
  calls: number;
  faults: Record<FaultKind, number>;
  /** Hangs and timeouts ended early by their call's signal. */
  cancelled: number;
}

const DEFAULT_KINDS: readonly FaultKind[] = ["error", "timeout", "hang", "garbage"];
const READS: readonly FaultOperation[] = ["get", "getRange", "list", "listTree"];

/** 32-bit FNV-1a: spreads the (seed, operation, key, attempt) text into an RNG seed. */
function hash(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** mulberry32: small, fast, good enough to pick faults and garbage bytes. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function wait(ms: number, signal: AbortSignal | undefined, onCancel: () => void): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      onCancel();
      return reject(signal.reason);
    }
    const onAbort = () => {
      clearTimeout(timer);
      onCancel();
      reject(signal?.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}

/**
 * A store that fails on purpose: a chosen share of calls error, time out, hang or answer
 * garbage; the rest go to `inner`. Which calls fail depends only on the seed, the operation, the
 * key and how many times that key was asked before, so a failing test replays exactly.
 * Conditional reads fail as the reads they stand for: a `getIfChanged` is a `get`, a
 * `listIfChanged` a `list`.
 */
export class FaultStore implements Store {
  readonly description: string;
  readonly capabilities: Store["capabilities"];
  readonly getIfChanged?: Store["getIfChanged"];
  readonly listIfChanged?: Store["listIfChanged"];
  readonly listTree?: Store["listTree"];
  readonly getRange?: Store["getRange"];
  readonly copy?: Store["copy"];
  readonly stats: FaultStats = {
    calls: 0,
    faults: { error: 0, crash: 0, timeout: 0, hang: 0, garbage: 0 },
    cancelled: 0,
  };
  private readonly kinds: readonly FaultKind[];
  private readonly operations: ReadonlySet<FaultOperation>;
  private readonly attempts = new Map<string, number>();

  constructor(
    readonly inner: Store,
    readonly options: FaultOptions,
  ) {
    if (!(options.rate >= 0 && options.rate <= 1)) throw new RangeError("fault rate must be between 0 and 1");
    this.description = inner.description;
    this.capabilities = inner.capabilities;
    this.kinds = options.kinds?.length ? options.kinds : DEFAULT_KINDS;
    this.operations = new Set(options.operations ?? READS);
    const { getIfChanged, getRange, listIfChanged, listTree, copy } = inner;
    if (getRange) {
      this.getRange = async (key, range, opts) => {
        const garbage = await this.inject("getRange", key, opts?.signal);
        const entry = await getRange.call(inner, key, range, opts);
        return garbage ? { data: corrupt(entry?.data, garbage), version: entry?.version ?? "garbage" } : entry;
      };
    }
    if (copy) {
      this.copy = async (from, to, opts) => {
        await this.inject("copy", to, opts?.signal);
        return copy.call(inner, from, to, opts);
      };
    }
    if (getIfChanged) {
      this.getIfChanged = async (key, version, opts) => {
        const garbage = await this.inject("get", key, opts?.signal);
        const answer = await getIfChanged.call(inner, key, version, opts);
        if (!garbage) return answer;
        const entry = isNotModified(answer) ? undefined : answer;
        return { data: corrupt(entry?.data, garbage), version: entry?.version ?? "garbage" };
      };
    }
    if (listIfChanged) {
      this.listIfChanged = async (prefix, version, opts) => {
        const garbage = await this.inject("list", prefix, opts?.signal);
        const answer = await listIfChanged.call(inner, prefix, version, opts);
        if (!garbage) return answer;
        return junkListing(isNotModified(answer) ? { keys: [], prefixes: [] } : answer, garbage);
      };
    }
    if (listTree) {
      this.listTree = async (prefix, opts) => {
        const fault = await this.inject("listTree", prefix, opts.signal);
        const entries = await listTree.call(inner, prefix, opts);
        if (!fault) return entries;
        const junk = junkNames(fault, 3).map((n) => ({ key: prefix ? `${prefix}/${n}/zarr.json` : `${n}/zarr.json` }));
        return [...entries, ...junk];
      };
    }
  }

  /**
   * Decides this call's fate. Throws for error/crash/timeout/hang; returns an RNG for garbage
   * (the caller corrupts its answer with it); returns undefined for a healthy call.
   */
  private async inject(
    operation: FaultOperation,
    key: string,
    signal: AbortSignal | undefined,
  ): Promise<(() => number) | undefined> {
    this.stats.calls++;
    if (!this.operations.has(operation)) return undefined;
    const id = `${operation}\u0000${key}`;
    const attempt = this.attempts.get(id) ?? 0;
    this.attempts.set(id, attempt + 1);
    const random = seededRandom(hash(`${this.options.seed}\u0000${id}\u0000${attempt}`));
    if (random() >= this.options.rate) return undefined;
    const kind = this.kinds[Math.floor(random() * this.kinds.length)];
    this.stats.faults[kind]++;
    const what = `${operation} ${JSON.stringify(key)}`;
    const cancelled = () => this.stats.cancelled++;
    switch (kind) {
      case "error":
        throw new StoreUnavailableError(this.description, `injected fault on ${what}`);
      case "crash":
        throw new Error(
          `ECONNRESET while reading /srv/secret-mount/${key} with token=sk_live_injected_secret (injected crash)`,
        );
      case "timeout":
        await wait(this.options.timeoutMs ?? 20, signal, cancelled);
        throw new StoreUnavailableError(this.description, `${what} timed out (injected)`);
      case "hang":
        await wait(this.options.hangMs ?? 60_000, signal, cancelled);
        throw new StoreUnavailableError(this.description, `${what} hung (injected)`);
      case "garbage":
        return random;
    }
  }

  async get(key: string, options?: CallOptions): Promise<StoreEntry | undefined> {
    const garbage = await this.inject("get", key, options?.signal);
    const entry = await this.inner.get(key, options);
    if (!garbage) return entry;
    return { data: corrupt(entry?.data, garbage), version: entry?.version ?? "garbage" };
  }

  async list(prefix: string, options?: CallOptions): Promise<Listing> {
    const garbage = await this.inject("list", prefix, options?.signal);
    const listing = await this.inner.list(prefix, options);
    return garbage ? junkListing(listing, garbage) : listing;
  }

  async set(key: string, data: Uint8Array, options?: SetOptions): Promise<string | undefined> {
    const garbage = await this.inject("set", key, options?.signal);
    return this.inner.set(key, garbage ? corrupt(data, garbage) : data, options);
  }

  async delete(key: string, options?: CallOptions): Promise<boolean> {
    await this.inject("delete", key, options?.signal);
    return this.inner.delete(key, options);
  }

  async deletePrefix(prefix: string, options?: CallOptions): Promise<number> {
    await this.inject("deletePrefix", prefix, options?.signal);
    return this.inner.deletePrefix(prefix, options);
  }
}

/** Truncated, bit-flipped or wholly random bytes in place of `data`. */
function corrupt(data: Uint8Array | undefined, random: () => number): Uint8Array {
  const mode = data && data.byteLength > 0 ? Math.floor(random() * 3) : 2;
  if (mode === 0) return data!.slice(0, Math.floor(random() * data!.byteLength));
  if (mode === 1) {
    const copy = data!.slice();
    const flips = 1 + Math.floor(random() * 8);
    for (let i = 0; i < flips; i++) copy[Math.floor(random() * copy.byteLength)] = Math.floor(random() * 256);
    return copy;
  }
  const bytes = new Uint8Array(1 + Math.floor(random() * 256));
  for (let i = 0; i < bytes.byteLength; i++) bytes[i] = Math.floor(random() * 256);
  return bytes;
}

/** The listing with folders that do not exist, and no version to vouch for it. */
function junkListing(listing: Listing, random: () => number): Listing {
  return { keys: listing.keys, prefixes: [...listing.prefixes, ...junkNames(random, 3)].sort() };
}

/** Names of folders that do not exist, as a confused listing might return. */
function junkNames(random: () => number, n: number): string[] {
  return Array.from({ length: n }, () => `junk-${Math.floor(random() * 1e9).toString(36)}`);
}
