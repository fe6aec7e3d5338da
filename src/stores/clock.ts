/**
 * Milliseconds on the process's monotonic clock, as a whole number. Caches stamp each of their
 * hundreds of thousands of entries with when it was last confirmed: a wall-clock time
 * (Date.now(), 1.8e12) is a boxed number on the heap, one more object per entry for the
 * collector to visit, where this stays a small integer for the first 24 days of a process. It
 * also cannot jump back when the system's clock is set.
 */
export function monotonicMs(): number {
  return Math.floor(performance.now());
}
