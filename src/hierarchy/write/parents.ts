import { BadInputError, ConflictError } from "../errors.js";
import { ancestors, basename } from "../paths.js";
import { checkName } from "./names.js";
import { type NodeState, readNode } from "./state.js";
import type { WriteTarget } from "./target.js";

/** Where a new node goes: its format, the missing groups above it (top first), and the node already at its path. */
export interface Placement {
  format: 2 | 3;
  missingParents: string[];
  existing: NodeState | null;
}

/**
 * Reads the node at `path` and every ancestor in one wave and decides, as zarr-python does,
 * where a new node can go: missing parent groups will be created; an array cannot have
 * children; the node's format matches its parent's (the nearest existing ancestor's, which is
 * also the default; format 3 in an empty store).
 */
export async function place(
  target: WriteTarget,
  path: string,
  requested: number | null | undefined,
): Promise<Placement> {
  if (requested !== undefined && requested !== null && requested !== 2 && requested !== 3) {
    throw new BadInputError(`zarrFormat must be 2 or 3, got ${requested}`, { field: "zarrFormat" });
  }
  const above = ancestors(path);
  const [existing, ...parents] = await Promise.all([readNode(target, path), ...above.map((p) => readNode(target, p))]);
  const array = parents.find((p) => p?.meta.nodeType === "array");
  if (array) {
    throw new ConflictError(`"/${array.path}" is an array, and an array cannot have children`, { path: array.path });
  }
  const nearestIndex = parents.findIndex((p) => p !== null);
  const nearest = nearestIndex === -1 ? null : parents[nearestIndex];
  const format = (requested as 2 | 3 | null | undefined) ?? nearest?.meta.zarrFormat ?? 3;
  if (nearest && nearest.meta.zarrFormat !== format) {
    throw new BadInputError(
      `zarr format ${format} does not match the parent group "/${nearest.path}", which is format ${nearest.meta.zarrFormat}: a node's format matches its parent's`,
      { field: "zarrFormat" },
    );
  }
  const missingParents = (nearestIndex === -1 ? above : above.slice(0, nearestIndex)).reverse();
  for (const p of missingParents) if (p !== "") checkName(basename(p));
  return { format, missingParents, existing };
}
