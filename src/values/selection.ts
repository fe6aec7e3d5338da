import { BadInputError } from "../hierarchy/errors.js";

/** One dimension of a selection, as the API takes it: an index, or a slice. */
export interface DimSelection {
  index?: number | null;
  start?: number | null;
  stop?: number | null;
  step?: number | null;
}

/** A dimension after Python's slice rules: `count` elements from `start` every `step`; `drop` for an index. */
export interface DimRange {
  start: number;
  step: number;
  count: number;
  drop: boolean;
}

function nonNegative(value: number | null | undefined, what: string, dim: number): number | undefined {
  if (value === null || value === undefined) return undefined;
  if (!Number.isSafeInteger(value) || value < 0) {
    throw new BadInputError(`selection[${dim}].${what} must be a non-negative integer, got ${value}`, {
      argument: "selection",
    });
  }
  return value;
}

/**
 * A selection resolved against a shape, as numpy's basic indexing does with non-negative
 * indices: slices clip to the dimension, an index must fall inside it and drops it, missing
 * trailing dimensions (or no selection) take everything. Anything else is BAD_USER_INPUT.
 */
export function resolveSelection(
  selection: readonly DimSelection[] | null | undefined,
  shape: readonly number[],
): DimRange[] {
  const given = selection ?? [];
  if (given.length > shape.length) {
    throw new BadInputError(`selection has ${given.length} dimensions; the array has ${shape.length}`, {
      argument: "selection",
    });
  }
  return shape.map((length, dim) => {
    const s = given[dim] ?? {};
    const index = nonNegative(s.index, "index", dim);
    const start = nonNegative(s.start, "start", dim);
    const stop = nonNegative(s.stop, "stop", dim);
    const step = nonNegative(s.step, "step", dim);
    if (index !== undefined) {
      if (start !== undefined || stop !== undefined || step !== undefined) {
        throw new BadInputError(`selection[${dim}] gives an index and a slice; give one`, { argument: "selection" });
      }
      if (index >= length) {
        throw new BadInputError(`selection[${dim}].index ${index} is out of bounds for a dimension of ${length}`, {
          argument: "selection",
        });
      }
      return { start: index, step: 1, count: 1, drop: true };
    }
    if (step === 0) throw new BadInputError(`selection[${dim}].step must be at least 1`, { argument: "selection" });
    const from = Math.min(start ?? 0, length);
    const to = Math.min(stop ?? length, length);
    const by = step ?? 1;
    return { start: from, step: by, count: to > from ? Math.ceil((to - from) / by) : 0, drop: false };
  });
}

/** The shape of what a selection returns (indexed dimensions dropped). */
export function selectedShape(ranges: readonly DimRange[]): number[] {
  return ranges.filter((r) => !r.drop).map((r) => r.count);
}

/** Part of one dimension's selection that falls in one chunk. */
export interface ChunkPart {
  /** The chunk's index along the dimension. */
  chunk: number;
  /** First selected position inside the chunk. */
  first: number;
  /** Selected positions in this chunk (every `step`). */
  count: number;
  /** Position of the first of them in the output along this dimension. */
  out: number;
}

/**
 * The chunks a dimension's selection touches, and nothing else: a stride longer than a chunk
 * skips the chunks between its elements. Work grows with the elements or the chunks touched,
 * whichever is fewer.
 */
export function chunkParts(range: DimRange, chunkLength: number): ChunkPart[] {
  const parts: ChunkPart[] = [];
  if (range.count === 0) return parts;
  if (range.step <= chunkLength) {
    const last = range.start + (range.count - 1) * range.step;
    for (let chunk = Math.floor(range.start / chunkLength); chunk <= Math.floor(last / chunkLength); chunk++) {
      const lo = chunk * chunkLength;
      const hi = Math.min(lo + chunkLength, last + 1);
      const k = lo <= range.start ? 0 : Math.ceil((lo - range.start) / range.step);
      const position = range.start + k * range.step;
      if (position >= hi) continue;
      parts.push({ chunk, first: position - lo, count: Math.ceil((hi - position) / range.step), out: k });
    }
    return parts;
  }
  // Each element in a chunk of its own (or a few): walk the elements.
  for (let k = 0; k < range.count; k++) {
    const position = range.start + k * range.step;
    const chunk = Math.floor(position / chunkLength);
    const previous = parts[parts.length - 1];
    if (previous?.chunk === chunk) previous.count++;
    else parts.push({ chunk, first: position - chunk * chunkLength, count: 1, out: k });
  }
  return parts;
}
