import type { Catalog } from "../hierarchy/catalog.js";
import { BadInputError, NotFoundError } from "../hierarchy/errors.js";
import { toOutputJson } from "../hierarchy/json.js";
import type { Codec } from "../hierarchy/metadata.js";
import { compareCodePoints, joinPath, normalizePath, parentPath } from "../hierarchy/paths.js";
import {
  type CatalogSession,
  type ConsolidatedMode,
  ConsolidatedRequiredError,
  type MemberResult,
  type ZarrNodeRef,
} from "../hierarchy/session.js";
import { renderTree } from "../hierarchy/tree.js";
import type { NodeFilterInput } from "../search/filter.js";
import { memberPredicate } from "../search/members.js";
import type { GraphQLContext } from "./context.js";
import { decodeNodeId, type NodeView } from "./ids.js";

/** A catalog as one query field sees it: the catalog and the session of the mode it asked for. */
export interface CatalogView {
  catalog: Catalog;
  session: CatalogSession;
}

export type NodeTypeFilter = "GROUP" | "ARRAY";

export const MAX_PAGE_SIZE = 1000;

export function listCatalogs(ctx: GraphQLContext): CatalogView[] {
  return ctx.scope
    .readable()
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
    .map((catalog) => ({ catalog, session: ctx.scope.session(catalog.name) }));
}

export function getCatalog(ctx: GraphQLContext, name: string, mode?: ConsolidatedMode | null): CatalogView {
  const catalog = ctx.scope.catalog(name);
  return { catalog, session: ctx.scope.session(name, mode) };
}

/** The catalog a `Catalog` global id names, or null when it is unknown or the caller may not read it. */
export function loadCatalog(ctx: GraphQLContext, name: string): CatalogView | null {
  const catalog = ctx.scope.catalogs.get(name);
  return catalog && ctx.scope.mayRead(catalog) ? { catalog, session: ctx.scope.session(name) } : null;
}

export async function openNode(session: CatalogSession, rawPath: string): Promise<ZarrNodeRef> {
  const path = normalizePath(rawPath);
  const meta = await session.open(path);
  if (!meta) {
    const carrier = await session.coverOf(path).catch(() => null);
    throw new NotFoundError(
      carrier !== null
        ? `no node at "/${path}" in catalog "${session.catalog}" (consolidated metadata at "/${carrier}" does not list it)`
        : `no node at "/${path}" in catalog "${session.catalog}"`,
      { catalog: session.catalog, path },
    );
  }
  return session.ref(path, meta);
}

export async function parentOf(node: ZarrNodeRef): Promise<ZarrNodeRef | null> {
  const parent = parentPath(node.path);
  if (parent === null) return null;
  const meta = await node.session.open(parent);
  return meta ? node.session.ref(parent, meta) : null;
}

function checkDepth(maxDepth: number | null | undefined): number | null {
  if (maxDepth === undefined) return 0;
  if (maxDepth !== null && (!Number.isInteger(maxDepth) || maxDepth < 0)) {
    throw new BadInputError("maxDepth must be a non-negative integer or null (everything)");
  }
  return maxDepth;
}

/** Every member of a group down to `maxDepth` (once per request per group and depth). */
export async function walk(node: ZarrNodeRef, maxDepth: number | null | undefined): Promise<MemberResult[]> {
  if (node.meta.nodeType !== "group") return [];
  const depth = checkDepth(maxDepth);
  await node.session.requireConsolidated(node.path);
  return node.session.members(node.path, depth);
}

function encodeCursor(path: string): string {
  return Buffer.from(`path:${path}`, "utf8").toString("base64url");
}

/** An edge whose cursor is encoded only when asked for: a page of nodes asks for one (endCursor). */
class LazyMemberEdge implements MemberEdge {
  constructor(
    private readonly path: string,
    readonly node: ZarrNodeRef | Error,
  ) {}

  get cursor(): string {
    return encodeCursor(this.path);
  }
}

function decodeCursor(cursor: string): string {
  const text = Buffer.from(cursor, "base64url").toString("utf8");
  if (!text.startsWith("path:") || encodeCursor(text.slice(5)) !== cursor) {
    throw new BadInputError("malformed cursor: pass an endCursor or cursor from a previous page");
  }
  return text.slice(5);
}

export interface MembersArgs {
  maxDepth?: number | null;
  nodeType?: NodeTypeFilter | null;
  filter?: NodeFilterInput | null;
  first?: number | null;
  after?: string | null;
  last?: number | null;
  before?: string | null;
}

