// The command line: --writable refuses to start without a token (or with a short one), and with
// one serves mutations over real HTTP to callers that send it, FORBIDDEN to the rest.
import { type ChildProcess, spawn } from "node:child_process";
import { writeFile } from "node:fs/promises";
import path from "node:path";
import { afterEach, describe, expect, test } from "vitest";
import { tempDir } from "./support/writes.js";

const BIN = path.resolve(import.meta.dirname, "../bin/zarr-graphql.js");
const TOKEN = "cli-token-0123456789abcdef";

const running: ChildProcess[] = [];
afterEach(() => {
  for (const child of running.splice(0)) if (child.exitCode === null) child.kill("SIGTERM");
});

function start(args: string[], env: Record<string, string | undefined>) {
  const { ZARR_GRAPHQL_TOKEN: _, ...base } = process.env;
  const child = spawn(process.execPath, [BIN, "serve", ...args], {
    env: { ...base, ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  running.push(child);
  let stdout = "";
  let stderr = "";
  child.stdout!.on("data", (c) => {
    stdout += c;
  });
  child.stderr!.on("data", (c) => {
    stderr += c;
  });
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  const listening = new Promise<string>((resolve, reject) => {
    child.stdout!.on("data", () => {
      const match = /listening on (\S+)/.exec(stdout);
      if (match) resolve(match[1]);
    });
    exited.then((code) => reject(new Error(`exited ${code}: ${stderr}`)));
  });
  // A server that is meant to refuse to start is never awaited as listening.
  listening.catch(() => undefined);
  return { exited, listening, output: () => ({ stdout, stderr }) };
}

async function post(url: string, query: string, token?: string) {
  const response = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json", ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({ query }),
  });
  return (await response.json()) as { data?: any; errors?: { extensions?: { code?: string } }[] };
}

describe("zarr-graphql serve --writable", () => {
  test("refuses to start without a token, with a clear message and a non-zero exit", async () => {
    const work = await tempDir();
    try {
      const server = start([work.dir, "--writable", "--port", "0"], {});
      expect(await server.exited).not.toBe(0);
      expect(server.output().stderr).toContain("--writable needs a token: set ZARR_GRAPHQL_TOKEN");
      expect(server.output().stdout).not.toContain("listening");
      const short = start([work.dir, "--writable", "--port", "0"], { ZARR_GRAPHQL_TOKEN: "short" });
      expect(await short.exited).not.toBe(0);
      expect(short.output().stderr).toContain("at least 16 characters");
    } finally {
      await work.remove();
    }
  }, 30_000);

  test("with ZARR_GRAPHQL_TOKEN, writes need it; without --writable every mutation is FORBIDDEN", async () => {
    const work = await tempDir();
    try {
      const server = start([`data=${work.dir}`, "--writable", "--port", "0"], { ZARR_GRAPHQL_TOKEN: TOKEN });
      const url = await server.listening;
      const create = `mutation { createGroup(input: {catalog: "data", path: "g", attributes: {a: 1}}) { group { path attributes } } }`;
      expect((await post(url, create)).errors?.[0]?.extensions?.code).toBe("FORBIDDEN");
      expect((await post(url, create, `${TOKEN}-not`)).errors?.[0]?.extensions?.code).toBe("FORBIDDEN");
      expect((await post(url, create, TOKEN)).data.createGroup.group).toEqual({ path: "g", attributes: { a: 1 } });
      // The audit line on stderr names the caller by fingerprint only.
      await new Promise((resolve) => setTimeout(resolve, 100));
      expect(server.output().stderr).toMatch(/"audit":"mutation".*"who":"sha256:[0-9a-f]{16}"/);
      expect(server.output().stderr).not.toContain(TOKEN);

      const readOnly = start([`data=${work.dir}`, "--port", "0"], { ZARR_GRAPHQL_TOKEN: TOKEN });
      const readOnlyUrl = await readOnly.listening;
      const refused = await post(readOnlyUrl, create.replace('"g"', '"h"'), TOKEN);
      expect(refused.errors?.[0]?.extensions?.code).toBe("FORBIDDEN");
    } finally {
      await work.remove();
    }
  }, 30_000);

  test("the token may come from the --config file instead", async () => {
    const work = await tempDir();
    try {
      const config = path.join(work.dir, "config.yaml");
      await writeFile(config, `token: ${TOKEN}\n`);
      const server = start([`data=${work.dir}`, "--writable", "--config", config, "--port", "0"], {});
      const url = await server.listening;
      const result = await post(
        url,
        `mutation { createGroup(input: {catalog: "data", path: "c"}) { group { path } } }`,
        TOKEN,
      );
      expect(result.data.createGroup.group.path).toBe("c");
    } finally {
      await work.remove();
    }
  }, 30_000);
});
