import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, test } from "vitest";
import { CountingStore } from "../src/stores/counting.js";
import { FileStore } from "../src/stores/file.js";
import { IoCounter } from "../src/stores/io-counter.js";
import { MemoryStore } from "../src/stores/memory.js";
import { catalog, createApp, gql } from "./support/app.js";

const group3 = (attributes: Record<string, unknown> = {}) =>
  JSON.stringify({ zarr_format: 3, node_type: "group", attributes });
const array3 = (shape: number[], dataType = "float64", extra: Record<string, unknown> = {}) =>
  JSON.stringify({
    zarr_format: 3,
    node_type: "array",
    shape,
    data_type: dataType,
    chunk_grid: { name: "regular", configuration: { chunk_shape: shape.map((s) => Math.max(1, s)) } },
    chunk_key_encoding: { name: "default", configuration: { separator: "/" } },
    fill_value: 0,
    codecs: [{ name: "bytes", configuration: { endian: "little" } }],
    ...extra,
  });

/** The hierarchy of zarr-python's own tree() test: A/{x,y}, B/{x, C/{x, C/x}}. */
function zarrPythonTreeStore() {
  return new MemoryStore("memory://tree", {
    "zarr.json": group3({ title: "t" }),
    "A/zarr.json": group3(),
    "A/x/zarr.json": array3([2]),
    "A/y/zarr.json": array3([0], "int8"),
    "B/zarr.json": group3(),
    "B/x/zarr.json": array3([0]),
    "B/C/zarr.json": group3(),
    "B/C/x/zarr.json": array3([0]),
    "B/C/C/zarr.json": group3(),
    "B/C/C/x/zarr.json": array3([0]),
    // A folder with no metadata document is not a member; a v2 node under a v3 group neither.
    "B/empty/c/0": "chunk",
    "B/old/.zgroup": '{"zarr_format": 2}',
  });
}

function app(store = zarrPythonTreeStore()) {
  return createApp({ catalogs: [catalog("t", store)] });
}

const paths = (nodes: { path: string }[]) => nodes.map((n) => n.path);

