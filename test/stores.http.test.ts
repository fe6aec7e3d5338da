// HttpStore against real node:http servers on loopback, serving the zarrita v2 fixture in place.
import { createHash } from "node:crypto";
import { promises as fs } from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import send from "send";
import { afterEach, describe, expect, it } from "vitest";
import { CountingStore } from "../src/stores/counting.js";
import { HttpStore } from "../src/stores/http.js";
import { IoCounter } from "../src/stores/io-counter.js";
import {
  InvalidKeyError,
  isNotModified,
  NotSupportedError,
  ReadOnlyStoreError,
  type Store,
  StoreUnavailableError,
} from "../src/stores/store.js";
import { INVALID_KEYS } from "./support/store-suite.js";

const PROJECT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const FIXTURE = path.resolve(PROJECT, "../shared/fixtures/zarrita/v2/data.zarr");

interface Seen {
  url: string;
  headers: http.IncomingHttpHeaders;
}

type Handler = (req: http.IncomingMessage, res: http.ServerResponse) => void | Promise<void>;

const servers: http.Server[] = [];

async function serve(handler: Handler): Promise<{ base: string; seen: Seen[] }> {
  const seen: Seen[] = [];
  const server = http.createServer((req, res) => {
    seen.push({ url: req.url ?? "", headers: req.headers });
    Promise.resolve(handler(req, res)).catch(() => res.destroy());
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { base: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, seen };
}

afterEach(async () => {
  for (const server of servers.splice(0)) {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
});

/** Serves FIXTURE under /data.zarr/, read in place; ETag is a content hash unless disabled. */
function fixtureHandler({ etag = true } = {}): Handler {
  return async (req, res) => {
    const url = new URL(req.url ?? "/", "http://x");
    const prefix = "/data.zarr/";
    if (!url.pathname.startsWith(prefix)) return void res.writeHead(404).end();
    const segments = url.pathname.slice(prefix.length).split("/").map(decodeURIComponent);
    const file = path.resolve(FIXTURE, ...segments);
    if (!file.startsWith(`${FIXTURE}${path.sep}`)) return void res.writeHead(403).end();
    let data: Buffer;
    let stat: import("node:fs").Stats;
    try {
      stat = await fs.stat(file);
      if (!stat.isFile()) return void res.writeHead(404).end();
      data = await fs.readFile(file);
    } catch {
      return void res.writeHead(404).end("not found");
    }
    const headers: Record<string, string> = { "content-type": "application/octet-stream" };
    if (etag) headers.etag = `"${createHash("sha1").update(data).digest("hex")}"`;
    else headers["last-modified"] = stat.mtime.toUTCString();
    res.writeHead(200, headers).end(data);
  };
}

/** A real static file server (`send`: ETag, Last-Modified, conditional GETs) over `root`; records each answer's status. */
async function serveStatic(root: string, options: send.SendOptions = {}) {
  const statuses: number[] = [];
  const served = await serve((req, res) => {
    // Recorded as the answer is sent, so it is there by the time the client has it.
    const end = res.end.bind(res) as (...args: unknown[]) => http.ServerResponse;
    res.end = ((...args: unknown[]) => {
      statuses.push(res.statusCode);
      return end(...args);
    }) as typeof res.end;
    send(req, new URL(req.url ?? "/", "http://x").pathname, { root, ...options }).pipe(res);
  });
  return { ...served, statuses };
}

describe("HttpStore conditional GETs", () => {
  const dirs: string[] = [];
  afterEach(async () => {
    for (const dir of dirs.splice(0)) await fs.rm(dir, { recursive: true, force: true });
  });

  async function tempDir(): Promise<string> {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), "zarr-graphql-http-"));
    dirs.push(dir);
    return dir;
  }

  it("If-None-Match with the ETag: a 304 without a body while unchanged, the new entry once changed", async () => {
    const dir = await tempDir();
    await fs.writeFile(path.join(dir, "zarr.json"), '{"v": 1}');
    const { base, seen, statuses } = await serveStatic(dir);
    const counter = new IoCounter();
    const store = new CountingStore(new HttpStore(base), counter);
    const first = (await store.get("zarr.json"))!;
    expect(seen[0].url).toBe("/zarr.json");
    expect(first.version).toMatch(/^W\/"/);

    expect(await store.getIfChanged!("zarr.json", first.version!)).toEqual({
      notModified: true,
      version: first.version,
    });
    expect(seen.at(-1)!.headers["if-none-match"]).toBe(first.version);
    expect(statuses.at(-1)).toBe(304);
    expect(counter.counts).toMatchObject({ gets: 2, bytes: 8 });

    await fs.writeFile(path.join(dir, "zarr.json"), '{"v": 22}');
    const changed = await store.getIfChanged!("zarr.json", first.version!);
    if (!changed || isNotModified(changed)) throw new Error("expected the changed entry");
    expect(new TextDecoder().decode(changed.data)).toBe('{"v": 22}');
    expect(changed.version).not.toBe(first.version);
    expect(changed.version).toBe((await store.get("zarr.json"))!.version);
    expect(statuses.slice(-2)).toEqual([200, 200]);
    expect(await store.getIfChanged!("gone.json", first.version!)).toBeUndefined();
  });

  it("If-Modified-Since with the Last-Modified date when the server sends no ETag", async () => {
    const dir = await tempDir();
    const file = path.join(dir, "zarr.json");
    await fs.writeFile(file, "{}");
    await fs.utimes(file, new Date("2024-01-01T00:00:00Z"), new Date("2024-01-01T00:00:00Z"));
    const { base, seen, statuses } = await serveStatic(dir, { etag: false });
    const store = new HttpStore(base);
    const first = (await store.get("zarr.json"))!;
    expect(first.version).toBe("Mon, 01 Jan 2024 00:00:00 GMT");

    expect(await store.getIfChanged("zarr.json", first.version!)).toEqual({
      notModified: true,
      version: first.version,
    });
    expect(seen.at(-1)!.headers["if-modified-since"]).toBe(first.version);
    expect(seen.at(-1)!.headers["if-none-match"]).toBeUndefined();
    expect(statuses.at(-1)).toBe(304);

    await fs.writeFile(file, '{"a": 1}');
    await fs.utimes(file, new Date("2024-01-02T00:00:00Z"), new Date("2024-01-02T00:00:00Z"));
    const changed = await store.getIfChanged("zarr.json", first.version!);
    if (!changed || isNotModified(changed)) throw new Error("expected the changed entry");
    expect(new TextDecoder().decode(changed.data)).toBe('{"a": 1}');
    expect(changed.version).toBe("Tue, 02 Jan 2024 00:00:00 GMT");
  });

  it("a server that ignores the condition but sends the same version counts as unchanged, its body unread", async () => {
    const { base } = await serve(fixtureHandler());
    const counter = new IoCounter();
    const store = new CountingStore(new HttpStore(`${base}/data.zarr`), counter);
    const version = (await store.get(".zmetadata"))!.version!;
    const bytes = counter.counts.bytes;
    expect(await store.getIfChanged!(".zmetadata", version)).toEqual({ notModified: true, version });
    expect(counter.counts.bytes).toBe(bytes);
    const other = await store.getIfChanged!(".zmetadata", '"something-else"');
    expect(other && !isNotModified(other) && other.version).toBe(version);
  });
});

describe("HttpStore", () => {
  it("gets objects with their ETag as version, percent-encoding each key segment", async () => {
    const { base, seen } = await serve(fixtureHandler());
    const store = new HttpStore(`${base}/data.zarr/`);
    const expected = await fs.readFile(path.join(FIXTURE, ".zgroup"));
    const entry = await store.get(".zgroup");
    expect(Buffer.from(entry!.data).equals(expected)).toBe(true);
    expect(entry!.version).toBe(`"${createHash("sha1").update(expected).digest("hex")}"`);

    const spaced = await store.get("my group with spaces/.zattrs");
    expect(JSON.parse(new TextDecoder().decode(spaced!.data))).toEqual(
      JSON.parse(await fs.readFile(path.join(FIXTURE, "my group with spaces", ".zattrs"), "utf8")),
    );
    expect(seen.map((s) => s.url)).toEqual(["/data.zarr/.zgroup", "/data.zarr/my%20group%20with%20spaces/.zattrs"]);

    const chunk = await store.get("1d.contiguous.i4/0");
    expect(chunk!.data.byteLength).toBe((await fs.stat(path.join(FIXTURE, "1d.contiguous.i4", "0"))).size);
  });

  it("falls back to Last-Modified as the version", async () => {
    const { base } = await serve(fixtureHandler({ etag: false }));
    const entry = await new HttpStore(`${base}/data.zarr`).get(".zmetadata");
    expect(entry!.version).toBe((await fs.stat(path.join(FIXTURE, ".zmetadata"))).mtime.toUTCString());
  });

  it("answers undefined for missing keys (404, and 403 as object stores send it)", async () => {
    const { base } = await serve(fixtureHandler());
    const store = new HttpStore(`${base}/data.zarr`);
    expect(await store.get("nope/zarr.json")).toBeUndefined();
    expect(await store.get("1d.contiguous.i4/zarr.json")).toBeUndefined();
    const forbidden = await serve((_req, res) => void res.writeHead(403).end("AccessDenied"));
    expect(await new HttpStore(forbidden.base).get(".zgroup")).toBeUndefined();
  });

  it("cannot list and is read-only", async () => {
    const { base, seen } = await serve(fixtureHandler());
    const store = new HttpStore(`${base}/data.zarr`);
    expect(store.capabilities).toEqual({ writable: false, listable: false, listTree: false });
    expect((store as Store).listTree).toBeUndefined();
    await expect(store.list("")).rejects.toBeInstanceOf(NotSupportedError);
    await expect(store.list("")).rejects.toThrow(/cannot list/);
    await expect(store.set("a/zarr.json", new Uint8Array(1))).rejects.toBeInstanceOf(ReadOnlyStoreError);
    await expect(store.delete(".zgroup")).rejects.toBeInstanceOf(ReadOnlyStoreError);
    await expect(store.deletePrefix("")).rejects.toBeInstanceOf(ReadOnlyStoreError);
    expect(seen).toHaveLength(0);
  });

  it("refuses invalid keys without sending a request", async () => {
    const { base, seen } = await serve(fixtureHandler());
    const store = new HttpStore(`${base}/data.zarr`);
    for (const key of INVALID_KEYS) {
      await expect(store.get(key), key).rejects.toBeInstanceOf(InvalidKeyError);
      await expect(store.list(key), key).rejects.toBeInstanceOf(InvalidKeyError);
      await expect(store.set(key, new Uint8Array(1)), key).rejects.toBeInstanceOf(InvalidKeyError);
    }
    await expect(store.get("%252e%252e/.zgroup")).rejects.toBeInstanceOf(InvalidKeyError);
    expect(seen).toHaveLength(0);
  });

  it("retries 5xx answers with backoff: 500 twice, then 200", async () => {
    let calls = 0;
    const fixture = fixtureHandler();
    const { base } = await serve((req, res) => {
      calls++;
      if (calls <= 2) return void res.writeHead(500).end("oops");
      return fixture(req, res);
    });
    const entry = await new HttpStore(`${base}/data.zarr`, { retries: 3 }).get(".zgroup");
    expect(JSON.parse(new TextDecoder().decode(entry!.data))).toEqual({ zarr_format: 2 });
    expect(calls).toBe(3);
  });

  it("gives up after the configured retries with StoreUnavailableError", async () => {
    let calls = 0;
    const { base } = await serve((_req, res) => {
      calls++;
      res.writeHead(503).end();
    });
    const error = await new HttpStore(`${base}/data.zarr`, { retries: 2 }).get(".zgroup").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StoreUnavailableError);
    expect((error as Error).message).toMatch(/HTTP 503/);
    expect(calls).toBe(3);
    // A 4xx other than 403/404/410 is not retried.
    let badCalls = 0;
    const bad = await serve((_req, res) => {
      badCalls++;
      res.writeHead(400).end();
    });
    await expect(new HttpStore(bad.base, { retries: 2 }).get("x")).rejects.toThrow(/HTTP 400/);
    expect(badCalls).toBe(1);
  });

  it("a server that never answers yields StoreUnavailableError within the timeout, naming the URL without secrets", async () => {
    const { base, seen } = await serve(() => {
      // never answers
    });
    const port = new URL(base).port;
    const store = new HttpStore(`http://reader:s3cr3t@127.0.0.1:${port}/data.zarr?token=abc123`, {
      timeoutMs: 400,
      retries: 5,
    });
    expect(store.description).toBe(`http://127.0.0.1:${port}/data.zarr`);
    const started = Date.now();
    const error = await store.get(".zgroup").catch((e: unknown) => e);
    const elapsed = Date.now() - started;
    expect(error).toBeInstanceOf(StoreUnavailableError);
    expect(elapsed).toBeGreaterThanOrEqual(350);
    expect(elapsed).toBeLessThan(2_000);
    const message = (error as Error).message;
    expect(message).toContain(`http://127.0.0.1:${port}/data.zarr`);
    expect(message).not.toMatch(/s3cr3t|reader|token|abc123|\?/);
    expect((error as Error).cause).toBeUndefined();
    // The request itself did carry the query string and the credentials (as Basic auth).
    expect(seen[0].url).toBe("/data.zarr/.zgroup?token=abc123");
    expect(seen[0].headers.authorization).toBe(`Basic ${Buffer.from("reader:s3cr3t").toString("base64")}`);
  });

  it("a refused connection is reported as StoreUnavailableError", async () => {
    const { base } = await serve(() => undefined);
    const port = new URL(base).port;
    for (const server of servers.splice(0)) {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
    const error = await new HttpStore(`http://127.0.0.1:${port}`, { retries: 1, timeoutMs: 5_000 })
      .get("a")
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StoreUnavailableError);
    expect((error as Error).message).toMatch(/ECONNREFUSED/);
  });

  it("a caller's abort wins over retries and is not a store failure", async () => {
    const { base } = await serve(() => undefined);
    const controller = new AbortController();
    const pending = new HttpStore(base, { timeoutMs: 10_000 }).get("a", { signal: controller.signal });
    setTimeout(() => controller.abort(new Error("caller gave up")), 50);
    await expect(pending).rejects.toThrow("caller gave up");
  });

  it("sends configured headers", async () => {
    const { base, seen } = await serve(fixtureHandler());
    await new HttpStore(`${base}/data.zarr`, { headers: { authorization: "Bearer t0ken" } }).get(".zgroup");
    expect(seen[0].headers.authorization).toBe("Bearer t0ken");
  });
});
