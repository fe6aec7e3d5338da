import { promises as fs } from "node:fs";
import os from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { FileStore } from "../src/stores/file.js";
import { GcsStore } from "../src/stores/gcs.js";
import { HttpStore } from "../src/stores/http.js";
import { MemoryStore } from "../src/stores/memory.js";
import { openStore, publicUrl } from "../src/stores/open.js";
import { InvalidKeyError } from "../src/stores/store.js";
import { storeSuite } from "./support/store-suite.js";

async function tempDir(): Promise<string> {
  return fs.mkdtemp(path.join(os.tmpdir(), "zarr-graphql-stores-"));
}

storeSuite("MemoryStore", async () => ({ store: new MemoryStore() }));

storeSuite("FileStore", async () => {
  const dir = await tempDir();
  return { store: new FileStore(dir), cleanup: () => fs.rm(dir, { recursive: true, force: true }) };
});

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

    expect(await store.list("g")).toEqual({ keys: ["alias.json", "zarr.json"], prefixes: [] });
    expect(await store.listTree("", { names: ["zarr.json", "secret.json", "leak.json"] })).toEqual(["g/zarr.json"]);
    expect(new TextDecoder().decode((await store.get("g/alias.json"))!.data)).toBe("{}");
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
    const found = await store.listTree("", {
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
    expect(await store.listTree("", { names: ["zarr.json"] })).toContain("g/arr/c/zarr.json");
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
