import { isLosslessNumber, LosslessNumber, stringify } from "lossless-json";
import { FloatLiteral } from "./float-literal.js";

/**
 * Lossless JSON for metadata documents. Numbers whose text does not survive a trip through a
 * double (int64 fill values, "1.0", long decimals) stay LosslessNumber and are written back
 * digit for digit; bare NaN / Infinity (zarr-python 2 writes them into attribute files) become
 * NonFinite and are written back bare.
 */

export { isLosslessNumber, LosslessNumber };

/** A bare NaN / Infinity / -Infinity token, written back bare. */
export class NonFinite {
  constructor(readonly value: "NaN" | "Infinity" | "-Infinity") {}
  toString(): string {
    return this.value;
  }
  valueOf(): number {
    return Number(this.value);
  }
}

export type JsonValue = null | boolean | number | string | LosslessNumber | NonFinite | JsonValue[] | JsonObject;
export interface JsonObject {
  [key: string]: JsonValue;
}

export class JsonSyntaxError extends Error {
  override name = "JsonSyntaxError";
}

/** Deeper than this is not metadata; refusing early keeps the recursive parser off the stack limit. */
export const MAX_JSON_DEPTH = 256;

/**
 * Whether a number token must stay a LosslessNumber: its text does not survive a trip through a
 * double ("1.0", long decimals), or it is an integer beyond ±2^53 that may print back the same
 * ("1152921504606847000") while holding another value.
 */
function needsLossless(token: string): boolean {
  if (token.length <= 15 && !/[.eE]/.test(token) && token !== "-0") return false;
  const n = Number(token);
  return String(n) !== token || (Number.isInteger(n) && !Number.isSafeInteger(n) && /^-?\d+$/.test(token));
}

const JSON_NUMBER = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?$/;

const NON_FINITE = ["NaN", "Infinity", "-Infinity"] as const;

/**
 * Scans once, outside strings, for nesting depth, bare NaN / Infinity and numbers a double
 * cannot hold, and rewrites those tokens into marker strings (`"\u0000<marker><token>"`) so the
 * engine's own JSON.parse, several times faster than a parser written in JavaScript, reads the
 * rest. Returns the text unchanged when there is nothing to rewrite.
 */
function preprocess(text: string, marker: string): { text: string; markers: number } {
  let depth = 0;
  let out: string[] | null = null;
  let last = 0;
  let markers = 0;
  const mark = (from: number, to: number, token: string) => {
    out ??= [];
    out.push(text.slice(last, from), '"\\u0000', marker, token, '"');
    last = to;
    markers++;
  };
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 34 /* " */) {
      // Jump to the closing quote: the one not escaped by an odd run of backslashes.
      let end = text.indexOf('"', i + 1);
      while (end !== -1) {
        let slashes = 0;
        while (text.charCodeAt(end - 1 - slashes) === 92 /* \ */) slashes++;
        if (slashes % 2 === 0) break;
        end = text.indexOf('"', end + 1);
      }
      if (end === -1) break; // unterminated: JSON.parse says so
      i = end;
    } else if (c === 123 || c === 91) {
      if (++depth > MAX_JSON_DEPTH) throw new JsonSyntaxError(`nesting deeper than ${MAX_JSON_DEPTH} levels`);
    } else if (c === 125 || c === 93) depth--;
    else if (c === 78 /* N */ || c === 73 /* I */ || (c === 45 /* - */ && text.charCodeAt(i + 1) === 73)) {
      const token = NON_FINITE.find((t) => text.startsWith(t, i));
      if (token) {
        mark(i, i + token.length, token);
        i += token.length - 1;
      }
    } else if (c === 45 || (c >= 48 && c <= 57)) {
      let end = i + 1;
      let integer = true;
      for (; end < text.length; end++) {
        const d = text.charCodeAt(end);
        if (d === 46 || d === 101 || d === 69) integer = false;
        else if (!((d >= 48 && d <= 57) || d === 43 || d === 45)) break;
      }
      // Most numbers are short integers, which a double holds exactly: no token to look at
      // (needsLossless's own first rule, without cutting the token out). "-0" is not one.
      const minusZero = end - i === 2 && c === 45 && text.charCodeAt(i + 1) === 48;
      if (!integer || end - i > 15 || minusZero) {
        const token = text.slice(i, end);
        // A malformed token is left for JSON.parse to refuse.
        if (needsLossless(token) && JSON_NUMBER.test(token)) mark(i, end, token);
      }
      i = end - 1;
    }
  }
  if (!out) return { text, markers: 0 };
  (out as string[]).push(text.slice(last));
  return { text: (out as string[]).join(""), markers };
}

/** Replaces marker strings (see preprocess) by the values they stand for, in place. */
function revive(value: unknown, marker: string): unknown {
  if (typeof value === "string") {
    if (value.charCodeAt(0) !== 0 || !value.startsWith(marker, 1)) return value;
    const token = value.slice(marker.length + 1);
    return (NON_FINITE as readonly string[]).includes(token)
      ? new NonFinite(token as NonFinite["value"])
      : new LosslessNumber(token);
  }
  if (value === null || typeof value !== "object") return value;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const item = value[i];
      if (typeof item === "string" || (item !== null && typeof item === "object")) value[i] = revive(item, marker);
    }
    return value;
  }
  const object = value as Record<string, unknown>;
  for (const key of Object.keys(object)) {
    const item = object[key];
    if (typeof item === "string" || (item !== null && typeof item === "object")) object[key] = revive(item, marker);
  }
  return value;
}

let markerCounter = 0;

