// Random hierarchies for the search property test: a model (what the oracle reads) and the
// documents written from it (what the server reads), numbers written digit for digit.
import fc from "fast-check";
import { type ModelNode, Num, type Value } from "./search-oracle.js";

export const NAMES = ["a", "ab", "b", "a_b", "É", "sst", "x1", "Σigma", "t", "temp"];
export const STRINGS = [
  "K",
  "k",
  "sea_surface_temperature",
  "Sea Surface",
  "é",
  "É",
  "ß",
  "σ",
  "ς",
  "Σ",
  "😀",
  "\uff21",
  "a%b",
  "a_b",
  "",
  "1",
  "10",
  "9",
  "degC",
  "x y",
  "été",
];
export const NUMBERS = [
  "0",
  "1",
  "1.0",
  "-1",
  "2.5",
  "2.50",
  "1e3",
  "1000",
  "0.1",
  "3",
  "9007199254740993",
  "9007199254740992",
  "-9223372036854775808",
  "9223372036854775807",
];
export const KEYS = ["units", "Units", "standard_name", "n", "o", "l", "x", "a.b", "é"];
const DTYPES = { 2: ["<f4", "<i8", "|u1"], 3: ["float32", "int64", "uint8"] } as const;
export const ALL_DTYPES = [...DTYPES[2], ...DTYPES[3]];
export const DIMS = ["time", "lat", "x", "y", ""];

const leaf: fc.Arbitrary<Value> = fc.oneof(
  fc.constant(null),
  fc.boolean(),
  fc.constantFrom(...STRINGS),
  fc.constantFrom(...NUMBERS).map((t) => new Num(t)),
);

export const valueArb: fc.Arbitrary<Value> = fc.letrec<{ value: Value }>((tie) => ({
  value: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    leaf,
    fc.array(tie("value"), { maxLength: 3 }),
    fc.dictionary(fc.constantFrom("x", "y", "v", "é"), tie("value"), { maxKeys: 3 }),
  ),
})).value;

const attributesArb = fc.dictionary(fc.constantFrom(...KEYS), valueArb, { maxKeys: 4 });

const specArb = fc.record({
  parent: fc.nat(20),
  name: fc.constantFrom(...NAMES),
  group: fc.boolean(),
  attributes: attributesArb,
  dtype: fc.nat(2),
  ndim: fc.integer({ min: 0, max: 3 }),
  dims: fc.array(fc.option(fc.constantFrom(...DIMS), { nil: null }), { minLength: 3, maxLength: 3 }),
  withDims: fc.boolean(),
});

export interface Hierarchy {
  format: 2 | 3;
  consolidated: boolean;
  nodes: ModelNode[];
}

export const hierarchyArb: fc.Arbitrary<Hierarchy> = fc
  .record({
    format: fc.constantFrom(2 as const, 3 as const),
    consolidated: fc.boolean(),
    rootAttributes: attributesArb,
    specs: fc.array(specArb, { maxLength: 10 }),
  })
  .map(({ format, consolidated, rootAttributes, specs }) => {
    const root: ModelNode = { path: "", nodeType: "group", zarrFormat: format, attributes: rootAttributes };
    const nodes = [root];
    const groups = [root];
    for (const s of specs) {
      const parent = groups[s.parent % groups.length];
      const path = parent.path === "" ? s.name : `${parent.path}/${s.name}`;
      if (nodes.some((n) => n.path === path)) continue;
      const node: ModelNode = {
        path,
        nodeType: s.group ? "group" : "array",
        zarrFormat: format,
        attributes: s.attributes,
      };
      if (!s.group) {
        node.shape = Array.from({ length: s.ndim }, (_, i) => i + 2);
        node.dataType = DTYPES[format][s.dtype];
        const names = s.dims.slice(0, s.ndim);
        if (format === 3) node.dimensionNames = s.withDims ? names : null;
        else if (s.withDims) {
          // Sometimes the wrong length: then it is no dimension names, only an attribute.
          node.attributes = { ...node.attributes, _ARRAY_DIMENSIONS: s.dims.map((d) => d ?? "") };
        }
      }
      nodes.push(node);
      if (s.group) groups.push(node);
    }
    return { format, consolidated, nodes };
  });

/** JSON text with numbers exactly as the model holds them. */
export function jsonText(v: unknown): string {
  if (v instanceof Num) return v.text;
  if (Array.isArray(v)) return `[${v.map(jsonText).join(", ")}]`;
  if (v !== null && typeof v === "object") {
    return `{${Object.entries(v)
      .map(([k, x]) => `${JSON.stringify(k)}: ${jsonText(x)}`)
      .join(", ")}}`;
  }
  return JSON.stringify(v);
}

function v3Document(node: ModelNode): Record<string, unknown> {
  if (node.nodeType === "group") return { zarr_format: 3, node_type: "group", attributes: node.attributes };
  const shape = node.shape!;
  return {
    zarr_format: 3,
    node_type: "array",
    shape,
    data_type: node.dataType,
    chunk_grid: { name: "regular", configuration: { chunk_shape: shape } },
    chunk_key_encoding: { name: "default", configuration: { separator: "/" } },
    fill_value: 0,
    codecs: [{ name: "bytes", configuration: { endian: "little" } }],
    attributes: node.attributes,
    ...(node.dimensionNames ? { dimension_names: node.dimensionNames } : {}),
  };
}

/** The store's objects for a hierarchy, consolidated at the root when asked. */
export function hierarchyFiles(h: Hierarchy): Record<string, string> {
  const files: Record<string, string> = {};
  const at = (path: string, name: string) => (path === "" ? name : `${path}/${name}`);
  if (h.format === 3) {
    for (const node of h.nodes) files[at(node.path, "zarr.json")] = jsonText(v3Document(node));
    if (h.consolidated) {
      const metadata = Object.fromEntries(h.nodes.filter((n) => n.path !== "").map((n) => [n.path, v3Document(n)]));
      files["zarr.json"] = jsonText({
        ...v3Document(h.nodes[0]),
        consolidated_metadata: { kind: "inline", must_understand: false, metadata },
      });
    }
    return files;
  }
  const docs: Record<string, unknown> = {};
  for (const node of h.nodes) {
    if (node.nodeType === "group") docs[at(node.path, ".zgroup")] = { zarr_format: 2 };
    else {
      const shape = node.shape!;
      docs[at(node.path, ".zarray")] = {
        zarr_format: 2,
        shape,
        chunks: shape,
        dtype: node.dataType,
        compressor: null,
        fill_value: 0,
        filters: null,
        order: "C",
      };
    }
    if (Object.keys(node.attributes).length > 0) docs[at(node.path, ".zattrs")] = node.attributes;
  }
  for (const [key, doc] of Object.entries(docs)) files[key] = jsonText(doc);
  if (h.consolidated) files[".zmetadata"] = jsonText({ zarr_consolidated_format: 1, metadata: docs });
  return files;
}
