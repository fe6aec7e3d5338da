// Hierarchies zarr-python 2.13 writes with its own API, generated with variety (dtypes, structured
// ones included, fill values, compressors, filters, orders, separators, awkward attributes and
// names, nesting), read through GraphQL and compared node for node with what zarr-python itself
// reports (every group's tree() text and the members' order included), with and without
// consolidated metadata.
import { execFileSync } from "node:child_process";
import path from "node:path";
import { afterAll, describe, expect, test } from "vitest";
import { createApp, fileCatalog, gql } from "../support/app.js";
import { tempDir } from "../support/writes.js";

const PYTHON = "/usr/bin/python3";
const HERE = import.meta.dirname;

function python(script: string, args: string[]): string {
  return execFileSync(PYTHON, [path.join(HERE, script), ...args], { encoding: "utf8", maxBuffer: 16 << 20 });
}

/** A small seeded generator (mulberry32), so each seed is one fixed hierarchy. */
function random(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)];
  const int = (lo: number, hi: number) => lo + Math.floor(next() * (hi - lo + 1));
  return { next, pick, int };
}

const DTYPES = [
  { dtype: "<i2", fills: [0, -1, 42] },
  { dtype: "<i4", fills: [0, 7, null] },
  { dtype: "<i8", fills: [0, "$INT:4611686018427387904", "$INT:-9223372036854775806"] },
  { dtype: "|u1", fills: [0, 255] },
  { dtype: "<u4", fills: [0, 4000000000] },
  { dtype: "<u8", fills: [0, "$INT:18446744073709551615"] },
  { dtype: "<f2", fills: [0, { $float: "nan" }] },
  { dtype: "<f4", fills: [0.5, { $float: "nan" }, { $float: "-inf" }, null] },
  { dtype: ">f8", fills: [0, { $float: "inf" }, 1e300] },
  { dtype: "|b1", fills: [true, false] },
  { dtype: "<M8[ns]", fills: [null] },
  { dtype: "<m8[s]", fills: [null] },
  {
    dtype: {
      $struct: [
        ["idCmW", "<U4"],
        ["count", "<i8"],
      ],
    },
    fills: [null],
  },
  {
    dtype: {
      $struct: [
        ["xy", "<f4", [2]],
        ["flag", "|b1"],
        ["inner", { $struct: [["c", ">i2"]] }],
      ],
    },
    fills: [null],
  },
] as const;

const COMPRESSORS = [
  null,
  { $codec: { id: "zlib", level: 3 } },
  { $codec: { id: "gzip", level: 6 } },
  { $codec: { id: "blosc", cname: "lz4", clevel: 5, shuffle: 1, blocksize: 0 } },
  { $codec: { id: "blosc", cname: "zstd", clevel: 3, shuffle: 2, blocksize: 0 } },
  { $codec: { id: "bz2", level: 9 } },
];

// "😀" (outside the BMP) and "Ａ" (U+FF21) sort one way in Python and the other in UTF-16.
const NAMES = ["temp", "a b", "ü", "x.y", "level_2", "v", "data-1", "Ω", "_hidden", "😀", "Ａ"];

type Op = { kind: "group" | "array"; path: string; kwargs?: Record<string, unknown>; attrs?: Record<string, unknown> };

