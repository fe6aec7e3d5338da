import { BadInputError } from "../hierarchy/errors.js";
import type { JsonValue } from "../hierarchy/json.js";
import { normalizePath } from "../hierarchy/paths.js";
import { PatternError, pattern, type StringPattern } from "./strings.js";
import { keySegments, kindOf } from "./values.js";

/**
 * The filter language: a NodeFilter as the API takes it, parsed and checked once into a typed
 * filter that both indexes and the live re-check evaluate.
 */

export type ValueTest =
  | { op: "exists"; value: boolean }
  | { op: "eq" | "ne" | "contains"; value: JsonValue; caseSensitive: boolean }
  | { op: "in" | "notIn"; values: JsonValue[]; caseSensitive: boolean }
  | { op: "lt" | "lte" | "gt" | "gte"; value: JsonValue }
  | { op: "pattern"; pattern: StringPattern };

export interface StringTest {
  eq?: string;
  caseSensitive: boolean;
  patterns: StringPattern[];
}

export type Filter =
  | { op: "all" }
  | { op: "and" | "or"; items: Filter[] }
  | { op: "not"; item: Filter }
  | { op: "nodeType"; value: "group" | "array" }
  | { op: "zarrFormat"; value: number }
  | { op: "pathPrefix"; prefix: string }
  | { op: "name"; test: StringTest }
  | { op: "attribute"; key: string; segments: string[]; tests: ValueTest[] }
  | { op: "dataType"; values: string[] }
  | { op: "ndim"; eq?: number; gte?: number; lte?: number }
  | { op: "dimensionName"; value: string };

/** The input as GraphQL hands it over (absent fields undefined, explicit ones possibly null). */
export interface NodeFilterInput {
  and?: NodeFilterInput[] | null;
  or?: NodeFilterInput[] | null;
  not?: NodeFilterInput | null;
  nodeType?: "GROUP" | "ARRAY" | null;
  zarrFormat?: number | null;
  pathPrefix?: string | null;
  name?: StringMatchInput | null;
  attribute?: AttributeMatchInput | null;
  dataType?: string[] | null;
  ndim?: { eq?: number | null; gte?: number | null; lte?: number | null } | null;
  dimensionName?: string | null;
}

export interface StringMatchInput {
  eq?: string | null;
  like?: string | null;
  regex?: string | null;
  caseSensitive?: boolean | null;
}

export interface AttributeMatchInput {
  key: string;
  eq?: unknown;
  ne?: unknown;
  in?: unknown[] | null;
  notIn?: unknown[] | null;
  lt?: unknown;
  lte?: unknown;
  gt?: unknown;
  gte?: unknown;
  contains?: unknown;
  exists?: boolean | null;
  like?: string | null;
  regex?: string | null;
  caseSensitive?: boolean | null;
}

/** Nesting and size bounds: a filter is a request, and requests are bounded. */
export const MAX_FILTER_DEPTH = 32;
export const MAX_FILTER_CONDITIONS = 1_000;

const given = <T>(value: T | null | undefined): value is T => value !== null && value !== undefined;

class Parser {
  private conditions = 0;

  node(input: NodeFilterInput | null | undefined, at: string, depth: number): Filter {
    if (!given(input)) return { op: "all" };
    if (depth > MAX_FILTER_DEPTH) {
      throw new BadInputError(`${at}: filters nest at most ${MAX_FILTER_DEPTH} levels deep`);
    }
    const items: Filter[] = [];
    const add = (filter: Filter) => {
      if (++this.conditions > MAX_FILTER_CONDITIONS) {
        throw new BadInputError(`filter: at most ${MAX_FILTER_CONDITIONS} conditions`);
      }
      items.push(filter);
    };
    if (given(input.and))
      add({ op: "and", items: input.and.map((f, i) => this.node(f, `${at}.and[${i}]`, depth + 1)) });
    if (given(input.or)) add({ op: "or", items: input.or.map((f, i) => this.node(f, `${at}.or[${i}]`, depth + 1)) });
    if (given(input.not)) add({ op: "not", item: this.node(input.not, `${at}.not`, depth + 1) });
    if (given(input.nodeType)) add({ op: "nodeType", value: input.nodeType === "GROUP" ? "group" : "array" });
    if (given(input.zarrFormat)) add({ op: "zarrFormat", value: input.zarrFormat });
    if (given(input.pathPrefix)) add({ op: "pathPrefix", prefix: normalizePath(input.pathPrefix) });
    if (given(input.name)) add({ op: "name", test: this.stringTest(input.name, `${at}.name`) });
    if (given(input.attribute)) add(this.attribute(input.attribute, `${at}.attribute`));
    if (given(input.dataType)) add({ op: "dataType", values: input.dataType });
    if (given(input.ndim)) {
      const { eq, gte, lte } = input.ndim;
      add({ op: "ndim", ...(given(eq) ? { eq } : {}), ...(given(gte) ? { gte } : {}), ...(given(lte) ? { lte } : {}) });
    }
    if (given(input.dimensionName)) add({ op: "dimensionName", value: input.dimensionName });
    if (items.length === 0) return { op: "all" };
    return items.length === 1 ? items[0] : { op: "and", items };
  }

