import { decodeGlobalID } from "@pothos/plugin-relay";
import type { ZarrNodeRef } from "../hierarchy/session.js";
import type { GraphQLContext } from "../resolvers/context.js";
import { decodeNodeId, type NodeView } from "../resolvers/ids.js";
import { nodeFromId } from "../resolvers/nodes.js";
import { builder } from "./builder.js";
import { ZarrArray } from "./zarr-array.js";
import { ZarrGroup } from "./zarr-group.js";

/** How other subgraphs point at a group or an array: its global id, or its catalog and path. */
type Reference = { id: string } | { catalog: string; path: string };

const keys = [
  builder.selection<{ id: string }>("id"),
  builder.selection<{ catalog: string; path: string }>("catalog path"),
];

/**
 * Where a reference points, or null when it cannot name a node of this type. An id names its
 * view too; a catalog and path are read in the catalog's default mode.
 */
function target(reference: Reference, typename: string): { catalog: string; path: string; view?: NodeView } | null {
  if (!("id" in reference)) return { catalog: reference.catalog, path: reference.path };
  try {
    const global = decodeGlobalID(reference.id);
    return global.typename === typename ? decodeNodeId(global.id) : null;
  } catch {
    return null;
  }
}

/**
 * Resolves one `_entities` representation. Every representation of a request is resolved in
 * the same tick through the request's loaders, so N references cost one wave of reads, not N.
 * A catalog the caller may not read answers null, exactly as one that does not exist.
 */
function resolver(typename: "ZarrGroup" | "ZarrArray", nodeType: "group" | "array") {
  return async (reference: Reference, ctx: GraphQLContext): Promise<ZarrNodeRef | null> => {
    const where = target(reference, typename);
    if (!where) return null;
    const node = await nodeFromId(ctx, where.catalog, where.path, where.view);
    return node?.meta.nodeType === nodeType ? node : null;
  };
}

builder.asEntity(ZarrGroup, { key: keys, resolveReference: resolver("ZarrGroup", "group") });
builder.asEntity(ZarrArray, { key: keys, resolveReference: resolver("ZarrArray", "array") });

/** The federation 2 spec this subgraph links, and the directives it imports from it. */
export const FEDERATION_LINK = "https://specs.apollo.dev/federation/v2.6";
export const FEDERATION_DIRECTIVES = ["@key", "@shareable"];
