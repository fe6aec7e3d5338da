// The client tools front ends reach for accept the client schema and the example operations:
// relay-compiler and GraphQL Code Generator (client preset) run as a developer would run them
// (their own command lines, offline) over a copy of examples/, and what they generate is read.
// The operations then run against the bundled example, by id, on a trusted-documents server.
import { execFile } from "node:child_process";
import { createHash } from "node:crypto";
import { cpSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { encodeGlobalID } from "@pothos/plugin-relay";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { EXAMPLE_STORES } from "../src/server/example.js";
import { loadTrustedDocuments } from "../src/server/web/persisted.js";
import { FileStore } from "../src/stores/file.js";
import { catalog, createApp } from "./support/app.js";

const run = promisify(execFile);
const ROOT = path.resolve(import.meta.dirname, "..");
const bin = (name: string) => path.join(ROOT, "node_modules", ".bin", name);

let work: string;
let examples: string;

beforeAll(() => {
  work = mkdtempSync(path.join(tmpdir(), "zarr-graphql-clients-"));
  examples = path.join(work, "examples");
  cpSync(path.join(ROOT, "examples"), examples, {
    recursive: true,
    filter: (source) => !source.includes("__generated__"),
  });
  cpSync(path.join(ROOT, "schema.graphql"), path.join(work, "schema.graphql"));
  // The tools and the codegen preset resolve from the copy as from a project with them installed.
  symlinkSync(path.join(ROOT, "node_modules"), path.join(work, "node_modules"), "dir");
});

afterAll(() => {
  if (work) rmSync(work, { recursive: true, force: true });
});

const generated = (...parts: string[]) => readFileSync(path.join(examples, ...parts), "utf8");

describe("relay-compiler", () => {
  test("compiles every operation against schema.graphql, with numbers for SafeInt", { timeout: 120_000 }, async () => {
    const { stdout, stderr } = await run(bin("relay-compiler"), [], {
      cwd: examples,
      env: { ...process.env, CI: "true" },
    });
    expect(`${stdout}${stderr}`).not.toMatch(/ERROR|WARN/);
    expect(stdout + stderr).toContain("Compilation completed");
    const summary = generated("app", "__generated__", "ZarrNodeSummary_node.graphql.ts");
    expect(summary).toMatch(/readonly shape\?: ReadonlyArray<number>;/);
    expect(summary).toMatch(/readonly chunks\?: ReadonlyArray<number> \| null \| undefined;/);
    expect(generated("app", "__generated__", "DeepFetchQuery.graphql.ts")).toMatch(/readonly attributes: unknown;/);
    expect(generated("app", "__generated__", "GroupMembersPaginationQuery.graphql.ts")).toMatch(
      /export type GroupMembersPaginationQuery\$variables = \{/,
    );

    // The persisted operations it wrote are the committed list, each under its text's SHA-256.
    const written = JSON.parse(generated("persisted-documents.json")) as Record<string, string>;
    // @refetchable with @connection: Relay wrote the pagination query, through node(id:).
    const pagination = Object.values(written).find((text) => text.startsWith("query GroupMembersPaginationQuery("));
    expect(pagination).toMatch(/node\(id: \$id\)/);
    expect(written).toEqual(JSON.parse(readFileSync(path.join(ROOT, "examples", "persisted-documents.json"), "utf8")));
    expect(Object.keys(written)).toHaveLength(4);
    for (const [id, text] of Object.entries(written)) expect(createHash("sha256").update(text).digest("hex")).toBe(id);
  });
});

describe("GraphQL Code Generator, client preset", () => {
  test("generates typed documents with number[] for shape and unknown for JSON", { timeout: 120_000 }, async () => {
    await run(bin("graphql-codegen"), ["--config", "codegen.ts"], {
      cwd: examples,
      env: { ...process.env, CI: "true" },
    });
    const types = generated("__generated__", "codegen", "graphql.ts");
    expect(types).toContain("shape: Array<number>");
    expect(types).toContain("chunks: Array<number> | null");
    expect(types).toContain("attributes: unknown");
    expect(types).toMatch(
      /export type DeepFetchQueryQueryVariables = Exact<\{\s*catalog: string;\s*path: string;\s*maxDepth\?: number \| null \| undefined;/,
    );
    for (const name of ["TreeBrowserQuery", "NodeRefetchQuery", "DeepFetchQuery"]) {
      expect(types).toContain(`export const ${name}Document`);
    }
    expect(generated("__generated__", "codegen", "gql.ts")).toContain("export function graphql(");
  });
});

describe("the example operations run, as trusted documents", () => {
  test("each, by id, against the bundled example; their text is refused", async () => {
    const documents = await loadTrustedDocuments(path.join(ROOT, "examples", "persisted-documents.json"));
    const app = createApp({
      catalogs: EXAMPLE_STORES.map((s) => catalog(s.name, new FileStore(s.url))),
      trustedDocuments: documents,
    });
    const idOf = (name: string) => [...documents].find(([, text]) => text.startsWith(`query ${name}(`))![0];
    const run = async (name: string, variables: Record<string, unknown>) => {
      const response = await app.fetch("http://localhost/graphql", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ documentId: `sha256:${idOf(name)}`, variables }),
      });
      const body = (await response.json()) as { data?: any; errors?: unknown[] };
      expect(body.errors, `${name}: ${JSON.stringify(body.errors)}`).toBeUndefined();
      return body.data;
    };

    const tree = await run("TreeBrowserQuery", { catalog: "climate", count: 5 });
    expect(tree.catalog.id).toBe(encodeGlobalID("Catalog", "climate"));
    const members = tree.catalog.root.members;
    expect(members.edges).toHaveLength(5);
    expect(members.pageInfo.hasNextPage).toBe(true);

    const next = await run("GroupMembersPaginationQuery", {
      id: tree.catalog.root.id,
      count: 5,
      cursor: members.pageInfo.endCursor,
    });
    expect(next.node.members.edges[0].node.path > members.edges[4].node.path).toBe(true);

    const refetched = await run("NodeRefetchQuery", { id: members.edges[0].node.id });
    expect(refetched.node.path).toBe(members.edges[0].node.path);
    expect((await run("NodeRefetchQuery", { id: tree.catalog.id })).node.name).toBe("climate");

    const deep = await run("DeepFetchQuery", { catalog: "climate", path: "ocean", maxDepth: null });
    expect(deep.catalog.node.arrays.nodes.map((n: { path: string }) => n.path)).toContain("ocean/profiles/qc/is_valid");
    for (const array of deep.catalog.node.arrays.nodes) expect(array.shape.every(Number.isInteger)).toBe(true);

    const asText = await app.fetch("http://localhost/graphql", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({
        query: documents.get(idOf("DeepFetchQuery")),
        variables: { catalog: "climate", path: "" },
      }),
    });
    expect(((await asText.json()) as any).errors[0].extensions.code).toBe("PERSISTED_QUERY_ID_REQUIRED");
  });
});
