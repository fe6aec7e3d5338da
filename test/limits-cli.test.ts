// The limit flags of the command line: a server started with them enforces them; a bad value
// exits 2 with the usage.
import { expect, test } from "vitest";
import { postWithStatus as post, serve } from "./support/cli.js";

const start = (args: string[]) => serve(["--port", "0", ...args], { LOG_LEVEL: "warn" });

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
