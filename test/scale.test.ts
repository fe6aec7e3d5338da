import { describe, expect, test } from "vitest";
import { ancestors } from "../src/hierarchy/paths.js";
import { LatencyStore } from "../src/stores/latency.js";
import { MemoryStore } from "../src/stores/memory.js";
import type { Store } from "../src/stores/store.js";
import { catalog, createApp, gql } from "./support/app.js";
import { RecordingStore, syntheticTree } from "./support/synthetic.js";

// 2,800 groups and 8,403 arrays: 11,203 nodes below the root, format 2.
const TREE = syntheticTree({ fanout: 7, depth: 4, arraysPerGroup: 3, format: 2 });

const PAGE = `query ($after: String) { catalog(name: "c") { root { ... on ZarrGroup {
  members(maxDepth: null, first: 1000, after: $after) {
    pageInfo { hasNextPage endCursor } nodes { path attributes ... on ZarrArray { shape } } } } } } }`;

/** The node a document key belongs to: "g0/a1/.zarray" -> "g0/a1". */
const nodeOf = (key: string) => (key.includes("/") ? key.slice(0, key.lastIndexOf("/")) : "");

interface Page {
  paths: string[];
  hasNextPage: boolean;
  endCursor: string | null;
  io: { gets: number; lists: number; bytes: number; waves: number };
}

async function readPage(app: ReturnType<typeof createApp>, after: string | null): Promise<Page> {
  const result = await gql(app, PAGE, { after });
  expect(result.errors).toBeUndefined();
  const members = result.data.catalog.root.members;
  return {
    paths: members.nodes.map((n: { path: string }) => n.path),
    hasNextPage: members.pageInfo.hasNextPage,
    endCursor: members.pageInfo.endCursor,
    io: result.extensions!.io!,
  };
}

describe("paging a deep walk over 11,203 nodes", () => {
  test("each page reads its own nodes, the groups above them and little more; all pages read each document once", async () => {
    const store = new MemoryStore("memory://scale", TREE.files);
    const seen: string[] = [];
    let after: string | null = null;
    let pages = 0;
    const reads = new Map<string, number>();
    for (;;) {
      // A fresh server per page: nothing is carried over, each page pays for itself.
      const recording = new RecordingStore(store);
      const page: Page = await readPage(createApp({ catalogs: [catalog("c", recording)] }), after);
      pages++;
      seen.push(...page.paths);
      const own = new Set(["", ...page.paths, ...page.paths.flatMap(ancestors)]);
      const gets = recording.calls.filter((c) => c.kind === "get").map((c) => c.key);
      const lists = recording.calls.filter((c) => c.kind === "list").map((c) => c.key);
      for (const key of gets) reads.set(key, (reads.get(key) ?? 0) + 1);
      // Beyond its own nodes and the groups above them, a page reads only members it looks ahead
      // at (whether there is a next page; siblings read together with the ones it needed).
      const beyond = new Set(gets.map(nodeOf).filter((p) => !own.has(p)));
      expect(beyond.size).toBeLessThanOrEqual(page.paths.length / 10);
      // It lists only groups it returns or passes through, never one wholly before the cursor.
      for (const prefix of lists) expect(own.has(prefix) || beyond.has(prefix)).toBe(true);
      expect(new Set(gets).size).toBe(gets.length);
      if (!page.hasNextPage) break;
      after = page.endCursor;
    }
    expect(pages).toBe(12);
    expect(seen).toEqual(TREE.nodes);
    // All pages together: about one read per document (a root probe and the groups above each
    // page's first node are read again per page, nothing else).
    const documents = Object.keys(TREE.files).filter((k) => /\.z(array|group|attrs)$/.test(k)).length;
    const total = [...reads.values()].reduce((a, b) => a + b, 0);
    expect(total).toBeLessThan(documents * 1.6 + pages * 40);
  });

  test("with the cache warm, the whole paged walk reads no document body; a changed document is read on the next request", async () => {
    const memory = new MemoryStore("memory://scale", TREE.files);
    const recording = new RecordingStore(memory);
    const app = createApp({ catalogs: [catalog("c", recording)] });
    const walk = async () => {
      const io = { gets: 0, bytes: 0, lists: 0 };
      let after: string | null = null;
      for (;;) {
        const page: Page = await readPage(app, after);
        io.gets += page.io.gets;
        io.bytes += page.io.bytes;
        io.lists += page.io.lists;
        if (!page.hasNextPage) return io;
        after = page.endCursor;
      }
    };
    // A plain read of a document that exists returns its body; one that does not, a 404.
    const bodies = () => recording.calls.filter((c) => c.kind === "get" && c.key in TREE.files).map((c) => c.key);
    const cold = await walk();
    // Across all pages of the cold pass, each document's body was read at most once.
    expect(new Set(bodies()).size).toBe(bodies().length);
    recording.calls.length = 0;
    const warm = await walk();
    expect(cold.bytes).toBeGreaterThan(0);
    // maxStalenessMs 0: every document is asked about again, but only conditionally.
    expect(warm.bytes).toBe(0);
    expect(bodies()).toEqual([]);
    expect(recording.calls.filter((c) => c.kind === "getIfChanged").length).toBeGreaterThan(0);

    const changed = new TextEncoder().encode(JSON.stringify({ units: "m", changed: true }));
    await memory.set("g0/g1/a2/.zattrs", changed);
    const result = await gql(app, `{ catalog(name: "c") { node(path: "g0/g1/a2") { attributes } } }`);
    expect(result.data.catalog.node.attributes).toEqual({ units: "m", changed: true });
    // Every other document it rests on was confirmed without its body; the changed one was read.
    expect(result.extensions!.io!.bytes).toBe(changed.byteLength);
  });

  test("within maxStalenessMs nothing is asked of the store; at 0 every request asks", async () => {
    const memory = new MemoryStore("memory://scale", TREE.files);
    const stale = createApp({ catalogs: [{ ...catalog("c", memory), maxStalenessMs: 60_000 }] });
    const first = await readPage(stale, null);
    const again = await readPage(stale, null);
    expect(first.io.gets).toBeGreaterThan(0);
    expect(again.io).toMatchObject({ gets: 0, lists: 0, bytes: 0 });
    expect(again.paths).toEqual(first.paths);

    const fresh = createApp({ catalogs: [catalog("c", memory)] });
    await readPage(fresh, null);
    const asked = await readPage(fresh, null);
    expect(asked.io.gets).toBeGreaterThan(0);
    expect(asked.io.bytes).toBe(0);
  });

  test("a walk the deadline cuts short is an error, never a shorter list or count", async () => {
    const slow: Store = new LatencyStore(new MemoryStore("memory://scale", TREE.files), 3);
    const app = createApp({ catalogs: [catalog("c", slow)], limits: { deadlineMs: 300, concurrency: 8 } });
    const result = await gql(
      app,
      `{ catalog(name: "c") { root { ... on ZarrGroup { nmembers(maxDepth: null)
        members(maxDepth: null, first: 10) { totalCount nodes { path } } } } } }`,
    );
    expect(result.errors?.length).toBeGreaterThan(0);
    for (const error of result.errors!) {
      expect(error.extensions?.code).toBe("LIMIT_EXCEEDED");
      expect(error.extensions?.limit).toBe("deadline");
    }
    const root = result.data?.catalog?.root;
    // Neither a count nor a page came back short: each is missing, with its error.
    expect(root?.nmembers ?? null).toBeNull();
    expect(root?.members ?? null).toBeNull();
  });
});
