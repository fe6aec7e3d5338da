import { LimitExceededError } from "../hierarchy/errors.js";

/** What one request may read of array values (README "Limits"). */
export interface ValuesLimits {
  /** Elements `values` fields may return, summed over the request. */
  maxValueElements: number;
  /** Chunks (a sharded array's inner chunks) the request may decode. */
  maxChunks: number;
  /** Bytes those chunks may take once decoded. */
  maxDecodedBytes: number;
}

export const DEFAULT_VALUES_LIMITS: ValuesLimits = {
  maxValueElements: 1_000_000,
  maxChunks: 10_000,
  maxDecodedBytes: 512 * 1024 * 1024,
};

export interface ReadCost {
  elements?: number;
  chunks: number;
  decodedBytes: number;
}

/**
 * A request's account of what it decoded and returned. Every read reserves its whole cost
 * before its first store call, so a selection that would pass a limit is refused with nothing
 * read, and the request's later reads see what the earlier ones used.
 */
export class ValuesBudget {
  elements = 0;
  chunks = 0;
  decodedBytes = 0;

  constructor(readonly limits: ValuesLimits = DEFAULT_VALUES_LIMITS) {}

  reserve(cost: ReadCost): void {
    const checks: [string, number, number][] = [
      ["elements", this.limits.maxValueElements, this.elements + (cost.elements ?? 0)],
      ["chunks", this.limits.maxChunks, this.chunks + cost.chunks],
      ["decodedBytes", this.limits.maxDecodedBytes, this.decodedBytes + cost.decodedBytes],
    ];
    for (const [limit, max, actual] of checks) {
      if (actual > max) {
        throw new LimitExceededError(
          limit,
          max,
          actual,
          `${limit} limit exceeded: this request would reach ${actual} ${limit === "decodedBytes" ? "decoded bytes" : limit}, more than the ${max} allowed; narrow the selection`,
        );
      }
    }
    this.elements += cost.elements ?? 0;
    this.chunks += cost.chunks;
    this.decodedBytes += cost.decodedBytes;
  }
}
