import type * as zarr from "zarrita";
import { sliceRange } from "../stores/range.js";
import type { ByteRange, Store } from "../stores/store.js";

/** Bytes at offset 0 of a buffer of their own: some decoders view `bytes.buffer` from its start. */
function own(data: Uint8Array): Uint8Array {
  return data.byteOffset === 0 && data.byteLength === data.buffer.byteLength ? data : data.slice();
}

/**
 * Our Store as zarrita's: zarrita's absolute keys ("/a/c/0") become store keys ("a/c/0"), and
 * every call goes through the store it is given (the request's counting, abortable view), with
 * the request's signal. A store without ranged reads answers a range from the whole object.
 */
export class ZarritaStore implements zarr.AsyncReadable {
  constructor(
    readonly store: Store,
    readonly signal?: AbortSignal,
  ) {}

  async get(key: zarr.AbsolutePath): Promise<Uint8Array | undefined> {
    const entry = await this.store.get(key.slice(1), { signal: this.signal });
    return entry && own(entry.data);
  }

  async getRange(key: zarr.AbsolutePath, range: zarr.RangeQuery): Promise<Uint8Array | undefined> {
    const wanted: ByteRange = range;
    if (!this.store.getRange) {
      const whole = await this.store.get(key.slice(1), { signal: this.signal });
      return whole && sliceRange(whole.data, wanted).slice();
    }
    const entry = await this.store.getRange(key.slice(1), wanted, { signal: this.signal });
    return entry && own(entry.data);
  }
}
