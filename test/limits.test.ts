// Query, size, time and rate limits: each is hit by a query built to exceed it and answered
// LIMIT_EXCEEDED with extensions.limit, max and actual; realistic deep fetches stay under every
// default. Refusals before execution are shown to cost no store call.
import http from "node:http";
import { encodeGlobalID } from "@pothos/plugin-relay";
import { getIntrospectionQuery } from "graphql";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { EXAMPLE_QUERY, EXAMPLE_STORES } from "../src/server/example.js";
import { listen, type RunningServer } from "../src/server/http.js";
import { DEFAULT_LIMITS, type Limits } from "../src/server/limits/index.js";
import { CountingStore } from "../src/stores/counting.js";
import { FaultStore } from "../src/stores/faults.js";
import { IoCounter } from "../src/stores/io-counter.js";
import { MemoryStore } from "../src/stores/memory.js";
import type { Store } from "../src/stores/store.js";
import { catalog, createApp, fileCatalog, type GqlResult, gql } from "./support/app.js";
import { syntheticTree } from "./support/synthetic.js";

// 2,183 nodes: 364 groups (root included) with 5 arrays each, five levels deep.
const TREE = syntheticTree({ fanout: 3, depth: 5, arraysPerGroup: 5, format: 3 });

function setup(limits: Partial<Limits> = {}, extra: { name: string; store: Store }[] = []) {
  const io = new IoCounter();
  const store = new CountingStore(new MemoryStore("memory://t", TREE.files), io);
  const app = createApp({
    catalogs: [catalog("t", store), ...extra.map((e) => catalog(e.name, e.store))],
    limits,
  });
  return { app, io };
}

/** The refusal's error, checked for the shape every refusal shares. */
function refusal(result: GqlResult, limit: string) {
  const error = result.errors?.find((e) => e.extensions?.limit === limit);
  expect(error, JSON.stringify(result.errors)).toBeDefined();
  expect(error!.extensions!.code).toBe("LIMIT_EXCEEDED");
  expect(typeof error!.extensions!.max).toBe("number");
  expect(typeof error!.extensions!.actual).toBe("number");
  expect(error!.extensions!.actual).toBeGreaterThan(error!.extensions!.max);
  return error!.extensions as { limit: string; max: number; actual: number; code: string };
}

const NODE_FIELDS = `__typename path zarrFormat attributes
  ... on ZarrArray { shape chunks dataType fillValue order metadata dimensionNames codecs { name } }`;

const WHOLE_CATALOG = `{ catalog(name: "t") { root { ... on ZarrGroup {
  members(maxDepth: null, first: 1000) { totalCount pageInfo { hasNextPage endCursor } nodes { ${NODE_FIELDS} } } } } } }`;

/** `levels` nested members selections (children only), `leaf` selected at every level. */
const nested = (levels: number, leaf: string): string =>
  levels === 0 ? leaf : `${leaf} ... on ZarrGroup { members { nodes { ${nested(levels - 1, leaf)} } } }`;

describe("realistic deep fetches pass every default", () => {
  test("the whole catalog of a 2,183-node hierarchy, every node field, maxDepth null, first 1000", async () => {
    const { app } = setup();
    const result = await gql(app, WHOLE_CATALOG);
    expect(result.errors).toBeUndefined();
    const members = result.data.catalog.root.members;
    expect(TREE.nodes.length).toBe(2183);
    expect(members.totalCount).toBe(2183);
    expect(members.pageInfo.hasNextPage).toBe(true);
    expect(members.nodes).toHaveLength(1000);
    expect(members.nodes.filter((n: any) => n.__typename === "ZarrArray")[0].codecs).toEqual([{ name: "bytes" }]);
    // ... and its next page, through the cursor.
    const next = await gql(
      app,
      `query($after: String) { catalog(name: "t") { root { ... on ZarrGroup {
         members(maxDepth: null, first: 1000, after: $after) { nodes { path } pageInfo { hasNextPage } } } } } }`,
      { after: members.pageInfo.endCursor },
    );
    expect(next.errors).toBeUndefined();
    expect(next.data.catalog.root.members.nodes).toHaveLength(1000);
  });

  test.each([3, 4])("%i levels of nested members selections, every node field at each", async (levels) => {
    const { app } = setup();
    const result = await gql(app, `{ catalog(name: "t") { root { ${nested(levels, NODE_FIELDS)} } } }`);
    expect(result.errors).toBeUndefined();
    let level = [result.data.catalog.root];
    for (let i = 0; i < levels; i++) level = level.flatMap((n: any) => n.members?.nodes ?? []);
    const expected = TREE.nodes.filter((p) => p.split("/").length === levels);
    expect(level.map((n: any) => n.path).sort()).toEqual(expected);
  });

  test("the bundled example's GraphiQL query, and GraphiQL's introspection", async () => {
    const app = createApp({ catalogs: EXAMPLE_STORES.map((s) => fileCatalog(s.name, s.url)) });
    const example = await gql(app, EXAMPLE_QUERY);
    expect(example.errors).toBeUndefined();
    expect(example.data.catalog.root.members.totalCount).toBeGreaterThan(0);
    const introspection = await gql(app, getIntrospectionQuery({ descriptions: true, inputValueDeprecation: true }));
    expect(introspection.errors).toBeUndefined();
    expect(introspection.data.__schema.types.length).toBeGreaterThan(10);
  });
});