function hierarchy(seed: number): Op[] {
  const r = random(seed);
  const attrs = (): Record<string, unknown> => {
    const out: Record<string, unknown> = {};
    for (let i = r.int(0, 3); i > 0; i--) {
      out[`${r.pick(NAMES)}${i}`] = r.pick([
        "text",
        "température °C",
        r.int(-1000, 1000),
        "$INT:1152921504606846979",
        { $float: "nan" },
        [1, 2.5, null, { nested: [true, "x"] }],
        { units: "K", scale: 0.01 },
      ]);
    }
    return out;
  };
  const ops: Op[] = [{ kind: "group", path: "", attrs: attrs() }];
  const groups = [""];
  const used = new Set<string>();
  for (let i = 0; i < 24; i++) {
    const parent = r.pick(groups);
    let name = `${r.pick(NAMES)}${i % 3 === 0 ? "" : i}`;
    while (used.has(`${parent}/${name}`)) name += "_";
    used.add(`${parent}/${name}`);
    const p = parent === "" ? name : `${parent}/${name}`;
    if (r.next() < 0.35 && p.split("/").length < 4) {
      ops.push({ kind: "group", path: p, attrs: attrs() });
      groups.push(p);
      continue;
    }
    const { dtype, fills } = r.pick(DTYPES);
    const ndim = r.int(0, 3);
    const shape = Array.from({ length: ndim }, () => r.int(1, 40));
    const chunks = shape.map((s) => r.int(1, s));
    const numeric = typeof dtype === "string" && !dtype.includes("M8") && !dtype.includes("m8") && dtype !== "|b1";
    ops.push({
      kind: "array",
      path: p,
      attrs: { ...attrs(), _ARRAY_DIMENSIONS: shape.map((_, d) => `d${d}`) },
      kwargs: {
        shape,
        chunks,
        dtype,
        fill_value: r.pick<unknown>(fills),
        order: r.pick(["C", "F"]),
        compressor: r.pick(COMPRESSORS),
        filters: numeric && dtype !== "<f2" && r.next() < 0.3 ? [{ $codec: { id: "delta", dtype } }] : null,
        dimension_separator: r.pick([".", "/"]),
      },
    });
  }
  return ops;
}

const QUERY = `query ($mode: ConsolidatedMode) { catalog(name: "z", consolidated: $mode) { root { path attributes
  ... on ZarrGroup { tree members(maxDepth: null, first: 1000) { nodes { __typename path attributes
    ... on ZarrGroup { tree } ... on ZarrArray { shape chunks dataType fillValue order compressor { name configuration } filters { name configuration } } } } } } } }`;

/** zarr-python's `get_config()` of a codec, as the API's {name, configuration}. */
function codec(config: Record<string, unknown>) {
  const { id, ...rest } = config;
  return { name: id, configuration: rest };
}

const cleanups: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const cleanup of cleanups) await cleanup();
});

describe.each([1, 2, 3, 4])("a hierarchy zarr-python 2.13 wrote (seed %i)", (seed) => {
  test.each([false, true])("every node agrees with zarr-python's view (consolidated: %s)", async (consolidated) => {
    const work = await tempDir("zarr-graphql-peer-read-");
    cleanups.push(work.remove);
    // Integers beyond 2^53 go to Python as the bare digits, which a JavaScript number cannot hold.
    const ops = JSON.stringify(hierarchy(seed)).replace(/"\$INT:(-?\d+)"/g, "$1");
    python("zarr2_make.py", [work.dir, ops, ...(consolidated ? ["--consolidate"] : [])]);
    const expected: Record<string, Record<string, any>> = JSON.parse(
      python("zarr2_read.py", [work.dir, "--tree", ...(consolidated ? ["--consolidated"] : [])]),
    );
    const app = createApp({ catalogs: [fileCatalog("z", work.dir)] });
    const result = await gql(app, QUERY, { mode: consolidated ? "REQUIRE" : "IGNORE" });
    expect(result.errors).toBeUndefined();
    const root = result.data.catalog.root;
    const nodes = [root, ...root.members.nodes];
    expect(nodes.map((n: any) => n.path).sort()).toEqual(Object.keys(expected).sort());
    // Members in Python's order of str (sorted() of the paths zarr-python visits).
    expect(root.members.nodes.map((n: any) => n.path)).toEqual(expected[""].sorted);
    expect(Object.keys(expected).length).toBeGreaterThan(10);
    for (const node of nodes) {
      const want = expected[node.path];
      expect(node.attributes, node.path).toEqual(want.attrs);
      if (want.kind === "group") {
        expect(node.__typename).not.toBe("ZarrArray");
        // zarr-python's own tree() text, character for character.
        expect(node.tree, node.path).toBe(want.tree);
        continue;
      }
      expect(node.__typename, node.path).toBe("ZarrArray");
      expect(node.shape, node.path).toEqual(want.shape);
      expect(node.chunks, node.path).toEqual(want.chunks);
      expect(node.dataType, node.path).toEqual(want.dtype);
      expect(node.fillValue, node.path).toEqual(want.fill_value);
      expect(node.order, node.path).toBe(want.order);
      expect(node.compressor, node.path).toEqual(want.compressor ? codec(want.compressor) : null);
      expect(node.filters, node.path).toEqual((want.filters ?? []).map(codec));
    }
  });
});
