import * as zarr from "zarrita";
import { toZarrError } from "../hierarchy/documents.js";
import { product } from "../hierarchy/metadata.js";
import type { ValuesBudget } from "./budget.js";
import { type Element, elementReader } from "./elements.js";
import { InvalidDataError } from "./errors.js";
import type { OpenedArray } from "./open.js";
import { type ChunkPart, chunkParts, type DimRange, selectedShape } from "./selection.js";

/** Runs a task with a bounded number in flight (p-limit's shape). */
export type Limit = <T>(task: () => Promise<T>) => Promise<T>;

/** What a selection costs, known before anything is read. */
export interface ReadPlan {
  ranges: DimRange[];
  /** Per dimension, the chunks it touches. */
  parts: ChunkPart[][];
  /** Shape of the result (indexed dimensions dropped). */
  shape: number[];
  elements: number;
  chunks: number;
  decodedBytes: number;
}

export function planRead(array: OpenedArray, ranges: DimRange[]): ReadPlan {
  const parts = ranges.map((range, dim) => chunkParts(range, array.chunks[dim]));
  const shape = selectedShape(ranges);
  const elements = product(ranges.map((r) => r.count));
  const chunks = elements === 0 ? 0 : product(parts.map((p) => p.length));
  // Every chunk decodes whole, edge chunks included.
  const decodedBytes = chunks * product(array.chunks) * array.type.itemsize;
  return { ranges, parts, shape, elements, chunks, decodedBytes };
}

/** One chunk's decoded data; failures in the model's vocabulary. */
async function decodeChunk(array: OpenedArray, coords: number[]) {
  const where = `${array.path ? `${array.path}/` : ""}[${coords.join(",")}]`;
  const full = array.type.complex ? [...coords, 0] : coords;
  let chunk: zarr.Chunk<zarr.DataType>;
  try {
    chunk = await array.zarr.getChunk(full);
  } catch (error) {
    if (zarr.isZarritaError(error, "CodecPipelineError")) {
      // The codec's own words say what was wrong (a checksum, a truncated stream).
      const cause = (error as Error).cause;
      const why = cause instanceof Error ? `${(error as Error).message}: ${cause.message}` : (error as Error).message;
      throw new InvalidDataError(where, why, { cause: error });
    }
    throw toZarrError(error);
  }
  const expected = product(array.chunks) * (array.type.complex ? 2 : 1);
  if (chunk.data.length !== expected) {
    throw new InvalidDataError(where, `decoded to ${chunk.data.length} elements, not ${expected}`);
  }
  return chunk;
}

/**
 * Reads a planned selection: each touched chunk once, at most `limit` at a time, handing every
 * selected element to `visit` with its position in the result (C order). The plan's cost is
 * reserved from `budget` first, so a read past a limit fails before any store call.
 */
export async function readPlan(
  array: OpenedArray,
  plan: ReadPlan,
  budget: ValuesBudget,
  limit: Limit,
  visit: (value: Element, position: number) => void,
  elements?: number,
  /** Called once a chunk's elements were all visited (they are visited in order within a chunk). */
  chunkDone?: (coords: number[]) => void,
): Promise<void> {
  budget.reserve({ elements, chunks: plan.chunks, decodedBytes: plan.decodedBytes });
  if (plan.chunks === 0) return;
  const ndim = plan.ranges.length;
  const read = elementReader(array.type);
  // Strides of the result, per array dimension (0 for a dropped one).
  const outStrides = new Array<number>(ndim).fill(0);
  let step = 1;
  for (let d = ndim - 1; d >= 0; d--) {
    if (plan.ranges[d].drop) continue;
    outStrides[d] = step;
    step *= plan.ranges[d].count;
  }
  const tasks: Promise<void>[] = [];
  // After one chunk fails the read has failed: chunks still queued are not read.
  let failed = false;
  const choice = new Array<ChunkPart>(ndim);
  const each = (dim: number): void => {
    if (dim === ndim) {
      const parts = [...choice];
      tasks.push(
        limit(async () => {
          if (failed) return;
          const chunk = await decodeChunk(
            array,
            parts.map((p) => p.chunk),
          ).catch((error: unknown) => {
            failed = true;
            throw error;
          });
          const partStride = array.type.complex ? chunk.stride[ndim] : 0;
          const copy = (d: number, offset: number, position: number): void => {
            if (d === ndim) {
              visit(read(chunk.data as never, offset, partStride), position);
              return;
            }
            const part = parts[d];
            const by = plan.ranges[d].step;
            for (let j = 0; j < part.count; j++) {
              copy(d + 1, offset + (part.first + j * by) * chunk.stride[d], position + (part.out + j) * outStrides[d]);
            }
          };
          copy(0, 0, 0);
          chunkDone?.(parts.map((p) => p.chunk));
        }),
      );
      return;
    }
    for (const part of plan.parts[dim]) {
      choice[dim] = part;
      each(dim + 1);
    }
  };
  each(0);
  await Promise.all(tasks);
}
