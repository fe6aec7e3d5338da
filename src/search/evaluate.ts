import type { JsonValue } from "../hierarchy/json.js";
import type { Filter, StringTest, ValueTest } from "./filter.js";
import { nameOf, type SearchRecord } from "./record.js";
import { compareCodePoints, fold, testPattern } from "./strings.js";
import { recordWords } from "./text.js";
import { compareDecimals, decimalOf, jsonEquals, kindOf, resolve } from "./values.js";

/**
 * The filter language's meaning, on one node. Every index answers exactly what this says: they
 * narrow candidates their own way and then ask this function.
 */

export function inSubtree(path: string, prefix: string): boolean {
  return prefix === "" || path === prefix || path.startsWith(`${prefix}/`);
}

function testString(test: StringTest, text: string): boolean {
  if (test.eq !== undefined && (test.caseSensitive ? text !== test.eq : fold(text) !== fold(test.eq))) return false;
  return test.patterns.every((p) => testPattern(p, text));
}

function compare(value: JsonValue, bound: JsonValue): number | null {
  const kind = kindOf(bound);
  if (kindOf(value) !== kind) return null;
  if (kind === "number") return compareDecimals(decimalOf(value), decimalOf(bound));
  return compareCodePoints(value as string, bound as string);
}

function testValue(test: ValueTest, found: boolean, value: JsonValue | undefined): boolean {
  if (test.op === "exists") return found === test.value;
  // Every other test needs the key: comparisons never match a missing one, ne and notIn included.
  if (!found) return false;
  const v = value as JsonValue;
  switch (test.op) {
    case "eq":
      return jsonEquals(v, test.value, test.caseSensitive ? undefined : fold);
    case "ne":
      return !jsonEquals(v, test.value, test.caseSensitive ? undefined : fold);
    case "in":
      return test.values.some((x) => jsonEquals(v, x, test.caseSensitive ? undefined : fold));
    case "notIn":
      return !test.values.some((x) => jsonEquals(v, x, test.caseSensitive ? undefined : fold));
    case "contains": {
      const kind = kindOf(v);
      if (kind === "list") {
        return (v as JsonValue[]).some((x) => jsonEquals(x, test.value, test.caseSensitive ? undefined : fold));
      }
      if (kind === "string" && kindOf(test.value) === "string") {
        const needle = test.value as string;
        return test.caseSensitive ? (v as string).includes(needle) : fold(v as string).includes(fold(needle));
      }
      return false;
    }
    case "lt":
    case "lte":
    case "gt":
    case "gte": {
      const order = compare(v, test.value);
      if (order === null) return false;
      return test.op === "lt" ? order < 0 : test.op === "lte" ? order <= 0 : test.op === "gt" ? order > 0 : order >= 0;
    }
    case "pattern":
      return kindOf(v) === "string" && testPattern(test.pattern, v as string);
  }
}

/** Whether the node satisfies the filter. */
export function matches(filter: Filter, record: SearchRecord): boolean {
  switch (filter.op) {
    case "all":
      return true;
    case "and":
      return filter.items.every((f) => matches(f, record));
    case "or":
      return filter.items.some((f) => matches(f, record));
    case "not":
      return !matches(filter.item, record);
    case "nodeType":
      return record.nodeType === filter.value;
    case "zarrFormat":
      return record.zarrFormat === filter.value;
    case "pathPrefix":
      return inSubtree(record.path, filter.prefix);
    case "name":
      return testString(filter.test, nameOf(record));
    case "attribute": {
      const { found, value } = resolve(record.attributes, filter.segments);
      return filter.tests.every((t) => testValue(t, found, value));
    }
    case "dataType":
      return typeof record.dataType === "string" && filter.values.includes(record.dataType);
    case "ndim": {
      const n = record.ndim;
      if (n === null) return false;
      return (
        (filter.eq === undefined || n === filter.eq) &&
        (filter.gte === undefined || n >= filter.gte) &&
        (filter.lte === undefined || n <= filter.lte)
      );
    }
    case "dimensionName":
      return record.dimensionNames?.includes(filter.value) ?? false;
  }
}

/** A search: the filter and the words that must all occur. */
export interface Query {
  filter: Filter;
  words: string[];
}

/** Whether the node answers the query; `wordsOf` may hand over words already computed. */
export function answers(query: Query, record: SearchRecord, wordsOf?: Set<string>): boolean {
  if (!matches(query.filter, record)) return false;
  if (query.words.length === 0) return true;
  const have = wordsOf ?? recordWords(record);
  return query.words.every((w) => have.has(w));
}
