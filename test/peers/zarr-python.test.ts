// Round trips with zarr-python 2.13 (Debian's python3-zarr, run as /usr/bin/python3): the same
// hierarchy is built once with zarr-python's API and once through our mutations, and the two
// folders must hold the same files, byte for byte; zarr-python then reads ours (directly and
// through open_consolidated) and sees what was asked for, also after edits.
import { execFileSync } from "node:child_process";
import { readFile } from "node:fs/promises";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { App } from "../../src/server/app.js";
import { fileCatalog } from "../support/app.js";
import { diskSnapshot, mutate, tempDir, writableApp } from "../support/writes.js";

const PYTHON = "/usr/bin/python3";
const HERE = import.meta.dirname;

function python(script: string, args: string[]): string {
  return execFileSync(PYTHON, [path.join(HERE, script), ...args], { encoding: "utf8", maxBuffer: 16 << 20 });
}

type Report = Record<string, Record<string, any>>;
const read = (dir: string, consolidated = false): Report =>
  JSON.parse(python("zarr2_read.py", [dir, ...(consolidated ? ["--consolidated"] : [])]));

/** One node, as our mutation input and as the zarr-python call that makes the same node. */
interface Case {
  api: Record<string, unknown>;
  py: { kind: "group" | "array"; path: string; kwargs?: Record<string, unknown>; attrs?: Record<string, unknown> };
}

const CASES: Case[] = [
  {
    api: { group: true, path: "", zarrFormat: 2, attributes: { title: "peer test", café: "ü" } },
    py: { kind: "group", path: "", attrs: { title: "peer test", café: "ü" } },
  },
  {
    api: { group: true, path: "grp", attributes: { description: "a group" } },
    py: { kind: "group", path: "grp", attrs: { description: "a group" } },
  },
  {
    api: { path: "grp/f4", shape: [10, 20], dataType: "<f4", chunks: [5, 5], fillValue: 0.1 },
    py: { kind: "array", path: "grp/f4", kwargs: { shape: [10, 20], dtype: "<f4", chunks: [5, 5], fill_value: 0.1 } },
  },
  {
    api: { path: "auto", shape: [1000, 1000, 10], dataType: "float64" },
    py: { kind: "array", path: "auto", kwargs: { shape: [1000, 1000, 10], dtype: "<f8" } },
  },
  {
    api: {
      path: "big",
      shape: [3],
      dataType: "<i8",
      fillValue: "-9223372036854775806",
      compressor: null,
      chunkKeyEncoding: { name: "v2", configuration: { separator: "/" } },
    },
    py: {
      kind: "array",
      path: "big",
      kwargs: {
        shape: [3],
        dtype: "<i8",
        fill_value: -9223372036854775806n,
        compressor: null,
        dimension_separator: "/",
      },
    },
  },
  {
    api: { path: "umax", shape: [2], dataType: "uint64", fillValue: "18446744073709551615" },
    py: { kind: "array", path: "umax", kwargs: { shape: [2], dtype: "<u8", fill_value: 18446744073709551615n } },
  },
  {
    api: { path: "text", shape: [4], dataType: "<U5", fillValue: "abc" },
    py: { kind: "array", path: "text", kwargs: { shape: [4], dtype: "<U5", fill_value: "abc" } },
  },
  {
    api: { path: "bytes", shape: [4], dataType: "|S3", fillValue: "YWI=" },
    py: { kind: "array", path: "bytes", kwargs: { shape: [4], dtype: "|S3", fill_value: { $bytes: "ab" } } },
  },
  {
    api: { path: "flags", shape: [4], dataType: "bool", fillValue: true },
    py: { kind: "array", path: "flags", kwargs: { shape: [4], dtype: "|b1", fill_value: true } },
  },
  {
    api: { path: "cplx", shape: [2], dataType: "<c16", fillValue: [1, -2] },
    py: { kind: "array", path: "cplx", kwargs: { shape: [2], dtype: "<c16", fill_value: { $complex: [1, -2] } } },
  },
  {
    api: { path: "when", shape: [2], dataType: "<M8[ns]" },
    py: { kind: "array", path: "when", kwargs: { shape: [2], dtype: "<M8[ns]", fill_value: 0 } },
  },
  {
    api: { path: "nan", shape: [2], dataType: "<f8", fillValue: "NaN" },
    py: { kind: "array", path: "nan", kwargs: { shape: [2], dtype: "<f8", fill_value: { $float: "nan" } } },
  },
  {
    api: {
      path: "delta",
      shape: [8],
      dataType: "int32",
      filters: [{ name: "delta", configuration: { dtype: "<i4" } }],
      compressor: { name: "zlib", configuration: { level: 3 } },
    },
    py: {
      kind: "array",
      path: "delta",
      kwargs: {
        shape: [8],
        dtype: "<i4",
        filters: [{ $codec: { id: "delta", dtype: "<i4" } }],
        compressor: { $codec: { id: "zlib", level: 3 } },
      },
    },
  },
  {
    api: {
      path: "fortran",
      shape: [3, 4],
      dataType: "<i2",
      order: "F",
      compressor: { name: "blosc", configuration: { cname: "zstd", clevel: 3, shuffle: 2 } },
    },
    py: {
      kind: "array",
      path: "fortran",
      kwargs: {
        shape: [3, 4],
        dtype: "<i2",
        order: "F",
        compressor: { $codec: { id: "blosc", cname: "zstd", clevel: 3, shuffle: 2 } },
      },
    },
  },
  {
    api: { path: "dims", shape: [2, 3], dataType: "<f4", dimensionNames: ["y", "x"], attributes: { units: "m" } },
    py: {
      kind: "array",
      path: "dims",
      kwargs: { shape: [2, 3], dtype: "<f4" },
      attrs: { _ARRAY_DIMENSIONS: ["y", "x"], units: "m" },
    },
  },
  {
    api: { path: "half", shape: [2], dataType: "float16", fillValue: 0.1 },
    py: { kind: "array", path: "half", kwargs: { shape: [2], dtype: "<f2", fill_value: 0.1 } },
  },
  {
    api: { path: "be", shape: [2], dataType: ">i4", fillValue: 7 },
    py: { kind: "array", path: "be", kwargs: { shape: [2], dtype: ">i4", fill_value: 7 } },
  },
  {
    api: { path: "a/b/c/deep", shape: [5], dataType: "|u1", chunks: [2], fillValue: 255 },
    py: { kind: "array", path: "a/b/c/deep", kwargs: { shape: [5], dtype: "|u1", chunks: [2], fill_value: 255 } },
  },
];

