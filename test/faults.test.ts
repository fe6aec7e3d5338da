// A faulty store under a real server: with a fifth of store calls failing, timing out, hanging
// or answering garbage, every response is well-formed GraphQL with errors at the fields that
// could not be answered, none waits past the deadline, nothing of a store's own failure text
// reaches a client, and the server keeps serving.
import { Writable } from "node:stream";
import { encodeGlobalID } from "@pothos/plugin-relay";
import pLimit from "p-limit";
import pino from "pino";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { listen, type RunningServer } from "../src/server/http.js";
import { FaultStore, seededRandom } from "../src/stores/faults.js";
import { MemoryStore } from "../src/stores/memory.js";
import { StoreUnavailableError } from "../src/stores/store.js";
import { catalog, createApp } from "./support/app.js";
import { syntheticTree, withoutListTree } from "./support/synthetic.js";

describe("FaultStore", () => {
  const tree = syntheticTree({ fanout: 3, depth: 3, arraysPerGroup: 3, format: 3 });
  const keys = Object.keys(tree.files);

  async function outcomes(store: FaultStore, rounds: number): Promise<string[]> {
    const out: string[] = [];
    for (let r = 0; r < rounds; r++) {
      for (const key of keys) {
        try {
          const entry = await store.get(key);
          out.push(entry && new TextDecoder().decode(entry.data) === tree.files[key] ? "ok" : "garbage");
        } catch (error) {
          out.push(error instanceof StoreUnavailableError ? "unavailable" : "other");
        }
      }
    }
    return out;
  }

  test("the same seed fails the same calls; another seed, others", async () => {
    const make = (seed: number) =>
      new FaultStore(new MemoryStore("memory://f", tree.files), { rate: 0.3, seed, kinds: ["error", "garbage"] });
    const a = await outcomes(make(7), 3);
    expect(await outcomes(make(7), 3)).toEqual(a);
    expect(await outcomes(make(8), 3)).not.toEqual(a);
  });

  test("fails about the chosen share of calls, with each kind it was given", async () => {
    const store = new FaultStore(new MemoryStore("memory://f", tree.files), {
      rate: 0.2,
      seed: 3,
      kinds: ["error", "garbage", "timeout"],
      timeoutMs: 1,
    });
    const out = await outcomes(store, 10);
    const failed = out.filter((o) => o !== "ok").length / out.length;
    expect(out.length).toBeGreaterThan(2000);
    expect(failed).toBeGreaterThan(0.15);
    expect(failed).toBeLessThan(0.25);
    expect(out.filter((o) => o === "other")).toEqual([]);
    expect(store.stats.faults.error).toBeGreaterThan(0);
    expect(store.stats.faults.garbage).toBeGreaterThan(0);
    expect(store.stats.faults.timeout).toBeGreaterThan(0);
    expect(store.stats.calls).toBe(out.length);
  });

  test("a hang lasts until the call's signal aborts, and ends with the signal's reason", async () => {
    const store = new FaultStore(new MemoryStore("memory://f", tree.files), { rate: 1, seed: 1, kinds: ["hang"] });
    const controller = new AbortController();
    const reason = new Error("gave up");
    const pending = store.get("zarr.json", { signal: controller.signal });
    let settled = false;
    pending.catch(() => {}).finally(() => (settled = true));
    await new Promise((r) => setTimeout(r, 50));
    expect(settled).toBe(false);
    controller.abort(reason);
    await expect(pending).rejects.toBe(reason);
    expect(store.stats.cancelled).toBe(1);
  });

  test("garbage is not the document", async () => {
    const store = new FaultStore(new MemoryStore("memory://f", tree.files), { rate: 1, seed: 5, kinds: ["garbage"] });
    for (const key of keys.slice(0, 50)) {
      const entry = await store.get(key);
      expect(new TextDecoder().decode(entry!.data)).not.toBe(tree.files[key]);
    }
  });

  test("seededRandom is deterministic and spread over [0, 1)", () => {
    const a = seededRandom(42);
    const b = seededRandom(42);
    const values = Array.from({ length: 1000 }, () => a());
    expect(Array.from({ length: 1000 }, () => b())).toEqual(values);
    expect(Math.min(...values)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...values)).toBeLessThan(1);
    expect(values.filter((v) => v < 0.5).length).toBeGreaterThan(400);
  });
});

