// Property tests over generated metadata documents: valid ones, mutated ones (fields dropped,
// values of the wrong type, extra fields), truncated and corrupted text, random bytes, deep
// nesting. Through the parsers none may throw anything but the typed errors, or take long; through
// the server, a broken document is an error at its own node and the rest of the answer stands.
import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { indexFromInline, indexFromZmetadata } from "../src/hierarchy/consolidated.js";
import { ZarrError } from "../src/hierarchy/errors.js";
import { isJsonObject, JsonSyntaxError, type JsonValue, parseJson, toOutputJson } from "../src/hierarchy/json.js";
import { parseV2Array, parseV2Group, readAttributes } from "../src/hierarchy/metadata-v2.js";
import { parseV3 } from "../src/hierarchy/metadata-v3.js";
import { MemoryStore } from "../src/stores/memory.js";
import { catalog, createApp, gql } from "./support/app.js";

// ---- valid documents -------------------------------------------------------------------------

const shape = fc.array(fc.nat({ max: 100_000 }), { maxLength: 4 });
const attrValue = fc.jsonValue({ maxDepth: 3 });
const attributes = fc.dictionary(fc.string({ maxLength: 12 }), attrValue, { maxKeys: 5 });
const fillValue = fc.oneof(
  fc.integer(),
  fc.double(),
  fc.constantFrom("NaN", "Infinity", "-Infinity", "0x7fc00000", "AAAA"),
  fc.boolean(),
  fc.constant(null),
  fc.tuple(fc.double(), fc.double()),
);

const v3Array = shape.chain((s) =>
  fc.record(
    {
      zarr_format: fc.constant(3),
      node_type: fc.constant("array"),
      shape: fc.constant(s),
      data_type: fc.oneof(
        fc.constantFrom("bool", "int8", "int32", "uint64", "float32", "float64", "complex128", "string", "r16"),
        fc.record({ name: fc.constantFrom("numpy.datetime64", "fixed_length_utf32"), configuration: attributes }),
      ),
      chunk_grid: fc.oneof(
        fc.record({
          name: fc.constant("regular"),
          configuration: fc.record({ chunk_shape: fc.constant(s.map((n) => Math.max(1, Math.ceil(n / 3)))) }),
        }),
        fc.record({
          name: fc.constant("rectilinear"),
          configuration: fc.record({
            chunk_shapes: fc.constant(s.map((n) => (n > 4 ? [[2, Math.floor(n / 2)], n % 2] : Math.max(1, n)))),
          }),
        }),
      ),
      chunk_key_encoding: fc.record({
        name: fc.constantFrom("default", "v2"),
        configuration: fc.record({ separator: fc.constantFrom("/", ".") }),
      }),
      fill_value: fillValue,
      codecs: fc.array(
        fc.oneof(
          fc.record({ name: fc.constantFrom("bytes", "blosc", "gzip", "zstd", "crc32c", "transpose") }),
          fc.record({
            name: fc.constant("sharding_indexed"),
            configuration: fc.record({ chunk_shape: fc.constant(s.map(() => 1)), codecs: fc.constant([]) }),
          }),
        ),
        { minLength: 1, maxLength: 3 },
      ),
      attributes,
      dimension_names: fc.constant(s.map((_, i) => `d${i}`)),
    },
    {
      requiredKeys: [
        "zarr_format",
        "node_type",
        "shape",
        "data_type",
        "chunk_grid",
        "chunk_key_encoding",
        "fill_value",
        "codecs",
      ],
    },
  ),
);

const v3Group = fc.record(
  { zarr_format: fc.constant(3), node_type: fc.constant("group"), attributes },
  { requiredKeys: ["zarr_format", "node_type"] },
);

const relPath = fc
  .array(fc.constantFrom("a", "b", "g0", "x", "/", "", "..", "a/b"), { minLength: 1, maxLength: 3 })
  .map((parts) => parts.join("/"));

/** A v3 group with inline consolidated metadata, whose groups may carry nested blocks. */
const v3Consolidated: fc.Arbitrary<Record<string, unknown>> = fc.letrec<{ group: Record<string, unknown> }>((tie) => ({
  group: fc.record({
    zarr_format: fc.constant(3),
    node_type: fc.constant("group"),
    attributes,
    consolidated_metadata: fc.record({
      kind: fc.constant("inline"),
      must_understand: fc.constant(false),
      metadata: fc.dictionary(
        relPath,
        fc.oneof({ depthSize: "small", withCrossShrink: true }, v3Array, v3Group, tie("group")),
        { maxKeys: 4 },
      ),
    }),
  }),
})).group;

