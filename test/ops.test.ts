import { Writable } from "node:stream";
import pino from "pino";
import { afterEach, describe, expect, test } from "vitest";
import type { Catalog } from "../src/hierarchy/catalog.js";
import { listen, type RunningServer } from "../src/server/http.js";
import { Metrics } from "../src/server/metrics.js";
import { drain } from "../src/server/shutdown.js";
import { LatencyStore } from "../src/stores/latency.js";
import { MemoryStore } from "../src/stores/memory.js";
import type { Store } from "../src/stores/store.js";
import { catalog, createApp } from "./support/app.js";

const group = (attributes: Record<string, unknown> = {}) =>
  JSON.stringify({ zarr_format: 3, node_type: "group", attributes });

const good = () => catalog("good", new MemoryStore("memory://good", { "zarr.json": group(), "a/zarr.json": group() }));

/** A store whose every call fails, as an unreachable bucket's would. */
function failing(): Store {
  const refuse = () => Promise.reject(new Error("connect ECONNREFUSED 127.0.0.1:9"));
  return {
    description: "memory://failing",
    capabilities: { writable: false, listable: true, listTree: false },
    get: refuse,
    list: refuse,
    set: refuse,
    delete: refuse,
    deletePrefix: refuse,
  };
}

/** A store that never answers and ignores cancellation. */
function hanging(): Store {
  const never = () => new Promise<never>(() => {});
  return { ...failing(), get: never, list: never };
}

const servers: RunningServer[] = [];
afterEach(async () => {
  for (const s of servers.splice(0)) {
    s.server.closeAllConnections();
    await s.close();
  }
});

async function serve(catalogs: Catalog[], extra: Parameters<typeof createApp>[0] = { catalogs }) {
  const running = await listen(createApp({ ...extra, catalogs }), 0, "127.0.0.1");
  servers.push(running);
  return { ...running, base: running.url.replace(/\/graphql$/, "") };
}

async function graphql(url: string, query: string, headers: Record<string, string> = {}) {
  const response = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: JSON.stringify({ query }),
  });
  return { response, body: (await response.json()) as any };
}

describe("health and readiness", () => {
  test("/health is 200 while the process serves", async () => {
    const { base } = await serve([catalog("broken", failing())]);
    expect((await fetch(`${base}/health`)).status).toBe(200);
  });

  test("/ready is 200 when every catalog's root can be read", async () => {
    const { base } = await serve([good(), catalog("other", new MemoryStore("memory://o", { "zarr.json": group() }))]);
    const response = await fetch(`${base}/ready`);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toMatch(/^application\/json/);
    expect(await response.json()).toEqual({ status: "ready", catalogs: 2 });
  });

  test("/ready is 503 naming each catalog that failed and why", async () => {
    const empty = catalog("empty", new MemoryStore("memory://empty", {}));
    const { base } = await serve([good(), catalog("broken", failing()), empty]);
    const response = await fetch(`${base}/ready`);
    expect(response.status).toBe(503);
    const body = await response.json();
    expect(body.status).toBe("unavailable");
    expect(Object.keys(body.failed).sort()).toEqual(["broken", "empty"]);
    expect(body.failed.empty).toBe("no Zarr group or array at the root");
    expect(body.failed.broken).toMatch(/store call failed|ECONNREFUSED/);
  });

  test("/ready answers within its timeout when a store never does", async () => {
    const { base } = await serve([good(), catalog("stuck", hanging())], {
      catalogs: [],
      operations: { readyTimeoutMs: 200 },
    });
    const started = performance.now();
    const response = await fetch(`${base}/ready`);
    const elapsed = performance.now() - started;
    expect(response.status).toBe(503);
    expect(await response.json()).toEqual({ status: "unavailable", failed: { stuck: "no answer within 200 ms" } });
    expect(elapsed).toBeGreaterThanOrEqual(190);
    expect(elapsed).toBeLessThan(1500);
  });

  test("/ready is 503 once shutdown has begun", async () => {
    let draining = false;
    const { base } = await serve([good()], { catalogs: [], operations: { draining: () => draining } });
    expect((await fetch(`${base}/ready`)).status).toBe(200);
    draining = true;
    const response = await fetch(`${base}/ready`);
    expect(response.status).toBe(503);
    expect(await response.json()).toEqual({ status: "shutting down" });
  });
});

