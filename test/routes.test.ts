// One answer per node, whatever the route (issue 11, item 2): a walk, node(path), member(path),
// node(id), nodes(ids) and _entities give every node the same fields within one request,
// whichever was asked first, and that answer is the README's rule, worked out from the files by
// test/support/route-oracle.ts.
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { MemoryStore } from "../src/stores/memory.js";
import { catalog, createApp, fileCatalog, fixture, gql } from "./support/app.js";
import { expectedViews, type NodeView } from "./support/route-oracle.js";

const FIELDS = `__typename path id attributes metadata version
  ... on ZarrGroup { consolidated members(first: 1000) { nodes { path } } }`;

type Mode = "USE" | "IGNORE";
type Answer = Record<string, any>;

/** Every route to every node, in one request, root fields in the given order. */
function routesQuery(paths: string[], order: string[]): string {
  const alias = (i: number) => `n${i}`;
  const parts: Record<string, string> = {
    walk: `walk: catalog(name: "c", consolidated: $mode) { root { ... on ZarrGroup {
      members(maxDepth: null, first: 1000) { nodes { ${FIELDS} } } } } }`,
    paths: `paths: catalog(name: "c", consolidated: $mode) { ${paths
      .map((p, i) => `${alias(i)}: node(path: ${JSON.stringify(p)}) { ${FIELDS} }`)
      .join("\n")} }`,
    members: `members: catalog(name: "c", consolidated: $mode) { root { ... on ZarrGroup { ${paths
      .filter((p) => p !== "")
      .map((p, i) => `${alias(i)}: member(path: ${JSON.stringify(p)}) { ${FIELDS} }`)
      .join("\n")} } } }`,
    ids: `ids: nodes(ids: $ids) { ... on ZarrNode { ${FIELDS} } }`,
    id: `id: node(id: $first) { ... on ZarrNode { ${FIELDS} } }`,
    entities: `entities: _entities(representations: $refs) { ... on ZarrNode { ${FIELDS} } }`,
  };
  return `query ($mode: ConsolidatedMode, $ids: [ID!]!, $first: ID!, $refs: [_Any!]!) {
    ${order.map((k) => parts[k]).join("\n")} }`;
}

/** Each route's answers, by node path. */
function byRoute(data: any): Map<string, Map<string, Answer>> {
  const out = new Map<string, Map<string, Answer>>();
  const put = (route: string, node: Answer | null) => {
    if (!node) return;
    const map = out.get(route) ?? new Map();
    map.set(node.path, node);
    out.set(route, map);
  };
  for (const n of data.walk.root.members.nodes) put("walk", n);
  for (const n of Object.values(data.paths) as Answer[]) put("node(path)", n);
  for (const n of Object.values(data.members.root) as Answer[]) put("member(path)", n);
  for (const n of data.ids) put("nodes(ids)", n);
  put("node(id)", data.id);
  for (const n of data.entities) put("_entities", n);
  return out;
}

/** What a node's answer should be, in the oracle's terms. */
function comparable(answer: Answer): NodeView {
  const view: NodeView = { __typename: answer.__typename, attributes: answer.attributes, metadata: answer.metadata };
  if (answer.__typename === "ZarrGroup") {
    view.consolidated = answer.consolidated;
    view.members = answer.members.nodes.map((n: { path: string }) => n.path);
  }
  return view;
}

const ORDERS = [
  ["walk", "paths", "members", "ids", "id", "entities"],
  ["entities", "ids", "id", "members", "paths", "walk"],
  ["paths", "entities", "walk", "id", "members", "ids"],
];

async function checkEveryRoute(dir: string, mode: Mode, missing: string[] = []) {
  const expected = expectedViews(dir, mode === "USE" ? "use" : "ignore");
  const paths = [...expected.keys()];
  // Every node by every route, aliased: more aliases than the default allows.
  const serve = () => createApp({ catalogs: [fileCatalog("c", dir)], limits: { aliases: 500, tokens: 20_000 } });
  const app = serve();
  // The ids a first request hands out, as a client would keep them.
  const first = await gql(
    app,
    `query ($mode: ConsolidatedMode) { catalog(name: "c", consolidated: $mode) { ${paths
      .map((p, i) => `n${i}: node(path: ${JSON.stringify(p)}) { id __typename path }`)
      .join("\n")} } }`,
    { mode },
  );
  expect(first.errors).toBeUndefined();
  const nodes = Object.values(first.data.catalog) as { id: string; __typename: string; path: string }[];
  const ids = nodes.map((n) => n.id);
  const refs = nodes.map((n) => ({ __typename: n.__typename, id: n.id }));
  for (const order of ORDERS) {
    // A fresh server and a warm one: nothing another request read may change the answer.
    for (const server of [app, serve()]) {
      const result = await gql(server, routesQuery(paths, order), { mode, ids, first: ids[1], refs });
      expect(result.errors).toBeUndefined();
      const routes = byRoute(result.data);
      expect([...routes.keys()].sort()).toEqual(
        ["_entities", "member(path)", "node(id)", "node(path)", "nodes(ids)", "walk"].sort(),
      );
      for (const [route, answers] of routes) {
        for (const [p, answer] of answers) {
          expect({ route, path: p, view: comparable(answer) }).toEqual({ route, path: p, view: expected.get(p) });
          // Within one request, the very same fields, id and version included.
          const reference = routes.get("node(path)")!.get(p)!;
          expect({ route, path: p, id: answer.id, version: answer.version }).toEqual({
            route,
            path: p,
            id: reference.id,
            version: reference.version,
          });
        }
      }
    }
  }
  for (const p of missing) {
    const result = await gql(
      app,
      `query ($mode: ConsolidatedMode, $p: String!) {
      catalog(name: "c", consolidated: $mode) { node(path: $p) { path } root { ... on ZarrGroup { member(path: $p) { path } } } } }`,
      { mode, p },
    );
    expect(result.errors?.map((e) => e.extensions?.code)).toEqual(["NOT_FOUND", "NOT_FOUND"]);
  }
}

