// npm run load: the server in this process, on the bundled examples and a generated 2,183-node
// hierarchy, with every limit at its default; autocannon sends 2,000 requests of a mix of
// queries over 32 connections. Prints latency percentiles; exits 1 on any connection error,
// timeout, non-2xx status or GraphQL error in a body.

import { encodeGlobalID } from "@pothos/plugin-relay";
import autocannon from "autocannon";
import { getIntrospectionQuery } from "graphql";
import { createApp } from "../src/server/app.js";
import { EXAMPLE_QUERY, EXAMPLE_STORES } from "../src/server/example.js";
import { listen } from "../src/server/http.js";
import { FileStore } from "../src/stores/file.js";
import { MemoryStore } from "../src/stores/memory.js";
import { syntheticTree } from "../test/support/synthetic.js";

const CONNECTIONS = 32;
const REQUESTS = 2_000;

const tree = syntheticTree({ fanout: 3, depth: 5, arraysPerGroup: 5, format: 3 });
const catalogs = [
  ...EXAMPLE_STORES.map((s) => ({
    name: s.name,
    store: new FileStore(s.url),
    description: s.description,
    url: null,
    consolidated: "use" as const,
  })),
  {
    name: "synthetic",
    store: new MemoryStore("memory://synthetic", tree.files),
    url: null,
    consolidated: "use" as const,
  },
];

const FIELDS = `__typename path zarrFormat attributes
  ... on ZarrArray { shape chunks dataType fillValue order dimensionNames codecs { name } }`;
const nested = (levels: number): string =>
  levels === 0 ? "path attributes" : `path ... on ZarrGroup { members { nodes { ${nested(levels - 1)} } } }`;

/** The mix, by weight: what a browser, a deep-fetching client and a gateway would send. */
const MIX: { name: string; weight: number; query: string; variables?: Record<string, unknown> }[] = [
  { name: "example (GraphiQL's query)", weight: 4, query: EXAMPLE_QUERY },
  {
    name: "legacy whole tree",
    weight: 4,
    query: `{ catalog(name: "legacy") { root { ... on ZarrGroup { members(maxDepth: null) { totalCount nodes { ${FIELDS} } } } } } }`,
  },
  {
    name: "node by path",
    weight: 6,
    query: `query($p: String!) { catalog(name: "climate") { node(path: $p) { path attributes ... on ZarrArray { shape dataType } } } }`,
    variables: { p: "atmosphere/surface/t2m" },
  },
  {
    name: "children, one level",
    weight: 6,
    query: `{ catalogs { name root { path ... on ZarrGroup { nmembers members { nodes { path __typename } } } } } }`,
  },
  {
    name: "nodes by id",
    weight: 3,
    query: `query($ids: [ID!]!) { nodes(ids: $ids) { id ... on ZarrNode { path attributes } } }`,
    variables: {
      ids: [
        encodeGlobalID("ZarrGroup", JSON.stringify(["climate", ""])),
        encodeGlobalID("ZarrGroup", JSON.stringify(["legacy", ""])),
        encodeGlobalID("ZarrGroup", JSON.stringify(["synthetic", "g1/g2"])),
      ],
    },
  },
  {
    name: "synthetic, three nested levels",
    weight: 2,
    query: `{ catalog(name: "synthetic") { root { ${nested(3)} } } }`,
  },
  {
    name: "synthetic, whole catalog (2,183 nodes)",
    weight: 1,
    query: `{ catalog(name: "synthetic") { root { ... on ZarrGroup { members(maxDepth: null, first: 1000) { totalCount pageInfo { hasNextPage } nodes { ${FIELDS} } } } } } }`,
  },
  { name: "introspection", weight: 1, query: getIntrospectionQuery() },
];

async function main(): Promise<void> {
  const app = createApp({ catalogs });
  const server = await listen(app, 0, "127.0.0.1");
  const graphqlErrors = new Map<string, number>();
  const sequence: autocannon.Request[] = [];
  for (const item of MIX) {
    const body = JSON.stringify({ query: item.query, variables: item.variables });
    for (let i = 0; i < item.weight; i++) {
      sequence.push({
        method: "POST",
        headers: { "content-type": "application/json" },
        body,
        onResponse: (status, text) => {
          if (status === 200 && !text.includes('"errors"')) return;
          graphqlErrors.set(item.name, (graphqlErrors.get(item.name) ?? 0) + 1);
        },
      });
    }
  }
  // Each connection walks the sequence from a different place, so the mix is mixed at every moment.
  const rotations = Array.from({ length: CONNECTIONS }, (_, c) => c);
  let connection = 0;
  const result = await autocannon({
    url: server.url,
    connections: CONNECTIONS,
    amount: REQUESTS,
    timeout: 30,
    requests: sequence,
    setupClient: (client) => {
      const offset = (rotations[connection++ % CONNECTIONS] * 5) % sequence.length;
      client.setRequests([...sequence.slice(offset), ...sequence.slice(0, offset)]);
    },
  });
  await server.close();

  const l = result.latency;
  const lines = [
    `requests: ${result.requests.total} in ${result.duration} s over ${CONNECTIONS} connections (${MIX.length} kinds of query)`,
    `throughput: ${result.requests.average.toFixed(0)} req/s on average`,
    `latency (ms): p50 ${l.p50}  p90 ${l.p90}  p97.5 ${l.p97_5}  p99 ${l.p99}  max ${l.max}  mean ${l.average.toFixed(1)}`,
    `2xx: ${result["2xx"]}  non-2xx: ${result.non2xx}  errors: ${result.errors}  timeouts: ${result.timeouts}  GraphQL errors: ${[...graphqlErrors.values()].reduce((a, b) => a + b, 0)}`,
  ];
  process.stdout.write(`${lines.join("\n")}\n`);
  for (const [name, n] of graphqlErrors) process.stdout.write(`  errors in "${name}": ${n}\n`);
  const failed =
    result.errors > 0 ||
    result.timeouts > 0 ||
    result.non2xx > 0 ||
    graphqlErrors.size > 0 ||
    result.requests.total < REQUESTS;
  if (failed) {
    process.stderr.write("load run failed: every request must answer 2xx without errors\n");
    process.exit(1);
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${(error as Error).stack ?? error}\n`);
  process.exit(1);
});
