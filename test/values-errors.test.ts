// Broken chunks, failing stores, bad selections, a passed deadline, a private catalog: each field
// answers its own typed error and the rest of the response stands. Chunk reads of one request run
// concurrently, bounded by the catalog's concurrency.
import { deflateSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { ReadAccess } from "../src/hierarchy/access.js";
import { FaultStore } from "../src/stores/faults.js";
import { LatencyStore } from "../src/stores/latency.js";
import { MemoryStore } from "../src/stores/memory.js";
import type { CallOptions, Store } from "../src/stores/store.js";
import { type Operation, StoreWrapper } from "../src/stores/wrapper.js";
import { catalog, createApp, gql } from "./support/app.js";

const zarray = (extra: Record<string, unknown>) =>
  JSON.stringify({
    zarr_format: 2,
    shape: [8],
    chunks: [4],
    dtype: "<i4",
    compressor: null,
    fill_value: 0,
    filters: null,
    order: "C",
    ...extra,
  });
/** Chunk keys of these format 2 arrays ("good/0"); everything else is metadata. */
const CHUNK = /\/\d+$/;
const ints = (...values: number[]) => new Uint8Array(new Int32Array(values).buffer);

function objects(): Record<string, string | Uint8Array> {
  return {
    ".zgroup": JSON.stringify({ zarr_format: 2 }),
    "good/.zarray": zarray({}),
    "good/0": ints(1, 2, 3, 4),
    "good/1": ints(5, 6, 7, 8),
    "garbled/.zarray": zarray({ compressor: { id: "zlib", level: 1 } }),
    "garbled/0": new Uint8Array([1, 2, 3, 4, 5, 6, 7]),
    "short/.zarray": zarray({}),
    "short/0": ints(1, 2, 3),
    "checked/.zarray": zarray({ compressor: { id: "crc32" } }),
    // A CRC-32 prefix of 0, which the data's checksum is not.
    "checked/0": new Uint8Array([0, 0, 0, 0, ...ints(1, 2, 3, 4)]),
    "zipped/.zarray": zarray({ compressor: { id: "zlib", level: 1 } }),
    "zipped/0": new Uint8Array(deflateSync(ints(9, 9, 9, 9))),
    "structured/.zarray": zarray({
      dtype: [
        ["a", "<i4"],
        ["b", "<f8"],
      ],
    }),
    "wide/.zarray": zarray({ shape: [64], chunks: [1] }),
  };
}

const valuesOf = (path: string, args = "") =>
  `${path.replace(/\W/g, "_")}: node(path: "${path}") { path ... on ZarrArray { values${args} { data } } }`;

describe("values errors", () => {
  it("a chunk that does not decode is INVALID_DATA at its field, naming the chunk; other fields stand", async () => {
    const app = createApp({ catalogs: [catalog("e", new MemoryStore("memory://e", objects()))] });
    const result = await gql(
      app,
      `{ catalog(name: "e") { ${valuesOf("good")} ${valuesOf("garbled")} ${valuesOf("short")} ${valuesOf("checked")} ${valuesOf("zipped")} ${valuesOf("structured")} } }`,
    );
    const data = result.data.catalog;
    expect(data.good.values.data).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    // zipped has chunk 0 only: chunk 1 is missing and reads as the fill value.
    expect(data.zipped.values.data).toEqual([9, 9, 9, 9, 0, 0, 0, 0]);
    const byField = Object.fromEntries(result.errors!.map((e) => [e.path![1], e]));
    for (const field of ["garbled", "short", "checked"]) {
      expect(data[field].path).toBe(field);
      expect(data[field].values).toBeNull();
      expect(byField[field].extensions).toMatchObject({ code: "INVALID_DATA", key: `${field}/[0]` });
    }
    expect(byField.checked.message).toMatch(/checksum/);
    expect(byField.structured.extensions!.code).toBe("UNSUPPORTED");
    expect(Object.keys(byField).sort()).toEqual(["checked", "garbled", "short", "structured"]);
  });

  it("bad selections are BAD_USER_INPUT, each in its own slot", async () => {
    const app = createApp({ catalogs: [catalog("e", new MemoryStore("memory://e", objects()))] });
    const cases = {
      negative: "(selection: [{start: -1}])",
      zeroStep: "(selection: [{step: 0}])",
      outOfBounds: "(selection: [{index: 8}])",
      both: "(selection: [{index: 1, stop: 3}])",
      tooMany: "(selection: [{}, {}])",
    };
    const result = await gql(
      app,
      `{ catalog(name: "e") { node(path: "good") { ... on ZarrArray { ${Object.entries(cases)
        .map(([alias, args]) => `${alias}: values${args} { data }`)
        .join(" ")} fine: values(selection: [{start: 6}]) { data } } } } }`,
    );
    expect(result.data.catalog.node.fine.data).toEqual([7, 8]);
    expect(result.errors!.map((e) => [e.path![2], e.extensions!.code]).sort()).toEqual(
      Object.keys(cases)
        .sort()
        .map((alias) => [alias, "BAD_USER_INPUT"]),
    );
  });

  it("a failing store is STORE_UNAVAILABLE without its own words", async () => {
    const faulty = new FaultStore(new MemoryStore("memory://e", objects()), {
      rate: 1,
      seed: 1,
      kinds: ["crash"],
      operations: ["get"],
    });
    // Metadata reads pass; chunk reads crash.
    const store: Store = Object.assign(Object.create(faulty), {
      get: (key: string, options?: CallOptions) =>
        CHUNK.test(key) ? faulty.get(key, options) : faulty.inner.get(key, options),
    });
    const app = createApp({ catalogs: [catalog("e", store)] });
    const result = await gql(app, `{ catalog(name: "e") { ${valuesOf("good")} } }`);
    expect(result.data.catalog.good.path).toBe("good");
    expect(result.errors![0].extensions!.code).toBe("STORE_UNAVAILABLE");
    expect(JSON.stringify(result)).not.toMatch(/secret|sk_live/);
  });

  it("past the deadline a values field answers LIMIT_EXCEEDED (deadline)", async () => {
    const slow = new LatencyStore(new MemoryStore("memory://e", objects()), 0);
    const store: Store = Object.assign(Object.create(slow), {
      get: (key: string, options?: CallOptions) =>
        CHUNK.test(key) ? new LatencyStore(slow.inner, 5_000).get(key, options) : slow.inner.get(key, options),
    });
    const app = createApp({ catalogs: [catalog("e", store)], limits: { deadlineMs: 300 } });
    const result = await gql(app, `{ catalog(name: "e") { ${valuesOf("good")} } }`);
    expect(result.data.catalog.good.path).toBe("good");
    expect(result.errors![0].extensions).toMatchObject({ code: "LIMIT_EXCEEDED", limit: "deadline" });
  });

  it("a catalog the caller may not read answers NOT_FOUND and reads no chunk", async () => {
    const store = new MemoryStore("memory://e", objects());
    const app = createApp({
      catalogs: [{ ...catalog("e", store), read: new ReadAccess(["a-long-enough-read-token"]) }],
    });
    const denied = await gql(app, `{ catalog(name: "e") { ${valuesOf("good")} } }`);
    expect(denied.errors![0].extensions!.code).toBe("NOT_FOUND");
    expect(denied.extensions!.io!.gets).toBe(0);
    const allowed = await gql(app, `{ catalog(name: "e") { ${valuesOf("good")} } }`, undefined, {
      authorization: "Bearer a-long-enough-read-token",
    });
    expect(allowed.data.catalog.good.values.data).toHaveLength(8);
  });
});

/** Records the most chunk reads in flight at once. */
class InFlight extends StoreWrapper {
  now = 0;
  most = 0;
  protected async around<T, O extends CallOptions | undefined>(
    operation: Operation,
    key: string,
    options: O,
    call: (options: O) => Promise<T>,
  ): Promise<T> {
    const chunk = operation === "get" && CHUNK.test(key);
    if (chunk) this.most = Math.max(this.most, ++this.now);
    try {
      return await call(options);
    } finally {
      if (chunk) this.now--;
    }
  }
}

describe("concurrency", () => {
  it("a request's chunk reads go out together, at most the catalog's concurrency at once", async () => {
    const recorder = new InFlight(new LatencyStore(new MemoryStore("memory://e", objects()), 5));
    const app = createApp({ catalogs: [{ ...catalog("e", recorder), limits: { concurrency: 3 } }] });
    const result = await gql(app, `{ catalog(name: "e") { ${valuesOf("wide")} } }`);
    expect(result.data.catalog.wide.values.data).toHaveLength(64);
    expect(recorder.most).toBe(3);
    const io = result.extensions!.io!;
    // 64 chunk reads three at a time: about 22 rounds, not 64.
    expect(io.waves).toBeLessThan(30);
  });
});
