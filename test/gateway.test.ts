import { createServer, type RequestListener, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { createGatewayRuntime, type GatewayRuntime } from "@graphql-hive/gateway-runtime";
import http from "@graphql-mesh/transport-http";
import { encodeGlobalID } from "@pothos/plugin-relay";
import { composeServices } from "@theguild/federation-composition";
import { parse } from "graphql";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { CountingStore } from "../src/stores/counting.js";
import { IoCounter } from "../src/stores/io-counter.js";
import { LatencyStore } from "../src/stores/latency.js";
import { MemoryStore } from "../src/stores/memory.js";
import { catalog, createApp } from "./support/app.js";
import { DATASETS_SDL, type DatasetsSubgraph, startDatasetsSubgraph } from "./support/datasets-subgraph.js";

const group = (attributes: Record<string, unknown> = {}) =>
  JSON.stringify({ zarr_format: 3, node_type: "group", attributes });
const array = (shape: number[]) =>
  JSON.stringify({
    zarr_format: 3,
    node_type: "array",
    shape,
    data_type: "float32",
    chunk_grid: { name: "regular", configuration: { chunk_shape: shape } },
    chunk_key_encoding: { name: "default", configuration: { separator: "/" } },
    fill_value: 0,
    codecs: [{ name: "bytes", configuration: { endian: "little" } }],
  });

/** Three top-level groups, each two levels deep; no consolidated metadata, so every read shows. */
const HIERARCHY = {
  "zarr.json": group({ title: "Earth" }),
  "ocean/zarr.json": group({ title: "Ocean" }),
  "ocean/sst/zarr.json": group(),
  "ocean/sst/daily/zarr.json": array([365]),
  "ocean/sst/monthly/zarr.json": group(),
  "ocean/salinity/zarr.json": array([12]),
  "atmosphere/zarr.json": group({ title: "Atmosphere" }),
  "atmosphere/wind/zarr.json": group(),
  "atmosphere/wind/u/zarr.json": array([4]),
  "atmosphere/pressure/zarr.json": array([4]),
  "land/zarr.json": group({ title: "Land" }),
  "land/soil/zarr.json": group(),
};

const DATASETS = [
  { id: "ds-ocean", title: "Sea surface", catalog: "earth", path: "ocean" },
  { id: "ds-atmosphere", title: "Winds", catalog: "earth", path: "atmosphere" },
  { id: "ds-land", title: "Soils", catalog: "earth", path: "land" },
];

/** Every call the Zarr subgraph's store sees, across requests: waves show what ran together. */
const io = new IoCounter();
/** GraphQL requests the Zarr subgraph received. */
let posts = 0;
let zarr: { server: Server; url: string };
let datasets: DatasetsSubgraph;
let gateway: { runtime: GatewayRuntime; server: Server; url: string };
let supergraph: string;

async function post(url: string, query: string, variables?: Record<string, unknown>) {
  const response = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ query, variables }),
  });
  return (await response.json()) as { data?: any; errors?: { message: string }[] };
}

/** The Zarr subgraph's store calls and requests made while `run` ran. */
async function measure<T>(run: () => Promise<T>) {
  const before = { ...io.snapshot() };
  const requestsBefore = posts;
  const result = await run();
  const after = io.snapshot();
  return {
    result,
    waves: after.waves - before.waves,
    gets: after.gets - before.gets,
    lists: after.lists - before.lists,
    requests: posts - requestsBefore,
  };
}

