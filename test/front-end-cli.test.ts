// The front-end settings from the command line and the config file, on the real CLI.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, test } from "vitest";
import { EXAMPLE_DIR } from "../src/server/example.js";
import { serve } from "./support/cli.js";

const ROOT = path.resolve(import.meta.dirname, "..");
const dir = mkdtempSync(path.join(tmpdir(), "zarr-graphql-front-cli-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const preflight = (url: string, origin: string) =>
  fetch(url, { method: "OPTIONS", headers: { origin, "access-control-request-method": "POST" } });

describe("command line", () => {
  test("--cors, --cache-max-age and --trusted-documents", { timeout: 60_000 }, async () => {
    const cli = serve([
      "--port",
      "0",
      "--cors",
      "https://app.example.org",
      "--cache-max-age",
      "30",
      "--trusted-documents",
      path.join(ROOT, "examples", "persisted-documents.json"),
    ]);
    const url = await cli.listening;
    expect((await preflight(url, "https://app.example.org")).headers.get("access-control-allow-origin")).toBe(
      "https://app.example.org",
    );
    expect((await preflight(url, "https://other.example")).headers.get("access-control-allow-origin")).toBeNull();
    // Only the listed documents run, by id; a GET answer carries the configured max-age.
    const documents = (
      await import(path.join(ROOT, "examples", "persisted-documents.json"), { with: { type: "json" } })
    ).default as Record<string, string>;
    const [id] = Object.entries(documents).find(([, text]) => text.startsWith("query DeepFetchQuery("))!;
    const params = new URLSearchParams({
      documentId: `sha256:${id}`,
      variables: JSON.stringify({ catalog: "legacy", path: "", maxDepth: null }),
    });
    const answer = await fetch(`${url}?${params}`);
    expect(answer.status).toBe(200);
    expect(answer.headers.get("cache-control")).toBe("public, max-age=30");
    expect(((await answer.json()) as any).data.catalog.node.arrays.totalCount).toBeGreaterThan(3);
    const text = await fetch(`${url}?query=${encodeURIComponent("{ catalogs { name } }")}`);
    expect(((await text.json()) as any).errors[0].extensions.code).toBe("PERSISTED_QUERY_ID_REQUIRED");
  });

  test("cors and cacheMaxAge from the config file; --cors off wins over it", { timeout: 60_000 }, async () => {
    const config = path.join(dir, "server.yaml");
    writeFileSync(
      config,
      `cors: ["https://app.example.org"]\ncacheMaxAge: 5\ncatalogs:\n  legacy:\n    url: ${path.join(EXAMPLE_DIR, "legacy.zarr")}\n`,
    );
    const fromFile = serve(["--port", "0", "--config", config]);
    const url = await fromFile.listening;
    expect((await preflight(url, "https://app.example.org")).headers.get("access-control-allow-origin")).toBe(
      "https://app.example.org",
    );
    const get = await fetch(`${url}?query=${encodeURIComponent("{ catalogs { name } }")}`);
    expect(get.headers.get("cache-control")).toBe("public, max-age=5");
    const off = serve(["--port", "0", "--config", config, "--cors", "off"]);
    const offUrl = await off.listening;
    expect((await preflight(offUrl, "https://app.example.org")).status).toBe(405);
  });

  test("a --cors value that is not an origin is a usage error", { timeout: 60_000 }, async () => {
    const cli = serve(["--port", "0", "--cors", "app.example.org"]);
    expect(await cli.exited).toBe(2);
    expect(cli.stderr()).toContain(
      '--cors takes *, off or origins such as https://app.example.org, got "app.example.org"',
    );
  });
});
