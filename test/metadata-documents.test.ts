import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { parse as losslessParse, stringify as losslessStringify } from "lossless-json";
import { describe, expect, test } from "vitest";
import { parseJson, stringifyJson } from "../src/hierarchy/json.js";
import { MemoryStore } from "../src/stores/memory.js";
import { catalog, createApp, fixture, gql } from "./support/app.js";

const META = fixture("zarr-metadata");

function jsonFiles(dir: string): string[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith(".json"))
    .map((f) => path.join(dir, f));
}

/** The API's number rule, computed independently: exact decimal strings beyond 2^53. */
function expectedOutput(text: string): unknown {
  return losslessParse(text, null, (digits: string) => {
    const n = Number(digits);
    return /^-?\d+$/.test(digits) && !Number.isSafeInteger(n) ? BigInt(digits).toString() : n;
  });
}

const ROOT_GROUP = JSON.stringify({ zarr_format: 3, node_type: "group" });

async function readNode(files: Record<string, string>, nodePath: string) {
  const app = createApp({ catalogs: [catalog("m", new MemoryStore("memory://m", files))] });
  return gql(
    app,
    `query ($p: String!) { catalog(name: "m") { node(path: $p) { __typename zarrFormat attributes metadata
      ... on ZarrArray { shape dataType fillValue codecs { name configuration } chunks shards nchunks } } } }`,
    { p: nodePath },
  );
}

describe("every array and group document in zarr-metadata parses", () => {
  const v3 = [...jsonFiles(path.join(META, "v3/array")), ...jsonFiles(path.join(META, "v3/group"))];
  test.each(v3)("%s", async (file) => {
    const text = readFileSync(file, "utf8");
    const result = await readNode({ "zarr.json": ROOT_GROUP, "x/zarr.json": text }, "x");
    expect(result.errors).toBeUndefined();
    const doc = expectedOutput(text) as Record<string, any>;
    const node = result.data.catalog.node;
    expect(node.__typename).toBe(doc.node_type === "array" ? "ZarrArray" : "ZarrGroup");
    expect(node.metadata).toEqual(doc);
    expect(node.attributes).toEqual(doc.attributes ?? {});
    if (doc.node_type === "array") {
      expect(node.shape).toEqual(doc.shape);
      expect(node.dataType).toEqual(doc.data_type);
      expect(node.fillValue).toEqual(doc.fill_value);
      expect(node.codecs.map((c: { name: string }) => c.name)).toEqual(
        doc.codecs.map((c: string | { name: string }) => (typeof c === "string" ? c : c.name)),
      );
    }
  });

  const v2Arrays = jsonFiles(path.join(META, "v2/array"));
  test.each(v2Arrays)("%s", async (file) => {
    const text = readFileSync(file, "utf8");
    const result = await readNode({ ".zgroup": '{"zarr_format": 2}', "x/.zarray": text }, "x");
    expect(result.errors).toBeUndefined();
    const doc = expectedOutput(text) as Record<string, any>;
    const node = result.data.catalog.node;
    expect(node.__typename).toBe("ZarrArray");
    expect(node.metadata).toEqual(doc);
    expect(node.shape).toEqual(doc.shape);
    expect(node.dataType).toEqual(doc.dtype);
    expect(node.fillValue).toEqual(doc.fill_value);
    const compressor = doc.compressor ? [doc.compressor.id] : [];
    expect(node.codecs.map((c: { name: string }) => c.name)).toEqual([
      ...(doc.filters ?? []).map((f: { id: string }) => f.id),
      ...compressor,
    ]);
  });

  test.each(jsonFiles(path.join(META, "v2/group")))("%s", async (file) => {
    const text = readFileSync(file, "utf8");
    const result = await readNode({ ".zgroup": text, "x/.zgroup": text }, "x");
    expect(result.errors).toBeUndefined();
    expect(result.data.catalog.node.__typename).toBe("ZarrGroup");
    expect(result.data.catalog.node.metadata).toEqual(expectedOutput(text));
  });
});

describe("every fill value in zarr-metadata survives parse and serialise", () => {
  const typesDir = path.join(META, "v3/data_type");
  const cases: [string, string, string, string][] = [];
  for (const type of readdirSync(typesDir)) {
    const dir = path.join(typesDir, type);
    const dataTypeFile = path.join(dir, "data_type.json");
    const dataType = readdirSync(dir).includes("data_type.json")
      ? readFileSync(dataTypeFile, "utf8")
      : JSON.stringify(type);
    const values = losslessParse(readFileSync(path.join(dir, "fill_values.json"), "utf8")) as Record<string, unknown>;
    for (const [name, value] of Object.entries(values)) {
      cases.push([type, name, dataType, losslessStringify(value)!]);
    }
  }

  test("there are cases for every data type folder", () => {
    expect(new Set(cases.map((c) => c[0])).size).toBe(readdirSync(typesDir).length);
    expect(cases.length).toBeGreaterThan(40);
  });

  test.each(cases)("%s %s", async (_type, _name, dataType, valueText) => {
    const doc = `{"zarr_format": 3, "node_type": "array", "shape": [4], "data_type": ${dataType},
      "chunk_grid": {"name": "regular", "configuration": {"chunk_shape": [2]}},
      "chunk_key_encoding": {"name": "default"}, "fill_value": ${valueText},
      "codecs": [{"name": "bytes", "configuration": {"endian": "little"}}]}`;
    // Serialised again, the value is the same text, digit for digit.
    const parsed = parseJson(doc) as Record<string, unknown>;
    expect(stringifyJson(parsed.fill_value, 0)).toBe(valueText);
    expect(parseJson(stringifyJson(parsed)) as unknown).toEqual(parsed);
    // And through the API, by the number rule.
    const result = await readNode({ "zarr.json": doc }, "");
    expect(result.errors).toBeUndefined();
    expect(result.data.catalog.node.fillValue).toEqual(expectedOutput(valueText));
  });
});