async function serve(handler: RequestListener): Promise<{ server: Server; url: string }> {
  const server = createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql` };
}

async function close(server: Server | undefined): Promise<void> {
  if (!server) return;
  await new Promise<void>((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
}

beforeAll(async () => {
  // 10 ms a call: calls made together overlap into one wave, calls made one after another do not.
  const store = new CountingStore(new LatencyStore(new MemoryStore("memory://earth", HIERARCHY), 10), io);
  const app = createApp({ catalogs: [catalog("earth", store)] });
  zarr = await serve((req, res) => {
    if (req.method === "POST") posts++;
    app(req, res);
  });
  datasets = await startDatasetsSubgraph(DATASETS);
  // The SDL a gateway or rover fetches from the running subgraph.
  const sdl = (await post(zarr.url, "{ _service { sdl } }")).data._service.sdl as string;
  const composed = composeServices([
    { name: "zarr", typeDefs: parse(sdl), url: zarr.url },
    { name: "datasets", typeDefs: parse(DATASETS_SDL), url: datasets.url },
  ]);
  expect(composed.errors).toBeUndefined();
  supergraph = composed.supergraphSdl!;
  const runtime = createGatewayRuntime({ supergraph, transports: { http }, logging: false });
  gateway = { runtime, ...(await serve(runtime)) };
});

afterAll(async () => {
  await close(gateway?.server);
  await gateway?.runtime.dispose();
  await datasets?.close();
  await close(zarr?.server);
});

describe("composition", () => {
  test("both entities carry both keys in the supergraph", () => {
    for (const type of ["ZarrGroup", "ZarrArray"]) {
      const line = supergraph.split("\n").find((l) => l.startsWith(`type ${type} `)) ?? "";
      const definition = supergraph.slice(supergraph.indexOf(line), supergraph.indexOf("{", supergraph.indexOf(line)));
      expect(definition).toContain('@join__type(graph: ZARR, key: "id")');
      expect(definition).toContain('@join__type(graph: ZARR, key: "catalog path")');
    }
  });

  test("node is shareable with a Relay subgraph's node; without @shareable composition fails", async () => {
    const sdl = (await post(zarr.url, "{ _service { sdl } }")).data._service.sdl as string;
    expect(sdl).toMatch(/node\(id: ID!\): Node @shareable/);
    const unshared = sdl.replace(/(node\(id: ID!\): Node) @shareable/, "$1");
    const failed = composeServices([
      { name: "zarr", typeDefs: parse(unshared), url: zarr.url },
      { name: "datasets", typeDefs: parse(DATASETS_SDL), url: datasets.url },
    ]);
    expect(failed.errors?.map((e) => e.message)).toEqual([
      'Non-shareable field "Query.node" is resolved from multiple subgraphs: it is resolved from subgraphs "datasets" and "zarr" and defined as non-shareable in subgraph "zarr"',
    ]);
  });
});

describe("through the gateway", () => {
  test("one query joins datasets to their groups and walks members two levels deep", async () => {
    const query = `{
      datasets {
        title
        group {
          path
          attribute(key: "title")
          datasets { id }
          members {
            nodes {
              path
              __typename
              ... on ZarrGroup { members { nodes { path ... on ZarrArray { shape } } } }
            }
          }
        }
      }
    }`;
    const { result, requests, waves, lists } = await measure(() => post(gateway.url, query));
    expect(result.errors).toBeUndefined();
    expect(result.data.datasets).toEqual([
      {
        title: "Sea surface",
        group: {
          path: "ocean",
          attribute: "Ocean",
          datasets: [{ id: "ds-ocean" }],
          members: {
            nodes: [
              { path: "ocean/salinity", __typename: "ZarrArray" },
              {
                path: "ocean/sst",
                __typename: "ZarrGroup",
                members: { nodes: [{ path: "ocean/sst/daily", shape: [365] }, { path: "ocean/sst/monthly" }] },
              },
            ],
          },
        },
      },
      {
        title: "Winds",
        group: {
          path: "atmosphere",
          attribute: "Atmosphere",
          datasets: [{ id: "ds-atmosphere" }],
          members: {
            nodes: [
              { path: "atmosphere/pressure", __typename: "ZarrArray" },
              {
                path: "atmosphere/wind",
                __typename: "ZarrGroup",
                members: { nodes: [{ path: "atmosphere/wind/u", shape: [4] }] },
              },
            ],
          },
        },
      },
      {
        title: "Soils",
        group: {
          path: "land",
          attribute: "Land",
          datasets: [{ id: "ds-land" }],
          members: { nodes: [{ path: "land/soil", __typename: "ZarrGroup", members: { nodes: [] } }] },
        },
      },
    ]);
    // The three references reached this subgraph as one _entities request, and the walks below
    // them were planned from the nested selection: one tree listing per group (not one per
    // level), its documents read together. Entities (two waves), listings, reads: at most four.
    expect(requests).toBe(1);
    expect(lists).toBe(3);
    expect(waves).toBeLessThanOrEqual(4);
  });

  test("the entity lookups for three groups cost two waves of store reads, not one per group", async () => {
    const once = await measure(() => post(gateway.url, `{ datasets { group { version } } }`));
    expect(once.result.errors).toBeUndefined();
    expect(once.result.data.datasets).toHaveLength(3);
    expect(once.requests).toBe(1);
    // The first open reads the root (which may carry consolidated metadata covering the rest)
    // together with its own node, each probed in both formats (zarr.json, .zarray, .zgroup,
    // .zattrs, .zmetadata); once the root says format 3 and no consolidated metadata, the other
    // two read their zarr.json together.
    expect(once.gets).toBe(5 + 5 + 2);
    expect(once.waves).toBe(2);
    expect(once.lists).toBe(0);
  });
});

describe("entity references sent to the subgraph directly", () => {
  const entities = `query ($r: [_Any!]!) { _entities(representations: $r) {
    __typename ... on ZarrGroup { path attributes } ... on ZarrArray { path shape } } }`;

  test("every node of the hierarchy at once still costs two waves", async () => {
    const paths = Object.keys(HIERARCHY).map((k) => k.replace(/\/?zarr\.json$/, ""));
    const representations = paths.map((path) => ({
      __typename:
        JSON.parse(HIERARCHY[`${path ? `${path}/` : ""}zarr.json` as keyof typeof HIERARCHY]).node_type === "group"
          ? "ZarrGroup"
          : "ZarrArray",
      catalog: "earth",
      path,
    }));
    const all = await measure(() => post(zarr.url, entities, { r: representations }));
    expect(all.result.data._entities.map((e: { path: string }) => e.path)).toEqual(paths);
    // The root's probe in both formats, then every other node's zarr.json together.
    expect(all.gets).toBe(5 + (paths.length - 1));
    expect(all.waves).toBe(2);
  });

  test("both keys resolve groups and arrays; wrong types and missing nodes are null", async () => {
    const id = (type: string, path: string) => encodeGlobalID(type, JSON.stringify(["earth", path]));
    const result = await post(zarr.url, entities, {
      r: [
        { __typename: "ZarrGroup", id: id("ZarrGroup", "ocean") },
        { __typename: "ZarrArray", id: id("ZarrArray", "ocean/salinity") },
        { __typename: "ZarrGroup", catalog: "earth", path: "land/soil" },
        { __typename: "ZarrArray", catalog: "earth", path: "atmosphere/pressure" },
        // an array asked for as a group, a group id under the array type, nothing there, no catalog
        { __typename: "ZarrGroup", catalog: "earth", path: "ocean/salinity" },
        { __typename: "ZarrArray", id: id("ZarrGroup", "ocean") },
        { __typename: "ZarrGroup", catalog: "earth", path: "ocean/nothing" },
        { __typename: "ZarrGroup", catalog: "mars", path: "" },
        { __typename: "ZarrGroup", id: "not a global id" },
      ],
    });
    expect(result.errors).toBeUndefined();
    expect(result.data._entities).toEqual([
      { __typename: "ZarrGroup", path: "ocean", attributes: { title: "Ocean" } },
      { __typename: "ZarrArray", path: "ocean/salinity", shape: [12] },
      { __typename: "ZarrGroup", path: "land/soil", attributes: {} },
      { __typename: "ZarrArray", path: "atmosphere/pressure", shape: [4] },
      null,
      null,
      null,
      null,
      null,
    ]);
  });
});
