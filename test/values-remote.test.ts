// A sharded array (zarr-python 3's, from the shared fixtures) read over HTTP and from the GCS
// emulator: ranged reads on the wire, the shard's index and then only the inner chunks touched.
import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GcsStore } from "../src/stores/gcs.js";
import { HttpStore } from "../src/stores/http.js";
import { catalog, createApp, fixture, gql } from "./support/app.js";
import { bucket, emulatorHost, freshPrefix } from "./support/gcs-proxy.js";
import { serveWithRanges } from "./support/range-server.js";

const V3 = fixture("zarrita", "v3", "data.zarr");
const ARRAY = "3d.chunked.compressed.sharded.i2"; // 4x4x4 int16 = arange(64), shards 2x2x2, inner chunks 1x1x1
const QUERY = `{ catalog(name: "r") { node(path: "${ARRAY}") { ... on ZarrArray {
  values(selection: [{index: 0}, {index: 1}, {start: 0, stop: 2}]) { data } } } } }`;
const INDEX_BYTES = 8 * 16 + 4;

function files(dir: string, prefix = ""): string[] {
  return readdirSync(path.join(dir, prefix)).flatMap((name) => {
    const key = prefix ? `${prefix}/${name}` : name;
    return statSync(path.join(dir, key)).isDirectory() ? files(dir, key) : [key];
  });
}

describe("sharded values over HTTP", () => {
  let server: Awaited<ReturnType<typeof serveWithRanges>>;
  beforeAll(async () => {
    server = await serveWithRanges(path.dirname(V3));
  });
  afterAll(() => server.close());

  it("reads the index with a suffix range, then each inner chunk touched with its own range", async () => {
    const app = createApp({ catalogs: [catalog("r", new HttpStore(`${server.base}/data.zarr`, { retries: 0 }))] });
    const result = await gql(app, QUERY);
    expect(result.data.catalog.node.values.data).toEqual([4, 5]);
    const shard = server.requests.filter((r) => r.path === `/data.zarr/${ARRAY}/c/0/0/0`);
    expect(shard[0].range).toBe(`bytes=-${INDEX_BYTES}`);
    expect(shard).toHaveLength(3);
    expect(shard.slice(1).every((r) => /^bytes=\d+-\d+$/.test(r.range ?? ""))).toBe(true);
    expect(server.requests.filter((r) => r.path.includes("/c/") && !r.range)).toEqual([]);
  });
});

describe("sharded values from GCS (emulator)", () => {
  let store: GcsStore;
  beforeAll(async () => {
    emulatorHost();
    store = new GcsStore({ bucket, prefix: freshPrefix(), timeoutMs: 10_000, retries: 1 });
    const dir = path.join(V3, ARRAY);
    await Promise.all(files(dir).map((key) => store.set(`${ARRAY}/${key}`, readFileSync(path.join(dir, key)))));
  });
  afterAll(() => store.deletePrefix(""));

  it("costs the index and the two inner chunks, not the shard", async () => {
    const app = createApp({ catalogs: [catalog("r", store, "ignore")] });
    const before = await gql(app, `{ catalog(name: "r") { node(path: "${ARRAY}") { path } } }`);
    const result = await gql(app, QUERY);
    expect(result.data.catalog.node.values.data).toEqual([4, 5]);
    const shardSize = readFileSync(path.join(V3, ARRAY, "c", "0", "0", "0")).byteLength;
    const io = result.extensions!.io!;
    expect(io.gets - before.extensions!.io!.gets).toBe(3);
    expect(io.bytes - before.extensions!.io!.bytes).toBeLessThan(shardSize);
  });
});
