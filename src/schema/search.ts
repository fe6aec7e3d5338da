import { toOutputJson } from "../hierarchy/json.js";
import type { ZarrNodeRef } from "../hierarchy/session.js";
import { exactFilterArgument, indexedAt, type SearchFieldArgs, searchConnection } from "../resolvers/search.js";
import { MAX_FACETS, type SearchAnswer } from "../search/service.js";
import { builder } from "./builder.js";
import { CatalogType } from "./catalog.js";
import { PAGE_ITEMS, searchComplexity } from "./complexity.js";
import { NodeFilter } from "./search-filter.js";
import { ZarrNodeEdge } from "./zarr-group.js";
import { ZarrNode } from "./zarr-node.js";

const Facet = builder.objectRef<{ value: unknown; count: number }>("Facet").implement({
  description: "A value and how many hits have it.",
  fields: (t) => ({
    value: t.field({
      type: "JSON",
      description: "As the API prints values: integers beyond 2^53 as exact strings.",
      resolve: (f) => toOutputJson(f.value),
    }),
    count: t.exposeInt("count"),
  }),
});

const SearchConnection = builder.objectRef<SearchAnswer>("SearchConnection").implement({
  description:
    "Hits sorted by catalog, then path (code points). The page's hits are read live and left out if they no longer match; totalCount and facets are the index's, as fresh as Catalog.indexedAt.",
  fields: (t) => ({
    nodes: t.field({
      type: [ZarrNode],
      nullable: { list: false, items: true },
      complexity: PAGE_ITEMS,
      resolve: async (c) => (await c.edges()).map((e) => e.node as ZarrNodeRef),
    }),
    edges: t.field({
      type: [ZarrNodeEdge],
      nullable: { list: false, items: true },
      complexity: PAGE_ITEMS,
      resolve: (c) => c.edges(),
    }),
    pageInfo: t.field({ type: builder.pageInfoRef(), resolve: (c) => c.pageInfo }),
    totalCount: t.exposeInt("totalCount", { description: "Every hit, on every page." }),
    facets: t.field({
      type: [Facet],
      description:
        'The values `key` takes over every hit, most frequent first, ties by value. key: an attribute\'s dotted path, or "nodeType", "dataType", "catalog".',
      args: {
        key: t.arg.string({ required: true }),
        first: t.arg.int({ required: false, defaultValue: 20, description: `At most ${MAX_FACETS}.` }),
      },
      complexity: (args) => ({ field: 1, multiplier: Math.min(Math.max(args.first ?? 20, 0), MAX_FACETS) }),
      resolve: (c, { key, first }) => c.facets(key, first ?? 20),
    }),
  }),
});

builder.queryField("search", (t) =>
  t.field({
    type: SearchConnection,
    description:
      "Nodes of every catalog the caller may read that match the filter and contain every word of text (runs of letters and digits, case-insensitive, in path segments, attribute keys, string values and dimension names).",
    args: {
      filter: t.arg({ type: NodeFilter, required: false }),
      text: t.arg.string({ required: false }),
      catalogs: t.arg.stringList({ required: false, description: "Only these catalogs (default: all)." }),
      first: t.arg.int({ required: false, defaultValue: 100 }),
      after: t.arg.string({ required: false }),
    },
    complexity: (args) => searchComplexity(args),
    resolve: (_root, args, ctx, info) =>
      searchConnection(ctx, { ...args, filter: exactFilterArgument(info, args.filter) } as SearchFieldArgs),
  }),
);

builder.objectField(CatalogType, "indexedAt", (t) =>
  t.string({
    nullable: true,
    description:
      "When the search index last read this catalog whole (ISO 8601; the start of that read), null if never. Search is as fresh as this, and this server's own writes are in it at once.",
    resolve: (c, _args, ctx) => indexedAt(ctx, c.catalog),
  }),
);
