import { setTimeout as delay } from "node:timers/promises";
import type { CallOptions, Store } from "./store.js";
import { type Operation, StoreWrapper } from "./wrapper.js";

/** Adds a fixed delay before every call: a stand-in for a network round trip. */
export class LatencyStore extends StoreWrapper {
  constructor(
    inner: Store,
    readonly delayMs: number,
  ) {
    super(inner);
  }

  protected async around<T, O extends CallOptions | undefined>(
    _operation: Operation,
    _key: string,
    options: O,
    call: (options: O) => Promise<T>,
  ): Promise<T> {
    await delay(this.delayMs, undefined, { signal: options?.signal });
    return call(options);
  }
}