export interface MemberEdge {
  cursor: string;
  node: ZarrNodeRef | Error;
}

export interface MemberConnection {
  edges: MemberEdge[];
  nodes: (ZarrNodeRef | Error)[];
  /** The whole count: a walk of everything, made only when asked for. */
  totalCount(): Promise<number>;
  pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; startCursor: string | null; endCursor: string | null };
}

function matchesType(member: MemberResult, nodeType: NodeTypeFilter | null | undefined): boolean {
  if (!nodeType) return true;
  // A member that failed to read has no known type: it shows only in unfiltered lists.
  if (!member.node) return false;
  return member.node.meta.nodeType === (nodeType === "GROUP" ? "group" : "array");
}

function pageSize(value: number | null | undefined, name: string): number | null {
  if (value === null || value === undefined) return null;
  if (!Number.isInteger(value) || value < 0 || value > MAX_PAGE_SIZE) {
    throw new BadInputError(`${name} must be between 0 and ${MAX_PAGE_SIZE}`, { max: MAX_PAGE_SIZE, actual: value });
  }
  return value;
}

/** The members between the cursors, from a sorted list of every member. */
function between(all: MemberResult[], after: string | null, before: string | null): MemberResult[] {
  const from = after === null ? 0 : firstIndex(all, after, true);
  const to = before === null ? all.length : firstIndex(all, before, false);
  return all.slice(from, Math.max(from, to));
}

function firstIndex(all: MemberResult[], bound: string, strict: boolean): number {
  let low = 0;
  let high = all.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    const c = compareCodePoints(all[mid].path, bound);
    if (c < 0 || (strict && c === 0)) low = mid + 1;
    else high = mid;
  }
  return low;
}

/**
 * A page of a group's members (Relay connection: first/after forwards, last/before backwards).
 * The page walks only what it returns and the way down to it, unless the whole count is asked
 * for too (`wholeWalk`): then the page is cut from that one walk.
 */
export async function membersConnection(
  node: ZarrNodeRef,
  args: MembersArgs,
  options: {
    wholeWalk: boolean;
    firstGiven: boolean;
    /** How deep the members selections nested in this one reach (see lookahead.ts), if deeper than its own. */
    nestedDepth?: number | null;
  },
): Promise<MemberConnection> {
  const last = pageSize(args.last, "last");
  // `first` has a default (100); it stands aside when only `last` is asked for.
  const first =
    pageSize(last !== null && !options.firstGiven ? null : args.first, "first") ?? (last === null ? 100 : null);
  const after = args.after ? decodeCursor(args.after) : null;
  const before = args.before ? decodeCursor(args.before) : null;
  const depth = checkDepth(args.maxDepth);
  const keep = memberPredicate(args.filter);
  const accept = (m: MemberResult) => matchesType(m, args.nodeType) && (!keep || keep(m));
  const everything = async () => (await walk(node, depth)).filter(accept);

  let page: MemberResult[] = [];
  let moreAfter = before !== null;
  let moreBefore = after !== null;
  if (node.meta.nodeType === "group") {
    if (options.wholeWalk || node.session.walked(node.path, depth)) {
      const range = between(await everything(), after, before);
      page = first !== null ? range.slice(0, first) : range;
      if (first !== null && range.length > first) moreAfter = true;
      if (last !== null && page.length > last) {
        page = page.slice(page.length - last);
        moreBefore = true;
      }
    } else {
      await node.session.requireConsolidated(node.path);
      // Nested members selections will walk every group of this page: over a store that lists
      // trees, one listing now costs less than a listing per group per level.
      if (options.nestedDepth !== undefined && options.nestedDepth !== depth) {
        await node.session.prefetch(node.path, options.nestedDepth);
      }
      const forward = first !== null;
      const result = await node.session.page({
        group: node.path,
        maxDepth: depth,
        after,
        before,
        limit: forward ? first : last!,
        direction: forward ? "forward" : "backward",
        accept,
      });
      page = result.members;
      if (forward) moreAfter ||= result.more;
      else moreBefore ||= result.more;
      if (forward && last !== null && page.length > last) {
        page = page.slice(page.length - last);
        moreBefore = true;
      }
    }
  }
  const edges = page.map((m) => new LazyMemberEdge(m.path, m.node ?? locate(m)));
  return {
    edges,
    nodes: edges.map((e) => e.node),
    totalCount: async () => (await everything()).length,
    pageInfo: {
      hasNextPage: moreAfter,
      hasPreviousPage: moreBefore,
      startCursor: edges[0]?.cursor ?? null,
      endCursor: edges.at(-1)?.cursor ?? null,
    },
  };
}

