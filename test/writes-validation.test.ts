// Every invalid input is refused with BAD_USER_INPUT before anything is written: the folder on
// disk (files, bytes and folders) is the same after each refusal as before it.
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { App } from "../src/server/app.js";
import { fileCatalog } from "./support/app.js";
import { codeOf, diskSnapshot, mutate, tempDir, writableApp } from "./support/writes.js";

const CREATE_ARRAY = `mutation ($input: CreateArrayInput!) { createArray(input: $input) { array { path } } }`;
const CREATE_GROUP = `mutation ($input: CreateGroupInput!) { createGroup(input: $input) { group { path } } }`;
const MOVE = `mutation ($input: MoveNodeInput!) { moveNode(input: $input) { node { path } } }`;
const UPDATE = `mutation ($input: UpdateAttributesInput!) { updateAttributes(input: $input) { node { path } } }`;
const REQUIRE_ARRAY = `mutation ($input: RequireArrayInput!) { requireArray(input: $input) { created } }`;

let v3: { dir: string; remove: () => Promise<void> };
let v2: { dir: string; remove: () => Promise<void> };
let app: App;

beforeAll(async () => {
  v3 = await tempDir();
  v2 = await tempDir();
  app = writableApp([fileCatalog("v3", v3.dir), fileCatalog("v2", v2.dir)]).app;
  // Small valid hierarchies to write into, made through the API itself.
  for (const [input, query] of [
    [{ catalog: "v3", path: "g" }, CREATE_GROUP],
    [{ catalog: "v3", path: "arr", shape: [4], dataType: "int32" }, CREATE_ARRAY],
    [{ catalog: "v2", path: "", zarrFormat: 2 }, CREATE_GROUP],
    [{ catalog: "v2", path: "g" }, CREATE_GROUP],
    [{ catalog: "v2", path: "arr", shape: [4], dataType: "<i4" }, CREATE_ARRAY],
  ] as const) {
    const result = await mutate(app, query, { input });
    expect(result.errors).toBeUndefined();
  }
});

afterAll(async () => {
  await v3.remove();
  await v2.remove();
});

/** Runs a mutation that must be refused as bad input, and checks that neither folder changed. */
async function refused(query: string, input: Record<string, unknown>, field?: string): Promise<string> {
  const before = [await diskSnapshot(v3.dir), await diskSnapshot(v2.dir)];
  const result = await mutate(app, query, { input });
  expect(result.data?.[Object.keys(result.data ?? {})[0]] ?? null).toBeNull();
  expect(codeOf(result)).toBe("BAD_USER_INPUT");
  if (field) expect(result.errors![0].extensions!.field).toBe(field);
  expect([await diskSnapshot(v3.dir), await diskSnapshot(v2.dir)]).toEqual(before);
  return result.errors![0].message;
}

const v3Array = (extra: Record<string, unknown>) => ({
  catalog: "v3",
  path: "new",
  shape: [10, 10],
  dataType: "float32",
  ...extra,
});
const v2Array = (extra: Record<string, unknown>) => ({
  catalog: "v2",
  path: "new",
  shape: [10, 10],
  dataType: "<f4",
  ...extra,
});

describe("names", () => {
  test.each([
    ["a//b", "empty"],
    ["...", "dots only"],
    ["g/..", "'..'"],
    ["g/.", "'.'"],
    ["__private", "reserved"],
    ["g/__x", "reserved"],
    ["zarr.json", "metadata document"],
    ["g/.zarray", "metadata document"],
    ["a\\b", "backslash"],
    ["%2e%2e", "'..'"],
    ["bad\u0001name", "control characters"],
  ])("path %j is refused (%s)", async (path) => {
    await refused(CREATE_GROUP, { catalog: "v3", path });
    await refused(CREATE_ARRAY, v3Array({ path }));
  });

  test.each(["...", "__x", "zarr.json", "g//x"])("moveNode to %j is refused", async (newPath) => {
    await refused(MOVE, { catalog: "v3", path: "g", newPath });
  });

  test("a missing parent's name is checked too", async () => {
    expect(await refused(CREATE_GROUP, { catalog: "v3", path: "__meta/child" })).toContain("__meta");
  });
});

