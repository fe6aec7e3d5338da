// A metadata document too large for the heap is refused before it is parsed (V8 would end the
// process): a limit at its node, and the server goes on answering.
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, test } from "vitest";
import { LimitExceededError } from "../src/hierarchy/errors.js";
import { HEAP_PER_BYTE, HEAP_PER_VALUE, HeapRoom, type HeapState, heapNeeded } from "../src/hierarchy/heap-room.js";
import { EXAMPLE_DIR } from "../src/server/example.js";
import { post, serve } from "./support/cli.js";

const MB = 1024 * 1024;

/** A heap of `free` bytes that a collection grows to `afterCollect`. */
function heap(free: number, afterCollect = free) {
  let available = free;
  const state: HeapState & { collections: number } = {
    collections: 0,
    available: () => available,
    limit: () => 512 * MB,
    collect: () => {
      state.collections++;
      available = afterCollect;
    },
  };
  return state;
}

/** A JSON array of `count` small objects, `{"a":1}` each: three values apiece (object, comma, none nested). */
function document(count: number): Uint8Array {
  return new TextEncoder().encode(`[${Array.from({ length: count }, () => '{"a":1}').join(",")}]`);
}

describe("HeapRoom", () => {
  test("the heap a document needs grows with its bytes and with its values", () => {
    const data = document(1000);
    // One "[", 1000 "{" and 999 ",".
    expect(heapNeeded(data)).toBe(Math.ceil(data.byteLength * HEAP_PER_BYTE + 2000 * HEAP_PER_VALUE));
    const fewValues = new TextEncoder().encode(`["${"x".repeat(data.byteLength - 4)}"]`);
    expect(heapNeeded(fewValues)).toBeLessThan(heapNeeded(data) / 10);
  });

  test("a small document is never checked; a large one that fits costs no collection", () => {
    const tight = heap(0);
    new HeapRoom(tight).check("a/.zarray", new Uint8Array(MB - 1));
    expect(tight.collections).toBe(0);
    const big = document(200_000);
    const roomy = heap(heapNeeded(big));
    new HeapRoom(roomy).check(".zmetadata", big);
    expect(roomy.collections).toBe(0);
  });

  test("a document that does not fit is tried again after one collection, then refused with what to do", () => {
    const big = document(200_000);
    const freed = heap(MB, heapNeeded(big));
    new HeapRoom(freed).check(".zmetadata", big);
    expect(freed.collections).toBe(1);

    const full = heap(MB, heapNeeded(big) - 1);
    let error: unknown;
    try {
      new HeapRoom(full).check(".zmetadata", big);
    } catch (caught) {
      error = caught;
    }
    expect(full.collections).toBe(1);
    expect(error).toBeInstanceOf(LimitExceededError);
    expect((error as LimitExceededError).code).toBe("LIMIT_EXCEEDED");
    expect((error as LimitExceededError).message).toContain('".zmetadata" of 2 MB');
    expect((error as LimitExceededError).message).toContain("NODE_OPTIONS=--max-old-space-size");
  });
});

test("a server with a small heap refuses a consolidated document it cannot hold, and answers the rest", async () => {
  // 60,000 arrays: 13 MB of consolidated metadata with about a million values, more than 96 MB of heap can hold parsed.
  const dir = mkdtempSync(path.join(tmpdir(), "zarr-graphql-heap-"));
  const zarray = {
    zarr_format: 2,
    shape: [100, 100],
    chunks: [10, 10],
    dtype: "<f8",
    compressor: null,
    fill_value: "NaN",
    order: "C",
    filters: null,
  };
  const metadata: Record<string, unknown> = { ".zgroup": { zarr_format: 2 } };
  for (let i = 0; i < 60_000; i++) {
    metadata[`a${i}/.zarray`] = zarray;
    metadata[`a${i}/.zattrs`] = { long_name: `array number ${i}`, units: "K" };
  }
  writeFileSync(path.join(dir, ".zgroup"), JSON.stringify({ zarr_format: 2 }));
  writeFileSync(path.join(dir, ".zmetadata"), JSON.stringify({ zarr_consolidated_format: 1, metadata }));

  const server = serve([`big=${dir}`, `climate=${path.join(EXAMPLE_DIR, "climate.zarr")}`, "--port", "0"], {
    LOG_LEVEL: "warn",
    NODE_OPTIONS: "--max-old-space-size=96",
  });
  const url = await server.listening;
  const members = (name: string) =>
    post(url, `{ catalog(name: "${name}") { root { ... on ZarrGroup { members(first: 2) { nodes { path } } } } } }`);
  for (let round = 0; round < 3; round++) {
    const big = await members("big");
    expect(big.errors[0].extensions).toMatchObject({ code: "LIMIT_EXCEEDED", limit: "heapBytes" });
    const climate = await members("climate");
    expect(climate.errors).toBeUndefined();
    expect(climate.data.catalog.root.members.nodes).toHaveLength(2);
  }
  expect(server.child.exitCode).toBeNull();
  server.child.kill("SIGTERM");
  expect(await server.exited).toBe(0);
}, 60_000);
