// The write API through the real yoga app over a memory store: the rules zarr-python follows,
// what each mutation writes (documents asserted as literal text or parsed values), the
// request's own reads after its writes, consolidated metadata kept true, limits and audit logs.
import { createHash } from "node:crypto";
import { describe, expect, test } from "vitest";
import { HttpStore } from "../src/stores/http.js";
import { LatencyStore } from "../src/stores/latency.js";
import { MemoryStore } from "../src/stores/memory.js";
import { catalog, createApp, gql } from "./support/app.js";
import { codeOf, mutate, snapshot, TOKEN, text, writableApp } from "./support/writes.js";

const json = async (store: MemoryStore, key: string) => JSON.parse(text((await store.get(key))!.data));

const CREATE_GROUP = `mutation ($input: CreateGroupInput!) { createGroup(input: $input) { group { path zarrFormat attributes version } } }`;
const CREATE_ARRAY = `mutation ($input: CreateArrayInput!) { createArray(input: $input) {
  array { path zarrFormat shape chunks shards dataType fillValue order dimensionNames attributes version codecs { name configuration } } } }`;
const UPDATE = `mutation ($input: UpdateAttributesInput!) { updateAttributes(input: $input) { node { path attributes version } } }`;
const DELETE = `mutation ($input: DeleteNodeInput!) { deleteNode(input: $input) { deletedPath deletedObjects } }`;
const MOVE = `mutation ($input: MoveNodeInput!) { moveNode(input: $input) { movedObjects node { path name version } } }`;
const CONSOLIDATE = `mutation ($input: ConsolidateMetadataInput!) { consolidateMetadata(input: $input) { consolidatedNodes group { path consolidated } } }`;

function setup(initial?: Record<string, string>, options: { maxObjects?: number } = {}) {
  const store = new MemoryStore("memory://t", initial);
  const { app, logs } = writableApp([catalog("t", store)], options);
  return {
    store,
    app,
    logs,
    run: (q: string, input: Record<string, unknown>) => mutate(app, q, { input: { catalog: "t", ...input } }),
  };
}

const V2_ROOT = { ".zgroup": '{\n    "zarr_format": 2\n}' };

