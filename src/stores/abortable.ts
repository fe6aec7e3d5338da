import type { CallOptions } from "./store.js";
import { type Operation, READS, StoreWrapper } from "./wrapper.js";

/** The calls waiting on each signal: one abort listener per signal, however many calls. */
const waiting = new WeakMap<AbortSignal, Set<(reason: unknown) => void>>();

function waitersOf(signal: AbortSignal): Set<(reason: unknown) => void> {
  let waiters = waiting.get(signal);
  if (!waiters) {
    const set = new Set<(reason: unknown) => void>();
    waiters = set;
    waiting.set(signal, set);
    signal.addEventListener(
      "abort",
      () => {
        for (const reject of set) reject(signal.reason);
        set.clear();
      },
      { once: true },
    );
  }
  return waiters;
}

/**
 * Settles a promise as soon as `signal` aborts, with the signal's reason. The work behind the
 * promise is abandoned, not stopped: it finishes (or times out) on its own, and its outcome is
 * ignored.
 */
export function untilAborted<T>(work: () => Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return work();
  if (signal.aborted) return Promise.reject(signal.reason);
  const waiters = waitersOf(signal);
  return new Promise<T>((resolve, reject) => {
    waiters.add(reject);
    work().then(
      (value) => {
        waiters.delete(reject);
        resolve(value);
      },
      (error: unknown) => {
        waiters.delete(reject);
        reject(error);
      },
    );
  });
}

/**
 * Makes every read give up when its call's signal aborts, even over a store that ignores the
 * signal (the GCS client's listings take none; a hung socket may not notice): a request past
 * its deadline stops waiting instead of hanging. Writes pass through untouched, since giving up
 * on a write that may still land would report a failure that did not happen.
 */
export class AbortableStore extends StoreWrapper {
  protected around<T, O extends CallOptions | undefined>(
    operation: Operation,
    _key: string,
    options: O,
    call: (options: O) => Promise<T>,
  ): Promise<T> {
    return READS.has(operation) ? untilAborted(() => call(options), options?.signal) : call(options);
  }
}
