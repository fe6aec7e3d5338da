// What a client sees when stores fail: a typed error at the field, never a stack trace, a path
// of the server's machine or a credential; the log keeps the detail under the request's id.
import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { Writable } from "node:stream";
import { encodeGlobalID } from "@pothos/plugin-relay";
import pino from "pino";
import { beforeAll, describe, expect, test } from "vitest";
import { SearchService } from "../src/search/service.js";
import { FaultStore } from "../src/stores/faults.js";
import { FileStore } from "../src/stores/file.js";
import { HttpStore } from "../src/stores/http.js";
import { MemoryStore } from "../src/stores/memory.js";
import { catalog, createApp } from "./support/app.js";

const group = JSON.stringify({ zarr_format: 3, node_type: "group", attributes: { ok: true } });

function captureLogs() {
  const lines: Record<string, any>[] = [];
  const stream = new Writable({
    write(chunk, _encoding, done) {
      for (const line of String(chunk).split("\n")) if (line) lines.push(JSON.parse(line));
      done();
    },
  });
  return { lines, logger: pino({ level: "info" }, stream) };
}

async function post(app: ReturnType<typeof createApp>, query: string, requestId?: string) {
  const response = await app.fetch("http://localhost/graphql", {
    method: "POST",
    headers: { "content-type": "application/json", ...(requestId ? { "x-request-id": requestId } : {}) },
    body: JSON.stringify({ query }),
  });
  const text = await response.text();
  return { text, body: JSON.parse(text), requestId: response.headers.get("x-request-id") };
}

/** No stack frames, no absolute paths under these roots, none of these secrets. */
function expectClean(text: string, roots: string[], secrets: string[]) {
  expect(text).not.toMatch(/\n\s+at |"stack"/);
  for (const root of roots) expect(text).not.toContain(root);
  for (const secret of secrets) expect(text).not.toContain(secret);
}

