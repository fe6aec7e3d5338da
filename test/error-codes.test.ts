// Every error has a code: one request per kind of failure, each answered with the status and
// the extensions.code the README documents ("Error codes").
import { createHash } from "node:crypto";
import { describe, expect, test } from "vitest";
import { MemoryStore } from "../src/stores/memory.js";
import { catalog, createApp } from "./support/app.js";

const GROUP = JSON.stringify({ zarr_format: 3, node_type: "group", attributes: {} });
const app = createApp({
  catalogs: [catalog("c", new MemoryStore("memory://c", { "zarr.json": GROUP }))],
  limits: { bodyBytes: 10_000, tokens: 200 },
});
const URL_ = "http://localhost/graphql";
const json = { "content-type": "application/json" };
const post = (body: unknown, headers: Record<string, string> = json): RequestInit => ({
  method: "POST",
  headers,
  body: typeof body === "string" ? body : JSON.stringify(body),
});
const apqHash = (text: string) => ({
  persistedQuery: { version: 1, sha256Hash: createHash("sha256").update(text).digest("hex") },
});

const cases: [string, string, RequestInit, number, string][] = [
  ["a syntax error", URL_, post({ query: "{ catalogs { name " }), 200, "GRAPHQL_PARSE_FAILED"],
  ["an unknown field", URL_, post({ query: "{ nope }" }), 200, "GRAPHQL_VALIDATION_FAILED"],
  [
    "a variable of the wrong type",
    URL_,
    post({ query: "query ($n: String!) { catalog(name: $n) { name } }", variables: { n: 5 } }),
    200,
    "BAD_USER_INPUT",
  ],
  [
    "a required variable left out",
    URL_,
    post({ query: "query ($n: String!) { catalog(name: $n) { name } }" }),
    200,
    "BAD_USER_INPUT",
  ],
  [
    "a SafeInt variable that is not an integer",
    URL_,
    post({
      query:
        'query ($s: [SafeInt!]!) { catalog(name: "c") { root { ... on ZarrGroup { members(first: $s) { totalCount } } } } }'.replace(
          "[SafeInt!]!",
          "Int!",
        ),
      variables: { s: 1.5 },
    }),
    200,
    "BAD_USER_INPUT",
  ],
  [
    "an operation name that is not in the document",
    URL_,
    post({ query: "query A { catalogs { name } }", operationName: "B" }),
    400,
    "OPERATION_RESOLUTION_FAILURE",
  ],
  ["a value the resolver refuses", URL_, post({ query: '{ catalog(name: "nope") { name } }' }), 200, "NOT_FOUND"],
  [
    "a persisted query the server does not know",
    `${URL_}?extensions=${encodeURIComponent(JSON.stringify(apqHash("{ catalogs { name } }")))}`,
    { method: "GET" },
    404,
    "PERSISTED_QUERY_NOT_FOUND",
  ],
  [
    "a persisted query whose hash is not its text's",
    URL_,
    post({ query: "{ catalogs { name } }", extensions: apqHash("{ other }") }),
    400,
    "PERSISTED_QUERY_MISMATCH",
  ],
  ["a body that is not JSON", URL_, post("{nope"), 400, "BAD_REQUEST"],
  ["no query at all", URL_, post({}), 200, "BAD_REQUEST"],
  ["a parameter GraphQL does not define", URL_, post({ query: "{ catalogs { name } }", foo: 1 }), 400, "BAD_REQUEST"],
  ["a method other than GET and POST", URL_, { method: "PUT", headers: json, body: "{}" }, 405, "BAD_REQUEST"],
  [
    "a mutation over GET",
    `${URL_}?query=${encodeURIComponent('mutation { deleteNode(input: {catalog: "c", path: "x"}) { deletedPath } }')}`,
    { method: "GET" },
    405,
    "BAD_REQUEST",
  ],
  [
    "a mutation on a read-only server",
    URL_,
    post({ query: 'mutation { deleteNode(input: {catalog: "c", path: "x"}) { deletedPath } }' }),
    200,
    "FORBIDDEN",
  ],
  [
    "a body type the server does not read",
    URL_,
    post("<q/>", { "content-type": "text/xml" }),
    415,
    "UNSUPPORTED_MEDIA_TYPE",
  ],
  [
    "an Accept header allowing no JSON",
    URL_,
    post({ query: "{ catalogs { name } }" }, { ...json, accept: "text/xml" }),
    406,
    "NOT_ACCEPTABLE",
  ],
  ["a path the server does not serve", "http://localhost/nope", { method: "GET" }, 404, "NOT_FOUND"],
  [
    "a body over the size limit",
    URL_,
    post({ query: `{ catalogs { name } } #${"x".repeat(20_000)}` }),
    413,
    "LIMIT_EXCEEDED",
  ],
  [
    "a document over the token limit",
    URL_,
    post({ query: `{ ${"catalogs { name } ".repeat(60)} }` }),
    200,
    "LIMIT_EXCEEDED",
  ],
];

describe("every error has a code", () => {
  test.each(cases)("%s", async (_name, url, init, status, code) => {
    const response = await app.fetch(url, init);
    expect(response.status).toBe(status);
    expect(response.headers.get("content-type")).toMatch(/^application\/(graphql-response\+)?json/);
    const body = (await response.json()) as { errors?: { message: string; extensions?: { code?: string } }[] };
    expect(body.errors?.length).toBeGreaterThan(0);
    for (const error of body.errors!) {
      expect(error.message.length).toBeGreaterThan(0);
      expect(error.extensions?.code).toBe(code);
    }
  });
});