describe("a format-2 pyramid xarray-style: no .zmetadata at the root, one per level, level 1 stale", () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), "zarr-graphql-pyramid-"));
    execFileSync("/usr/bin/python3", [path.join(import.meta.dirname, "peers", "pyramid_make.py"), dir]);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  test("USE: every route answers each node as the outermost carrier above it says; a level answers itself", async () => {
    const expected = expectedViews(dir, "use");
    // The rule, spelt out on the stale level: its own attributes are live, its members' are not,
    // and the array added after consolidation is not there.
    expect(expected.get("1")!.attributes).toEqual({ level: "edited after consolidation" });
    expect((expected.get("1/data")!.attributes as any).long_name).toBe("level 1");
    expect(expected.has("1/late")).toBe(false);
    await checkEveryRoute(dir, "USE", ["1/late"]);
  });

  test("IGNORE: every route answers from the store as it is", async () => {
    const expected = expectedViews(dir, "ignore");
    expect((expected.get("1/data")!.attributes as any).long_name).toBe("edited after consolidation");
    expect(expected.has("1/late")).toBe(true);
    await checkEveryRoute(dir, "IGNORE");
  });
});

/** A format-3 tree written as zarr-python 3 writes one (its JSON, by hand: it cannot run here). */
function writeV3(dir: string, files: Record<string, unknown>) {
  for (const [key, doc] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, key)), { recursive: true });
    writeFileSync(path.join(dir, key), JSON.stringify(doc, null, 2));
  }
}

const v3Array = (attributes: Record<string, unknown>) => ({
  shape: [4],
  data_type: "float32",
  chunk_grid: { name: "regular", configuration: { chunk_shape: [4] } },
  chunk_key_encoding: { name: "default", configuration: { separator: "/" } },
  fill_value: 0.0,
  codecs: [{ name: "bytes", configuration: { endian: "little" } }],
  attributes,
  zarr_format: 3,
  node_type: "array",
  storage_transformers: [],
});
const v3Group = (attributes: Record<string, unknown>, consolidated?: Record<string, unknown> | null) => ({
  attributes,
  zarr_format: 3,
  consolidated_metadata:
    consolidated === undefined || consolidated === null
      ? null
      : { kind: "inline", must_understand: false, metadata: consolidated },
  node_type: "group",
});

describe("format 3: inline consolidated metadata in subgroups, one stale, and zarr-python 3's empty blocks", () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), "zarr-graphql-v3-nested-"));
    const s1Block = { x: v3Array({ v: "consolidated" }), inner: v3Group({}, {}), "inner/m": v3Array({}) };
    writeV3(dir, {
      "zarr.json": v3Group({ title: "root" }),
      "s0/zarr.json": v3Group({ s: 0 }, { x: v3Array({ v: 0 }), inner: v3Group({ i: 0 }, {}), "inner/m": v3Array({}) }),
      "s0/x/zarr.json": v3Array({ v: 0 }),
      "s0/inner/zarr.json": v3Group({ i: 0 }),
      "s0/inner/m/zarr.json": v3Array({}),
      // Stale: its own attributes and x's changed after consolidation, and y came later.
      "s1/zarr.json": v3Group({ s: "edited" }, s1Block),
      "s1/x/zarr.json": v3Array({ v: "edited" }),
      "s1/y/zarr.json": v3Array({ late: true }),
      "s1/inner/zarr.json": v3Group({}),
      "s1/inner/m/zarr.json": v3Array({}),
      // A format-2 folder under a format-3 group is no node (issue 11, item 5).
      "s2/.zgroup": { zarr_format: 2 },
    });
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  test("USE", async () => {
    const expected = expectedViews(dir, "use");
    expect(expected.get("s1/x")!.attributes).toEqual({ v: "consolidated" });
    expect(expected.get("s1")!.attributes).toEqual({ s: "edited" });
    expect(expected.get("s0/inner")!.members).toEqual(["s0/inner/m"]);
    await checkEveryRoute(dir, "USE", ["s1/y", "s2"]);
  });

  test("IGNORE", async () => {
    await checkEveryRoute(dir, "IGNORE", ["s2"]);
  });
});

