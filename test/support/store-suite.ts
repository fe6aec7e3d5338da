// Behaviour every writable, listable Store must have. Each test gets a fresh, empty store.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { InvalidKeyError, type Store, VersionConflictError } from "../../src/stores/store.js";

export interface StoreSuiteOptions {
  /**
   * Whether the backend refuses a write whose `ifVersion` is stale. False only for test servers
   * known to ignore preconditions (the GCS emulator ignores ifGenerationMatch); the rest of the
   * optimistic-concurrency test still runs for them.
   */
  enforcesPreconditions?: boolean;
}

export interface StoreUnderTest {
  store: Store;
  cleanup?: () => Promise<void>;
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();
const bytes = (text: string) => encoder.encode(text);
const text = (data: Uint8Array) => decoder.decode(data);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export const INVALID_KEYS = ["../x", "a/../b", "/abs", "a\\b", "a//b", "%2e%2e/x"] as const;

export function storeSuite(
  name: string,
  make: () => Promise<StoreUnderTest>,
  { enforcesPreconditions = true }: StoreSuiteOptions = {},
): void {
  describe(`Store contract: ${name}`, () => {
    let current: StoreUnderTest;
    let store: Store;

    beforeEach(async () => {
      current = await make();
      store = current.store;
    });

    afterEach(async () => {
      await current?.cleanup?.();
    });

    async function put(entries: Record<string, string>): Promise<void> {
      await Promise.all(Object.entries(entries).map(([key, value]) => store.set(key, bytes(value))));
    }

    it("answers undefined for a missing key", async () => {
      expect(await store.get("missing/zarr.json")).toBeUndefined();
      expect(await store.get("zarr.json")).toBeUndefined();
    });

    it("returns what was set, with the version set returned", async () => {
      const data = new Uint8Array([0, 1, 2, 250, 255, 10, 13]);
      const version = await store.set("g/a/zarr.json", data);
      expect(typeof version).toBe("string");
      expect(version).not.toBe("");
      const entry = await store.get("g/a/zarr.json");
      expect(entry).toBeDefined();
      expect([...entry!.data]).toEqual([...data]);
      expect(entry!.version).toBe(version);
    });

    it("changes the version when an object is rewritten", async () => {
      const first = await store.set("doc.json", bytes("one"));
      // Some backends derive versions from clocks (mtime, the emulator's generation): step past a tick.
      await sleep(5);
      const second = await store.set("doc.json", bytes("two"));
      expect(second).not.toBe(first);
      const entry = await store.get("doc.json");
      expect(text(entry!.data)).toBe("two");
      expect(entry!.version).toBe(second);
    });

    it("lists one level: object names and child prefixes, sorted", async () => {
      await put({
        "top.json": "t",
        "a/zarr.json": "{}",
        "a/x.json": "x",
        "a/c/0": "chunk",
        "a/b/zarr.json": "{}",
        "a/b/deep/er/zarr.json": "{}",
        "ab/zarr.json": "{}",
      });
      expect(await store.list("a")).toEqual({ keys: ["x.json", "zarr.json"], prefixes: ["b", "c"] });
      expect(await store.list("")).toEqual({ keys: ["top.json"], prefixes: ["a", "ab"] });
      expect(await store.list("a/b")).toEqual({ keys: ["zarr.json"], prefixes: ["deep"] });
      expect(await store.list("nothing/here")).toEqual({ keys: [], prefixes: [] });
    });

    it("listTree returns only the requested basenames, at any depth, the prefix's own document included", async () => {
      expect(store.listTree).toBeTypeOf("function");
      await put({
        "zarr.json": "{}",
        "g/zarr.json": "{}",
        "g/.zattrs": "{}",
        "g/a/zarr.json": "{}",
        "g/a/c/0/0": "chunk",
        "g/a/c/0/1": "chunk",
        "g/a/zarr.jsonx": "not a document",
        "g/a/xzarr.json": "not a document",
        "g/b/c/d/.zgroup": "{}",
        "g/b/c/d/.zarray.bak": "not a document",
        "gx/zarr.json": "{}",
        "h/.zgroup": "{}",
      });
      const names = ["zarr.json", ".zgroup"];
      expect(await store.listTree!("g", { names })).toEqual(["g/a/zarr.json", "g/b/c/d/.zgroup", "g/zarr.json"]);
      expect(await store.listTree!("g/b", { names })).toEqual(["g/b/c/d/.zgroup"]);
      expect(await store.listTree!("", { names })).toEqual([
        "g/a/zarr.json",
        "g/b/c/d/.zgroup",
        "g/zarr.json",
        "gx/zarr.json",
        "h/.zgroup",
        "zarr.json",
      ]);
      expect(await store.listTree!("g", { names: [".zattrs"] })).toEqual(["g/.zattrs"]);
      expect(await store.listTree!("g", { names: [] })).toEqual([]);
      expect(await store.listTree!("nothing", { names })).toEqual([]);
    });

    it("deletes one object and says whether it existed", async () => {
      await put({ "a/zarr.json": "{}", "a/b/zarr.json": "{}" });
      expect(await store.delete("a/zarr.json")).toBe(true);
      expect(await store.get("a/zarr.json")).toBeUndefined();
      expect(await store.delete("a/zarr.json")).toBe(false);
      expect(text((await store.get("a/b/zarr.json"))!.data)).toBe("{}");
    });

    it("deletePrefix removes everything below a prefix and counts it", async () => {
      await put({
        "d/zarr.json": "{}",
        "d/b/zarr.json": "{}",
        "d/b/c/0": "chunk",
        "dx/zarr.json": "{}",
        "e.json": "{}",
      });
      expect(await store.deletePrefix("d")).toBe(3);
      expect(await store.list("")).toEqual({ keys: ["e.json"], prefixes: ["dx"] });
      expect(await store.get("d/b/c/0")).toBeUndefined();
      expect(text((await store.get("dx/zarr.json"))!.data)).toBe("{}");
      expect(await store.deletePrefix("d")).toBe(0);
    });

    it("honours ifVersion (optimistic concurrency)", async () => {
      const created = await store.set("c/zarr.json", bytes("v1"), { ifVersion: null });
      expect(created).toBeTypeOf("string");
      await sleep(5);
      const updated = await store.set("c/zarr.json", bytes("v2"), { ifVersion: created });
      expect(updated).toBeTypeOf("string");
      expect(updated).not.toBe(created);
      expect(text((await store.get("c/zarr.json"))!.data)).toBe("v2");
      if (enforcesPreconditions) {
        await expect(store.set("c/zarr.json", bytes("v3"), { ifVersion: created })).rejects.toBeInstanceOf(
          VersionConflictError,
        );
        await expect(store.set("c/zarr.json", bytes("v3"), { ifVersion: null })).rejects.toBeInstanceOf(
          VersionConflictError,
        );
        const entry = await store.get("c/zarr.json");
        expect(text(entry!.data)).toBe("v2");
        expect(entry!.version).toBe(updated);
      }
    });

    it("refuses invalid keys before any I/O", async () => {
      for (const key of INVALID_KEYS) {
        await expect(store.get(key), key).rejects.toBeInstanceOf(InvalidKeyError);
        await expect(store.set(key, bytes("x")), key).rejects.toBeInstanceOf(InvalidKeyError);
        await expect(store.delete(key), key).rejects.toBeInstanceOf(InvalidKeyError);
        await expect(store.list(key), key).rejects.toBeInstanceOf(InvalidKeyError);
        await expect(store.deletePrefix(key), key).rejects.toBeInstanceOf(InvalidKeyError);
        if (store.listTree) {
          await expect(store.listTree(key, { names: ["zarr.json"] }), key).rejects.toBeInstanceOf(InvalidKeyError);
        }
      }
      await expect(store.get(""), "empty key").rejects.toBeInstanceOf(InvalidKeyError);
      // Nothing was written anywhere, under any spelling of the refused keys.
      expect(await store.list("")).toEqual({ keys: [], prefixes: [] });
    });
  });
}
