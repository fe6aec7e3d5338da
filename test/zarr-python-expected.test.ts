import { readFileSync } from "node:fs";
import { describe, expect, test } from "vitest";
import { createApp, fileCatalog, fixture, gql } from "./support/app.js";

/** zarr-python 2.13's own report of every node (NAME.expected.json beside each fixture). */
interface Expected {
  type: "group" | "array";
  attributes: Record<string, unknown>;
  shape?: number[];
  chunks?: number[];
  dtype?: unknown;
  fill_value?: unknown;
  order?: string;
  compressor?: string | null;
  filters?: string[];
}

const QUERY = `query ($mode: ConsolidatedMode) {
  catalog(name: "zoo", consolidated: $mode) {
    root {
      __typename path attributes
      ... on ZarrGroup {
        members(maxDepth: null, first: 1000) {
          nodes {
            __typename path attributes
            ... on ZarrArray { shape chunks dataType fillValue order compressor { name } filters { name } }
          }
        }
      }
    }
  }
}`;

describe.each(["zoo1", "zoo2", "zoo3", "tree"])("%s agrees with zarr-python 2.13", (name) => {
  const expected: Record<string, Expected> = JSON.parse(
    readFileSync(fixture("zarr-python-2.13", `${name}.zarr.expected.json`), "utf8"),
  );
  const app = createApp({ catalogs: [fileCatalog("zoo", fixture("zarr-python-2.13", `${name}.zarr`))] });

  test.each(["USE", "IGNORE"])("consolidated %s", async (mode) => {
    const result = await gql(app, QUERY, { mode });
    expect(result.errors).toBeUndefined();
    const root = result.data.catalog.root;
    const nodes = [root, ...root.members.nodes];
    expect(nodes.map((n) => n.path).sort()).toEqual(Object.keys(expected).sort());
    for (const node of nodes) {
      const want = expected[node.path];
      expect(node.__typename, node.path).toBe(want.type === "group" ? "ZarrGroup" : "ZarrArray");
      expect(node.attributes, node.path).toEqual(want.attributes);
      if (want.type !== "array") continue;
      expect(node.shape, node.path).toEqual(want.shape);
      expect(node.chunks, node.path).toEqual(want.chunks);
      expect(node.dataType, node.path).toEqual(want.dtype);
      expect(node.fillValue, node.path).toEqual(want.fill_value);
      expect(node.order, node.path).toBe(want.order);
      expect(node.compressor?.name ?? null, node.path).toBe(want.compressor);
      expect(
        node.filters.map((f: { name: string }) => f.name),
        node.path,
      ).toEqual(want.filters);
    }
  });
});
