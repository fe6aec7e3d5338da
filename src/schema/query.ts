import { getCatalog, listCatalogs } from "../resolvers/nodes.js";
import { builder } from "./builder.js";
import { CatalogType, ConsolidatedMode } from "./catalog.js";

builder.queryType({
  fields: (t) => ({
    catalogs: t.field({ type: [CatalogType], resolve: (_root, _args, ctx) => listCatalogs(ctx) }),
    catalog: t.field({
      type: CatalogType,
      nullable: true,
      description: "null and NOT_FOUND if unknown.",
      args: {
        name: t.arg.string({ required: true }),
        consolidated: t.arg({ type: ConsolidatedMode, required: false }),
      },
      resolve: (_root, { name, consolidated }, ctx) =>
        getCatalog(ctx, name, consolidated ? (consolidated.toLowerCase() as "use" | "require" | "ignore") : null),
    }),
  }),
});
