import { ForbiddenError, ZarrError } from "../hierarchy/errors.js";
import type { ZarrNodeRef } from "../hierarchy/session.js";
import { type AttributesMode, updateAttributes } from "../hierarchy/write/attributes.js";
import type { CodecInput } from "../hierarchy/write/codecs.js";
import { consolidateMetadata } from "../hierarchy/write/consolidate.js";
import { createArray, createGroup, requireArray, requireGroup } from "../hierarchy/write/create.js";
import type { ArrayInput } from "../hierarchy/write/documents.js";
import { moveNode } from "../hierarchy/write/move.js";
import { deleteNode } from "../hierarchy/write/remove.js";
import { DEFAULT_WRITE_LIMITS, type WriteTarget } from "../hierarchy/write/target.js";
import type { GraphQLContext } from "./context.js";
import { openNode } from "./nodes.js";

/** Fields every mutation input has. */
interface Common {
  catalog: string;
  path: string;
  ifVersion?: string | null;
}

export interface GroupArgs extends Common {
  attributes?: unknown;
  zarrFormat?: number | null;
  overwrite?: boolean | null;
}

export interface ArrayArgs extends GroupArgs, Omit<ArrayInput, "attributes" | "codecs" | "filters" | "compressor"> {
  codecs?: CodecInput[] | null;
  compressor?: CodecInput | null;
  filters?: CodecInput[] | null;
  exact?: boolean | null;
}

/**
 * The catalog a mutation writes to, if this request may: on a read-only server, without the
 * token, or on a store that cannot be written, FORBIDDEN.
 */
function writeTarget(ctx: GraphQLContext, catalog: string): WriteTarget {
  const denied =
    ctx.write?.denied ?? "this server is read-only: start it with --writable (and a token) to allow mutations";
  if (!ctx.write || ctx.write.denied) throw new ForbiddenError(denied);
  const { store, writable } = ctx.scope.catalog(catalog);
  if (writable === false) throw new ForbiddenError(`catalog "${catalog}" is configured read-only (mode: read)`);
  if (!store.capabilities.writable)
    throw new ForbiddenError(`catalog "${catalog}" is read-only: its store (${store.description}) cannot be written`);
  const session = ctx.scope.session(catalog, "ignore");
  return {
    catalog,
    store: session.store,
    session,
    limits: { ...DEFAULT_WRITE_LIMITS, maxObjects: ctx.write.maxObjects },
    changed: {
      wrote: (key, entry) => ctx.scope.wrote(catalog, key, entry),
      removedBelow: (prefix) => ctx.scope.removedBelow(catalog, prefix),
    },
    signal: ctx.scope.signal,
  };
}

/** Runs one mutation and audits it (who, what, when, request id, outcome, store writes). */
async function mutate<T>(
  ctx: GraphQLContext,
  mutation: string,
  input: Common,
  run: (target: WriteTarget) => Promise<T>,
  summary: (result: T) => Record<string, unknown> = () => ({}),
): Promise<T> {
  const what = { mutation, catalog: input.catalog, path: input.path };
  const writesBefore = ctx.scope.io.counts.writes;
  try {
    const result = await run(writeTarget(ctx, input.catalog));
    ctx.write?.audit({ ...what, ...summary(result), outcome: "ok", writes: ctx.scope.io.counts.writes - writesBefore });
    return result;
  } catch (error) {
    const code = error instanceof ZarrError ? error.code : "INTERNAL_SERVER_ERROR";
    ctx.write?.audit({
      ...what,
      outcome: code,
      error: (error as Error).message,
      writes: ctx.scope.io.counts.writes - writesBefore,
    });
    throw error;
  }
}

/** This server's writes reach the search index in the same request (see SearchService). */
function indexWrite(ctx: GraphQLContext, catalog: string, path: string, subtree = false): Promise<void> {
  return ctx.search?.changed(catalog, path, subtree) ?? Promise.resolve();
}

/** A node as the store now holds it: read from its own documents, so its `version` is the one ifVersion compares. */
function written(ctx: GraphQLContext, catalog: string, path: string): Promise<ZarrNodeRef> {
  return openNode(ctx.scope.session(catalog, "ignore"), path);
}

export async function createGroupMutation(ctx: GraphQLContext, input: GroupArgs) {
  const { path } = await mutate(ctx, "createGroup", input, (t) => createGroup(t, input.path, input));
  await indexWrite(ctx, input.catalog, path, true);
  return { group: await written(ctx, input.catalog, path) };
}

export async function createArrayMutation(ctx: GraphQLContext, input: ArrayArgs) {
  const { path } = await mutate(ctx, "createArray", input, (t) => createArray(t, input.path, input));
  await indexWrite(ctx, input.catalog, path, true);
  return { array: await written(ctx, input.catalog, path) };
}

export async function requireGroupMutation(ctx: GraphQLContext, input: GroupArgs) {
  const result = await mutate(
    ctx,
    "requireGroup",
    input,
    (t) => requireGroup(t, input.path, input),
    (r) => ({
      created: r.created,
    }),
  );
  if (result.created) await indexWrite(ctx, input.catalog, result.path);
  return { group: await written(ctx, input.catalog, result.path), created: result.created };
}

export async function requireArrayMutation(ctx: GraphQLContext, input: ArrayArgs) {
  const result = await mutate(
    ctx,
    "requireArray",
    input,
    (t) => requireArray(t, input.path, input),
    (r) => ({
      created: r.created,
    }),
  );
  if (result.created) await indexWrite(ctx, input.catalog, result.path);
  return { array: await written(ctx, input.catalog, result.path), created: result.created };
}

export async function updateAttributesMutation(
  ctx: GraphQLContext,
  input: Common & { attributes: unknown; mode: AttributesMode },
) {
  const { path } = await mutate(
    ctx,
    "updateAttributes",
    input,
    (t) => updateAttributes(t, input.path, input),
    () => ({
      mode: input.mode,
    }),
  );
  await indexWrite(ctx, input.catalog, path);
  return { node: await written(ctx, input.catalog, path) };
}

export async function deleteNodeMutation(ctx: GraphQLContext, input: Common) {
  const result = await mutate(
    ctx,
    "deleteNode",
    input,
    (t) => deleteNode(t, input.path, input),
    (r) => ({
      deletedObjects: r.deletedObjects,
    }),
  );
  await ctx.search?.removed(input.catalog, result.path);
  return { deletedPath: result.path, deletedObjects: result.deletedObjects };
}

export async function moveNodeMutation(ctx: GraphQLContext, input: Common & { newPath: string }) {
  const result = await mutate(
    ctx,
    "moveNode",
    input,
    (t) => moveNode(t, input.path, input.newPath, input),
    (r) => ({
      newPath: r.newPath,
      movedObjects: r.movedObjects,
    }),
  );
  await ctx.search?.removed(input.catalog, result.path);
  await indexWrite(ctx, input.catalog, result.newPath, true);
  return { node: await written(ctx, input.catalog, result.newPath), movedObjects: result.movedObjects };
}

export async function consolidateMetadataMutation(ctx: GraphQLContext, input: Common) {
  const result = await mutate(
    ctx,
    "consolidateMetadata",
    input,
    (t) => consolidateMetadata(t, input.path, input),
    (r) => ({
      nodes: r.nodes,
    }),
  );
  // Read back through the catalog's own mode, so `consolidated` shows what readers now get.
  const group = await openNode(ctx.scope.session(input.catalog), result.path);
  return { group, consolidatedNodes: result.nodes };
}
