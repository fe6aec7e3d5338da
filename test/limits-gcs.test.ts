// A GCS endpoint that accepts connections and never answers. Every store call, listings
// included, ends by its own deadline (the store's timeout, retries included) or at once when the
// caller's signal aborts; the request deadline is what ends the request waiting on them.
import net from "node:net";
import { afterAll, beforeAll, expect, test } from "vitest";
import { remoteStoreTimeouts } from "../src/server/limits/flags.js";
import { GcsStore } from "../src/stores/gcs.js";
import { StoreUnavailableError } from "../src/stores/store.js";
import { catalog, createApp, gql } from "./support/app.js";

let blackHole: net.Server;
let requests = 0;
const sockets = new Set<net.Socket>();
const savedHost = process.env.STORAGE_EMULATOR_HOST;

beforeAll(async () => {
  blackHole = net.createServer((socket) => {
    sockets.add(socket);
    socket.on("data", () => {
      requests++;
    });
    socket.on("error", () => undefined);
  });
  await new Promise<void>((resolve) => blackHole.listen(0, "127.0.0.1", resolve));
  // The client picks its endpoint (and no credentials) from this when a store is made.
  process.env.STORAGE_EMULATOR_HOST = `http://127.0.0.1:${(blackHole.address() as net.AddressInfo).port}`;
});

afterAll(async () => {
  if (savedHost === undefined) delete process.env.STORAGE_EMULATOR_HOST;
  else process.env.STORAGE_EMULATOR_HOST = savedHost;
  for (const socket of sockets) socket.destroy();
  await new Promise((resolve) => blackHole.close(resolve));
});

test("a listing that gets no answer ends by its call's deadline, or at once when its caller gives up", async () => {
  requests = 0;
  const store = new GcsStore({ bucket: "silent-bucket", timeoutMs: 1_000, retries: 3 });
  const started = performance.now();
  const error = await store.list("").catch((e: unknown) => e);
  expect(error).toBeInstanceOf(StoreUnavailableError);
  expect((error as Error).message).toMatch(/LIST "" failed: no answer within 1000 ms/);
  expect(performance.now() - started).toBeLessThan(5_000);
  // The deadline covers the call: no retry starts once it has passed.
  expect(requests).toBeLessThanOrEqual(1);

  const controller = new AbortController();
  const pending = new GcsStore({ bucket: "silent-bucket", timeoutMs: 60_000 }).listTree("", {
    names: ["zarr.json"],
    signal: controller.signal,
  });
  setTimeout(() => controller.abort(new Error("caller gave up")), 50);
  await expect(pending).rejects.toThrow("caller gave up");
});

test("the server's remote stores time out by the request deadline", () => {
  expect(remoteStoreTimeouts(2_000)).toEqual({ timeoutMs: 2_000 });
  expect(remoteStoreTimeouts(120_000)).toEqual({ timeoutMs: 30_000 });
  expect(remoteStoreTimeouts()).toEqual({ timeoutMs: 10_000 });
});

test("a request over that endpoint answers by its deadline, whatever the client is still doing", async () => {
  const store = new GcsStore({ bucket: "silent-bucket", ...remoteStoreTimeouts(60_000), retries: 3 });
  const app = createApp({ catalogs: [catalog("silent", store)], limits: { deadlineMs: 400 } });
  const started = performance.now();
  const result = await gql(
    app,
    `{ catalogs { name } catalog(name: "silent") { root { ... on ZarrGroup { members(maxDepth: null) { totalCount } } } } }`,
  );
  expect(performance.now() - started).toBeLessThan(5_000);
  expect(result.data.catalogs).toEqual([{ name: "silent" }]);
  expect(result.data.catalog.root).toBeNull();
  expect(result.errors![0].extensions).toMatchObject({ code: "LIMIT_EXCEEDED", limit: "deadline", max: 400 });
});
