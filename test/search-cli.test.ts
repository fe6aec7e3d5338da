// The shared index as it is deployed: `zarr-graphql index` builds it in PostgreSQL as a process of
// its own, and `serve --index postgres://...` replicas only query it.
import { execFile } from "node:child_process";
import path from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { EXAMPLE_DIR } from "../src/server/example.js";
import { post, serve } from "./support/cli.js";
import { freshDatabase } from "./support/postgres.js";

const BIN = path.resolve(import.meta.dirname, "../bin/zarr-graphql.js");
const run = promisify(execFile);

describe("zarr-graphql index and serve --index postgres://", () => {
  it("the indexer builds the shared index; a replica answers from it and builds nothing itself", async () => {
    const url = await freshDatabase();
    const indexed = await run(process.execPath, [BIN, "index", "--index", url]);
    expect(indexed.stdout).toMatch(/^indexed climate: 35 nodes \(35 new or changed, 0 removed\)/m);
    expect(indexed.stdout).toMatch(/^indexed legacy: 16 nodes \(16 new or changed, 0 removed\)/m);
    // A second pass re-indexes nothing: every version is unchanged.
    const again = await run(process.execPath, [BIN, "index", "--index", url]);
    expect(again.stdout).toMatch(/^indexed climate: 35 nodes \(0 new or changed, 0 removed\)/m);

    const climate = path.join(EXAMPLE_DIR, "climate.zarr");
    const server = serve([`climate=${climate}`, `copy=${climate}`, "--index", url, "--port", "0"]);
    const endpoint = await server.listening;
    const body = await post(
      endpoint,
      `{ search(filter: {attribute: {key: "units", eq: "K"}}) { totalCount nodes { catalog path } }
         catalogs { name indexedAt } }`,
    );
    expect(body.errors).toBeUndefined();
    expect(body.data.search.nodes).toEqual([
      { catalog: "climate", path: "atmosphere/surface/t2m" },
      { catalog: "climate", path: "atmosphere/temperature" },
      { catalog: "climate", path: "ocean/sst" },
    ]);
    // "copy" was never indexed, and the replica does not build it.
    const stamps = Object.fromEntries(body.data.catalogs.map((c: any) => [c.name, c.indexedAt]));
    expect(stamps.copy).toBeNull();
    expect(Date.parse(stamps.climate)).not.toBeNaN();
  });

  it("index without a shared index is a usage error", async () => {
    const failed = await run(process.execPath, [BIN, "index"]).catch((error) => error);
    expect(failed.code).toBe(2);
    expect(failed.stderr).toContain("give --index postgres://");
  });

  it("a bad --index is a usage error naming it", async () => {
    const server = serve(["--index", "mysql://u:secret@h/db", "--port", "0"]);
    expect(await server.exited).toBe(2);
    expect(server.stderr()).toContain('--index takes "embedded" or a postgres:// URL');
    expect(server.stderr()).not.toContain("secret");
  });
});
