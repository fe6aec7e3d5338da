import { execFileSync } from "node:child_process";
import { promises as fs } from "node:fs";
import os from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { AbortableStore } from "../src/stores/abortable.js";
import { FaultStore } from "../src/stores/faults.js";
import { FileStore } from "../src/stores/file.js";
import { GcsStore } from "../src/stores/gcs.js";
import { HttpStore } from "../src/stores/http.js";
import { LatencyStore } from "../src/stores/latency.js";
import { MemoryStore } from "../src/stores/memory.js";
import { openStore, publicUrl } from "../src/stores/open.js";
import { InvalidKeyError, isNotModified, StoreUnavailableError } from "../src/stores/store.js";
import { listedNames, storeSuite, treeKeys } from "./support/store-suite.js";

async function tempDir(): Promise<string> {
  return fs.mkdtemp(path.join(os.tmpdir(), "zarr-graphql-stores-"));
}

storeSuite("MemoryStore", async () => ({ store: new MemoryStore() }));

storeSuite(
  "FileStore",
  async () => {
    const dir = await tempDir();
    return { store: new FileStore(dir, { racyMs: 30 }), cleanup: () => fs.rm(dir, { recursive: true, force: true }) };
  },
  { settleMs: 30 },
);

describe("FileStore specifics", () => {
  let dir: string;
  let root: string;
  let outside: string;

  beforeEach(async () => {
    dir = await tempDir();
    root = path.join(dir, "root");
    outside = path.join(dir, "outside");
    await fs.mkdir(path.join(root, "g"), { recursive: true });
    await fs.mkdir(path.join(outside, "nested"), { recursive: true });
    await fs.writeFile(path.join(outside, "secret.json"), '{"secret": true}');
    await fs.writeFile(path.join(outside, "nested", "zarr.json"), "{}");
    await fs.writeFile(path.join(root, "g", "zarr.json"), "{}");
  });

  afterEach(async () => {
    await fs.rm(dir, { recursive: true, force: true });
  });

  it("refuses symlinks that point outside the root: not read, not listed", async () => {
    await fs.symlink(path.join(outside, "secret.json"), path.join(root, "g", "leak.json"));
    await fs.symlink(path.join(outside, "nested"), path.join(root, "g", "escape"));
    // A link that stays inside the root is an ordinary entry.
    await fs.symlink(path.join(root, "g", "zarr.json"), path.join(root, "g", "alias.json"));
    const store = new FileStore(root);

    await expect(store.get("g/leak.json")).rejects.toBeInstanceOf(InvalidKeyError);
    await expect(store.get("g/escape/zarr.json")).rejects.toBeInstanceOf(InvalidKeyError);
    await expect(store.set("g/escape/new.json", new TextEncoder().encode("{}"))).rejects.toBeInstanceOf(
      InvalidKeyError,
    );
    await expect(fs.access(path.join(outside, "nested", "new.json"))).rejects.toThrow();

    // A name that does not exist beyond the link is refused the same: no probing outside.
    await expect(store.get("g/escape/missing.json")).rejects.toBeInstanceOf(InvalidKeyError);
    await expect(store.getIfChanged("g/leak.json", "1-1-1")).rejects.toBeInstanceOf(InvalidKeyError);
    expect(listedNames(await store.list("g"))).toEqual({ keys: ["alias.json", "zarr.json"], prefixes: [] });
    expect(await treeKeys(store, "", { names: ["zarr.json", "secret.json", "leak.json"] })).toEqual(["g/zarr.json"]);
    expect(new TextDecoder().decode((await store.get("g/alias.json"))!.data)).toBe("{}");
  });

  it("a real folder below a link out of the tree is outside too: a missing name there is refused, not absent", async () => {
    await fs.mkdir(path.join(outside, "nested", "deeper"), { recursive: true });
    await fs.symlink(path.join(outside, "nested"), path.join(root, "g", "escape"));
    // And a real folder below a link that stays inside is inside.
    await fs.mkdir(path.join(root, "h", "deeper"), { recursive: true });
    await fs.symlink(path.join(root, "h"), path.join(root, "g", "alias"));
    const store = new FileStore(root);

    await expect(store.get("g/escape/deeper/missing.json")).rejects.toBeInstanceOf(InvalidKeyError);
    expect(await store.get("g/alias/deeper/missing.json")).toBeUndefined();
    expect(await store.get("g/missing/deeper/missing.json")).toBeUndefined();
  });

  it("a folder checked once and then swapped for a link out of the tree is refused once its check has lapsed", async () => {
    await fs.mkdir(path.join(root, "g", "sub"));
    await fs.writeFile(path.join(root, "g", "sub", "zarr.json"), "{}");
    const store = new FileStore(root);
    expect(await store.get("g/sub/missing.json")).toBeUndefined();
    expect(await store.get("g/sub/zarr.json")).toBeDefined();

    await fs.rename(path.join(root, "g", "sub"), path.join(dir, "moved"));
    await fs.symlink(path.join(outside, "nested"), path.join(root, "g", "sub"));
    // A folder's check stands for a second (FOLDER_CHECK_MS); after that the link is seen.
    await new Promise((resolve) => setTimeout(resolve, 1_100));
    await expect(store.get("g/sub/missing.json")).rejects.toBeInstanceOf(InvalidKeyError);
    await expect(store.get("g/sub/zarr.json")).rejects.toBeInstanceOf(InvalidKeyError);
  });

  it("a change too recent for its timestamp to vouch for it is read again, even when the stamp did not move", async () => {
    // A coarse clock gives two changes within one tick the same mtime; utimes replays that here.
    const store = new FileStore(root);
    const folder = path.join(root, "g");
    const file = path.join(folder, "zarr.json");
    const recent = new Date(Date.now() - 100);
    await fs.utimes(folder, recent, recent);
    await fs.utimes(file, recent, recent);
    const listing = await store.list("g");
    const entry = (await store.get("g/zarr.json"))!;

    await fs.writeFile(path.join(folder, "new.json"), "{}");
    await fs.writeFile(file, "[]"); // in place: same inode, same size
    await fs.utimes(folder, recent, recent);
    await fs.utimes(file, recent, recent);

    const relisted = await store.listIfChanged("g", listing.version!);
    expect(isNotModified(relisted) ? relisted : listedNames(relisted)).toEqual({
      keys: ["new.json", "zarr.json"],
      prefixes: [],
    });
    const reread = await store.getIfChanged("g/zarr.json", entry.version!);
    expect(reread && !isNotModified(reread) && new TextDecoder().decode(reread.data)).toBe("[]");

    // Stamps older than the window do vouch: the same calls answer NotModified.
    const old = new Date(Date.now() - 3_600_000);
    await fs.utimes(folder, old, old);
    await fs.utimes(file, old, old);
    const settled = await store.list("g");
    expect(await store.listIfChanged("g", settled.version!)).toEqual({ notModified: true, version: settled.version });
    const version = (await store.get("g/zarr.json"))!.version!;
    expect(await store.getIfChanged("g/zarr.json", version)).toEqual({ notModified: true, version });
  });

  it("a FIFO in the tree is no object, and reading it does not wait for a writer", async () => {
    execFileSync("mkfifo", [path.join(root, "g", "pipe.json")]);
    const store = new FileStore(root);
    expect(await store.get("g/pipe.json")).toBeUndefined();
    expect(await store.get("g")).toBeUndefined();
  });

  it("listTree never enters a folder the descend predicate refuses", async () => {
    // An array folder with many chunk files, and a decoy document deep inside it.
    const array = path.join(root, "g", "arr");
    await fs.writeFile(path.join(root, "g", "arr.json"), "{}");
    await fs.mkdir(array, { recursive: true });
    await fs.writeFile(path.join(array, "zarr.json"), '{"node_type": "array"}');
    for (let i = 0; i < 20; i++) {
      const chunkDir = path.join(array, "c", String(i));
      await fs.mkdir(chunkDir, { recursive: true });
      await Promise.all(Array.from({ length: 100 }, (_, j) => fs.writeFile(path.join(chunkDir, String(j)), "x")));
    }
    await fs.writeFile(path.join(array, "c", "zarr.json"), "{}");
    await fs.mkdir(path.join(root, "g", "sub"), { recursive: true });
    await fs.writeFile(path.join(root, "g", "sub", "zarr.json"), "{}");

    const store = new FileStore(root);
    const asked: string[] = [];
    const found = await treeKeys(store, "", {
      names: ["zarr.json"],
      descend: (dir, objectNames) => {
        asked.push(dir);
        // Keep out of arrays: a folder whose zarr.json says node_type array. Here: the name.
        return !(dir.endsWith("arr") && objectNames.includes("zarr.json"));
      },
    });
    expect(found).toEqual(["g/arr/zarr.json", "g/sub/zarr.json", "g/zarr.json"]);
    expect(asked.sort()).toEqual(["", "g", "g/arr", "g/sub"]);
    expect(asked.some((dir) => dir.startsWith("g/arr/"))).toBe(false);

    // Without the predicate the same walk does go inside (so the assertion above can fail).
    expect(await treeKeys(store, "", { names: ["zarr.json"] })).toContain("g/arr/c/zarr.json");
  });
});

