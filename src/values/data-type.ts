import { getFloat16, setFloat16 } from "@petamoriken/float16";
import type * as zarr from "zarrita";
import { isJsonObject, isLosslessNumber, type JsonValue, NonFinite, toNumber } from "../hierarchy/json.js";
import type { ArrayFields } from "../hierarchy/metadata.js";
import { UnsupportedError } from "./errors.js";
import { type DateUnit, parseNumpyDtype } from "./numpy-dtype.js";

/** What one element is, as the API gives it. */
export type ElementKind =
  | "bool"
  | "int"
  | "float"
  | "complex"
  | "datetime"
  | "timedelta"
  | "bytes"
  | "unicode"
  | "string"
  | "object";

/**
 * An array's element type: what the API calls it, and what zarrita decodes chunks as. Types
 * zarrita has no typed array for are read as one it has and converted here: float16 as its
 * uint16 bits (Node 20 has no Float16Array), datetime64 / timedelta64 as int64 counts,
 * complex as float pairs (an extra trailing axis of 2).
 */
export interface ElementType {
  /** "float32", "int64", "bool", "datetime64[ns]", "complex64", "S8", "U10", "string", "object". */
  name: string;
  kind: ElementKind;
  storage: zarr.DataType;
  /** Byte order of format 2 data (format 3 says it in its `bytes` codec). */
  endian?: "little" | "big";
  /** Bytes one decoded element takes (an estimate for variable-length kinds). */
  itemsize: number;
  float16?: boolean;
  /** Chunks hold [re, im] along an extra last axis. */
  complex?: boolean;
  /** datetime64 / timedelta64: the unit and its multiple. */
  unit?: { name: DateUnit; count: number };
}

const INTS: Record<string, zarr.DataType> = {
  i1: "int8",
  i2: "int16",
  i4: "int32",
  i8: "int64",
  u1: "uint8",
  u2: "uint16",
  u4: "uint32",
  u8: "uint64",
};

/** Variable-length elements cost about this much each when decoded (a reference and a short value). */
const VARIABLE_ITEMSIZE = 16;

function unsupported(dataType: unknown): never {
  throw new UnsupportedError(`no decoder for data type ${JSON.stringify(dataType)}`, {
    dataType: typeof dataType === "string" ? dataType : JSON.stringify(dataType),
  });
}

/** The element type of a format 2 `dtype`. */
function fromV2(dtype: JsonValue): ElementType {
  const parsed = parseNumpyDtype(dtype);
  if (!parsed) unsupported(dtype);
  const endian = parsed.littleEndian === null ? undefined : parsed.littleEndian ? "little" : "big";
  const code = `${parsed.kind}${parsed.itemsize}`;
  switch (parsed.kind) {
    case "b":
      return { name: "bool", kind: "bool", storage: "bool", itemsize: 1 };
    case "i":
    case "u": {
      const storage = INTS[code] ?? unsupported(dtype);
      return { name: storage, kind: "int", storage, endian, itemsize: parsed.itemsize };
    }
    case "f":
      if (code === "f2")
        return { name: "float16", kind: "float", storage: "uint16", endian, itemsize: 2, float16: true };
      if (code === "f4" || code === "f8") {
        const storage = code === "f4" ? "float32" : "float64";
        return { name: storage, kind: "float", storage, endian, itemsize: parsed.itemsize };
      }
      return unsupported(dtype);
    case "c":
      if (code !== "c8" && code !== "c16") unsupported(dtype);
      return {
        name: code === "c8" ? "complex64" : "complex128",
        kind: "complex",
        storage: code === "c8" ? "float32" : "float64",
        endian,
        itemsize: parsed.itemsize,
        complex: true,
      };
    case "M":
    case "m": {
      const unit = parsed.unit!;
      const kind = parsed.kind === "M" ? "datetime" : "timedelta";
      const suffix = `[${unit.count === 1 ? "" : unit.count}${unit.name}]`;
      return { name: `${kind}64${suffix}`, kind, storage: "int64", endian, itemsize: 8, unit };
    }
    case "S":
      return {
        name: `S${parsed.itemsize}`,
        kind: "bytes",
        storage: `v2:S${parsed.itemsize}`,
        itemsize: parsed.itemsize,
      };
    case "U":
      return {
        name: `U${parsed.itemsize / 4}`,
        kind: "unicode",
        storage: `v2:U${parsed.itemsize / 4}`,
        endian,
        itemsize: parsed.itemsize,
      };
    case "O":
      return { name: "object", kind: "object", storage: "v2:object", itemsize: VARIABLE_ITEMSIZE };
  }
  return unsupported(dtype);
}

const V3_NUMERIC = new Set(["bool", "int8", "int16", "int32", "int64", "uint8", "uint16", "uint32", "uint64"]);