const dtype = fc.oneof(
  fc.constantFrom("<f4", ">i8", "|b1", "<U10", "|S3", "<M8[ns]", "|O", "<c16"),
  fc.constant([
    ["a", "<i4"],
    ["b", "<f8", [2]],
  ]),
);

const v2Array = shape.chain((s) =>
  fc.record(
    {
      zarr_format: fc.constant(2),
      shape: fc.constant(s),
      chunks: fc.constant(s.map((n) => Math.max(1, n))),
      dtype,
      compressor: fc.oneof(fc.constant(null), fc.record({ id: fc.constantFrom("zlib", "blosc"), level: fc.nat(9) })),
      fill_value: fillValue,
      order: fc.constantFrom("C", "F"),
      filters: fc.oneof(fc.constant(null), fc.array(fc.record({ id: fc.constantFrom("delta", "shuffle") }))),
      dimension_separator: fc.constantFrom(".", "/"),
    },
    { requiredKeys: ["zarr_format", "shape", "chunks", "dtype", "fill_value"] },
  ),
);

const v2Group = fc.constant({ zarr_format: 2 });

const zmetadata = fc
  .array(fc.tuple(relPath, fc.oneof(v2Array, v2Group, attributes)), { maxLength: 5 })
  .map((entries) => ({
    zarr_consolidated_format: 1,
    metadata: Object.fromEntries(
      entries.map(([p, doc], i) => {
        const name = "shape" in doc ? ".zarray" : "zarr_format" in doc ? ".zgroup" : ".zattrs";
        return [`${p}${i}/${name}`, doc];
      }),
    ),
  }));

const validDocument = fc.oneof(v3Array, v3Group, v3Consolidated, v2Array, v2Group, zmetadata, attributes);

// ---- broken documents ------------------------------------------------------------------------

/** Drops, retypes or adds one field somewhere in the document. */
function mutate(doc: unknown, pick: number, replacement: unknown, op: number): unknown {
  if (doc === null || typeof doc !== "object") return replacement;
  const copy: any = Array.isArray(doc) ? [...doc] : { ...doc };
  const keys = Object.keys(copy);
  if (keys.length === 0) return op === 2 ? { extra: replacement } : replacement;
  const key = keys[pick % keys.length];
  // Sometimes go one level deeper, so nested fields break too.
  if (op === 3 && copy[key] !== null && typeof copy[key] === "object") {
    copy[key] = mutate(copy[key], Math.floor(pick / 7), replacement, pick % 3);
  } else if (op === 0) {
    if (Array.isArray(copy)) copy.splice(pick % keys.length, 1);
    else delete copy[key];
  } else if (op === 1) copy[key] = replacement;
  else copy[`x_${pick}`] = replacement;
  return copy;
}

const mutatedDocument = fc
  .tuple(validDocument, fc.nat(), fc.jsonValue({ maxDepth: 2 }), fc.nat(3))
  .map(([doc, pick, replacement, op]) => mutate(doc, pick, replacement, op));

const encoder = new TextEncoder();
const asBytes = (doc: unknown) => encoder.encode(JSON.stringify(doc));

const truncated = fc.tuple(validDocument, fc.double({ min: 0, max: 1, noNaN: true })).map(([doc, at]) => {
  const text = JSON.stringify(doc);
  return encoder.encode(text.slice(0, Math.floor(text.length * at)));
});

const corrupted = fc
  .tuple(validDocument, fc.array(fc.tuple(fc.nat(), fc.nat(255)), { minLength: 1, maxLength: 6 }))
  .map(([doc, flips]) => {
    const bytes = asBytes(doc);
    for (const [at, value] of flips) if (bytes.length) bytes[at % bytes.length] = value;
    return bytes;
  });

/** Bare NaN / Infinity written into the text (as zarr-python 2 does), in and out of place. */
const bareTokens = fc
  .tuple(validDocument, fc.constantFrom("NaN", "Infinity", "-Infinity", "NaNx", "-Inf"), fc.nat())
  .map(([doc, token, at]) => {
    const text = JSON.stringify(doc);
    const i = at % (text.length + 1);
    return encoder.encode(
      at % 2 ? text.replace(/"NaN"|-?\d+(\.\d+)?/, token) : text.slice(0, i) + token + text.slice(i),
    );
  });

const deepNesting = fc
  .tuple(fc.integer({ min: 1, max: 2000 }), fc.constantFrom("[", '{"a":'), fc.boolean())
  .map(([depth, open, closed]) => {
    const close = open === "[" ? "]" : "}";
    const inner = `${open.repeat(depth)}1${closed ? close.repeat(depth) : ""}`;
    return encoder.encode(`{"zarr_format": 3, "node_type": "group", "attributes": {"deep": ${inner}}}`);
  });