describe("shapes, chunks and shards", () => {
  test.each([
    [{ shape: [-1] }, "shape"],
    [{ shape: Array.from({ length: 33 }, () => 1) }, "shape"],
    [{ chunks: [5] }, "chunks"],
    [{ chunks: [5, 0] }, "chunks"],
    [{ chunks: [5, -2] }, "chunks"],
    [{ chunks: [5, 5, 5] }, "chunks"],
    [{ chunks: [2, 2], shards: [5, 4] }, "shards"],
    [{ chunks: [2, 2], shards: [4] }, "shards"],
    [{ shards: [4, 4] }, "shards"],
  ])("format 3 %j", async (extra, field) => {
    await refused(CREATE_ARRAY, v3Array(extra), field);
  });

  test("shards are format 3 only", async () => {
    await refused(CREATE_ARRAY, v2Array({ chunks: [2, 2], shards: [4, 4] }), "shards");
  });

  test.each([{ shape: [1.5] }, { shape: null }, { dataType: null }, { chunks: ["2", 2] }])(
    "%j never reaches the resolver: GraphQL refuses the variable",
    async (extra) => {
      const before = await diskSnapshot(v3.dir);
      const result = await mutate(app, CREATE_ARRAY, { input: v3Array(extra) });
      expect(result.errors).toHaveLength(1);
      expect(result.errors![0].message).toMatch(/got invalid value|cannot represent|not to be null/);
      expect(result.errors![0].extensions?.code ?? "BAD_USER_INPUT").toBe("BAD_USER_INPUT");
      expect(result.data ?? null).toBeNull();
      expect(await diskSnapshot(v3.dir)).toEqual(before);
    },
  );
});

describe("data types", () => {
  test.each(["int128", "float", "<i3", "|S0", "<U", ">i4", "uint", "", "float32 ", "complex32"])(
    "format 3 %j",
    async (dataType) => {
      await refused(CREATE_ARRAY, v3Array({ dataType }), "dataType");
    },
  );

  test.each(["string", "<i3", "|S0", "<U0", "f", "M8", "<M8[fortnight]", "|O"])("format 2 %j", async (dataType) => {
    await refused(CREATE_ARRAY, v2Array({ dataType }), "dataType");
  });

  test.each([{}, 5, ["<i4"]])("a data type that is not a string (%j)", async (dataType) => {
    await refused(CREATE_ARRAY, v3Array({ dataType }), "dataType");
  });
});

describe("fill values", () => {
  test.each([
    ["int8", 128],
    ["int8", -129],
    ["uint8", -1],
    ["int16", 1.5],
    ["int64", "9223372036854775808"],
    ["int64", "-9223372036854775809"],
    ["uint64", "18446744073709551616"],
    // Beyond 2^53 a JSON number has already lost its digits: such values must come as strings.
    ["int64", 2 ** 53],
    ["int32", "12a"],
    ["float32", 1e39],
    ["float64", "abc"],
    ["float64", "1.5"],
    ["float64", "0x7ff8"],
    ["float32", true],
    ["bool", 0],
    ["bool", "true"],
    ["complex64", [1]],
    ["complex64", 1],
    ["string", 5],
    ["int32", null],
  ])("format 3 %s with %j", async (dataType, fillValue) => {
    await refused(CREATE_ARRAY, v3Array({ dataType, fillValue }), "fillValue");
  });

  test.each([
    ["<U3", "abcd"],
    ["|S2", "not base64!"],
    ["|S2", "YWJj"],
    ["<M8[ns]", "yesterday"],
    ["|u1", 256],
    ["<f8", "Inf"],
  ])("format 2 %s with %j", async (dataType, fillValue) => {
    await refused(CREATE_ARRAY, v2Array({ dataType, fillValue }), "fillValue");
  });
});

