// The limit flags of the command line: a server started with them enforces them; a bad value
// exits 2 with the usage.
import { type ChildProcess, spawn } from "node:child_process";
import path from "node:path";
import { afterEach, expect, test } from "vitest";

const BIN = path.resolve(import.meta.dirname, "../bin/zarr-graphql.js");

const children: ChildProcess[] = [];
afterEach(() => {
  for (const child of children.splice(0)) if (child.exitCode === null) child.kill("SIGKILL");
});

function start(args: string[]) {
  const child = spawn(process.execPath, [BIN, "serve", "--port", "0", ...args], {
    env: { ...process.env, LOG_LEVEL: "warn" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  children.push(child);
  let stdout = "";
  let stderr = "";
  child.stdout!.on("data", (c) => {
    stdout += c;
  });
  child.stderr!.on("data", (c) => {
    stderr += c;
  });
  const exited = new Promise<number | null>((resolve) => child.once("close", (code) => resolve(code)));
  const listening = new Promise<string>((resolve, reject) => {
    child.stdout!.on("data", () => {
      const match = /listening on (\S+)/.exec(stdout);
      if (match) resolve(match[1]);
    });
    exited.then((code) => reject(new Error(`exited ${code}: ${stderr}`)));
  });
  listening.catch(() => undefined);
  return { exited, listening, stderr: () => stderr };
}

async function post(url: string, query: string) {
  const response = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ query }),
  });
  return { status: response.status, body: (await response.json()) as any };
}

test("flags set the limits of a running server", async () => {
  const server = start(["--max-depth", "3", "--max-aliases", "1", "--max-cost", "50", "--rate-limit", "4/60"]);
  const url = await server.listening;
  const shallow = await post(url, `{ catalog(name: "climate") { root { path } } }`);
  expect(shallow.body.errors).toBeUndefined();
  const deep = await post(url, `{ catalog(name: "climate") { root { parent { path } } } }`);
  expect(deep.body.errors[0].extensions).toEqual({ code: "LIMIT_EXCEEDED", limit: "depth", max: 3, actual: 4 });
  const aliases = await post(url, `{ a: catalogs { name } b: catalogs { name } }`);
  expect(aliases.body.errors[0].extensions).toMatchObject({ limit: "aliases", max: 1, actual: 2 });
  // Three levels deep, but every field runs on each of (an estimated) ten catalogs.
  const costly = await post(url, `{ catalogs { name description url root { path } node(path: "x") { path } } }`);
  expect(costly.body.errors[0].extensions).toMatchObject({ limit: "cost", max: 50 });
  // Four requests so far in this window: the fifth is over the rate.
  const limited = await post(url, `{ catalogs { name } }`);
  expect(limited.status).toBe(429);
  expect(limited.body.errors[0].extensions).toEqual({ code: "LIMIT_EXCEEDED", limit: "rate", max: 4, actual: 5 });
});

test("a bad limit value exits 2 with the usage, naming the flag", async () => {
  const server = start(["--max-tokens", "lots"]);
  expect(await server.exited).toBe(2);
  expect(server.stderr()).toContain("--max-tokens needs an integer");
  expect(server.stderr()).toContain("--rate-limit N[/SECONDS]");
});
