import { type Catalog, DEFAULT_HIERARCHY_LIMITS, RequestScope } from "../hierarchy/catalog.js";
import type { DocumentCache } from "../hierarchy/document-cache.js";
import type { NodeMetadata } from "../hierarchy/metadata.js";
import { recordOf, type SearchRecord } from "./record.js";

/**
 * Reads a catalog's nodes for the index through the hierarchy, as a request would: from
 * consolidated metadata where the catalog has some (one read), by walking otherwise (one
 * listing where the store lists trees). Its scope is its own, with a node budget for whole
 * catalogs rather than a request's.
 */

export const INDEX_NODE_BUDGET = 1_000_000;

export interface ReadResult {
  records: SearchRecord[];
  /** Nodes that could not be read (their slot in the walk is an error); left out of the index. */
  failed: number;
}

/**
 * A scope for indexing: every catalog readable, each with the indexing budget, reading through
 * `cache` (the server's, so a refresh of unchanged documents costs a conditional read each and
 * no parsing, and what it reads serves requests too).
 */
export function indexingScope(
  catalogs: ReadonlyMap<string, Catalog>,
  cache: DocumentCache,
  nodeBudget = INDEX_NODE_BUDGET,
): RequestScope {
  const widened = new Map(
    [...catalogs].map(([name, c]) => [name, { ...c, limits: { ...c.limits, nodeBudget } } as Catalog]),
  );
  return new RequestScope(widened, { ...DEFAULT_HIERARCHY_LIMITS, nodeBudget }, undefined, cache);
}

/**
 * The node at `path` and everything below it, as records; nothing when there is no node there.
 * The node's own failure to read is thrown; a member's leaves it out.
 */
export async function readSubtree(scope: RequestScope, catalog: string, path = ""): Promise<ReadResult> {
  const session = scope.session(catalog);
  const meta: NodeMetadata | null = path === "" ? await session.root() : await session.open(path);
  if (!meta) return { records: [], failed: 0 };
  const records = [recordOf(catalog, path, meta)];
  let failed = 0;
  if (meta.nodeType === "group") {
    for (const member of await session.members(path, null)) {
      if (member.node) records.push(recordOf(catalog, member.path, member.node.meta));
      else failed++;
    }
  }
  return { records, failed };
}