describe("codecs", () => {
  test.each([
    [[], "empty"],
    [[{ name: "zstd" }], "exactly one array->bytes"],
    [[{ name: "bytes" }, { name: "bytes" }], "exactly one array->bytes"],
    [[{ name: "zstd" }, { name: "bytes" }], "then exactly one"],
    [[{ name: "bytes" }, { name: "transpose", configuration: { order: [1, 0] } }], "then exactly one"],
    [[{ name: "lzw" }], "unknown codec"],
    [[{ name: "bytes" }, { name: "gzip", configuration: { level: 12 } }], "gzip"],
    [[{ name: "bytes" }, { name: "zstd", configuration: { level: 3, speed: 1 } }], "Unrecognized key"],
    [[{ name: "bytes", configuration: { endian: "middle" } }], "bytes"],
    [[{ name: "vlen-utf8" }], "string"],
    [[{ name: "transpose", configuration: { order: [0, 0] } }, { name: "bytes" }], "permutation"],
    [[{ name: "transpose", configuration: { order: [0] } }, { name: "bytes" }], "permutation"],
    [[{ name: "bytes" }, { name: "blosc", configuration: { cname: "lzma" } }], "blosc"],
    [[{ name: "sharding_indexed", configuration: { chunk_shape: [3, 3], codecs: [{ name: "bytes" }] } }], "divide"],
    [
      [{ name: "sharding_indexed", configuration: { chunk_shape: [5, 5], codecs: [{ name: "zstd" }] } }],
      "array->bytes",
    ],
  ])("format 3 codecs %j", async (codecs, message) => {
    expect(await refused(CREATE_ARRAY, v3Array({ codecs }), "codecs")).toContain(message);
  });

  test("bytes cannot encode strings", async () => {
    await refused(CREATE_ARRAY, v3Array({ dataType: "string", codecs: [{ name: "bytes" }] }), "codecs");
  });

  test.each([
    [{ compressor: { name: "lzw" } }, "compressor"],
    [{ compressor: { name: "blosc", configuration: { clevel: 10 } } }, "compressor"],
    [{ compressor: { name: "zlib", configuration: { level: 1, id: "zlib" } } }, "compressor"],
    [{ filters: [{ name: "delta" }] }, "filters"],
    [{ filters: [{ name: "delta", configuration: { dtype: "int" } }] }, "filters"],
    [{ codecs: [{ name: "bytes" }] }, "codecs"],
  ])("format 2 %j", async (extra, field) => {
    await refused(CREATE_ARRAY, v2Array(extra), field);
  });

  test.each([
    [{ compressor: { name: "zlib" } }, "compressor"],
    [{ filters: [] }, "filters"],
  ])("format-2 settings on a format-3 array %j", async (extra, field) => {
    await refused(CREATE_ARRAY, v3Array(extra), field);
  });
});

describe("other fields", () => {
  test.each([
    [v3Array({ order: "F" }), "order"],
    [v2Array({ order: "X" }), "order"],
    [v3Array({ chunkKeyEncoding: { name: "flat" } }), "chunkKeyEncoding"],
    [v3Array({ chunkKeyEncoding: { name: "default", configuration: { separator: "-" } } }), "chunkKeyEncoding"],
    [v3Array({ chunkKeyEncoding: { name: "default", extra: 1 } }), "chunkKeyEncoding"],
    [v3Array({ chunkKeyEncoding: "default" }), "chunkKeyEncoding"],
    [v2Array({ chunkKeyEncoding: { name: "default" } }), "chunkKeyEncoding"],
    [v3Array({ dimensionNames: ["x"] }), "dimensionNames"],
    [v2Array({ dimensionNames: ["x", null] }), "dimensionNames"],
    [v2Array({ dimensionNames: ["x", "y"], attributes: { _ARRAY_DIMENSIONS: ["a", "b"] } }), "dimensionNames"],
    [v3Array({ attributes: [1, 2] }), "attributes"],
    [v3Array({ attributes: "text" }), "attributes"],
    [v3Array({ zarrFormat: 4 }), "zarrFormat"],
    [v3Array({ zarrFormat: 2 }), "zarrFormat"],
  ])("createArray %j", async (input, field) => {
    await refused(CREATE_ARRAY, input, field);
  });

  test("updateAttributes with attributes that are not an object", async () => {
    await refused(UPDATE, { catalog: "v3", path: "g", mode: "MERGE", attributes: ["a"] }, "attributes");
    await refused(UPDATE, { catalog: "v2", path: "g", mode: "REPLACE", attributes: 3 }, "attributes");
  });

  test("requireArray checks its data type against the existing array's format", async () => {
    await refused(REQUIRE_ARRAY, { catalog: "v3", path: "arr", shape: [4], dataType: "int3" }, "dataType");
    await refused(REQUIRE_ARRAY, { catalog: "v3", path: "arr", shape: [-4], dataType: "int32" }, "shape");
  });
});