/** The element type of a format 3 `data_type` (a name, or `{name, configuration}` for extensions). */
function fromV3(dataType: JsonValue): ElementType {
  const name = typeof dataType === "string" ? dataType : isJsonObject(dataType) ? dataType.name : undefined;
  const config = isJsonObject(dataType) && isJsonObject(dataType.configuration) ? dataType.configuration : {};
  if (typeof name !== "string") return unsupported(dataType);
  if (V3_NUMERIC.has(name)) {
    const storage = name as zarr.DataType;
    const itemsize = name === "bool" ? 1 : Number(/\d+/.exec(name)![0]) / 8;
    return { name, kind: name === "bool" ? "bool" : "int", storage, itemsize };
  }
  switch (name) {
    case "float16":
      return { name, kind: "float", storage: "uint16", itemsize: 2, float16: true };
    case "float32":
    case "float64":
      return { name, kind: "float", storage: name, itemsize: name === "float32" ? 4 : 8 };
    case "complex64":
    case "complex128":
      return {
        name,
        kind: "complex",
        storage: name === "complex64" ? "float32" : "float64",
        itemsize: name === "complex64" ? 8 : 16,
        complex: true,
      };
    case "string":
      return { name, kind: "string", storage: "string", itemsize: VARIABLE_ITEMSIZE };
    case "numpy.datetime64":
    case "numpy.timedelta64": {
      const unit = config.unit;
      const count = toNumber(config.scale_factor ?? 1);
      if (typeof unit !== "string" || !Number.isSafeInteger(count) || count < 1) return unsupported(dataType);
      const kind = name === "numpy.datetime64" ? "datetime" : "timedelta";
      return {
        name: `${kind}64[${count === 1 ? "" : count}${unit}]`,
        kind,
        storage: "int64",
        itemsize: 8,
        unit: { name: unit as DateUnit, count },
      };
    }
    case "fixed_length_utf32": {
      const bytes = toNumber(config.length_bytes);
      if (!Number.isSafeInteger(bytes) || bytes <= 0 || bytes % 4 !== 0) return unsupported(dataType);
      return { name: `U${bytes / 4}`, kind: "unicode", storage: `v2:U${bytes / 4}`, itemsize: bytes };
    }
    case "null_terminated_bytes": {
      const bytes = toNumber(config.length_bytes);
      if (!Number.isSafeInteger(bytes) || bytes <= 0) return unsupported(dataType);
      return { name: `S${bytes}`, kind: "bytes", storage: `v2:S${bytes}`, itemsize: bytes };
    }
  }
  return unsupported(dataType);
}

export function elementType(fields: ArrayFields, zarrFormat: 2 | 3): ElementType {
  return zarrFormat === 2 ? fromV2(fields.dataType) : fromV3(fields.dataType);
}

/** A JSON fill value as a number ("NaN", hex bit patterns and bare NaN included). */
function fillNumber(value: JsonValue, type: ElementType): number {
  if (value instanceof NonFinite) return value.valueOf();
  if (typeof value === "string") {
    if (value === "NaN") return Number.NaN;
    if (value === "Infinity") return Number.POSITIVE_INFINITY;
    if (value === "-Infinity") return Number.NEGATIVE_INFINITY;
    if (/^0x[0-9a-f]+$/i.test(value)) {
      // Format 3 writes a float's exact bits as hex.
      const bits = BigInt(value);
      const view = new DataView(new ArrayBuffer(8));
      if (type.float16) {
        view.setUint16(0, Number(bits));
        return getFloat16(view, 0);
      }
      if (type.storage === "float32") {
        view.setUint32(0, Number(bits));
        return view.getFloat32(0);
      }
      view.setBigUint64(0, bits);
      return view.getFloat64(0);
    }
  }
  return toNumber(value);
}

function fillBigInt(value: JsonValue): bigint | null {
  if (typeof value === "number" && Number.isInteger(value)) return BigInt(value);
  if (isLosslessNumber(value) && /^-?\d+$/.test(value.toString())) return BigInt(value.toString());
  if (value === "NaT") return -(2n ** 63n);
  return null;
}

/**
 * The fill value as an element of the API (what `elements.ts` reads: numbers, bigints, booleans,
 * strings, bytes, [re, im]); null when the array has none.
 */
export function logicalFill(value: JsonValue, type: ElementType): unknown {
  if (value === null || value === undefined) return null;
  switch (type.kind) {
    case "bool":
      return value === true || toNumber(value) === 1;
    case "int":
      return type.itemsize === 8 ? fillBigInt(value) : toNumber(value);
    case "float":
      return fillNumber(value, type);
    case "complex":
      return Array.isArray(value) && value.length === 2
        ? [fillNumber(value[0], type), fillNumber(value[1], type)]
        : null;
    case "datetime":
    case "timedelta":
      return fillBigInt(value);
    case "bytes":
      // Format 2 writes byte-string fills base64-encoded.
      return typeof value === "string" ? stripNulls(Buffer.from(value, "base64")) : null;
    case "unicode":
    case "string":
      return typeof value === "string" ? value : null;
    default:
      return null;
  }
}

function stripNulls(bytes: Uint8Array): Uint8Array {
  let end = bytes.byteLength;
  while (end > 0 && bytes[end - 1] === 0) end--;
  return bytes.subarray(0, end);
}

/** The fill value as zarrita fills missing chunks of the storage type. */
export function storageFill(fill: unknown, type: ElementType): zarr.Scalar<zarr.DataType> | null {
  if (fill === null) return null;
  if (type.float16) {
    const view = new DataView(new ArrayBuffer(2));
    setFloat16(view, 0, fill as number, true);
    return view.getUint16(0, true);
  }
  // Both parts get the real part: a complex fill whose parts differ fills missing chunks wrongly.
  if (type.complex) return (fill as number[])[0];
  if (type.kind === "bytes") return Buffer.from(fill as Uint8Array).toString("latin1");
  return fill as zarr.Scalar<zarr.DataType>;
}
