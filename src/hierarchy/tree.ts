import type { JsonValue } from "./json.js";
import type { NodeMetadata } from "./metadata.js";
import { numpyDtypeStr, pythonTuple } from "./numpy-dtype.js";
import { basename, parentPath } from "./paths.js";
import type { MemberResult } from "./session.js";

/**
 * What zarr-python prints for an array's data type in `tree()`: numpy's `str(dtype)` for format
 * 2 ("float64", ">f8", "[('a', '<U4'), ('b', '<i8')]"), the data type's name for format 3.
 */
export function dtypeLabel(dataType: JsonValue, zarrFormat: 2 | 3): string {
  if (zarrFormat === 2) {
    const numpy = numpyDtypeStr(dataType);
    if (numpy !== null) return numpy;
  }
  if (typeof dataType === "string") return dataType;
  if (dataType && typeof dataType === "object" && !Array.isArray(dataType) && "name" in dataType)
    return String(dataType.name);
  return JSON.stringify(dataType);
}

function label(path: string, meta: NodeMetadata | undefined): string {
  const name = basename(path);
  if (!meta) return `${name} (unreadable)`;
  if (meta.nodeType === "group" || !meta.array) return name;
  return `${name} ${pythonTuple(meta.array.shape)} ${dtypeLabel(meta.array.dataType, meta.zarrFormat)}`;
}

/**
 * zarr-python's `Group.tree()` as its plain text (`str(group.tree())` in zarr-python 2): the
 * group's name ("/" for the root), then the members, children by name, each line indented by
 * one space and drawn with box characters; no newline after the last line. Past `maxNodes`
 * members the output stops with a note.
 */
export function renderTree(groupPath: string, members: MemberResult[], maxNodes: number): string {
  const children = new Map<string, MemberResult[]>();
  for (const member of members) {
    const parent = parentPath(member.path) ?? "";
    const list = children.get(parent) ?? [];
    list.push(member);
    children.set(parent, list);
  }
  const lines = [basename(groupPath) || "/"];
  let shown = 0;
  let truncated = false;
  const walk = (path: string, indent: string): void => {
    const list = children.get(path) ?? [];
    list.forEach((member, i) => {
      if (truncated) return;
      if (shown >= maxNodes) {
        truncated = true;
        return;
      }
      shown++;
      const last = i === list.length - 1;
      lines.push(` ${indent}${last ? "└── " : "├── "}${label(member.path, member.node?.meta)}`);
      walk(member.path, `${indent}${last ? "    " : "│   "}`);
    });
  };
  walk(groupPath, "");
  if (truncated) lines.push(`… truncated: showing ${shown} of ${members.length} members (raise maxNodes to see more)`);
  return lines.join("\n");
}
