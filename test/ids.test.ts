// Ids name one view: a node read with consolidated: IGNORE (its own documents) and the same node
// read with USE (stale consolidated metadata) answer differently, so they have different ids,
// node(id) answers each in its own view whatever the catalog's default mode, and a normalised
// client cache (Apollo's InMemoryCache) fed both keeps both.
import { execFileSync } from "node:child_process";
import { cp } from "node:fs/promises";
import { gql as apolloGql, InMemoryCache } from "@apollo/client";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { App } from "../src/server/app.js";
import { createApp, fileCatalog, fixture, gql } from "./support/app.js";
import { tempDir } from "./support/writes.js";

let work: { dir: string; remove: () => Promise<void> };
let app: App;

beforeAll(async () => {
  // zarr-python 2.13's consolidated tree, then an edit through zarr-python that leaves its
  // consolidated metadata stale (as zarr-python does until consolidate_metadata runs again).
  work = await tempDir("zarr-graphql-ids-");
  await cp(fixture("zarr-python-2.13/tree.zarr"), work.dir, { recursive: true });
  const edit = `import sys, zarr
g = zarr.open_group(sys.argv[1], mode="r+")
g["g1"].attrs["edited"] = True
g["g1/g1/v0"].attrs["edited"] = True`;
  execFileSync("/usr/bin/python3", ["-c", edit, work.dir]);
  app = createApp({
    catalogs: [
      fileCatalog("tree", work.dir),
      fileCatalog("plain", work.dir, "ignore"),
      fileCatalog("strict", work.dir, "require"),
    ],
  });
});

afterAll(async () => {
  await work?.remove();
});

/** Relay's global id as clients hold it today: base64 of `Type:["catalog","path"]`. */
const consolidatedId = (type: string, catalog: string, nodePath: string) =>
  Buffer.from(`${type}:${JSON.stringify([catalog, nodePath])}`).toString("base64");

const FIELDS = `id path version attributes ... on ZarrGroup { consolidated }`;
const BOTH_VIEWS = `{
  use: catalog(name: "tree", consolidated: USE) { root { ${FIELDS} ... on ZarrGroup {
    g: member(path: "g1") { ${FIELDS} } v: member(path: "g1/g1/v0") { ${FIELDS} } } } }
  ignore: catalog(name: "tree", consolidated: IGNORE) { root { ${FIELDS} ... on ZarrGroup {
    g: member(path: "g1") { ${FIELDS} } v: member(path: "g1/g1/v0") { ${FIELDS} } } } }
  require: catalog(name: "tree", consolidated: REQUIRE) { root { ... on ZarrGroup { g: member(path: "g1") { id } } } }
}`;

describe("the same node under USE and IGNORE in one request", () => {
  let data: any;
  beforeAll(async () => {
    const result = await gql(app, BOTH_VIEWS);
    expect(result.errors).toBeUndefined();
    data = result.data;
  });

  test("answers two ways, with two ids; USE's ids are unchanged and REQUIRE shares them", () => {
    const use = data.use.root.g;
    const ignore = data.ignore.root.g;
    // The two views differ (stale consolidated metadata): one id for both would be a lie.
    expect(use.attributes).toEqual({ level: 1 });
    expect(ignore.attributes).toEqual({ level: 1, edited: true });
    expect(use.consolidated).toBe(true);
    expect(ignore.consolidated).toBe(false);
    expect(use.version).not.toBe(ignore.version);
    for (const key of ["g", "v"] as const) expect(data.use.root[key].id).not.toBe(data.ignore.root[key].id);
    expect(data.use.root.id).not.toBe(data.ignore.root.id);
    expect(data.use.root.g.id).toBe(consolidatedId("ZarrGroup", "tree", "g1"));
    expect(data.use.root.v.id).toBe(consolidatedId("ZarrArray", "tree", "g1/g1/v0"));
    expect(data.require.root.g.id).toBe(data.use.root.g.id);
  });

  test("node(id), nodes(ids) and _entities answer each id in its own view", async () => {
    const ids = [data.use.root.g.id, data.ignore.root.g.id, data.use.root.v.id, data.ignore.root.v.id];
    const result = await gql(
      app,
      `query ($ids: [ID!]!, $a: ID!, $b: ID!, $reps: [_Any!]!) {
        a: node(id: $a) { ... on ZarrNode { ${FIELDS} } }
        b: node(id: $b) { ... on ZarrNode { ${FIELDS} } }
        nodes(ids: $ids) { ... on ZarrNode { ${FIELDS} } }
        _entities(representations: $reps) { ... on ZarrNode { ${FIELDS} } }
      }`,
      {
        ids,
        a: ids[0],
        b: ids[1],
        reps: [
          { __typename: "ZarrGroup", id: ids[0] },
          { __typename: "ZarrGroup", id: ids[1] },
          { __typename: "ZarrArray", id: ids[3] },
        ],
      },
    );
    expect(result.errors).toBeUndefined();
    const { use, ignore } = data;
    expect(result.data.a).toEqual(use.root.g);
    expect(result.data.b).toEqual(ignore.root.g);
    expect(result.data.nodes).toEqual([use.root.g, ignore.root.g, use.root.v, ignore.root.v]);
    expect(result.data._entities).toEqual([use.root.g, ignore.root.g, ignore.root.v]);
  });

  test("an Apollo InMemoryCache fed the response keeps both views", () => {
    const cache = new InMemoryCache({
      possibleTypes: { ZarrNode: ["ZarrGroup", "ZarrArray"], Node: ["ZarrGroup", "ZarrArray"] },
    });
    // Apollo's own query shape: __typename on every object, as a client sends it.
    const query = apolloGql(`{
      use: catalog(name: "tree", consolidated: USE) { __typename root { __typename ${FIELDS}
        ... on ZarrGroup { g: member(path: "g1") { __typename ${FIELDS} } } } }
      ignore: catalog(name: "tree", consolidated: IGNORE) { __typename root { __typename ${FIELDS}
        ... on ZarrGroup { g: member(path: "g1") { __typename ${FIELDS} } } } }
    }`);
    const typed = (node: any, type: string) => ({ __typename: type, ...node });
    const response = (view: any) => ({
      __typename: "Catalog",
      root: { ...typed(view.root, "ZarrGroup"), g: typed(view.root.g, "ZarrGroup") },
    });
    const strip = ({ v: _v, ...root }: any) => root;
    const written = {
      use: response({ root: strip(data.use.root) }),
      ignore: response({ root: strip(data.ignore.root) }),
    };
    cache.writeQuery({ query, data: written });
    const entities = Object.keys(cache.extract()).filter((key) => key.startsWith("ZarrGroup:"));
    expect(entities.sort()).toEqual(
      [data.use.root.id, data.ignore.root.id, data.use.root.g.id, data.ignore.root.g.id]
        .map((id) => `ZarrGroup:${id}`)
        .sort(),
    );
    const read = cache.readQuery<any>({ query });
    expect(read.use.root.g.attributes).toEqual({ level: 1 });
    expect(read.ignore.root.g.attributes).toEqual({ level: 1, edited: true });
    expect(read).toEqual(written);
  });
});

