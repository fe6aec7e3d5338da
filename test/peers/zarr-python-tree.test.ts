// Order and tree() against zarr-python 2.13: a hierarchy it writes with structured data types,
// big-endian and zero-dimensional arrays and names outside the Basic Multilingual Plane
// (where JavaScript's UTF-16 order and Python's code-point order part), read through GraphQL
// with and without consolidated metadata. Members come in Python's order and every group's
// `tree` is zarr-python's own `tree()` text, character for character.
import { execFileSync } from "node:child_process";
import { readFile } from "node:fs/promises";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { numpyDtypeStr } from "../../src/hierarchy/numpy-dtype.js";
import { compareCodePoints, inCodePointOrder } from "../../src/hierarchy/paths.js";
import { MemoryStore } from "../../src/stores/memory.js";
import { catalog, createApp, fileCatalog, gql } from "../support/app.js";
import { mutate, tempDir, writableApp } from "../support/writes.js";

const PYTHON = "/usr/bin/python3";
const HERE = import.meta.dirname;

function python(script: string, args: string[]): string {
  return execFileSync(PYTHON, [path.join(HERE, script), ...args], { encoding: "utf8", maxBuffer: 16 << 20 });
}

const RECORD = {
  $struct: [
    ["idCmW", "<U4"],
    ["count", "<i8"],
  ],
};
const NESTED = {
  $struct: [
    ["a", "<f4", [2]],
    ["b", { $struct: [["c", ">i2"]] }, [2, 3]],
    ["x'y", "|b1"],
  ],
};

// "😀" (U+1F600) sorts after "Ａ" (U+FF21) in Python, before it in UTF-16.
const OPS = [
  { kind: "group", path: "", attrs: { title: "order" } },
  { kind: "group", path: "z" },
  { kind: "array", path: "z/Ａ", kwargs: { shape: [3], dtype: "<f4" } },
  { kind: "array", path: "z/😀", kwargs: { shape: [4], dtype: RECORD } },
  { kind: "group", path: "z/a b" },
  { kind: "array", path: "é", kwargs: { shape: [], dtype: ">f8" } },
  { kind: "group", path: "😀" },
  { kind: "array", path: "😀/x", kwargs: { shape: [2, 3], dtype: NESTED } },
  { kind: "array", path: "😀/😀", kwargs: { shape: [1], dtype: "<M8[ns]" } },
  { kind: "array", path: "Ａ", kwargs: { shape: [5], dtype: "|b1" } },
  { kind: "array", path: "a", kwargs: { shape: [2], dtype: ">U3" } },
  { kind: "array", path: "a.b", kwargs: { shape: [2], dtype: "|S3" } },
  { kind: "array", path: "\uffff", kwargs: { shape: [2], dtype: "<m8[s]" } },
  { kind: "array", path: "big", kwargs: { shape: [2], dtype: ">i1" } },
];

interface PeerView {
  paths: string[];
  trees: Record<string, string>;
  dtypes: Record<string, string>;
}

const QUERY = `query ($mode: ConsolidatedMode) { catalog(name: "z", consolidated: $mode) { root { ... on ZarrGroup {
  tree members(maxDepth: null, first: 1000) { nodes { path ... on ZarrGroup { tree } } } } } } }`;

const work: { dir: string; remove: () => Promise<void> }[] = [];
afterAll(async () => {
  for (const w of work) await w.remove();
});

