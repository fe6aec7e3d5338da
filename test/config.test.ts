import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { encodeGlobalID } from "@pothos/plugin-relay";
import { describe, expect, test } from "vitest";
import { parse as parseYaml } from "yaml";
import { ConfigError, parseConfig } from "../src/server/config.js";
import { catalogFromConfig } from "../src/server/config-catalogs.js";
import { loadConfigFile } from "../src/server/config-file.js";
import { CountingStore } from "../src/stores/counting.js";
import { IoCounter } from "../src/stores/io-counter.js";
import { LatencyStore } from "../src/stores/latency.js";
import { MemoryStore } from "../src/stores/memory.js";
import { createApp, gql } from "./support/app.js";

const base = { source: "test.yaml", baseDir: "/srv/zarr" };
const one = (catalog: Record<string, unknown>) => ({ catalogs: { climate: { url: "memory://c", ...catalog } } });

function problems(data: unknown, env: Record<string, string> = {}): string[] {
  try {
    parseConfig(data, { ...base, env });
  } catch (error) {
    if (error instanceof ConfigError) return error.issues;
    throw error;
  }
  throw new Error("the configuration was accepted");
}

describe("configuration errors name the bad field", () => {
  const cases: [string, unknown, string][] = [
    [
      "consolidated outside the tri-state",
      one({ consolidated: "sometimes" }),
      'catalogs.climate.consolidated: expected one of use, require, ignore, got "sometimes"',
    ],
    [
      "mode outside read/write",
      one({ mode: "readwrite" }),
      'catalogs.climate.mode: expected one of read, write, got "readwrite"',
    ],
    [
      "a misspelt catalog field",
      one({ descripton: "x" }),
      "catalogs.climate.descripton: unknown field (known fields: url, publicUrl, description, consolidated, mode, read, limits)",
    ],
    [
      "a misspelt server field",
      { prot: 4000 },
      "prot: unknown field (known fields: port, host, token, tokenEnv, writeObjectLimit, limits, readyTimeoutMs, shutdownTimeoutMs, catalogs, index, indexRefreshMs)",
    ],
    ["a catalog without url", { catalogs: { climate: { description: "x" } } }, "catalogs.climate.url: required"],
    ["an empty url", one({ url: "" }), "catalogs.climate.url: must not be empty"],
    [
      "a url of no known store",
      one({ url: "s3://bucket/x.zarr" }),
      'catalogs.climate.url: unsupported store URL scheme "s3:"',
    ],
    ["a port that is text", { port: "4000" }, 'port: expected a number, got "4000"'],
    ["a port out of range", { port: 70000 }, "port: expected at most 65535, got number 70000"],
    [
      "read access that is neither form",
      one({ read: "private" }),
      'catalogs.climate.read: expected "public" or {tokens: [...], tokenEnv: [...]}, got "private"',
    ],
    [
      "read access with a misspelt field",
      one({ read: { token: ["t"] } }),
      "catalogs.climate.read.token: unknown field (known fields: tokens, tokenEnv)",
    ],
    [
      "read access naming nobody",
      one({ read: {} }),
      'catalogs.climate.read: list at least one token (tokens or tokenEnv), or say "public"',
    ],
    [
      "a token variable that is not set",
      one({ read: { tokenEnv: ["CLIMATE_TOKEN"] } }),
      "catalogs.climate.read.tokenEnv[0]: environment variable CLIMATE_TOKEN is not set",
    ],
    [
      "a token variable that is not a name",
      one({ read: { tokenEnv: ["$X"] } }),
      "catalogs.climate.read.tokenEnv[0]: expected an environment variable name",
    ],
    [
      "a catalog limit below 1",
      one({ limits: { concurrency: 0 } }),
      "catalogs.climate.limits.concurrency: expected at least 1, got number 0",
    ],
    [
      "a fractional node budget",
      one({ limits: { nodeBudget: 1.5 } }),
      "catalogs.climate.limits.nodeBudget: expected an integer, got number 1.5",
    ],
    [
      "a limit catalogs cannot set",
      one({ limits: { deadlineMs: 5 } }),
      "catalogs.climate.limits.deadlineMs: unknown field (known fields: concurrency, nodeBudget, maxDocumentBytes)",
    ],
    ["a misspelt server limit", { limits: { maxDepth: 3 } }, "limits.maxDepth: unknown field"],
    ["a rate limit without its window", { limits: { rate: { max: 10 } } }, "limits.rate.windowMs: required"],
    ["catalogs as a list", { catalogs: [{ url: "x" }] }, "catalogs: expected an object, got a list"],
    [
      "a catalog name with a slash",
      { catalogs: { "a/b": { url: "memory://x" } } },
      'catalogs.a/b: catalog names are letters, digits, ".", "_" and "-"',
    ],
    [
      "both token and tokenEnv",
      { token: "a-long-enough-token", tokenEnv: "T" },
      "tokenEnv: give token or tokenEnv, not both",
    ],
    [
      "a write token variable that is not set",
      { tokenEnv: "WRITE_TOKEN" },
      "tokenEnv: environment variable WRITE_TOKEN is not set",
    ],
    ["a document that is not an object", ["catalogs"], "(top level): expected an object, got a list"],
  ];

  test.each(cases)("%s", (_name, data, expected) => {
    const found = problems(data);
    expect(
      found.some((p) => p.startsWith(expected)),
      `${JSON.stringify(found)} has no line starting ${expected}`,
    ).toBe(true);
  });

  test("every problem is reported at once, and the error names the file", () => {
    const data = { prot: 1, catalogs: { a: { url: "memory://a", mode: "rw" }, b: { consolidated: "never" } } };
    expect(problems(data)).toHaveLength(4);
    expect(() => parseConfig(data, base)).toThrow(/^invalid configuration in test\.yaml:\n {2}catalogs\.a\.mode: /);
  });
});

