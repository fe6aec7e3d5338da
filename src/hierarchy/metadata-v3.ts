import { isJsonObject, type JsonObject, type JsonValue, toIndex } from "./json.js";
import {
  type ArrayFields,
  type Codec,
  countChunks,
  fail,
  type NodeMetadata,
  readShape,
  requireObject,
} from "./metadata.js";

const ARRAY_FIELDS = new Set([
  "zarr_format",
  "node_type",
  "shape",
  "data_type",
  "chunk_grid",
  "chunk_key_encoding",
  "fill_value",
  "codecs",
  "attributes",
  "dimension_names",
  "storage_transformers",
]);
const GROUP_FIELDS = new Set(["zarr_format", "node_type", "attributes", "consolidated_metadata"]);

/** `"name"` or `{name, configuration?, must_understand?}`, as v3 writes extension points. */
function readNamed(key: string, value: unknown, what: string): Codec {
  if (typeof value === "string") return { name: value, configuration: null };
  const obj = requireObject(key, value, what);
  if (typeof obj.name !== "string" || obj.name === "") fail(key, `${what} needs a "name"`);
  const configuration = obj.configuration;
  if (configuration !== undefined && configuration !== null && !isJsonObject(configuration)) {
    fail(key, `${what} "configuration" must be an object`);
  }
  return { name: obj.name, configuration: configuration ?? null };
}

/** Unknown top-level fields are allowed only as extensions that say `must_understand: false`. */
function checkExtensions(key: string, doc: JsonObject, known: Set<string>): void {
  for (const [field, value] of Object.entries(doc)) {
    if (known.has(field)) continue;
    if (isJsonObject(value) && value.must_understand === false) continue;
    fail(
      key,
      `unknown field "${field}" must be understood (only extensions with "must_understand": false may be ignored)`,
    );
  }
}

/**
 * Chunks in a rectilinear grid: per axis either one edge length (regular along it) or a list
 * of edge lengths, where `[size, count]` is a run of `count` chunks of `size`.
 */
function rectilinearChunkCount(key: string, config: JsonObject | null, shape: number[]): number | null {
  const axes = config?.chunk_shapes;
  if (!Array.isArray(axes) || axes.length !== shape.length) {
    fail(key, "rectilinear chunk_grid needs chunk_shapes with one entry per dimension");
  }
  let total = 1;
  axes.forEach((axis, i) => {
    const regular = toIndex(axis);
    if (regular !== undefined) {
      total *= regular === 0 ? 0 : Math.ceil(shape[i] / regular);
      return;
    }
    if (!Array.isArray(axis)) fail(key, "rectilinear chunk_shapes entries must be integers or arrays");
    let count = 0;
    for (const entry of axis) {
      if (Array.isArray(entry)) {
        const repeat = toIndex(entry[1]);
        if (entry.length !== 2 || toIndex(entry[0]) === undefined || repeat === undefined) {
          fail(key, "rectilinear run-length entries must be [size, count]");
        }
        count += repeat;
      } else if (toIndex(entry) !== undefined) count += 1;
      else fail(key, "rectilinear chunk sizes must be non-negative integers");
    }
    total *= count;
  });
  return Number.isSafeInteger(total) ? total : null;
}

function parseArray(key: string, doc: JsonObject): ArrayFields {
  checkExtensions(key, doc, ARRAY_FIELDS);
  const shape = readShape(key, doc.shape, "shape");
  if (doc.data_type === undefined) fail(key, 'missing "data_type"');
  readNamed(key, doc.data_type, "data_type");
  if (!("fill_value" in doc)) fail(key, 'missing "fill_value"');
  const grid = readNamed(key, doc.chunk_grid, "chunk_grid");
  let gridShape: number[] | null = null;
  let nchunks: number | null = null;
  if (grid.name === "regular") {
    gridShape = readShape(key, grid.configuration?.chunk_shape, "chunk_grid chunk_shape");
    if (gridShape.length !== shape.length) fail(key, "chunk_shape and shape differ in length");
    nchunks = countChunks(shape, gridShape);
  } else if (grid.name === "rectilinear") {
    nchunks = rectilinearChunkCount(key, grid.configuration, shape);
  }
  readNamed(key, doc.chunk_key_encoding, "chunk_key_encoding");
  if (!Array.isArray(doc.codecs) || doc.codecs.length === 0) fail(key, '"codecs" must be a non-empty array');
  const codecs = doc.codecs.map((c) => readNamed(key, c, "codec"));
  let chunks = gridShape;
  let shards: number[] | null = null;
  // As zarr-python: with a sharding codec as the array->bytes step, "chunks" are its inner chunks.
  const sharding = codecs.find((c) => c.name === "sharding_indexed");
  if (sharding && gridShape) {
    shards = gridShape;
    const inner = sharding.configuration?.chunk_shape;
    chunks = inner === undefined ? null : readShape(key, inner, "sharding chunk_shape");
  }
  let dimensionNames: (string | null)[] | null = null;
  if (doc.dimension_names !== undefined && doc.dimension_names !== null) {
    const names = doc.dimension_names;
    if (!Array.isArray(names) || names.some((n) => n !== null && typeof n !== "string")) {
      fail(key, '"dimension_names" must be an array of strings or nulls');
    }
    if (names.length !== shape.length) fail(key, '"dimension_names" and "shape" differ in length');
    dimensionNames = names as (string | null)[];
  }
  if (doc.storage_transformers !== undefined && !Array.isArray(doc.storage_transformers)) {
    fail(key, '"storage_transformers" must be an array');
  }
  return {
    shape,
    dataType: doc.data_type as JsonValue,
    chunks,
    shards,
    nchunks,
    fillValue: doc.fill_value as JsonValue,
    order: null,
    codecs,
    compressor: null,
    filters: null,
    chunkKeyEncoding: doc.chunk_key_encoding as JsonValue,
    dimensionNames,
  };
}

/** Parses and validates a `zarr.json` document (already decoded from JSON). */
export function parseV3(key: string, value: JsonValue, version: string | null): NodeMetadata {
  const doc = requireObject(key, value, "zarr.json");
  if (doc.zarr_format !== 3) fail(key, '"zarr_format" must be 3');
  const attributes = doc.attributes === undefined ? {} : requireObject(key, doc.attributes, '"attributes"');
  if (doc.node_type === "array") {
    return { zarrFormat: 3, nodeType: "array", attributes, document: doc, array: parseArray(key, doc), version };
  }
  if (doc.node_type === "group") {
    checkExtensions(key, doc, GROUP_FIELDS);
    const consolidated = doc.consolidated_metadata;
    if (consolidated !== undefined && consolidated !== null && !isJsonObject(consolidated)) {
      fail(key, '"consolidated_metadata" must be an object or null');
    }
    return { zarrFormat: 3, nodeType: "group", attributes, document: doc, array: null, version };
  }
  fail(key, '"node_type" must be "group" or "array"');
}
