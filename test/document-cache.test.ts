// The cross-request document cache: bounded by its estimate of heap held, in two tiers so that
// a walk's many small documents and a few large consolidated ones do not push each other out.
import { describe, expect, test } from "vitest";
import { DocumentCache } from "../src/hierarchy/document-cache.js";
import { heapHeld } from "../src/hierarchy/heap-room.js";

const MB = 1024 * 1024;

describe("DocumentCache", () => {
  test("a walk's worth of small documents does not push out a large one, and stays within its quarter", () => {
    const cache = new DocumentCache(64 * MB);
    cache.putDocument("c", ".zmetadata", { metadata: {} }, "v1", 40 * MB, 0);
    for (let i = 0; i < 100_000; i++) cache.putDocument("c", `g${i}/.zattrs`, {}, `v${i}`, 1024, 0);
    expect(cache.document("c", ".zmetadata")).toMatchObject({ kind: "document", version: "v1" });
    // The most recent small ones are there, the oldest are gone.
    expect(cache.document("c", "g99999/.zattrs")).toBeDefined();
    expect(cache.document("c", "g0/.zattrs")).toBeUndefined();
    expect(cache.heldBytes).toBeLessThanOrEqual(64 * MB);
    expect(cache.heldBytes).toBeGreaterThan(40 * MB + 15 * MB);
  });

  test("small documents use the whole bound while no large one is kept, and give way to one down to their quarter", () => {
    const cache = new DocumentCache(64 * MB);
    for (let i = 0; i < 100_000; i++) cache.putDocument("c", `g${i}/.zattrs`, {}, `v${i}`, 1024, 0);
    expect(cache.heldBytes).toBeGreaterThan(63 * MB);
    expect(cache.heldBytes).toBeLessThanOrEqual(64 * MB);
    expect(cache.document("c", "g99999/.zattrs")).toBeDefined();
    // 64 MB of 1 KiB entries: the oldest 100,000 - 65,536 are gone.
    expect(cache.document("c", "g30000/.zattrs")).toBeUndefined();
    expect(cache.document("c", "g40000/.zattrs")).toBeDefined();
    cache.putDocument("c", ".zmetadata", { metadata: {} }, "v1", 44 * MB, 0);
    expect(cache.document("c", ".zmetadata")).toMatchObject({ version: "v1" });
    expect(cache.heldBytes).toBeLessThanOrEqual(64 * MB);
    // (Asking for an entry makes it the most recently used: these were not asked for before.)
    expect(cache.document("c", "g90000/.zattrs")).toBeDefined();
    expect(cache.document("c", "g50000/.zattrs")).toBeUndefined();
    // A second large one: the small ones are at their quarter already, so a large one goes.
    cache.putDocument("c", "b/.zmetadata", { metadata: {} }, "v1", 10 * MB, 0);
    expect(cache.document("c", "g99999/.zattrs")).toBeDefined();
    expect(cache.heldBytes).toBeLessThanOrEqual(64 * MB);
  });

  test("a document larger than the large tier is not kept, nor an older copy of it", () => {
    const cache = new DocumentCache(64 * MB);
    cache.putDocument("c", ".zmetadata", { metadata: {} }, "v1", 10 * MB, 0);
    cache.putDocument("c", ".zmetadata", { metadata: {} }, "v2", 49 * MB, 0);
    expect(cache.document("c", ".zmetadata")).toBeUndefined();
  });

  test("large documents push out the least recently used large ones, not the small ones", () => {
    const cache = new DocumentCache(64 * MB);
    cache.putDocument("c", "a/.zattrs", {}, "s", 1024, 0);
    cache.putDocument("c", "x/.zmetadata", {}, "x", 30 * MB, 0);
    cache.putDocument("c", "y/.zmetadata", {}, "y", 15 * MB, 0);
    cache.document("c", "x/.zmetadata");
    cache.putDocument("c", "z/.zmetadata", {}, "z", 10 * MB, 0);
    expect(cache.document("c", "y/.zmetadata")).toBeUndefined();
    expect(cache.document("c", "x/.zmetadata")).toBeDefined();
    expect(cache.document("c", "z/.zmetadata")).toBeDefined();
    expect(cache.document("c", "a/.zattrs")).toBeDefined();
  });

  test("the heap a parsed document holds is estimated from its text's size and its values", () => {
    const text = (s: string) => new TextEncoder().encode(s);
    const few = text(`{"long_name": "${"x".repeat(10_000)}"}`);
    const many = text(JSON.stringify(Array.from({ length: 2_000 }, (_, i) => ({ i }))));
    expect(many.byteLength).toBeLessThan(few.byteLength * 3);
    expect(heapHeld(many)).toBeGreaterThan(heapHeld(few) * 10);
  });
});
