// Round trips with zarrita (npm): format-3 hierarchies written through our mutations are opened
// by zarrita from the folder, directly and through its consolidated-metadata store, with the
// attributes, shapes, data types, chunks, fill values and dimension names that were asked for;
// arrays without chunks read as their fill value.
import FileSystemStore from "@zarrita/storage/fs";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import * as zarr from "zarrita";
import type { App } from "../../src/server/app.js";
import { fileCatalog } from "../support/app.js";
import { mutate, tempDir, writableApp } from "../support/writes.js";

const CREATE_GROUP = `mutation ($input: CreateGroupInput!) { createGroup(input: $input) { group { path } } }`;
const CREATE_ARRAY = `mutation ($input: CreateArrayInput!) { createArray(input: $input) { array { path } } }`;

interface Expected {
  shape: number[];
  dtype: string;
  chunks: number[];
  fill: unknown;
  dims?: (string | null)[];
}

/** Each array: our input, and what zarrita must report for it. */
const ARRAYS: { input: Record<string, unknown>; expected: Expected }[] = [
  {
    input: {
      path: "atmos/t2m",
      shape: [24, 18, 36],
      dataType: "float32",
      chunks: [12, 9, 18],
      fillValue: "NaN",
      dimensionNames: ["time", "lat", "lon"],
      attributes: { units: "K" },
    },
    expected: {
      shape: [24, 18, 36],
      dtype: "float32",
      chunks: [12, 9, 18],
      fill: Number.NaN,
      dims: ["time", "lat", "lon"],
    },
  },
  {
    input: {
      path: "atmos/sharded",
      shape: [100, 64],
      dataType: "int16",
      chunks: [10, 16],
      shards: [50, 64],
      fillValue: -32767,
    },
    expected: { shape: [100, 64], dtype: "int16", chunks: [10, 16], fill: -32767 },
  },
  {
    input: { path: "counts", shape: [7], dataType: "int64", fillValue: -9999 },
    expected: { shape: [7], dtype: "int64", chunks: [7], fill: -9999n },
  },
  {
    input: { path: "names", shape: [3], dataType: "string", fillValue: "none", dimensionNames: ["station"] },
    expected: { shape: [3], dtype: "string", chunks: [3], fill: "none", dims: ["station"] },
  },
  {
    input: {
      path: "mask",
      shape: [4, 4],
      dataType: "bool",
      fillValue: true,
      codecs: [{ name: "bytes" }, { name: "gzip", configuration: { level: 1 } }],
    },
    expected: { shape: [4, 4], dtype: "bool", chunks: [4, 4], fill: true },
  },
  {
    input: {
      path: "land/orography",
      shape: [6, 8],
      dataType: "float64",
      fillValue: -9999,
      codecs: [
        { name: "transpose", configuration: { order: [1, 0] } },
        { name: "bytes" },
        { name: "zstd", configuration: { level: 3 } },
      ],
      chunkKeyEncoding: { name: "v2", configuration: { separator: "." } },
      dimensionNames: ["lat", null],
    },
    expected: { shape: [6, 8], dtype: "float64", chunks: [6, 8], fill: -9999, dims: ["lat", null] as never },
  },
  {
    input: { path: "crs", shape: [], dataType: "uint8", fillValue: 3 },
    expected: { shape: [], dtype: "uint8", chunks: [], fill: 3 },
  },
];

let dir: { dir: string; remove: () => Promise<void> };
let app: App;

beforeAll(async () => {
  dir = await tempDir();
  app = writableApp([fileCatalog("ours", dir.dir)]).app;
  const groups = [
    { path: "", attributes: { title: "zarrita round trip", nested: { a: [1, 2] } } },
    { path: "atmos", attributes: { realm: "atmos" } },
  ];
  for (const input of groups)
    expect((await mutate(app, CREATE_GROUP, { input: { catalog: "ours", ...input } })).errors).toBeUndefined();
  for (const { input } of ARRAYS) {
    const result = await mutate(app, CREATE_ARRAY, { input: { catalog: "ours", ...input } });
    expect(result.errors, String(input.path)).toBeUndefined();
  }
});

