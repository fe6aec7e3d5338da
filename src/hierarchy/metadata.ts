import { InvalidMetadataError } from "./errors.js";
import { isJsonObject, type JsonObject, type JsonValue, toIndex } from "./json.js";

/** `{name, configuration}` as the API shows codecs of both formats. */
export interface Codec {
  name: string;
  configuration: JsonObject | null;
}

export interface ArrayFields {
  shape: number[];
  /** The document's value, untouched. */
  dataType: JsonValue;
  /** Chunk shape (inner chunk of a sharded array); null when the grid is not regular. */
  chunks: number[] | null;
  /** Shard shape of a sharded array. */
  shards: number[] | null;
  /** Number of chunks in the storage grid (shards, for a sharded array); null if not computable. */
  nchunks: number | null;
  fillValue: JsonValue;
  order: "C" | "F" | null;
  codecs: Codec[];
  compressor: Codec | null;
  filters: Codec[] | null;
  chunkKeyEncoding: JsonValue;
  dimensionNames: (string | null)[] | null;
}

/** One node's metadata, read from its own documents or from consolidated metadata. */
export interface NodeMetadata {
  zarrFormat: 2 | 3;
  nodeType: "group" | "array";
  attributes: JsonObject;
  /** The node's own document: zarr.json, or .zarray / .zgroup for format 2. */
  document: JsonObject;
  array: ArrayFields | null;
  version: string | null;
}

export function fail(key: string, reason: string): never {
  throw new InvalidMetadataError(key, reason);
}

export function requireObject(key: string, value: unknown, what: string): JsonObject {
  if (!isJsonObject(value)) fail(key, `${what} must be a JSON object`);
  return value;
}

export function readShape(key: string, value: unknown, what: string): number[] {
  if (!Array.isArray(value)) fail(key, `${what} must be an array of non-negative integers`);
  return value.map((v) => {
    const n = toIndex(v);
    if (n === undefined) fail(key, `${what} must be an array of non-negative integers`);
    return n;
  });
}

export function product(values: number[]): number {
  return values.reduce((a, b) => a * b, 1);
}

/** Chunks along each dimension of a regular grid. */
export function countChunks(shape: number[], chunkShape: number[]): number | null {
  if (chunkShape.length !== shape.length) return null;
  let n = 1;
  for (let i = 0; i < shape.length; i++) {
    if (chunkShape[i] === 0) return shape[i] === 0 ? 0 : null;
    n *= Math.ceil(shape[i] / chunkShape[i]);
  }
  return Number.isSafeInteger(n) ? n : null;
}
