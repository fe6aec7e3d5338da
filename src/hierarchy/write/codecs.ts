import { z } from "zod";
import { BadInputError } from "../errors.js";
import { fromInputJson, type JsonObject, type JsonValue } from "../json.js";
import type { DataType } from "./data-type.js";

/** A codec as the API takes it: `{name, configuration}` for both formats. */
export interface CodecInput {
  name: string;
  configuration?: unknown;
}

type Kind = "array->array" | "array->bytes" | "bytes->bytes";

interface V3CodecContext {
  type: DataType;
  ndim: number;
  /** Shape of the chunk the codec sees (the inner chunk inside a shard). */
  chunkShape: number[];
  field: string;
}

interface V3Codec {
  kind: Kind;
  /** Validates and normalises the configuration; returns the document's codec entry. */
  build(config: unknown, ctx: V3CodecContext): JsonObject;
}

const ENDIAN = z.enum(["little", "big"]);
const BLOSC_SHUFFLE = z.enum(["noshuffle", "shuffle", "bitshuffle"]);
const BLOSC_CNAMES = z.enum(["lz4", "lz4hc", "blosclz", "zstd", "snappy", "zlib"]);
const SHAPE = z.array(z.int().min(1));

function parse<T extends z.ZodType>(schema: T, value: unknown, what: string, field: string): z.output<T> {
  const result = schema.safeParse(value ?? {});
  if (!result.success) {
    throw new BadInputError(`invalid ${what} configuration: ${z.prettifyError(result.error).replace(/\n/g, "; ")}`, {
      field,
    });
  }
  return result.data;
}

/** The v3 codecs zarr-python writes, normalised as its `to_dict()` writes them. */
const V3_CODECS: Record<string, V3Codec> = {
  bytes: {
    kind: "array->bytes",
    build(config, ctx): JsonObject {
      const { endian } = parse(z.strictObject({ endian: ENDIAN.optional() }), config, "bytes codec", ctx.field);
      if (ctx.type.kind === "T") bad(ctx.field, 'the "string" data type is encoded by "vlen-utf8", not "bytes"');
      // zarr-python drops the endian of one-byte types and writes little-endian by default.
      if (ctx.type.size === 1) return { name: "bytes" };
      return { name: "bytes", configuration: { endian: endian ?? "little" } };
    },
  },
  "vlen-utf8": {
    kind: "array->bytes",
    build(config, ctx) {
      parse(z.strictObject({}), config, "vlen-utf8 codec", ctx.field);
      if (ctx.type.kind !== "T") bad(ctx.field, '"vlen-utf8" encodes only the "string" data type');
      return { name: "vlen-utf8", configuration: {} };
    },
  },
  sharding_indexed: {
    kind: "array->bytes",
    build(config, ctx) {
      const schema = z.strictObject({
        chunk_shape: SHAPE,
        codecs: z.array(z.object({ name: z.string(), configuration: z.unknown().optional() })).min(1),
        index_codecs: z.array(z.object({ name: z.string(), configuration: z.unknown().optional() })).optional(),
        index_location: z.enum(["start", "end"]).default("end"),
      });
      const c = parse(schema, config, "sharding_indexed codec", ctx.field);
      checkInnerChunks(c.chunk_shape, ctx.chunkShape, ctx.field);
      const inner = { ...ctx, chunkShape: c.chunk_shape };
      const index = c.index_codecs ?? DEFAULT_INDEX_CODECS;
      return {
        name: "sharding_indexed",
        configuration: {
          chunk_shape: c.chunk_shape,
          codecs: buildV3Codecs(c.codecs, inner),
          index_codecs: buildV3Codecs(index, {
            ...ctx,
            type: { kind: "u", size: 8, order: "<", document: "uint64" },
            ndim: ctx.ndim + 1,
            chunkShape: [...c.chunk_shape.map(() => 1), 2],
          }),
          index_location: c.index_location,
        },
      };
    },
  },
  transpose: {
    kind: "array->array",
    build(config, ctx) {
      const { order } = parse(z.strictObject({ order: z.array(z.int().min(0)) }), config, "transpose codec", ctx.field);
      const sorted = [...order].sort((a, b) => a - b);
      if (order.length !== ctx.ndim || sorted.some((v, i) => v !== i)) {
        bad(ctx.field, `transpose order ${JSON.stringify(order)} must be a permutation of 0..${ctx.ndim - 1}`);
      }
      return { name: "transpose", configuration: { order } };
    },
  },
  gzip: {
    kind: "bytes->bytes",
    build(config, ctx) {
      const c = parse(z.strictObject({ level: z.int().min(0).max(9).default(5) }), config, "gzip codec", ctx.field);
      return { name: "gzip", configuration: c };
    },
  },
  zstd: {
    kind: "bytes->bytes",
    build(config, ctx) {
      const schema = z.strictObject({
        level: z.int().min(-131072).max(22).default(0),
        checksum: z.boolean().default(false),
      });
      return { name: "zstd", configuration: parse(schema, config, "zstd codec", ctx.field) };
    },
  },
  blosc: {
    kind: "bytes->bytes",
    build(config, ctx) {
      const schema = z.strictObject({
        typesize: z.int().min(1).optional(),
        cname: BLOSC_CNAMES.default("zstd"),
        clevel: z.int().min(0).max(9).default(5),
        shuffle: BLOSC_SHUFFLE.optional(),
        blocksize: z.int().min(0).default(0),
      });
      const c = parse(schema, config, "blosc codec", ctx.field);
      // zarr-python fills typesize from the data type, and bit-shuffles one-byte types.
      const typesize = c.typesize ?? (ctx.type.size || 1);
      return {
        name: "blosc",
        configuration: {
          typesize,
          cname: c.cname,
          clevel: c.clevel,
          shuffle: c.shuffle ?? (typesize === 1 ? "bitshuffle" : "shuffle"),
          blocksize: c.blocksize,
        },
      };
    },
  },
  crc32c: {
    kind: "bytes->bytes",
    build(config, ctx) {
      parse(z.strictObject({}), config, "crc32c codec", ctx.field);
      return { name: "crc32c" };
    },
  },
};

