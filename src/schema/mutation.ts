import {
  type ArrayArgs,
  consolidateMetadataMutation,
  createArrayMutation,
  createGroupMutation,
  deleteNodeMutation,
  type GroupArgs,
  moveNodeMutation,
  requireArrayMutation,
  requireGroupMutation,
  updateAttributesMutation,
} from "../resolvers/mutations.js";
import { builder } from "./builder.js";
import { ZarrArray } from "./zarr-array.js";
import { ZarrGroup } from "./zarr-group.js";
import { ZarrNode } from "./zarr-node.js";

const CodecInput = builder.inputType("CodecInput", {
  description:
    'A codec: {name: "zstd", configuration: {level: 3}} (format 3) or a numcodecs id and its settings (format 2).',
  fields: (t) => ({
    name: t.string({ required: true }),
    configuration: t.field({ type: "JSON" }),
  }),
});

const UpdateAttributesMode = builder.enumType("UpdateAttributesMode", {
  description:
    "MERGE: the given keys replace theirs, the rest stay (shallow). REPLACE: the given object becomes the attributes.",
  values: ["MERGE", "REPLACE"] as const,
});

const IF_VERSION =
  "Refuse with CONFLICT unless the node's `version` is still this (read it with consolidated: IGNORE).";

/** The fields every input starts with. */
const where = (t: any) => ({
  catalog: t.string({ required: true }),
  path: t.string({ required: true, description: 'The node\'s path: "" for the root, "a/b" below it.' }),
  ifVersion: t.string({ description: IF_VERSION }),
});

const creation = (t: any) => ({
  ...where(t),
  attributes: t.field({ type: "JSON", description: "A JSON object (default {})." }),
  zarrFormat: t.int({ description: "2 or 3; default: the parent's (3 in an empty store). Must match the parent's." }),
});

const arrayFields = (t: any) => ({
  ...creation(t),
  shape: t.field({ type: ["SafeInt"], required: true }),
  dataType: t.field({
    type: "JSON",
    required: true,
    description:
      'Format 2: a numpy type string ("<i4", "<f8", "|b1", "<U8"); format 3: a name ("int32", "float64", "string").',
  }),
  chunks: t.field({
    type: ["SafeInt"],
    description: "Chunk shape (inner chunk when sharded); default: zarr-python's guess.",
  }),
  shards: t.field({ type: ["SafeInt"], description: "Format 3: shard shape, a multiple of chunks." }),
  fillValue: t.field({
    type: "JSON",
    description:
      'As the document holds it: integers beyond 2^53 as decimal strings, "NaN"/"Infinity" for floats. Default: zero.',
  }),
  codecs: t.field({
    type: [CodecInput],
    description: "Format 3: array->array, one array->bytes, bytes->bytes codecs.",
  }),
  compressor: t.field({ type: CodecInput, description: "Format 2; default blosc lz4, null for none." }),
  filters: t.field({ type: [CodecInput], description: "Format 2." }),
  order: t.string({ description: 'Format 2: "C" (default) or "F".' }),
  chunkKeyEncoding: t.field({
    type: "JSON",
    description: '{name: "default" | "v2", configuration: {separator: "/" | "."}}',
  }),
  dimensionNames: t.field({
    type: ["String"],
    required: { list: false, items: false },
    description: "One per dimension; format 3 allows null entries, format 2 stores them as _ARRAY_DIMENSIONS.",
  }),
});

const CreateGroupInput = builder.inputType("CreateGroupInput", {
  fields: (t) => ({ ...creation(t), overwrite: t.boolean({ defaultValue: false }) }),
});
const CreateArrayInput = builder.inputType("CreateArrayInput", {
  fields: (t) => ({ ...arrayFields(t), overwrite: t.boolean({ defaultValue: false }) }),
});
const RequireGroupInput = builder.inputType("RequireGroupInput", { fields: (t) => creation(t) });
const RequireArrayInput = builder.inputType("RequireArrayInput", {
  fields: (t) => ({
    ...arrayFields(t),
    exact: t.boolean({
      defaultValue: false,
      description: "An existing array's data type must equal dataType (default: cast safely to it).",
    }),
  }),
});
const UpdateAttributesInput = builder.inputType("UpdateAttributesInput", {
  fields: (t) => ({
    ...where(t),
    attributes: t.field({ type: "JSON", required: true }),
    mode: t.field({ type: UpdateAttributesMode, required: true }),
  }),
});
const DeleteNodeInput = builder.inputType("DeleteNodeInput", { fields: (t) => where(t) });
const MoveNodeInput = builder.inputType("MoveNodeInput", {
  fields: (t) => ({ ...where(t), newPath: t.string({ required: true }) }),
});
const ConsolidateMetadataInput = builder.inputType("ConsolidateMetadataInput", {
  fields: (t) => ({ ...where(t), path: t.string({ required: false, defaultValue: "" }) }),
});

