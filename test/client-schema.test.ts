import { readFileSync } from "node:fs";
import { encodeGlobalID } from "@pothos/plugin-relay";
import { composeServices } from "@theguild/federation-composition";
import { buildClientSchema, buildSchema as buildSdl, findBreakingChanges, getIntrospectionQuery, parse } from "graphql";
import { describe, expect, test } from "vitest";
import { ReadAccess } from "../src/hierarchy/access.js";
import { MemoryStore } from "../src/stores/memory.js";
import { catalog, createApp, gql } from "./support/app.js";
import { DATASETS_SDL } from "./support/datasets-subgraph.js";

const root = new URL("../", import.meta.url);
const clientFile = readFileSync(new URL("schema.graphql", root), "utf8");
const subgraphFile = readFileSync(new URL("subgraph.graphql", root), "utf8");

describe("the two schema files", () => {
  test("schema.graphql is the running schema less federation, and nothing else", async () => {
    expect(clientFile).not.toMatch(/@link|@key|@shareable|_service|_entities|_Any|link__|FieldSet/);
    const client = buildSdl(clientFile);
    // The schema as a client learns it from the running server.
    const app = createApp({ catalogs: [] });
    const running = buildClientSchema((await gql(app, getIntrospectionQuery())).data);
    // Everything a client may write against the file, the server answers.
    expect(findBreakingChanges(client, running)).toEqual([]);
    // What the server has beyond the file is what only gateways use.
    // (Introspection lists every standard scalar; a printed schema only those it uses.)
    const extra = findBreakingChanges(running, client)
      .map((c) => c.description)
      .filter((d) => !d.startsWith("Standard scalar"));
    expect(extra.sort()).toEqual(
      [
        "Query._entities was removed.",
        "Query._service was removed.",
        "_Any was removed.",
        "_Entity was removed.",
        "_Service was removed.",
      ].sort(),
    );
  });

  test("subgraph.graphql composes with another subgraph into a supergraph", () => {
    expect(subgraphFile).toMatch(/@link\(url: "https:\/\/specs.apollo.dev\/federation\/v2\.\d+"/);
    const composed = composeServices([
      { name: "zarr", typeDefs: parse(subgraphFile), url: "http://127.0.0.1:1/graphql" },
      { name: "datasets", typeDefs: parse(DATASETS_SDL), url: "http://127.0.0.1:2/graphql" },
    ]);
    expect(composed.errors).toBeUndefined();
    expect(composed.supergraphSdl).toContain("type Catalog implements Node");
  });
});

describe("Catalog is a Relay node", () => {
  const group = JSON.stringify({ zarr_format: 3, node_type: "group", attributes: {} });
  const app = createApp({
    catalogs: [
      catalog("open", new MemoryStore("memory://open", { "zarr.json": group })),
      {
        ...catalog("private", new MemoryStore("memory://private", { "zarr.json": group })),
        read: new ReadAccess(["reader-token-0123456789"]),
      },
    ],
  });
  const NODE = `query ($id: ID!) { node(id: $id) { __typename id ... on Catalog { name root { path } } } }`;

  test("its id is global, and node(id) finds the same catalog", async () => {
    const listed = await gql(app, `{ catalogs { id name } catalog(name: "open") { id } }`);
    expect(listed.data.catalogs).toEqual([{ id: encodeGlobalID("Catalog", "open"), name: "open" }]);
    expect(listed.data.catalog.id).toBe(encodeGlobalID("Catalog", "open"));
    const found = await gql(app, NODE, { id: listed.data.catalog.id });
    expect(found.errors).toBeUndefined();
    expect(found.data.node).toEqual({
      __typename: "Catalog",
      id: listed.data.catalog.id,
      name: "open",
      root: { path: "" },
    });
  });

  test("a catalog the caller may not read is null, exactly as an unknown one", async () => {
    const hidden = await gql(app, NODE, { id: encodeGlobalID("Catalog", "private") });
    const unknown = await gql(app, NODE, { id: encodeGlobalID("Catalog", "nope") });
    expect(hidden).toEqual({ ...unknown, extensions: hidden.extensions });
    expect(hidden.data.node).toBeNull();
    const allowed = await gql(
      app,
      NODE,
      { id: encodeGlobalID("Catalog", "private") },
      {
        authorization: "Bearer reader-token-0123456789",
      },
    );
    expect(allowed.data.node.name).toBe("private");
  });

  test("nodes(ids:) mixes catalogs and Zarr nodes, each in its slot", async () => {
    const ids = [encodeGlobalID("ZarrGroup", JSON.stringify(["open", ""])), encodeGlobalID("Catalog", "open"), "%%"];
    const result = await gql(app, `query ($ids: [ID!]!) { nodes(ids: $ids) { __typename id } }`, { ids });
    expect(result.data.nodes).toEqual([
      { __typename: "ZarrGroup", id: ids[0] },
      { __typename: "Catalog", id: ids[1] },
      null,
    ]);
    expect(result.errors?.map((e) => [e.path, e.extensions?.code])).toEqual([[["nodes", 2], "BAD_USER_INPUT"]]);
  });
});