describe.each([false, true])("a hierarchy zarr-python 2.13 wrote (consolidated: %s)", (consolidated) => {
  let peer: PeerView;
  let ours: any;

  beforeAll(async () => {
    const dir = await tempDir("zarr-graphql-peer-tree-");
    work.push(dir);
    python("zarr2_make.py", [dir.dir, JSON.stringify(OPS), ...(consolidated ? ["--consolidate"] : [])]);
    peer = JSON.parse(python("zarr2_tree.py", [dir.dir, ...(consolidated ? ["--consolidated"] : [])]));
    const result = await gql(createApp({ catalogs: [fileCatalog("z", dir.dir)] }), QUERY, {
      mode: consolidated ? "REQUIRE" : "IGNORE",
    });
    expect(result.errors).toBeUndefined();
    ours = result.data.catalog.root;
  });

  test("members come in Python's order of str (by code point)", () => {
    expect(peer.paths.length).toBe(OPS.length - 1);
    expect(ours.members.nodes.map((n: { path: string }) => n.path)).toEqual(peer.paths);
    // The case that tells the two orders apart is in the hierarchy.
    expect(peer.paths.indexOf("Ａ")).toBeLessThan(peer.paths.indexOf("😀"));
  });

  test("every group's tree is zarr-python's tree(), character for character", () => {
    const trees: Record<string, string> = { "": ours.tree };
    for (const node of ours.members.nodes) if (node.tree !== undefined) trees[node.path] = node.tree;
    expect(Object.keys(trees).sort()).toEqual(Object.keys(peer.trees).sort());
    for (const [group, text] of Object.entries(peer.trees)) expect(trees[group], group).toBe(text);
    // What the comparison covers: structured types, byte order, no newline after the last line.
    expect(peer.trees[""]).toContain("x (2, 3) [('a', '<f4', (2,)), ('b', [('c', '>i2')], (2, 3)), (\"x'y\", '?')]");
    expect(peer.trees[""]).toContain("é () >f8");
    expect(peer.trees[""].endsWith("\n")).toBe(false);
  });
});

test("compareCodePoints sorts as Python's sorted() does", () => {
  // Seeded strings over the ranges where UTF-16 and code-point order part: ASCII, U+E000-U+FFFF,
  // and characters outside the BMP (surrogate pairs), with shared prefixes.
  const alphabet = ["a", "b", "/", " ", "é", "\ue000", "\uff21", "\uffff", "😀", "\u{10000}", "\u{10ffff}"];
  let seed = 7;
  const next = () => {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    return seed / 2 ** 31;
  };
  const strings = Array.from({ length: 400 }, () =>
    Array.from({ length: 1 + Math.floor(next() * 4) }, () => alphabet[Math.floor(next() * alphabet.length)]).join(""),
  );
  const script = "import json, sys; print(json.dumps(sorted(json.loads(sys.argv[1]))))";
  const sorted = JSON.parse(execFileSync(PYTHON, ["-c", script, JSON.stringify(strings)], { encoding: "utf8" }));
  expect([...strings].sort(compareCodePoints)).toEqual(sorted);
  expect([...strings].sort()).not.toEqual(sorted);
  // Names a store listed in UTF-16 order are put in Python's; names already in it are kept as they are.
  expect(inCodePointOrder([...strings].sort())).toEqual(sorted);
  expect(inCodePointOrder(sorted)).toBe(sorted);
});

test("numpy's str(dtype) for format-2 data types, as numpy prints them", () => {
  const dtypes: unknown[] = [
    "<f8",
    ">f8",
    "|f8",
    "=f4",
    "<f2",
    "<c8",
    ">c16",
    "|b1",
    ">b1",
    "|u1",
    ">u1",
    ">i1",
    "<i2",
    ">i2",
    "<u8",
    "|O",
    "<U4",
    ">U4",
    "=U1",
    "|S3",
    "<S3",
    "|V8",
    "<M8",
    "<M8[ns]",
    ">M8[ns]",
    "<m8[s]",
    "<M8[10s]",
    [
      ["idCmW", "<U4"],
      ["count", "<i8"],
    ],
    [
      ["a", "|b1"],
      ["b", "|O"],
      ["c", "|S3"],
      ["d", "|u1"],
      ["e", "<M8[ns]"],
      ["f", "|V4"],
      ["g", "=i4"],
    ],
    [
      ["a", "<f4", [2]],
      ["b", [["c", ">i2"]], [2, 3]],
    ],
    [
      ['q"z', "<i4"],
      ["x'y", "<i4"],
      ["both'\"", "<i4"],
      ["tab\t\\", "<i4"],
      ["ü😀", "<i4"],
      ["\u200b\u0085", "<i4"],
    ],
  ];
  const numpy: string[] = JSON.parse(python("numpy_dtype_str.py", [JSON.stringify(dtypes)]));
  expect(dtypes.map((d) => numpyDtypeStr(d as never))).toEqual(numpy);
});

