// Batched requests (Apollo's BatchHttpLink: a JSON array of operations in one POST): each
// operation is limited as if it came alone; the batch as a whole meets the batch-size limit,
// the rate limit (one count per operation) and the request's deadline.
import { ApolloClient, InMemoryCache } from "@apollo/client";
import { BatchHttpLink } from "@apollo/client/link/batch-http";
import { parse } from "graphql";
import { afterAll, describe, expect, test } from "vitest";
import { listen, type RunningServer } from "../src/server/http.js";
import type { Limits } from "../src/server/limits/index.js";
import { FaultStore } from "../src/stores/faults.js";
import { MemoryStore } from "../src/stores/memory.js";
import type { Store } from "../src/stores/store.js";
import { catalog, createApp } from "./support/app.js";
import { syntheticTree } from "./support/synthetic.js";

const TREE = syntheticTree({ fanout: 2, depth: 2, arraysPerGroup: 1, format: 3 });
const servers: RunningServer[] = [];

async function serve(limits: Partial<Limits> = {}, store: Store = new MemoryStore("memory://t", TREE.files)) {
  const server = await listen(createApp({ catalogs: [catalog("t", store)], limits }), 0, "127.0.0.1");
  servers.push(server);
  return server.url;
}

afterAll(async () => {
  await Promise.all(servers.map((s) => s.close()));
});

async function postBatch(url: string, operations: { query: string; variables?: Record<string, unknown> }[]) {
  const response = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(operations),
  });
  return { status: response.status, headers: response.headers, body: (await response.json()) as any };
}

describe("Apollo's BatchHttpLink", () => {
  test("three queries made together travel in one request and each gets its own answer", async () => {
    const url = await serve();
    const bodies: unknown[] = [];
    const client = new ApolloClient({
      cache: new InMemoryCache(),
      link: new BatchHttpLink({
        uri: url,
        batchMax: 10,
        batchInterval: 20,
        fetch: async (input, init) => {
          bodies.push(JSON.parse(String(init?.body)));
          return fetch(input, init);
        },
      }),
    });
    const ask = (path: string) =>
      client.query<any>({
        query: parse(`query Node($path: String!) { catalog(name: "t") { node(path: $path) { path } } }`),
        variables: { path },
        fetchPolicy: "network-only",
      });
    const results = await Promise.all(["g0", "g1", "g0/g1"].map(ask));
    expect(results.map((r) => r.data.catalog.node.path)).toEqual(["g0", "g1", "g0/g1"]);
    expect(bodies).toHaveLength(1);
    expect(Array.isArray(bodies[0]) && bodies[0].length).toBe(3);
  });
});

describe("limits", () => {
  test("a batch over the batch limit is refused whole, 413 LIMIT_EXCEEDED batch", async () => {
    const url = await serve({ batch: 3 });
    const refused = await postBatch(url, Array(4).fill({ query: "{ catalogs { name } }" }));
    expect(refused.status).toBe(413);
    expect(refused.body.errors).toEqual([
      {
        message: "the batch holds 4 operations, more than the 3 allowed",
        extensions: { code: "LIMIT_EXCEEDED", limit: "batch", max: 3, actual: 4 },
      },
    ]);
    const accepted = await postBatch(url, Array(3).fill({ query: "{ catalogs { name } }" }));
    expect(accepted.status).toBe(200);
    expect(accepted.body).toHaveLength(3);
  });

  test("each operation is costed as if alone: only the expensive one is refused", async () => {
    const url = await serve({ cost: 50 });
    const cheap = `{ catalog(name: "t") { root { path } } }`;
    const dear = `{ catalog(name: "t") { root { ... on ZarrGroup { members(maxDepth: null, first: 100) { nodes { path } } } } } }`;
    const { status, body } = await postBatch(url, [{ query: cheap }, { query: dear }, { query: cheap }]);
    expect(status).toBe(200);
    expect(body[0]).toEqual({ data: { catalog: { root: { path: "" } } } });
    expect(body[2]).toEqual(body[0]);
    expect(body[1].data).toBeUndefined();
    expect(body[1].errors[0].extensions).toMatchObject({ code: "LIMIT_EXCEEDED", limit: "cost", max: 50 });
  });

  test("the rate limit counts every operation of a batch", async () => {
    const url = await serve({ rate: { max: 4, windowMs: 60_000 } });
    const batch = await postBatch(url, Array(3).fill({ query: "{ catalogs { name } }" }));
    expect(batch.status).toBe(200);
    const fourth = await postBatch(url, [{ query: "{ catalogs { name } }" }]);
    expect(fourth.status).toBe(200);
    const fifth = await fetch(url, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ query: "{ catalogs { name } }" }),
    });
    expect(fifth.status).toBe(429);
    expect((await fifth.json()).errors[0].extensions).toEqual({
      code: "LIMIT_EXCEEDED",
      limit: "rate",
      max: 4,
      actual: 5,
    });
  });

  test("a batch that would take its client over the rate is refused whole, 429 with Retry-After", async () => {
    const url = await serve({ rate: { max: 4, windowMs: 60_000 } });
    const refused = await postBatch(url, Array(5).fill({ query: "{ catalogs { name } }" }));
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get("retry-after"))).toBeGreaterThan(0);
    expect(refused.body.errors[0].extensions).toEqual({ code: "LIMIT_EXCEEDED", limit: "rate", max: 4, actual: 5 });
  });

  test("the batch answers by its request's deadline: operations stuck on reads say LIMIT_EXCEEDED deadline", async () => {
    const hanging = new FaultStore(new MemoryStore("memory://h", TREE.files), { rate: 1, seed: 1, kinds: ["hang"] });
    const url = await serve({ deadlineMs: 300 }, hanging);
    const started = performance.now();
    const { status, body } = await postBatch(url, [
      { query: `{ catalog(name: "t") { root { path } } }` },
      { query: `{ catalogs { name } }` },
      { query: `{ catalog(name: "t") { node(path: "g1") { path } } }` },
    ]);
    // Generous: the point is that nothing waits for the hung reads (60 s each).
    expect(performance.now() - started).toBeLessThan(5_000);
    expect(status).toBe(200);
    expect(body[1]).toEqual({ data: { catalogs: [{ name: "t" }] } });
    for (const stuck of [body[0], body[2]]) {
      expect(stuck.errors[0].extensions).toMatchObject({ code: "LIMIT_EXCEEDED", limit: "deadline", max: 300 });
    }
  });
});
