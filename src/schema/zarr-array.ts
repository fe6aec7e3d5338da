import { toOutputJson } from "../hierarchy/json.js";
import { type ArrayFields, product } from "../hierarchy/metadata.js";
import type { ZarrNodeRef } from "../hierarchy/session.js";
import { codecOut } from "../resolvers/nodes.js";
import { builder } from "./builder.js";
import { zarrNodeOptions } from "./zarr-node.js";

const Codec = builder.objectRef<{ name: string; configuration: unknown }>("Codec").implement({
  description:
    'A codec as {name, configuration}; v2 {"id": "zlib", "level": 1} is name "zlib", configuration {"level": 1}.',
  fields: (t) => ({
    name: t.exposeString("name"),
    configuration: t.field({ type: "JSON", nullable: true, resolve: (c) => c.configuration }),
  }),
});

const fields = (n: ZarrNodeRef): ArrayFields => n.meta.array!;

export const ZarrArray = builder.node("ZarrArray", {
  ...zarrNodeOptions("array"),
  fields: (t) => ({
    shape: t.field({ type: ["SafeInt"], resolve: (n) => fields(n).shape }),
    ndim: t.int({ resolve: (n) => fields(n).shape.length }),
    size: t.field({ type: "SafeInt", resolve: (n) => product(fields(n).shape) }),
    nchunks: t.field({ type: "SafeInt", nullable: true, resolve: (n) => fields(n).nchunks }),
    dataType: t.field({
      type: "JSON",
      description: 'The document\'s value: "<i4" (v2), "int32" or {name, configuration} (v3).',
      resolve: (n) => toOutputJson(fields(n).dataType),
    }),
    chunks: t.field({
      type: ["SafeInt"],
      nullable: true,
      description: "Chunk shape; the inner chunk of a sharded array; null if the grid is not regular.",
      resolve: (n) => fields(n).chunks,
    }),
    shards: t.field({
      type: ["SafeInt"],
      nullable: true,
      description: "Shard shape of a sharded array, else null.",
      resolve: (n) => fields(n).shards,
    }),
    fillValue: t.field({
      type: "JSON",
      nullable: true,
      description: 'The document\'s value ("NaN" stays "NaN"; integers beyond 2^53 as exact strings).',
      resolve: (n) => toOutputJson(fields(n).fillValue),
    }),
    order: t.string({ nullable: true, description: '"C" / "F" for v2, null for v3.', resolve: (n) => fields(n).order }),
    codecs: t.field({
      type: [Codec],
      description: "v3 codecs; for v2 the filters then the compressor.",
      resolve: (n) => fields(n).codecs.map(codecOut),
    }),
    compressor: t.field({
      type: Codec,
      nullable: true,
      description: "v2 only.",
      resolve: (n) => {
        const c = fields(n).compressor;
        return c ? codecOut(c) : null;
      },
    }),
    filters: t.field({
      type: [Codec],
      nullable: true,
      description: "v2 only ([] when the document says null, as zarr-python reports it).",
      resolve: (n) => (n.meta.zarrFormat === 2 ? (fields(n).filters ?? []).map(codecOut) : null),
    }),
    chunkKeyEncoding: t.field({ type: "JSON", resolve: (n) => toOutputJson(fields(n).chunkKeyEncoding) }),
    dimensionNames: t.field({
      type: ["String"],
      nullable: { list: true, items: true },
      description: "v3 dimension_names; v2 from the _ARRAY_DIMENSIONS attribute.",
      resolve: (n) => fields(n).dimensionNames,
    }),
  }),
});
