// Array values are bounded per request: elements returned, chunks and bytes decoded. A selection
// that already passes a limit is refused before any chunk is read (counted at the store); the
// cost estimate counts the value fields; the limits have flags and configuration keys.
import { describe, expect, it } from "vitest";
import { parseConfig } from "../src/server/config.js";
import { limitsFromFlags } from "../src/server/limits/flags.js";
import { MemoryStore } from "../src/stores/memory.js";
import { catalog, createApp, gql } from "./support/app.js";

/** A 40 x 30 int32 array in 10 x 10 chunks (12 chunks), values i*30+j, written as raw bytes. */
function store(): MemoryStore {
  const objects: Record<string, string | Uint8Array> = {
    ".zgroup": JSON.stringify({ zarr_format: 2 }),
    "a/.zarray": JSON.stringify({
      zarr_format: 2,
      shape: [40, 30],
      chunks: [10, 10],
      dtype: "<i4",
      compressor: null,
      fill_value: 0,
      filters: null,
      order: "C",
    }),
  };
  for (let ci = 0; ci < 4; ci++) {
    for (let cj = 0; cj < 3; cj++) {
      const chunk = new Int32Array(100);
      for (let i = 0; i < 10; i++) for (let j = 0; j < 10; j++) chunk[i * 10 + j] = (ci * 10 + i) * 30 + cj * 10 + j;
      objects[`a/${ci}.${cj}`] = new Uint8Array(chunk.buffer);
    }
  }
  return new MemoryStore("memory://limits", objects);
}

function app(limits: Record<string, number> = {}) {
  return createApp({ catalogs: [catalog("m", store())], limits });
}

let asked = 0;
const metadataOnly = () => `{ catalog(name: "m") { node(path: "a") { p${++asked}: path } } }`;

describe("values limits", () => {
  it("maxElements refuses a larger selection before reading any chunk", async () => {
    const server = app();
    const base = (await gql(server, metadataOnly())).extensions!.io!;
    const result = await gql(
      server,
      `{ catalog(name: "m") { node(path: "a") { path ... on ZarrArray { values(selection: [{stop: 20}], maxElements: 100) { data } } } } }`,
    );
    expect(result.data.catalog.node.path).toBe("a");
    expect(result.errors![0].extensions).toMatchObject({
      code: "LIMIT_EXCEEDED",
      limit: "maxElements",
      max: 100,
      actual: 600,
    });
    expect(result.extensions!.io!.gets).toBe(base.gets);
  });

  it("the request's element limit spans its fields: the one that would pass it is refused, the others answer", async () => {
    const server = app({ maxValueElements: 70 });
    const result = await gql(
      server,
      `{ catalog(name: "m") { node(path: "a") { ... on ZarrArray {
        first: values(selection: [{index: 0}, {stop: 60}]) { data } # stop clips to 30
        second: values(selection: [{index: 1}, {stop: 30}]) { data }
        third: values(selection: [{index: 2}, {stop: 30}]) { data }
      } } } }`,
    );
    expect(result.data.catalog.node.first.data).toHaveLength(30);
    expect(result.data.catalog.node.second.data[29]).toBe(59);
    expect(result.data.catalog.node.third).toBeNull();
    expect(result.errors).toHaveLength(1);
    expect(result.errors![0].extensions).toMatchObject({
      code: "LIMIT_EXCEEDED",
      limit: "elements",
      max: 70,
      actual: 90,
    });
  });

  it("chunks and decoded bytes are refused before reading when the selection would pass them", async () => {
    const server = app({ maxChunks: 3 });
    const base = (await gql(server, metadataOnly())).extensions!.io!;
    // Rows 5..15 and columns 5..25 touch 2 x 3 chunks.
    const query = `{ catalog(name: "m") { node(path: "a") { ... on ZarrArray {
      values(selection: [{start: 5, stop: 15}, {start: 5, stop: 25}]) { shape } } } } }`;
    const refused = await gql(server, query);
    expect(refused.errors![0].extensions).toMatchObject({ code: "LIMIT_EXCEEDED", limit: "chunks", max: 3, actual: 6 });
    expect(refused.extensions!.io!.gets).toBe(base.gets);

    const bytes = await gql(app({ maxDecodedBytes: 2000 }), query);
    // Six whole chunks of 100 int32 each decode to 2,400 bytes.
    expect(bytes.errors![0].extensions).toMatchObject({ limit: "decodedBytes", max: 2000, actual: 2400 });

    const fits = await gql(app({ maxChunks: 6, maxDecodedBytes: 2400 }), query);
    expect(fits.data.catalog.node.values.shape).toEqual([10, 20]);
    expect(fits.extensions!.io!.gets - base.gets).toBe(6);
  });

  it("a stride longer than a chunk reads only the chunks holding its elements", async () => {
    const server = app();
    const base = (await gql(server, metadataOnly())).extensions!.io!;
    const result = await gql(
      server,
      `{ catalog(name: "m") { node(path: "a") { ... on ZarrArray {
        values(selection: [{start: 3, step: 25}, {step: 21}]) { shape data } } } } }`,
    );
    // Rows 3 and 28 (chunks 0 and 2), columns 0 and 21 (chunks 0 and 2): 4 of the 12 chunks.
    expect(result.data.catalog.node.values).toEqual({
      shape: [2, 2],
      data: [
        [90, 111],
        [840, 861],
      ],
    });
    expect(result.extensions!.io!.gets - base.gets).toBe(4);
  });

  it("the cost estimate counts values by maxElements and previews by their pixels", async () => {
    const server = app({ cost: 5_000 });
    const cheap = await gql(
      server,
      `{ catalog(name: "m") { node(path: "a") { ... on ZarrArray { values(maxElements: 1200) { shape } } } } }`,
    );
    expect(cheap.errors).toBeUndefined();
    const dear = await gql(
      server,
      `{ catalog(name: "m") { node(path: "a") { ... on ZarrArray { values(maxElements: 1000000) { shape } } } } }`,
    );
    expect(dear.errors![0].extensions).toMatchObject({ code: "LIMIT_EXCEEDED", limit: "cost" });
    const preview = await gql(
      server,
      `{ catalog(name: "m") { node(path: "a") { ... on ZarrArray { preview(width: 4096, height: 4096) { width } } } } }`,
    );
    expect(preview.errors![0].extensions).toMatchObject({ code: "LIMIT_EXCEEDED", limit: "cost" });
  });

  it("has flags and configuration keys", () => {
    expect(limitsFromFlags({ "max-value-elements": "5", "max-chunks": "6", "max-decoded-bytes": "7" })).toEqual({
      maxValueElements: 5,
      maxChunks: 6,
      maxDecodedBytes: 7,
    });
    expect(() => limitsFromFlags({ "max-chunks": "many" })).toThrow(/--max-chunks/);
    const config = parseConfig(
      { limits: { maxValueElements: 1, maxChunks: 2, maxDecodedBytes: 3 } },
      { source: "x", baseDir: "/" },
    );
    expect(config.limits).toEqual({ maxValueElements: 1, maxChunks: 2, maxDecodedBytes: 3 });
  });
});