describe("each limit refuses a query built to exceed it, before any store call", () => {
  test("depth: 17 levels against the default 15", async () => {
    const { app, io } = setup();
    const parents = (n: number): string => (n === 0 ? "path" : `parent { ${parents(n - 1)} }`);
    const result = await gql(app, `{ catalog(name: "t") { node(path: "g0/g0/g0") { ${parents(14)} } } }`);
    expect(refusal(result, "depth")).toMatchObject({ max: 15, actual: 17 });
    expect(result.data).toBeUndefined();
    expect(io.counts.gets + io.counts.lists).toBe(0);
  });

  test("depth counts fields, not fragments: inline fragments and spreads add no level", async () => {
    const { app } = setup({ depth: 4 });
    // Four fields deep (catalog, root, members, totalCount) through three fragments.
    const ok = await gql(
      app,
      `{ catalog(name: "t") { ... on Catalog { root { ...R } } } }
       fragment R on ZarrNode { ... on ZarrGroup { members { totalCount } } }`,
    );
    expect(ok.errors).toBeUndefined();
    expect(ok.data.catalog.root.members.totalCount).toBe(8);
    const refused = await gql(
      app,
      `{ catalog(name: "t") { root { ... on ZarrGroup { members { nodes { path } } } } } }`,
    );
    expect(refusal(refused, "depth")).toMatchObject({ max: 4, actual: 5 });
  });

  test("aliases: 31 against the default 30, fragments included", async () => {
    const { app, io } = setup();
    const aliases = Array.from({ length: 30 }, (_, i) => `a${i}: name`).join(" ");
    const result = await gql(app, `{ catalogs { ...F } x: catalogs { name } } fragment F on Catalog { ${aliases} }`);
    expect(refusal(result, "aliases")).toMatchObject({ max: 30, actual: 31 });
    expect(io.counts.gets + io.counts.lists).toBe(0);
  });

  test("tokens: counted in full while the parser stops at the limit", async () => {
    const { app, io } = setup();
    const query = `{ catalogs { ${"name ".repeat(2500)} } }`;
    const result = await gql(app, query);
    // "{ catalogs {", 2500 names, "} }"
    expect(refusal(result, "tokens")).toMatchObject({ max: 2000, actual: 2505 });
    expect(io.counts.gets + io.counts.lists).toBe(0);
  });

  test("directives: 51 against the default 50", async () => {
    const { app, io } = setup();
    const spreads = Array.from({ length: 51 }, (_, i) => `...F${i} @include(if: true)`).join(" ");
    const fragments = Array.from({ length: 51 }, (_, i) => `fragment F${i} on Catalog { name }`).join(" ");
    const query = `{ catalogs { ${spreads} } } ${fragments}`;
    const result = await gql(app, query);
    expect(refusal(result, "directives")).toMatchObject({ max: 50, actual: 51 });
    expect(io.counts.gets + io.counts.lists).toBe(0);
  });

  test("cost: estimated with the request's variables at execution, for the same cached document", async () => {
    const { app, io } = setup();
    const query = `query($first: Int) { catalog(name: "t") { root { ... on ZarrGroup {
      members(first: $first) { nodes { ... on ZarrGroup {
        members(first: $first, maxDepth: null) { nodes { ${NODE_FIELDS} ... on ZarrGroup { nmembers(maxDepth: null) } } } } } } } } } }`;
    const small = await gql(app, query, { first: 2 });
    expect(small.errors).toBeUndefined();
    expect(small.data.catalog.root.members.nodes).toHaveLength(2);
    const readsBefore = io.counts.gets + io.counts.lists;
    // The same text (validated once, then from yoga's cache) with a larger page is refused.
    const large = await gql(app, query, { first: 1000 });
    const refused = refusal(large, "cost");
    expect(refused.max).toBe(DEFAULT_LIMITS.cost);
    expect(large.data).toBeUndefined();
    expect(io.counts.gets + io.counts.lists).toBe(readsBefore);
    // ... and the small page still passes after it.
    expect((await gql(app, query, { first: 2 })).errors).toBeUndefined();
  });

  test("cost scales with first, with maxDepth (null costs most) and with the ids a list field is given", async () => {
    const { app } = setup({ cost: 2_000 });
    const members = (args: string) =>
      `{ catalog(name: "t") { root { ... on ZarrGroup { members(${args}) { nodes { path attributes } } } } } }`;
    const costOf = async (query: string, variables?: Record<string, unknown>) => {
      const result = await gql(createApp({ catalogs: [], limits: { cost: 0 } }), query, variables);
      return refusal(result, "cost").actual;
    };
    const firstTen = await costOf(members("first: 10"));
    const firstHundred = await costOf(members("first: 100"));
    expect(firstHundred).toBeGreaterThan(5 * firstTen);
    const depthTwo = await costOf(members("first: 10, maxDepth: 2"));
    const depthAll = await costOf(members("first: 10, maxDepth: null"));
    expect(depthTwo).toBeGreaterThan(firstTen);
    expect(depthAll).toBeGreaterThan(depthTwo);
    const byIds = `query($ids: [ID!]!) { nodes(ids: $ids) { ... on ZarrGroup { members(first: 100) { nodes { path } } } } }`;
    const ids = (n: number) => Array.from({ length: n }, () => encodeGlobalID("ZarrGroup", JSON.stringify(["t", ""])));
    expect(await costOf(byIds, { ids: ids(50) })).toBeGreaterThan(20 * (await costOf(byIds, { ids: ids(2) })));
    // Under a configured 2,000 the small one runs, the large one is refused.
    expect((await gql(app, members("first: 10"))).errors).toBeUndefined();
    expect(refusal(await gql(app, members("first: 1000, maxDepth: null")), "cost").max).toBe(2_000);
  });

  test("cost covers federation's _entities, by the number of representations", async () => {
    const { app, io } = setup({ cost: 50_000 });
    const query = `query($reps: [_Any!]!) { _entities(representations: $reps) {
      ... on ZarrGroup { path members(first: 1000) { nodes { path attributes } } } } }`;
    const reps = (n: number) =>
      Array.from({ length: n }, (_, i) => ({ __typename: "ZarrGroup", catalog: "t", path: `g${i % 3}` }));
    const few = await gql(app, query, { reps: reps(3) });
    expect(few.errors).toBeUndefined();
    expect(few.data._entities.map((e: any) => e.path)).toEqual(["g0", "g1", "g2"]);
    const readsBefore = io.counts.gets + io.counts.lists;
    const many = await gql(app, query, { reps: reps(30) });
    expect(refusal(many, "cost")).toMatchObject({ max: 50_000 });
    expect(io.counts.gets + io.counts.lists).toBe(readsBefore);
  });

  test("nodes: maxDepth null over more nodes than the budget is refused, never truncated", async () => {
    const { app } = setup({ nodeBudget: 500 });
    const result = await gql(
      app,
      `{ catalogs { name } catalog(name: "t") { root { ... on ZarrGroup { members(maxDepth: null) { totalCount } } } } }`,
    );
    const refused = refusal(result, "nodes");
    expect(refused.max).toBe(500);
    expect(result.data.catalogs).toEqual([{ name: "t" }]);
    // The default budget covers the same walk.
    const { app: roomy } = setup();
    const whole = await gql(roomy, `{ catalog(name: "t") { root { ... on ZarrGroup { nmembers(maxDepth: null) } } } }`);
    expect(whole.data.catalog.root.nmembers).toBe(2183);
  });

  test("documentBytes: a metadata document over the cap is refused at that node; the rest answers", async () => {
    const store = new MemoryStore("memory://d", {
      "zarr.json": JSON.stringify({ zarr_format: 3, node_type: "group" }),
      "small/zarr.json": JSON.stringify({ zarr_format: 3, node_type: "group" }),
      "big/zarr.json": JSON.stringify({ zarr_format: 3, node_type: "group", attributes: { pad: "x".repeat(5000) } }),
    });
    const app = createApp({ catalogs: [catalog("d", store)], limits: { maxDocumentBytes: 4096 } });
    const result = await gql(
      app,
      `{ catalog(name: "d") { root { ... on ZarrGroup { members { nodes { path } } } } } }`,
    );
    expect(result.data.catalog.root.members.nodes).toEqual([null, { path: "small" }]);
    const refused = refusal(result, "documentBytes");
    expect(refused.max).toBe(4096);
    expect(refused.actual).toBeGreaterThan(5000);
    expect(result.errors![0].path).toEqual(["catalog", "root", "members", "nodes", 0]);
  });
});

