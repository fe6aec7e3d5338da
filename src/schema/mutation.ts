import {
  type ArrayArgs,
  consolidateMetadataMutation,
  createArrayMutation,
  createGroupMutation,
  deleteNodeMutation,
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

type Types = typeof builder extends PothosSchemaTypes.SchemaBuilder<infer T> ? T : never;
type InputFields = PothosSchemaTypes.InputFieldBuilder<Types, "InputObject">;

/** The fields every input starts with. */
const where = (t: InputFields) => ({
  catalog: t.string({ required: true }),
  path: t.string({ required: true, description: 'The node\'s path: "" for the root, "a/b" below it.' }),
  ifVersion: t.string({ description: IF_VERSION }),
});

const creation = (t: InputFields) => ({
  ...where(t),
  attributes: t.field({ type: "JSON", description: "A JSON object (default {})." }),
  zarrFormat: t.int({ description: "2 or 3; default: the parent's (3 in an empty store). Must match the parent's." }),
});

const arrayFields = (t: InputFields) => ({
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

/** What a mutation's resolver answers: its payload type's backing object. */
type Payload<F extends (...args: never[]) => Promise<unknown>> = Awaited<ReturnType<F>>;

const CreateGroupPayload = builder.objectRef<Payload<typeof createGroupMutation>>("CreateGroupPayload").implement({
  fields: (t) => ({ group: t.field({ type: ZarrGroup, resolve: (p) => p.group }) }),
});
const CreateArrayPayload = builder.objectRef<Payload<typeof createArrayMutation>>("CreateArrayPayload").implement({
  fields: (t) => ({ array: t.field({ type: ZarrArray, resolve: (p) => p.array }) }),
});
const RequireGroupPayload = builder.objectRef<Payload<typeof requireGroupMutation>>("RequireGroupPayload").implement({
  fields: (t) => ({
    group: t.field({ type: ZarrGroup, resolve: (p) => p.group }),
    created: t.exposeBoolean("created"),
  }),
});
const RequireArrayPayload = builder.objectRef<Payload<typeof requireArrayMutation>>("RequireArrayPayload").implement({
  fields: (t) => ({
    array: t.field({ type: ZarrArray, resolve: (p) => p.array }),
    created: t.exposeBoolean("created"),
  }),
});
const UpdateAttributesPayload = builder
  .objectRef<Payload<typeof updateAttributesMutation>>("UpdateAttributesPayload")
  .implement({ fields: (t) => ({ node: t.field({ type: ZarrNode, resolve: (p) => p.node }) }) });
const DeleteNodePayload = builder.objectRef<Payload<typeof deleteNodeMutation>>("DeleteNodePayload").implement({
  fields: (t) => ({
    deletedPath: t.exposeString("deletedPath"),
    deletedObjects: t.exposeInt("deletedObjects", { description: "Objects removed: documents and chunks." }),
  }),
});
const MoveNodePayload = builder.objectRef<Payload<typeof moveNodeMutation>>("MoveNodePayload").implement({
  fields: (t) => ({
    node: t.field({ type: ZarrNode, resolve: (p) => p.node }),
    movedObjects: t.exposeInt("movedObjects", {
      description: "Objects copied to the new path and removed from the old.",
    }),
  }),
});
const ConsolidateMetadataPayload = builder
  .objectRef<Payload<typeof consolidateMetadataMutation>>("ConsolidateMetadataPayload")
  .implement({
    fields: (t) => ({
      group: t.field({ type: ZarrGroup, resolve: (p) => p.group }),
      consolidatedNodes: t.exposeInt("consolidatedNodes", {
        description: "Members copied into the consolidated metadata.",
      }),
    }),
  });

builder.mutationType({
  description:
    "Off unless the server runs with --writable; then each needs Authorization: Bearer <token>. Otherwise FORBIDDEN.",
  fields: (t) => ({
    createGroup: t.field({
      type: CreateGroupPayload,
      nullable: true,
      args: { input: t.arg({ type: CreateGroupInput, required: true }) },
      resolve: (_r, { input }, ctx) => createGroupMutation(ctx, input),
    }),
    createArray: t.field({
      type: CreateArrayPayload,
      nullable: true,
      args: { input: t.arg({ type: CreateArrayInput, required: true }) },
      resolve: (_r, { input }, ctx) => createArrayMutation(ctx, input as ArrayArgs),
    }),
    requireGroup: t.field({
      type: RequireGroupPayload,
      nullable: true,
      args: { input: t.arg({ type: RequireGroupInput, required: true }) },
      resolve: (_r, { input }, ctx) => requireGroupMutation(ctx, input),
    }),
    requireArray: t.field({
      type: RequireArrayPayload,
      nullable: true,
      args: { input: t.arg({ type: RequireArrayInput, required: true }) },
      resolve: (_r, { input }, ctx) => requireArrayMutation(ctx, input as ArrayArgs),
    }),
    updateAttributes: t.field({
      type: UpdateAttributesPayload,
      nullable: true,
      args: { input: t.arg({ type: UpdateAttributesInput, required: true }) },
      resolve: (_r, { input }, ctx) =>
        updateAttributesMutation(ctx, input as Parameters<typeof updateAttributesMutation>[1]),
    }),
    deleteNode: t.field({
      type: DeleteNodePayload,
      nullable: true,
      args: { input: t.arg({ type: DeleteNodeInput, required: true }) },
      resolve: (_r, { input }, ctx) => deleteNodeMutation(ctx, input),
    }),
    moveNode: t.field({
      type: MoveNodePayload,
      nullable: true,
      args: { input: t.arg({ type: MoveNodeInput, required: true }) },
      resolve: (_r, { input }, ctx) => moveNodeMutation(ctx, input),
    }),
    consolidateMetadata: t.field({
      type: ConsolidateMetadataPayload,
      nullable: true,
      args: { input: t.arg({ type: ConsolidateMetadataInput, required: true }) },
      resolve: (_r, { input }, ctx) => consolidateMetadataMutation(ctx, { ...input, path: input.path ?? "" }),
    }),
  }),
});