describe("members", () => {
  test("children by default, n more levels with maxDepth, everything with null (literal or variable)", async () => {
    const a = app();
    const q = (arg: string) =>
      `query ${arg.includes("$d") ? "($d: Int)" : ""} { catalog(name: "t") { root { ... on ZarrGroup { members${arg} { totalCount nodes { path } } } } } }`;
    const children = await gql(a, q(""));
    expect(paths(children.data.catalog.root.members.nodes)).toEqual(["A", "B"]);
    const one = await gql(a, q("(maxDepth: 1)"));
    expect(paths(one.data.catalog.root.members.nodes)).toEqual(["A", "A/x", "A/y", "B", "B/C", "B/x"]);
    const all = await gql(a, q("(maxDepth: null)"));
    const viaVariable = await gql(a, q("(maxDepth: $d)"), { d: null });
    const expected = ["A", "A/x", "A/y", "B", "B/C", "B/C/C", "B/C/C/x", "B/C/x", "B/x"];
    expect(paths(all.data.catalog.root.members.nodes)).toEqual(expected);
    expect(paths(viaVariable.data.catalog.root.members.nodes)).toEqual(expected);
    const omittedVariable = await gql(a, q("(maxDepth: $d)"), {});
    expect(paths(omittedVariable.data.catalog.root.members.nodes)).toEqual(["A", "B"]);
  });

  test("nodeType filters what is returned, not what is walked; totalCount counts after the filter", async () => {
    const result = await gql(
      app(),
      `{ catalog(name: "t") { root { ... on ZarrGroup {
        arrays: members(maxDepth: null, nodeType: ARRAY) { totalCount nodes { path __typename } }
        groups: members(maxDepth: null, nodeType: GROUP) { totalCount nodes { path } } } } } }`,
    );
    const root = result.data.catalog.root;
    expect(paths(root.arrays.nodes)).toEqual(["A/x", "A/y", "B/C/C/x", "B/C/x", "B/x"]);
    expect(root.arrays.totalCount).toBe(5);
    expect(new Set(root.arrays.nodes.map((n: { __typename: string }) => n.__typename))).toEqual(new Set(["ZarrArray"]));
    expect(paths(root.groups.nodes)).toEqual(["A", "B", "B/C", "B/C/C"]);
  });

  test("pages with opaque cursors", async () => {
    const a = app();
    const page = (after: string | null) =>
      gql(
        a,
        `query ($after: String) { catalog(name: "t") { root { ... on ZarrGroup {
          members(maxDepth: null, first: 4, after: $after) { totalCount nodes { path } edges { cursor node { path } }
          pageInfo { hasNextPage hasPreviousPage startCursor endCursor } } } } } }`,
        { after },
      );
    const seen: string[] = [];
    let after: string | null = null;
    let pages = 0;
    for (;;) {
      const result = await page(after);
      expect(result.errors).toBeUndefined();
      const members = result.data.catalog.root.members;
      expect(members.totalCount).toBe(9);
      expect(paths(members.edges.map((e: { node: { path: string } }) => e.node))).toEqual(paths(members.nodes));
      expect(members.pageInfo.hasPreviousPage).toBe(pages > 0);
      expect(members.pageInfo.endCursor).toBe(members.edges.at(-1).cursor);
      expect(members.edges.every((e: { cursor: string }) => !e.cursor.includes("/"))).toBe(true);
      seen.push(...paths(members.nodes));
      pages++;
      if (!members.pageInfo.hasNextPage) break;
      after = members.pageInfo.endCursor;
    }
    expect(pages).toBe(3);
    expect(seen).toEqual(["A", "A/x", "A/y", "B", "B/C", "B/C/C", "B/C/C/x", "B/C/x", "B/x"]);
  });

  test("first above 1000, a negative depth and a forged cursor are BAD_USER_INPUT", async () => {
    const a = app();
    for (const args of ["first: 1001", "maxDepth: -1", 'after: "bm90IGEgY3Vyc29y"']) {
      const result = await gql(
        a,
        `{ catalog(name: "t") { root { ... on ZarrGroup { members(${args}) { totalCount } } } } }`,
      );
      expect(result.errors?.[0].extensions?.code, args).toBe("BAD_USER_INPUT");
    }
  });

  test("a malformed member is null with INVALID_METADATA at its path; its siblings resolve", async () => {
    const store = zarrPythonTreeStore();
    await store.set("A/x/zarr.json", new TextEncoder().encode('{"zarr_format": 3, "node_type": "array", "shape": [2'));
    const result = await gql(
      app(store),
      `{ catalog(name: "t") { root { ... on ZarrGroup { members(maxDepth: 1) { totalCount nodes { path } } } } } }`,
    );
    const members = result.data.catalog.root.members;
    expect(members.totalCount).toBe(6);
    expect(members.nodes[1]).toBeNull();
    expect(paths([members.nodes[0], ...members.nodes.slice(2)])).toEqual(["A", "A/y", "B", "B/C", "B/x"]);
    expect(result.errors).toHaveLength(1);
    expect(result.errors![0].extensions?.code).toBe("INVALID_METADATA");
    expect(result.errors![0].path).toEqual(["catalog", "root", "members", "nodes", 1]);
    expect(result.errors![0].extensions?.path).toBe("A/x");
  });
});