const CREATE_GROUP = `mutation ($input: CreateGroupInput!) { createGroup(input: $input) { group { path } } }`;
const CREATE_ARRAY = `mutation ($input: CreateArrayInput!) { createArray(input: $input) { array { path } } }`;

/** JSON with bigints written as bare integers (Python reads them exactly). */
function pyJson(value: unknown): string {
  return JSON.stringify(value, (_k, v) => (typeof v === "bigint" ? `@@${v}@@` : v)).replace(/"@@(-?\d+)@@"/g, "$1");
}

async function build(app: App, cases: Case[]): Promise<void> {
  for (const { api } of cases) {
    const { group, ...input } = api;
    const result = await mutate(app, group ? CREATE_GROUP : CREATE_ARRAY, { input: { catalog: "ours", ...input } });
    expect(result.errors, JSON.stringify(api)).toBeUndefined();
  }
}

let ours: { dir: string; remove: () => Promise<void> };
let theirs: { dir: string; remove: () => Promise<void> };
let app: App;

beforeAll(async () => {
  ours = await tempDir();
  theirs = await tempDir();
  app = writableApp([fileCatalog("ours", ours.dir)]).app;
  await build(app, CASES);
  python("zarr2_make.py", [theirs.dir, pyJson(CASES.map((c) => c.py))]);
});

afterAll(async () => {
  await ours.remove();
  await theirs.remove();
});