describe("wrappers forward conditional reads", () => {
  const bytes = (text: string) => new TextEncoder().encode(text);

  it("exactly where the store has them: HTTP has getIfChanged, not listIfChanged", () => {
    const http = new AbortableStore(new HttpStore("http://127.0.0.1:9/x"));
    expect(http.getIfChanged).toBeTypeOf("function");
    expect(http.listIfChanged).toBeUndefined();
    const memory = new LatencyStore(new AbortableStore(new MemoryStore()), 1);
    expect(memory.getIfChanged).toBeTypeOf("function");
    expect(memory.listIfChanged).toBeTypeOf("function");
  });

  it("give up on abort, wait their latency, and fail as the reads they stand for", async () => {
    const memory = new MemoryStore();
    const version = await memory.set("a/zarr.json", bytes("{}"));
    // A store whose conditional reads hang until their signal aborts.
    const hanging = new FaultStore(memory, { rate: 1, seed: 1, kinds: ["hang"], hangMs: 60_000 });
    const controller = new AbortController();
    const pending = new AbortableStore(hanging).getIfChanged!("a/zarr.json", version, { signal: controller.signal });
    controller.abort(new Error("deadline"));
    await expect(pending).rejects.toThrow("deadline");
    const listing = new AbortableStore(hanging).listIfChanged!("a", "v", {
      signal: AbortSignal.abort(new Error("gone")),
    });
    await expect(listing).rejects.toThrow("gone");

    const failing = new FaultStore(memory, { rate: 1, seed: 1, kinds: ["error"], operations: ["get", "list"] });
    await expect(failing.getIfChanged!("a/zarr.json", version)).rejects.toBeInstanceOf(StoreUnavailableError);
    await expect(failing.listIfChanged!("a", "v")).rejects.toBeInstanceOf(StoreUnavailableError);
    expect(failing.stats.faults.error).toBe(2);

    // The latency wrapper's delay is what an aborted signal interrupts: the call went through it.
    const slow = new LatencyStore(memory, 60_000);
    const late = slow.getIfChanged!("a/zarr.json", version, { signal: AbortSignal.abort(new Error("waited")) });
    await expect(late).rejects.toMatchObject({ name: "AbortError", cause: new Error("waited") });
    expect(await new LatencyStore(memory, 1).getIfChanged!("a/zarr.json", version)).toEqual({
      notModified: true,
      version,
    });
  });
});

