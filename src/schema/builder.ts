import SchemaBuilder from "@pothos/core";
import ComplexityPlugin from "@pothos/plugin-complexity";
import DirectivesPlugin from "@pothos/plugin-directives";
import FederationPlugin from "@pothos/plugin-federation";
import RelayPlugin from "@pothos/plugin-relay";
import { JSONResolver, SafeIntResolver } from "graphql-scalars";
import type { ZarrNodeRef } from "../hierarchy/session.js";
import type { GraphQLContext } from "../resolvers/context.js";
import { decodeGlobalId } from "../resolvers/ids.js";

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
    nodeQueryOptions: { nullable: true, shareable: true },
    nodesQueryOptions: { nullable: { list: false, items: true }, shareable: true },
    pageInfoTypeOptions: { shareable: true },
  },
});

builder.addScalarType("JSON", JSONResolver);
builder.addScalarType("SafeInt", SafeIntResolver);
