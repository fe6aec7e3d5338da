import { BadInputError } from "../errors.js";
import { fromInputJson, isJsonObject, type JsonObject, type JsonValue } from "../json.js";
import { checkChunkShape, checkShape, checkShards, guessChunks } from "./chunks.js";
import {
  buildV2Codec,
  buildV3Codecs,
  type CodecInput,
  DEFAULT_V2_COMPRESSOR,
  defaultV3Codecs,
  shardingCodec,
} from "./codecs.js";
import { itemSize, parseDataType } from "./data-type.js";
import { encodeFillValue } from "./fill-value.js";
import { encodeText, v2DocumentText, v3DocumentText } from "./python-json.js";

/** A node's metadata documents by name ("zarr.json", or ".zarray"/".zgroup" and ".zattrs"). */
export type NodeDocuments = Record<string, JsonObject>;

/** What createArray takes, after GraphQL: `undefined` = omitted, `null` = explicitly null. */
export interface ArrayInput {
  shape: readonly number[];
  dataType: unknown;
  chunks?: readonly number[] | null;
  shards?: readonly number[] | null;
  fillValue?: unknown;
  codecs?: readonly CodecInput[] | null;
  compressor?: CodecInput | null;
  filters?: readonly CodecInput[] | null;
  order?: string | null;
  chunkKeyEncoding?: unknown;
  dimensionNames?: readonly (string | null)[] | null;
  attributes?: unknown;
}

function bad(field: string, message: string): never {
  throw new BadInputError(message, { field });
}

/** Attributes from the API: a JSON object, kept lossless. */
export function attributesInput(value: unknown, field = "attributes"): JsonObject {
  if (value === undefined || value === null) return {};
  const json = fromInputJson(value);
  if (!isJsonObject(json)) bad(field, `${field} must be a JSON object`);
  return json;
}

/** zarr-python 3's group zarr.json, keys in its order. */
export function v3GroupDocument(attributes: JsonObject): JsonObject {
  return { attributes, zarr_format: 3, consolidated_metadata: null, node_type: "group" };
}

/** zarr-python 2's group: .zgroup, and .zattrs only when there are attributes. */
export function v2GroupDocuments(attributes: JsonObject): NodeDocuments {
  const docs: NodeDocuments = { ".zgroup": { zarr_format: 2 } };
  if (Object.keys(attributes).length > 0) docs[".zattrs"] = attributes;
  return docs;
}

export function groupDocuments(format: 2 | 3, attributes: JsonObject): NodeDocuments {
  return format === 3 ? { "zarr.json": v3GroupDocument(attributes) } : v2GroupDocuments(attributes);
}

/** The bytes a document is written as: zarr-python 3's layout for zarr.json, zarr-python 2's for the rest. */
export function documentBytes(name: string, doc: JsonValue): Uint8Array {
  return encodeText(name === "zarr.json" ? v3DocumentText(doc) : v2DocumentText(doc));
}

const KEY_ENCODING = (field: string, value: unknown): { name: "default" | "v2"; separator: "/" | "." } => {
  if (!isJsonObject(value as JsonValue))
    bad(field, 'chunkKeyEncoding must be {name: "default" | "v2", configuration?: {separator: "/" | "."}}');
  const { name, configuration, ...rest } = value as Record<string, unknown>;
  if (Object.keys(rest).length > 0) bad(field, `chunkKeyEncoding has unknown fields ${Object.keys(rest).join(", ")}`);
  if (name !== "default" && name !== "v2") bad(field, 'chunkKeyEncoding name must be "default" or "v2"');
  let separator: unknown = name === "default" ? "/" : ".";
  if (configuration !== undefined && configuration !== null) {
    if (!isJsonObject(configuration as JsonValue)) bad(field, "chunkKeyEncoding configuration must be an object");
    const { separator: given, ...more } = configuration as Record<string, unknown>;
    if (Object.keys(more).length > 0)
      bad(field, `chunkKeyEncoding configuration has unknown fields ${Object.keys(more).join(", ")}`);
    if (given !== undefined) separator = given;
  }
  if (separator !== "/" && separator !== ".") bad(field, 'chunkKeyEncoding separator must be "/" or "."');
  return { name, separator };
};

function onlyFor(format: 2 | 3, input: ArrayInput, fields: (keyof ArrayInput)[]): void {
  for (const field of fields) {
    if (input[field] !== undefined && input[field] !== null) {
      bad(field, `${field} is for zarr format ${format === 2 ? 3 : 2} arrays only`);
    }
  }
}

