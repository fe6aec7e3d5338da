// Persisted queries and HTTP caching, over a real listener: Apollo's APQ protocol by hand and
// through Apollo Client (a miss, a registration, hash-only GETs with an ETag, a 304, a new ETag
// after the document changed), trusted documents, and Cache-Control.
import { createHash } from "node:crypto";
import { cpSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { ApolloClient, HttpLink, InMemoryCache } from "@apollo/client";
import { PersistedQueryLink } from "@apollo/client/link/persisted-queries";
import { parse } from "graphql";
import { createSchema, createYoga } from "graphql-yoga";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { EXAMPLE_DIR } from "../src/server/example.js";
import { listen, type RunningServer } from "../src/server/http.js";
import { automaticPersistedQueriesPlugin } from "../src/server/web/persisted.js";
import { CountingStore } from "../src/stores/counting.js";
import { FileStore } from "../src/stores/file.js";
import { IoCounter } from "../src/stores/io-counter.js";
import { catalog, createApp } from "./support/app.js";

const sha256 = (text: string) => createHash("sha256").update(text, "utf8").digest("hex");

const QUERY = `query Climate { catalog(name: "climate") { name root { attributes
  ... on ZarrGroup { members(maxDepth: null, first: 1000) { totalCount nodes { path } } } } } }`;

/** A writable copy of the bundled climate example (consolidated, format 3). */
function climateCopy(): { dir: string; rewriteRoot: (edit: (doc: any) => void) => void } {
  const dir = path.join(mkdtempSync(path.join(tmpdir(), "zarr-graphql-apq-")), "climate.zarr");
  cpSync(path.join(EXAMPLE_DIR, "climate.zarr"), dir, { recursive: true });
  const rewriteRoot = (edit: (doc: any) => void) => {
    const file = path.join(dir, "zarr.json");
    const doc = JSON.parse(readFileSync(file, "utf8"));
    edit(doc);
    // Written beside and renamed over, as zarr-python and this server write: a new file, a new version.
    writeFileSync(`${file}.new`, JSON.stringify(doc));
    renameSync(`${file}.new`, file);
  };
  return { dir, rewriteRoot };
}

const io = new IoCounter();
let copy: ReturnType<typeof climateCopy>;
let server: RunningServer;

beforeAll(async () => {
  copy = climateCopy();
  const store = new CountingStore(new FileStore(copy.dir), io);
  server = await listen(createApp({ catalogs: [catalog("climate", store)] }), 0, "127.0.0.1");
});

afterAll(async () => {
  await server?.close();
  rmSync(path.dirname(copy.dir), { recursive: true, force: true });
});

/** The store calls `run` made. */
async function storeCalls<T>(
  run: () => Promise<T>,
): Promise<{ result: T; gets: number; lists: number; waves: number }> {
  const before = { ...io.snapshot() };
  const result = await run();
  const after = io.snapshot();
  return {
    result,
    gets: after.gets - before.gets,
    lists: after.lists - before.lists,
    waves: after.waves - before.waves,
  };
}

function hashOnlyUrl(query: string, variables?: Record<string, unknown>): string {
  const url = new URL(server.url);
  url.searchParams.set("extensions", JSON.stringify({ persistedQuery: { version: 1, sha256Hash: sha256(query) } }));
  if (variables) url.searchParams.set("variables", JSON.stringify(variables));
  return url.href;
}

describe("automatic persisted queries, by hand", () => {
  test("a miss, a registration, then hash-only GETs that revalidate to 304", async () => {
    const query = `{ catalog(name: "climate") { root { path attributes } } }`;
    const miss = await fetch(hashOnlyUrl(query));
    expect(miss.status).toBe(404);
    expect((await miss.json()).errors).toEqual([
      { message: "PersistedQueryNotFound", extensions: { code: "PERSISTED_QUERY_NOT_FOUND" } },
    ]);

    // A wrong hash for the text is refused and registers nothing.
    const mismatch = await fetch(server.url, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ query, extensions: { persistedQuery: { version: 1, sha256Hash: sha256("other") } } }),
    });
    expect((await mismatch.json()).errors[0].extensions.code).toBe("PERSISTED_QUERY_MISMATCH");
    expect((await fetch(hashOnlyUrl(query))).status).toBe(404);

    const registered = await fetch(server.url, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ query, extensions: { persistedQuery: { version: 1, sha256Hash: sha256(query) } } }),
    });
    expect(registered.status).toBe(200);
    const data = (await registered.json()).data;

    const hit = await fetch(hashOnlyUrl(query));
    expect(hit.status).toBe(200);
    expect((await hit.json()).data).toEqual(data);
    const etag = hit.headers.get("etag")!;
    expect(etag).toMatch(/^"[A-Za-z0-9_-]{20,}"$/);
    expect(hit.headers.get("cache-control")).toBe("public, max-age=0");

    // Revalidation re-reads only the documents the answer rests on: one wave, no listing.
    const revalidated = await storeCalls(() => fetch(hashOnlyUrl(query), { headers: { "if-none-match": etag } }));
    expect(revalidated.result.status).toBe(304);
    expect(await revalidated.result.text()).toBe("");
    expect(revalidated.result.headers.get("etag")).toBe(etag);
    expect(revalidated).toMatchObject({ lists: 0, waves: 1 });
    expect(revalidated.gets).toBeGreaterThan(0);
    expect(revalidated.gets).toBeLessThanOrEqual(5);

    // The same tag for other variables, another query or another caller is no match.
    const other = `{ catalog(name: "climate") { root { path } } }`;
    await fetch(server.url, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ query: other, extensions: { persistedQuery: { version: 1, sha256Hash: sha256(other) } } }),
    });
    expect((await fetch(hashOnlyUrl(other), { headers: { "if-none-match": etag } })).status).toBe(200);
    const private_ = await fetch(hashOnlyUrl(query), {
      headers: { "if-none-match": etag, authorization: "Bearer someone-else-0123456789" },
    });
    expect(private_.status).toBe(200);
    expect(private_.headers.get("cache-control")).toBe("private, max-age=0");
    expect(private_.headers.get("etag")).not.toBe(etag);
    expect(private_.headers.get("vary")).toContain("Authorization");
  });

  test("answers resting on a listing or carrying errors get no ETag", async () => {
    const listing = `{ catalog(name: "climate", consolidated: IGNORE) { root { ... on ZarrGroup { members { totalCount } } } } }`;
    const listed = await fetch(`${server.url}?query=${encodeURIComponent(listing)}`);
    expect(listed.status).toBe(200);
    expect((await listed.json()).data.catalog.root.members.totalCount).toBeGreaterThan(0);
    expect(listed.headers.get("etag")).toBeNull();
    expect(listed.headers.get("cache-control")).toBe("public, max-age=0");

    const broken = await fetch(`${server.url}?query=${encodeURIComponent(`{ catalog(name: "nope") { name } }`)}`);
    expect((await broken.json()).errors[0].extensions.code).toBe("NOT_FOUND");
    expect(broken.headers.get("etag")).toBeNull();
    expect(broken.headers.get("cache-control")).toBe("no-store");
  });

  test("the store is bounded: the least recently used query is evicted and misses again", async () => {
    const yoga = createYoga({
      schema: createSchema({ typeDefs: "type Query { a: Int b: Int c: Int }", resolvers: {} }),
      plugins: [automaticPersistedQueriesPlugin({ maxQueries: 2 })],
      logging: false,
    });
    const register = (query: string) =>
      yoga.fetch("http://yoga/graphql", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ query, extensions: { persistedQuery: { version: 1, sha256Hash: sha256(query) } } }),
      });
    const byHash = async (query: string) => {
      const extensions = JSON.stringify({ persistedQuery: { version: 1, sha256Hash: sha256(query) } });
      return (await yoga.fetch(`http://yoga/graphql?extensions=${encodeURIComponent(extensions)}`)).status;
    };
    for (const q of ["{ a }", "{ b }", "{ c }"]) expect((await register(q)).status).toBe(200);
    expect(await byHash("{ a }")).toBe(404);
    expect(await byHash("{ b }")).toBe(200);
    expect(await byHash("{ c }")).toBe(200);
  });
});

