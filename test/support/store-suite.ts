// Behaviour every writable, listable Store must have. Each test gets a fresh, empty store.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { CountingStore } from "../../src/stores/counting.js";
import { IoCounter } from "../../src/stores/io-counter.js";
import {
  InvalidKeyError,
  isNotModified,
  type Listing,
  type ListTreeOptions,
  type Store,
  VersionConflictError,
} from "../../src/stores/store.js";

export interface StoreSuiteOptions {
  /**
   * Whether the backend refuses a write whose `ifVersion` is stale. False only for test servers
   * known to ignore preconditions (the GCS emulator ignores ifGenerationMatch); the rest of the
   * optimistic-concurrency test still runs for them.
   */
  enforcesPreconditions?: boolean;
  /**
   * How long after a change a conditional read may answer NotModified (the file store's racy
   * window, set small for tests); the suite waits this long after writing before it expects one.
   */
  settleMs?: number;
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

/** The keys a tree listing found, in its order. */
export async function treeKeys(store: Store, prefix: string, options: ListTreeOptions): Promise<string[]> {
  if (!store.listTree) throw new Error(`${store.description} cannot list trees`);
  return (await store.listTree(prefix, options)).map((entry) => entry.key);
}

/** A listing's names, without its version. */
export function listedNames(listing: Listing): { keys: string[]; prefixes: string[] } {
  return { keys: listing.keys, prefixes: listing.prefixes };
}

export function storeSuite(
  name: string,
  make: () => Promise<StoreUnderTest>,
  { enforcesPreconditions = true, settleMs = 0 }: StoreSuiteOptions = {},
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
      expect(listedNames(await store.list("a"))).toEqual({ keys: ["x.json", "zarr.json"], prefixes: ["b", "c"] });
      expect(listedNames(await store.list(""))).toEqual({ keys: ["top.json"], prefixes: ["a", "ab"] });
      expect(listedNames(await store.list("a/b"))).toEqual({ keys: ["zarr.json"], prefixes: ["deep"] });
      expect(listedNames(await store.list("nothing/here"))).toEqual({ keys: [], prefixes: [] });
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
      expect(await treeKeys(store, "g", { names })).toEqual(["g/a/zarr.json", "g/b/c/d/.zgroup", "g/zarr.json"]);
      expect(await treeKeys(store, "g/b", { names })).toEqual(["g/b/c/d/.zgroup"]);
      expect(await treeKeys(store, "", { names })).toEqual([
        "g/a/zarr.json",
        "g/b/c/d/.zgroup",
        "g/zarr.json",
        "gx/zarr.json",
        "h/.zgroup",
        "zarr.json",
      ]);
      expect(await treeKeys(store, "g", { names: [".zattrs"] })).toEqual(["g/.zattrs"]);
      expect(await treeKeys(store, "g", { names: [] })).toEqual([]);
      expect(await treeKeys(store, "nothing", { names })).toEqual([]);
    });

    it("listTree gives each document's version as get() reports it", async () => {
      await put({ "zarr.json": "{}", "g/zarr.json": '{"a": 1}', "g/h/.zgroup": "{}" });
      const entries = await store.listTree!("", { names: ["zarr.json", ".zgroup"] });
      expect(entries.map((e) => e.key)).toEqual(["g/h/.zgroup", "g/zarr.json", "zarr.json"]);
      for (const entry of entries) {
        expect(entry.version, entry.key).toBeTypeOf("string");
        expect(entry.version, entry.key).toBe((await store.get(entry.key))!.version);
      }
    });

    it("getIfChanged: NotModified without a body while unchanged, the new entry once changed; counted", async () => {
      expect(store.getIfChanged).toBeTypeOf("function");
      const first = (await store.set("g/zarr.json", bytes('{"v": 1}')))!;
      await sleep(settleMs + 5);
      const counter = new IoCounter();
      const counted = new CountingStore(store, counter);

      expect(await counted.getIfChanged!("g/zarr.json", first)).toEqual({ notModified: true, version: first });
      expect(counter.counts).toMatchObject({ gets: 1, bytes: 0 });

      const second = await store.set("g/zarr.json", bytes('{"v": 22}'));
      const changed = await counted.getIfChanged!("g/zarr.json", first);
      expect(isNotModified(changed)).toBe(false);
      if (!changed || isNotModified(changed)) throw new Error("expected the changed entry");
      expect(text(changed.data)).toBe('{"v": 22}');
      expect(changed.version).toBe(second);
      expect(counter.counts).toMatchObject({ gets: 2, bytes: 9 });

      // A version the object never had is not its version; absent objects are undefined.
      const other = await counted.getIfChanged!("g/zarr.json", "12345");
      expect(other && !isNotModified(other) && text(other.data)).toBe('{"v": 22}');
      expect(await counted.getIfChanged!("missing/zarr.json", first)).toBeUndefined();
      await store.delete("g/zarr.json");
      expect(await counted.getIfChanged!("g/zarr.json", second!)).toBeUndefined();
      expect(counter.counts.gets).toBe(5);
    });

    it("listIfChanged: NotModified while a listing's names are the same, the new listing once they change", async () => {
      await put({ "a/zarr.json": "{}", "a/b/zarr.json": "{}", "a/c/0": "chunk" });
      if (!store.listIfChanged) {
        // A store that cannot tell a listing's version says so by giving none.
        expect((await store.list("a")).version).toBeUndefined();
        return;
      }
      await sleep(settleMs + 5);
      const listing = await store.list("a");
      expect(listing.version).toBeTypeOf("string");
      const counter = new IoCounter();
      const counted = new CountingStore(store, counter);
      const version = listing.version!;
      expect(await counted.listIfChanged!("a", version)).toEqual({ notModified: true, version });
      expect(counter.counts.lists).toBe(1);

      // A change below a child folder is not a change of this listing.
      await store.set("a/b/more.json", bytes("{}"));
      await sleep(settleMs + 5);
      expect(await counted.listIfChanged!("a", version)).toEqual({ notModified: true, version });

      await store.set("a/new.json", bytes("{}"));
      const added = await counted.listIfChanged!("a", version);
      if (isNotModified(added)) throw new Error("a new object must change the listing");
      expect(listedNames(added)).toEqual({ keys: ["new.json", "zarr.json"], prefixes: ["b", "c"] });
      expect(added.version).not.toBe(version);

      await sleep(settleMs + 5);
      const now = (await store.list("a")).version!;
      await store.delete("a/new.json");
      const removed = await counted.listIfChanged!("a", now);
      expect(!isNotModified(removed) && listedNames(removed)).toEqual({ keys: ["zarr.json"], prefixes: ["b", "c"] });

      // A folder that does not exist yet, then does.
      const empty = await store.list("later");
      const created = await store.set("later/zarr.json", bytes("{}"));
      expect(created).toBeTypeOf("string");
      const appeared = await counted.listIfChanged!("later", empty.version!);
      expect(!isNotModified(appeared) && listedNames(appeared)).toEqual({ keys: ["zarr.json"], prefixes: [] });
      expect(counter.counts.lists).toBe(5);
    });

    it("copy: the bytes arrive by the store's own means, the destination's precondition holds", async () => {
      expect(store.copy).toBeTypeOf("function");
      const data = new Uint8Array([1, 2, 3, 0, 255]);
      await store.set("src/c/0", data);
      const counter = new IoCounter();
      const counted = new CountingStore(store, counter);
      expect(await counted.copy!("src/c/0", "dst/c/0", { ifVersion: null })).toBe(true);
      expect(counter.counts).toMatchObject({ gets: 0, writes: 1, bytes: 0 });
      const copied = await store.get("dst/c/0");
      expect([...copied!.data]).toEqual([...data]);
      expect(copied!.version).toBeTypeOf("string");
      if (enforcesPreconditions) {
        await expect(store.copy!("src/c/0", "dst/c/0", { ifVersion: null })).rejects.toBeInstanceOf(
          VersionConflictError,
        );
      }
      // The copy outlives its source, and a rewrite of the source does not reach it.
      await store.set("src/c/0", bytes("new"));
      expect([...(await store.get("dst/c/0"))!.data]).toEqual([...data]);
      await store.delete("src/c/0");
      expect([...(await store.get("dst/c/0"))!.data]).toEqual([...data]);
      expect(await store.copy!("src/c/0", "other/c/0")).toBe(false);
      expect(await store.get("other/c/0")).toBeUndefined();
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
      expect(listedNames(await store.list(""))).toEqual({ keys: ["e.json"], prefixes: ["dx"] });
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
      expect(listedNames(await store.list(""))).toEqual({ keys: [], prefixes: [] });
    });
  });
}