const payload = <T extends object>(name: string, fields: (t: any) => Record<string, any>) =>
  builder.objectRef<T>(name).implement({ fields });

const CreateGroupPayload = payload("CreateGroupPayload", (t) => ({
  group: t.field({ type: ZarrGroup, resolve: (p: any) => p.group }),
}));
const CreateArrayPayload = payload("CreateArrayPayload", (t) => ({
  array: t.field({ type: ZarrArray, resolve: (p: any) => p.array }),
}));
const RequireGroupPayload = payload("RequireGroupPayload", (t) => ({
  group: t.field({ type: ZarrGroup, resolve: (p: any) => p.group }),
  created: t.boolean({ resolve: (p: any) => p.created }),
}));
const RequireArrayPayload = payload("RequireArrayPayload", (t) => ({
  array: t.field({ type: ZarrArray, resolve: (p: any) => p.array }),
  created: t.boolean({ resolve: (p: any) => p.created }),
}));
const UpdateAttributesPayload = payload("UpdateAttributesPayload", (t) => ({
  node: t.field({ type: ZarrNode, resolve: (p: any) => p.node }),
}));
const DeleteNodePayload = payload("DeleteNodePayload", (t) => ({
  deletedPath: t.string({ resolve: (p: any) => p.deletedPath }),
  deletedObjects: t.int({
    description: "Objects removed: documents and chunks.",
    resolve: (p: any) => p.deletedObjects,
  }),
}));
const MoveNodePayload = payload("MoveNodePayload", (t) => ({
  node: t.field({ type: ZarrNode, resolve: (p: any) => p.node }),
  movedObjects: t.int({
    description: "Objects copied to the new path and removed from the old.",
    resolve: (p: any) => p.movedObjects,
  }),
}));
const ConsolidateMetadataPayload = payload("ConsolidateMetadataPayload", (t) => ({
  group: t.field({ type: ZarrGroup, resolve: (p: any) => p.group }),
  consolidatedNodes: t.int({
    description: "Members copied into the consolidated metadata.",
    resolve: (p: any) => p.consolidatedNodes,
  }),
}));

const input = (t: any, type: unknown) => ({ input: t.arg({ type, required: true }) });

builder.mutationType({
  description:
    "Off unless the server runs with --writable; then each needs Authorization: Bearer <token>. Otherwise FORBIDDEN.",
  fields: (t) => ({
    createGroup: t.field({
      type: CreateGroupPayload,
      nullable: true,
      args: input(t, CreateGroupInput),
      resolve: (_r, { input }, ctx) => createGroupMutation(ctx, input as GroupArgs),
    }),
    createArray: t.field({
      type: CreateArrayPayload,
      nullable: true,
      args: input(t, CreateArrayInput),
      resolve: (_r, { input }, ctx) => createArrayMutation(ctx, input as ArrayArgs),
    }),
    requireGroup: t.field({
      type: RequireGroupPayload,
      nullable: true,
      args: input(t, RequireGroupInput),
      resolve: (_r, { input }, ctx) => requireGroupMutation(ctx, input as GroupArgs),
    }),
    requireArray: t.field({
      type: RequireArrayPayload,
      nullable: true,
      args: input(t, RequireArrayInput),
      resolve: (_r, { input }, ctx) => requireArrayMutation(ctx, input as ArrayArgs),
    }),
    updateAttributes: t.field({
      type: UpdateAttributesPayload,
      nullable: true,
      args: input(t, UpdateAttributesInput),
      resolve: (_r, { input }, ctx) => updateAttributesMutation(ctx, input as never),
    }),
    deleteNode: t.field({
      type: DeleteNodePayload,
      nullable: true,
      args: input(t, DeleteNodeInput),
      resolve: (_r, { input }, ctx) => deleteNodeMutation(ctx, input as never),
    }),
    moveNode: t.field({
      type: MoveNodePayload,
      nullable: true,
      args: input(t, MoveNodeInput),
      resolve: (_r, { input }, ctx) => moveNodeMutation(ctx, input as never),
    }),
    consolidateMetadata: t.field({
      type: ConsolidateMetadataPayload,
      nullable: true,
      args: input(t, ConsolidateMetadataInput),
      resolve: (_r, { input }, ctx) => consolidateMetadataMutation(ctx, input as never),
    }),
  }),
});
