import { readFileSync } from "node:fs";
import { describe, expect, test } from "vitest";
import { MemoryStore } from "../src/stores/memory.js";
import { catalog, createApp, fileCatalog, fixture, gql } from "./support/app.js";
import { syntheticTree } from "./support/synthetic.js";

const FIELDS = `__typename path name zarrFormat attributes
  ... on ZarrArray { shape chunks shards dataType fillValue order dimensionNames nchunks
    codecs { name configuration } compressor { name configuration } filters { name configuration } chunkKeyEncoding }`;

const WHOLE = `query ($mode: ConsolidatedMode) { catalog(name: "c", consolidated: $mode) { root { ${FIELDS}
  ... on ZarrGroup { consolidated nmembers(maxDepth: null)
    members(maxDepth: null, first: 1000) { totalCount nodes { ${FIELDS} ... on ZarrGroup { consolidated } } } } } } }`;

/** The answer without what legitimately differs between the two modes. */
function comparable(root: any) {
  const strip = ({ consolidated: _, ...rest }: any) => rest;
  return { ...strip(root), members: { ...root.members, nodes: root.members.nodes.map(strip) } };
}

const CONSOLIDATED = [
  "zarrita/v2/data.zarr",
  "zarrita/v3/data.zarr/consolidated",
  "zarr-python-2.13/tree.zarr",
  "zarr-python-2.13/zoo2.zarr",
];

describe.each(CONSOLIDATED)("%s read from its consolidated metadata", (rel) => {
  test("answers exactly as the store itself does, from one wave of at most 5 GETs and no listing", async () => {
    const app = createApp({ catalogs: [fileCatalog("c", fixture(rel))] });
    const used = await gql(app, WHOLE, { mode: "USE" });
    const ignored = await gql(app, WHOLE, { mode: "IGNORE" });
    expect(used.errors).toBeUndefined();
    expect(ignored.errors).toBeUndefined();
    expect(used.data.catalog.root.members.totalCount).toBeGreaterThan(2);
    expect(comparable(used.data.catalog.root)).toEqual(comparable(ignored.data.catalog.root));
    expect(used.data.catalog.root.consolidated).toBe(true);
    expect(ignored.data.catalog.root.consolidated).toBe(false);
    const groups = used.data.catalog.root.members.nodes.filter((n: any) => n.__typename === "ZarrGroup");
    expect(groups.every((g: any) => g.consolidated)).toBe(true);

    const io = used.extensions!.io!;
    expect(io.waves).toBe(1);
    // The root's probe: zarr.json, .zarray, .zgroup, .zattrs and .zmetadata, 404s included.
    expect(io.gets).toBeLessThanOrEqual(5);
    expect(io.lists).toBe(0);
    expect(ignored.extensions!.io!.lists).toBeGreaterThan(0);
  });
});

test("the walk finds consolidated metadata at a non-root group and stops listing below it", async () => {
  const app = createApp({ catalogs: [fileCatalog("c", fixture("zarrita/v3/data.zarr"))] });
  const q = `{ catalog(name: "c") { node(path: "consolidated") { ... on ZarrGroup { consolidated
    members(maxDepth: null) { nodes { path ... on ZarrGroup { consolidated } } } } } } }`;
  const result = await gql(app, q);
  expect(result.errors).toBeUndefined();
  const node = result.data.catalog.node;
  expect(node.consolidated).toBe(true);
  expect(node.members.nodes.map((n: any) => n.path)).toEqual([
    "consolidated/1d.chunked.i2",
    "consolidated/2d.contiguous.i2",
    "consolidated/nested",
    "consolidated/nested/1d.i2",
  ]);
  expect(result.extensions!.io!.lists).toBe(0);
});

