import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { buildSubgraphSchema } from "@apollo/subgraph";
import { parse } from "graphql";
import { createYoga } from "graphql-yoga";

/**
 * A second subgraph, as a data catalog would run it: datasets that live in Zarr groups served
 * by zarr-graphql. It knows a group only by its key (`catalog path`); the gateway fetches
 * everything else about the group from zarr-graphql. It follows the Relay convention too
 * (`Node`, `Query.node`), which zarr-graphql also defines.
 */
export const DATASETS_SDL = /* GraphQL */ `
  extend schema @link(url: "https://specs.apollo.dev/federation/v2.6", import: ["@key", "@shareable"])

  type Query {
    datasets: [Dataset!]!
    node(id: ID!): Node @shareable
  }

  interface Node {
    id: ID!
  }

  type Dataset implements Node @key(fields: "id") {
    id: ID!
    title: String!
    group: ZarrGroup!
  }

  type ZarrGroup @key(fields: "catalog path") {
    catalog: String!
    path: String!
    "Datasets stored in this group."
    datasets: [Dataset!]!
  }
`;

export interface Dataset {
  id: string;
  title: string;
  catalog: string;
  path: string;
}

export interface DatasetsSubgraph {
  url: string;
  /** Every operation this subgraph was sent, in order. */
  operations: string[];
  close(): Promise<void>;
}

export async function startDatasetsSubgraph(datasets: Dataset[]): Promise<DatasetsSubgraph> {
  const find = (id: string) => datasets.find((d) => d.id === id) ?? null;
  const schema = buildSubgraphSchema({
    typeDefs: parse(DATASETS_SDL),
    resolvers: {
      Query: {
        datasets: () => datasets,
        node: (_: unknown, { id }: { id: string }) => (find(id) ? { __typename: "Dataset", ...find(id) } : null),
      },
      Node: { __resolveType: () => "Dataset" },
      Dataset: {
        __resolveReference: (ref: { id: string }) => find(ref.id),
        group: (d: Dataset) => ({ catalog: d.catalog, path: d.path }),
      },
      ZarrGroup: {
        __resolveReference: (ref: { catalog: string; path: string }) => ref,
        datasets: (g: { catalog: string; path: string }) =>
          datasets.filter((d) => d.catalog === g.catalog && d.path === g.path),
      },
    } as never,
  });
  const operations: string[] = [];
  const yoga = createYoga({
    schema,
    logging: false,
    plugins: [{ onParams: ({ params }) => void operations.push(params.query ?? "") }],
  });
  const server = createServer(yoga);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`,
    operations,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
