import { BadInputError } from "../errors.js";
import { normalizePath } from "../paths.js";
import { updateCarriers, warmCarriers } from "./carriers.js";
import { listObjects } from "./objects.js";
import { checkVersion, type NodeState, requireNode } from "./state.js";
import type { WriteTarget } from "./target.js";
import { WriteLog } from "./write-log.js";

/**
 * Removing a node and everything below it, in three steps so that a failure part-way leaves
 * metadata that is still true: count the objects (over the object limit nothing is touched),
 * delete the node's own documents (it stops being a node at once), then the rest of its folder.
 */
export interface Removal {
  /** Every object below the node, its own documents included. */
  objects: string[];
  /** Deletes the node's own documents; returns how many existed. */
  documents(): Promise<number>;
  /** Deletes everything else below the node; returns how many objects there were. */
  rest(): Promise<number>;
}

export async function planRemoval(target: WriteTarget, log: WriteLog, node: NodeState): Promise<Removal> {
  const objects = await listObjects(target, node.path, log.operation);
  // The document that makes it a node first (.zarray / .zgroup / zarr.json), its attributes after.
  const own = Object.values(node.documents)
    .filter((d) => d.value !== undefined)
    .map((d) => d.key);
  log.plan(own);
  return {
    objects,
    async documents() {
      let n = 0;
      for (const key of own) if (await log.remove(key)) n++;
      return n;
    },
    rest: () => (objects.some((key) => !own.includes(key)) ? log.removeBelow(node.path) : Promise.resolve(0)),
  };
}

export interface DeleteResult {
  path: string;
  deletedObjects: number;
}

/** zarr-python's `del group[name]`: the node and its whole subtree; consolidated metadata above it follows. */
export async function deleteNode(
  target: WriteTarget,
  rawPath: string,
  options: { ifVersion?: string | null },
): Promise<DeleteResult> {
  const path = normalizePath(rawPath);
  if (path === "") throw new BadInputError("the root cannot be deleted: delete its members instead", { field: "path" });
  const node = await requireNode(target, path);
  checkVersion(node, options.ifVersion, path);
  const log = new WriteLog(target, "deleteNode");
  warmCarriers(target, node.meta.zarrFormat, [{ path, documents: null }]);
  const deletedObjects = await log.run(async () => {
    const removal = await planRemoval(target, log, node);
    log.plan([`${path}/**`]);
    const documents = await removal.documents();
    await updateCarriers(target, log, node.meta.zarrFormat, [{ path, documents: null }]);
    return documents + (await removal.rest());
  });
  return { path, deletedObjects };
}