afterAll(async () => {
  await dir.remove();
});

async function checkArrays(store: zarr.Readable): Promise<void> {
  const root = await zarr.open.v3(store, { kind: "group" });
  expect(root.attrs).toEqual({ title: "zarrita round trip", nested: { a: [1, 2] } });
  expect((await zarr.open.v3(root.resolve("atmos"), { kind: "group" })).attrs).toEqual({ realm: "atmos" });
  expect((await zarr.open.v3(root.resolve("land"), { kind: "group" })).attrs).toEqual({});
  for (const { input, expected } of ARRAYS) {
    const array = await zarr.open.v3(root.resolve(String(input.path)), { kind: "array" });
    expect({ shape: array.shape, dtype: array.dtype, chunks: array.chunks }, String(input.path)).toEqual({
      shape: expected.shape,
      dtype: expected.dtype,
      chunks: expected.chunks,
    });
    expect(array.fillValue, String(input.path)).toEqual(expected.fill);
    if (expected.dims) expect(array.dimensionNames).toEqual(expected.dims);
    expect(array.attrs).toEqual(input.attributes ?? {});
  }
}

describe("format 3, against zarrita", () => {
  test("zarrita opens every node with the attributes, shapes, data types, chunks and fill values asked for", async () => {
    await checkArrays(new FileSystemStore(dir.dir));
  });

  test("arrays without chunks read as their fill value", async () => {
    const store = new FileSystemStore(dir.dir);
    const t2m = await zarr.open.v3(zarr.root(store).resolve("atmos/t2m"), { kind: "array" });
    const slab = await zarr.get(t2m, [0, null, null]);
    expect(slab.shape).toEqual([18, 36]);
    expect(Array.from(slab.data as Float32Array).every(Number.isNaN)).toBe(true);
    const sharded = await zarr.open.v3(zarr.root(store).resolve("atmos/sharded"), { kind: "array" });
    const part = await zarr.get(sharded, [zarr.slice(0, 3), zarr.slice(0, 2)]);
    expect(Array.from(part.data as Int16Array)).toEqual([-32767, -32767, -32767, -32767, -32767, -32767]);
  });

  test("zarrita's consolidated store accepts our consolidated metadata and lists every node from it", async () => {
    const result = await mutate(
      app,
      `mutation { consolidateMetadata(input: {catalog: "ours"}) { consolidatedNodes group { consolidated } } }`,
    );
    expect(result.data.consolidateMetadata).toEqual({ consolidatedNodes: 9, group: { consolidated: true } });
    const store = await zarr.withConsolidatedMetadata(new FileSystemStore(dir.dir), { format: "v3" });
    const contents = store
      .contents()
      .map((c) => `${c.kind} ${c.path}`)
      .sort();
    expect(contents).toEqual(
      [
        "group /",
        "group /atmos",
        "array /atmos/t2m",
        "array /atmos/sharded",
        "array /counts",
        "array /names",
        "array /mask",
        "group /land",
        "array /land/orography",
        "array /crs",
      ].sort(),
    );
    await checkArrays(store);
  });

  test("after an edit the consolidated view zarrita reads has it", async () => {
    const edits = await mutate(
      app,
      `mutation {
        u: updateAttributes(input: {catalog: "ours", path: "counts", mode: REPLACE, attributes: {long_name: "counts"}}) { node { path } }
        m: moveNode(input: {catalog: "ours", path: "land", newPath: "surface/land"}) { movedObjects }
      }`,
    );
    expect(edits.errors).toBeUndefined();
    const store = await zarr.withConsolidatedMetadata(new FileSystemStore(dir.dir), { format: "v3" });
    const paths = store.contents().map((c) => c.path);
    expect(paths).toContain("/surface/land/orography");
    expect(paths).not.toContain("/land/orography");
    const counts = await zarr.open.v3(zarr.root(store).resolve("counts"), { kind: "array" });
    expect(counts.attrs).toEqual({ long_name: "counts" });
    const moved = await zarr.open.v3(zarr.root(store).resolve("surface/land/orography"), { kind: "array" });
    expect(moved.dimensionNames).toEqual(["lat", null]);
  });
});
