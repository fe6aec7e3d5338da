import { readFile } from "node:fs/promises";
import path from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, test } from "vitest";
import type { App } from "../src/server/app.js";
import { FileStore } from "../src/stores/file.js";
import { MemoryStore } from "../src/stores/memory.js";
import type { Store } from "../src/stores/store.js";
import { catalog } from "./support/app.js";
import { type Recorded, startProxy, storeVia } from "./support/gcs-proxy.js";
import { codeOf, mutate, tempDir, text, writableApp } from "./support/writes.js";

const UPDATE = `mutation ($input: UpdateAttributesInput!) { updateAttributes(input: $input) { node { attributes version } } }`;
const CREATE_GROUP = `mutation ($input: CreateGroupInput!) { createGroup(input: $input) { group { path version } } }`;
const CREATE_ARRAY = `mutation ($input: CreateArrayInput!) { createArray(input: $input) { array { path } } }`;

const ROUNDS = 15;

describe.each([
  [
    "memory",
    async () => ({
      store: new MemoryStore() as Store,
      read: undefined as ((key: string) => Promise<string>) | undefined,
      done: async () => {},
    }),
  ],
  [
    "file",
    async () => {
      const { dir, remove } = await tempDir();
      return {
        store: new FileStore(dir) as Store,
        read: (key: string) => readFile(path.join(dir, key), "utf8"),
        done: remove,
      };
    },
  ],
])("concurrent edits on the %s store", (_name, make) => {
  let store: Store;
  let app: App;
  let done: () => Promise<void>;
  let readRaw: (key: string) => Promise<string>;

  beforeAll(async () => {
    const made = await make();
    store = made.store;
    done = made.done;
    readRaw = made.read ?? (async (key) => text((await store.get(key))!.data));
    app = writableApp([catalog("c", store)]).app;
    expect(
      (await mutate(app, CREATE_GROUP, { input: { catalog: "c", path: "g", attributes: { n: 0 } } })).errors,
    ).toBeUndefined();
  });
  afterAll(() => done());

  const update = (attributes: Record<string, unknown>, ifVersion?: string, mode = "REPLACE") =>
    mutate(app, UPDATE, { input: { catalog: "c", path: "g", mode, attributes, ...(ifVersion ? { ifVersion } : {}) } });

  test("two edits with the same ifVersion: one wins, the other gets CONFLICT, the document is whole", async () => {
    for (let round = 1; round <= ROUNDS; round++) {
      const current = await mutate(app, `{ catalog(name: "c", consolidated: IGNORE) { node(path: "g") { version } } }`);
      const version = current.data.catalog.node.version;
      const [a, b] = await Promise.all([
        update({ writer: "a", round }, version),
        update({ writer: "b", round }, version),
      ]);
      const outcomes = [codeOf(a) ?? "ok", codeOf(b) ?? "ok"].sort();
      expect(outcomes).toEqual(["CONFLICT", "ok"]);
      const winner = codeOf(a) ? "b" : "a";
      const raw = await readRaw("g/zarr.json");
      expect(JSON.parse(raw).attributes).toEqual({ writer: winner, round });
      expect(raw).toBe(
        `{\n  "attributes": {\n    "writer": "${winner}",\n    "round": ${round}\n  },\n  "zarr_format": 3,\n  "consolidated_metadata": null,\n  "node_type": "group"\n}`,
      );
    }
  });

  test("two merges without ifVersion never lose an update: both keys land, or one is refused", async () => {
    let refused = 0;
    for (let round = 1; round <= ROUNDS; round++) {
      await update({});
      const [a, b] = await Promise.all([
        update({ a: round }, undefined, "MERGE"),
        update({ b: round }, undefined, "MERGE"),
      ]);
      const attributes = JSON.parse(await readRaw("g/zarr.json")).attributes;
      const expected = { ...(codeOf(a) ? {} : { a: round }), ...(codeOf(b) ? {} : { b: round }) };
      expect(attributes).toEqual(expected);
      for (const r of [a, b]) if (codeOf(r)) expect(codeOf(r)).toBe("CONFLICT");
      refused += [a, b].filter((r) => codeOf(r)).length;
      expect(refused).toBeLessThanOrEqual(round);
    }
  });

  test("two creators of one path: one creates it, the other gets CONFLICT", async () => {
    for (let round = 1; round <= ROUNDS; round++) {
      const p = `race-${round}`;
      const results = await Promise.all(
        ["x", "y"].map((who) => mutate(app, CREATE_GROUP, { input: { catalog: "c", path: p, attributes: { who } } })),
      );
      expect(results.map((r) => codeOf(r) ?? "ok").sort()).toEqual(["CONFLICT", "ok"]);
      const winner = results[0].errors ? "y" : "x";
      expect(JSON.parse(await readRaw(`${p}/zarr.json`)).attributes).toEqual({ who: winner });
    }
  });

  test("concurrent creates under one consolidated group all land in its consolidated metadata", async () => {
    await mutate(app, CREATE_GROUP, { input: { catalog: "c", path: "cons" } });
    await mutate(app, `mutation { consolidateMetadata(input: {catalog: "c", path: "cons"}) { group { path } } }`);
    const names = Array.from({ length: 8 }, (_, i) => `a${i}`);
    const results = await Promise.all(
      names.map((n) =>
        mutate(app, CREATE_ARRAY, { input: { catalog: "c", path: `cons/${n}`, shape: [1], dataType: "int8" } }),
      ),
    );
    for (const r of results) expect(r.errors, JSON.stringify(r.errors)).toBeUndefined();
    const block = JSON.parse(await readRaw("cons/zarr.json")).consolidated_metadata.metadata;
    expect(Object.keys(block).sort()).toEqual(names);
  });
});

