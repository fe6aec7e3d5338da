// The command line with --config: configuration errors exit 2 naming the field; a configured
// server serves the file's catalogs next to positional ones, with the command line winning,
// answers /ready and /metrics, and drains and exits 0 on SIGTERM.
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, test } from "vitest";
import { EXAMPLE_DIR } from "../src/server/example.js";
import { post, serve } from "./support/cli.js";

const start = (args: string[], env: Record<string, string> = {}) => serve(args, { LOG_LEVEL: "info", ...env });

const dir = mkdtempSync(path.join(tmpdir(), "zarr-graphql-cli-"));
function configFile(name: string, text: string): string {
  const file = path.join(dir, name);
  writeFileSync(file, text);
  return file;
}

describe("zarr-graphql serve --config", () => {
  test("an invalid file stops it with exit code 2 and every bad field named", async () => {
    const file = configFile(
      "bad.yaml",
      "prot: 4000\ncatalogs:\n  climate:\n    url: ./climate.zarr\n    consolidated: sometimes\n",
    );
    const server = start(["--config", file, "--port", "0"]);
    expect(await server.exited).toBe(2);
    expect(server.stderr()).toContain(`zarr-graphql: invalid configuration in ${file}:`);
    expect(server.stderr()).toContain(
      'catalogs.climate.consolidated: expected one of use, require, ignore, got "sometimes"',
    );
    expect(server.stderr()).toContain("prot: unknown field");
  });

  test("serves the file's catalogs and positional ones, honours read access, drains on SIGTERM", async () => {
    const file = configFile(
      "good.yaml",
      [
        // The command line's --port 0 must win over this (port 1 cannot be bound).
        "port: 1",
        "shutdownTimeoutMs: 5000",
        "catalogs:",
        "  climate:",
        `    url: ${path.relative(dir, path.join(EXAMPLE_DIR, "climate.zarr"))}`,
        "    description: from the file",
        "  private:",
        `    url: ${path.join(EXAMPLE_DIR, "legacy.zarr")}`,
        "    read: { tokenEnv: [PRIVATE_READ_TOKEN] }",
      ].join("\n"),
    );
    const server = start(["--config", file, "--port", "0", `legacy=${path.join(EXAMPLE_DIR, "legacy.zarr")}`], {
      PRIVATE_READ_TOKEN: "let-me-read",
    });
    const url = await server.listening;
    const base = url.replace(/\/graphql$/, "");
    const names = async (token?: string) =>
      (await post(url, "{ catalogs { name description } }", token)).data.catalogs.map((c: { name: string }) => c.name);
    expect(await names()).toEqual(["climate", "legacy"]);
    expect(await names("let-me-read")).toEqual(["climate", "legacy", "private"]);
    const climate = await post(url, `{ catalog(name: "climate") { description root { zarrFormat } } }`);
    expect(climate.data.catalog).toEqual({ description: "from the file", root: { zarrFormat: 3 } });

    const ready = await fetch(`${base}/ready`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ status: "ready", catalogs: 3 });
    const metrics = await (await fetch(`${base}/metrics`)).text();
    expect(metrics).toMatch(/^zarr_graphql_requests_total\{operation="query",status="200"\} 3$/m);
    expect(metrics).toMatch(/^zarr_graphql_process_cpu_seconds_total \d/m);

    server.child.kill("SIGTERM");
    expect(await server.exited).toBe(0);
    const lines = server
      .stderr()
      .split("\n")
      .filter(Boolean)
      .map((l) => JSON.parse(l));
    expect(lines.map((l) => l.msg)).toContain("shutting down: finishing requests in flight");
    expect(lines.at(-1)).toMatchObject({ msg: "stopped", forced: false });
  });

  test("opsPort: /health, /ready and /metrics on a port of their own, and no longer on the public one", async () => {
    const file = configFile(
      "ops.yaml",
      ["opsPort: 1", "catalogs:", "  climate:", `    url: ${path.join(EXAMPLE_DIR, "climate.zarr")}`].join("\n"),
    );
    // --ops-port 0 wins over the file's (port 1 cannot be bound), as --port does.
    const server = start(["--config", file, "--port", "0", "--ops-port", "0"]);
    const url = await server.listening;
    const base = url.replace(/\/graphql$/, "");
    const ops = /operations on (\S+)/.exec(server.stdout())?.[1];
    expect(ops).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
    expect(new URL(ops!).port).not.toBe(new URL(url).port);

    expect((await post(url, "{ catalogs { name } }")).data.catalogs).toEqual([{ name: "climate" }]);
    expect((await fetch(`${base}/ready`)).status).toBe(404);
    expect((await fetch(`${base}/metrics`)).status).toBe(404);

    const ready = await fetch(new URL("ready", ops));
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ status: "ready", catalogs: 1 });
    expect((await fetch(new URL("health", ops))).status).toBe(200);
    const metrics = await (await fetch(new URL("metrics", ops))).text();
    expect(metrics).toMatch(/^zarr_graphql_requests_total\{operation="query",status="200"\} 1$/m);
    // The readiness probe's store reads count, as the app's own do.
    expect(metrics).toMatch(/^zarr_graphql_store_calls_total\{catalog="climate",kind="get"\} [1-9]/m);
    expect((await fetch(new URL("graphql", ops))).status).toBe(404);

    server.child.kill("SIGTERM");
    expect(await server.exited).toBe(0);
  });
});

describe("the server process the command line runs", () => {
  /** The pids of a process's children (Linux). */
  const childrenOf = (pid: number) =>
    readFileSync(`/proc/${pid}/task/${pid}/children`, "utf8").trim().split(/\s+/).filter(Boolean).map(Number);

  test("has a bounded heap, and does not outlive the command killed outright", async () => {
    const server = start([path.join(EXAMPLE_DIR, "climate.zarr"), "--port", "0"]);
    const url = await server.listening;
    const [inner] = childrenOf(server.child.pid!);
    const flags = readFileSync(`/proc/${inner}/cmdline`, "utf8").split("\0");
    expect(flags).toContain("--max-old-space-size=352");
    expect(flags).toContain("--max-semi-space-size=32");
    expect((await post(url, "{ catalogs { name } }")).data.catalogs).toEqual([{ name: "climate" }]);

    server.child.kill("SIGKILL");
    await server.exited;
    // The server it ran stops too: its port closes within a few seconds.
    let open = true;
    for (let i = 0; i < 100 && open; i++) {
      open = await fetch(url, { method: "POST" }).then(
        () => true,
        () => false,
      );
      if (open) await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(open).toBe(false);
    // And the process ends (gone, or a zombie left for whoever adopted it to reap).
    const running = () => {
      try {
        return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${inner}/stat`, "utf8"));
      } catch {
        return false;
      }
    };
    for (let i = 0; i < 100 && running(); i++) await new Promise((resolve) => setTimeout(resolve, 100));
    expect(running()).toBe(false);
  });

  test("takes the heap bound it is given (NODE_OPTIONS) and then runs in one process", async () => {
    const server = start([path.join(EXAMPLE_DIR, "climate.zarr"), "--port", "0"], {
      NODE_OPTIONS: "--max-old-space-size=200",
    });
    const url = await server.listening;
    expect(childrenOf(server.child.pid!)).toEqual([]);
    expect((await post(url, "{ catalogs { name } }")).data.catalogs).toEqual([{ name: "climate" }]);
    server.child.kill("SIGTERM");
    expect(await server.exited).toBe(0);
  });
});
