import type { GraphQLSchema } from "graphql";
import { builder } from "./builder.js";
import "./zarr-node.js";
import "./zarr-group.js";
import "./zarr-array.js";
import "./catalog.js";
import "./query.js";

let schema: GraphQLSchema | undefined;

export function buildSchema(): GraphQLSchema {
  schema ??= builder.toSchema({ sortSchema: false });
  return schema;
}
