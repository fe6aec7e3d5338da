import { type CatalogView, openNode } from "../resolvers/nodes.js";
import { builder } from "./builder.js";
import { ZarrNode } from "./zarr-node.js";

export const ConsolidatedMode = builder.enumType("ConsolidatedMode", {
  description: "USE consolidated metadata when present (default); REQUIRE it; IGNORE it and read the store.",
  values: ["USE", "REQUIRE", "IGNORE"] as const,
});

export const CatalogType = builder.objectRef<CatalogView>("Catalog").implement({
  fields: (t) => ({
    name: t.string({ resolve: (c) => c.catalog.name }),
    description: t.string({ nullable: true, resolve: (c) => c.catalog.description ?? null }),
    url: t.string({
      nullable: true,
      description: "Public URL of a remote store (gs://, https://); null for file and memory stores.",
      resolve: (c) => c.catalog.url ?? null,
    }),
    root: t.field({
      type: ZarrNode,
      nullable: true,
      description: 'The node at path "" (a group or an array); null and NOT_FOUND if none.',
      resolve: (c) => openNode(c.session, ""),
    }),
    node: t.field({
      type: ZarrNode,
      nullable: true,
      args: { path: t.arg.string({ required: true }) },
      resolve: (c, { path }) => openNode(c.session, path),
    }),
  }),
});