const DEFAULT_INDEX_CODECS: CodecInput[] = [{ name: "bytes", configuration: { endian: "little" } }, { name: "crc32c" }];
const KIND_ORDER: Record<Kind, number> = { "array->array": 0, "array->bytes": 1, "bytes->bytes": 2 };

function bad(field: string, message: string): never {
  throw new BadInputError(message, { field });
}

function checkInnerChunks(inner: number[], outer: number[], field: string): void {
  if (inner.length !== outer.length || inner.some((n, i) => outer[i] % n !== 0)) {
    bad(field, `inner chunk shape ${JSON.stringify(inner)} must divide the shard shape ${JSON.stringify(outer)}`);
  }
}

/**
 * A format-3 codec list, validated and normalised: array->array codecs, then exactly one
 * array->bytes codec, then bytes->bytes codecs.
 */
export function buildV3Codecs(codecs: readonly CodecInput[], ctx: V3CodecContext): JsonObject[] {
  if (codecs.length === 0) bad(ctx.field, "the codec list is empty: it needs exactly one array->bytes codec");
  let last = -1;
  const out = codecs.map((codec) => {
    const spec = V3_CODECS[codec.name];
    if (!spec) {
      bad(
        ctx.field,
        `unknown codec ${JSON.stringify(codec.name)}: known codecs are ${Object.keys(V3_CODECS).join(", ")}`,
      );
    }
    const rank = KIND_ORDER[spec.kind];
    if (rank < last || (rank === 1 && last === 1)) {
      bad(
        ctx.field,
        "codecs must be array->array codecs, then exactly one array->bytes codec (bytes, vlen-utf8, sharding_indexed), then bytes->bytes codecs",
      );
    }
    last = rank;
    return spec.build(codec.configuration, ctx);
  });
  const arrayToBytes = codecs.filter((c) => V3_CODECS[c.name].kind === "array->bytes").length;
  if (arrayToBytes !== 1) {
    bad(
      ctx.field,
      `the codec list needs exactly one array->bytes codec (bytes, vlen-utf8, sharding_indexed), got ${arrayToBytes}`,
    );
  }
  return out;
}

/** zarr-python 3's default: the serialiser the data type needs, then zstd level 0. */
export function defaultV3Codecs(type: DataType): CodecInput[] {
  return [{ name: type.kind === "T" ? "vlen-utf8" : "bytes" }, { name: "zstd" }];
}

