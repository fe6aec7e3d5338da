import { isLosslessNumber, type JsonObject, type JsonValue, NonFinite } from "../hierarchy/json.js";
import { compareCodePoints } from "./strings.js";

/**
 * JSON values as search compares them. Numbers compare by their exact decimal value, whatever
 * holds them (a double, a LosslessNumber keeping int64 digits, a bigint, NaN / Infinity), so
 * `1` equals `1.0` and 9007199254740993 differs from 9007199254740992. Strings compare by code
 * point. Values of different kinds never compare equal.
 */

export type Kind = "null" | "boolean" | "number" | "string" | "list" | "object";

export function kindOf(value: unknown): Kind {
  if (value === null) return "null";
  if (typeof value === "boolean") return "boolean";
  if (typeof value === "string") return "string";
  if (typeof value === "number" || typeof value === "bigint" || isLosslessNumber(value) || value instanceof NonFinite) {
    return "number";
  }
  if (Array.isArray(value)) return "list";
  return "object";
}

/** A number's exact value: sign × digits × 10^exp, digits without leading or trailing zeros. */
export type Decimal =
  | { finite: true; sign: -1 | 0 | 1; digits: string; exp: number }
  | { finite: false; nan: true }
  | { finite: false; nan: false; sign: -1 | 1 };

const NUMBER_TEXT = /^(-)?(\d+)(?:\.(\d+))?(?:[eE]([+-]?\d+))?$/;

export function decimalOf(value: unknown): Decimal {
  const text =
    typeof value === "number" || typeof value === "bigint"
      ? String(value)
      : (value as { toString(): string }).toString();
  if (text === "NaN") return { finite: false, nan: true };
  if (text === "Infinity" || text === "-Infinity") return { finite: false, nan: false, sign: text[0] === "-" ? -1 : 1 };
  const m = NUMBER_TEXT.exec(text);
  if (!m) return { finite: false, nan: true };
  const whole = `${m[2]}${m[3] ?? ""}`;
  let exp = Number(m[4] ?? 0) - (m[3]?.length ?? 0);
  let start = 0;
  while (start < whole.length && whole[start] === "0") start++;
  let end = whole.length;
  while (end > start && whole[end - 1] === "0") {
    end--;
    exp++;
  }
  if (start === end) return { finite: true, sign: 0, digits: "", exp: 0 };
  return { finite: true, sign: m[1] ? -1 : 1, digits: whole.slice(start, end), exp };
}

/** -1, 0 or 1; null when the two cannot be ordered (NaN). */
export function compareDecimals(a: Decimal, b: Decimal): number | null {
  if ((!a.finite && a.nan) || (!b.finite && b.nan)) return null;
  const rank = (d: Decimal) => (d.finite ? 0 : (d as { sign: number }).sign);
  const ra = rank(a);
  const rb = rank(b);
  if (ra !== rb || ra !== 0) return Math.sign(ra - rb);
  const x = a as Extract<Decimal, { finite: true }>;
  const y = b as Extract<Decimal, { finite: true }>;
  if (x.sign !== y.sign) return Math.sign(x.sign - y.sign);
  if (x.sign === 0) return 0;
  // Same sign: the magnitude with the higher leading digit position is larger, then digit by digit.
  const magnitude =
    x.digits.length + x.exp !== y.digits.length + y.exp
      ? Math.sign(x.digits.length + x.exp - (y.digits.length + y.exp))
      : x.digits < y.digits
        ? -1
        : x.digits > y.digits
          ? 1
          : 0;
  return magnitude * x.sign;
}

/** A number in canonical JSON text: one spelling per value. */
function canonicalNumber(d: Decimal): string {
  if (!d.finite) return d.nan ? "NaN" : d.sign < 0 ? "-Infinity" : "Infinity";
  if (d.sign === 0) return "0";
  const sign = d.sign < 0 ? "-" : "";
  const point = d.digits.length + d.exp;
  if (d.exp >= 0 && point <= 40) return `${sign}${d.digits}${"0".repeat(d.exp)}`;
  if (d.exp < 0 && point > 0) return `${sign}${d.digits.slice(0, point)}.${d.digits.slice(point)}`;
  if (d.exp < 0 && point > -6) return `${sign}0.${"0".repeat(-point)}${d.digits}`;
  return `${sign}${d.digits}e${d.exp}`;
}

/**
 * One text per value under search's equality: numbers by value, object keys sorted, strings
 * as JSON strings (optionally case-folded). Equal values have equal texts; NaN's text equals
 * itself (facets count NaN as one value) although NaN equals nothing.
 */
