import { MAX_PAGE_SIZE } from "../resolvers/nodes.js";

/**
 * Complexity declarations (read by the cost limit, src/server/limits/cost.ts). A field's
 * `field` weight is the work it does once per object it is selected on; its `multiplier` is how
 * many objects its selection runs on.
 */

/** The weight of a walk that may visit everything (maxDepth: null), up to the node budget. */
export const WALK_ALL = 1_000;

/** A walk of `maxDepth` more levels below the group: one unit per level; null walks it all. */
export function walkWeight(maxDepth: unknown): number {
  if (maxDepth === null) return WALK_ALL;
  if (typeof maxDepth !== "number" || !Number.isInteger(maxDepth) || maxDepth < 0) return 1;
  return Math.min(maxDepth + 1, WALK_ALL);
}

/**
 * `members`: the walk, then a page of up to `first` nodes that the selection runs on. Out-of-range
 * values cost as the nearest valid one, so the resolver, not the cost limit, reports them.
 */
export function membersComplexity(args: { maxDepth?: unknown; first?: number | null }) {
  const first = args.first ?? 100;
  const page = Number.isFinite(first) ? Math.min(Math.max(Math.trunc(first), 0), MAX_PAGE_SIZE) : MAX_PAGE_SIZE;
  return { field: walkWeight(args.maxDepth), multiplier: page };
}

/** A connection's nodes and edges: `members` already multiplied by the page size. */
export const PAGE_ITEMS = { field: 1, multiplier: 1 };

/** `search`: costed as a walk of everything (`members(maxDepth: null)`), its selection on `first` hits. */
export function searchComplexity(args: { first?: number | null }) {
  return membersComplexity({ maxDepth: null, first: args.first });
}

/**
 * Array values read chunks: `values` costs by the elements it may return, `preview` by the
 * pixels it may draw, `extent` as a read of a whole coordinate. Out-of-range arguments cost as
 * the nearest valid value; the resolvers report them.
 */
export function valuesComplexity(args: { maxElements?: number | null }): number {
  const max = args.maxElements ?? 10_000;
  return 10 + Math.ceil(Math.min(Math.max(Number.isFinite(max) ? max : 0, 0), 10_000_000) / 100);
}

export function previewComplexity(args: { width?: number | null; height?: number | null }): number {
  const side = (n: number | null | undefined) => Math.min(Math.max(n ?? 256, 1), 4096);
  return 10 + Math.ceil((side(args.width) * side(args.height)) / 1000);
}

export const EXTENT_COST = 100;
