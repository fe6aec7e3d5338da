import { BadInputError } from "../errors.js";
import { isLosslessNumber, type JsonValue, LosslessNumber } from "../json.js";
import type { DataType } from "./data-type.js";
import { pythonFloat } from "./python-json.js";

/**
 * The fill value a document carries, from the value a client sent, checked against the data
 * type. Inputs are what the documents (and the API's `fillValue` output) hold: integers beyond
 * ±2^53 as decimal strings, "NaN" / "Infinity" / "-Infinity" for floats, `[re, im]` for complex,
 * base64 for format-2 byte strings. Values are written as zarr-python writes them (a float fill
 * as `0.0`, a float32 fill rounded to float32 first).
 */
export function encodeFillValue(input: JsonValue | undefined, type: DataType, format: 2 | 3): JsonValue {
  if (input === undefined) return defaultFillValue(type);
  if (input === null) {
    if (format === 2) return null;
    bad("zarr format 3 needs a fill value: omit fillValue for the data type's zero, or give one");
  }
  switch (type.kind) {
    case "b":
      if (typeof input !== "boolean") bad(`a ${type.document} fill value must be true or false`);
      return input;
    case "i":
    case "u":
      return integer(input, type);
    case "M":
    case "m":
      if (input === "NaT") return new LosslessNumber("-9223372036854775808");
      return integer(input, { ...type, kind: "i", size: 8 }, type.document);
    case "f":
      return float(input, type.size, type.document, format);
    case "c": {
      if (!Array.isArray(input) || input.length !== 2) bad(`a ${type.document} fill value must be [real, imaginary]`);
      return input.map((part) => float(part, type.size / 2, type.document, format));
    }
    case "S":
      return byteString(input, type);
    case "U":
    case "T": {
      if (typeof input !== "string") bad(`a ${type.document} fill value must be a string`);
      const max = type.kind === "U" ? type.size / 4 : Number.POSITIVE_INFINITY;
      if ([...input].length > max) bad(`fill value ${JSON.stringify(input)} is longer than ${type.document} holds`);
      return input;
    }
  }
}

/** zarr-python's default fill value: the data type's zero. */
export function defaultFillValue(type: DataType): JsonValue {
  switch (type.kind) {
    case "b":
      return false;
    case "f":
      return pythonFloat(0);
    case "c":
      return [pythonFloat(0), pythonFloat(0)];
    case "S":
    case "U":
    case "T":
      return "";
    default:
      return 0;
  }
}

function bad(message: string): never {
  throw new BadInputError(message, { field: "fillValue" });
}

const DECIMAL = /^-?\d+$/;

function integer(input: JsonValue, type: DataType, label = type.document): JsonValue {
  let value: bigint;
  if (typeof input === "number") {
    if (!Number.isInteger(input)) bad(`a ${label} fill value must be an integer, got ${input}`);
    if (!Number.isSafeInteger(input)) {
      bad(`fill value ${input} is beyond ±2^53 and cannot be exact as a JSON number here: give it as a decimal string`);
    }
    value = BigInt(input);
  } else if (typeof input === "string" && DECIMAL.test(input)) {
    value = BigInt(input);
  } else if (isLosslessNumber(input) && DECIMAL.test(input.toString())) {
    value = BigInt(input.toString());
  } else {
    bad(`a ${label} fill value must be an integer (a decimal string beyond ±2^53), got ${JSON.stringify(input)}`);
  }
  const bits = BigInt(type.size * 8);
  const [min, max] = type.kind === "u" ? [0n, 2n ** bits - 1n] : [-(2n ** (bits - 1n)), 2n ** (bits - 1n) - 1n];
  if (value < min || value > max) bad(`fill value ${value} is outside ${label}'s range [${min}, ${max}]`);
  const n = Number(value);
  return Number.isSafeInteger(n) ? n : new LosslessNumber(value.toString());
}

const NON_FINITE = new Set(["NaN", "Infinity", "-Infinity"]);

function float(input: JsonValue, size: number, label: string, format: 2 | 3): JsonValue {
  if (typeof input === "string") {
    if (NON_FINITE.has(input)) return input;
    // Format 3 also allows the exact bit pattern as hex ("0x7fc00000" for a float32 NaN).
    if (format === 3 && new RegExp(`^0x[0-9a-fA-F]{${size * 2}}$`).test(input)) return input;
    bad(`a ${label} fill value must be a number, "NaN", "Infinity" or "-Infinity", got ${JSON.stringify(input)}`);
  }
  const x = typeof input === "number" ? input : isLosslessNumber(input) ? Number(input.toString()) : Number.NaN;
  if (typeof input !== "number" && !isLosslessNumber(input)) bad(`a ${label} fill value must be a number`);
  const rounded = size === 4 ? Math.fround(x) : size === 2 ? roundFloat16(x) : x;
  if (!Number.isFinite(rounded)) bad(`fill value ${x} is outside the range of ${label}`);
  return pythonFloat(rounded);
}

function byteString(input: JsonValue, type: DataType): JsonValue {
  if (typeof input !== "string" || input.length % 4 !== 0 || !/^[A-Za-z0-9+/]*={0,2}$/.test(input)) {
    bad(`a ${type.document} fill value is given base64-encoded, as the document holds it (e.g. "YWI=" for b"ab")`);
  }
  if (Buffer.from(input, "base64").byteLength > type.size) bad(`fill value is longer than ${type.document} holds`);
  return input;
}

/** The nearest float16 (round half to even), as numpy stores a float16 fill value. */
export function roundFloat16(x: number): number {
  if (!Number.isFinite(x) || x === 0) return x;
  const sign = x < 0 ? -1 : 1;
  const a = Math.abs(x);
  if (a >= 65520) return sign * Number.POSITIVE_INFINITY;
  // Below 2^-14 values are subnormal with a fixed step of 2^-24; above, 10 bits of mantissa.
  let exponent = Math.floor(Math.log2(a));
  if (2 ** exponent > a) exponent--;
  else if (2 ** (exponent + 1) <= a) exponent++;
  const step = 2 ** (Math.max(exponent, -14) - 10);
  // a / step is exact (step is a power of two), so the tie test is exact too.
  const q = a / step;
  const floor = Math.floor(q);
  const r = q - floor > 0.5 || (q - floor === 0.5 && floor % 2 === 1) ? floor + 1 : floor;
  return sign * r * step;
}