/**
 * What a browser's HTTP cache does for a page: remembers each GET answer that has an ETag, asks
 * with If-None-Match next time, and hands the page the remembered body on 304. Every exchange
 * is recorded as the server saw it.
 */
function browserLikeFetch() {
  const remembered = new Map<string, { etag: string; body: string; headers: Headers }>();
  const exchanges: { method: string; status: number; ifNoneMatch: string | null; etag: string | null }[] = [];
  const fetchWithCache = async (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    const url = String(input instanceof Request ? input.url : input);
    const method = (init?.method ?? "GET").toUpperCase();
    const headers = new Headers(init?.headers);
    const known = method === "GET" ? remembered.get(url) : undefined;
    if (known) headers.set("if-none-match", known.etag);
    const response = await fetch(url, { ...init, headers });
    exchanges.push({
      method,
      status: response.status,
      ifNoneMatch: headers.get("if-none-match"),
      etag: response.headers.get("etag"),
    });
    if (response.status === 304 && known) return new Response(known.body, { status: 200, headers: known.headers });
    const etag = response.headers.get("etag");
    if (method !== "GET" || !etag) return response;
    const body = await response.text();
    remembered.set(url, { etag, body, headers: response.headers });
    return new Response(body, { status: response.status, headers: response.headers });
  };
  return { fetch: fetchWithCache, exchanges };
}