describe("members(maxDepth: null) and nmembers agree between the modes on every fixture", () => {
  test.each([
    "zarrita/v2/data.zarr",
    "zarrita/v3/data.zarr",
    "zarr-python-2.13/tree.zarr",
    "zarr-python-2.13/zoo1.zarr",
    "zarr-python-2.13/zoo2.zarr",
    "zarr-python-2.13/zoo3.zarr",
    "zarrs/hierarchy.zarr",
    "zarrs/issue_287.zarr",
    "zarrs/array_write_read.zarr",
  ])("%s", async (rel) => {
    const app = createApp({ catalogs: [fileCatalog("c", fixture(rel))] });
    const q = `query ($mode: ConsolidatedMode) { catalog(name: "c", consolidated: $mode) { root { ... on ZarrGroup {
      nmembers(maxDepth: null) n0: nmembers members(maxDepth: null, first: 1000) { totalCount nodes { path } } } } } }`;
    const [used, ignored] = await Promise.all([gql(app, q, { mode: "USE" }), gql(app, q, { mode: "IGNORE" })]);
    expect(used.errors).toBeUndefined();
    expect(used.data).toEqual(ignored.data);
    expect(used.data.catalog.root.nmembers).toBe(used.data.catalog.root.members.totalCount);
  });
});

describe("single consolidated documents from zarr-metadata, as a group's documents", () => {
  test("v2 .zmetadata", async () => {
    const text = readFileSync(fixture("zarr-metadata/v2/consolidated/with_array_and_group.json"), "utf8");
    const doc = JSON.parse(text);
    // The group's own documents beside it, as zarr-python writes them: a .zmetadata without a
    // .zgroup is no group.
    const store = new MemoryStore("memory://c", {
      ".zmetadata": text,
      ".zgroup": JSON.stringify(doc.metadata[".zgroup"]),
      ".zattrs": JSON.stringify(doc.metadata[".zattrs"]),
    });
    const app = createApp({ catalogs: [catalog("c", store)] });
    const result = await gql(
      app,
      `{ catalog(name: "c", consolidated: REQUIRE) { root { attributes ... on ZarrGroup { consolidated
        members(maxDepth: null) { nodes { path attributes ... on ZarrArray { shape dataType } } } } } } }`,
    );
    expect(result.errors).toBeUndefined();
    const root = result.data.catalog.root;
    expect(root.attributes).toEqual(doc.metadata[".zattrs"]);
    const expected = Object.keys(doc.metadata)
      .filter((k) => /\/\.z(array|group)$/.test(k))
      .map((k) => k.replace(/\/\.z(array|group)$/, ""))
      .sort();
    expect(root.members.nodes.map((n: any) => n.path)).toEqual(expected);
    const data = root.members.nodes.find((n: any) => n.path === "data");
    expect(data).toEqual({
      path: "data",
      attributes: doc.metadata["data/.zattrs"],
      shape: doc.metadata["data/.zarray"].shape,
      dataType: doc.metadata["data/.zarray"].dtype,
    });
  });

  test.each(["minimal.json", "with_array_and_group.json"])("v3 inline %s", async (file) => {
    const block = JSON.parse(readFileSync(fixture("zarr-metadata/v3/consolidated", file), "utf8"));
    const store = new MemoryStore("memory://c", {
      "zarr.json": JSON.stringify({ zarr_format: 3, node_type: "group", consolidated_metadata: block }),
    });
    const app = createApp({ catalogs: [catalog("c", store)] });
    const result = await gql(
      app,
      `{ catalog(name: "c", consolidated: REQUIRE) { root { ... on ZarrGroup { consolidated
        members(maxDepth: null) { nodes { __typename path } } } } } }`,
    );
    expect(result.errors).toBeUndefined();
    expect(result.data.catalog.root.consolidated).toBe(true);
    expect(result.data.catalog.root.members.nodes).toEqual(
      Object.entries(block.metadata)
        .map(([path, doc]: [string, any]) => ({
          __typename: doc.node_type === "group" ? "ZarrGroup" : "ZarrArray",
          path,
        }))
        .sort((a, b) => (a.path < b.path ? -1 : 1)),
    );
    expect(result.extensions!.io!.lists).toBe(0);
  });
});

