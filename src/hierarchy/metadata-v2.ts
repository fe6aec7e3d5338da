import type { JsonObject, JsonValue } from "./json.js";
import { type Codec, countChunks, fail, type NodeMetadata, readShape, requireObject } from "./metadata.js";

/** numcodecs' `{"id": "zlib", "level": 1}` as `{name: "zlib", configuration: {level: 1}}`. */
export function codecFromV2(key: string, value: unknown, what: string): Codec {
  const obj = requireObject(key, value, what);
  if (typeof obj.id !== "string" || obj.id === "") fail(key, `${what} needs an "id"`);
  const { id, ...configuration } = obj;
  return { name: id, configuration };
}

function isDtype(value: unknown): boolean {
  if (typeof value === "string") return value.length > 0;
  // Structured dtypes: [[name, dtype(, shape)], ...]
  return (
    Array.isArray(value) &&
    value.length > 0 &&
    value.every((f) => Array.isArray(f) && f.length >= 2 && typeof f[0] === "string" && isDtype(f[1]))
  );
}

export function readAttributes(key: string, value: JsonValue | undefined): JsonObject {
  if (value === undefined) return {};
  return requireObject(key, value, ".zattrs");
}

/** Parses a `.zarray` with its `.zattrs` (either may carry bare NaN; both are already decoded). */
export function parseV2Array(
  key: string,
  zarray: JsonValue,
  attributes: JsonObject,
  version: string | null,
): NodeMetadata {
  const doc = requireObject(key, zarray, ".zarray");
  if (doc.zarr_format !== 2) fail(key, '"zarr_format" must be 2');
  const shape = readShape(key, doc.shape, "shape");
  const chunks = readShape(key, doc.chunks, "chunks");
  if (chunks.length !== shape.length) fail(key, "chunks and shape differ in length");
  if (!isDtype(doc.dtype)) fail(key, '"dtype" must be a numpy type string or a structured type list');
  if (!("fill_value" in doc)) fail(key, 'missing "fill_value"');
  const order = doc.order ?? "C";
  if (order !== "C" && order !== "F") fail(key, '"order" must be "C" or "F"');
  const compressor =
    doc.compressor === null || doc.compressor === undefined ? null : codecFromV2(key, doc.compressor, "compressor");
  let filters: Codec[] | null = null;
  if (doc.filters !== null && doc.filters !== undefined) {
    if (!Array.isArray(doc.filters)) fail(key, '"filters" must be an array or null');
    filters = doc.filters.map((f) => codecFromV2(key, f, "filter"));
  }
  const separator = doc.dimension_separator ?? ".";
  if (separator !== "." && separator !== "/") fail(key, '"dimension_separator" must be "." or "/"');
  const dims = attributes._ARRAY_DIMENSIONS;
  const dimensionNames =
    Array.isArray(dims) && dims.length === shape.length && dims.every((d) => typeof d === "string")
      ? (dims as string[])
      : null;
  return {
    zarrFormat: 2,
    nodeType: "array",
    attributes,
    document: doc,
    version,
    array: {
      shape,
      dataType: doc.dtype as JsonValue,
      chunks,
      shards: null,
      nchunks: countChunks(shape, chunks),
      fillValue: doc.fill_value as JsonValue,
      order,
      codecs: [...(filters ?? []), ...(compressor ? [compressor] : [])],
      compressor,
      filters,
      chunkKeyEncoding: { name: "v2", configuration: { separator } },
      dimensionNames,
    },
  };
}

export function parseV2Group(
  key: string,
  zgroup: JsonValue,
  attributes: JsonObject,
  version: string | null,
): NodeMetadata {
  const doc = requireObject(key, zgroup, ".zgroup");
  if (doc.zarr_format !== 2) fail(key, '"zarr_format" must be 2');
  return { zarrFormat: 2, nodeType: "group", attributes, document: doc, array: null, version };
}