describe("configuration files", () => {
  const dir = mkdtempSync(path.join(tmpdir(), "zarr-graphql-config-"));
  const write = (name: string, text: string) => {
    const file = path.join(dir, name);
    writeFileSync(file, text);
    return file;
  };
  const failure = async (file: string) => {
    const error = await loadConfigFile(file, {}).then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ConfigError);
    return (error as ConfigError).issues.join("\n");
  };

  test("YAML and JSON say the same thing; relative store paths are relative to the file", async () => {
    const yaml = write("a.yaml", "catalogs:\n  local:\n    url: data/local.zarr\n    consolidated: ignore\n");
    const json = write(
      "a.json",
      JSON.stringify({ catalogs: { local: { url: "data/local.zarr", consolidated: "ignore" } } }),
    );
    const fromYaml = await loadConfigFile(yaml, {});
    expect(fromYaml.catalogs[0]).toMatchObject({
      name: "local",
      url: path.join(dir, "data/local.zarr"),
      consolidated: "ignore",
      publicUrl: null,
      mode: "read",
      readTokens: null,
    });
    expect(await loadConfigFile(json, {})).toEqual(fromYaml);
  });

  test("syntax errors, unknown extensions and missing files are refused with the reason", async () => {
    expect(await failure(write("bad.yaml", "catalogs:\n  a: [\n"))).toMatch(/^not valid YAML: .*line 3/s);
    expect(await failure(write("bad.json", '{"catalogs": }'))).toMatch(/^not valid JSON: /);
    expect(await failure(write("conf.toml", "x = 1"))).toBe(
      '--config: expected a .json, .yaml or .yml file, got "conf.toml"',
    );
    expect(await failure(path.join(dir, "missing.yml"))).toBe("--config: cannot read the file (ENOENT)");
  });

  test("the README's example configuration is valid and means what it says", () => {
    const readme = readFileSync(path.resolve(import.meta.dirname, "../README.md"), "utf8");
    const section = readme.slice(readme.indexOf("## Configuration"));
    const yaml = /```yaml\n([\s\S]*?)```/.exec(section)?.[1];
    expect(yaml).toBeDefined();
    const env = { ZARR_GRAPHQL_TOKEN: "write-token-0123456789", SCRATCH_READ_TOKEN: "scratch-reader" };
    const config = parseConfig(parseYaml(yaml!), { source: "README.md", baseDir: "/srv", env });
    expect(config.token).toBe("write-token-0123456789");
    const byName = Object.fromEntries(config.catalogs.map((c) => [c.name, c]));
    expect(Object.keys(byName).sort()).toEqual(["climate", "legacy", "scratch"]);
    expect(byName.climate.publicUrl).toMatch(/^https:\/\//);
    expect(byName.climate.readTokens).toBeNull();
    expect(byName.legacy.url).toBe("/srv/example/legacy.zarr");
    expect(byName.scratch).toMatchObject({ mode: "write", readTokens: ["scratch-reader"] });
  });

  test("publicUrl defaults to the store URL without credentials, and null hides it", () => {
    const config = parseConfig(
      {
        catalogs: {
          web: { url: "https://user:secret@data.example.org/a.zarr?sig=1" },
          bucket: { url: "gs://bucket/prefix/b.zarr/" },
          hidden: { url: "gs://bucket/c.zarr", publicUrl: null },
          shown: { url: "gs://bucket/d.zarr", publicUrl: "https://storage.googleapis.com/bucket/d.zarr" },
        },
      },
      base,
    );
    expect(Object.fromEntries(config.catalogs.map((c) => [c.name, c.publicUrl]))).toEqual({
      web: "https://data.example.org/a.zarr",
      bucket: "gs://bucket/prefix/b.zarr",
      hidden: null,
      shown: "https://storage.googleapis.com/bucket/d.zarr",
    });
  });
});