/** The sharding codec zarr-python writes for `shards=`: the given codecs inside, a checksummed index at the end. */
export function shardingCodec(chunks: number[], inner: CodecInput[]): CodecInput {
  return { name: "sharding_indexed", configuration: { chunk_shape: chunks, codecs: inner, index_location: "end" } };
}

// ---------------------------------------------------------------------------------------------
// Format 2: numcodecs configurations ({"id": ..., ...}), with numcodecs' defaults filled in so
// the document matches what zarr-python 2 writes from a codec object's get_config().
// ---------------------------------------------------------------------------------------------

const DTYPE_STRING = z.string().regex(/^[<>|=]?[biufc]\d+$/, "a numpy type string such as <i4");

const V2_CODECS: Record<string, z.ZodType> = {
  blosc: z.strictObject({
    cname: BLOSC_CNAMES.default("lz4"),
    clevel: z.int().min(0).max(9).default(5),
    shuffle: z.int().min(-1).max(2).default(1),
    blocksize: z.int().min(0).default(0),
  }),
  zlib: z.strictObject({ level: z.int().min(0).max(9).default(1) }),
  gzip: z.strictObject({ level: z.int().min(0).max(9).default(1) }),
  bz2: z.strictObject({ level: z.int().min(1).max(9).default(1) }),
  zstd: z.strictObject({ level: z.int().min(-131072).max(22).default(1) }),
  lz4: z.strictObject({ acceleration: z.int().min(1).default(1) }),
  lzma: z.strictObject({
    format: z.int().default(1),
    check: z.int().default(-1),
    preset: z.int().min(0).max(9).nullable().default(null),
    filters: z.null().default(null),
  }),
  shuffle: z.strictObject({ elementsize: z.int().min(1).default(4) }),
  delta: z.strictObject({ dtype: DTYPE_STRING, astype: DTYPE_STRING.optional() }),
  fixedscaleoffset: z.strictObject({
    offset: z.number(),
    scale: z.number(),
    dtype: DTYPE_STRING,
    astype: DTYPE_STRING.optional(),
  }),
  quantize: z.strictObject({ digits: z.int(), dtype: DTYPE_STRING, astype: DTYPE_STRING.optional() }),
  astype: z.strictObject({ encode_dtype: DTYPE_STRING, decode_dtype: DTYPE_STRING }),
  bitround: z.strictObject({ keepbits: z.int().min(0) }),
  packbits: z.strictObject({}),
  crc32: z.strictObject({}),
  adler32: z.strictObject({}),
};

/** numcodecs codecs whose `astype` defaults to their `dtype`. */
const ASTYPE_DEFAULTS = new Set(["delta", "fixedscaleoffset", "quantize"]);

/** `{name, configuration}` -> numcodecs' `{"id": name, ...configuration}`, checked against numcodecs' signatures. */
export function buildV2Codec(codec: CodecInput, field: string): JsonObject {
  const schema = V2_CODECS[codec.name];
  if (!schema) {
    bad(
      field,
      `unknown numcodecs codec ${JSON.stringify(codec.name)}: known ids are ${Object.keys(V2_CODECS).join(", ")}`,
    );
  }
  const config = parse(schema, codec.configuration, `${codec.name} codec`, field) as Record<string, unknown>;
  for (const key of ["dtype", "astype", "encode_dtype", "decode_dtype"]) {
    if (typeof config[key] === "string") config[key] = numpyTypestr(config[key] as string);
  }
  if (ASTYPE_DEFAULTS.has(codec.name) && config.astype === undefined) config.astype = config.dtype;
  const out: JsonObject = { id: codec.name };
  for (const [key, value] of Object.entries(config)) out[key] = fromInputJson(value) as JsonValue;
  return out;
}

/** numpy's spelling of a numeric type string ("i4" -> "<i4", "<u1" -> "|u1"). */
function numpyTypestr(text: string): string {
  const m = /^([<>|=]?)([biufc])(\d+)$/.exec(text)!;
  const order = m[3] === "1" ? "|" : m[1] === ">" ? ">" : "<";
  return `${order}${m[2]}${m[3]}`;
}

/** zarr-python 2's default compressor: Blosc(cname="lz4", clevel=5, shuffle=SHUFFLE, blocksize=0). */
export const DEFAULT_V2_COMPRESSOR: CodecInput = { name: "blosc" };