describe("createGroup and createArray", () => {
  test("create missing parents, write zarr-python 3's documents, and return the new node", async () => {
    const { store, run } = setup();
    const result = await run(CREATE_ARRAY, {
      path: "a/b/temperature",
      shape: [4, 6],
      dataType: "float32",
      chunks: [2, 3],
      fillValue: "NaN",
      dimensionNames: ["y", "x"],
      attributes: { units: "K" },
    });
    expect(result.errors).toBeUndefined();
    expect(result.data.createArray.array).toMatchObject({
      path: "a/b/temperature",
      zarrFormat: 3,
      shape: [4, 6],
      chunks: [2, 3],
      shards: null,
      dataType: "float32",
      fillValue: "NaN",
      order: null,
      dimensionNames: ["y", "x"],
      attributes: { units: "K" },
      codecs: [
        { name: "bytes", configuration: { endian: "little" } },
        { name: "zstd", configuration: { level: 0, checksum: false } },
      ],
    });
    expect(store.keys()).toEqual(["a/b/temperature/zarr.json", "a/b/zarr.json", "a/zarr.json", "zarr.json"]);
    expect(text((await store.get("a/zarr.json"))!.data)).toBe(
      '{\n  "attributes": {},\n  "zarr_format": 3,\n  "consolidated_metadata": null,\n  "node_type": "group"\n}',
    );
    expect(Object.keys(await json(store, "a/b/temperature/zarr.json"))).toEqual([
      "shape",
      "data_type",
      "chunk_grid",
      "chunk_key_encoding",
      "fill_value",
      "codecs",
      "attributes",
      "dimension_names",
      "zarr_format",
      "node_type",
      "storage_transformers",
    ]);
    // Four documents, one wave of probes before them: the payload is answered from what was written.
    expect(result.extensions!.io!.writes).toBe(4);
  });

  test("a group in a format-2 hierarchy is written as zarr-python 2 writes it; attributes go to .zattrs", async () => {
    const { store, run } = setup(V2_ROOT);
    const result = await run(CREATE_GROUP, { path: "g", attributes: { title: "é" } });
    expect(result.data.createGroup.group).toMatchObject({ path: "g", zarrFormat: 2, attributes: { title: "é" } });
    expect(text((await store.get("g/.zgroup"))!.data)).toBe('{\n    "zarr_format": 2\n}');
    expect(text((await store.get("g/.zattrs"))!.data)).toBe('{\n    "title": "\\u00e9"\n}');
    const bare = await run(CREATE_GROUP, { path: "h" });
    expect(bare.errors).toBeUndefined();
    expect(store.keys()).toEqual([".zgroup", "g/.zattrs", "g/.zgroup", "h/.zgroup"]);
  });

  test("an existing node is a CONFLICT without overwrite; with it, the old subtree is gone", async () => {
    const { store, run } = setup();
    await run(CREATE_GROUP, { path: "g", attributes: { old: true } });
    await run(CREATE_ARRAY, { path: "g/x", shape: [2], dataType: "int8" });
    await store.set("g/x/c/0", new Uint8Array([1, 2]));
    const before = await snapshot(store);
    const refused = await run(CREATE_GROUP, { path: "g" });
    expect(codeOf(refused)).toBe("CONFLICT");
    expect(refused.errors![0].message).toContain('a group already exists at "/g"');
    expect(await snapshot(store)).toEqual(before);

    const replaced = await run(CREATE_ARRAY, { path: "g", shape: [3], dataType: "int16", overwrite: true });
    expect(replaced.errors).toBeUndefined();
    expect(store.keys()).toEqual(["g/zarr.json", "zarr.json"]);
    expect((await json(store, "g/zarr.json")).node_type).toBe("array");
  });

  test("an array cannot have children, and a node's format matches its parent's", async () => {
    const { store, run } = setup();
    await run(CREATE_ARRAY, { path: "arr", shape: [2], dataType: "int8" });
    const before = await snapshot(store);
    const child = await run(CREATE_GROUP, { path: "arr/sub/deeper" });
    expect(codeOf(child)).toBe("CONFLICT");
    expect(child.errors![0].message).toContain('"/arr" is an array, and an array cannot have children');
    const format = await run(CREATE_GROUP, { path: "v2", zarrFormat: 2 });
    expect(codeOf(format)).toBe("BAD_USER_INPUT");
    expect(format.errors![0].message).toContain("does not match the parent group");
    expect(await snapshot(store)).toEqual(before);
  });

  test("the format defaults to the parent's, and to 3 in an empty store; zarrFormat 2 makes a format-2 root", async () => {
    const v2 = setup(V2_ROOT);
    expect(
      (await v2.run(CREATE_ARRAY, { path: "a", shape: [1], dataType: "<i4" })).data.createArray.array.zarrFormat,
    ).toBe(2);
    const empty = setup();
    expect((await empty.run(CREATE_GROUP, { path: "", zarrFormat: 2 })).data.createGroup.group.zarrFormat).toBe(2);
    expect(empty.store.keys()).toEqual([".zgroup"]);
  });
});