const CREATE_GROUP = `mutation ($input: CreateGroupInput!) { createGroup(input: $input) { group { path } } }`;
const CREATE_ARRAY = `mutation ($input: CreateArrayInput!) { createArray(input: $input) { array { path } } }`;
const CONSOLIDATE = `mutation ($c: String!) { consolidateMetadata(input: {catalog: $c}) { consolidatedNodes } }`;

describe("written consolidated metadata in Python's order", () => {
  const names = ["Ａ", "😀", "z", "a b", "a", "\uffff"];

  test("format 2: .zmetadata is zarr-python's, byte for byte", async () => {
    const ours = await tempDir("zarr-graphql-peer-order-");
    const theirs = await tempDir("zarr-graphql-peer-order-");
    work.push(ours, theirs);
    const ops = [
      { kind: "group", path: "" },
      ...names.map((n) => ({ kind: "group", path: n })),
      ...names.map((n) => ({ kind: "array", path: `z/${n}`, kwargs: { shape: [1], dtype: "<i4" } })),
    ];
    python("zarr2_make.py", [theirs.dir, JSON.stringify(ops), "--consolidate"]);
    const { app } = writableApp([fileCatalog("ours", ours.dir)]);
    const root = await mutate(
      app,
      `mutation { createGroup(input: {catalog: "ours", path: "", zarrFormat: 2}) { group { path } } }`,
    );
    expect(root.errors).toBeUndefined();
    for (const op of ops.slice(1)) {
      const made = await mutate(app, op.kind === "group" ? CREATE_GROUP : CREATE_ARRAY, {
        input: { catalog: "ours", path: op.path, ...(op.kind === "array" ? { shape: [1], dataType: "<i4" } : {}) },
      });
      expect(made.errors, op.path).toBeUndefined();
    }
    expect((await mutate(app, CONSOLIDATE, { c: "ours" })).errors).toBeUndefined();
    const mine = await readFile(path.join(ours.dir, ".zmetadata"), "utf8");
    expect(mine).toBe(await readFile(path.join(theirs.dir, ".zmetadata"), "utf8"));
    expect(mine.indexOf("\\uff21")).toBeLessThan(mine.indexOf("\\ud83d\\ude00"));
  });

  test("format 3: inline entries depth first, children by code point", async () => {
    const store = new MemoryStore("memory://order");
    const { app } = writableApp([catalog("v3", store)]);
    for (const n of names) {
      const group = await mutate(app, CREATE_GROUP, { input: { catalog: "v3", path: n } });
      expect(group.errors, n).toBeUndefined();
    }
    for (const n of names) {
      const array = await mutate(app, CREATE_ARRAY, {
        input: { catalog: "v3", path: `z/${n}`, shape: [1], dataType: "int32" },
      });
      expect(array.errors, n).toBeUndefined();
    }
    expect((await mutate(app, CONSOLIDATE, { c: "v3" })).errors).toBeUndefined();
    const doc = JSON.parse(new TextDecoder().decode((await store.get("zarr.json"))!.data));
    const keys = Object.keys(doc.consolidated_metadata.metadata);
    // Python's own sort of the same keys, depth first: segment lists compare as Python compares str.
    const script = `import json, sys; print(json.dumps(sorted(json.loads(sys.argv[1]), key=lambda k: k.split("/"))))`;
    expect(keys).toEqual(JSON.parse(execFileSync(PYTHON, ["-c", script, JSON.stringify(keys)], { encoding: "utf8" })));
    expect(keys.length).toBe(names.length * 2);
    expect(keys.indexOf("Ａ")).toBeLessThan(keys.indexOf("😀"));
  });
});