describe("store failures reach clients typed and bare", () => {
  test("a file store's failure names the store and the key, not the server's path; the log has the path", async () => {
    const root = mkdtempSync(path.join(tmpdir(), "zarr-masking-"));
    writeFileSync(path.join(root, "zarr.json"), group);
    mkdirSync(path.join(root, "fine"));
    writeFileSync(path.join(root, "fine", "zarr.json"), group);
    // A link to itself: resolving it fails with ELOOP, an error whose text holds the full path.
    symlinkSync(path.join(root, "loop"), path.join(root, "loop"));
    const { lines, logger } = captureLogs();
    const app = createApp({ catalogs: [catalog("f", new FileStore(root))], logger });
    const { text, body, requestId } = await post(
      app,
      `{ catalog(name: "f") { fine: node(path: "fine") { path } loop: node(path: "loop/x") { path } } }`,
      "client-chosen-id-1",
    );
    expect(requestId).toBe("client-chosen-id-1");
    expect(body.data.catalog).toEqual({ fine: { path: "fine" }, loop: null });
    expect(body.errors).toHaveLength(1);
    expect(body.errors[0]).toMatchObject({ path: ["catalog", "loop"], extensions: { code: "STORE_UNAVAILABLE" } });
    expect(body.errors[0].message).toContain("ELOOP");
    expectClean(text, [root, tmpdir(), process.cwd()], []);
    const logged = lines.find((l) => l.requestId === "client-chosen-id-1" && JSON.stringify(l).includes(root));
    expect(logged, JSON.stringify(lines)).toBeDefined();
  });

  test("an HTTP store's failure never shows the user, password or token of its URL", async () => {
    const server = http.createServer((req, res) => {
      req.resume();
      res.writeHead(req.url?.includes("zarr.json") ? 500 : 404, { "content-type": "text/plain" });
      res.end("internal detail: /var/lib/secret-service/state");
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    try {
      const { port } = server.address() as AddressInfo;
      const store = new HttpStore(`http://reader:pa55word-XYZ@127.0.0.1:${port}/data.zarr?token=tok-ABC123`, {
        retries: 0,
      });
      const { lines, logger } = captureLogs();
      const app = createApp({ catalogs: [catalog("h", store)], logger });
      const { text, body, requestId } = await post(app, `{ catalog(name: "h") { root { path } } }`);
      expect(body.data.catalog.root).toBeNull();
      expect(body.errors[0].extensions.code).toBe("STORE_UNAVAILABLE");
      expectClean(text, ["/var/lib/secret-service"], ["pa55word-XYZ", "tok-ABC123", "reader:"]);
      expect(lines.some((l) => l.requestId === requestId && l.code === "STORE_UNAVAILABLE")).toBe(true);
    } finally {
      server.close();
    }
  });

  test("a client library's own error (message with a path and a token) becomes STORE_UNAVAILABLE; the log keeps it", async () => {
    const inner = new MemoryStore("memory://c", { "zarr.json": group, "a/zarr.json": group });
    const crashing = new FaultStore(inner, { rate: 1, seed: 1, kinds: ["crash"] });
    const { lines, logger } = captureLogs();
    const app = createApp({ catalogs: [catalog("c", crashing)], logger });
    const { text, body, requestId } = await post(app, `{ catalogs { name } catalog(name: "c") { root { path } } }`);
    expect(body.data.catalogs).toEqual([{ name: "c" }]);
    expect(body.errors[0]).toMatchObject({
      path: ["catalog", "root"],
      extensions: { code: "STORE_UNAVAILABLE" },
    });
    expectClean(text, ["/srv/secret-mount"], ["sk_live_injected_secret", "ECONNRESET"]);
    const logged = lines.filter((l) => l.requestId === requestId);
    expect(JSON.stringify(logged)).toContain("sk_live_injected_secret");
  });
});

describe("one unreadable id in nodes(ids:) leaves the others' answers", () => {
  let app: ReturnType<typeof createApp>;
  beforeAll(() => {
    const good = new MemoryStore("memory://g", { "zarr.json": group, "a/zarr.json": group });
    const bad = new FaultStore(new MemoryStore("memory://b", { "zarr.json": group }), {
      rate: 1,
      seed: 1,
      kinds: ["error"],
    });
    app = createApp({ catalogs: [catalog("good", good), catalog("bad", bad)] });
  });

  test("errors sit at the ids that failed, data at the rest", async () => {
    const ids = [
      encodeGlobalID("ZarrGroup", JSON.stringify(["good", "a"])),
      encodeGlobalID("ZarrGroup", JSON.stringify(["bad", ""])),
      encodeGlobalID("ZarrGroup", JSON.stringify(["good", "missing"])),
      encodeGlobalID("ZarrGroup", "not a catalog and path"),
    ];
    const { body } = await post(app, `{ nodes(ids: ${JSON.stringify(ids)}) { ... on ZarrNode { path attributes } } }`);
    expect(body.data.nodes[0]).toEqual({ path: "a", attributes: { ok: true } });
    expect(body.data.nodes.slice(1)).toEqual([null, null, null]);
    const byIndex = Object.fromEntries(body.errors.map((e: any) => [e.path.join("."), e.extensions.code]));
    // An absent node is null without an error, as Relay's node(id:) is.
    expect(byIndex).toEqual({ "nodes.1": "STORE_UNAVAILABLE", "nodes.3": "BAD_USER_INPUT" });
  });

  test("an id that is not a global id at all is the caller's mistake: BAD_USER_INPUT, not a server error", async () => {
    const { body } = await post(app, `{ node(id: "bm90IGEgZ2xvYmFs") { id } }`);
    expect(body.data.node).toBeNull();
    expect(body.errors).toEqual([expect.objectContaining({ path: ["node"], extensions: { code: "BAD_USER_INPUT" } })]);
    // Each malformed id is refused in its own slot.
    const list = await post(app, `{ nodes(ids: ["%%%", "not a global id"]) { id } }`);
    expect(list.body.data).toEqual({ nodes: [null, null] });
    expect(list.body.errors.map((e: any) => [e.path.join("."), e.extensions.code])).toEqual([
      ["nodes.0", "BAD_USER_INPUT"],
      ["nodes.1", "BAD_USER_INPUT"],
    ]);
  });
});

describe("an unexpected failure", () => {
  /** A search service with a bug: its answer to indexedAt throws an error of no model type. */
  class BrokenSearch extends SearchService {
    override async indexedAt(): Promise<Date | null> {
      throw new TypeError("cannot read /srv/secret-mount/index.db: undefined is not a function");
    }
  }

  test("answers INTERNAL_SERVER_ERROR naming the request, and the log keeps the detail under that id; the other fields keep their data", async () => {
    const { lines, logger } = captureLogs();
    const store = new MemoryStore("memory://c", { "zarr.json": group });
    const app = createApp({ catalogs: [catalog("c", store)], logger, search: new BrokenSearch() });
    const query = `{ catalog(name: "c") { name indexedAt root { path } } }`;
    // At once: each error must name its own request.
    const ids = ["unexpected-1", "unexpected-2", "unexpected-3"];
    const answers = await Promise.all(ids.map((id) => post(app, query, id)));
    for (const [i, id] of ids.entries()) {
      const { text, body, requestId } = answers[i];
      expect(requestId).toBe(id);
      expect(body.data.catalog).toEqual({ name: "c", indexedAt: null, root: { path: "" } });
      expect(body.errors).toEqual([
        expect.objectContaining({
          path: ["catalog", "indexedAt"],
          extensions: { code: "INTERNAL_SERVER_ERROR", requestId: id },
        }),
      ]);
      expectClean(text, ["/srv/secret-mount"], ["undefined is not a function"]);
      const logged = lines.filter((l) => l.requestId === id && l.level === 50);
      expect(logged).toHaveLength(1);
      expect(JSON.stringify(logged[0])).toContain("/srv/secret-mount/index.db");
    }
  });
});
