import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AbortableStore } from "../src/stores/abortable.js";
import { CountingStore } from "../src/stores/counting.js";
import { FaultStore } from "../src/stores/faults.js";
import { FileStore } from "../src/stores/file.js";
import { GcsStore } from "../src/stores/gcs.js";
import { HttpStore } from "../src/stores/http.js";
import { IoCounter } from "../src/stores/io-counter.js";
import { LatencyStore } from "../src/stores/latency.js";
import { MemoryStore } from "../src/stores/memory.js";
import { type ByteRange, InvalidKeyError, type Store, StoreUnavailableError } from "../src/stores/store.js";
import { bucket, emulatorHost, freshPrefix } from "./support/gcs-proxy.js";
import { serveWithRanges } from "./support/range-server.js";

const SIZE = 1000;
const OBJECT = Uint8Array.from({ length: SIZE }, (_, i) => (i * 7) % 251);
const KEY = "arr/c/0/0";

/** What each range must answer, worked out from OBJECT by plain indexing. */
const CASES: [string, ByteRange, number[]][] = [
  ["a middle part", { offset: 10, length: 20 }, Array.from({ length: 20 }, (_, i) => ((10 + i) * 7) % 251)],
  ["a suffix", { suffixLength: 16 }, Array.from({ length: 16 }, (_, i) => ((984 + i) * 7) % 251)],
  [
    "a part running past the end, clipped",
    { offset: 990, length: 50 },
    Array.from({ length: 10 }, (_, i) => ((990 + i) * 7) % 251),
  ],
  ["a part starting past the end: nothing", { offset: 2000, length: 5 }, []],
  ["a suffix longer than the object: all of it", { suffixLength: 5000 }, Array.from(OBJECT)],
  ["an empty part", { offset: 5, length: 0 }, []],
];

interface Subject {
  name: string;
  open(): Promise<{ store: Store; cleanup(): Promise<void> }>;
}

const subjects: Subject[] = [
  {
    name: "MemoryStore",
    open: async () => ({ store: new MemoryStore("memory://t", { [KEY]: OBJECT }), cleanup: async () => undefined }),
  },
  {
    name: "FileStore",
    open: async () => {
      const dir = await mkdtemp(path.join(os.tmpdir(), "range-"));
      const store = new FileStore(dir);
      await store.set(KEY, OBJECT);
      return { store, cleanup: () => rm(dir, { recursive: true, force: true }) };
    },
  },
  {
    name: "HttpStore (server honours Range)",
    open: async () => {
      const dir = await mkdtemp(path.join(os.tmpdir(), "range-http-"));
      await new FileStore(dir).set(`root/${KEY}`, OBJECT);
      const server = await serveWithRanges(dir);
      return {
        store: new HttpStore(`${server.base}/root`, { retries: 0 }),
        cleanup: async () => {
          await server.close();
          await rm(dir, { recursive: true, force: true });
        },
      };
    },
  },
  {
    name: "HttpStore (server ignores Range)",
    open: async () => {
      const dir = await mkdtemp(path.join(os.tmpdir(), "range-http-"));
      await new FileStore(dir).set(`root/${KEY}`, OBJECT);
      const server = await serveWithRanges(dir, { ranges: false });
      return {
        store: new HttpStore(`${server.base}/root`, { retries: 0 }),
        cleanup: async () => {
          await server.close();
          await rm(dir, { recursive: true, force: true });
        },
      };
    },
  },
  {
    name: "GcsStore (emulator)",
    open: async () => {
      emulatorHost();
      const store = new GcsStore({ bucket, prefix: freshPrefix(), timeoutMs: 10_000, retries: 1 });
      await store.set(KEY, OBJECT);
      return { store, cleanup: async () => void (await store.deletePrefix("")) };
    },
  },
];