const randomBytes = fc.uint8Array({ maxLength: 300 });

const withBom = validDocument.map((doc) => encoder.encode(`\ufeff${JSON.stringify(doc)}`));

type Kind = "valid" | "mutated" | "truncated" | "corrupted" | "bare" | "deep" | "random" | "bom";
const documents: fc.Arbitrary<{ kind: Kind; bytes: Uint8Array }> = fc.oneof(
  { arbitrary: validDocument.map((d) => ({ kind: "valid" as Kind, bytes: asBytes(d) })), weight: 3 },
  { arbitrary: mutatedDocument.map((d) => ({ kind: "mutated" as Kind, bytes: asBytes(d) })), weight: 4 },
  { arbitrary: truncated.map((bytes) => ({ kind: "truncated" as Kind, bytes })), weight: 2 },
  { arbitrary: corrupted.map((bytes) => ({ kind: "corrupted" as Kind, bytes })), weight: 2 },
  { arbitrary: bareTokens.map((bytes) => ({ kind: "bare" as Kind, bytes })), weight: 1 },
  { arbitrary: deepNesting.map((bytes) => ({ kind: "deep" as Kind, bytes })), weight: 1 },
  { arbitrary: randomBytes.map((bytes) => ({ kind: "random" as Kind, bytes })), weight: 1 },
  { arbitrary: withBom.map((bytes) => ({ kind: "bom" as Kind, bytes })), weight: 1 },
);

// ---- the property ----------------------------------------------------------------------------

/** Runs `fn`; returns "ok", or the typed error's name; anything else is thrown on. */
function typed(fn: () => unknown, allowed: (error: unknown) => boolean): string {
  try {
    fn();
    return "ok";
  } catch (error) {
    if (allowed(error)) return (error as Error).constructor.name;
    throw error;
  }
}

const isZarrError = (e: unknown) => e instanceof ZarrError;

/** Everything the read path does with one document's bytes, whatever kind of document it is. */
function throughEveryParser(bytes: Uint8Array, outcomes: Map<string, number>): void {
  const count = (what: string) => outcomes.set(what, (outcomes.get(what) ?? 0) + 1);
  let value: JsonValue | undefined;
  count(
    `json:${typed(
      () => {
        value = parseJson(bytes);
      },
      (e) => e instanceof JsonSyntaxError,
    )}`,
  );
  if (value === undefined) return;
  toOutputJson(value);
  const attrs = isJsonObject(value) ? value : {};
  count(`v3:${typed(() => parseV3("k/zarr.json", value!, "1"), isZarrError)}`);
  count(`v2array:${typed(() => parseV2Array("k/.zarray", value!, attrs, null), isZarrError)}`);
  count(`v2group:${typed(() => parseV2Group("k/.zgroup", value!, attrs, null), isZarrError)}`);
  count(`attrs:${typed(() => readAttributes("k/.zattrs", value), isZarrError)}`);
  count(
    `zmetadata:${typed(() => {
      const index = indexFromZmetadata("", ".zmetadata", value!, null);
      for (const node of index.nodes.values()) if (!(node instanceof ZarrError)) toOutputJson(node.document);
    }, isZarrError)}`,
  );
  if (isJsonObject(value)) {
    count(
      `inline:${typed(() => {
        const index = indexFromInline("", "zarr.json", value as never, null);
        for (const node of index?.nodes.values() ?? []) if (!(node instanceof ZarrError)) toOutputJson(node.attributes);
      }, isZarrError)}`,
    );
  }
}

