import type { Catalog } from "../hierarchy/catalog.js";
import { BadInputError, NotFoundError } from "../hierarchy/errors.js";
import { toOutputJson } from "../hierarchy/json.js";
import type { Codec } from "../hierarchy/metadata.js";
import { joinPath, normalizePath, parentPath } from "../hierarchy/paths.js";
import type { CatalogSession, ConsolidatedMode, MemberResult, ZarrNodeRef } from "../hierarchy/session.js";
import { renderTree } from "../hierarchy/tree.js";
import type { NodeFilterInput } from "../search/filter.js";
import { memberPredicate } from "../search/members.js";
import type { GraphQLContext } from "./context.js";
import { decodeNodeId } from "./ids.js";

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

export async function openNode(session: CatalogSession, rawPath: string): Promise<ZarrNodeRef> {
  const path = normalizePath(rawPath);
  const meta = path === "" ? await session.root() : await session.open(path);
  if (!meta) {
    const covered = session.coveringIndex(path);
    throw new NotFoundError(
      covered
        ? `no node at "/${path}" in catalog "${session.catalog}" (consolidated metadata at "/${covered.carrier}" does not list it)`
        : `no node at "/${path}" in catalog "${session.catalog}"`,
      { catalog: session.catalog, path },
    );
  }
  if (path === "" && meta.nodeType === "group") session.requireConsolidated("");
  return session.ref(path, meta);
}

export async function parentOf(node: ZarrNodeRef): Promise<ZarrNodeRef | null> {
  const parent = parentPath(node.path);
  if (parent === null) return null;
  const meta = await node.session.open(parent, node.meta.zarrFormat);
  return meta ? node.session.ref(parent, meta) : null;
}

function checkDepth(maxDepth: number | null | undefined): number | null {
  if (maxDepth === undefined) return 0;
  if (maxDepth !== null && (!Number.isInteger(maxDepth) || maxDepth < 0)) {
    throw new BadInputError("maxDepth must be a non-negative integer or null (everything)");
  }
  return maxDepth;
}

export async function walk(
  node: ZarrNodeRef,
  maxDepth: number | null | undefined,
  prefetchDepth?: number | null,
): Promise<MemberResult[]> {
  if (node.meta.nodeType !== "group") return [];
  const depth = checkDepth(maxDepth);
  return node.session.members(node.path, node.meta, depth, prefetchDepth === undefined ? depth : prefetchDepth);
}

function encodeCursor(path: string): string {
  return Buffer.from(`path:${path}`, "utf8").toString("base64url");
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
}

export interface MemberEdge {
  cursor: string;
  node: ZarrNodeRef | Error;
}

export interface MemberConnection {
  edges: MemberEdge[];
  nodes: (ZarrNodeRef | Error)[];
  totalCount: number;
  pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; startCursor: string | null; endCursor: string | null };
}

function matchesType(member: MemberResult, nodeType: NodeTypeFilter | null | undefined): boolean {
  if (!nodeType) return true;
  // A member that failed to read has no known type: it shows only in unfiltered lists.
  if (!member.node) return false;
  return member.node.meta.nodeType === (nodeType === "GROUP" ? "group" : "array");
}

export async function membersConnection(
  node: ZarrNodeRef,
  args: MembersArgs,
  prefetchDepth?: number | null,
): Promise<MemberConnection> {
  const first = args.first ?? 100;
  if (!Number.isInteger(first) || first < 0 || first > MAX_PAGE_SIZE) {
    throw new BadInputError(`first must be between 0 and ${MAX_PAGE_SIZE}`, { max: MAX_PAGE_SIZE, actual: first });
  }
  const after = args.after ? decodeCursor(args.after) : null;
  const keep = memberPredicate(args.filter);
  const all = (await walk(node, args.maxDepth, prefetchDepth)).filter(
    (m) => matchesType(m, args.nodeType) && (!keep || keep(m)),
  );
  const start = after === null ? 0 : all.findIndex((m) => m.path > after);
  const from = start === -1 ? all.length : start;
  const page = all.slice(from, from + first);
  const edges = page.map((m) => ({ cursor: encodeCursor(m.path), node: m.node ?? locate(m) }));
  return {
    edges,
    nodes: edges.map((e) => e.node),
    totalCount: all.length,
    pageInfo: {
      hasNextPage: from + first < all.length,
      hasPreviousPage: from > 0,
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
  // Walk down in the group's format so an out-of-format node is not a member, as zarr-python.
  let current = node;
  for (const segment of rel.split("/")) {
    if (current.meta.nodeType !== "group") break;
    const childPath = joinPath(current.path, segment);
    const meta = await node.session.open(childPath, node.meta.zarrFormat);
    if (!meta) break;
    current = node.session.ref(childPath, meta);
  }
  if (current.path !== path) {
    throw new NotFoundError(`no member "${rel}" in group "/${node.path}"`, { catalog: node.catalog, path });
  }
  return current;
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
    const { catalog, path } = decodeNodeId(id);
    const node = await nodeFromId(ctx, catalog, path);
    return node?.meta.nodeType === nodeType ? node : null;
  } catch (error) {
    return (error instanceof Error ? error : new Error(String(error))) as never;
  }
}

/** The node a decoded global id names, or null (an unknown type, or the node is now of another type). */
export function loadTypedNode(ctx: GraphQLContext, id: { typename: string; id: string }): Promise<ZarrNodeRef | null> {
  if (id.typename === "ZarrGroup") return loadNode(ctx, id.id, "group");
  if (id.typename === "ZarrArray") return loadNode(ctx, id.id, "array");
  return Promise.resolve(null);
}

export async function nodeFromId(ctx: GraphQLContext, catalog: string, path: string): Promise<ZarrNodeRef | null> {
  try {
    return await openNode(ctx.scope.session(catalog), path);
  } catch (error) {
    if (error instanceof NotFoundError) return null;
    throw error;
  }
}
