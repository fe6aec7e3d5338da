import SchemaBuilder from "@pothos/core";
import ComplexityPlugin from "@pothos/plugin-complexity";
import DirectivesPlugin from "@pothos/plugin-directives";
import FederationPlugin from "@pothos/plugin-federation";
import RelayPlugin from "@pothos/plugin-relay";
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

builder.addScalarType("JSON", JSONResolver);
builder.addScalarType("SafeInt", SafeIntResolver);
