/**
 * Room on the heap for parsing a large document. Running out of heap is no error a program can
 * catch: V8 ends the process. A document that would not fit is therefore refused before it is
 * parsed, as a limit of its own, and the server goes on answering everything else.
 */
import v8 from "node:v8";
import vm from "node:vm";
import { LimitExceededError } from "./errors.js";

/**
 * Heap a document takes while it is parsed and indexed: its text as a string and then some, and
 * for every value in it (counted by the bytes that begin or separate values: `{`, `[`, `,`) the
 * object, property or slot that holds it and its share of the index. Fitted to consolidated
 * metadata measured here: 12.7 MB with 0.96 M values held 62 MB, 89 MB with 2.55 M values 190 MB.
 */
export const HEAP_PER_BYTE = 1.5;
export const HEAP_PER_VALUE = 64;

/** Counts already made of large documents: one is measured before it is parsed and again when it is kept. */
const counted = new WeakMap<Uint8Array, number>();

/** Values in a JSON text, counted by the bytes that begin or separate them: `{`, `[`, `,`. */
function countValues(data: Uint8Array): number {
  const known = counted.get(data);
  if (known !== undefined) return known;
  let values = 0;
  for (let i = 0; i < data.length; i++) {
    const c = data[i];
    if (c === 0x2c || c === 0x7b || c === 0x5b) values++;
  }
  if (data.length >= SMALL) counted.set(data, values);
  return values;
}

/** The heap a document of these bytes is expected to need while parsed; counted in one pass over them. */
export function heapNeeded(data: Uint8Array): number {
  return Math.ceil(data.length * HEAP_PER_BYTE + countValues(data) * HEAP_PER_VALUE);
}

/**
 * The heap a parsed document goes on holding (its text is gone by then): the same per value, half
 * a byte per byte of text (fitted as above) and a fixed share for what is kept with it (its key,
 * version and place in the cache: 200,000 small documents of a walk, 73 bytes and 3 values on
 * average, held 394 bytes each).
 */
export function heapHeld(data: Uint8Array): number {
  return Math.ceil(160 + data.length / 2 + countValues(data) * HEAP_PER_VALUE);
}

/** Below this size a document is parsed without asking: the check costs more than it saves. */
const SMALL = 1024 * 1024;

/**
 * What the bound holds back from a parse: V8's bound counts the young generation (50–70 MB
 * here), which long-lived objects never occupy, and the requests in flight need room meanwhile.
 */
const HEADROOM = 64 * 1024 * 1024;

export interface HeapState {
  /** Bytes the heap may still grow by before V8 gives up; garbage counts as used. */
  available(): number;
  /** The heap's bound, in bytes. */
  limit(): number;
  /** Collects garbage now, where the runtime allows it. */
  collect(): void;
}

/**
 * The process's own heap. A full collection is run only when a large document seems not to fit,
 * which is rare; `gc` is not exposed to programs unless asked for, so it is exposed here.
 */
const processHeap: HeapState = {
  available: () => {
    const stats = v8.getHeapStatistics();
    return stats.heap_size_limit - stats.used_heap_size - HEADROOM;
  },
  limit: () => v8.getHeapStatistics().heap_size_limit,
  collect: () => exposedGc()?.(),
};

let gcFunction: (() => void) | null | undefined;
function exposedGc(): (() => void) | null {
  if (gcFunction === undefined) {
    try {
      v8.setFlagsFromString("--expose-gc");
      gcFunction = vm.runInNewContext("gc") as () => void;
    } catch {
      gcFunction = null;
    }
  }
  return gcFunction;
}

export class HeapRoom {
  constructor(private readonly heap: HeapState = processHeap) {}

  /**
   * Throws LIMIT_EXCEEDED ("heapBytes") when a document would not fit on the heap now, after
   * collecting garbage once. The message says how to give the server more.
   */
  check(key: string, data: Uint8Array): void {
    const bytes = data.byteLength;
    if (bytes < SMALL) return;
    const need = heapNeeded(data);
    if (this.heap.available() >= need) return;
    this.heap.collect();
    const available = this.heap.available();
    if (available >= need) return;
    const mb = (n: number) => `${Math.round(n / 1e6)} MB`;
    throw new LimitExceededError(
      "heapBytes",
      available,
      need,
      `metadata document ${JSON.stringify(key)} of ${mb(bytes)} needs about ${mb(need)} of heap to parse, and ${mb(available)} of the heap's ${mb(this.heap.limit())} is free; start the server with a larger bound (NODE_OPTIONS=--max-old-space-size=MB) to serve it`,
    );
  }
}
