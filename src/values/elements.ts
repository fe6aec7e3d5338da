import { getFloat16 } from "@petamoriken/float16";
import type { ElementType } from "./data-type.js";
import { formatDatetime64, formatTimedelta64 } from "./datetime64.js";

/**
 * Elements as this layer holds them: numbers (floats, integers up to 32 bits), bigints (64-bit
 * integers, datetime64 and timedelta64 counts), booleans, strings, byte strings (Uint8Array),
 * complex numbers ([re, im]), and whatever an object codec decoded.
 */
export type Element = unknown;

/** A decoded chunk's buffer, whatever zarrita made of it. */
type ChunkData = ArrayLike<unknown> & {
  buffer?: ArrayBufferLike;
  byteOffset?: number;
  get?(i: number): unknown;
  chars?: number;
};

let halves: Float64Array | undefined;

/** float16 bits to numbers, through a table built once (65,536 entries). */
function halfTable(): Float64Array {
  if (!halves) {
    halves = new Float64Array(65536);
    const view = new DataView(new ArrayBuffer(2));
    for (let bits = 0; bits < 65536; bits++) {
      view.setUint16(0, bits, true);
      halves[bits] = getFloat16(view, 0, true);
    }
  }
  return halves;
}

function trimNulls(bytes: Uint8Array): Uint8Array {
  let end = bytes.byteLength;
  while (end > 0 && bytes[end - 1] === 0) end--;
  return bytes.subarray(0, end);
}

/**
 * Reads element `offset` of a chunk's data (for complex arrays the real part's offset, the
 * imaginary part `partStride` further on), as numpy would give it: fixed-width strings lose
 * their trailing NULs only.
 */
export function elementReader(type: ElementType): (data: ChunkData, offset: number, partStride: number) => Element {
  if (type.float16) {
    const table = halfTable();
    return (data, offset) => table[data[offset] as number];
  }
  if (type.complex) return (data, offset, partStride) => [data[offset], data[offset + partStride]];
  switch (type.kind) {
    case "bool":
      return (data, offset) => data.get!(offset);
    case "bytes":
      return (data, offset) => {
        const chars = data.chars!;
        return trimNulls(new Uint8Array(data.buffer!, data.byteOffset! + offset * chars, chars)).slice();
      };
    case "unicode":
      return (data, offset) => {
        const chars = data.chars!;
        const points = new Int32Array(data.buffer!, data.byteOffset! + offset * chars * 4, chars);
        let end = chars;
        while (end > 0 && points[end - 1] === 0) end--;
        let text = "";
        // A code point no character has (corrupt data) reads as U+FFFD rather than failing the read.
        for (let k = 0; k < end; k++)
          text += points[k] >= 0 && points[k] <= 0x10ffff ? String.fromCodePoint(points[k]) : "\ufffd";
        return text;
      };
    default:
      return (data, offset) => data[offset];
  }
}

/** A number as the API writes one: non-finite ones by name, integers beyond ±2^53 as exact strings. */
export function numberJson(value: number | bigint): number | string {
  if (typeof value === "bigint") {
    return value >= -(2n ** 53n) && value <= 2n ** 53n ? Number(value) : value.toString();
  }
  if (Number.isFinite(value)) return value;
  return Number.isNaN(value) ? "NaN" : value > 0 ? "Infinity" : "-Infinity";
}

/** Any JSON an object codec decoded, with non-finite numbers named as everywhere else. */
function objectJson(value: unknown): unknown {
  if (typeof value === "number" || typeof value === "bigint") return numberJson(value);
  if (value instanceof Uint8Array) return Buffer.from(value).toString("base64");
  if (Array.isArray(value)) return value.map(objectJson);
  if (value !== null && typeof value === "object") {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, objectJson(v)]));
  }
  return value ?? null;
}

/** An element as the API's JSON: see README "Array values" for the rules. */
export function elementJson(type: ElementType): (value: Element) => unknown {
  switch (type.kind) {
    case "bool":
    case "unicode":
    case "string":
      return (value) => value;
    case "int":
    case "float":
      return (value) => numberJson(value as number | bigint);
    case "complex":
      return (value) => (value as number[]).map((part) => numberJson(part));
    case "datetime":
      return (value) => formatDatetime64(value as bigint, type.unit!);
    case "timedelta":
      return (value) => formatTimedelta64(value as bigint, type.unit!);
    case "bytes":
      return (value) => Buffer.from(value as Uint8Array).toString("base64");
    default:
      return objectJson;
  }
}

/** Whether an element is missing: NaN (either part of a complex), NaT, or equal to the fill value. */
export function isMissing(type: ElementType, fill: unknown): (value: Element) => boolean {
  const NAT = -(2n ** 63n);
  switch (type.kind) {
    case "float":
      return fill === null || Number.isNaN(fill)
        ? (value) => Number.isNaN(value)
        : (value) => Number.isNaN(value) || value === fill;
    case "complex": {
      const [re, im] = (fill as number[] | null) ?? [];
      return (value) => {
        const [a, b] = value as number[];
        return Number.isNaN(a) || Number.isNaN(b) || (a === re && b === im);
      };
    }
    case "datetime":
    case "timedelta":
      return (value) => value === NAT || value === fill;
    case "bytes":
      return (value) => fill instanceof Uint8Array && Buffer.from(value as Uint8Array).equals(fill);
    case "object":
      return (value) => value === null || value === undefined;
    default:
      return (value) => fill !== null && value === fill;
  }
}