describe("requireGroup and requireArray", () => {
  const REQUIRE_GROUP = `mutation ($input: RequireGroupInput!) { requireGroup(input: $input) { created group { path attributes } } }`;
  const REQUIRE_ARRAY = `mutation ($input: RequireArrayInput!) { requireArray(input: $input) { created array { path dataType shape } } }`;

  test("requireGroup returns an existing group without writing, creates a missing one, refuses an array", async () => {
    const { store, run } = setup();
    const first = await run(REQUIRE_GROUP, { path: "g", attributes: { a: 1 } });
    expect(first.data.requireGroup).toEqual({ created: true, group: { path: "g", attributes: { a: 1 } } });
    const again = await run(REQUIRE_GROUP, { path: "g", attributes: { a: 2 } });
    expect(again.data.requireGroup).toEqual({ created: false, group: { path: "g", attributes: { a: 1 } } });
    expect(again.extensions!.io!.writes).toBe(0);
    await run(CREATE_ARRAY, { path: "arr", shape: [1], dataType: "int8" });
    const before = await snapshot(store);
    expect(codeOf(await run(REQUIRE_GROUP, { path: "arr" }))).toBe("CONFLICT");
    expect(await snapshot(store)).toEqual(before);
  });

  test("requireArray keeps an array whose shape matches and whose data type casts safely, as zarr-python 3", async () => {
    const { store, run } = setup();
    const created = await run(REQUIRE_ARRAY, { path: "x", shape: [5], dataType: "int32" });
    expect(created.data.requireArray).toEqual({ created: true, array: { path: "x", dataType: "int32", shape: [5] } });
    const before = await snapshot(store);
    // int32 casts safely to int64 and float64: the existing array is the answer.
    for (const dataType of ["int64", "float64", "int32"]) {
      const kept = await run(REQUIRE_ARRAY, { path: "x", shape: [5], dataType });
      expect(kept.data.requireArray).toEqual({ created: false, array: { path: "x", dataType: "int32", shape: [5] } });
    }
    const shape = await run(REQUIRE_ARRAY, { path: "x", shape: [6], dataType: "int32" });
    expect(codeOf(shape)).toBe("CONFLICT");
    expect(shape.errors![0].extensions).toMatchObject({ field: "shape", expected: [6], actual: [5] });
    expect(codeOf(await run(REQUIRE_ARRAY, { path: "x", shape: [5], dataType: "int16" }))).toBe("CONFLICT");
    expect(codeOf(await run(REQUIRE_ARRAY, { path: "x", shape: [5], dataType: "float32" }))).toBe("CONFLICT");
    expect(codeOf(await run(REQUIRE_ARRAY, { path: "x", shape: [5], dataType: "int64", exact: true }))).toBe(
      "CONFLICT",
    );
    expect(await snapshot(store)).toEqual(before);
  });
});

describe("updateAttributes", () => {
  test("MERGE is shallow, REPLACE replaces; only the attributes change", async () => {
    const { store, run } = setup();
    await run(CREATE_ARRAY, {
      path: "x",
      shape: [3],
      dataType: "int64",
      fillValue: "-9223372036854775806",
      attributes: { keep: 1, nested: { a: 1, b: 2 } },
    });
    const merged = await run(UPDATE, { path: "x", mode: "MERGE", attributes: { nested: { a: 9 }, added: "y" } });
    expect(merged.data.updateAttributes.node.attributes).toEqual({ keep: 1, nested: { a: 9 }, added: "y" });
    expect(text((await store.get("x/zarr.json"))!.data)).toContain('"fill_value": -9223372036854775806,');
    const replaced = await run(UPDATE, { path: "x", mode: "REPLACE", attributes: { only: true } });
    expect(replaced.data.updateAttributes.node.attributes).toEqual({ only: true });
    expect((await json(store, "x/zarr.json")).attributes).toEqual({ only: true });
  });

  test("mode is required, attributes must be an object, the node must exist", async () => {
    const { store, app, run } = setup();
    await run(CREATE_GROUP, { path: "g" });
    const before = await snapshot(store);
    const noMode = await mutate(
      app,
      `mutation { updateAttributes(input: {catalog: "t", path: "g", attributes: {a: 1}}) { node { path } } }`,
    );
    expect(noMode.errors![0].message).toMatch(/mode/);
    expect(codeOf(await run(UPDATE, { path: "g", mode: "MERGE", attributes: [1, 2] }))).toBe("BAD_USER_INPUT");
    expect(codeOf(await run(UPDATE, { path: "missing", mode: "MERGE", attributes: {} }))).toBe("NOT_FOUND");
    expect(await snapshot(store)).toEqual(before);
  });

  test("in format 2 the .zattrs document is written (created when there was none)", async () => {
    const { store, run } = setup(V2_ROOT);
    await run(CREATE_ARRAY, { path: "a", shape: [2], dataType: "<f8", compressor: null });
    expect(store.keys()).toEqual([".zgroup", "a/.zarray"]);
    const zarray = text((await store.get("a/.zarray"))!.data);
    await run(UPDATE, { path: "a", mode: "MERGE", attributes: { z: 1, a: 2 } });
    expect(text((await store.get("a/.zattrs"))!.data)).toBe('{\n    "a": 2,\n    "z": 1\n}');
    expect(text((await store.get("a/.zarray"))!.data)).toBe(zarray);
  });
});