for (const subject of subjects) {
  describe(`${subject.name}: getRange`, () => {
    let store: Store;
    let cleanup: () => Promise<void>;
    beforeAll(async () => {
      ({ store, cleanup } = await subject.open());
    });
    afterAll(() => cleanup());

    for (const [what, range, expected] of CASES) {
      it(`answers ${what}`, async () => {
        const entry = await store.getRange!(KEY, range);
        expect(Array.from(entry!.data)).toEqual(expected);
      });
    }

    it("answers undefined for a missing object and carries the version get() reports", async () => {
      expect(await store.getRange!("arr/c/9/9", { offset: 0, length: 4 })).toBeUndefined();
      const whole = await store.get(KEY);
      const part = await store.getRange!(KEY, { offset: 0, length: 4 });
      expect(part!.version).toBe(whole!.version);
    });

    it("refuses a bad key and a negative range before any read", async () => {
      await expect(store.getRange!("../x", { offset: 0, length: 1 })).rejects.toBeInstanceOf(InvalidKeyError);
      await expect(store.getRange!(KEY, { offset: -1, length: 1 })).rejects.toBeInstanceOf(RangeError);
    });
  });
}

describe("HttpStore getRange on the wire", () => {
  it("sends the Range header for offsets and suffixes", async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), "range-wire-"));
    await new FileStore(dir).set("root/obj", OBJECT);
    const server = await serveWithRanges(dir);
    try {
      const store = new HttpStore(`${server.base}/root`, { retries: 0 });
      await store.getRange("obj", { offset: 100, length: 50 });
      await store.getRange("obj", { suffixLength: 24 });
      expect(server.requests.map((r) => r.range)).toEqual(["bytes=100-149", "bytes=-24"]);
    } finally {
      await server.close();
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe("wrappers forward getRange", () => {
  it("CountingStore counts a ranged read as one get with the bytes it returned", async () => {
    const counter = new IoCounter();
    const store = new CountingStore(new MemoryStore("memory://t", { [KEY]: OBJECT }), counter);
    await store.getRange!(KEY, { offset: 0, length: 30 });
    await store.getRange!(KEY, { suffixLength: 12 });
    expect(counter.snapshot()).toMatchObject({ gets: 2, bytes: 42, lists: 0 });
  });

  it("a wrapper over a store without getRange has none, so callers can tell", () => {
    const inner = new MemoryStore("memory://t");
    const bare: Store = {
      description: inner.description,
      capabilities: inner.capabilities,
      get: (k, o) => inner.get(k, o),
      list: (p) => inner.list(p),
      set: (k, d, o) => inner.set(k, d, o),
      delete: (k) => inner.delete(k),
      deletePrefix: (p) => inner.deletePrefix(p),
    };
    expect(new CountingStore(bare, new IoCounter()).getRange).toBeUndefined();
    expect(new AbortableStore(inner).getRange).toBeTypeOf("function");
  });

  it("AbortableStore stops waiting for a ranged read when its signal aborts", async () => {
    const inner = new MemoryStore("memory://t", { [KEY]: OBJECT });
    const hanging = new FaultStore(inner, { rate: 1, seed: 1, kinds: ["hang"], hangMs: 60_000 });
    const store = new AbortableStore(hanging);
    const controller = new AbortController();
    const read = store.getRange!(KEY, { offset: 0, length: 4 }, { signal: controller.signal });
    controller.abort(new Error("deadline"));
    await expect(read).rejects.toThrow("deadline");
  });

  it("LatencyStore delays and forwards; FaultStore injects faults into ranged reads", async () => {
    const inner = new MemoryStore("memory://t", { [KEY]: OBJECT });
    const slow = new LatencyStore(inner, 1);
    expect(Array.from((await slow.getRange!(KEY, { offset: 1, length: 2 }))!.data)).toEqual([7, 14]);
    const faulty = new FaultStore(inner, { rate: 1, seed: 3, kinds: ["error"] });
    await expect(faulty.getRange!(KEY, { offset: 0, length: 4 })).rejects.toBeInstanceOf(StoreUnavailableError);
    expect(faulty.stats.faults.error).toBe(1);
  });
});
