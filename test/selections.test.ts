// The selection walker the cost estimate and the members prefetch share reads a request as
// execution will: fragments (each once), type conditions, @skip and @include with variables.
import { type GraphQLCompositeType, Kind, type OperationDefinitionNode, parse } from "graphql";
import { expect, test } from "vitest";
import { collectFields, collectSubfields, type SelectionContext } from "../src/resolvers/selections.js";
import { buildSchema } from "../src/schema/index.js";

const schema = buildSchema();

function walk(query: string, variables: Record<string, unknown> = {}) {
  const document = parse(query);
  const operation = document.definitions.find((d) => d.kind === Kind.OPERATION_DEFINITION) as OperationDefinitionNode;
  const fragments = Object.fromEntries(
    document.definitions.flatMap((d) => (d.kind === Kind.FRAGMENT_DEFINITION ? [[d.name.value, d]] : [])),
  );
  const context: SelectionContext = { schema, fragments, variables };
  return {
    context,
    top: collectFields(context, schema.getQueryType() as GraphQLCompositeType, operation.selectionSet),
  };
}

test("fields by parent type and response key, through fragments, honouring @skip/@include", () => {
  const { context, top } = walk(
    `query ($deep: Boolean!) {
      catalog(name: "c") { root { ...Node ...Node ... on ZarrGroup { members { totalCount } } } }
      gone: catalogs @skip(if: true) { name }
    }
    fragment Node on ZarrNode {
      path
      ... on ZarrGroup { members @include(if: $deep) { nodes { path } } nmembers }
      ... on ZarrArray { shape }
    }`,
    { deep: false },
  );
  expect([...top.keys()]).toEqual(["Query.catalog"]);
  const catalog = collectSubfields(context, top.get("Query.catalog")!)!;
  const root = collectSubfields(context, catalog.get("Catalog.root")!)!;
  expect([...root.keys()].sort()).toEqual([
    "ZarrArray.shape",
    "ZarrGroup.members",
    "ZarrGroup.nmembers",
    "ZarrNode.path",
  ]);
  // The fragment spread twice counts once; members comes only from the inline fragment.
  expect(root.get("ZarrNode.path")!.nodes).toHaveLength(1);
  expect(root.get("ZarrGroup.members")!.nodes).toHaveLength(1);
  expect([...collectSubfields(context, root.get("ZarrGroup.members")!)!.keys()]).toEqual([
    "ZarrNodeConnection.totalCount",
  ]);
  // Leaves have nothing below them.
  expect(collectSubfields(context, root.get("ZarrNode.path")!)).toBeUndefined();

  const deep = walk(
    `{ catalog(name: "c") { root { ...on ZarrGroup { members @include(if: $deep) { nodes { path } } } } } }`,
    { deep: true },
  );
  const deepRoot = collectSubfields(
    deep.context,
    collectSubfields(deep.context, deep.top.get("Query.catalog")!)!.get("Catalog.root")!,
  )!;
  expect(deepRoot.get("ZarrGroup.members")!.nodes).toHaveLength(1);
});
