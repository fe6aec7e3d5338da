import { execFileSync } from "node:child_process";
import { describe, expect, test } from "vitest";
import { createApp, fileCatalog, fixture, gql } from "./support/app.js";

interface OracleNode {
  format: 2 | 3;
  type: "group" | "array";
  doc: Record<string, any>;
  attrs: Record<string, unknown>;
}

/** What Python's json reads from every metadata document below `dir`. */
function oracle(dir: string): Record<string, OracleNode> {
  const script = new URL("./oracle/read_docs.py", import.meta.url).pathname;
  return JSON.parse(execFileSync("python3", [script, dir], { encoding: "utf8", maxBuffer: 64 << 20 }));
}

/** Nodes reachable as members from the root: every ancestor a group in the root's format. */
function expectedMembers(nodes: Record<string, OracleNode>): string[] {
  const root = nodes[""];
  if (root?.type !== "group") return [];
  const inFormat = (p: string) => nodes[p] && nodes[p].format === root.format;
  return Object.keys(nodes)
    .filter((p) => p !== "" && inFormat(p))
    .filter((p) => {
      const parts = p.split("/");
      for (let i = 1; i < parts.length; i++) {
        const ancestor = parts.slice(0, i).join("/");
        if (!inFormat(ancestor) || nodes[ancestor].type !== "group") return false;
      }
      return true;
    })
    .sort();
}

const NODE_FIELDS = `__typename path zarrFormat attributes metadata
  ... on ZarrArray { shape dataType fillValue chunks order dimensionNames }`;

/** A group's copy inside consolidated metadata carries its own (often empty) block; the rest is identical. */
function withoutConsolidated(doc: Record<string, any>) {
  const { consolidated_metadata: _, ...rest } = doc;
  return rest;
}

function checkNode(actual: any, expected: OracleNode, path: string, mode: "use" | "ignore") {
  expect(actual, path).not.toBeNull();
  expect(actual.path).toBe(path);
  expect(actual.__typename).toBe(expected.type === "group" ? "ZarrGroup" : "ZarrArray");
  expect(actual.zarrFormat).toBe(expected.format);
  expect(actual.attributes).toEqual(expected.attrs);
  if (mode === "use") expect(withoutConsolidated(actual.metadata)).toEqual(withoutConsolidated(expected.doc));
  else expect(actual.metadata).toEqual(expected.doc);
  if (expected.type === "array") {
    expect(actual.shape).toEqual(expected.doc.shape);
    expect(actual.dataType).toEqual(expected.format === 3 ? expected.doc.data_type : expected.doc.dtype);
    expect(actual.fillValue).toEqual(expected.doc.fill_value);
    if (expected.format === 2) {
      expect(actual.chunks).toEqual(expected.doc.chunks);
      expect(actual.order).toBe(expected.doc.order);
    } else {
      expect(actual.order).toBeNull();
      expect(actual.dimensionNames).toEqual(expected.doc.dimension_names ?? null);
    }
  }
}

const HIERARCHIES = [
  "zarrita/v2/data.zarr",
  "zarrita/v3/data.zarr",
  "zarrs",
  "zarr-python-2.13/zoo1.zarr",
  "zarr-python-2.13/zoo2.zarr",
  "zarr-python-2.13/zoo3.zarr",
  "zarr-python-2.13/tree.zarr",
];

describe.each(HIERARCHIES)("every node of %s reads through GraphQL", (rel) => {
  const dir = fixture(rel);
  const nodes = oracle(dir);

  test.each(["use", "ignore"] as const)("consolidated mode %s", async (mode) => {
    expect(Object.keys(nodes).length).toBeGreaterThan(0);
    const app = createApp({ catalogs: [fileCatalog("c", dir, mode)] });
    const members = expectedMembers(nodes);
    const seen = new Set<string>();
    if (nodes[""]?.type === "group") {
      const result = await gql(
        app,
        `{ catalog(name: "c") { root { ${NODE_FIELDS} ... on ZarrGroup { members(maxDepth: null, first: 1000) { totalCount nodes { ${NODE_FIELDS} } } } } } }`,
      );
      expect(result.errors).toBeUndefined();
      const root = result.data.catalog.root;
      checkNode(root, nodes[""], "", mode);
      expect(root.members.nodes.map((n: any) => n.path)).toEqual(members);
      expect(root.members.totalCount).toBe(members.length);
      for (const node of root.members.nodes) {
        checkNode(node, nodes[node.path], node.path, mode);
        seen.add(node.path);
      }
      seen.add("");
    }
    // Whatever members cannot reach (no root, an array root, another format) is read by path.
    const rest = Object.keys(nodes).filter((p) => !seen.has(p));
    for (let i = 0; i < rest.length; i += 25) {
      const batch = rest.slice(i, i + 25);
      const query = `{ catalog(name: "c") { ${batch
        .map((p, j) => `n${j}: ${p === "" ? "root" : `node(path: ${JSON.stringify(p)})`} { ${NODE_FIELDS} }`)
        .join("\n")} } }`;
      const result = await gql(app, query);
      expect(result.errors).toBeUndefined();
      batch.forEach((p, j) => {
        checkNode(result.data.catalog[`n${j}`], nodes[p], p, mode);
      });
    }
  });
});