/** A proxy that records every request and fails those `fail` picks with a 503. */
async function recordingProxy(fail?: (r: Recorded) => boolean) {
  const proxy = await startProxy((r) => (fail?.(r) ? { status: 503 } : undefined));
  return { ...proxy, store: () => storeVia(proxy.url, { retries: 0, timeoutMs: 10_000 }) };
}

describe("GCS: every write carries its generation precondition", () => {
  const cleanups: (() => Promise<unknown>)[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  const uploads = (requests: Recorded[]) =>
    requests.filter((r) => r.method === "POST" && r.url.pathname.includes("/upload/"));
  const objectOf = (r: Recorded) => r.url.searchParams.get("name") ?? "";

  test("creates send ifGenerationMatch=0, rewrites the generation they read; every upload has one", async () => {
    const proxy = await recordingProxy();
    cleanups.push(proxy.close);
    const store = proxy.store();
    cleanups.push(() => store.deletePrefix(""));
    const { app } = writableApp([catalog("g", store)]);
    const run = (query: string) => mutate(app, query);

    const created = await run(
      `mutation { createArray(input: {catalog: "g", path: "a/b/x", shape: [4], dataType: "int16", attributes: {v: 1}}) { array { version } } }`,
    );
    expect(created.errors).toBeUndefined();
    const creates = uploads(proxy.requests);
    expect(
      creates
        .map(objectOf)
        .map((n) => n.slice(store.root.length + 1))
        .sort(),
    ).toEqual(["a/b/x/zarr.json", "a/b/zarr.json", "a/zarr.json", "zarr.json"]);
    for (const upload of creates) expect(upload.url.searchParams.get("ifGenerationMatch")).toBe("0");

    const version = created.data.createArray.array.version;
    expect(version).toMatch(/^\d+$/);
    const before = uploads(proxy.requests).length;
    const updated = await run(
      `mutation { updateAttributes(input: {catalog: "g", path: "a/b/x", mode: MERGE, attributes: {v: 2}}) { node { version } } }`,
    );
    expect(updated.errors).toBeUndefined();
    const rewrite = uploads(proxy.requests).slice(before);
    expect(rewrite).toHaveLength(1);
    expect(rewrite[0].url.searchParams.get("ifGenerationMatch")).toBe(version);

    for (const mutation of [
      `consolidateMetadata(input: {catalog: "g"}) { consolidatedNodes }`,
      `createGroup(input: {catalog: "g", path: "a/c", attributes: {k: "v"}}) { group { path } }`,
      `moveNode(input: {catalog: "g", path: "a/b", newPath: "moved/b"}) { movedObjects }`,
      `updateAttributes(input: {catalog: "g", path: "", mode: REPLACE, attributes: {root: true}}) { node { path } }`,
      `deleteNode(input: {catalog: "g", path: "a"}) { deletedObjects }`,
    ]) {
      expect((await run(`mutation { ${mutation} }`)).errors, mutation).toBeUndefined();
    }
    // Moved objects are rewritten inside GCS (never downloaded and uploaded again).
    const rewrites = proxy.requests.filter((r) => r.method === "POST" && r.url.pathname.includes("/rewriteTo/"));
    expect(rewrites.length).toBeGreaterThan(0);
    const all = [...uploads(proxy.requests), ...rewrites];
    expect(all.length).toBeGreaterThan(12);
    for (const upload of all)
      expect(upload.url.searchParams.get("ifGenerationMatch"), upload.url.pathname).toMatch(/^\d+$/);
    // What the store holds in the end, read through our own API (consolidated metadata kept true).
    const tree = await mutate(
      app,
      `{ catalog(name: "g") { root { ... on ZarrGroup { consolidated attributes members(maxDepth: null) { nodes { path } } } } } }`,
    );
    expect(tree.data.catalog.root).toEqual({
      consolidated: true,
      attributes: { root: true },
      members: { nodes: [{ path: "moved" }, { path: "moved/b" }, { path: "moved/b/x" }] },
    });
  }, 60_000);

  test("a mutation that fails part-way says what it wrote and what it did not", async () => {
    let failing = "";
    const proxy = await recordingProxy(
      (r) => r.method === "POST" && failing !== "" && (r.url.searchParams.get("name") ?? "").endsWith(failing),
    );
    cleanups.push(proxy.close);
    const store = proxy.store();
    cleanups.push(() => store.deletePrefix(""));
    const { app } = writableApp([catalog("g", store)]);
    await mutate(app, `mutation { createGroup(input: {catalog: "g", path: "g"}) { group { path } } }`);
    await mutate(app, `mutation { consolidateMetadata(input: {catalog: "g"}) { consolidatedNodes } }`);
    // The new array's document goes through; the root's consolidated metadata cannot be updated.
    failing = `${store.root}/zarr.json`;
    const result = await mutate(
      app,
      `mutation { createArray(input: {catalog: "g", path: "g/x", shape: [1], dataType: "int8"}) { array { path } } }`,
    );
    expect(codeOf(result)).toBe("STORE_UNAVAILABLE");
    const error = result.errors![0];
    expect(error.extensions).toMatchObject({ written: ["g/x/zarr.json"], deleted: [], pending: ["zarr.json"] });
    expect(error.message).toContain("createArray failed");
    expect(error.message).toContain("not done: zarr.json");
    expect(await store.get("g/x/zarr.json")).toBeDefined();
  }, 60_000);
});
