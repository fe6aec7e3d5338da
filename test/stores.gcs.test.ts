import pLimit from "p-limit";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { CountingStore } from "../src/stores/counting.js";
import { GcsStore, matchGlobFor } from "../src/stores/gcs.js";
import { IoCounter } from "../src/stores/io-counter.js";
import { StoreUnavailableError, VersionConflictError } from "../src/stores/store.js";
import { bucket, emulatorHost, freshPrefix, startProxy, storeVia } from "./support/gcs-proxy.js";
import { listedNames, storeSuite, treeKeys } from "./support/store-suite.js";

const encode = (text: string) => new TextEncoder().encode(text);

storeSuite(
  "GcsStore (emulator)",
  async () => {
    emulatorHost();
    const store = new GcsStore({ bucket, prefix: freshPrefix(), timeoutMs: 10_000, retries: 2 });
    return { store, cleanup: async () => void (await store.deletePrefix("")) };
  },
  // The emulator accepts writes whatever ifGenerationMatch says (checked on the wire below).
  { enforcesPreconditions: false },
);

describe("GcsStore specifics (emulator)", () => {
  const cleanups: Array<() => Promise<unknown>> = [];

  beforeAll(() => {
    emulatorHost();
  });

  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  it("names itself gs://bucket/prefix", () => {
    const store = new GcsStore({ bucket, prefix: "/a/b/" });
    expect(store.description).toBe(`gs://${bucket}/a/b`);
    expect(new GcsStore({ bucket }).description).toBe(`gs://${bucket}`);
  });

  it("keeps keys relative to its prefix", async () => {
    const prefix = freshPrefix();
    const store = new GcsStore({ bucket, prefix });
    const outer = new GcsStore({ bucket, prefix: prefix.split("/")[0] });
    cleanups.push(() => store.deletePrefix(""));
    await store.set("g/zarr.json", encode("{}"));
    expect(await outer.get(`${prefix.split("/")[1]}/g/zarr.json`)).toBeDefined();
    expect(await treeKeys(store, "", { names: ["zarr.json"] })).toEqual(["g/zarr.json"]);
    expect(listedNames(await store.list(""))).toEqual({ keys: [], prefixes: ["g"] });
  });

  it("listTree over more than 1000 matches fetches pages one after another and reports each", async () => {
    const store = new GcsStore({ bucket, prefix: freshPrefix(), retries: 2 });
    cleanups.push(() => store.deletePrefix(""));
    const keys = Array.from({ length: 1105 }, (_, i) => `root/n${String(i).padStart(4, "0")}/zarr.json`);
    const chunks = Array.from({ length: 50 }, (_, i) => `root/n0000/c/${i}`);
    const limit = pLimit(32);
    await Promise.all([...keys, ...chunks, "root/zarr.json"].map((key) => limit(() => store.set(key, encode("{}")))));

    let pages = 0;
    const found = await treeKeys(store, "root", { names: ["zarr.json"], onPage: () => pages++ });
    expect(found).toEqual(["root/zarr.json", ...keys].sort());
    // The emulator ignores matchGlob, so chunk keys come back too: 1156 objects, 2 pages of 1000.
    expect(pages).toBeGreaterThanOrEqual(2);

    const counter = new IoCounter();
    const counted = new CountingStore(store, counter);
    expect(await counted.listTree!("root", { names: ["zarr.json"] })).toHaveLength(keys.length + 1);
    expect(counter.counts.lists).toBe(pages);
    expect(counter.counts.waves).toBe(1);

    // One listing, not one per folder; list (one level) follows pagination too.
    expect((await store.list("root")).prefixes).toHaveLength(keys.length);
  }, 120_000);

  it("sends matchGlob, prefix and page size on the listTree request", async () => {
    const proxy = await startProxy();
    cleanups.push(proxy.close);
    const store = storeVia(proxy.url);
    cleanups.push(() => store.deletePrefix(""));
    await store.listTree("g/h", { names: ["zarr.json", ".zgroup"] });
    const listing = proxy.requests.find((r) => r.method === "GET" && /\/b\/[^/]+\/o$/.test(r.url.pathname));
    expect(listing).toBeDefined();
    expect(listing!.url.searchParams.get("prefix")).toBe(`${store.root}/g/h/`);
    expect(listing!.url.searchParams.get("matchGlob")).toBe(`${store.root}/g/h/**/{zarr.json,.zgroup}`);
    expect(listing!.url.searchParams.get("maxResults")).toBe("1000");
    expect(listing!.url.searchParams.get("delimiter")).toBeNull();
  });

  it("sends ifGenerationMatch for ifVersion (0 for 'must not exist'), and none without it", async () => {
    const proxy = await startProxy();
    cleanups.push(proxy.close);
    const store = storeVia(proxy.url);
    cleanups.push(() => store.deletePrefix(""));
    const uploads = () => proxy.requests.filter((r) => r.method === "POST" && r.url.pathname.includes("/upload/"));

    const created = await store.set("a/zarr.json", encode("1"), { ifVersion: null });
    expect(uploads().at(-1)!.url.searchParams.get("ifGenerationMatch")).toBe("0");
    await store.set("a/zarr.json", encode("2"), { ifVersion: created });
    expect(uploads().at(-1)!.url.searchParams.get("ifGenerationMatch")).toBe(created);
    await store.set("a/zarr.json", encode("3"));
    expect(uploads().at(-1)!.url.searchParams.has("ifGenerationMatch")).toBe(false);
    expect(uploads()).toHaveLength(3);
  });

  it("turns a 412 from the server into VersionConflictError", async () => {
    const proxy = await startProxy((req) =>
      req.method === "POST" && req.url.searchParams.get("ifGenerationMatch") === "12345"
        ? { status: 412, body: { error: { code: 412, message: "conditionNotMet" } } }
        : undefined,
    );
    cleanups.push(proxy.close);
    const store = storeVia(proxy.url);
    cleanups.push(() => store.deletePrefix(""));
    await store.set("a/zarr.json", encode("1"));
    await expect(store.set("a/zarr.json", encode("2"), { ifVersion: "12345" })).rejects.toBeInstanceOf(
      VersionConflictError,
    );
    await expect(store.set("a/zarr.json", encode("2"), { ifVersion: "not-a-generation" })).rejects.toBeInstanceOf(
      VersionConflictError,
    );
    expect(new TextDecoder().decode((await store.get("a/zarr.json"))!.data)).toBe("1");
  });

  it("reads the generation from the download itself: one request per get", async () => {
    const proxy = await startProxy();
    cleanups.push(proxy.close);
    const store = storeVia(proxy.url);
    cleanups.push(() => store.deletePrefix(""));
    const version = await store.set("a/zarr.json", encode("{}"));
    const before = proxy.requests.length;
    const entry = await store.get("a/zarr.json");
    expect(entry!.version).toBe(version);
    expect(proxy.requests.length - before).toBe(1);
    expect(proxy.requests.at(-1)!.url.searchParams.get("alt")).toBe("media");
  });

  it("getIfChanged sends ifGenerationNotMatch on the download; a 304 is NotModified without a body", async () => {
    const proxy = await startProxy((req) =>
      req.method === "GET" && req.url.searchParams.get("ifGenerationNotMatch") === "777" ? { status: 304 } : undefined,
    );
    cleanups.push(proxy.close);
    const store = storeVia(proxy.url);
    cleanups.push(() => store.deletePrefix(""));
    const version = (await store.set("a/zarr.json", encode('{"v": 1}')))!;
    const counter = new IoCounter();
    const counted = new CountingStore(store, counter);

    expect(await counted.getIfChanged!("a/zarr.json", "777")).toEqual({ notModified: true, version: "777" });
    const download = proxy.requests.at(-1)!;
    expect(download.url.searchParams.get("alt")).toBe("media");
    expect(download.url.searchParams.get("ifGenerationNotMatch")).toBe("777");
    expect(counter.counts).toMatchObject({ gets: 1, bytes: 0 });

    // The emulator itself ignores the condition: the same generation is recognised anyway.
    expect(await counted.getIfChanged!("a/zarr.json", version)).toEqual({ notModified: true, version });
    expect(proxy.requests.at(-1)!.url.searchParams.get("ifGenerationNotMatch")).toBe(version);
    expect(counter.counts).toMatchObject({ gets: 2, bytes: 0 });
    // A version that is no generation cannot be current: a plain read.
    const plain = await counted.getIfChanged!("a/zarr.json", "etag-like");
    expect(plain && "data" in plain && plain.version).toBe(version);
    expect(proxy.requests.at(-1)!.url.searchParams.has("ifGenerationNotMatch")).toBe(false);
  });

  it("listTree takes each object's generation from the listing itself: one request", async () => {
    const proxy = await startProxy();
    cleanups.push(proxy.close);
    const store = storeVia(proxy.url);
    cleanups.push(() => store.deletePrefix(""));
    const a = await store.set("g/zarr.json", encode("{}"));
    const b = await store.set("g/h/zarr.json", encode("{}"));
    const before = proxy.requests.length;
    expect(await store.listTree("g", { names: ["zarr.json"] })).toEqual([
      { key: "g/h/zarr.json", version: b },
      { key: "g/zarr.json", version: a },
    ]);
    expect(proxy.requests.length - before).toBe(1);
    expect(proxy.requests.at(-1)!.url.searchParams.get("fields")).toBe("items(name,generation),nextPageToken");
  });

  it("retries a transient 503 and then succeeds, also after an unconditional write", async () => {
    // An unconditional upload is not retried (GCS's rule) and must not leave later reads without
    // retries, as the client library's shared retry switch once did (the set comes first).
    let failures = 0;
    const proxy = await startProxy((req) => {
      if (req.method === "GET" && req.url.pathname.endsWith("flaky.json") && failures < 1) {
        failures++;
        return { status: 503 };
      }
      return undefined;
    });
    cleanups.push(proxy.close);
    const store = storeVia(proxy.url, { retries: 3 });
    cleanups.push(() => store.deletePrefix(""));
    await store.set("flaky.json", encode("ok"));
    const entry = await store.get("flaky.json");
    expect(new TextDecoder().decode(entry!.data)).toBe("ok");
    expect(failures).toBe(1);
    const gets = proxy.requests.filter((r) => r.method === "GET" && r.url.pathname.endsWith("flaky.json"));
    expect(gets).toHaveLength(2);
  }, 30_000);

  it("listings and conditional writes retry as reads do; an unconditional write is not repeated", async () => {
    const failOnce = new Set(["LIST", "POST ifGenerationMatch", "POST"]);
    const proxy = await startProxy((req) => {
      const kind =
        req.method === "GET" && /\/o$/.test(req.url.pathname)
          ? "LIST"
          : req.method === "POST" && req.url.searchParams.has("ifGenerationMatch")
            ? "POST ifGenerationMatch"
            : req.method;
      if (!failOnce.delete(kind)) return undefined;
      return { status: 503 };
    });
    cleanups.push(proxy.close);
    const store = storeVia(proxy.url, { retries: 2 });
    cleanups.push(() => store.deletePrefix(""));
    const count = (method: string, test: (url: URL) => boolean) =>
      proxy.requests.filter((r) => r.method === method && test(r.url)).length;

    expect(listedNames(await store.list(""))).toEqual({ keys: [], prefixes: [] });
    expect(count("GET", (url) => /\/o$/.test(url.pathname))).toBe(2);

    expect(await store.set("a.json", encode("1"), { ifVersion: null })).toBeTypeOf("string");
    expect(count("POST", (url) => url.searchParams.has("ifGenerationMatch"))).toBe(2);

    await expect(store.set("b.json", encode("1"))).rejects.toBeInstanceOf(StoreUnavailableError);
    expect(count("POST", (url) => !url.searchParams.has("ifGenerationMatch"))).toBe(1);
    expect(failOnce.size).toBe(0);
  }, 30_000);

  it("gives up after bounded retries with StoreUnavailableError naming gs://bucket/prefix and nothing else", async () => {
    const proxy = await startProxy((req) => (req.url.pathname.endsWith("broken.json") ? { status: 500 } : undefined));
    cleanups.push(proxy.close);
    const store = storeVia(proxy.url, { retries: 1 });
    const started = Date.now();
    const error = await store.get("broken.json").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StoreUnavailableError);
    const message = (error as Error).message;
    expect(message).toContain(store.description);
    expect(message).toContain("HTTP 500");
    expect(message).not.toMatch(/\?|127\.0\.0\.1|http:|alt=|Bearer/);
    expect((error as Error).cause).toBeUndefined();
    expect(proxy.requests.filter((r) => r.url.pathname.endsWith("broken.json")).length).toBe(2);
    expect(Date.now() - started).toBeLessThan(15_000);
  }, 30_000);

  it("reports a server that is down as StoreUnavailableError", async () => {
    const proxy = await startProxy();
    await proxy.close();
    const store = storeVia(proxy.url, { retries: 0, timeoutMs: 2_000 });
    await expect(store.get("a/zarr.json")).rejects.toBeInstanceOf(StoreUnavailableError);
    await expect(store.list("")).rejects.toBeInstanceOf(StoreUnavailableError);
  });
});

describe("matchGlobFor", () => {
  it("matches the documents at any depth below the prefix, the prefix's own included", () => {
    expect(matchGlobFor("p/q/", ["zarr.json"])).toBe("p/q/**/zarr.json");
    expect(matchGlobFor("", ["zarr.json", ".zgroup"])).toBe("**/{zarr.json,.zgroup}");
    expect(matchGlobFor("a[1]/*/", [".zarray"])).toBe("a\\[1\\]/\\*/**/.zarray");
    expect(matchGlobFor("p/", ["a,b"])).toBeUndefined();
    expect(matchGlobFor("p/", [])).toBeUndefined();
  });
});
