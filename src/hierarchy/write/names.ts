import { BadInputError } from "../errors.js";

/** Names a node may not take: its own metadata documents would collide with them. */
const RESERVED = new Set(["zarr.json", ".zarray", ".zgroup", ".zattrs", ".zmetadata"]);

/**
 * Why `name` cannot name a new node, or null when it can. The rules are zarr-python's (v3
 * spec's node names): non-empty, no "/", not made of dots only, not starting with "__"
 * (reserved for the spec), and not a metadata document's name.
 */
export function nameProblem(name: string): string | null {
  if (name === "") return "is empty";
  if (name.includes("/")) return 'contains "/"';
  if (/^\.+$/.test(name)) return "is made of dots only";
  if (name.startsWith("__")) return 'starts with "__" (reserved)';
  if (RESERVED.has(name)) return "is the name of a metadata document";
  return null;
}

export function checkName(name: string, field = "path"): void {
  const problem = nameProblem(name);
  if (problem) throw new BadInputError(`node name ${JSON.stringify(name)} ${problem}`, { field });
}