describe("ifVersion", () => {
  test("a stale version is a CONFLICT and nothing is written; the current one succeeds", async () => {
    const { store, run } = setup();
    const created = await run(CREATE_GROUP, { path: "g", attributes: { n: 0 } });
    const version = created.data.createGroup.group.version;
    const first = await run(UPDATE, { path: "g", mode: "MERGE", attributes: { n: 1 }, ifVersion: version });
    expect(first.errors).toBeUndefined();
    expect(first.data.updateAttributes.node.version).not.toBe(version);
    const before = await snapshot(store);
    const stale = await run(UPDATE, { path: "g", mode: "MERGE", attributes: { n: 2 }, ifVersion: version });
    expect(codeOf(stale)).toBe("CONFLICT");
    expect(stale.errors![0].extensions).toMatchObject({ expectedVersion: version });
    expect(codeOf(await run(DELETE, { path: "g", ifVersion: version }))).toBe("CONFLICT");
    expect(codeOf(await run(MOVE, { path: "g", newPath: "h", ifVersion: version }))).toBe("CONFLICT");
    expect(await snapshot(store)).toEqual(before);
    const current = first.data.updateAttributes.node.version;
    expect((await run(DELETE, { path: "g", ifVersion: current })).data.deleteNode.deletedObjects).toBe(1);
  });
});

describe("deleteNode and moveNode", () => {
  async function tree() {
    const t = setup();
    await t.run(CREATE_ARRAY, { path: "g/a", shape: [4], dataType: "uint8", chunks: [2] });
    await t.run(CREATE_GROUP, { path: "g/sub" });
    await t.run(CREATE_ARRAY, { path: "g/sub/b", shape: [2, 2], dataType: "int16", chunks: [1, 2] });
    for (const key of ["g/a/c/0", "g/a/c/1", "g/sub/b/c/0/0", "g/sub/b/c/1/0"])
      await t.store.set(key, new Uint8Array([7, 8]));
    await t.run(CREATE_GROUP, { path: "other" });
    return t;
  }

  test("deleteNode removes the whole subtree, chunks included, and reports how many objects", async () => {
    const { store, run } = await tree();
    const result = await run(DELETE, { path: "g" });
    expect(result.data.deleteNode).toEqual({ deletedPath: "g", deletedObjects: 8 });
    expect(store.keys()).toEqual(["other/zarr.json", "zarr.json"]);
  });

  test("deleteNode refuses the root and a missing node", async () => {
    const { store, run } = await tree();
    const before = await snapshot(store);
    expect(codeOf(await run(DELETE, { path: "" }))).toBe("BAD_USER_INPUT");
    expect(codeOf(await run(DELETE, { path: "nope" }))).toBe("NOT_FOUND");
    expect(await snapshot(store)).toEqual(before);
  });

  test("over the object limit a delete or move is LIMIT_EXCEEDED with limit, max, actual, and touches nothing", async () => {
    const { store, run } = setup(undefined, { maxObjects: 5 });
    await run(CREATE_ARRAY, { path: "g/a", shape: [8], dataType: "uint8", chunks: [1] });
    for (let i = 0; i < 8; i++) await store.set(`g/a/c/${i}`, new Uint8Array([i]));
    const before = await snapshot(store);
    for (const result of [await run(DELETE, { path: "g" }), await run(MOVE, { path: "g", newPath: "h" })]) {
      expect(codeOf(result)).toBe("LIMIT_EXCEEDED");
      expect(result.errors![0].extensions).toMatchObject({ limit: "objects", max: 5 });
      expect(result.errors![0].extensions!.actual).toBeGreaterThan(5);
    }
    expect(await snapshot(store)).toEqual(before);
  });

  test("moveNode copies every object to the new path byte for byte and removes the old", async () => {
    const { store, run } = await tree();
    const before = await snapshot(store, "g");
    const result = await run(MOVE, { path: "g", newPath: "x/y/moved" });
    expect(result.errors).toBeUndefined();
    expect(result.data.moveNode).toMatchObject({ movedObjects: 8, node: { path: "x/y/moved", name: "/x/y/moved" } });
    const after = await snapshot(store, "x/y/moved");
    expect(Object.fromEntries(Object.entries(after).map(([k, v]) => [k.replace("x/y/moved", "g"), v]))).toEqual(before);
    expect(store.keys().filter((k) => k.startsWith("g/"))).toEqual([]);
    // The missing parents were created as groups.
    expect((await json(store, "x/y/zarr.json")).node_type).toBe("group");
  });

  test("moveNode refuses moving into itself, onto a node, the root, and across formats", async () => {
    const { store, run } = await tree();
    const before = await snapshot(store);
    const into = await run(MOVE, { path: "g", newPath: "g/sub/inside" });
    expect(codeOf(into)).toBe("BAD_USER_INPUT");
    expect(into.errors![0].message).toContain("cannot be moved into itself");
    expect(codeOf(await run(MOVE, { path: "g", newPath: "other" }))).toBe("CONFLICT");
    expect(codeOf(await run(MOVE, { path: "g", newPath: "g/a/under-array" }))).toBe("BAD_USER_INPUT");
    expect(codeOf(await run(MOVE, { path: "g/sub", newPath: "g/a/under-array" }))).toBe("CONFLICT");
    expect(codeOf(await run(MOVE, { path: "", newPath: "z" }))).toBe("BAD_USER_INPUT");
    expect(codeOf(await run(MOVE, { path: "g", newPath: "" }))).toBe("BAD_USER_INPUT");
    expect(await snapshot(store)).toEqual(before);
  });
});

