// Search through the API, on both index backends: realistic searches on the bundled examples,
// staleness (never wrong, briefly late), this server's writes, access, cursors across a
// refresh, and the bounds. Expected answers are written from the examples' generator
// (scripts/make-example.mjs), not from the code under test.
import { mkdir, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { ReadAccess } from "../src/hierarchy/access.js";
import type { Catalog } from "../src/hierarchy/catalog.js";
import type { SearchIndex } from "../src/search/search-index.js";
import { SearchService } from "../src/search/service.js";
import type { App } from "../src/server/app.js";
import { EXAMPLE_DIR } from "../src/server/example.js";
import { FileStore } from "../src/stores/file.js";
import { MemoryStore } from "../src/stores/memory.js";
import { catalog, createApp, fileCatalog, gql } from "./support/app.js";
import { BACKENDS } from "./support/search-backends.js";
import { syntheticTree } from "./support/synthetic.js";
import { AUTH, TOKEN, tempDir } from "./support/writes.js";

const examples = () => [
  fileCatalog("climate", path.join(EXAMPLE_DIR, "climate.zarr")),
  fileCatalog("legacy", path.join(EXAMPLE_DIR, "legacy.zarr")),
];

type Hit = [string, string];
const hits = (result: any): Hit[] => result.data.search.nodes.map((n: any) => [n.catalog, n.path]);

async function appWith(index: SearchIndex, catalogs: Catalog[], options: { write?: boolean } = {}) {
  const search = new SearchService({ index, refreshMs: null, build: "never" });
  const app = createApp({ catalogs, search, ...(options.write ? { write: { token: TOKEN } } : {}) });
  await search.refreshAll();
  return { app, search };
}

for (const backend of BACKENDS) {
  describe(`search (${backend.name} index)`, () => {
    let index: SearchIndex;
    beforeAll(async () => {
      index = await backend.make();
    });
    afterAll(async () => {
      await index?.close();
    });

    describe("the bundled examples", () => {
      let app: App;
      beforeAll(async () => {
        ({ app } = await appWith(index, examples()));
      });

      it("CF standard_name: both catalogs' sea surface temperature", async () => {
        const r = await gql(
          app,
          `{ search(filter: {attribute: {key: "standard_name", eq: "sea_surface_temperature"}}) {
               totalCount nodes { catalog path ... on ZarrArray { dataType ndim } } } }`,
        );
        expect(r.errors).toBeUndefined();
        expect(r.data.search.totalCount).toBe(2);
        // Both examples are consolidated: the hits are re-read from their roots, in one wave.
        expect(r.extensions?.io?.waves).toBe(1);
        expect(r.data.search.nodes).toEqual([
          { catalog: "climate", path: "ocean/sst", dataType: "float64", ndim: 3 },
          { catalog: "legacy", path: "ocean/sst", dataType: "<f8", ndim: 3 },
        ]);
      });

      it("units: which nodes are in kelvin, and what units occur how often", async () => {
        const r = await gql(
          app,
          `{ kelvin: search(filter: {attribute: {key: "units", eq: "K"}}) { totalCount nodes { catalog path } }
             arrays: search(filter: {nodeType: ARRAY}) { facets(key: "units", first: 3) { value count } } }`,
        );
        expect(r.errors).toBeUndefined();
        expect(r.data.kelvin.nodes.map((n: any) => [n.catalog, n.path])).toEqual([
          ["climate", "atmosphere/surface/t2m"],
          ["climate", "atmosphere/temperature"],
          ["climate", "ocean/sst"],
          ["legacy", "ocean/sst"],
          ["legacy", "surface/tas"],
        ]);
        // K 5; "1" 4 (station_count, land_sea_mask, salinity, day_of_year); then four units at 2,
        // of which degrees_east is first by code point.
        expect(r.data.arrays.facets).toEqual([
          { value: "K", count: 5 },
          { value: "1", count: 4 },
          { value: "degrees_east", count: 2 },
        ]);
      });

      it("data type and rank: single-precision floats of three dimensions or more", async () => {
        const r = await gql(
          app,
          `{ search(filter: {dataType: ["float32", "<f4"], ndim: {gte: 3}}) { nodes { catalog path } } }`,
        );
        expect(hits(r)).toEqual([
          ["climate", "atmosphere/surface/t2m"],
          ["climate", "atmosphere/surface/tp"],
          ["climate", "atmosphere/temperature"],
          ["climate", "land/soil/soil_moisture"],
          ["legacy", "surface/tas"],
        ]);
      });

      it("OME-Zarr: images with multiscales, and with more than three channels", async () => {
        const r = await gql(
          app,
          `{ ome: search(filter: {attribute: {key: "multiscales", exists: true}}) { nodes { catalog path } }
             v04: search(filter: {attribute: {key: "multiscales.0.version", eq: "0.4"}}) { totalCount }
             channels: search(filter: {attribute: {key: "omero.channels.3", exists: true}}) { totalCount }
             five: search(filter: {attribute: {key: "omero.channels.4", exists: true}}) { totalCount } }`,
        );
        expect(r.errors).toBeUndefined();
        expect(hits({ data: { search: r.data.ome } })).toEqual([["legacy", "image"]]);
        expect([r.data.v04.totalCount, r.data.channels.totalCount, r.data.five.totalCount]).toEqual([1, 1, 0]);
      });

      it("text: every word, case-insensitive, in paths, keys, string values and dimension names", async () => {
        const r = await gql(
          app,
          `{ words: search(text: "Sea SURFACE temperature") { nodes { catalog path } }
             dims: search(text: "profile", filter: {nodeType: ARRAY, dimensionName: "depth"}) { nodes { path } }
             key: search(text: "featureType") { nodes { path } } }`,
        );
        expect(r.errors).toBeUndefined();
        expect(hits({ data: { search: r.data.words } })).toEqual([
          ["climate", "ocean/sst"],
          ["legacy", "ocean/sst"],
        ]);
        expect(r.data.dims.nodes.map((n: any) => n.path)).toEqual([
          "ocean/profiles/qc/is_valid",
          "ocean/profiles/salinity",
          "ocean/profiles/temperature",
        ]);
        expect(r.data.key.nodes.map((n: any) => n.path)).toEqual(["ocean/profiles"]);
      });

      it("or, not and pathPrefix: a subtree is the node and below it, never a sibling with the same start", async () => {
        const r = await gql(
          app,
          `{ search(catalogs: ["climate"], filter: {pathPrefix: "ocean/profiles", not: {or: [{nodeType: GROUP}, {dataType: ["string"]}]}}) {
               nodes { path } } }`,
        );
        expect(r.data.search.nodes.map((n: any) => n.path)).toEqual([
          "ocean/profiles/profile_time",
          "ocean/profiles/qc/is_valid",
          "ocean/profiles/salinity",
          "ocean/profiles/temperature",
        ]);
        const prefix = await gql(
          app,
          `{ search(catalogs: ["legacy"], filter: {pathPrefix: "surface/t"}) { nodes { path } } }`,
        );
        expect(prefix.data.search.nodes).toEqual([]);
      });

      it("numbers compare as numbers: 3800 and 3800.0 are one value", async () => {
        const r = await gql(
          app,
          `{ search(filter: {attribute: {key: "platform_count", gte: 3800, lte: 3800.0}}) { nodes { path } } }`,
        );
        expect(r.data.search.nodes).toEqual([{ path: "ocean/profiles" }]);
      });

      it("facets on the node's own fields: node type, data type, catalog", async () => {
        const r = await gql(
          app,
          `{ search(text: "temperature") { totalCount
               types: facets(key: "nodeType") { value count }
               catalogs: facets(key: "catalog") { value count }
               dtypes: facets(key: "dataType", first: 2) { value count } } }`,
        );
        expect(r.errors).toBeUndefined();
        const s = r.data.search;
        expect(s.types.reduce((n: number, f: any) => n + f.count, 0)).toBe(s.totalCount);
        expect(s.catalogs.reduce((n: number, f: any) => n + f.count, 0)).toBe(s.totalCount);
        expect(s.types.map((f: any) => f.value).sort()).toEqual(
          ["ARRAY"].concat(s.types.length > 1 ? ["GROUP"] : []).sort(),
        );
        expect(s.dtypes[0]).toEqual({ value: "float32", count: 3 });
      });
    });

    describe("never wrong, briefly late", () => {
      let work: { dir: string; remove: () => Promise<void> };
      let app: App;
      let search: SearchService;
      const name = `stale-${backend.name}`;
      const doc = (units: string) =>
        JSON.stringify({ zarr_format: 3, node_type: "group", attributes: { units, note: "added later" } });

      beforeEach(async () => {
        work = await tempDir("zarr-graphql-search-");
        const { files } = syntheticTree({ fanout: 2, depth: 1, arraysPerGroup: 1, format: 3 });
        for (const [key, text] of Object.entries(files)) {
          await mkdir(path.dirname(path.join(work.dir, key)), { recursive: true });
          await writeFile(path.join(work.dir, key), text);
        }
        ({ app, search } = await appWith(index, [catalog(name, new FileStore(work.dir))]));
      });
      afterEach(async () => {
        await work.remove();
      });

      const query = `{ search(filter: {attribute: {key: "units", eq: "K"}}) { totalCount nodes { path } } catalog(name: "${name}") { indexedAt } }`;

      it("a node added behind the server's back is found after a refresh", async () => {
        await mkdir(path.join(work.dir, "g0", "late"), { recursive: true });
        await writeFile(path.join(work.dir, "g0", "late", "zarr.json"), doc("K"));
        const before = await gql(app, query);
        expect(before.data.search.nodes.map((n: any) => n.path)).not.toContain("g0/late");
        const stamp = before.data.catalog.indexedAt;
        await search.refresh(name);
        const after = await gql(app, query);
        expect(after.data.search.nodes.map((n: any) => n.path)).toContain("g0/late");
        expect(after.data.search.totalCount).toBe(before.data.search.totalCount + 1);
        expect(Date.parse(after.data.catalog.indexedAt)).toBeGreaterThanOrEqual(Date.parse(stamp));
      });

      it("a node deleted behind the server's back is never returned, even before the refresh", async () => {
        const first = await gql(app, query);
        expect(first.data.search.nodes.map((n: any) => n.path)).toContain("g1/a0");
        await rm(path.join(work.dir, "g1", "a0"), { recursive: true });
        const stale = await gql(app, query);
        expect(stale.data.search.nodes.map((n: any) => n.path)).not.toContain("g1/a0");
        // Totals are the index's until the refresh: late, by one.
        expect(stale.data.search.totalCount).toBe(first.data.search.totalCount);
        await search.refresh(name);
        const fresh = await gql(app, query);
        expect(fresh.data.search.totalCount).toBe(first.data.search.totalCount - 1);
      });

      it("a node whose attributes changed behind the server's back and no longer match is dropped from the page", async () => {
        await writeFile(
          path.join(work.dir, "a0", "zarr.json"),
          JSON.stringify({
            zarr_format: 3,
            node_type: "array",
            shape: [1],
            data_type: "float32",
            chunk_grid: { name: "regular", configuration: { chunk_shape: [1] } },
            chunk_key_encoding: { name: "default", configuration: { separator: "/" } },
            fill_value: 0,
            codecs: [{ name: "bytes", configuration: { endian: "little" } }],
            attributes: { units: "degC" },
          }),
        );
        const r = await gql(
          app,
          `{ search(filter: {attribute: {key: "units", eq: "K"}}) { nodes { path attribute(key: "units") } } }`,
        );
        expect(r.data.search.nodes.map((n: any) => n.path)).not.toContain("a0");
        // The node fields are read live, so no hit shows a value that does not match.
        expect(r.data.search.nodes.every((n: any) => n.attribute === "K")).toBe(true);
      });

      it("the page's hits are re-checked in one wave after the root's; the answer is never repeated from the response cache", async () => {
        const r = await gql(app, `{ search(filter: {nodeType: ARRAY}) { nodes { path } } }`);
        expect(r.data.search.nodes.length).toBe(3);
        // The root (which could carry consolidated metadata for them all), then the hits together.
        expect(r.extensions?.io?.waves).toBe(2);
        await mkdir(path.join(work.dir, "z"), { recursive: true });
        await writeFile(path.join(work.dir, "z", "zarr.json"), doc("K"));
        await search.refresh(name);
        const again = await gql(app, `{ search(filter: {nodeType: GROUP}) { totalCount } }`);
        const repeat = await gql(app, `{ search(filter: {nodeType: GROUP}) { totalCount } }`);
        expect(repeat.data.search.totalCount).toBe(again.data.search.totalCount);
        await rm(path.join(work.dir, "z"), { recursive: true });
        await search.refresh(name);
        const after = await gql(app, `{ search(filter: {nodeType: GROUP}) { totalCount } }`);
        expect(after.data.search.totalCount).toBe(again.data.search.totalCount - 1);
      });

      it("cursors hold the sort key: the next page continues after it whatever a refresh added before it", async () => {
        const page1 = await gql(app, `{ search(first: 3) { nodes { path } pageInfo { endCursor hasNextPage } } }`);
        const seen = page1.data.search.nodes.map((n: any) => n.path);
        expect(seen).toEqual(["", "a0", "g0"]);
        // Added before the cursor's position: an offset would repeat "g0"; the sort key does not.
        await mkdir(path.join(work.dir, "a", "b"), { recursive: true });
        await writeFile(path.join(work.dir, "a", "zarr.json"), doc("x"));
        await search.refresh(name);
        const page2 = await gql(
          app,
          `query ($after: String) { search(first: 100, after: $after) { nodes { path } } }`,
          { after: page1.data.search.pageInfo.endCursor },
        );
        expect(page2.data.search.nodes.map((n: any) => n.path)).toEqual(["g0/a0", "g1", "g1/a0"]);
      });
    });

    describe("this server's writes are in the index in the same request", () => {
      let work: { dir: string; remove: () => Promise<void> };
      let app: App;
      const name = `writes-${backend.name}`;
      beforeEach(async () => {
        work = await tempDir("zarr-graphql-search-");
        ({ app } = await appWith(index, [fileCatalog(name, work.dir)], { write: true }));
      });
      afterEach(async () => {
        await work.remove();
      });

      const find = (q: string) => gql(app, `{ search(catalogs: ["${name}"], ${q}) { totalCount nodes { path } } }`);

      it("create, update, move and delete, each seen by the next search with no refresh", async () => {
        const created = await gql(
          app,
          `mutation { createArray(input: {catalog: "${name}", path: "ocean/sst", shape: [4], dataType: "float32",
             attributes: {units: "K", standard_name: "sea_surface_temperature"}}) { array { path } } }`,
          undefined,
          AUTH,
        );
        expect(created.errors).toBeUndefined();
        expect((await find(`filter: {attribute: {key: "units", eq: "K"}}`)).data.search.nodes).toEqual([
          { path: "ocean/sst" },
        ]);
        // The parent group the write created is indexed too.
        expect((await find(`filter: {nodeType: GROUP}`)).data.search.nodes).toEqual([{ path: "" }, { path: "ocean" }]);

        await gql(
          app,
          `mutation { updateAttributes(input: {catalog: "${name}", path: "ocean/sst", attributes: {units: "degC"}, mode: MERGE}) { node { path } } }`,
          undefined,
          AUTH,
        );
        expect((await find(`filter: {attribute: {key: "units", eq: "K"}}`)).data.search.totalCount).toBe(0);
        expect((await find(`filter: {attribute: {key: "units", eq: "degC"}}`)).data.search.totalCount).toBe(1);

        await gql(
          app,
          `mutation { moveNode(input: {catalog: "${name}", path: "ocean", newPath: "sea"}) { node { path } } }`,
          undefined,
          AUTH,
        );
        expect((await find(`text: "temperature"`)).data.search.nodes).toEqual([{ path: "sea/sst" }]);

        await gql(
          app,
          `mutation { deleteNode(input: {catalog: "${name}", path: "sea"}) { deletedObjects } }`,
          undefined,
          AUTH,
        );
        const gone = await find(`filter: {pathPrefix: "sea"}`);
        expect(gone.data.search.totalCount).toBe(0);
      });
    });

    describe("access", () => {
      let app: App;
      beforeAll(async () => {
        const secret: Catalog = {
          ...catalog(
            `private-${backend.name}`,
            new MemoryStore("memory://p", syntheticTree({ fanout: 1, depth: 1, arraysPerGroup: 1, format: 3 }).files),
          ),
          read: new ReadAccess(["let-me-read"]),
        };
        const open = catalog(
          `open-${backend.name}`,
          new MemoryStore("memory://o", syntheticTree({ fanout: 1, depth: 0, arraysPerGroup: 1, format: 3 }).files),
        );
        ({ app } = await appWith(index, [secret, open]));
      });

      it("a catalog the caller may not read contributes no hits, no facet counts and no totals", async () => {
        const q = `{ search(filter: {attribute: {key: "units", eq: "K"}}) { totalCount nodes { catalog } facets(key: "catalog") { value count } } }`;
        const anonymous = await gql(app, q);
        expect(anonymous.data.search).toEqual({
          totalCount: 1,
          nodes: [{ catalog: `open-${backend.name}` }],
          facets: [{ value: `open-${backend.name}`, count: 1 }],
        });
        const named = await gql(app, `{ search(catalogs: ["private-${backend.name}"]) { totalCount } }`);
        expect(named.data.search.totalCount).toBe(0);
        const reader = await gql(app, q, undefined, { authorization: "Bearer let-me-read" });
        expect(reader.data.search.totalCount).toBe(3);
        expect(reader.data.search.facets).toEqual([
          { value: `private-${backend.name}`, count: 2 },
          { value: `open-${backend.name}`, count: 1 },
        ]);
      });
    });
  });
}

describe("search is bounded and refuses bad input clearly", () => {
  let app: App;
  beforeAll(() => {
    const long = "a".repeat(50_000);
    const files = {
      "zarr.json": JSON.stringify({ zarr_format: 3, node_type: "group", attributes: { text: `${long}!` } }),
    };
    app = createApp({ catalogs: [catalog("c", new MemoryStore("memory://c", files))] });
  });

  it("a pathological regular expression runs in linear time on RE2 and answers exactly", async () => {
    const r = await gql(app, `{ search(filter: {attribute: {key: "text", regex: "^(a+)+$"}}) { totalCount } }`);
    expect(r.errors).toBeUndefined();
    expect(r.data.search.totalCount).toBe(0);
    const m = await gql(app, `{ search(filter: {attribute: {key: "text", regex: "(a|aa)+!$"}}) { totalCount } }`);
    expect(m.data.search.totalCount).toBe(1);
  });

  it.each([
    [`{ search(filter: {attribute: {key: "x", regex: "(("}}) { totalCount } }`, "filter.attribute.regex"],
    [`{ search(filter: {name: {like: "a\\\\"}}) { totalCount } }`, "filter.name.like"],
    [`{ search(filter: {attribute: {key: "x", lt: true}}) { totalCount } }`, "filter.attribute.lt"],
    [`{ search(filter: {pathPrefix: "a/../b"}) { totalCount } }`, "path"],
    [`{ search(first: 1001) { totalCount } }`, "first"],
    [`{ search(after: "bm90LWEtY3Vyc29y") { totalCount } }`, "cursor"],
    [`{ search { facets(key: "units", first: 5000) { count } } }`, "first"],
  ])("%s is BAD_USER_INPUT naming the field", async (query, field) => {
    const r = await gql(app, query);
    expect(r.errors?.[0]?.extensions?.code).toBe("BAD_USER_INPUT");
    expect(r.errors?.[0]?.message).toContain(field);
  });

  it("is costed like members(maxDepth: null): a large page over a large selection is refused before it runs", async () => {
    const files = { "zarr.json": JSON.stringify({ zarr_format: 3, node_type: "group" }) };
    const app = createApp({ catalogs: [catalog("c", new MemoryStore("memory://c", files))], limits: { cost: 3_000 } });
    const r = await gql(app, `{ search(first: 1000) { nodes { path attributes metadata } } }`);
    expect(r.errors?.[0]?.extensions?.code).toBe("LIMIT_EXCEEDED");
    expect(r.errors?.[0]?.extensions?.limit).toBe("cost");
    const small = await gql(app, `{ search(first: 5) { nodes { path } } }`);
    expect(small.errors).toBeUndefined();
  });
});

describe("members(filter:)", () => {
  it("filters what the walk finds with the same language", async () => {
    const app = createApp({ catalogs: examples() });
    const r = await gql(
      app,
      `{ catalog(name: "climate") { root { ... on ZarrGroup {
           members(maxDepth: null, filter: {or: [{attribute: {key: "units", like: "m%"}}, {name: {regex: "^t"}}]}) {
             totalCount nodes { path } } } } } }`,
    );
    expect(r.errors).toBeUndefined();
    expect(r.data.catalog.root.members.nodes.map((n: any) => n.path)).toEqual([
      "atmosphere/surface/t2m",
      "atmosphere/surface/tp",
      "atmosphere/surface/u10",
      "atmosphere/surface/v10",
      "atmosphere/temperature",
      "land/orography",
      "land/soil/soil_moisture",
      "ocean/depth",
      "ocean/profiles/temperature",
      "time",
    ]);
    const bad = await gql(
      app,
      `{ catalog(name: "climate") { root { ... on ZarrGroup { members(filter: {name: {regex: "["}}) { totalCount } } } } }`,
    );
    expect(bad.errors?.[0]?.extensions?.code).toBe("BAD_USER_INPUT");
  });
});

describe("int64 beyond 2^53", () => {
  it("compares digit for digit with a number written in the query", async () => {
    const doc = (id: string) => `{"zarr_format": 3, "node_type": "group", "attributes": {"id": ${id}}}`;
    const files = {
      "zarr.json": doc("1"),
      "a/zarr.json": doc("9007199254740993"),
      "b/zarr.json": doc("9007199254740992"),
      "c/zarr.json": doc("9223372036854775807"),
    };
    const app = createApp({ catalogs: [catalog("c", new MemoryStore("memory://c", files))] });
    const paths = async (match: string) =>
      (
        await gql(app, `{ search(filter: {attribute: {key: "id", ${match}}}) { nodes { path } } }`)
      ).data.search.nodes.map((n: any) => n.path);
    expect(await paths("eq: 9007199254740993")).toEqual(["a"]);
    expect(await paths("eq: 9007199254740992")).toEqual(["b"]);
    expect(await paths("gt: 9007199254740992")).toEqual(["a", "c"]);
    expect(await paths("in: [9223372036854775807, 1.0]")).toEqual(["", "c"]);
    expect(await paths("lt: 9223372036854775807, gt: 9007199254740993")).toEqual([]);
  });
});