describe("single nodes", () => {
  test("member(path) walks nested paths; absent gives null and NOT_FOUND", async () => {
    const result = await gql(
      app(),
      `{ catalog(name: "t") { root { ... on ZarrGroup {
        deep: member(path: "B/C/x") { path name basename ... on ZarrArray { shape } }
        missing: member(path: "B/nope") { path }
        noMetadata: member(path: "B/empty") { path }
        otherFormat: member(path: "B/old") { path } } } } }`,
    );
    const root = result.data.catalog.root;
    expect(root.deep).toEqual({ path: "B/C/x", name: "/B/C/x", basename: "x", shape: [0] });
    expect(root.missing).toBeNull();
    expect(root.noMetadata).toBeNull();
    expect(root.otherFormat).toBeNull();
    expect(result.errors?.map((e) => [e.path?.at(-1), e.extensions?.code])).toEqual([
      ["missing", "NOT_FOUND"],
      ["noMetadata", "NOT_FOUND"],
      ["otherFormat", "NOT_FOUND"],
    ]);
  });

  test("parent climbs to the root, whose parent is null", async () => {
    const result = await gql(
      app(),
      `{ catalog(name: "t") { node(path: "B/C/C/x") { parent { path parent { path parent { path parent { name parent { path } } } } } } } }`,
    );
    expect(result.data.catalog.node.parent).toEqual({
      path: "B/C/C",
      parent: { path: "B/C", parent: { path: "B", parent: { name: "/", parent: null } } },
    });
  });

  test("global ids round-trip through node and nodes", async () => {
    const a = app();
    const first = await gql(a, `{ catalog(name: "t") { root { id } node(path: "A/x") { id } } }`);
    const { root, node } = first.data.catalog;
    expect(root.id).not.toBe(node.id);
    const back = await gql(
      a,
      `query ($a: ID!, $ids: [ID!]!) { node(id: $a) { id ... on ZarrArray { path shape } }
        nodes(ids: $ids) { id ... on ZarrNode { path } } }`,
      { a: node.id, ids: [root.id, node.id] },
    );
    expect(back.errors).toBeUndefined();
    expect(back.data.node).toEqual({ id: node.id, path: "A/x", shape: [2] });
    expect(back.data.nodes.map((n: { path: string }) => n.path)).toEqual(["", "A/x"]);
  });

  test("a malformed id is BAD_USER_INPUT in its own slot of nodes(ids:); the others resolve", async () => {
    const a = app();
    const { data } = await gql(a, `{ catalog(name: "t") { node(path: "A/x") { id } } }`);
    const good = data.catalog.node.id;
    const result = await gql(a, `query ($ids: [ID!]!) { nodes(ids: $ids) { id } bad: node(id: "%%%") { id } }`, {
      ids: ["not-a-global-id", good],
    });
    expect(result.data).toEqual({ nodes: [null, { id: good }], bad: null });
    expect(result.errors?.map((e) => [e.path?.join("."), e.extensions?.code]).sort()).toEqual([
      ["bad", "BAD_USER_INPUT"],
      ["nodes.0", "BAD_USER_INPUT"],
    ]);
  });

  test("Catalog.root may be an array, and is null with NOT_FOUND when there is no node", async () => {
    const a = createApp({
      catalogs: [
        catalog("arr", new MemoryStore("memory://a", { "zarr.json": array3([3, 4], "int32") })),
        catalog("empty", new MemoryStore("memory://e", {})),
      ],
    });
    const result = await gql(
      a,
      `{ arr: catalog(name: "arr") { root { __typename path ... on ZarrArray { shape ndim size } } }
         empty: catalog(name: "empty") { root { path } }
         unknown: catalog(name: "nope") { name } }`,
    );
    expect(result.data.arr.root).toEqual({ __typename: "ZarrArray", path: "", shape: [3, 4], ndim: 2, size: 12 });
    expect(result.data.empty.root).toBeNull();
    expect(result.data.unknown).toBeNull();
    expect(result.errors?.map((e) => [e.path?.join("."), e.extensions?.code]).sort()).toEqual([
      ["empty.root", "NOT_FOUND"],
      ["unknown", "NOT_FOUND"],
    ]);
  });

  test("version changes when the document changes; attribute(key) reads one attribute", async () => {
    const store = zarrPythonTreeStore();
    const a = app(store);
    const q = `{ catalog(name: "t") { node(path: "A") { version attribute(key: "k") missing: attribute(key: "zz") } } }`;
    const before = await gql(a, q);
    await store.set("A/zarr.json", new TextEncoder().encode(group3({ k: [1, "two"] })));
    const after = await gql(a, q);
    expect(before.data.catalog.node.version).toEqual(expect.any(String));
    expect(after.data.catalog.node.version).not.toBe(before.data.catalog.node.version);
    expect(after.data.catalog.node.attribute).toEqual([1, "two"]);
    expect(after.data.catalog.node.missing).toBeNull();
  });
});

describe("numbers", () => {
  test("int64 fill values come out as exact strings, bare NaN attributes as 'NaN'", async () => {
    const store = new MemoryStore("memory://n", {
      ".zgroup": '{"zarr_format": 2}',
      // 1152921504606847000 prints back the same from a double that holds 1152921504606846976.
      ".zattrs":
        '{"missing": NaN, "big": 9007199254740993, "edge": 1152921504606847000, "small": -Infinity, "ok": 1.5}',
      "x/.zarray": JSON.stringify({
        zarr_format: 2,
        shape: [2],
        chunks: [1],
        dtype: "<i8",
        compressor: null,
        filters: null,
        order: "C",
        fill_value: 0,
      }).replace('"fill_value":0', '"fill_value":-9223372036854775808'),
    });
    const result = await gql(
      app(store),
      `{ catalog(name: "t") { root { attributes } node(path: "x") { ... on ZarrArray { fillValue metadata } } } }`,
    );
    expect(result.errors).toBeUndefined();
    expect(result.data.catalog.root.attributes).toEqual({
      missing: "NaN",
      big: "9007199254740993",
      edge: "1152921504606847000",
      small: "-Infinity",
      ok: 1.5,
    });
    expect(result.data.catalog.node.fillValue).toBe("-9223372036854775808");
    expect(result.data.catalog.node.metadata.fill_value).toBe("-9223372036854775808");
  });
});

