import { ConflictError } from "../errors.js";
import type { JsonValue } from "../json.js";
import { basename, joinPath, normalizePath } from "../paths.js";
import { updateCarriers, warmCarriers } from "./carriers.js";
import { checkShape } from "./chunks.js";
import { canCastSafely, dataTypeOf, parseDataType } from "./data-type.js";
import { type ArrayInput, arrayDocuments, attributesInput, groupDocuments, type NodeDocuments } from "./documents.js";
import { checkName } from "./names.js";
import { place } from "./parents.js";
import { planRemoval } from "./remove.js";
import { checkVersion, type NodeState, nodeKind } from "./state.js";
import type { WriteTarget } from "./target.js";
import { WriteLog } from "./write-log.js";

export interface CreateOptions {
  zarrFormat?: number | null;
  overwrite?: boolean | null;
  ifVersion?: string | null;
}

export interface CreateResult {
  path: string;
  created: boolean;
}

/**
 * Creates the node at `rawPath` with the documents `build` makes for the format it lands in.
 * As zarr-python: missing parent groups are created, an existing node is a CONFLICT unless
 * `overwrite` (which removes it and everything below first). `accept` lets require* keep a
 * compatible existing node instead. Every document is written with "must not exist" as its
 * precondition, so two concurrent creators cannot both succeed.
 */
async function createNode(
  target: WriteTarget,
  rawPath: string,
  operation: string,
  build: (format: 2 | 3) => NodeDocuments,
  options: CreateOptions,
  accept?: (existing: NodeState) => boolean,
): Promise<CreateResult> {
  const path = normalizePath(rawPath);
  if (path !== "") checkName(basename(path));
  const { format, missingParents, existing } = await place(target, path, options.zarrFormat);
  checkVersion(existing, options.ifVersion, path);
  if (existing && accept?.(existing)) return { path, created: false };
  const documents = build(format);
  if (existing && !options.overwrite) {
    throw new ConflictError(
      `${nodeKind(existing.meta)} already exists at "/${path}" (pass overwrite: true to replace it)`,
      {
        path,
      },
    );
  }
  const log = new WriteLog(target, operation);
  warmCarriers(target, format, [{ path, documents }]);
  await log.run(async () => {
    if (existing) {
      const removal = await planRemoval(target, log, existing);
      await removal.documents();
      await removal.rest();
    }
    const writes = [
      ...missingParents.flatMap((p) => entries(p, groupDocuments(format, {}))),
      ...entries(path, documents),
    ];
    log.plan(writes.map((w) => w.key));
    await log.all(writes, (w) => log.putDocument(w.key, w.doc, null));
    await updateCarriers(target, log, format, [
      ...(existing ? [{ path, documents: null }] : []),
      ...missingParents.map((p) => ({ path: p, documents: groupDocuments(format, {}) })),
      { path, documents },
    ]);
  });
  return { path, created: true };
}

function entries(path: string, documents: NodeDocuments): { key: string; doc: JsonValue }[] {
  return Object.entries(documents).map(([name, doc]) => ({ key: joinPath(path, name), doc }));
}

export interface GroupInput extends CreateOptions {
  attributes?: unknown;
}

export function createGroup(target: WriteTarget, path: string, input: GroupInput): Promise<CreateResult> {
  const attributes = attributesInput(input.attributes);
  return createNode(target, path, "createGroup", (format) => groupDocuments(format, attributes), input);
}

export function createArray(
  target: WriteTarget,
  path: string,
  input: ArrayInput & CreateOptions,
): Promise<CreateResult> {
  return createNode(target, path, "createArray", (format) => arrayDocuments(input, format), input);
}

/** zarr-python's require_group: the group if there is one, else a new one; an array there is a CONFLICT. */
export function requireGroup(target: WriteTarget, path: string, input: GroupInput): Promise<CreateResult> {
  const attributes = attributesInput(input.attributes);
  return createNode(
    target,
    path,
    "requireGroup",
    (format) => groupDocuments(format, attributes),
    { ...input, overwrite: false },
    (existing) => {
      if (existing.meta.nodeType === "group") return true;
      throw new ConflictError(`an array exists at "/${existing.path}", not a group`, { path: existing.path });
    },
  );
}

export interface RequireArrayInput extends ArrayInput, CreateOptions {
  /** The data type must be the existing one exactly, not merely castable to it. */
  exact?: boolean | null;
}

/**
 * zarr-python 3's require_array: an existing array is kept when its shape is the requested one
 * and its data type casts safely to the requested one (equal with `exact`); otherwise CONFLICT.
 * A missing array is created from the input.
 */
export function requireArray(target: WriteTarget, path: string, input: RequireArrayInput): Promise<CreateResult> {
  const shape = checkShape(input.shape);
  return createNode(
    target,
    path,
    "requireArray",
    (format) => arrayDocuments(input, format),
    { ...input, overwrite: false },
    (existing) => {
      const array = existing.meta.array;
      if (!array)
        throw new ConflictError(`a group exists at "/${existing.path}", not an array`, { path: existing.path });
      if (JSON.stringify(array.shape) !== JSON.stringify(shape)) {
        throw new ConflictError(
          `the array at "/${existing.path}" has shape ${JSON.stringify(array.shape)}, not ${JSON.stringify(shape)}`,
          { path: existing.path, field: "shape", expected: shape, actual: array.shape },
        );
      }
      const format = existing.meta.zarrFormat;
      const wanted = parseDataType(input.dataType as JsonValue, format);
      const have = dataTypeOf(array.dataType, format);
      const compatible = have && (input.exact ? have.document === wanted.document : canCastSafely(have, wanted));
      if (!compatible) {
        throw new ConflictError(
          `the array at "/${existing.path}" has data type ${JSON.stringify(array.dataType)}, which ${input.exact ? "is not" : "does not cast safely to"} ${JSON.stringify(wanted.document)}`,
          { path: existing.path, field: "dataType", expected: wanted.document, actual: array.dataType as never },
        );
      }
      return true;
    },
  );
}