describe("node(id) follows the id, not the catalog's default mode", () => {
  test("a catalog that defaults to IGNORE: its own ids are IGNORE's, a USE id still answers USE's view", async () => {
    const result = await gql(
      app,
      `{ plain: catalog(name: "plain") { node(path: "g1") { ${FIELDS} } }
         use: catalog(name: "plain", consolidated: USE) { node(path: "g1") { ${FIELDS} } } }`,
    );
    expect(result.errors).toBeUndefined();
    const { plain, use } = result.data;
    expect(plain.node.attributes).toEqual({ level: 1, edited: true });
    expect(use.node.attributes).toEqual({ level: 1 });
    expect(use.node.id).toBe(consolidatedId("ZarrGroup", "plain", "g1"));
    expect(plain.node.id).not.toBe(use.node.id);
    const back = await gql(
      app,
      `query ($a: ID!, $b: ID!) { a: node(id: $a) { ... on ZarrNode { ${FIELDS} } } b: node(id: $b) { ... on ZarrNode { ${FIELDS} } } }`,
      {
        a: use.node.id,
        b: plain.node.id,
      },
    );
    expect(back.errors).toBeUndefined();
    expect(back.data.a).toEqual(use.node);
    expect(back.data.b).toEqual(plain.node);
  });

  test("a catalog that defaults to REQUIRE answers a consolidated id in REQUIRE, so no id gets round it", async () => {
    const strict = await gql(app, `{ catalog(name: "strict") { node(path: "g1") { id attributes } } }`);
    expect(strict.data.catalog.node).toEqual({
      id: consolidatedId("ZarrGroup", "strict", "g1"),
      attributes: { level: 1 },
    });
    // An IGNORE id of a node no consolidated metadata lists (created after consolidation).
    execFileSync("/usr/bin/python3", [
      "-c",
      `import sys, zarr; zarr.open_group(sys.argv[1], mode="r+").create_group("late")`,
      work.dir,
    ]);
    const late = await gql(app, `{ catalog(name: "strict", consolidated: IGNORE) { node(path: "late") { id } } }`);
    expect(late.errors).toBeUndefined();
    const ids = [late.data.catalog.node.id, consolidatedId("ZarrGroup", "strict", "late")];
    const back = await gql(app, `query ($ids: [ID!]!) { nodes(ids: $ids) { ... on ZarrNode { path } } }`, { ids });
    // Its IGNORE id answers (the id says IGNORE); the consolidated one is REQUIRE's, and it is not there.
    expect(back.data.nodes).toEqual([{ path: "late" }, null]);
  });
});

test("malformed views are refused as malformed ids, in their own slot", async () => {
  const bad = Buffer.from(`ZarrGroup:${JSON.stringify(["tree", "g1", "use"])}`).toString("base64");
  const good = consolidatedId("ZarrGroup", "tree", "g1");
  const result = await gql(app, `query ($ids: [ID!]!) { nodes(ids: $ids) { id } }`, { ids: [bad, good] });
  expect(result.data.nodes).toEqual([null, { id: good }]);
  expect(result.errors?.[0]).toMatchObject({ path: ["nodes", 0], extensions: { code: "BAD_USER_INPUT" } });
});
