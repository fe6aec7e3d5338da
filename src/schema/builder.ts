import SchemaBuilder from "@pothos/core";
import ComplexityPlugin from "@pothos/plugin-complexity";
import DirectivesPlugin from "@pothos/plugin-directives";
import FederationPlugin from "@pothos/plugin-federation";
import RelayPlugin from "@pothos/plugin-relay";
import { GraphQLScalarType } from "graphql";
import { JSONResolver, SafeIntResolver } from "graphql-scalars";
import type { ZarrNodeRef } from "../hierarchy/session.js";
import type { GraphQLContext } from "../resolvers/context.js";
import { decodeGlobalId, malformedIdError } from "../resolvers/ids.js";
import { loadTypedNode } from "../resolvers/nodes.js";

export const builder = new SchemaBuilder<{
  Context: GraphQLContext;
  Scalars: {
    JSON: { Input: unknown; Output: unknown };
    SafeInt: { Input: number; Output: number };
    ID: { Input: string; Output: string };
  };
  DefaultFieldNullability: false;
  Objects: {
    ZarrGroup: ZarrNodeRef;
    ZarrArray: ZarrNodeRef;
  };
  Interfaces: {
    ZarrNode: ZarrNodeRef;
  };
}>({
  // Order matters to Pothos: directives before federation, federation last.
  plugins: [ComplexityPlugin, RelayPlugin, DirectivesPlugin, FederationPlugin],
  defaultFieldNullability: false,
  relay: {
    clientMutationId: "omit",
    cursorType: "String",
    brandLoadedObjects: false,
    decodeGlobalID: decodeGlobalId,
    // Other Relay subgraphs define node, nodes and PageInfo too: shareable, so a gateway composes them.
    // A malformed id is BAD_USER_INPUT in its own slot; the other ids still resolve.
    nodeQueryOptions: {
      nullable: true,
      shareable: true,
      resolve: (_root, { id }, _ctx, _info, resolveNode) => {
        const error = malformedIdError(id);
        if (error) throw error;
        return resolveNode(id);
      },
    },
    nodesQueryOptions: {
      nullable: { list: false, items: true },
      shareable: true,
      // Each id on its own (Pothos's resolveNodes takes all of them at once); the reads still
      // batch, through the request's loaders.
      resolve: (_root, { ids }, ctx) => ids.map((id) => malformedIdError(id) ?? loadTypedNode(ctx, id)) as never,
    },
    pageInfoTypeOptions: { shareable: true },
  },
});

// graphql-jit prints a plain-text warning to stderr (where the log is JSON lines) for every compiled
// query with a JSON literal, because this parseLiteral declares a second (variables) parameter; it
// then passes none anyway. A rest parameter keeps graphql-js's call intact and declares one.
builder.addScalarType(
  "JSON",
  new GraphQLScalarType({
    ...JSONResolver.toConfig(),
    parseLiteral: (ast, ...variables) => JSONResolver.parseLiteral(ast, ...variables),
  }),
);
builder.addScalarType("SafeInt", SafeIntResolver);