describe("tree, nmembers and info", () => {
  test("tree() matches zarr-python's rendering of its own test hierarchy", async () => {
    const result = await gql(
      app(),
      `{ catalog(name: "t") { root { ... on ZarrGroup { tree top: tree(maxDepth: 0) cut: tree(maxNodes: 3) } } } }`,
    );
    // zarr-python's tests/test_tree.py hierarchy, laid out as zarr-python 2.13's str(group.tree())
    // prints (test/peers/zarr-python-tree.test.ts compares with it character for character).
    expect(result.data.catalog.root.tree).toBe(
      [
        "/",
        " ├── A",
        " │   ├── x (2,) float64",
        " │   └── y (0,) int8",
        " └── B",
        "     ├── C",
        "     │   ├── C",
        "     │   │   └── x (0,) float64",
        "     │   └── x (0,) float64",
        "     └── x (0,) float64",
      ].join("\n"),
    );
    expect(result.data.catalog.root.top).toBe("/\n ├── A\n └── B");
    const cut = result.data.catalog.root.cut.split("\n");
    expect(cut.slice(0, 4)).toEqual(["/", " ├── A", " │   ├── x (2,) float64", " │   └── y (0,) int8"]);
    expect(cut[4]).toMatch(/truncated.*3 of 9/);
  });

  test("nmembers and info count the subtree", async () => {
    const result = await gql(
      app(),
      `{ catalog(name: "t") { root { ... on ZarrGroup { n0: nmembers all: nmembers(maxDepth: null) info { members groups arrays } } }
         b: node(path: "B") { ... on ZarrGroup { nmembers info { members groups arrays } } } } }`,
    );
    const { root, b } = result.data.catalog;
    expect(root).toEqual({ n0: 2, all: 9, info: { members: 9, groups: 4, arrays: 5 } });
    expect(b).toEqual({ nmembers: 2, info: { members: 5, groups: 2, arrays: 3 } });
  });
});

describe("hostile paths", () => {
  const outside = mkdtempSync(path.join(tmpdir(), "zg-outside-"));
  writeFileSync(path.join(outside, "zarr.json"), group3({ secret: true }));
  const root = mkdtempSync(path.join(tmpdir(), "zg-root-"));
  writeFileSync(path.join(root, "zarr.json"), group3());
  mkdirSync(path.join(root, "inside"));
  writeFileSync(path.join(root, "inside", "zarr.json"), group3({ ok: true }));
  symlinkSync(outside, path.join(root, "escape"));

  test.each([`../${path.basename(outside)}`, "a/../../x", "%2e%2e/x", "a\\..\\x", "a//b", "inside/./x", "x\u0000y"])(
    "node(path: %j) is BAD_USER_INPUT",
    async (hostile) => {
      const io = new IoCounter();
      const a = createApp({ catalogs: [catalog("f", new CountingStore(new FileStore(root), io))] });
      const result = await gql(
        a,
        `query ($p: String!) { catalog(name: "f") { node(path: $p) { path attributes } root { ... on ZarrGroup { member(path: $p) { path } } } } }`,
        { p: hostile },
      );
      expect(result.data.catalog.node).toBeNull();
      expect(result.data.catalog.root.member).toBeNull();
      expect(result.errors?.map((e) => e.extensions?.code)).toEqual(["BAD_USER_INPUT", "BAD_USER_INPUT"]);
      expect(JSON.stringify(result)).not.toContain("secret");
    },
  );

  test("a symlink out of the root is neither a node nor a member", async () => {
    const a = createApp({ catalogs: [catalog("f", new FileStore(root))] });
    const result = await gql(
      a,
      `{ catalog(name: "f") { node(path: "escape") { attributes } root { ... on ZarrGroup { members(maxDepth: null) { nodes { path } } } } } }`,
    );
    expect(result.data.catalog.node).toBeNull();
    expect(paths(result.data.catalog.root.members.nodes)).toEqual(["inside"]);
    expect(JSON.stringify(result)).not.toContain("secret");
  });
});

test("extensions.io appears only when asked for", async () => {
  const a = app();
  const response = await a.fetch("http://localhost/graphql", {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ query: '{ catalog(name: "t") { root { path } } }' }),
  });
  const body = (await response.json()) as { extensions?: unknown; data: unknown };
  expect(body.data).toEqual({ catalog: { root: { path: "" } } });
  expect(body.extensions).toBeUndefined();
  const counted = await gql(a, '{ catalog(name: "t") { root { path } } }');
  // The root's probe: zarr.json, .zarray, .zgroup, .zattrs and .zmetadata.
  expect(counted.extensions?.io).toMatchObject({ gets: 5, lists: 0, writes: 0, waves: 1 });
});