describe("reads after writes in the same request", () => {
  test("later fields of one operation see the earlier fields' writes", async () => {
    const { app } = setup();
    const result = await mutate(
      app,
      `mutation {
        a: createGroup(input: {catalog: "t", path: "g", attributes: {first: 1}}) { group { path } }
        b: updateAttributes(input: {catalog: "t", path: "g", mode: MERGE, attributes: {second: 2}}) { node { attributes } }
        c: createArray(input: {catalog: "t", path: "g/x", shape: [1], dataType: "int8"}) {
          array { parent { members { nodes { path } } } } }
        d: deleteNode(input: {catalog: "t", path: "g/x"}) { deletedObjects }
        e: createGroup(input: {catalog: "t", path: "g/x"}) { group { path parent { nmembers attributes } } }
      }`,
    );
    expect(result.errors).toBeUndefined();
    expect(result.data.b.node.attributes).toEqual({ first: 1, second: 2 });
    expect(result.data.c.array.parent.members.nodes).toEqual([{ path: "g/x" }]);
    expect(result.data.d.deletedObjects).toBe(1);
    expect(result.data.e.group.parent).toEqual({ nmembers: 1, attributes: { first: 1, second: 2 } });
  });
});

describe("consolidated metadata stays true to the store", () => {
  const READ = `{ catalog(name: "t", consolidated: USE) { root { ... on ZarrGroup { consolidated
    members(maxDepth: null) { nodes { path attributes } } } } } }`;

  test("format 3: creating, updating, moving and deleting under a consolidated root patch its inline block", async () => {
    const { store, app, run } = setup();
    await run(CREATE_GROUP, { path: "g", attributes: { v: 1 } });
    await run(CREATE_ARRAY, { path: "g/a", shape: [2], dataType: "int8" });
    expect((await run(CONSOLIDATE, {})).data.consolidateMetadata).toEqual({
      consolidatedNodes: 2,
      group: { path: "", consolidated: true },
    });
    const block = async () => (await json(store, "zarr.json")).consolidated_metadata.metadata;
    expect(Object.keys(await block())).toEqual(["g", "g/a"]);

    await run(CREATE_ARRAY, { path: "g/b/deep", shape: [1], dataType: "int8" });
    await run(UPDATE, { path: "g", mode: "MERGE", attributes: { v: 2 } });
    expect(Object.keys(await block())).toEqual(["g", "g/a", "g/b", "g/b/deep"]);
    expect((await block()).g).toEqual({
      attributes: { v: 2 },
      zarr_format: 3,
      consolidated_metadata: { kind: "inline", must_understand: false, metadata: {} },
      node_type: "group",
    });
    // Readers trust it: the whole tree comes from the root document, without a listing.
    const read = await gql(app, READ);
    expect(read.data.catalog.root.members.nodes.map((n: any) => n.path)).toEqual(["g", "g/a", "g/b", "g/b/deep"]);
    expect(read.extensions!.io!.lists).toBe(0);

    await run(MOVE, { path: "g/b", newPath: "h" });
    expect(Object.keys(await block())).toEqual(["g", "g/a", "h", "h/deep"]);
    await run(DELETE, { path: "g" });
    expect(Object.keys(await block())).toEqual(["h", "h/deep"]);
    const after = await gql(app, READ);
    expect(after.data.catalog.root.members.nodes.map((n: any) => n.path)).toEqual(["h", "h/deep"]);
  });

  test("every ancestor that carries consolidated metadata is patched, nested carriers included", async () => {
    const { store, run } = setup();
    await run(CREATE_GROUP, { path: "a/b" });
    await run(CONSOLIDATE, { path: "a" });
    await run(CONSOLIDATE, { path: "" });
    const result = await run(CREATE_ARRAY, { path: "a/b/x", shape: [1], dataType: "int8" });
    expect(result.errors).toBeUndefined();
    expect(Object.keys((await json(store, "zarr.json")).consolidated_metadata.metadata)).toEqual(["a", "a/b", "a/b/x"]);
    expect(Object.keys((await json(store, "a/zarr.json")).consolidated_metadata.metadata)).toEqual(["b", "b/x"]);
    // The array's zarr.json and the two carriers.
    expect(result.extensions!.io!.writes).toBe(3);
  });

  test("format 2: .zmetadata follows creates, attribute updates and deletes", async () => {
    const { store, run } = setup(V2_ROOT);
    await run(CREATE_GROUP, { path: "g" });
    await run(CONSOLIDATE, {});
    const keys = async () => Object.keys((await json(store, ".zmetadata")).metadata);
    expect(await keys()).toEqual([".zgroup", "g/.zgroup"]);
    await run(CREATE_ARRAY, { path: "g/a", shape: [2], dataType: "<i2", attributes: { u: "m" } });
    await run(UPDATE, { path: "", mode: "MERGE", attributes: { title: "root" } });
    expect(await keys()).toEqual([".zattrs", ".zgroup", "g/.zgroup", "g/a/.zarray", "g/a/.zattrs"]);
    expect((await json(store, ".zmetadata")).metadata[".zattrs"]).toEqual({ title: "root" });
    await run(DELETE, { path: "g/a" });
    expect(await keys()).toEqual([".zattrs", ".zgroup", "g/.zgroup"]);
  });
});