function dimensionNames(input: ArrayInput, ndim: number, format: 2 | 3): (string | null)[] | undefined {
  const names = input.dimensionNames;
  if (names === undefined || names === null) return undefined;
  if (names.length !== ndim)
    bad("dimensionNames", `dimensionNames has ${names.length} entries, the shape has ${ndim} dimensions`);
  if (format === 2 && names.some((n) => typeof n !== "string")) {
    bad("dimensionNames", "format-2 dimension names (the _ARRAY_DIMENSIONS attribute) must all be strings");
  }
  return [...names];
}

/**
 * The documents of a new array, exactly as zarr-python writes them (format 3: zarr-python 3's
 * zarr.json; format 2: zarr-python 2's .zarray and, when there are attributes, .zattrs).
 * Throws BAD_USER_INPUT naming the field for anything zarr-python would refuse, or that its
 * readers could not open.
 */
export function arrayDocuments(input: ArrayInput, format: 2 | 3): NodeDocuments {
  const shape = checkShape(input.shape);
  const type = parseDataType(input.dataType as JsonValue, format);
  const chunks =
    input.chunks === undefined || input.chunks === null
      ? guessChunks(shape, itemSize(type))
      : checkChunkShape(input.chunks, shape, "chunks");
  const fillValue = encodeFillValue(
    input.fillValue === undefined ? undefined : fromInputJson(input.fillValue),
    type,
    format,
  );
  const attributes = attributesInput(input.attributes);
  const names = dimensionNames(input, shape.length, format);

  if (format === 2) {
    onlyFor(2, input, ["codecs", "shards"]);
    if (input.order !== undefined && input.order !== null && input.order !== "C" && input.order !== "F") {
      bad("order", 'order must be "C" or "F"');
    }
    if (type.kind === "T") bad("dataType", 'the "string" data type is format 3 only: use "<U<n>" for format 2');
    const zarray: JsonObject = {
      chunks,
      compressor:
        input.compressor === null ? null : buildV2Codec(input.compressor ?? DEFAULT_V2_COMPRESSOR, "compressor"),
      dtype: type.document,
      fill_value: fillValue,
      filters: input.filters ? input.filters.map((f) => buildV2Codec(f, "filters")) : null,
      order: input.order ?? "C",
      shape,
      zarr_format: 2,
    };
    if (input.chunkKeyEncoding !== undefined && input.chunkKeyEncoding !== null) {
      const encoding = KEY_ENCODING("chunkKeyEncoding", input.chunkKeyEncoding);
      if (encoding.name !== "v2") bad("chunkKeyEncoding", 'format-2 arrays take chunkKeyEncoding {name: "v2"}');
      // zarr-python 2 writes dimension_separator only when it was given.
      zarray.dimension_separator = encoding.separator;
    }
    if (names) {
      const existing = attributes._ARRAY_DIMENSIONS;
      if (existing !== undefined && JSON.stringify(existing) !== JSON.stringify(names)) {
        bad("dimensionNames", "dimensionNames and the _ARRAY_DIMENSIONS attribute disagree");
      }
      attributes._ARRAY_DIMENSIONS = names as JsonValue;
    }
    const docs: NodeDocuments = { ".zarray": zarray };
    if (Object.keys(attributes).length > 0) docs[".zattrs"] = attributes;
    return docs;
  }

  onlyFor(3, input, ["compressor", "filters"]);
  if (input.order !== undefined && input.order !== null) {
    bad("order", "order is format 2 only: a format-3 array stores its layout with a transpose codec");
  }
  const requested = input.codecs ?? defaultV3Codecs(type);
  let gridShape = chunks;
  let pipeline: readonly CodecInput[] = requested;
  if (input.shards !== undefined && input.shards !== null) {
    if (input.chunks === undefined || input.chunks === null)
      bad("shards", "shards need chunks (the inner chunk shape)");
    gridShape = checkChunkShape(input.shards, shape, "shards");
    checkShards(gridShape, chunks);
    pipeline = [shardingCodec(chunks, [...requested])];
  }
  const codecs = buildV3Codecs(pipeline, { type, ndim: shape.length, chunkShape: gridShape, field: "codecs" });
  const encoding =
    input.chunkKeyEncoding === undefined || input.chunkKeyEncoding === null
      ? { name: "default" as const, separator: "/" as const }
      : KEY_ENCODING("chunkKeyEncoding", input.chunkKeyEncoding);
  const doc: JsonObject = {
    shape,
    data_type: type.document,
    chunk_grid: { name: "regular", configuration: { chunk_shape: gridShape } },
    chunk_key_encoding: { name: encoding.name, configuration: { separator: encoding.separator } },
    fill_value: fillValue,
    codecs,
    attributes,
  };
  if (names) doc.dimension_names = names as JsonValue;
  return { "zarr.json": { ...doc, zarr_format: 3, node_type: "array", storage_transformers: [] } };
}