describe("Apollo Client with createPersistedQueryLink and useGETForHashedQueries", () => {
  test("miss, registration, hash-only GET with an ETag, 304, and a new ETag once the document changed", async () => {
    const http = browserLikeFetch();
    const client = new ApolloClient({
      cache: new InMemoryCache({
        possibleTypes: { ZarrNode: ["ZarrGroup", "ZarrArray"], Node: ["Catalog", "ZarrGroup", "ZarrArray"] },
      }),
      link: new PersistedQueryLink({ sha256, useGETForHashedQueries: true }).concat(
        new HttpLink({ uri: server.url, fetch: http.fetch }),
      ),
    });
    const ask = () => client.query<any>({ query: parse(QUERY), fetchPolicy: "network-only" });

    const first = await ask();
    expect(first.error).toBeUndefined();
    const count = first.data.catalog.root.members.totalCount;
    expect(count).toBeGreaterThan(20);
    expect(http.exchanges).toEqual([
      { method: "GET", status: 404, ifNoneMatch: null, etag: null },
      { method: "POST", status: 200, ifNoneMatch: null, etag: null },
    ]);

    await ask();
    const served = http.exchanges.at(-1)!;
    expect(served).toMatchObject({ method: "GET", status: 200, ifNoneMatch: null });
    expect(served.etag).toMatch(/^".+"$/);

    const again = await storeCalls(ask);
    expect(again.result.data).toEqual(first.data);
    expect(http.exchanges.at(-1)).toEqual({ method: "GET", status: 304, ifNoneMatch: served.etag, etag: served.etag });
    expect(again).toMatchObject({ lists: 0, waves: 1 });

    copy.rewriteRoot((doc) => {
      doc.attributes.title = "Revised";
    });
    const changed = await ask();
    const fresh = http.exchanges.at(-1)!;
    expect(fresh).toMatchObject({ method: "GET", status: 200, ifNoneMatch: served.etag });
    expect(fresh.etag).toMatch(/^".+"$/);
    expect(fresh.etag).not.toBe(served.etag);
    expect(changed.data.catalog.root.attributes.title).toBe("Revised");
    expect(changed.data.catalog.root.members.totalCount).toBe(count);

    await ask();
    expect(http.exchanges.at(-1)).toMatchObject({ status: 304, ifNoneMatch: fresh.etag, etag: fresh.etag });
  });
});

describe("trusted documents only", () => {
  const trusted = `query Names { catalogs { name } }`;
  const app = createApp({
    catalogs: [catalog("climate", new FileStore(path.join(EXAMPLE_DIR, "climate.zarr")))],
    trustedDocuments: new Map([[sha256(trusted), trusted]]),
  });
  const post = async (body: unknown) => {
    const response = await app.fetch("http://localhost/graphql", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(body),
    });
    return { status: response.status, body: (await response.json()) as any };
  };

  test("a listed document runs by its id, in either request form", async () => {
    const byDocumentId = await post({ documentId: `sha256:${sha256(trusted)}` });
    expect(byDocumentId).toEqual({ status: 200, body: { data: { catalogs: [{ name: "climate" }] } } });
    const byApolloHash = await post({ extensions: { persistedQuery: { version: 1, sha256Hash: sha256(trusted) } } });
    expect(byApolloHash.body.data).toEqual({ catalogs: [{ name: "climate" }] });
  });

  test("text, even of a listed document, and unknown ids are refused with their codes", async () => {
    const text = await post({ query: trusted });
    expect(text.status).toBe(400);
    expect(text.body.errors[0].extensions.code).toBe("PERSISTED_QUERY_ID_REQUIRED");
    const unknown = await post({ documentId: `sha256:${sha256("{ __typename }")}` });
    expect(unknown.status).toBe(400);
    expect(unknown.body.errors[0].extensions.code).toBe("PERSISTED_QUERY_NOT_IN_LIST");
    // Registration (automatic persisted queries) is off in this mode.
    const register = await post({
      query: "{ __typename }",
      extensions: { persistedQuery: { version: 1, sha256Hash: sha256("{ __typename }") } },
    });
    expect(register.body.errors[0].extensions.code).toBe("PERSISTED_QUERY_ID_REQUIRED");
  });
});

describe("Cache-Control", () => {
  test("max-age is configurable; POST answers carry none", async () => {
    const app = createApp({
      catalogs: [catalog("climate", new FileStore(path.join(EXAMPLE_DIR, "climate.zarr")))],
      cacheMaxAgeSeconds: 60,
    });
    const q = encodeURIComponent(`{ catalogs { name } }`);
    const get = await app.fetch(`http://localhost/graphql?query=${q}`);
    expect(get.headers.get("cache-control")).toBe("public, max-age=60");
    const post = await app.fetch("http://localhost/graphql", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ query: "{ catalogs { name } }" }),
    });
    expect(post.headers.get("cache-control")).toBeNull();
    expect(post.headers.get("etag")).toBeNull();
  });
});