/** Parses a JSON document losslessly. Throws JsonSyntaxError with a readable reason. */
export function parseJson(input: string | Uint8Array): JsonValue {
  let text: string;
  try {
    text = typeof input === "string" ? input : new TextDecoder("utf-8", { fatal: true }).decode(input);
  } catch {
    throw new JsonSyntaxError("not valid UTF-8");
  }
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  const marker = `zarr-graphql:${++markerCounter}:`;
  const prepared = preprocess(text, marker);
  let value: unknown;
  try {
    // JSON.parse, like Python's json, keeps the last of duplicate keys.
    value = JSON.parse(prepared.text);
  } catch (error) {
    throw new JsonSyntaxError((error as Error).message);
  }
  return (prepared.markers > 0 ? revive(value, marker) : value) as JsonValue;
}

/** Serialises losslessly, with zarr-python's 2-space indentation by default. */
export function stringifyJson(value: unknown, indent: number | undefined = 2): string {
  // lossless-json refuses non-number text from a number stringifier, so bare tokens go out as
  // marker strings and are unquoted afterwards.
  const marker = `\u0000nonfinite:${++markerCounter}:`;
  let found = false;
  const text =
    stringify(
      value,
      (_key, v) => {
        if (v instanceof NonFinite) {
          found = true;
          return `${marker}${v.value}`;
        }
        return v;
      },
      indent,
    ) ?? "null";
  if (!found) return text;
  const quotedMarker = JSON.stringify(marker).slice(1, -1);
  return text.replace(new RegExp(`"${escapeRegExp(quotedMarker)}(NaN|Infinity|-Infinity)"`, "g"), "$1");
}

export function isJsonObject(value: unknown): value is JsonObject {
  return typeof value === "object" && value !== null && !Array.isArray(value) && !isLosslessNumber(value);
}

/** The number a JSON number holds, for arithmetic (shapes); NaN for anything else. */
export function toNumber(value: unknown): number {
  if (typeof value === "number") return value;
  if (value instanceof LosslessNumber || value instanceof NonFinite) return Number(value.valueOf());
  return Number.NaN;
}

/** A non-negative safe integer, or undefined. */
export function toIndex(value: unknown): number | undefined {
  const n = toNumber(value);
  return Number.isSafeInteger(n) && n >= 0 ? n : undefined;
}

const INTEGER = /^-?\d+$/;

/**
 * A plain JavaScript value for the API's JSON output: integers beyond ±2^53 become exact
 * decimal strings, non-finite numbers their names, numbers written as floats with an integral
 * value FloatLiterals (so that they are written as floats: 1.0, 1e+20), other numbers plain
 * numbers (JavaScript already writes a non-integral double as a float literal).
 */
export function toOutputJson(value: unknown): unknown {
  // Documents shared between requests are frozen: one that needs no conversion (most
  // attributes) is its own output, and the others are converted once.
  if (value !== null && typeof value === "object" && Object.isFrozen(value)) {
    if (isPlainOutput(value)) return value;
    let out = outputs.get(value);
    if (out === undefined) {
      out = convertOutput(value);
      outputs.set(value, out);
    }
    return out;
  }
  return convertOutput(value);
}

const outputs = new WeakMap<object, unknown>();

/** Whether a value is already what toOutputJson makes of it: plain JSON, finite numbers, no lossless or bare tokens. */
function isPlainOutput(value: unknown): boolean {
  if (value === null) return true;
  switch (typeof value) {
    case "string":
    case "boolean":
      return true;
    case "number":
      return Number.isFinite(value);
    case "object":
      break;
    default:
      return false;
  }
  if (Array.isArray(value)) {
    for (const item of value) if (!isPlainOutput(item)) return false;
    return true;
  }
  if (Object.getPrototypeOf(value) !== Object.prototype) return false;
  const record = value as Record<string, unknown>;
  for (const key in record) if (!isPlainOutput(record[key])) return false;
  return true;
}

function convertOutput(value: unknown): unknown {
  if (value === null || typeof value !== "object") {
    if (typeof value === "bigint") return value.toString();
    if (typeof value === "number" && !Number.isFinite(value)) {
      return Number.isNaN(value) ? "NaN" : value > 0 ? "Infinity" : "-Infinity";
    }
    return value;
  }
  if (value instanceof NonFinite) return value.value;
  if (value instanceof LosslessNumber) {
    const text = value.toString();
    const n = Number(text);
    if (INTEGER.test(text)) return Number.isSafeInteger(n) ? n : BigInt(text).toString();
    if (/^-?\d+(\.\d*)?[eE][+-]?\d+$|^-?\d+\.\d*$/.test(text)) {
      if (!Number.isFinite(n)) return n > 0 ? "Infinity" : "-Infinity";
      return Number.isInteger(n) ? new FloatLiteral(n) : n;
    }
    return text;
  }
  if (Array.isArray(value)) return value.map(toOutputJson);
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) out[k] = toOutputJson(v);
  return out;
}

/**
 * The inverse for inputs: a value from GraphQL (where big integers arrive as decimal strings
 * only where the caller says a number is meant) back into lossless JSON.
 */
export function fromInputJson(value: unknown): JsonValue {
  if (value === null || value === undefined) return null;
  if (typeof value === "bigint") return new LosslessNumber(value.toString());
  if (typeof value === "number") {
    if (Number.isNaN(value)) return "NaN";
    if (!Number.isFinite(value)) return value > 0 ? "Infinity" : "-Infinity";
    return value;
  }
  if (typeof value === "string" || typeof value === "boolean") return value;
  if (Array.isArray(value)) return value.map(fromInputJson);
  if (value instanceof LosslessNumber || value instanceof NonFinite) return value;
  const out: JsonObject = {};
  for (const [k, v] of Object.entries(value as object)) out[k] = fromInputJson(v);
  return out;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
