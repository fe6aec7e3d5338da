import type { ZarrNodeRef } from "../hierarchy/session.js";
import { prefetchDepth } from "../resolvers/lookahead.js";
import {
  countMembers,
  groupInfo,
  type MemberConnection,
  type MemberEdge,
  memberAt,
  membersConnection,
  treeText,
} from "../resolvers/nodes.js";
import { builder } from "./builder.js";
import { membersComplexity, PAGE_ITEMS, WALK_ALL, walkWeight } from "./complexity.js";
import { NodeFilter } from "./search-filter.js";
import { ZarrNode, zarrNodeOptions } from "./zarr-node.js";

export const NodeType = builder.enumType("NodeType", { values: ["GROUP", "ARRAY"] as const });

const GroupInfo = builder.objectRef<{ members: number; groups: number; arrays: number }>("GroupInfo").implement({
  description: "Counts over the group's whole subtree.",
  fields: (t) => ({
    members: t.exposeInt("members"),
    groups: t.exposeInt("groups"),
    arrays: t.exposeInt("arrays"),
  }),
});

export const ZarrNodeEdge = builder.objectRef<MemberEdge>("ZarrNodeEdge").implement({
  fields: (t) => ({
    cursor: t.exposeString("cursor"),
    // A member whose documents cannot be read is null here, with its error at this path.
    node: t.field({ type: ZarrNode, nullable: true, resolve: (e) => e.node as ZarrNodeRef }),
  }),
});

const ZarrNodeConnection = builder.objectRef<MemberConnection>("ZarrNodeConnection").implement({
  fields: (t) => ({
    nodes: t.field({
      type: [ZarrNode],
      nullable: { list: false, items: true },
      complexity: PAGE_ITEMS,
      resolve: (c) => c.nodes as ZarrNodeRef[],
    }),
    edges: t.field({
      type: [ZarrNodeEdge],
      nullable: { list: false, items: true },
      complexity: PAGE_ITEMS,
      resolve: (c) => c.edges,
    }),
    pageInfo: t.field({ type: builder.pageInfoRef(), resolve: (c) => c.pageInfo }),
    totalCount: t.exposeInt("totalCount"),
  }),
});

const depthArg = (t: any, description: string) => t.arg.int({ required: false, defaultValue: 0, description });

export const ZarrGroup = builder.node("ZarrGroup", {
  ...zarrNodeOptions("group"),
  fields: (t) => ({
    members: t.field({
      type: ZarrNodeConnection,
      description:
        "Members sorted by path. maxDepth: 0 (default) children, n more levels, null everything (bounded by the node budget). nodeType filters what is returned, not what is walked.",
      args: {
        maxDepth: depthArg(t, "0 = children; n = n more levels; null = everything"),
        nodeType: t.arg({ type: NodeType, required: false }),
        filter: t.arg({ type: NodeFilter, required: false, description: "Applied to what the walk finds." }),
        first: t.arg.int({ required: false, defaultValue: 100 }),
        after: t.arg.string({ required: false }),
      },
      complexity: (args) => membersComplexity(args),
      // Nested members selections are looked ahead so a store that lists trees reads them all at once.
      resolve: (n, args, _ctx, info) => membersConnection(n, args as never, prefetchDepth(info)),
    }),
    member: t.field({
      type: ZarrNode,
      nullable: true,
      description: 'A member by relative path, which may be nested ("a/b"); null and NOT_FOUND if absent.',
      args: { path: t.arg.string({ required: true }) },
      resolve: (n, { path }) => memberAt(n, path),
    }),
    nmembers: t.int({
      args: { maxDepth: depthArg(t, "as for members") },
      complexity: (args) => walkWeight(args.maxDepth),
      resolve: (n, { maxDepth }) => countMembers(n, maxDepth as number | null),
    }),
    consolidated: t.boolean({
      description: "Members are answered from consolidated metadata (this group's own or an ancestor's).",
      resolve: (n) => n.session.consolidatedFor(n.path) !== undefined,
    }),
    tree: t.string({
      description:
        "zarr-python's tree(): members sorted by path, arrays with shape and dtype; truncated past maxNodes.",
      args: {
        maxDepth: t.arg.int({ required: false }),
        maxNodes: t.arg.int({ required: false, defaultValue: 500 }),
      },
      complexity: (args) => walkWeight(args.maxDepth ?? null),
      resolve: (n, { maxDepth, maxNodes }) => treeText(n, maxDepth, maxNodes),
    }),
    info: t.field({ type: GroupInfo, complexity: WALK_ALL, resolve: (n) => groupInfo(n) }),
  }),
});
