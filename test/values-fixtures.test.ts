// The shared zarrita fixtures that carry chunk data (format 2 by zarr-python 2.18, format 3 by
// zarr-python 3.1, sharding included): random selections equal numpy's. Format 2's expected values
// come from zarr-python 2.13 reading the same files; format 3's from the recipe that wrote them
// (test/support/values/fixture_arrays.py). Also: what a sharded read costs, counted at the store.
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { createApp, FIXTURES, fileCatalog, fixture, gql } from "./support/app.js";
import { type Expected, expectValues } from "./support/values/compare.js";

const PYTHON = "/usr/bin/python3";
const SCRIPT = path.join(import.meta.dirname, "support", "values", "fixture_arrays.py");
const expected: Record<"v2" | "v3", Record<string, Expected>> = JSON.parse(
  execFileSync(PYTHON, [SCRIPT, FIXTURES, "7"], { encoding: "utf8", maxBuffer: 64 << 20 }),
);
const V3 = fixture("zarrita", "v3", "data.zarr");
const app = createApp({
  catalogs: [fileCatalog("v2", fixture("zarrita", "v2", "data.zarr")), fileCatalog("v3", V3, "ignore")],
});

for (const format of ["v2", "v3"] as const) {
  describe(`zarrita fixtures, format ${format.slice(1)}: values equal numpy's`, () => {
    it("covers every array with chunk data", () => {
      expect(Object.keys(expected[format]).length).toBeGreaterThan(30);
    });
    for (const [name, cases] of Object.entries(expected[format])) {
      it(name, () => expectValues(app, format, name, cases));
    }
  });
}

/** A shard's index as the sharding spec lays it out: (offset, length) uint64 pairs, then a crc32c. */
function shardIndex(file: string, innerChunks: number): { offset: number; length: number }[] {
  const bytes = readFileSync(file);
  const index = bytes.subarray(bytes.byteLength - (innerChunks * 16 + 4));
  const view = new DataView(index.buffer, index.byteOffset, index.byteLength);
  return Array.from({ length: innerChunks }, (_, i) => ({
    offset: Number(view.getBigUint64(i * 16, true)),
    length: Number(view.getBigUint64(i * 16 + 8, true)),
  }));
}

describe("sharded reads", () => {
  const array = "3d.chunked.compressed.sharded.i2"; // shape 4x4x4, shards 2x2x2, inner chunks 1x1x1
  // The same node's metadata alone: what a request costs before any chunk (each text new, so the
  // response cache never answers it).
  let asked = 0;
  const metadataOnly = () => `{ catalog(name: "v3") { node(path: "${array}") { path${++asked}: path } } }`;

  it("cost the shard's index plus the inner chunks touched, never the whole shard", async () => {
    const shard = path.join(V3, array, "c", "0", "0", "0");
    const index = shardIndex(shard, 8);
    // [0, 1, 0:2] touches inner chunks (0,1,0) and (0,1,1): entries 2 and 3 of shard (0,0,0).
    const touched = index[2].length + index[3].length;
    const before = await gql(app, metadataOnly());
    const result = await gql(
      app,
      `{ catalog(name: "v3") { node(path: "${array}") { path ... on ZarrArray {
        values(selection: [{index: 0}, {index: 1}, {start: 0, stop: 2}]) { data } } } } }`,
    );
    expect(result.data.catalog.node.values.data).toEqual([4, 5]);
    const io = result.extensions!.io!;
    const base = before.extensions!.io!;
    expect(io.gets - base.gets).toBe(3); // the index, then two inner chunks
    expect(io.bytes - base.bytes).toBe(8 * 16 + 4 + touched);
    expect(io.bytes - base.bytes).toBeLessThan(readFileSync(shard).byteLength);
  });

  it("answer an inner chunk the shard does not store (index entry 2^64-1) with the fill value, from the index alone", async () => {
    const before = await gql(app, metadataOnly());
    const result = await gql(
      app,
      `{ catalog(name: "v3") { node(path: "${array}") { path ... on ZarrArray {
        values(selection: [{index: 0}, {index: 0}, {index: 0}]) { data } } } } }`,
    );
    expect(shardIndex(path.join(V3, array, "c", "0", "0", "0"), 8)[0].offset).toBe(2 ** 64);
    expect(result.data.catalog.node.values.data).toBe(0);
    expect(result.extensions!.io!.gets - before.extensions!.io!.gets).toBe(1);
  });

  it("read each shard's index once per request however many fields touch it", async () => {
    const before = await gql(app, metadataOnly());
    const result = await gql(
      app,
      `{ catalog(name: "v3") { node(path: "${array}") { path ... on ZarrArray {
        a: values(selection: [{index: 0}, {index: 0}, {index: 1}]) { data }
        b: values(selection: [{index: 1}, {index: 1}, {index: 1}]) { data } } } } }`,
    );
    expect(result.data.catalog.node.a.data).toBe(1);
    expect(result.data.catalog.node.b.data).toBe(21);
    // One index and two inner chunks of shard (0,0,0). (Its chunk (0,0,0) holds only the fill
    // value, so zarr-python stored none: reading it would cost the index alone.)
    expect(result.extensions!.io!.gets - before.extensions!.io!.gets).toBe(3);
  });
});
