import type { Store, StoreEntry } from "../../stores/store.js";
import type { CatalogSession } from "../session.js";

export interface WriteLimits {
  /** Objects (documents and chunks) one delete or move may touch; above it LIMIT_EXCEEDED, nothing done. */
  maxObjects: number;
  /** Store calls in flight at once while copying or deleting. */
  concurrency: number;
}

export const DEFAULT_WRITE_LIMITS: WriteLimits = { maxObjects: 10_000, concurrency: 16 };

/**
 * Where a mutation writes, and how the request that makes it learns what changed. Reads go
 * through `session` (the request's loaders, consolidated metadata ignored: a write looks at the
 * store as it is), writes through `store` (the request's counting view of the catalog's store).
 */
export interface WriteTarget {
  catalog: string;
  store: Store;
  session: CatalogSession;
  limits: WriteLimits;
  changed: {
    /**
     * `key` now holds `entry` (null: it is gone), which later reads of this request get without
     * asking the store; without an entry `key` is only forgotten (read again when asked).
     */
    wrote(key: string, entry?: StoreEntry | null): void;
    /** Everything at or below `prefix` may have changed. */
    removedBelow(prefix: string): void;
  };
  signal?: AbortSignal;
}
