import type { GraphQLSchema } from "graphql";
import { builder } from "./builder.js";
import "./zarr-node.js";
import "./zarr-group.js";
import "./zarr-array.js";
import "./values.js";
import "./catalog.js";
import "./query.js";
import "./mutation.js";
import "./search.js";
import { FEDERATION_DIRECTIVES, FEDERATION_LINK } from "./federation.js";

let schema: GraphQLSchema | undefined;

/** The schema the server runs: an Apollo Federation subgraph (with `_service` and `_entities`). */
export function buildSchema(): GraphQLSchema {
  schema ??= builder.toSubGraphSchema({
    sortSchema: false,
    linkUrl: FEDERATION_LINK,
    federationDirectives: FEDERATION_DIRECTIVES,
  });
  return schema;
}