describe("store calls a mutation makes (counted at the store, behind a 5 ms round trip)", () => {
  async function consolidatedTree(v2: boolean) {
    const memory = new MemoryStore("memory://io", v2 ? V2_ROOT : undefined);
    const { app } = writableApp([catalog("t", new LatencyStore(memory, 5))]);
    const run = (query: string) => mutate(app, query);
    expect(
      (await run(`mutation { createGroup(input: {catalog: "t", path: "a"}) { group { path } } }`)).errors,
    ).toBeUndefined();
    expect(
      (await run(`mutation { consolidateMetadata(input: {catalog: "t"}) { group { path } } }`)).errors,
    ).toBeUndefined();
    return run;
  }

  test.each([
    ["format 3", false, 12],
    ["format 2", true, 14],
  ])(
    "%s: a create under a consolidated root is one wave of probes, one of writes, one for the carrier",
    async (_f, v2, gets) => {
      const run = await consolidatedTree(v2);
      const created =
        await run(`mutation { createArray(input: {catalog: "t", path: "a/x", shape: [4], dataType: "int32"}) {
      array { path shape parent { path } } } }`);
      expect(created.errors).toBeUndefined();
      // Probes of a/x, a and the root (4 documents each); format 2 also reads the two .zmetadata
      // that could carry consolidated metadata, in the same wave as the array's document.
      expect(created.extensions!.io).toMatchObject({ gets, lists: 0, writes: 2, waves: 3 });
      const updated = await run(
        `mutation { updateAttributes(input: {catalog: "t", path: "a/x", mode: MERGE, attributes: {u: 1}}) { node { attributes } } }`,
      );
      expect(updated.extensions!.io).toMatchObject({ lists: 0, writes: 2, waves: 3 });
    },
  );

  test("a create with missing parents writes them all in one wave", async () => {
    const { app } = writableApp([catalog("t", new LatencyStore(new MemoryStore(), 5))]);
    const result = await mutate(
      app,
      `mutation { createGroup(input: {catalog: "t", path: "a/b/c/d"}) { group { path } } }`,
    );
    expect(result.extensions!.io).toMatchObject({ gets: 20, lists: 0, writes: 5, waves: 2 });
  });
});