describe("nested blocks and flat keys", () => {
  test("flat keys win over a nested child's block; empty child blocks do not hide flat members", async () => {
    const arr = (shape: number[]) => ({
      zarr_format: 3,
      node_type: "array",
      shape,
      data_type: "int8",
      chunk_grid: { name: "regular", configuration: { chunk_shape: shape } },
      chunk_key_encoding: { name: "default" },
      fill_value: 0,
      codecs: [{ name: "bytes" }],
    });
    const root = {
      zarr_format: 3,
      node_type: "group",
      consolidated_metadata: {
        kind: "inline",
        must_understand: false,
        metadata: {
          a: {
            zarr_format: 3,
            node_type: "group",
            consolidated_metadata: {
              kind: "inline",
              must_understand: false,
              metadata: { x: arr([1]), only_nested: arr([7]) },
            },
          },
          "a/x": arr([2]),
          b: { zarr_format: 3, node_type: "group", consolidated_metadata: { kind: "inline", metadata: {} } },
          "b/y": arr([3]),
        },
      },
    };
    const store = new MemoryStore("memory://c", { "zarr.json": JSON.stringify(root) });
    const app = createApp({ catalogs: [catalog("c", store)] });
    const result = await gql(
      app,
      `{ catalog(name: "c") { root { ... on ZarrGroup { members(maxDepth: null) { nodes { path ... on ZarrArray { shape } } } } } } }`,
    );
    expect(result.errors).toBeUndefined();
    expect(result.data.catalog.root.members.nodes).toEqual([
      { path: "a" },
      { path: "a/only_nested", shape: [7] },
      { path: "a/x", shape: [2] },
      { path: "b" },
      { path: "b/y", shape: [3] },
    ]);
  });
});

describe("modes", () => {
  test("REQUIRE on a store without consolidated metadata is NOT_FOUND, naming what is missing", async () => {
    const app = createApp({ catalogs: [fileCatalog("c", fixture("zarr-python-2.13/zoo1.zarr"))] });
    const result = await gql(app, `{ catalog(name: "c", consolidated: REQUIRE) { root { path } } }`);
    expect(result.data.catalog.root).toBeNull();
    expect(result.errors?.[0].extensions?.code).toBe("NOT_FOUND");
    expect(result.errors?.[0].message).toMatch(/consolidated metadata/);
    expect(result.errors?.[0].message).toMatch(/\.zmetadata/);
  });

  test("a catalog's default mode applies when the query names none", async () => {
    const dir = fixture("zarr-python-2.13/tree.zarr");
    const app = createApp({ catalogs: [fileCatalog("i", dir, "ignore"), fileCatalog("u", dir, "use")] });
    const q = (name: string) => `{ catalog(name: "${name}") { root { ... on ZarrGroup { consolidated nmembers } } } }`;
    const ignored = await gql(app, q("i"));
    const used = await gql(app, q("u"));
    expect(ignored.data.catalog.root.consolidated).toBe(false);
    expect(ignored.extensions!.io!.lists).toBe(1);
    expect(used.data.catalog.root.consolidated).toBe(true);
    expect(used.extensions!.io!.lists).toBe(0);
  });

  test("consolidated metadata is trusted: a node added after consolidation shows only when ignored", async () => {
    const { files } = syntheticTree({ fanout: 2, depth: 1, arraysPerGroup: 1, format: 2, consolidated: true });
    const store = new MemoryStore("memory://s", files);
    await store.set("late/.zgroup", new TextEncoder().encode('{"zarr_format": 2}'));
    const app = createApp({ catalogs: [catalog("c", store)] });
    const q = `query ($mode: ConsolidatedMode) { catalog(name: "c", consolidated: $mode) {
      root { ... on ZarrGroup { members { nodes { path } } } } late: node(path: "late") { path } } }`;
    const used = await gql(app, q, { mode: "USE" });
    const ignored = await gql(app, q, { mode: "IGNORE" });
    expect(used.data.catalog.root.members.nodes.map((n: any) => n.path)).toEqual(["a0", "g0", "g1"]);
    expect(used.data.catalog.late).toBeNull();
    expect(used.errors?.[0].message).toMatch(/consolidated metadata/);
    expect(ignored.data.catalog.root.members.nodes.map((n: any) => n.path)).toEqual(["a0", "g0", "g1", "late"]);
    expect(ignored.data.catalog.late).toEqual({ path: "late" });
  });
});
