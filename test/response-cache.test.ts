import { describe, expect, test } from "vitest";
import { MemoryStore } from "../src/stores/memory.js";
import { catalog, createApp, gql } from "./support/app.js";
import { syntheticTree } from "./support/synthetic.js";

const encode = (text: string) => new TextEncoder().encode(text);
const QUERY = `query ($mode: ConsolidatedMode) { catalog(name: "c", consolidated: $mode) { root { attributes
  ... on ZarrGroup { members(maxDepth: null) { totalCount nodes { path attributes } } } } } }`;

function consolidatedStore() {
  const { files } = syntheticTree({ fanout: 2, depth: 2, arraysPerGroup: 1, format: 2, consolidated: true });
  return new MemoryStore("memory://c", files);
}

describe("response cache", () => {
  test("repeats an answer only while every document it came from is unchanged", async () => {
    const store = consolidatedStore();
    const app = createApp({ catalogs: [catalog("c", store)] });
    const first = await gql(app, QUERY, { mode: "USE" });
    const second = await gql(app, QUERY, { mode: "USE" });
    expect(first.extensions!.io!).not.toHaveProperty("responseCache");
    expect(second.extensions!.io).toMatchObject({ responseCache: "hit", gets: 5, lists: 0, waves: 1 });
    expect(second.data).toEqual(first.data);

    // Re-consolidated with a changed attribute: the next answer is built afresh and shows it.
    const zmetadata = JSON.parse(new TextDecoder().decode((await store.get(".zmetadata"))!.data));
    zmetadata.metadata["g0/.zattrs"] = { changed: true };
    await store.set(".zmetadata", encode(JSON.stringify(zmetadata)));
    const third = await gql(app, QUERY, { mode: "USE" });
    expect(third.extensions!.io!).not.toHaveProperty("responseCache");
    const g0 = third.data.catalog.root.members.nodes.find((n: { path: string }) => n.path === "g0");
    expect(g0.attributes).toEqual({ changed: true });

    // A document that did not exist and now does also counts as a change.
    await store.set("zarr.json", encode(JSON.stringify({ zarr_format: 3, node_type: "group", attributes: { v3: 1 } })));
    const fourth = await gql(app, QUERY, { mode: "USE" });
    expect(fourth.data.catalog.root.attributes).toEqual({ v3: 1 });
  });

  test("answers built from listings are never repeated", async () => {
    const store = consolidatedStore();
    const app = createApp({ catalogs: [catalog("c", store)] });
    const first = await gql(app, QUERY, { mode: "IGNORE" });
    await store.set("late/.zgroup", encode('{"zarr_format": 2}'));
    const second = await gql(app, QUERY, { mode: "IGNORE" });
    expect(second.extensions!.io!).not.toHaveProperty("responseCache");
    expect(second.extensions!.io!.lists).toBeGreaterThan(0);
    expect(second.data.catalog.root.members.totalCount).toBe(first.data.catalog.root.members.totalCount + 1);
  });

  test("answers with errors are not kept, and different variables are different answers", async () => {
    const store = consolidatedStore();
    const app = createApp({ catalogs: [catalog("c", store)] });
    const q = `query ($p: String!) { catalog(name: "c") { node(path: $p) { path } } }`;
    const missing = await gql(app, q, { p: "nope" });
    expect(missing.errors?.[0].extensions?.code).toBe("NOT_FOUND");
    const again = await gql(app, q, { p: "nope" });
    expect(again.extensions!.io!).not.toHaveProperty("responseCache");
    const g0 = await gql(app, q, { p: "g0" });
    const g1 = await gql(app, q, { p: "g1" });
    expect([g0.data.catalog.node.path, g1.data.catalog.node.path]).toEqual(["g0", "g1"]);
  });

  test("can be switched off", async () => {
    const app = createApp({ catalogs: [catalog("c", consolidatedStore())], responseCacheEntries: 0 });
    await gql(app, QUERY, { mode: "USE" });
    const second = await gql(app, QUERY, { mode: "USE" });
    expect(second.extensions!.io!).not.toHaveProperty("responseCache");
  });
});
