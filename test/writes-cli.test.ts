// The command line: --writable refuses to start without a token (or with a short one), and with
// one serves mutations over real HTTP to callers that send it, FORBIDDEN to the rest.
import { writeFile } from "node:fs/promises";
import path from "node:path";
import { describe, expect, test } from "vitest";
import { post, serve } from "./support/cli.js";
import { tempDir } from "./support/writes.js";

const TOKEN = "cli-token-0123456789abcdef";

describe("zarr-graphql serve --writable", () => {
  test("refuses to start without a token, with a clear message and a non-zero exit", async () => {
    const work = await tempDir();
    try {
      const server = serve([work.dir, "--writable", "--port", "0"], { ZARR_GRAPHQL_TOKEN: undefined });
      expect(await server.exited).not.toBe(0);
      expect(server.stderr()).toContain("--writable needs a token: set ZARR_GRAPHQL_TOKEN");
      expect(server.stdout()).not.toContain("listening");
      const short = serve([work.dir, "--writable", "--port", "0"], { ZARR_GRAPHQL_TOKEN: "short" });
      expect(await short.exited).not.toBe(0);
      expect(short.stderr()).toContain("at least 16 characters");
    } finally {
      await work.remove();
    }
  }, 30_000);

  test("with ZARR_GRAPHQL_TOKEN, writes need it; without --writable every mutation is FORBIDDEN", async () => {
    const work = await tempDir();
    try {
      const server = serve([`data=${work.dir}`, "--writable", "--port", "0"], { ZARR_GRAPHQL_TOKEN: TOKEN });
      const url = await server.listening;
      const create = `mutation { createGroup(input: {catalog: "data", path: "g", attributes: {a: 1}}) { group { path attributes } } }`;
      expect((await post(url, create)).errors?.[0]?.extensions?.code).toBe("FORBIDDEN");
      expect((await post(url, create, `${TOKEN}-not`)).errors?.[0]?.extensions?.code).toBe("FORBIDDEN");
      expect((await post(url, create, TOKEN)).data.createGroup.group).toEqual({ path: "g", attributes: { a: 1 } });
      // The audit line on stderr names the caller by fingerprint only.
      await new Promise((resolve) => setTimeout(resolve, 100));
      expect(server.stderr()).toMatch(/"audit":"mutation".*"who":"sha256:[0-9a-f]{16}"/);
      expect(server.stderr()).not.toContain(TOKEN);

      const readOnly = serve([`data=${work.dir}`, "--port", "0"], { ZARR_GRAPHQL_TOKEN: TOKEN });
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
      const server = serve([`data=${work.dir}`, "--writable", "--config", config, "--port", "0"], {
        ZARR_GRAPHQL_TOKEN: undefined,
      });
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
