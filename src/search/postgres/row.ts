import { stringifyJson } from "../../hierarchy/json.js";
import { nameOf, type SearchRecord } from "../record.js";
import { recordWords } from "../text.js";
import { attributePaths, canonical, decimalOf, kindOf } from "../values.js";
import { numberOrderKey } from "./number-order.js";

/**
 * Lists and objects whose canonical text is longer are not in `canon` (their texts repeat their
 * members', which are there): equality with a longer value is decided by the record.
 */
export const MAX_CANON = 2_048;

/** The columns of one node's row, in the order of COLUMNS. */
export const COLUMNS = [
  "catalog",
  "path",
  "version",
  "node_type",
  "zarr_format",
  "basename",
  "ndim",
  "data_type",
  "data_type_canon",
  "dims",
  "words",
  "keys",
  "canon",
  "nums",
] as const;

/** The record as the records table holds it. */
export function recordText(record: SearchRecord): string {
  return stringifyJson(record, undefined);
}

// biome-ignore lint/suspicious/noControlCharactersInRegex: NUL is what PostgreSQL text cannot hold
const UNSAFE = /\u0000|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/**
 * Whether PostgreSQL stores the string as it is: text cannot hold NUL, and a lone surrogate
 * would arrive as U+FFFD. Such keys, names and types stay out of the columns, and filters that
 * name one are decided by the record alone (see sql.ts).
 */
export function storable(text: string): boolean {
  return !UNSAFE.test(text);
}

export function rowOf(record: SearchRecord): unknown[] {
  const keys: string[] = [];
  const canon: Record<string, string> = {};
  const nums: Record<string, string> = {};
  for (const [key, value] of attributePaths(record.attributes)) {
    if (!storable(key)) continue;
    keys.push(key);
    const kind = kindOf(value);
    const text = canonical(value);
    if (text.length <= MAX_CANON || (kind !== "list" && kind !== "object")) canon[key] = text;
    if (kind === "number") {
      const order = numberOrderKey(decimalOf(value));
      if (order !== null) nums[key] = order;
    }
  }
  return [
    record.catalog,
    record.path,
    record.version,
    record.nodeType,
    record.zarrFormat,
    nameOf(record),
    record.ndim,
    typeof record.dataType === "string" && storable(record.dataType) ? record.dataType : null,
    record.dataType === undefined ? null : canonical(record.dataType),
    (record.dimensionNames ?? []).filter((n): n is string => n !== null && storable(n)),
    [...recordWords(record)],
    keys,
    JSON.stringify(canon),
    JSON.stringify(nums),
  ];
}
