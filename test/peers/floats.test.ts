// Floats stay floats, as a Python reader of the raw response sees them: hierarchies whose
// documents hold integral doubles JavaScript prints as integers (1.0000000200408773e+20 ->
// "100000002004087730000", which Python reads as another number), floats beyond 1e21, 1.0,
// -0.0 and int64 extremes, in attributes and fill values, written by zarr-python 2.13 (format 2)
// and as zarr-python 3 writes zarr.json (format 3). Python POSTs the query to the server on
// loopback, json.loads the body and compares every value with the documents it parses itself.
import { execFile, execFileSync } from "node:child_process";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { listen, type RunningServer } from "../../src/server/http.js";
import { createApp, fileCatalog } from "../support/app.js";
import { tempDir } from "../support/writes.js";

const PYTHON = "/usr/bin/python3";
const HERE = import.meta.dirname;

let work: { dir: string; remove: () => Promise<void> };
let server: RunningServer;

beforeAll(async () => {
  work = await tempDir("zarr-graphql-floats-");
  execFileSync(PYTHON, [path.join(HERE, "floats_make.py"), work.dir]);
  const app = createApp({
    catalogs: [fileCatalog("v2", path.join(work.dir, "v2")), fileCatalog("v3", path.join(work.dir, "v3"))],
  });
  server = await listen(app, 0, "127.0.0.1");
});

afterAll(async () => {
  await server?.close();
  await work?.remove();
});

/** The Python reader's report (run without blocking the event loop: the server is in this process). */
async function pythonReads(catalog: string, mode: "IGNORE" | "REQUIRE") {
  const { stdout } = await promisify(execFile)(PYTHON, [
    path.join(HERE, "floats_read.py"),
    server.url,
    catalog,
    path.join(work.dir, catalog),
    mode,
  ]);
  return JSON.parse(stdout) as { nodes: number; floats: number; mismatches: unknown[]; errors?: unknown };
}

describe.each(["v2", "v3"])("format %s", (catalog) => {
  test.each([
    ["IGNORE", "own documents"],
    ["REQUIRE", "consolidated copies below the root"],
  ] as const)("a Python reader gets the source's values (%s: %s answer)", async (mode, _answers) => {
    const report = await pythonReads(catalog, mode);
    expect(report.errors).toBeUndefined();
    expect(report.mismatches).toEqual([]);
    // Root, g and six arrays; attributes, metadata and fill values all compared.
    expect(report.nodes).toBe(8);
    expect(report.floats).toBeGreaterThan(35);
  });
});

test("the float that JavaScript would print as an integer is a float literal in the body, also when repeated from the response cache", async () => {
  const query = `{ catalog(name: "v3") { node(path: "g/between") { attribute(key: "scale") ... on ZarrArray { fillValue } } } }`;
  const post = async (headers: Record<string, string> = {}) => {
    const response = await fetch(server.url, {
      method: "POST",
      headers: { "content-type": "application/json", ...headers },
      body: JSON.stringify({ query }),
    });
    return response.text();
  };
  const expected =
    '{"data":{"catalog":{"node":{"attribute":1.0000000200408773e+20,"fillValue":1.0000000200408773e+20}}}}';
  expect(await post()).toBe(expected);
  // The repeat is the response cache's (its io extension says so), written afresh with extensions...
  const repeat = JSON.parse(await post({ "x-zarr-io": "1" }));
  expect(repeat.extensions.io.responseCache).toBe("hit");
  // ...and without them from the cache's kept text.
  expect(await post()).toBe(expected);
});
