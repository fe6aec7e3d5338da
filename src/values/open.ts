import * as zarr from "zarrita";
import { isJsonObject, type JsonObject, type JsonValue } from "../hierarchy/json.js";
import type { ArrayFields, Codec, NodeMetadata } from "../hierarchy/metadata.js";
import { checkDecoders, registerCodecs } from "./codecs/registry.js";
import { V2_FILTER_IDS } from "./codecs/v2-filter-ids.js";
import { type ElementType, elementType, logicalFill, storageFill } from "./data-type.js";
import { UnsupportedError } from "./errors.js";

/** An array ready to read: its logical shape and element type, and the zarrita array behind it. */
export interface OpenedArray {
  path: string;
  shape: number[];
  /** The chunks reads decode (a sharded array's inner chunks). */
  chunks: number[];
  type: ElementType;
  /** The fill value as an element (see data-type.ts `logicalFill`); null when there is none. */
  fill: unknown;
  attributes: JsonObject;
  zarr: zarr.Array<zarr.DataType, zarr.AsyncReadable>;
}

/** numcodecs ids of format 2's object codecs, which turn bytes into elements. */
const OBJECT_CODECS: Record<string, string> = {
  "vlen-utf8": "v2.vlen-utf8",
  "vlen-bytes": "v2.vlen-bytes",
  json2: "numcodecs.json2",
};
const OBJECT_IDS = new Set(["vlen-utf8", "vlen-bytes", "vlen-array", "json2", "msgpack2", "pickle"]);

type Step = { name: string; configuration: Record<string, unknown>; shown: Codec };

/** Format 2's filters and compressor as zarrita codecs (see codecs/v2-filters.ts for why bytes-to-bytes). */
function v2Codecs(fields: ArrayFields, type: ElementType, ndim: number): Step[] {
  const arrayToArray: Step[] = [];
  if (fields.order === "F") {
    // A complex element's two parts stay together: its extra axis is the fastest in either order.
    const order = type.complex ? [...Array.from({ length: ndim }, (_, i) => ndim - 1 - i), ndim] : "F";
    arrayToArray.push({ name: "transpose", configuration: { order }, shown: { name: "order F", configuration: null } });
  }
  let arrayToBytes: Step | undefined;
  const bytesToBytes: Step[] = [];
  for (const filter of fields.filters ?? []) {
    const configuration = { ...(filter.configuration ?? {}) };
    if (OBJECT_IDS.has(filter.name)) {
      arrayToBytes = { name: OBJECT_CODECS[filter.name] ?? `numcodecs.${filter.name}`, configuration, shown: filter };
    } else {
      const name = (V2_FILTER_IDS as readonly string[]).includes(filter.name)
        ? `v2.${filter.name}`
        : `numcodecs.${filter.name}`;
      bytesToBytes.push({ name, configuration, shown: filter });
    }
  }
  if (type.kind === "object" && !arrayToBytes) {
    throw new UnsupportedError(
      "an object array needs an object codec (vlen-utf8, vlen-bytes, json2) among its filters",
    );
  }
  arrayToBytes ??= {
    name: "bytes",
    configuration: { endian: type.endian ?? "little" },
    shown: { name: "bytes", configuration: null },
  };
  const compressor = fields.compressor;
  if (compressor) {
    bytesToBytes.push({
      name: `numcodecs.${compressor.name}`,
      configuration: { ...compressor.configuration },
      shown: compressor,
    });
  }
  return [...arrayToArray, arrayToBytes, ...bytesToBytes];
}

/** Format 3's codecs as written, with a complex array's extra axis added where shapes are named. */
function v3Codecs(codecs: Codec[], type: ElementType, ndim: number): Step[] {
  return codecs.map((codec) => {
    const configuration: Record<string, unknown> = { ...(codec.configuration ?? {}) };
    if (type.complex) {
      if (codec.name === "transpose" && Array.isArray(configuration.order)) {
        configuration.order = [...(configuration.order as number[]), ndim];
      }
      if (codec.name === "sharding_indexed" && Array.isArray(configuration.chunk_shape)) {
        configuration.chunk_shape = [...(configuration.chunk_shape as number[]), 2];
      }
    }
    if (codec.name === "sharding_indexed") {
      configuration.codecs = v3Codecs(namedList(configuration.codecs), type, ndim).map(({ name, configuration }) => ({
        name,
        configuration,
      }));
      configuration.index_codecs = namedList(configuration.index_codecs);
    }
    return { name: codec.name, configuration, shown: codec };
  });
}

