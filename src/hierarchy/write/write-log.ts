import pLimit from "p-limit";
import { StoreError, VersionConflictError } from "../../stores/store.js";
import { toZarrError } from "../documents.js";
import { ConflictError, ZarrError } from "../errors.js";
import type { JsonValue } from "../json.js";
import { documentBytes } from "./documents.js";
import type { WriteTarget } from "./target.js";

const METADATA_NAMES = new Set(["zarr.json", ".zarray", ".zgroup", ".zattrs", ".zmetadata"]);

export function basenameOf(key: string): string {
  return key.slice(key.lastIndexOf("/") + 1);
}

export function isMetadataKey(key: string): boolean {
  return METADATA_NAMES.has(basenameOf(key));
}

/**
 * The writes of one mutation: each goes to the store with its precondition, is recorded, and
 * is reported to the request's caches. When one fails, the error says what was done and what
 * was not (`extensions.written`, `deleted`, `pending`), in the failure's own code.
 */
export class WriteLog {
  readonly written: string[] = [];
  readonly deleted: string[] = [];
  /** Keys (or "prefix/**" for whole subtrees) this mutation means to write or delete and has not yet. */
  private readonly pending = new Set<string>();
  private readonly limit: ReturnType<typeof pLimit>;

  constructor(
    readonly target: WriteTarget,
    readonly operation: string,
  ) {
    this.limit = pLimit(target.limits.concurrency);
  }

  /** Declares what the next steps will touch, so a failure can list what was left undone. */
  plan(keys: Iterable<string>): void {
    for (const key of keys) this.pending.add(key);
  }

  /** A planned step turned out to be unnecessary. */
  settle(key: string): void {
    this.pending.delete(key);
  }

  /** Writes a metadata document, as zarr-python lays it out, if its version is still `ifVersion` (null: must not exist). */
  putDocument(key: string, doc: JsonValue, ifVersion: string | null | undefined): Promise<string | undefined> {
    return this.put(key, documentBytes(basenameOf(key), doc), ifVersion);
  }

  async put(key: string, data: Uint8Array, ifVersion: string | null | undefined): Promise<string | undefined> {
    this.pending.add(key);
    let version: string | undefined;
    try {
      version = await this.target.store.set(key, data, {
        ...(ifVersion !== undefined ? { ifVersion } : {}),
        signal: this.target.signal,
      });
    } catch (error) {
      throw describeFailure(error);
    }
    this.pending.delete(key);
    this.written.push(key);
    // Documents are kept for the request's later reads; chunk bytes are only forgotten.
    if (isMetadataKey(key)) this.target.changed.wrote(key, { data, version });
    else this.target.changed.wrote(key);
    return version;
  }

  /**
   * Copies `from` to `to` by the store's own means (Store.copy), if `to`'s version is still
   * `ifVersion` (null: must not exist); false when `from` is gone.
   */
  async copy(from: string, to: string, ifVersion: string | null | undefined): Promise<boolean> {
    const copy = this.target.store.copy;
    if (!copy) throw new Error(`store ${this.target.store.description} cannot copy`);
    this.pending.add(to);
    let existed: boolean;
    try {
      existed = await copy.call(this.target.store, from, to, {
        ...(ifVersion !== undefined ? { ifVersion } : {}),
        signal: this.target.signal,
      });
    } catch (error) {
      throw describeFailure(error);
    }
    if (!existed) return false;
    this.pending.delete(to);
    this.written.push(to);
    this.target.changed.wrote(to);
    return true;
  }

  async remove(key: string): Promise<boolean> {
    this.pending.add(key);
    let existed: boolean;
    try {
      existed = await this.target.store.delete(key, { signal: this.target.signal });
    } catch (error) {
      throw describeFailure(error);
    }
    this.pending.delete(key);
    if (existed) this.deleted.push(key);
    this.target.changed.wrote(key, null);
    return existed;
  }

  /** Deletes every object below `prefix`; returns how many there were. */
  async removeBelow(prefix: string): Promise<number> {
    const marker = `${prefix}/**`;
    this.pending.add(marker);
    let count: number;
    try {
      count = await this.target.store.deletePrefix(prefix, { signal: this.target.signal });
    } catch (error) {
      this.target.changed.removedBelow(prefix);
      throw describeFailure(error);
    }
    this.pending.delete(marker);
    if (count > 0) this.deleted.push(`${marker} (${count} objects)`);
    this.target.changed.removedBelow(prefix);
    return count;
  }

  /** Runs `fn` over `items` with bounded concurrency; every call settles before the first failure is thrown. */
  async all<T, R>(items: readonly T[], fn: (item: T) => Promise<R>): Promise<R[]> {
    const settled = await Promise.allSettled(items.map((item) => this.limit(() => fn(item))));
    const failed = settled.find((s) => s.status === "rejected");
    if (failed) throw (failed as PromiseRejectedResult).reason;
    return settled.map((s) => (s as PromiseFulfilledResult<R>).value);
  }

  /** Runs the write phase of a mutation: any failure comes out saying what was and was not done. */
  async run<T>(fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (error) {
      throw this.failure(error);
    }
  }

  /** The error a failed step ends the mutation with: its own code, plus what was and was not done. */
  failure(error: unknown): ZarrError | Error {
    const cause = describeFailure(error);
    if (!(cause instanceof ZarrError)) return cause;
    if (cause.details.written !== undefined) return cause; // already reported by an inner step
    const done = this.written.length + this.deleted.length;
    const pending = [...this.pending];
    const summary =
      done === 0
        ? "nothing was written"
        : `done: ${this.written.length} written, ${this.deleted.length} deleted; not done: ${pending.length ? listed(pending) : "nothing further"}`;
    return new ZarrError(
      cause.code,
      `${this.operation} failed: ${cause.message} (${summary})`,
      { ...cause.details, written: [...this.written], deleted: [...this.deleted], pending },
      { cause },
    );
  }
}

/** A few keys for a message; the full lists are in the error's extensions. */
function listed(keys: string[], max = 10): string {
  return keys.length <= max ? keys.join(", ") : `${keys.slice(0, max).join(", ")} and ${keys.length - max} more`;
}

export function describeFailure(error: unknown): Error {
  if (error instanceof VersionConflictError) {
    const key = /"(.*)"/.exec(error.message)?.[1];
    return new ConflictError(`${error.message}: another writer changed it; read it again and retry`, { key });
  }
  if (error instanceof StoreError || !(error instanceof ZarrError)) return toZarrError(error);
  return error;
}