describe("generated metadata documents through the parsers", () => {
  test("12,000 documents: only JsonSyntaxError or ZarrError ever escapes, and none takes long", () => {
    const outcomes = new Map<string, number>();
    const kinds = new Map<Kind, number>();
    let slowest = 0;
    fc.assert(
      fc.property(documents, ({ kind, bytes }) => {
        kinds.set(kind, (kinds.get(kind) ?? 0) + 1);
        const started = performance.now();
        throughEveryParser(bytes, outcomes);
        slowest = Math.max(slowest, performance.now() - started);
      }),
      { numRuns: 12_000, seed: 6 },
    );
    const total = [...kinds.values()].reduce((a, b) => a + b, 0);
    expect(total).toBe(12_000);
    // Every kind of document was generated, and both outcomes happened where both can.
    for (const kind of ["valid", "mutated", "truncated", "corrupted", "bare", "deep", "random", "bom"] as const) {
      expect(kinds.get(kind), kind).toBeGreaterThan(200);
    }
    for (const parser of ["json", "v3", "v2array", "v2group", "attrs", "zmetadata", "inline"]) {
      expect(outcomes.get(`${parser}:ok`), parser).toBeGreaterThan(50);
    }
    expect(outcomes.get("json:JsonSyntaxError")).toBeGreaterThan(1000);
    expect(outcomes.get("v3:InvalidMetadataError")).toBeGreaterThan(1000);
    // Generous: a document is parsed in microseconds; a hang or a quadratic blow-up is not.
    expect(slowest).toBeLessThan(2_000);
  });

  test("a consolidated document with thousands of nested blocks is indexed in linear time", () => {
    const metadata: Record<string, unknown> = {};
    for (let i = 0; i < 20_000; i++) {
      metadata[`g${i}`] = {
        zarr_format: 3,
        node_type: "group",
        consolidated_metadata: { kind: "inline", metadata: { [`a${i}`]: { zarr_format: 3, node_type: "group" } } },
      };
    }
    const doc = parseJson(JSON.stringify({ zarr_format: 3, node_type: "group", consolidated_metadata: { metadata } }));
    const started = performance.now();
    const index = indexFromInline("", "zarr.json", doc as never, null)!;
    // Generous bound: copying the map per nested block took minutes at this size.
    expect(performance.now() - started).toBeLessThan(10_000);
    expect(index.nodes.size).toBe(1 + 40_000);
    expect(index.childrenOf("g7")).toEqual(["g7/a7"]);
  });

  test("outer keys of consolidated metadata win over nested blocks, whatever the nesting", () => {
    const doc = {
      zarr_format: 3,
      node_type: "group",
      consolidated_metadata: {
        metadata: {
          a: {
            zarr_format: 3,
            node_type: "group",
            consolidated_metadata: {
              metadata: {
                b: {
                  zarr_format: 3,
                  node_type: "group",
                  attributes: { from: "a's block" },
                  consolidated_metadata: {
                    metadata: { c: { zarr_format: 3, node_type: "group", attributes: { from: "b's block" } } },
                  },
                },
                "b/c": { zarr_format: 3, node_type: "group", attributes: { from: "a's block" } },
              },
            },
          },
          "a/b": { zarr_format: 3, node_type: "group", attributes: { from: "root block" } },
        },
      },
    };
    const index = indexFromInline("", "zarr.json", parseJson(JSON.stringify(doc)) as never, null)!;
    const from = (p: string) => (index.nodes.get(p) as unknown as { attributes: { from: string } }).attributes.from;
    expect(from("a/b")).toBe("root block");
    expect(from("a/b/c")).toBe("a's block");
  });
});

describe("generated documents through the server", () => {
  const group = (attrs: object) => JSON.stringify({ zarr_format: 3, node_type: "group", attributes: attrs });
  const names = ["zarr.json", ".zarray", ".zattrs", ".zgroup", ".zmetadata"] as const;
  const QUERY = `{ catalog(name: "f") {
    root { path ... on ZarrGroup { members(maxDepth: null) { totalCount nodes { path attributes metadata
      ... on ZarrArray { shape chunks shards dataType fillValue order codecs { name configuration } dimensionNames nchunks size } } } } }
    broken: node(path: "broken") { path attributes metadata ... on ZarrArray { shape dataType fillValue } }
    sibling: node(path: "sibling") { path attributes } } }`;

  test("a broken document is an error at its node; its sibling and the root still answer", async () => {
    let runs = 0;
    await fc.assert(
      fc.asyncProperty(documents, fc.constantFrom(...names), fc.boolean(), async ({ bytes }, name, v2) => {
        runs++;
        const files: Record<string, string | Uint8Array> = v2
          ? { ".zgroup": '{"zarr_format": 2}', "sibling/.zgroup": '{"zarr_format": 2}', [`broken/${name}`]: bytes }
          : { "zarr.json": group({}), "sibling/zarr.json": group({ ok: 1 }), [`broken/${name}`]: bytes };
        const app = createApp({
          catalogs: [catalog("f", new MemoryStore("memory://f", files))],
          responseCacheEntries: 0,
        });
        const result = await gql(app, QUERY);
        expect(result.data.catalog.sibling.path).toBe("sibling");
        expect(result.data.catalog.root.path).toBe("");
        for (const error of result.errors ?? []) {
          expect(["INVALID_METADATA", "NOT_FOUND"], JSON.stringify(error)).toContain(error.extensions?.code);
        }
        const members = result.data.catalog.root.members;
        expect(members.nodes.map((n: any) => n?.path)).toContain("sibling");
      }),
      { numRuns: 250, seed: 7 },
    );
    expect(runs).toBe(250);
  });
});
