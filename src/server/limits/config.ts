import { DEFAULT_HIERARCHY_LIMITS, type HierarchyLimits } from "../../hierarchy/catalog.js";
import { DEFAULT_VALUES_LIMITS, type ValuesLimits } from "../../values/budget.js";

/** Limits the server enforces before and around execution (the hierarchy enforces the rest). */
export interface QueryLimits {
  /** Nesting of field selections (inline fragments and spreads do not count as levels). */
  depth: number;
  /** Aliased fields in one operation. */
  aliases: number;
  /** Lexical tokens in one document. */
  tokens: number;
  /** Directives in one operation. */
  directives: number;
  /** Estimated cost of an operation with its variables (see cost.ts). */
  cost: number;
  /** Time from the start of execution by which the response is sent. */
  deadlineMs: number;
  /** Bytes of one request body. */
  bodyBytes: number;
  /** Requests one client (remote address) may make per window; null switches it off. */
  rate: { max: number; windowMs: number } | null;
}

export type Limits = HierarchyLimits & QueryLimits & ValuesLimits;

/**
 * Defaults sized so that real deep fetches pass: a whole-catalog read with
 * `members(maxDepth: null, first: 1000)` and every node field, and four levels of nested
 * `members` selections (test/limits.test.ts checks both against these values).
 */
export const DEFAULT_QUERY_LIMITS: QueryLimits = {
  // Nested members take two levels each (members, nodes): four nested levels with a codec
  // selection at the bottom reach 12.
  depth: 15,
  aliases: 30,
  // GraphiQL's introspection query is under 200 tokens; the example query about 60.
  tokens: 2_000,
  directives: 50,
  cost: 5_000_000,
  deadlineMs: 10_000,
  bodyBytes: 1024 * 1024,
  rate: null,
};

export const DEFAULT_LIMITS: Limits = {
  ...DEFAULT_HIERARCHY_LIMITS,
  ...DEFAULT_QUERY_LIMITS,
  ...DEFAULT_VALUES_LIMITS,
};
