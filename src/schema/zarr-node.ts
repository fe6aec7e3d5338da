import { encodeGlobalID } from "@pothos/plugin-relay";
import { toOutputJson } from "../hierarchy/json.js";
import { basename, nodeName } from "../hierarchy/paths.js";
import type { ZarrNodeRef } from "../hierarchy/session.js";
import type { GraphQLContext } from "../resolvers/context.js";
import { encodeNodeId, viewOf } from "../resolvers/ids.js";
import { loadNode, parentOf } from "../resolvers/nodes.js";
import { builder } from "./builder.js";

export function typeNameOf(node: ZarrNodeRef): "ZarrGroup" | "ZarrArray" {
  return node.meta.nodeType === "group" ? "ZarrGroup" : "ZarrArray";
}

/** The local part of a node's id: where it is, and which view answered it. */
export function localIdOf(node: ZarrNodeRef): string {
  return encodeNodeId(node.catalog, node.path, viewOf(node.session.mode));
}

export function globalIdOf(node: ZarrNodeRef): string {
  return encodeGlobalID(typeNameOf(node), localIdOf(node));
}

export const ZarrNode = builder.interfaceRef<ZarrNodeRef>("ZarrNode").implement({
  description: "A group or an array.",
  resolveType: (node) => typeNameOf(node),
  fields: (t) => ({
    id: t.id({
      description:
        "Global id (Relay): encodes catalog and path, and the view: a node read with consolidated: IGNORE has an id of its own (USE and REQUIRE share theirs); node(id) answers in the id's view.",
      resolve: globalIdOf,
    }),
    catalog: t.string({ resolve: (n) => n.catalog }),
    path: t.string({
      description: 'Empty for the root, "a/b" below it (no leading or trailing slash).',
      resolve: (n) => n.path,
    }),
    name: t.string({
      description: 'h5py-style name: "/" for the root, "/a/b" below it.',
      resolve: (n) => nodeName(n.path),
    }),
    basename: t.string({ description: "Last path segment; empty for the root.", resolve: (n) => basename(n.path) }),
    zarrFormat: t.int({ resolve: (n) => n.meta.zarrFormat }),
    attributes: t.field({ type: "JSON", resolve: (n) => toOutputJson(n.meta.attributes) }),
    attribute: t.field({
      type: "JSON",
      nullable: true,
      args: { key: t.arg.string({ required: true }) },
      resolve: (n, { key }) => (Object.hasOwn(n.meta.attributes, key) ? toOutputJson(n.meta.attributes[key]) : null),
    }),
    metadata: t.field({
      type: "JSON",
      description: "The node's own document (zarr.json, .zarray or .zgroup), lossless.",
      resolve: (n) => toOutputJson(n.meta.document),
    }),
    version: t.string({
      nullable: true,
      description: "Changes whenever the node's documents change (etag, generation or mtime).",
      resolve: (n) => n.meta.version,
    }),
    parent: t.field({
      type: "ZarrGroup",
      nullable: true,
      description: "null for the root.",
      resolve: (n) => parentOf(n),
    }),
  }),
});

/**
 * What ZarrGroup and ZarrArray share as Relay nodes: the interface, how a value is recognised
 * as one, the local id (catalog and path), and how an id loads it back.
 */
export function zarrNodeOptions(nodeType: "group" | "array") {
  return {
    interfaces: [ZarrNode],
    isTypeOf: (value: unknown) => (value as ZarrNodeRef).meta?.nodeType === nodeType,
    id: { resolve: localIdOf },
    loadOne: (id: string, ctx: GraphQLContext) => loadNode(ctx, id, nodeType),
  };
}