describe("the deadline", () => {
  test("answers by the deadline with what finished; hung reads are cancelled and say LIMIT_EXCEEDED deadline", async () => {
    const hanging = new FaultStore(new MemoryStore("memory://h", TREE.files), { rate: 1, seed: 1, kinds: ["hang"] });
    const { app } = setup({ deadlineMs: 300 }, [{ name: "hanging", store: hanging }]);
    const started = performance.now();
    const result = await gql(
      app,
      `{ fine: catalog(name: "t") { root { path } } stuck: catalog(name: "hanging") { root { path } node(path: "g0") { path } } }`,
    );
    // Generous bound: the point is that it does not wait for the hung reads (60 s each).
    expect(performance.now() - started).toBeLessThan(5_000);
    expect(result.data.fine.root).toEqual({ path: "" });
    expect(result.data.stuck).toEqual({ root: null, node: null });
    for (const error of result.errors!) {
      expect(error.extensions).toMatchObject({ code: "LIMIT_EXCEEDED", limit: "deadline", max: 300 });
      expect(error.extensions!.actual).toBeGreaterThanOrEqual(300);
    }
    expect(result.errors!.map((e) => e.path!.join("."))).toEqual(expect.arrayContaining(["stuck.root", "stuck.node"]));
    // Every hung read saw its signal abort.
    expect(hanging.stats.faults.hang).toBeGreaterThan(0);
    expect(hanging.stats.cancelled).toBe(hanging.stats.faults.hang);
  });

  test("holds over a store that ignores the signal altogether", async () => {
    let pending = 0;
    const deaf: Store = {
      description: "memory://deaf",
      capabilities: { writable: false, listable: true, listTree: false },
      get: () => {
        pending++;
        return new Promise(() => {});
      },
      list: () => new Promise(() => {}),
      set: async () => undefined,
      delete: async () => false,
      deletePrefix: async () => 0,
    };
    const { app } = setup({ deadlineMs: 200 }, [{ name: "deaf", store: deaf }]);
    const started = performance.now();
    const result = await gql(app, `{ catalog(name: "deaf") { root { path } } }`);
    expect(performance.now() - started).toBeLessThan(5_000);
    expect(pending).toBeGreaterThan(0);
    expect(result.data.catalog.root).toBeNull();
    expect(result.errors![0].extensions).toMatchObject({ code: "LIMIT_EXCEEDED", limit: "deadline" });
  });
});