function namedList(value: unknown): Codec[] {
  if (!Array.isArray(value)) return [];
  return value.map((c) =>
    typeof c === "string"
      ? { name: c, configuration: null }
      : {
          name: String((c as JsonObject).name),
          configuration: ((c as JsonObject).configuration as JsonObject) ?? null,
        },
  );
}

/** Every step, sharding's inner and index codecs included, for the decoder check. */
function allSteps(steps: Step[]): Step[] {
  return steps.flatMap((step) =>
    step.name === "sharding_indexed"
      ? [
          step,
          ...allSteps(
            namedList(step.configuration.codecs).map((c) => ({ ...c, configuration: c.configuration ?? {}, shown: c })),
          ),
          ...allSteps(
            namedList(step.configuration.index_codecs).map((c) => ({
              ...c,
              configuration: c.configuration ?? {},
              shown: c,
            })),
          ),
        ]
      : [step],
  );
}

function chunkKeyEncoding(fields: ArrayFields): zarr.ArrayMetadata["chunk_key_encoding"] {
  const encoding = fields.chunkKeyEncoding;
  const name = isJsonObject(encoding) ? encoding.name : encoding;
  const separator =
    isJsonObject(encoding) && isJsonObject(encoding.configuration) ? encoding.configuration.separator : undefined;
  if (name !== "default" && name !== "v2") {
    throw new UnsupportedError(`no decoder for chunk key encoding ${JSON.stringify(name)}`);
  }
  return { name, configuration: separator === "." || separator === "/" ? { separator } : {} };
}

/**
 * The zarrita array for a node's metadata, read through `store`. Refuses (UNSUPPORTED, naming
 * it) a data type, chunk grid or codec without a decoder before anything is read.
 */
export function openArray(path: string, meta: NodeMetadata, store: zarr.AsyncReadable): OpenedArray {
  registerCodecs();
  const fields = meta.array!;
  const type = elementType(fields, meta.zarrFormat);
  const ndim = fields.shape.length;
  const grid = fields.shards ?? fields.chunks;
  if (!grid || !fields.chunks) throw new UnsupportedError("only regular chunk grids can be read");
  const steps = meta.zarrFormat === 2 ? v2Codecs(fields, type, ndim) : v3Codecs(fields.codecs, type, ndim);
  checkDecoders(allSteps(steps));
  const fill = logicalFill(fields.fillValue as JsonValue, type);
  const extra = type.complex ? [2] : [];
  const metadata: zarr.ArrayMetadata<zarr.DataType> = {
    zarr_format: 3,
    node_type: "array",
    shape: [...fields.shape, ...extra],
    data_type: type.storage,
    chunk_grid: { name: "regular", configuration: { chunk_shape: [...grid, ...extra] } },
    chunk_key_encoding: chunkKeyEncoding(fields),
    codecs: steps.map(({ name, configuration }) => ({ name, configuration })),
    fill_value: storageFill(fill, type),
    attributes: {},
  };
  const location = `/${path}` as zarr.AbsolutePath;
  // The extra axis of a complex array has one chunk, whose coordinate (0) no stored key carries.
  const separator =
    metadata.chunk_key_encoding.configuration?.separator ?? (metadata.chunk_key_encoding.name === "v2" ? "." : "/");
  const reader = type.complex ? withoutLastCoordinate(store, `${separator}0`) : store;
  return {
    path,
    shape: fields.shape,
    chunks: fields.chunks,
    type,
    fill,
    attributes: meta.attributes,
    zarr: new zarr.Array(reader, location, metadata),
  };
}

/** A store whose keys lose a suffix (`.0`): chunk keys of an array read with an extra axis. */
function withoutLastCoordinate(store: zarr.AsyncReadable, suffix: string): zarr.AsyncReadable {
  const strip = (key: zarr.AbsolutePath) =>
    (key.endsWith(suffix) ? key.slice(0, -suffix.length) : key) as zarr.AbsolutePath;
  return {
    get: (key, options) => store.get(strip(key), options),
    getRange: (key, range, options) => store.getRange!(strip(key), range, options),
  };
}