describe("read access", () => {
  const group = (attributes: Record<string, unknown> = {}) =>
    JSON.stringify({ zarr_format: 3, node_type: "group", attributes });
  const config = parseConfig(
    {
      token: "the-write-token-123",
      catalogs: {
        open: { url: "memory://open", description: "anyone" },
        secret: { url: "memory://secret", read: { tokens: ["reader-a"], tokenEnv: ["SECRET_READER"] } },
      },
    },
    { ...base, env: { SECRET_READER: "reader-b" } },
  );
  const catalogs = config.catalogs.map((spec) => ({
    ...catalogFromConfig(spec, { consolidated: "use", writeToken: config.token }),
    store: new MemoryStore(spec.url, { "zarr.json": group({ owner: spec.name }), "inner/zarr.json": group() }),
  }));
  const app = createApp({ catalogs });
  const as = (token: string | null, query: string, variables?: Record<string, unknown>) =>
    gql(app, query, variables, token ? { authorization: `Bearer ${token}` } : {});

  test("catalogs lists what the caller may read", async () => {
    const names = async (token: string | null) =>
      (await as(token, "{ catalogs { name } }")).data.catalogs.map((c: { name: string }) => c.name);
    expect(await names(null)).toEqual(["open"]);
    expect(await names("wrong")).toEqual(["open"]);
    expect(await names("reader-a")).toEqual(["open", "secret"]);
    expect(await names("reader-b")).toEqual(["open", "secret"]);
    expect(await names("the-write-token-123")).toEqual(["open", "secret"]);
  });

  test("a catalog the caller may not read answers exactly as an unknown one", async () => {
    const query = `query ($n: String!) { catalog(name: $n) { name root { attributes } } }`;
    const hidden = await as("wrong", query, { n: "secret" });
    const unknown = await as("wrong", query, { n: "nonesuch" });
    expect(hidden.data).toEqual({ catalog: null });
    expect(hidden.errors?.[0].extensions?.code).toBe("NOT_FOUND");
    expect(hidden.errors?.[0].message).toBe('no catalog named "secret"');
    expect(unknown.errors?.[0].message).toBe('no catalog named "nonesuch"');
    expect(Object.keys(hidden.errors?.[0].extensions ?? {}).sort()).toEqual(
      Object.keys(unknown.errors?.[0].extensions ?? {}).sort(),
    );
    // and without reading the store: a refusal costs nothing
    expect(hidden.extensions?.io?.gets).toBe(0);
    const allowed = await as("reader-b", query, { n: "secret" });
    expect(allowed.data.catalog.root.attributes).toEqual({ owner: "secret" });
  });

  test("ids and entity references of a hidden catalog resolve to null", async () => {
    const id = encodeGlobalID("ZarrGroup", JSON.stringify(["secret", "inner"]));
    const byId = `query ($id: ID!) { node(id: $id) { id } }`;
    expect((await as(null, byId, { id })).data.node).toBeNull();
    expect((await as("reader-a", byId, { id })).data.node).toEqual({ id });
    const entities = `query ($r: [_Any!]!) { _entities(representations: $r) { ... on ZarrGroup { catalog path } } }`;
    const representations = [
      { __typename: "ZarrGroup", catalog: "secret", path: "inner" },
      { __typename: "ZarrGroup", catalog: "open", path: "inner" },
    ];
    expect((await as(null, entities, { r: representations })).data._entities).toEqual([
      null,
      { catalog: "open", path: "inner" },
    ]);
    expect((await as("reader-a", entities, { r: representations })).data._entities).toEqual([
      { catalog: "secret", path: "inner" },
      { catalog: "open", path: "inner" },
    ]);
  });
});

describe("per-catalog limits", () => {
  const group = JSON.stringify({ zarr_format: 3, node_type: "group", attributes: {} });
  /** A root with eight child groups. */
  const files = Object.fromEntries([["zarr.json", group], ...[..."abcdefgh"].map((n) => [`${n}/zarr.json`, group])]);
  const walk = (name: string) =>
    `{ catalog(name: "${name}") { root { ... on ZarrGroup { members { totalCount } } } } }`;

  function configured(limits: Record<string, number>) {
    const [spec] = parseConfig({ catalogs: { tight: { url: "memory://t", limits } } }, base).catalogs;
    const counter = new IoCounter();
    const store = new CountingStore(new LatencyStore(new MemoryStore("memory://t", files), 5), counter);
    return { catalog: { ...catalogFromConfig(spec, { consolidated: "ignore" }), store }, counter };
  }

  test("a catalog's node budget bounds walks in it, while other catalogs keep the server's", async () => {
    const tight = configured({ nodeBudget: 5 });
    const loose = { ...configured({}).catalog, name: "loose" };
    const app = createApp({ catalogs: [tight.catalog, loose] });
    const refused = await gql(app, walk("tight"));
    expect(refused.errors?.[0].extensions).toMatchObject({ code: "LIMIT_EXCEEDED", limit: "nodes", max: 5 });
    expect((await gql(app, walk("loose"))).data.catalog.root.members.totalCount).toBe(8);
  });

  test("a catalog's concurrency bounds its reads in flight", async () => {
    const one = configured({ concurrency: 1 });
    await gql(createApp({ catalogs: [one.catalog] }), walk("tight"));
    expect(one.counter.maxInFlight).toBe(1);
    const many = configured({});
    await gql(createApp({ catalogs: [many.catalog] }), walk("tight"));
    expect(many.counter.maxInFlight).toBeGreaterThan(1);
  });
});