describe("metrics", () => {
  test("/metrics counts requests, errors by code, store calls by catalog and kind, and latency", async () => {
    const metrics = new Metrics();
    const { url, base } = await serve([good()], { catalogs: [], operations: { metrics } });
    const io = { "x-zarr-io": "1" };
    const ok = await graphql(
      url,
      `{ catalog(name: "good") { root { ... on ZarrGroup { members { totalCount } } } } }`,
      io,
    );
    const missing = await graphql(url, `{ catalog(name: "good") { node(path: "nope") { path } } }`, io);
    const invalid = await graphql(url, `{ nonesuch }`);
    expect(ok.body.data.catalog.root.members.totalCount).toBe(1);
    expect(missing.body.errors[0].extensions.code).toBe("NOT_FOUND");
    expect(invalid.body.errors[0].extensions.code).toBe("GRAPHQL_VALIDATION_FAILED");

    const response = await fetch(`${base}/metrics`);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toMatch(/^text\/plain; version=0\.0\.4/);
    const text = await response.text();
    const value = (series: string) => {
      const line = text.split("\n").find((l) => l.startsWith(`${series} `));
      return line === undefined ? undefined : Number(line.slice(series.length + 1));
    };
    expect(value('zarr_graphql_requests_total{operation="query",status="200"}')).toBe(2);
    // Refused before execution: no operation ran.
    expect(value('zarr_graphql_requests_total{operation="unknown",status="200"}')).toBe(1);
    expect(value('zarr_graphql_errors_total{code="NOT_FOUND"}')).toBe(1);
    expect(value('zarr_graphql_errors_total{code="GRAPHQL_VALIDATION_FAILED"}')).toBe(1);
    expect(value('zarr_graphql_request_duration_seconds_count{operation="query"}')).toBe(2);
    expect(value('zarr_graphql_request_duration_seconds_bucket{le="+Inf",operation="query"}')).toBe(2);
    // The same calls the requests reported in extensions.io, now per catalog and kind.
    const gets = ok.body.extensions.io.gets + missing.body.extensions.io.gets;
    const lists = ok.body.extensions.io.lists + missing.body.extensions.io.lists;
    expect(gets).toBeGreaterThan(0);
    expect(value('zarr_graphql_store_calls_total{catalog="good",kind="get"}')).toBe(gets);
    expect(value('zarr_graphql_store_calls_total{catalog="good",kind="list"}')).toBe(lists);
    expect(value('zarr_graphql_store_read_bytes_total{catalog="good"}')).toBe(
      ok.body.extensions.io.bytes + missing.body.extensions.io.bytes,
    );
    // Operations endpoints are not GraphQL requests.
    await fetch(`${base}/health`);
    const again = await (await fetch(`${base}/metrics`)).text();
    expect(again).toContain('zarr_graphql_requests_total{operation="query",status="200"} 2\n');
  });
});

describe("request ids and logs", () => {
  function captured() {
    const lines: any[] = [];
    const stream = new Writable({
      write(chunk, _encoding, done) {
        for (const line of String(chunk).split("\n").filter(Boolean)) lines.push(JSON.parse(line));
        done();
      },
    });
    return { lines, logger: pino({ level: "info" }, stream) };
  }

  test("a client's x-request-id is echoed and names the request's log line", async () => {
    const { lines, logger } = captured();
    const { url } = await serve([good()], { catalogs: [], logger });
    const { response } = await graphql(url, `query Named { catalogs { name } }`, { "x-request-id": "trace-42.a" });
    expect(response.headers.get("x-request-id")).toBe("trace-42.a");
    const line = lines.find((l) => l.msg === "graphql request");
    expect(line).toMatchObject({
      requestId: "trace-42.a",
      operation: "query",
      operationName: "Named",
      status: 200,
      io: { gets: 0, lists: 0, writes: 0 },
    });
    expect(typeof line.ms).toBe("number");
  });

  test("without one, each request gets a fresh id, in the header and the log alike", async () => {
    const { lines, logger } = captured();
    const { url } = await serve([good()], { catalogs: [], logger });
    const first = (await graphql(url, `{ catalog(name: "nope") { name } }`)).response.headers.get("x-request-id");
    const second = (await graphql(url, `{ catalogs { name } }`)).response.headers.get("x-request-id");
    expect(first).toMatch(/^[0-9a-f-]{36}$/);
    expect(second).toMatch(/^[0-9a-f-]{36}$/);
    expect(first).not.toBe(second);
    const logged = lines.filter((l) => l.msg === "graphql request");
    expect(logged.map((l) => l.requestId)).toEqual([first, second]);
    expect(logged[0].errors).toEqual(["NOT_FOUND"]);
  });
});

describe("graceful shutdown", () => {
  const slow = (ms: number) =>
    catalog("slow", new LatencyStore(new MemoryStore("memory://slow", { "zarr.json": group({ v: 1 }) }), ms));

  test("requests in flight finish; new connections are refused; nothing is cut off", async () => {
    const running = await serve([slow(300)]);
    const inFlight = graphql(running.url, `{ catalog(name: "slow") { root { attributes } } }`);
    await new Promise((resolve) => setTimeout(resolve, 50));
    const drained = drain(running.server, 5_000);
    await new Promise((resolve) => setTimeout(resolve, 20));
    await expect(fetch(`${running.base}/health`)).rejects.toThrow();
    const { response, body } = await inFlight;
    expect(response.status).toBe(200);
    expect(body.data.catalog.root.attributes).toEqual({ v: 1 });
    expect(await drained).toEqual({ forced: false });
    expect(running.server.listening).toBe(false);
  });

  test("a request that outlives the timeout is cut off and the drain ends on time", async () => {
    const running = await serve([catalog("stuck", hanging())]);
    const inFlight = graphql(running.url, `{ catalog(name: "stuck") { root { path } } }`).then(
      () => "answered",
      () => "cut off",
    );
    await new Promise((resolve) => setTimeout(resolve, 50));
    const started = performance.now();
    expect(await drain(running.server, 200)).toEqual({ forced: true });
    expect(performance.now() - started).toBeLessThan(1000);
    expect(await inFlight).toBe("cut off");
  });
});