describe("REQUIRE", () => {
  const EVERY_ROUTE = `query ($p: String!, $id: ID!, $refs: [_Any!]!) {
    a: catalog(name: "c", consolidated: REQUIRE) { node(path: $p) { path } }
    b: catalog(name: "c", consolidated: REQUIRE) { root { path ... on ZarrGroup { member(path: $p) { path } members { nodes { path } } } } }
    c: node(id: $id) { id }
    d: nodes(ids: [$id]) { id }
    e: _entities(representations: $refs) { ... on ZarrNode { path } }
  }`;

  test("without consolidated metadata every route to every node is NOT_FOUND, saying why", async () => {
    const app = createApp({ catalogs: [fileCatalog("c", fixture("zarr-python-2.13/zoo1.zarr"), "require")] });
    const ignore = createApp({ catalogs: [fileCatalog("c", fixture("zarr-python-2.13/zoo1.zarr"), "ignore")] });
    const listed = await gql(
      ignore,
      `{ catalog(name: "c") { root { ... on ZarrGroup { members(maxDepth: null) { nodes { path id __typename } } } } } }`,
    );
    const nodes = listed.data.catalog.root.members.nodes as { path: string; id: string; __typename: string }[];
    expect(nodes.length).toBeGreaterThan(3);
    for (const node of nodes.slice(0, 6)) {
      // The same node's id in the consolidated view: what a client holding it would send.
      const id = Buffer.from(`${node.__typename}:${JSON.stringify(["c", node.path])}`).toString("base64");
      const result = await gql(app, EVERY_ROUTE, {
        p: node.path,
        id,
        refs: [{ __typename: node.__typename, catalog: "c", path: node.path }],
      });
      expect(result.data.a.node).toBeNull();
      expect(result.data.b.root).toBeNull();
      expect(result.data.c).toBeNull();
      expect(result.data.d).toEqual([null]);
      expect(result.data.e).toEqual([null]);
      const errors = result.errors ?? [];
      expect(errors.map((e) => e.path?.[0]).sort()).toEqual(["a", "b", "c", "d", "e"]);
      for (const error of errors) {
        expect(error.extensions?.code).toBe("NOT_FOUND");
        expect(error.message).toMatch(/requires consolidated metadata/);
      }
    }
  });

  test("with consolidated metadata every route answers from it, reading nothing beyond the carrier", async () => {
    const app = createApp({ catalogs: [fileCatalog("c", fixture("zarr-python-2.13/tree.zarr"), "require")] });
    const id = Buffer.from(`ZarrGroup:${JSON.stringify(["c", "g0/g1"])}`).toString("base64");
    const result = await gql(app, EVERY_ROUTE, {
      p: "g0/g1",
      id,
      refs: [{ __typename: "ZarrGroup", catalog: "c", path: "g0/g1" }],
    });
    expect(result.errors).toBeUndefined();
    expect(result.data.a.node.path).toBe("g0/g1");
    expect(result.data.b.root.member.path).toBe("g0/g1");
    expect(result.data.c.id).toBe(id);
    expect(result.data.e).toEqual([{ path: "g0/g1" }]);
    // The root's probe (zarr.json, .zarray, .zgroup, .zattrs, .zmetadata), nothing else.
    expect(result.extensions!.io).toMatchObject({ gets: 5, lists: 0, waves: 1 });
  });

  test("an array at the root is the one node no consolidated metadata could carry: it is found", async () => {
    const store = new MemoryStore("memory://c", {
      ".zarray": JSON.stringify({
        zarr_format: 2,
        shape: [2],
        chunks: [2],
        dtype: "<i4",
        compressor: null,
        fill_value: 0,
        filters: null,
        order: "C",
      }),
    });
    const app = createApp({ catalogs: [catalog("c", store, "require")] });
    const result = await gql(app, `{ catalog(name: "c") { root { __typename path } } }`);
    expect(result.errors).toBeUndefined();
    expect(result.data.catalog.root).toEqual({ __typename: "ZarrArray", path: "" });
  });
});

test("a .zmetadata without a .zgroup beside it is no group, and carries nothing", async () => {
  const zmetadata = JSON.stringify({
    zarr_consolidated_format: 1,
    metadata: { ".zgroup": { zarr_format: 2 }, "a/.zgroup": { zarr_format: 2 } },
  });
  const app = createApp({ catalogs: [catalog("c", new MemoryStore("memory://c", { ".zmetadata": zmetadata }))] });
  const result = await gql(app, `{ catalog(name: "c") { root { path } node(path: "a") { path } } }`);
  expect(result.data.catalog.root).toBeNull();
  expect(result.data.catalog.node).toBeNull();
  expect(result.errors?.map((e) => e.extensions?.code)).toEqual(["NOT_FOUND", "NOT_FOUND"]);
});