/** The member's error, with the member's path added so a client can tell which one broke. */
function locate(member: MemberResult): Error {
  const error = member.error as Error & { details?: Record<string, unknown> };
  if (error && typeof error === "object" && "details" in error && error.details) {
    error.details.path ??= member.path;
  }
  return error;
}

export async function memberAt(node: ZarrNodeRef, rawPath: string): Promise<ZarrNodeRef> {
  const rel = normalizePath(rawPath);
  if (node.meta.nodeType !== "group") {
    throw new NotFoundError(`"/${node.path}" is an array and has no members`, { path: node.path });
  }
  if (rel === "") throw new BadInputError("member path must not be empty");
  const path = joinPath(node.path, rel);
  // The same lookup as any route to the node: every group between must be one, in this group's format.
  const meta = await node.session.open(path);
  if (!meta) {
    throw new NotFoundError(`no member "${rel}" in group "/${node.path}"`, { catalog: node.catalog, path });
  }
  return node.session.ref(path, meta);
}

export async function countMembers(node: ZarrNodeRef, maxDepth: number | null | undefined): Promise<number> {
  return (await walk(node, maxDepth)).length;
}

export async function groupInfo(node: ZarrNodeRef): Promise<{ members: number; groups: number; arrays: number }> {
  const all = await walk(node, null);
  let groups = 0;
  let arrays = 0;
  for (const m of all) {
    if (m.node?.meta.nodeType === "group") groups++;
    else if (m.node) arrays++;
  }
  return { members: all.length, groups, arrays };
}

export async function treeText(
  node: ZarrNodeRef,
  maxDepth: number | null | undefined,
  maxNodes: number | null | undefined,
): Promise<string> {
  const limit = maxNodes ?? 500;
  if (!Number.isInteger(limit) || limit < 0) throw new BadInputError("maxNodes must be a non-negative integer");
  return renderTree(node.path, await walk(node, maxDepth === undefined ? null : maxDepth), limit);
}

export function codecOut(codec: Codec): { name: string; configuration: unknown } {
  return { name: codec.name, configuration: toOutputJson(codec.configuration) };
}

/**
 * Relay's loader for one id (node(id:), nodes(ids:)). A failure is returned, not thrown: GraphQL
 * reports an Error value at that id's own place, where a rejection would fail all of nodes(ids:).
 */
export async function loadNode(
  ctx: GraphQLContext,
  id: string,
  nodeType: "group" | "array",
): Promise<ZarrNodeRef | null> {
  try {
    const { catalog, path, view } = decodeNodeId(id);
    const node = await nodeFromId(ctx, catalog, path, view);
    return node?.meta.nodeType === nodeType ? node : null;
  } catch (error) {
    return (error instanceof Error ? error : new Error(String(error))) as never;
  }
}

/** What a decoded global id names, or null (an unknown type, or the node is now of another type). */
export function loadTypedNode(
  ctx: GraphQLContext,
  id: { typename: string; id: string },
): Promise<ZarrNodeRef | CatalogView | null> {
  if (id.typename === "ZarrGroup") return loadNode(ctx, id.id, "group");
  if (id.typename === "ZarrArray") return loadNode(ctx, id.id, "array");
  if (id.typename === "Catalog") return Promise.resolve(loadCatalog(ctx, id.id));
  return Promise.resolve(null);
}

/**
 * The node at `path` as `view` answers it (an id's view, whatever the catalog's default mode; the
 * consolidated view in REQUIRE where that is the catalog's default, so an id never gets round
 * it), or in the catalog's default mode without one (a federation `catalog path` key). Null
 * when there is none, or the catalog is not there for this caller.
 */
export async function nodeFromId(
  ctx: GraphQLContext,
  catalog: string,
  path: string,
  view?: NodeView,
): Promise<ZarrNodeRef | null> {
  try {
    return await openNode(ctx.scope.session(catalog, view && modeOf(ctx, catalog, view)), path);
  } catch (error) {
    // Absent is null; refused by REQUIRE is an error that says why, as on every other route.
    if (error instanceof NotFoundError && !(error instanceof ConsolidatedRequiredError)) return null;
    throw error;
  }
}

function modeOf(ctx: GraphQLContext, catalog: string, view: NodeView): ConsolidatedMode {
  if (view === "ignore") return "ignore";
  return ctx.scope.catalog(catalog).consolidated === "require" ? "require" : "use";
}
