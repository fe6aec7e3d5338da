import { readBody } from "./body.js";
import type { ByteRange } from "./store.js";

/** Refuses a range that is not whole, non-negative numbers (a caller's bug, never a store failure). */
export function checkRange(range: ByteRange): ByteRange {
  const values = "suffixLength" in range ? [range.suffixLength] : [range.offset, range.length];
  if (!values.every((n) => Number.isSafeInteger(n) && n >= 0)) {
    throw new RangeError(`invalid byte range ${JSON.stringify(range)}`);
  }
  return range;
}

/** Where a range starts and ends in an object of `size` bytes, clipped to it. */
export function rangeBounds(range: ByteRange, size: number): { start: number; end: number } {
  if ("suffixLength" in range) return { start: Math.max(0, size - range.suffixLength), end: size };
  const start = Math.min(range.offset, size);
  return { start, end: Math.min(size, range.offset + range.length) };
}

/** The part of a whole object a range names. */
export function sliceRange(data: Uint8Array, range: ByteRange): Uint8Array {
  const { start, end } = rangeBounds(range, data.byteLength);
  return data.subarray(start, end);
}

/**
 * The HTTP `Range` header for a range. An empty range cannot be written as one, so it asks for
 * one byte and `rangeOfResponse` drops it.
 */
export function rangeHeader(range: ByteRange): string {
  if ("suffixLength" in range) return `bytes=-${Math.max(range.suffixLength, 1)}`;
  return `bytes=${range.offset}-${range.offset + Math.max(range.length, 1) - 1}`;
}

/**
 * The bytes of a ranged GET's answer: 206 carries the part, 416 means the range starts past
 * the end (nothing there), and a server that ignores `Range` answers 200 with the whole object,
 * which is cut down here (correct, though it cost the whole read).
 */
export async function rangeOfResponse(
  response: Response,
  range: ByteRange,
  maxBytes: number | undefined,
  store: string,
  key: string,
): Promise<Uint8Array> {
  if (response.status === 416) {
    await response.body?.cancel().catch(() => undefined);
    return new Uint8Array(0);
  }
  if (response.status === 206) {
    const data = await readBody(response, maxBytes, store, key);
    return ("length" in range ? range.length : range.suffixLength) === 0 ? data.subarray(0, 0) : data;
  }
  return sliceRange(await readBody(response, undefined, store, key), range);
}