  private compile(kind: "like" | "regex", source: string, caseSensitive: boolean, at: string): StringPattern {
    try {
      return pattern(kind, source, caseSensitive);
    } catch (error) {
      if (error instanceof PatternError) throw new BadInputError(`${at}.${kind}: ${error.message}`);
      throw error;
    }
  }

  private stringTest(input: StringMatchInput, at: string): StringTest {
    const caseSensitive = input.caseSensitive ?? true;
    const patterns: StringPattern[] = [];
    if (given(input.like)) patterns.push(this.compile("like", input.like, caseSensitive, at));
    if (given(input.regex)) patterns.push(this.compile("regex", input.regex, caseSensitive, at));
    return { ...(given(input.eq) ? { eq: input.eq } : {}), caseSensitive, patterns };
  }

  private attribute(input: AttributeMatchInput, at: string): Filter {
    const caseSensitive = input.caseSensitive ?? true;
    const tests: ValueTest[] = [];
    const has = (field: keyof AttributeMatchInput) => Object.hasOwn(input, field) && input[field] !== undefined;
    for (const op of ["eq", "ne", "contains"] as const) {
      if (has(op)) tests.push({ op, value: jsonInput(input[op], `${at}.${op}`), caseSensitive });
    }
    for (const op of ["in", "notIn"] as const) {
      const values = input[op];
      if (given(values)) {
        tests.push({ op, values: values.map((v, i) => jsonInput(v, `${at}.${op}[${i}]`)), caseSensitive });
      }
    }
    for (const op of ["lt", "lte", "gt", "gte"] as const) {
      if (!given(input[op])) continue;
      const value = jsonInput(input[op], `${at}.${op}`);
      const kind = kindOf(value);
      if (kind !== "number" && kind !== "string") {
        throw new BadInputError(
          `${at}.${op}: compare with a number or a string, not ${kind === "list" ? "a list" : kind}`,
        );
      }
      tests.push({ op, value });
    }
    if (given(input.exists)) tests.push({ op: "exists", value: input.exists });
    if (given(input.like)) tests.push({ op: "pattern", pattern: this.compile("like", input.like, caseSensitive, at) });
    if (given(input.regex))
      tests.push({ op: "pattern", pattern: this.compile("regex", input.regex, caseSensitive, at) });
    // A key alone asks that the node has it.
    if (tests.length === 0) tests.push({ op: "exists", value: true });
    return { op: "attribute", key: input.key, segments: keySegments(input.key), tests };
  }
}

/** A JSON input value as search holds it; anything JSON cannot say is refused. */
function jsonInput(value: unknown, at: string, depth = 0): JsonValue {
  if (depth > MAX_FILTER_DEPTH) throw new BadInputError(`${at}: value nests too deeply`);
  const kind = kindOf(value);
  if (value === undefined) throw new BadInputError(`${at}: missing value`);
  if (kind === "number" && typeof value === "number" && !Number.isFinite(value)) {
    throw new BadInputError(`${at}: not a finite number`);
  }
  if (kind === "list") return (value as unknown[]).map((v, i) => jsonInput(v, `${at}[${i}]`, depth + 1));
  if (kind === "object" && isPlainObject(value)) {
    const out: Record<string, JsonValue> = {};
    for (const [k, v] of Object.entries(value)) out[k] = jsonInput(v, `${at}.${k}`, depth + 1);
    return out;
  }
  if (kind === "object") throw new BadInputError(`${at}: not a JSON value`);
  return value as JsonValue;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== "object" || value === null) return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/** Parses and checks a NodeFilter; BAD_USER_INPUT naming the field on any problem. */
export function parseFilter(input: NodeFilterInput | null | undefined, at = "filter"): Filter {
  return new Parser().node(input, at, 0);
}
