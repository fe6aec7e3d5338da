import { isLosslessNumber, LosslessNumber, NonFinite } from "../json.js";
import { compareCodePoints } from "../paths.js";

/**
 * JSON text as Python's `json.dumps` writes it, so the documents we write are byte-identical to
 * zarr-python's: `ensure_ascii` (every character outside printable ASCII as `\uXXXX`), `", "`
 * and `": "` separators under an indent, keys optionally sorted by code point (`sort_keys`),
 * bare NaN / Infinity for NonFinite, and LosslessNumber digits exactly as they were read.
 */
export interface PythonJsonOptions {
  indent: number;
  sortKeys?: boolean;
}

export function pythonJson(value: unknown, options: PythonJsonOptions): string {
  return write(value, options, "");
}

function write(value: unknown, options: PythonJsonOptions, indent: string): string {
  if (value === null || value === undefined) return "null";
  if (typeof value === "boolean") return value ? "true" : "false";
  if (typeof value === "number") return numberText(value);
  if (typeof value === "bigint") return value.toString();
  if (typeof value === "string") return stringText(value);
  if (isLosslessNumber(value)) return (value as LosslessNumber).toString();
  if (value instanceof NonFinite) return value.value;
  const inner = indent + " ".repeat(options.indent);
  if (Array.isArray(value)) {
    if (value.length === 0) return "[]";
    return `[\n${value.map((v) => inner + write(v, options, inner)).join(",\n")}\n${indent}]`;
  }
  const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined);
  if (entries.length === 0) return "{}";
  if (options.sortKeys) entries.sort(([a], [b]) => compareCodePoints(a, b));
  return `{\n${entries.map(([k, v]) => `${inner}${stringText(k)}: ${write(v, options, inner)}`).join(",\n")}\n${indent}}`;
}

function stringText(text: string): string {
  // JSON.stringify already escapes quotes, backslashes and control characters as Python does
  // (\n, \t, \u0001, lone surrogates); what is left above 0x7e is escaped as ensure_ascii does.
  return JSON.stringify(text).replace(/[^\x20-\x7e]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
}

/**
 * A JavaScript number as Python would write the same value: integers as integers, others as
 * Python's float repr ("1e-07", "1e+20"). Non-finite numbers cannot come from JSON input.
 */
function numberText(n: number): string {
  if (!Number.isFinite(n)) throw new RangeError("non-finite numbers are written as NonFinite");
  if (Number.isSafeInteger(n)) return String(n);
  return pythonFloatRepr(n);
}

/** Python's `repr(float)`: the shortest round-trip digits, in Python's notation. */
export function pythonFloatRepr(x: number): string {
  if (!Number.isFinite(x)) throw new RangeError("not a finite float");
  if (x === 0) return Object.is(x, -0) ? "-0.0" : "0.0";
  const [mantissa, expText] = x.toExponential().split("e");
  const exp = Number(expText);
  const sign = mantissa.startsWith("-") ? "-" : "";
  const digits = mantissa.replace("-", "").replace(".", "");
  if (exp < -4 || exp >= 16) {
    const m = digits.length > 1 ? `${digits[0]}.${digits.slice(1)}` : digits;
    return `${sign}${m}e${exp < 0 ? "-" : "+"}${String(Math.abs(exp)).padStart(2, "0")}`;
  }
  if (exp < 0) return `${sign}0.${"0".repeat(-exp - 1)}${digits}`;
  const intPart = digits.slice(0, exp + 1).padEnd(exp + 1, "0");
  return `${sign}${intPart}.${digits.slice(exp + 1) || "0"}`;
}

/** A float written as Python writes a float (`0.0`, not `0`), kept exact through lossless JSON. */
export function pythonFloat(x: number): LosslessNumber {
  return new LosslessNumber(pythonFloatRepr(x));
}

/** zarr-python 3's zarr.json: 2-space indent, keys in the document's order. */
export function v3DocumentText(value: unknown): string {
  return pythonJson(value, { indent: 2 });
}

/** zarr-python 2's .zarray / .zgroup / .zattrs / .zmetadata: 4-space indent, sorted keys. */
export function v2DocumentText(value: unknown): string {
  return pythonJson(value, { indent: 4, sortKeys: true });
}

export function encodeText(text: string): Uint8Array {
  return new TextEncoder().encode(text);
}
