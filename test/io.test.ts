import { describe, expect, test } from "vitest";
import { LatencyStore } from "../src/stores/latency.js";
import { MemoryStore } from "../src/stores/memory.js";
import type { Store } from "../src/stores/store.js";
import { catalog, createApp, gql } from "./support/app.js";
import { RecordingStore, syntheticTree, withoutListTree } from "./support/synthetic.js";

const depthOf = (p: string) => p.split("/").length;

function setup(format: 2 | 3, wrap: (s: Store) => Store, concurrency = 1000) {
  const tree = syntheticTree({ fanout: 2, depth: 4, arraysPerGroup: 2, format });
  const recording = new RecordingStore(wrap(new LatencyStore(new MemoryStore("memory://t", tree.files), 2)));
  // A bound above the widest level, so each level fits one wave (the bound has its own test).
  const app = createApp({ catalogs: [catalog("t", recording)], limits: { concurrency } });
  return { tree, recording, app };
}

const DEEP = `{ catalog(name: "t") { root { ... on ZarrGroup {
  members(maxDepth: 3, first: 1000) { totalCount nodes { path attributes ... on ZarrArray { shape } } } } } } }`;

/** `levels` nested members selections, each of children only. */
const nested = (levels: number): string =>
  levels === 0 ? "path attributes" : `path ... on ZarrGroup { members { nodes { ${nested(levels - 1)} } } }`;
const NESTED = `{ catalog(name: "t") { root { ${nested(4)} } } }`;

describe.each([2, 3] as const)("a depth-4 query over format %i", (format) => {
  test("level by level: each document read once, each level's reads in one concurrent batch", async () => {
    const { tree, recording, app } = setup(format, withoutListTree);
    const result = await gql(app, DEEP);
    expect(result.errors).toBeUndefined();
    const expected = tree.nodes.filter((p) => depthOf(p) <= 4);
    expect(result.data.catalog.root.members.nodes.map((n: { path: string }) => n.path)).toEqual(expected);

    const gets = recording.calls.filter((c) => c.kind === "get").map((c) => c.key);
    expect(new Set(gets).size).toBe(gets.length);
    // Every level's reads and listings started before any of them finished.
    for (let level = 1; level <= 4; level++) {
      const reads = recording.calls.filter((c) => c.kind === "get" && depthOf(c.key) === level + 1);
      expect(reads.length).toBeGreaterThan(0);
      expect(RecordingStore.concurrent(reads)).toBe(true);
    }
    const groupsWalked = 1 + tree.nodes.filter((p) => depthOf(p) <= 3 && p.split("/").pop()!.startsWith("g")).length;
    const io = result.extensions!.io!;
    expect(io.lists).toBe(groupsWalked);
    // One GET per probe: the root's (zarr.json, .zarray, .zgroup, .zattrs, .zmetadata), then one
    // per member document of its format (a group's listing says it has no .zmetadata).
    const probesPerChild = format === 3 ? 1 : 3;
    expect(io.gets).toBe(5 + expected.length * probesPerChild);
    expect(io.waves).toBeLessThanOrEqual(2 * (4 + 1));
  });

  test("nested members selections batch by level too", async () => {
    const { recording, app } = setup(format, withoutListTree);
    const result = await gql(app, NESTED);
    expect(result.errors).toBeUndefined();
    const level4 = result.data.catalog.root.members.nodes
      .flatMap((n: any) => n.members?.nodes ?? [])
      .flatMap((n: any) => n.members?.nodes ?? [])
      .flatMap((n: any) => n.members?.nodes ?? []);
    expect(level4.length).toBe(8 * 4);
    const gets = recording.calls.filter((c) => c.kind === "get").map((c) => c.key);
    expect(new Set(gets).size).toBe(gets.length);
    expect(result.extensions!.io!.waves).toBeLessThanOrEqual(2 * (4 + 1));
  });

  test("nested members selections over a store that lists trees: one listing, one wave of reads", async () => {
    const { recording, app } = setup(format, (s) => s);
    const result = await gql(app, NESTED);
    expect(result.errors).toBeUndefined();
    const io = result.extensions!.io!;
    expect(io.lists).toBe(1);
    expect(io.waves).toBe(3);
    const gets = recording.calls.filter((c) => c.kind === "get").map((c) => c.key);
    expect(new Set(gets).size).toBe(gets.length);
  });

  test("over a store that lists trees: one listing, then one wave of reads", async () => {
    const { tree, recording, app } = setup(format, (s) => s);
    const result = await gql(app, DEEP);
    expect(result.errors).toBeUndefined();
    const expected = tree.nodes.filter((p) => depthOf(p) <= 4);
    expect(result.data.catalog.root.members.totalCount).toBe(expected.length);
    const io = result.extensions!.io!;
    expect(io.lists).toBe(1);
    expect(recording.calls.filter((c) => c.kind === "list")).toEqual([]);
    // The root's probe (one wave), the listing, the reads; and no GET for a document the
    // listing said is absent.
    expect(io.waves).toBe(3);
    const docsWithin = Object.keys(tree.files).filter(
      (k) => /(zarr\.json|\.zarray|\.zgroup|\.zattrs)$/.test(k) && depthOf(k) >= 2 && depthOf(k) <= 5,
    );
    expect(io.gets).toBe(5 + docsWithin.length);
  });
});

test("the same document is read once even when many fields ask for it", async () => {
  const { recording, app } = setup(3, withoutListTree);
  const result = await gql(
    app,
    `{ catalog(name: "t") { a: node(path: "g0/a0") { path } b: node(path: "g0/a0") { attributes }
       root { ... on ZarrGroup { member(path: "g0/a0") { path } nmembers } } } }`,
  );
  expect(result.errors).toBeUndefined();
  const gets = recording.calls.filter((c) => c.kind === "get").map((c) => c.key);
  expect(gets.filter((k) => k === "g0/a0/zarr.json")).toHaveLength(1);
  expect(new Set(gets).size).toBe(gets.length);
});

test("reads stay within the concurrency bound", async () => {
  const { recording, app } = setup(2, withoutListTree, 8);
  const result = await gql(app, DEEP);
  expect(result.errors).toBeUndefined();
  let inFlight = 0;
  let max = 0;
  const events = recording.calls.flatMap((c) => [
    { t: c.start, d: 1 },
    { t: c.end, d: -1 },
  ]);
  for (const e of events.sort((a, b) => a.t - b.t)) {
    inFlight += e.d;
    max = Math.max(max, inFlight);
  }
  expect(max).toBe(8);
});