describe("format 2, against zarr-python 2.13", () => {
  test("our mutations write the same files, byte for byte, as zarr-python's API", async () => {
    const mine = await diskSnapshot(ours.dir);
    const python = await diskSnapshot(theirs.dir);
    expect(Object.keys(mine).sort()).toEqual(Object.keys(python).sort());
    for (const file of Object.keys(python)) {
      expect(mine[file] === "dir" ? "dir" : Buffer.from(mine[file], "hex").toString(), file).toBe(
        python[file] === "dir" ? "dir" : Buffer.from(python[file], "hex").toString(),
      );
    }
    expect(Object.keys(mine).length).toBeGreaterThan(30);
  });

  test("zarr-python reads back what was asked for", () => {
    const report = read(ours.dir);
    expect(Object.keys(report).sort()).toEqual(
      [
        "",
        "a",
        "a/b",
        "a/b/c",
        "a/b/c/deep",
        "auto",
        "be",
        "big",
        "bytes",
        "cplx",
        "delta",
        "dims",
        "flags",
        "fortran",
        "grp",
        "grp/f4",
        "half",
        "nan",
        "text",
        "umax",
        "when",
      ].sort(),
    );
    expect(report[""]).toEqual({ kind: "group", attrs: { title: "peer test", café: "ü" } });
    expect(report.big).toMatchObject({
      dtype: "<i8",
      fill_value: "-9223372036854775806",
      compressor: null,
      first: "-9223372036854775806",
    });
    expect(report.umax).toMatchObject({ dtype: "<u8", fill_value: "18446744073709551615" });
    expect(report["grp/f4"]).toMatchObject({
      shape: [10, 20],
      chunks: [5, 5],
      dtype: "<f4",
      fill_value: 0.10000000149011612,
    });
    expect(report.auto).toMatchObject({
      chunks: [125, 250, 3],
      fill_value: 0,
      compressor: { id: "blosc", cname: "lz4", clevel: 5, shuffle: 1, blocksize: 0 },
    });
    expect(report.nan).toMatchObject({ fill_value: "NaN", first: "NaN" });
    expect(report.bytes).toMatchObject({ dtype: "|S3", fill_value: { bytes: "ab" } });
    expect(report.cplx).toMatchObject({ fill_value: [1, -2] });
    expect(report.delta).toMatchObject({
      filters: [{ id: "delta", dtype: "<i4", astype: "<i4" }],
      compressor: { id: "zlib", level: 3 },
    });
    expect(report.fortran).toMatchObject({ order: "F", compressor: { cname: "zstd", clevel: 3, shuffle: 2 } });
    expect(report.dims).toMatchObject({ attrs: { _ARRAY_DIMENSIONS: ["y", "x"], units: "m" } });
    expect(report.half).toMatchObject({ dtype: "<f2", fill_value: 0.0999755859375 });
    expect(report.be).toMatchObject({ dtype: ">i4", fill_value: 7, first: 7 });
    expect(report["a/b/c/deep"]).toMatchObject({ shape: [5], chunks: [2], dtype: "|u1", fill_value: 255 });
    // Every node reads the same as zarr-python's own.
    expect(report).toEqual(read(theirs.dir));
  });

  test("our consolidated metadata is zarr-python's, byte for byte, and open_consolidated accepts it", async () => {
    const consolidated = await mutate(
      app,
      `mutation { consolidateMetadata(input: {catalog: "ours"}) { consolidatedNodes } }`,
    );
    expect(consolidated.data.consolidateMetadata.consolidatedNodes).toBe(CASES.length - 1 + 3);
    const mine = await readFile(path.join(ours.dir, ".zmetadata"), "utf8");
    const check = await tempDir();
    try {
      python("zarr2_make.py", [check.dir, pyJson(CASES.map((c) => c.py)), "--consolidate"]);
      expect(mine).toBe(await readFile(path.join(check.dir, ".zmetadata"), "utf8"));
    } finally {
      await check.remove();
    }
    expect(read(ours.dir, true)).toEqual(read(ours.dir));
  });

  test("after updates, moves and deletes, zarr-python's consolidated view is still the store's", async () => {
    const edits = await mutate(
      app,
      `mutation {
        u: updateAttributes(input: {catalog: "ours", path: "grp", mode: MERGE, attributes: {edited: true}}) { node { path } }
        m: moveNode(input: {catalog: "ours", path: "grp", newPath: "moved/grp2"}) { movedObjects }
        d: deleteNode(input: {catalog: "ours", path: "bytes"}) { deletedObjects }
        c: createArray(input: {catalog: "ours", path: "moved/new", shape: [3], dataType: "<i4", fillValue: 5}) { array { path } }
      }`,
    );
    expect(edits.errors).toBeUndefined();
    const direct = read(ours.dir);
    expect(direct["moved/grp2"]).toEqual({ kind: "group", attrs: { description: "a group", edited: true } });
    expect(direct["moved/grp2/f4"]).toMatchObject({ shape: [10, 20], fill_value: 0.10000000149011612 });
    expect(direct["moved/new"]).toMatchObject({ dtype: "<i4", fill_value: 5, first: 5 });
    expect(direct.grp).toBeUndefined();
    expect(direct.bytes).toBeUndefined();
    expect(read(ours.dir, true)).toEqual(direct);
  });
});