describe("over HTTP: body size and rate", () => {
  let server: RunningServer;
  let limited: RunningServer;

  beforeAll(async () => {
    server = await listen(setup({ bodyBytes: 10_000 }).app, 0, "127.0.0.1");
    limited = await listen(setup({ rate: { max: 3, windowMs: 60_000 } }).app, 0, "127.0.0.1");
  });
  afterAll(async () => {
    await server.close();
    await limited.close();
  });

  /** A raw POST through node:http, so the body can be sent chunked (no Content-Length). */
  function post(url: string, chunks: string[], chunked: boolean): Promise<{ status: number; body: any }> {
    return new Promise((resolve, reject) => {
      const total = chunks.reduce((n, c) => n + Buffer.byteLength(c), 0);
      const req = http.request(url, {
        method: "POST",
        headers: { "content-type": "application/json", ...(chunked ? {} : { "content-length": String(total) }) },
      });
      req.on("response", (res) => {
        let text = "";
        res.on("data", (c) => {
          text += c;
        });
        res.on("end", () => resolve({ status: res.statusCode!, body: JSON.parse(text) }));
      });
      // The server may answer and close before the whole body is sent: that is the point.
      req.on("error", reject);
      for (const chunk of chunks) req.write(chunk);
      req.end();
    });
  }

  const bigBody = JSON.stringify({ query: "{ catalogs { name } }", variables: { pad: "x".repeat(20_000) } });

  test("bodySize: refused from Content-Length with the declared size", async () => {
    const { status, body } = await post(server.url, [bigBody], false);
    expect(status).toBe(413);
    expect(body.errors[0].extensions).toEqual({
      code: "LIMIT_EXCEEDED",
      limit: "bodySize",
      max: 10_000,
      actual: Buffer.byteLength(bigBody),
    });
  });

  test("bodySize: refused while a chunked body streams in", async () => {
    const chunks = bigBody.match(/[\s\S]{1,4000}/g)!;
    const { status, body } = await post(server.url, chunks, true);
    expect(status).toBe(413);
    expect(body.errors[0].extensions).toMatchObject({ code: "LIMIT_EXCEEDED", limit: "bodySize", max: 10_000 });
    expect(body.errors[0].extensions.actual).toBeGreaterThan(10_000);
    // A body under the cap, chunked too, is served.
    const ok = await post(server.url, [JSON.stringify({ query: "{ catalogs { name } }" })], true);
    expect(ok).toEqual({ status: 200, body: { data: { catalogs: [{ name: "t" }] } } });
  });

  test("deadline: a body that has not arrived by the deadline is refused, and the connection freed", async () => {
    const slow = await listen(setup({ deadlineMs: 300 }).app, 0, "127.0.0.1");
    try {
      const started = performance.now();
      const answer = await new Promise<{ status: number; body: any }>((resolve, reject) => {
        const req = http.request(slow.url, {
          method: "POST",
          headers: { "content-type": "application/json", "content-length": "1000" },
        });
        req.on("response", (res) => {
          let text = "";
          res.on("data", (c) => {
            text += c;
          });
          res.on("end", () => resolve({ status: res.statusCode!, body: JSON.parse(text) }));
        });
        req.on("error", reject);
        // Ten bytes of a promised thousand, and then nothing.
        req.write('{"query": ');
      });
      expect(performance.now() - started).toBeLessThan(5_000);
      expect(answer.status).toBe(408);
      expect(answer.body.errors[0].extensions).toMatchObject({ code: "LIMIT_EXCEEDED", limit: "deadline", max: 300 });
    } finally {
      await slow.close();
    }
  });

  test("rate: the fourth request in a window of three answers 429 with Retry-After", async () => {
    const ask = () =>
      fetch(limited.url, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ query: "{ catalogs { name } }" }),
      });
    for (let i = 0; i < 3; i++) expect((await ask()).status).toBe(200);
    const refused = await ask();
    expect(refused.status).toBe(429);
    const seconds = Number(refused.headers.get("retry-after"));
    expect(seconds).toBeGreaterThan(0);
    expect(seconds).toBeLessThanOrEqual(60);
    const body = await refused.json();
    expect(body.errors[0].extensions).toEqual({ code: "LIMIT_EXCEEDED", limit: "rate", max: 3, actual: 4 });
  });

  test("no rate limit by default", async () => {
    expect(DEFAULT_LIMITS.rate).toBeNull();
    const statuses = await Promise.all(
      Array.from({ length: 40 }, () =>
        fetch(server.url, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({ query: "{ catalogs { name } }" }),
        }).then((r) => r.status),
      ),
    );
    expect(new Set(statuses)).toEqual(new Set([200]));
  });
});
