import { type CatalogView, loadCatalog, openNode } from "../resolvers/nodes.js";
import { builder } from "./builder.js";
import { ZarrNode } from "./zarr-node.js";

export const ConsolidatedMode = builder.enumType("ConsolidatedMode", {
  description: "USE consolidated metadata when present (default); REQUIRE it; IGNORE it and read the store.",
  values: ["USE", "REQUIRE", "IGNORE"] as const,
});

/**
 * A Relay node, so that client caches can normalise it: its id is its name (`node(id:)` loads it
 * in its default consolidated mode; a catalog the caller may not read is null, as an unknown one).
 */
export const CatalogType = builder.node(builder.objectRef<CatalogView>("Catalog"), {
  id: { resolve: (c) => c.catalog.name },
  isTypeOf: (value) => typeof (value as CatalogView).catalog?.name === "string" && "session" in (value as object),
  loadOne: (name, ctx) => loadCatalog(ctx, name),
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
