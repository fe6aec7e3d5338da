import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { GcsStore } from "../src/stores/gcs.js";
import { MemoryStore } from "../src/stores/memory.js";
import { openStore } from "../src/stores/open.js";
import { catalog, createApp, FIXTURES, fileCatalog, fixture, gql } from "./support/app.js";
import { serveDirectory } from "./support/static-server.js";
import { syntheticTree } from "./support/synthetic.js";

const WHOLE = `{ catalog(name: "c") { root { path attributes ... on ZarrGroup { consolidated
  members(maxDepth: null, first: 1000) { totalCount nodes { __typename path attributes
    ... on ZarrArray { shape chunks dataType fillValue codecs { name } } } } } } } }`;

describe("HTTP store", () => {
  let server: Awaited<ReturnType<typeof serveDirectory>>;
  beforeAll(async () => {
    server = await serveDirectory(FIXTURES);
  });
  afterAll(() => server.close());

  test.each(["zarrita/v2/data.zarr", "zarr-python-2.13/tree.zarr", "zarr-python-2.13/zoo2.zarr"])(
    "serves consolidated %s as the file store does, in one wave",
    async (rel) => {
      const url = `${server.base}/${rel}`;
      const app = createApp({ catalogs: [{ ...catalog("c", openStore(url)), url }] });
      const overHttp = await gql(app, WHOLE);
      const local = await gql(createApp({ catalogs: [fileCatalog("c", fixture(rel))] }), WHOLE);
      expect(overHttp.errors).toBeUndefined();
      expect(overHttp.data).toEqual(local.data);
      expect(overHttp.extensions!.io).toMatchObject({ lists: 0, waves: 1 });
      // The root's probe: zarr.json, .zarray, .zgroup, .zattrs, .zmetadata.
      expect(overHttp.extensions!.io!.gets).toBeLessThanOrEqual(5);
      const urlResult = await gql(app, `{ catalog(name: "c") { url } }`);
      expect(urlResult.data.catalog.url).toBe(url);
    },
  );

  test("without consolidated metadata, members fail plainly and single nodes still read", async () => {
    const url = `${server.base}/zarr-python-2.13/zoo1.zarr`;
    const app = createApp({ catalogs: [catalog("c", openStore(url))] });
    const result = await gql(
      app,
      `{ catalog(name: "c") { root { attributes ... on ZarrGroup { members { totalCount } } } node(path: "grp2/arr5") { ... on ZarrArray { shape } } } }`,
    );
    expect(result.data.catalog.root).toBeNull();
    expect(result.data.catalog.node).toEqual({ shape: [37, 23] });
    expect(result.errors).toHaveLength(1);
    expect(result.errors![0].extensions?.code).toBe("STORE_UNAVAILABLE");
    expect(result.errors![0].message).toMatch(/cannot list/);
    expect(result.errors![0].message).toMatch(/consolidated metadata/);
  });
});

describe("GCS store (emulator)", () => {
  const bucket = process.env.GCS_TEST_BUCKET ?? "zarr-graphql-test";
  const prefix = `remote/${randomUUID()}`;
  const tree = syntheticTree({ fanout: 3, depth: 2, arraysPerGroup: 2, format: 3 });

  beforeAll(async () => {
    const store = new GcsStore({ bucket, prefix });
    await Promise.all(Object.entries(tree.files).map(([k, v]) => store.set(k, new TextEncoder().encode(v))));
  }, 120_000);
  afterAll(async () => {
    await new GcsStore({ bucket, prefix }).deletePrefix("");
  });

  test("a deep fetch lists once and reads every document in one wave", async () => {
    const url = `gs://${bucket}/${prefix}`;
    const app = createApp({ catalogs: [{ ...catalog("c", openStore(url)), url }] });
    const result = await gql(app, WHOLE);
    expect(result.errors).toBeUndefined();
    const reference = await gql(
      createApp({ catalogs: [catalog("c", new MemoryStore("memory://r", tree.files))] }),
      WHOLE,
    );
    expect(result.data).toEqual(reference.data);
    expect(result.data.catalog.root.members.totalCount).toBe(tree.nodes.length);
    const io = result.extensions!.io!;
    expect(io.lists).toBe(1);
    // The root's probe (zarr.json, .zarray, .zgroup, .zattrs, .zmetadata), the listing, then the
    // reads: one GET per member document.
    expect(io.waves).toBe(3);
    expect(io.gets).toBe(5 + tree.nodes.length);
  });
});