describe("a server over a store that fails a fifth of its calls", () => {
  const DEADLINE = 500;
  const tree3 = syntheticTree({ fanout: 3, depth: 3, arraysPerGroup: 3, format: 3 });
  const tree2 = syntheticTree({ fanout: 3, depth: 3, arraysPerGroup: 3, format: 2 });
  const faulty3 = new FaultStore(new MemoryStore("memory://v3", tree3.files), {
    rate: 0.2,
    seed: 20,
    kinds: ["error", "crash", "timeout", "hang", "garbage"],
    timeoutMs: 30,
  });
  // Without tree listings, so level-by-level listings fail too.
  const faulty2 = new FaultStore(withoutListTree(new MemoryStore("memory://v2", tree2.files)), {
    rate: 0.2,
    seed: 21,
    kinds: ["error", "crash", "timeout", "hang", "garbage"],
    timeoutMs: 30,
  });
  const logLines: Record<string, any>[] = [];
  const logStream = new Writable({
    write(chunk, _encoding, done) {
      for (const line of String(chunk).split("\n")) if (line) logLines.push(JSON.parse(line));
      done();
    },
  });
  let server: RunningServer;

  beforeAll(async () => {
    const app = createApp({
      catalogs: [
        catalog("v3", faulty3),
        catalog("v2", faulty2),
        catalog("healthy", new MemoryStore("memory://ok", tree3.files)),
      ],
      limits: { deadlineMs: DEADLINE },
      // Every request goes to the stores: no answer is repeated from the response cache.
      responseCacheEntries: 0,
      logger: pino({ level: "info" }, logStream),
    });
    server = await listen(app, 0, "127.0.0.1");
  });
  afterAll(() => server.close());

  const FIELDS = `__typename path attributes ... on ZarrArray { shape dataType fillValue codecs { name } }`;
  const queries = (name: string) => [
    `{ catalog(name: "${name}") { root { ... on ZarrGroup { members(maxDepth: null, first: 1000) { totalCount nodes { ${FIELDS} } } } } } }`,
    `{ catalog(name: "${name}") { root { path ... on ZarrGroup { members { nodes { ${FIELDS} ... on ZarrGroup { members { nodes { ${FIELDS} } } } } } } } } }`,
    `{ catalog(name: "${name}") { a: node(path: "g0/g1") { ${FIELDS} parent { path } } b: node(path: "g2/a1") { ${FIELDS} } } }`,
    `{ catalog(name: "${name}") { root { ... on ZarrGroup { nmembers(maxDepth: 1) tree info { members groups arrays } member(path: "g1/g0") { path } } } } }`,
    `{ nodes(ids: ["${encodeGlobalID("ZarrGroup", JSON.stringify([name, "g0"]))}", "${encodeGlobalID("ZarrArray", JSON.stringify([name, "g1/a0"]))}"]) { ... on ZarrNode { path attributes } } }`,
  ];

  const ALLOWED_CODES = new Set(["STORE_UNAVAILABLE", "INVALID_METADATA", "LIMIT_EXCEEDED", "NOT_FOUND"]);

  /** The value at `path` in `data`, or null as soon as a step on the way is null. */
  function at(data: any, path: (string | number)[]): unknown {
    let value = data;
    for (const step of path) {
      if (value === null) return null;
      value = value[step];
    }
    return value;
  }

  test("every answer is well-formed, with errors at fields, by the deadline; the server keeps serving", async () => {
    const limit = pLimit(8);
    const all = [...queries("v3"), ...queries("v2")];
    const runs = Array.from({ length: 60 }, (_, i) => all[i % all.length]);
    const answers = await Promise.all(
      runs.map((query) =>
        limit(async () => {
          const started = performance.now();
          const response = await fetch(server.url, {
            method: "POST",
            headers: { "content-type": "application/json" },
            body: JSON.stringify({ query }),
          });
          const text = await response.text();
          return {
            status: response.status,
            text,
            ms: performance.now() - started,
            requestId: response.headers.get("x-request-id"),
          };
        }),
      ),
    );
    let partial = 0;
    for (const { status, text, ms, requestId } of answers) {
      expect(status).toBe(200);
      expect(requestId).toMatch(/^[0-9a-f-]{36}$/);
      // Generous: hung reads are given up at the deadline, not waited for.
      expect(ms).toBeLessThan(DEADLINE + 4_000);
      const body = JSON.parse(text);
      expect(Object.keys(body).every((k) => ["data", "errors", "extensions"].includes(k))).toBe(true);
      expect(body.data).toBeTypeOf("object");
      expect(body.data, text).not.toBeNull();
      for (const error of body.errors ?? []) {
        expect(error.message).toBeTypeOf("string");
        expect(ALLOWED_CODES.has(error.extensions?.code), JSON.stringify(error)).toBe(true);
        // A field's error: located, and its field is null in the data.
        expect(Array.isArray(error.path)).toBe(true);
        expect(at(body.data, error.path)).toBeNull();
      }
      if (body.errors?.length && JSON.stringify(body.data).includes('"path"')) partial++;
      // Nothing of a store's own failure reaches the client.
      expect(text).not.toContain("sk_live_injected_secret");
      expect(text).not.toContain("/srv/secret-mount");
      expect(text).not.toMatch(/\n\s+at |\bat .+\.(ts|js):\d+/);
      expect(text).not.toContain(process.cwd());
    }
    // Faults of every kind were injected, and broke some fields but not whole answers.
    for (const store of [faulty3, faulty2]) {
      for (const kind of ["error", "crash", "timeout", "hang", "garbage"] as const) {
        expect(store.stats.faults[kind], kind).toBeGreaterThan(0);
      }
      expect(store.stats.cancelled).toBeGreaterThan(0);
    }
    expect(partial).toBeGreaterThan(5);

    // The crash's text is in the log, under the id of a request that met it.
    const crashLog = logLines.find((l) => JSON.stringify(l).includes("sk_live_injected_secret"));
    expect(crashLog).toBeDefined();
    expect(answers.map((a) => a.requestId)).toContain(crashLog!.requestId);

    // ... and the server still answers, completely, where the store is sound.
    const healthy = await fetch(server.url, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ query: queries("healthy")[0] }),
    }).then((r) => r.json());
    expect(healthy.errors).toBeUndefined();
    expect(healthy.data.catalog.root.members.totalCount).toBe(tree3.nodes.length);
  });
});
