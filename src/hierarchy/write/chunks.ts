import { BadInputError } from "../errors.js";

/** numpy's limit on dimensions; zarr documents beyond it could not be opened by zarr-python. */
export const MAX_DIMENSIONS = 32;

function bad(field: string, message: string): never {
  throw new BadInputError(message, { field });
}

function isIndex(n: unknown): n is number {
  return typeof n === "number" && Number.isSafeInteger(n) && n >= 0;
}

/** An array shape: up to 32 non-negative integers (an empty list is a 0-d array). */
export function checkShape(shape: readonly unknown[]): number[] {
  if (shape.length > MAX_DIMENSIONS) bad("shape", `shape has ${shape.length} dimensions, more than ${MAX_DIMENSIONS}`);
  if (!shape.every(isIndex)) bad("shape", `shape ${JSON.stringify(shape)} must be non-negative integers`);
  return [...shape] as number[];
}

/** A chunk (or shard) shape for `shape`: one positive integer per dimension. */
export function checkChunkShape(chunks: readonly unknown[], shape: number[], field: "chunks" | "shards"): number[] {
  if (chunks.length !== shape.length) {
    bad(field, `${field} ${JSON.stringify(chunks)} has ${chunks.length} dimensions, the shape has ${shape.length}`);
  }
  if (!chunks.every((n) => isIndex(n) && n >= 1))
    bad(field, `${field} ${JSON.stringify(chunks)} must be positive integers`);
  return [...chunks] as number[];
}

/** Shards hold whole chunks: every shard dimension a multiple of the chunk's. */
export function checkShards(shards: number[], chunks: number[]): void {
  if (shards.some((s, i) => s % chunks[i] !== 0)) {
    bad("shards", `shards ${JSON.stringify(shards)} must be multiples of chunks ${JSON.stringify(chunks)}`);
  }
}

const CHUNK_BASE = 256 * 1024;
const CHUNK_MIN = 128 * 1024;
const CHUNK_MAX = 64 * 1024 * 1024;

/**
 * zarr-python's `guess_chunks`: halve the axes in turn until a chunk is near a target size that
 * grows with the array (128 KiB to 64 MiB), so an array created without `chunks` gets the
 * chunks zarr-python would have given it.
 */
export function guessChunks(shape: number[], typesize: number): number[] {
  const ndims = shape.length;
  const chunks = shape.map((n) => Math.max(n, 1));
  const product = () => chunks.reduce((a, b) => a * b, 1);
  const datasetSize = product() * typesize;
  let target = CHUNK_BASE * 2 ** Math.log10(datasetSize / (1024 * 1024));
  if (target > CHUNK_MAX) target = CHUNK_MAX;
  else if (target < CHUNK_MIN) target = CHUNK_MIN;
  for (let idx = 0; ; idx++) {
    const bytes = product() * typesize;
    if ((bytes < target || Math.abs(bytes - target) / target < 0.5) && bytes < CHUNK_MAX) break;
    if (product() === 1) break;
    chunks[idx % ndims] = Math.ceil(chunks[idx % ndims] / 2);
  }
  return chunks;
}