describe("openStore / publicUrl", () => {
  it("picks the store from the URL", async () => {
    const dir = await tempDir();
    try {
      expect(openStore(dir)).toBeInstanceOf(FileStore);
      expect(openStore(pathToFileURL(dir).href)).toBeInstanceOf(FileStore);
      expect((openStore(pathToFileURL(dir).href) as FileStore).root).toBe(path.resolve(dir));
      expect(openStore("relative/data.zarr")).toBeInstanceOf(FileStore);
      expect(openStore("memory://")).toBeInstanceOf(MemoryStore);
      expect(openStore("https://example.org/data.zarr")).toBeInstanceOf(HttpStore);
      expect(openStore("http://127.0.0.1:9/data.zarr")).toBeInstanceOf(HttpStore);
      const gcs = openStore("gs://some-bucket/path/to/data.zarr/");
      expect(gcs).toBeInstanceOf(GcsStore);
      expect(gcs.description).toBe("gs://some-bucket/path/to/data.zarr");
      expect((gcs as GcsStore).root).toBe("path/to/data.zarr");
      expect(openStore("gs://some-bucket").description).toBe("gs://some-bucket");
    } finally {
      await fs.rm(dir, { recursive: true, force: true });
    }
  });

  it("refuses unknown schemes and malformed gs:// URLs clearly", () => {
    expect(() => openStore("s3://bucket/x")).toThrow(/unsupported store URL scheme "s3:"/);
    expect(() => openStore("ftp://host/x")).toThrow(/unsupported store URL scheme/);
    expect(() => openStore("gs://")).toThrow(/gs:\/\/bucket/);
    expect(() => openStore("gs://Bad_Bucket!/x")).toThrow(/bucket/);
  });

  it("publicUrl is the remote URL without credentials, null for local stores", () => {
    expect(publicUrl("gs://bucket/a/b/")).toBe("gs://bucket/a/b");
    expect(publicUrl("https://user:pw@example.org/data.zarr?token=abc#x")).toBe("https://example.org/data.zarr");
    expect(publicUrl("http://example.org/data.zarr/")).toBe("http://example.org/data.zarr");
    expect(publicUrl("/tmp/data.zarr")).toBeNull();
    expect(publicUrl("file:///tmp/data.zarr")).toBeNull();
    expect(publicUrl("memory://")).toBeNull();
  });
});
