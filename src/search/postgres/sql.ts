import type { Filter, ValueTest } from "../filter.js";
import { canonical, decimalOf, kindOf } from "../values.js";
import { numberOrderKey } from "./number-order.js";
import { MAX_CANON, storable } from "./row.js";

/**
 * A filter as a SQL condition over the nodes table. `exact` says the condition means exactly
 * what the filter does; otherwise it is a superset (it never drops a match) and each candidate's
 * record decides. Regular expressions, like patterns and case-insensitive tests are never sent to
 * PostgreSQL: its regex dialect and case rules differ from search's, so the record decides them.
 */
export interface Condition {
  sql: string;
  exact: boolean;
}

/** Collects query parameters, returning each one's placeholder. */
export class Params {
  readonly values: unknown[] = [];
  add(value: unknown, cast = ""): string {
    this.values.push(value);
    return `$${this.values.length}${cast}`;
  }
}

const TRUE: Condition = { sql: "TRUE", exact: true };
const SUPERSET: Condition = { sql: "TRUE", exact: false };
/**
 * A condition that is never NULL (NOT of NULL is NULL): every column it reads is NOT NULL, or it
 * guards the nullable ones itself. Left bare, so that PostgreSQL can serve it from an index.
 */
const leaf = (sql: string, exact = true): Condition => ({ sql: `(${sql})`, exact });

/** Whether a value holds a string anywhere (folding then changes what equals it). */
function hasString(value: unknown): boolean {
  const kind = kindOf(value);
  if (kind === "string") return true;
  if (kind === "list") return (value as unknown[]).some(hasString);
  if (kind === "object") return Object.values(value as object).some(hasString);
  return false;
}

/** The subtree at `prefix` by byte order ("a/" <= path < "a0"), so the primary key serves it. */
export function subtreeCondition(prefix: string, p: Params): string {
  if (prefix === "") return "TRUE";
  return `(path = ${p.add(prefix)} OR (path > ${p.add(`${prefix}/`)} AND path < ${p.add(`${prefix}0`)}))`;
}

export function compileFilter(filter: Filter, p: Params): Condition {
  switch (filter.op) {
    case "all":
      return TRUE;
    case "and":
    case "or": {
      const parts = filter.items.map((f) => compileFilter(f, p));
      if (parts.length === 0) return filter.op === "and" ? TRUE : { sql: "FALSE", exact: true };
      return {
        sql: `(${parts.map((c) => c.sql).join(filter.op === "and" ? " AND " : " OR ")})`,
        exact: parts.every((c) => c.exact),
      };
    }
    case "not": {
      const mark = p.values.length;
      const inner = compileFilter(filter.item, p);
      if (inner.exact) return { sql: `(NOT ${inner.sql})`, exact: true };
      // The complement of a superset is a subset: only an exact condition can be negated. The
      // inner condition's parameters go with it (PostgreSQL refuses parameters it cannot type).
      p.values.length = mark;
      return SUPERSET;
    }
    case "nodeType":
      return leaf(`node_type = ${p.add(filter.value)}`);
    case "zarrFormat":
      return leaf(`zarr_format = ${p.add(filter.value)}`);
    case "pathPrefix":
      return leaf(subtreeCondition(filter.prefix, p));
    case "name": {
      const { eq, caseSensitive, patterns } = filter.test;
      if (eq === undefined || !caseSensitive || !storable(eq)) return SUPERSET;
      return leaf(`basename = ${p.add(eq)}`, patterns.length === 0);
    }
    case "dataType": {
      const values = filter.values.filter(storable);
      return leaf(
        `data_type IS NOT NULL AND data_type = ANY(${p.add(values, "::text[]")})`,
        values.length === filter.values.length,
      );
    }
    case "ndim": {
      const parts = ["ndim IS NOT NULL"];
      if (filter.eq !== undefined) parts.push(`ndim = ${p.add(filter.eq)}`);
      if (filter.gte !== undefined) parts.push(`ndim >= ${p.add(filter.gte)}`);
      if (filter.lte !== undefined) parts.push(`ndim <= ${p.add(filter.lte)}`);
      return leaf(parts.join(" AND "));
    }
    case "dimensionName":
      return storable(filter.value) ? leaf(`dims @> ARRAY[${p.add(filter.value)}]::text[]`) : SUPERSET;
    case "attribute": {
      if (!storable(filter.key)) return SUPERSET;
      const key = p.add(filter.key);
      const parts = filter.tests.map((t) => compileTest(t, key, p));
      return {
        sql: `(${parts.map((c) => c.sql).join(" AND ")})`,
        exact: parts.every((c) => c.exact),
      };
    }
  }
}

/** One attribute test; `key` is the key's placeholder. */
function compileTest(test: ValueTest, key: string, p: Params): Condition {
  const has = `keys @> ARRAY[${key}]::text[]`;
  const present = leaf(has, false);
  // Equality by canonical text, when the value's text is short enough to be in `canon` and
  // folding cannot change it.
  const canonOf = (value: unknown, caseSensitive: boolean): string | null => {
    if (!caseSensitive && hasString(value)) return null;
    const text = canonical(value);
    return text.length <= MAX_CANON ? text : null;
  };
  switch (test.op) {
    case "exists":
      return leaf(test.value ? has : `NOT ${has}`);
    case "eq":
    case "ne": {
      const text = canonOf(test.value, test.caseSensitive);
      if (text === null) return present;
      const equal = `canon @> jsonb_build_object(${key}::text, ${p.add(text)}::text)`;
      // The value's presence in `canon` is the key's: eq needs no separate test of the key.
      return leaf(test.op === "eq" ? equal : `${has} AND NOT ${equal}`);
    }
    case "in":
    case "notIn": {
      const texts = test.values.map((v) => canonOf(v, test.caseSensitive));
      if (texts.some((t) => t === null)) return present;
      const among = `COALESCE(canon->>${key} = ANY(${p.add(texts, "::text[]")}), FALSE)`;
      return leaf(test.op === "in" ? `${has} AND ${among}` : `${has} AND NOT ${among}`);
    }
    case "lt":
    case "lte":
    case "gt":
    case "gte": {
      if (kindOf(test.value) !== "number") return present; // strings: the record decides (code points)
      const op = { lt: "<", lte: "<=", gt: ">", gte: ">=" }[test.op];
      const bound = numberOrderKey(decimalOf(test.value));
      if (bound === null) return leaf("FALSE");
      return leaf(`${has} AND COALESCE((nums->>${key}) COLLATE "C" ${op} ${p.add(bound)}::text COLLATE "C", FALSE)`);
    }
    default:
      // contains and patterns: the record decides.
      return present;
  }
}
