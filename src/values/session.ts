import pLimit from "p-limit";
import type { NodeMetadata } from "../hierarchy/metadata.js";
import type { Store } from "../stores/store.js";
import type { ValuesBudget } from "./budget.js";
import { type OpenedArray, openArray } from "./open.js";
import type { Limit } from "./read.js";
import { ZarritaStore } from "./store-adapter.js";

/**
 * One request's chunk reading in one catalog: through the request's store (counted, abortable,
 * under the request's signal), at most `concurrency` chunks in flight, each array opened once
 * (so a sharded array's shard indexes are read once per request), and whatever else a field
 * computes once per request per array (extents).
 */
export class ValuesSession {
  readonly limit: Limit;
  private readonly store: ZarritaStore;
  private readonly arrays = new Map<string, OpenedArray>();
  private readonly memo = new Map<string, Promise<unknown>>();

  constructor(
    store: Store,
    signal: AbortSignal | undefined,
    concurrency: number,
    readonly budget: ValuesBudget,
  ) {
    this.store = new ZarritaStore(store, signal);
    this.limit = pLimit(concurrency);
  }

  /** The array at `path`, opened from its metadata (UNSUPPORTED when it cannot be decoded). */
  open(path: string, meta: NodeMetadata): OpenedArray {
    let array = this.arrays.get(path);
    if (!array) {
      array = openArray(path, meta, this.store);
      this.arrays.set(path, array);
    }
    return array;
  }

  /** `compute` once per request for `key`: the same answer whatever route asks again. */
  once<T>(key: string, compute: () => Promise<T>): Promise<T> {
    let result = this.memo.get(key) as Promise<T> | undefined;
    if (!result) {
      result = compute();
      this.memo.set(key, result);
    }
    return result;
  }
}
