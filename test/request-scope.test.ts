// How a request reads a catalog (issue 12, items 1, 4 and 5): one way to build its reader (the
// response cache's check included, so the deadline bounds it), a catalog's limits within the
// server's, and one walk per group and depth per request.
import { describe, expect, test } from "vitest";
import { LatencyStore } from "../src/stores/latency.js";
import { MemoryStore } from "../src/stores/memory.js";
import type { CallOptions } from "../src/stores/store.js";
import { type Operation, StoreWrapper } from "../src/stores/wrapper.js";
import { catalog, createApp, gql } from "./support/app.js";
import { RecordingStore, syntheticTree } from "./support/synthetic.js";

/** A store that, once told to, never answers a read and ignores every signal. */
class StallingStore extends StoreWrapper {
  stalled = false;
  calls = 0;

  protected around<T, O extends CallOptions | undefined>(
    _operation: Operation,
    _key: string,
    options: O,
    call: (options: O) => Promise<T>,
  ): Promise<T> {
    if (!this.stalled) return call(options);
    this.calls++;
    return new Promise<T>(() => {});
  }
}

const TREE = syntheticTree({ fanout: 3, depth: 2, arraysPerGroup: 2, format: 2, consolidated: true });
const WHOLE = `{ catalog(name: "c") { root { attributes ... on ZarrGroup { members(maxDepth: null) { nodes { path attributes } } } } } }`;

test("the response cache's check reads through the request's reader: a store that hangs meets the deadline", async () => {
  const store = new StallingStore(new MemoryStore("memory://c", TREE.files));
  const app = createApp({ catalogs: [catalog("c", store)], limits: { deadlineMs: 300 } });
  const first = await gql(app, WHOLE);
  expect(first.errors).toBeUndefined();
  expect((await gql(app, WHOLE)).extensions!.io).toMatchObject({ responseCache: "hit" });

  store.stalled = true;
  const started = performance.now();
  const stuck = await gql(app, WHOLE);
  // Generous bound: without the deadline the request would wait forever.
  expect(performance.now() - started).toBeLessThan(5_000);
  expect(store.calls).toBeGreaterThan(0);
  expect(stuck.data.catalog.root).toBeNull();
  expect(stuck.errors![0].extensions).toMatchObject({ code: "LIMIT_EXCEEDED", limit: "deadline", max: 300 });
});

describe("a catalog's limits apply within the server's, never beyond", () => {
  const plain = syntheticTree({ fanout: 4, depth: 3, arraysPerGroup: 3, format: 3 });

  test("reads in flight: the smaller of the two bounds", async () => {
    const recording = new RecordingStore(new LatencyStore(new MemoryStore("memory://c", plain.files), 2));
    const app = createApp({
      catalogs: [{ ...catalog("c", recording), limits: { concurrency: 500 } }],
      limits: { concurrency: 4 },
    });
    const result = await gql(app, `{ catalog(name: "c") { root { ... on ZarrGroup { nmembers(maxDepth: null) } } } }`);
    expect(result.errors).toBeUndefined();
    let inFlight = 0;
    let most = 0;
    const events = recording.calls.flatMap((c) => [
      { t: c.start, d: 1 },
      { t: c.end, d: -1 },
    ]);
    for (const e of events.sort((a, b) => a.t - b.t)) {
      inFlight += e.d;
      most = Math.max(most, inFlight);
    }
    expect(most).toBe(4);
  });

  test("nodes walked: the server's budget bounds a catalog that asks for more", async () => {
    const app = createApp({
      catalogs: [{ ...catalog("c", new MemoryStore("memory://c", plain.files)), limits: { nodeBudget: 1_000_000 } }],
      limits: { nodeBudget: 20 },
    });
    const result = await gql(app, `{ catalog(name: "c") { root { ... on ZarrGroup { nmembers(maxDepth: null) } } } }`);
    expect(result.errors?.[0].extensions).toMatchObject({ code: "LIMIT_EXCEEDED", limit: "nodes", max: 20 });
  });
});

test("members, nmembers, info and tree of one group walk it once: the node budget is charged once", async () => {
  const plain = syntheticTree({ fanout: 3, depth: 3, arraysPerGroup: 2, format: 2 });
  const nodes = plain.nodes.length;
  const app = createApp({
    catalogs: [catalog("c", new MemoryStore("memory://c", plain.files))],
    limits: { nodeBudget: nodes },
  });
  const result = await gql(
    app,
    `{ catalog(name: "c") { root { ... on ZarrGroup {
      members(maxDepth: null, first: 10) { totalCount } nmembers(maxDepth: null) info { members } tree } } } }`,
  );
  expect(result.errors).toBeUndefined();
  const root = result.data.catalog.root;
  expect([root.members.totalCount, root.nmembers, root.info.members]).toEqual([nodes, nodes, nodes]);
  // One node more than the budget is refused, never truncated.
  const tight = createApp({
    catalogs: [catalog("c", new MemoryStore("memory://c", plain.files))],
    limits: { nodeBudget: nodes - 1 },
  });
  const refused = await gql(tight, `{ catalog(name: "c") { root { ... on ZarrGroup { nmembers(maxDepth: null) } } } }`);
  expect(refused.errors?.[0].extensions).toMatchObject({ code: "LIMIT_EXCEEDED", limit: "nodes" });
});