describe("access", () => {
  const ANY = `mutation { createGroup(input: {catalog: "t", path: "g"}) { group { path } } }`;

  test("a read-only server answers every mutation FORBIDDEN and writes nothing", async () => {
    const store = new MemoryStore();
    const app = createApp({ catalogs: [catalog("t", store)] });
    for (const field of [
      `createGroup(input: {catalog: "t", path: "g"}) { group { path } }`,
      `createArray(input: {catalog: "t", path: "a", shape: [1], dataType: "int8"}) { array { path } }`,
      `requireGroup(input: {catalog: "t", path: "g"}) { created }`,
      `requireArray(input: {catalog: "t", path: "a", shape: [1], dataType: "int8"}) { created }`,
      `updateAttributes(input: {catalog: "t", path: "", mode: MERGE, attributes: {}}) { node { path } }`,
      `deleteNode(input: {catalog: "t", path: "g"}) { deletedObjects }`,
      `moveNode(input: {catalog: "t", path: "g", newPath: "h"}) { node { path } }`,
      `consolidateMetadata(input: {catalog: "t"}) { group { path } }`,
    ]) {
      const result = await gql(app, `mutation { ${field} }`, undefined, { authorization: `Bearer ${TOKEN}` });
      expect(codeOf(result)).toBe("FORBIDDEN");
      expect(result.errors![0].message).toContain("read-only");
    }
    expect(store.keys()).toEqual([]);
  });

  test("a writable server refuses a missing or wrong token, and a store that cannot be written", async () => {
    const store = new MemoryStore();
    const http = new HttpStore("http://127.0.0.1:9/never-contacted.zarr");
    const { app } = writableApp([catalog("t", store), catalog("web", http)]);
    expect(codeOf(await gql(app, ANY))).toBe("FORBIDDEN");
    expect(codeOf(await gql(app, ANY, undefined, { authorization: `Bearer ${TOKEN}x` }))).toBe("FORBIDDEN");
    expect(codeOf(await gql(app, ANY, undefined, { authorization: TOKEN }))).toBe("FORBIDDEN");
    const web = await mutate(app, `mutation { createGroup(input: {catalog: "web", path: "g"}) { group { path } } }`);
    expect(codeOf(web)).toBe("FORBIDDEN");
    expect(web.errors![0].message).toContain('catalog "web" is read-only');
    expect(store.keys()).toEqual([]);
    expect((await mutate(app, ANY)).data.createGroup.group.path).toBe("g");
  });

  test("every mutation is logged: who (a token fingerprint, never the token), what, when, the request id", async () => {
    const { app, logs } = writableApp([catalog("t", new MemoryStore())]);
    await gql(app, ANY, undefined, { authorization: `Bearer ${TOKEN}`, "x-request-id": "req-123" });
    await gql(app, ANY, undefined, { authorization: "Bearer wrong-token-wrong-token", "x-request-id": "req-456" });
    const audit = logs.filter((l) => l.audit === "mutation");
    const fingerprint = (t: string) => `sha256:${createHash("sha256").update(t).digest("hex").slice(0, 16)}`;
    expect(audit).toHaveLength(2);
    expect(audit[0]).toMatchObject({
      requestId: "req-123",
      who: fingerprint(TOKEN),
      mutation: "createGroup",
      catalog: "t",
      path: "g",
      outcome: "ok",
      writes: 2,
    });
    expect(Date.parse(audit[0].at)).toBeGreaterThan(Date.now() - 60_000);
    expect(audit[1]).toMatchObject({
      requestId: "req-456",
      who: fingerprint("wrong-token-wrong-token"),
      outcome: "FORBIDDEN",
      writes: 0,
    });
    expect(JSON.stringify(logs)).not.toContain(TOKEN);
    expect(JSON.stringify(logs)).not.toContain("wrong-token-wrong-token");
  });
});