export function canonical(value: unknown, fold?: (s: string) => string): string {
  switch (kindOf(value)) {
    case "null":
      return "null";
    case "boolean":
      return value ? "true" : "false";
    case "number":
      return canonicalNumber(decimalOf(value));
    case "string":
      return JSON.stringify(fold ? fold(value as string) : value);
    case "list":
      return `[${(value as unknown[]).map((v) => canonical(v, fold)).join(",")}]`;
    default: {
      const object = value as Record<string, unknown>;
      const keys = Object.keys(object).sort(compareCodePoints);
      return `{${keys.map((k) => `${JSON.stringify(k)}:${canonical(object[k], fold)}`).join(",")}}`;
    }
  }
}

/** Search's equality: same kind, numbers by value (NaN equals nothing), strings (folded when asked), deep. */
export function jsonEquals(a: unknown, b: unknown, fold?: (s: string) => string): boolean {
  const kind = kindOf(a);
  if (kind !== kindOf(b)) return false;
  switch (kind) {
    case "null":
      return true;
    case "boolean":
      return a === b;
    case "number":
      return compareDecimals(decimalOf(a), decimalOf(b)) === 0;
    case "string":
      return fold ? fold(a as string) === fold(b as string) : a === b;
    case "list": {
      const x = a as unknown[];
      const y = b as unknown[];
      return x.length === y.length && x.every((v, i) => jsonEquals(v, y[i], fold));
    }
    default: {
      const x = a as Record<string, unknown>;
      const y = b as Record<string, unknown>;
      const keys = Object.keys(x);
      if (keys.length !== Object.keys(y).length) return false;
      return keys.every((k) => Object.hasOwn(y, k) && jsonEquals(x[k], y[k], fold));
    }
  }
}

const KIND_RANK: Record<Kind, number> = { null: 0, boolean: 1, number: 2, string: 3, list: 4, object: 5 };

/**
 * A total order for facet ties: null, false, true, numbers ascending (NaN last), strings by code
 * point, lists, objects (these two by canonical text).
 */
export function compareValues(a: unknown, b: unknown): number {
  const ka = kindOf(a);
  const kb = kindOf(b);
  if (ka !== kb) return KIND_RANK[ka] - KIND_RANK[kb];
  switch (ka) {
    case "null":
      return 0;
    case "boolean":
      return Number(a) - Number(b);
    case "number": {
      const x = decimalOf(a);
      const y = decimalOf(b);
      const order = compareDecimals(x, y);
      if (order !== null) return order;
      const nan = (d: Decimal) => (!d.finite && d.nan ? 1 : 0);
      return nan(x) - nan(y);
    }
    case "string":
      return compareCodePoints(a as string, b as string);
    default:
      return compareCodePoints(canonical(a), canonical(b));
  }
}

/** An attribute key as path segments: "sample.name" -> ["sample", "name"]. */
export function keySegments(key: string): string[] {
  return key.split(".");
}

const INDEX = /^(0|[1-9]\d*)$/;

/** The value at a dotted path: objects by key, lists by decimal index ("0", never "00"). */
export function resolve(attributes: JsonObject, segments: readonly string[]): { found: boolean; value?: JsonValue } {
  let current: JsonValue = attributes;
  for (const segment of segments) {
    if (Array.isArray(current)) {
      if (!INDEX.test(segment)) return { found: false };
      const i = Number(segment);
      if (i >= current.length) return { found: false };
      current = current[i];
    } else if (kindOf(current) === "object") {
      const object = current as JsonObject;
      if (!Object.hasOwn(object, segment)) return { found: false };
      current = object[segment];
    } else {
      return { found: false };
    }
  }
  return { found: true, value: current };
}

/**
 * Every dotted path that resolves in `attributes`, with its value, outermost first. Keys that
 * hold a "." cannot be reached by a dotted path and are left out, with everything below them.
 */
export function* attributePaths(attributes: JsonObject): Generator<[string, JsonValue]> {
  const stack: [string, JsonValue][] = [];
  for (const key of Object.keys(attributes).reverse()) {
    if (!key.includes(".")) stack.push([key, attributes[key]]);
  }
  while (stack.length > 0) {
    const [path, value] = stack.pop()!;
    yield [path, value];
    if (Array.isArray(value)) {
      for (let i = value.length - 1; i >= 0; i--) stack.push([`${path}.${i}`, value[i]]);
    } else if (kindOf(value) === "object") {
      const object = value as JsonObject;
      for (const key of Object.keys(object).reverse()) {
        if (!key.includes(".")) stack.push([`${path}.${key}`, object[key]]);
      }
    }
  }
}
