import type { JsonValue } from "./json.js";
import type { NodeMetadata } from "./metadata.js";
import { basename, nodeName, parentPath } from "./paths.js";
import type { MemberResult } from "./session.js";

const NUMPY_KINDS: Record<string, string> = { i: "int", u: "uint", f: "float", c: "complex" };

/** numpy's name for a dtype, as zarr-python's tree() prints it ("<f4" -> "float32"). */
export function dtypeLabel(dataType: JsonValue): string {
  if (typeof dataType === "string") {
    const m = /^([<>|=]?)([biufcmMSUVO])(\d*)(\[[^\]]+\])?$/.exec(dataType);
    if (!m) return dataType;
    const [, order, kind, size, unit] = m;
    if (kind === "b") return "bool";
    if (kind === "O") return "object";
    if (kind === "M") return `datetime64${unit ?? ""}`;
    if (kind === "m") return `timedelta64${unit ?? ""}`;
    const prefix = NUMPY_KINDS[kind];
    if (prefix && size)
      return `${prefix}${Number(size) * (kind === "c" || kind === "f" || kind === "i" || kind === "u" ? 8 : 1)}`;
    return `${order || "|"}${kind}${size}`;
  }
  if (Array.isArray(dataType)) return JSON.stringify(dataType);
  if (dataType && typeof dataType === "object" && "name" in dataType) return String(dataType.name);
  return String(dataType);
}

/** Python's tuple repr: (), (3,), (3, 4). */
export function shapeLabel(shape: number[]): string {
  return shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(", ")})`;
}

function label(path: string, meta: NodeMetadata | undefined): string {
  const name = basename(path);
  if (!meta) return `${name} (unreadable)`;
  if (meta.nodeType === "group" || !meta.array) return name;
  return `${name} ${shapeLabel(meta.array.shape)} ${dtypeLabel(meta.array.dataType)}`;
}

/**
 * zarr-python's `Group.tree()` as plain text: the group's name, then members sorted by path
 * with box-drawing branches. Past `maxNodes` members the output stops with a note.
 */
export function renderTree(groupPath: string, members: MemberResult[], maxNodes: number): string {
  const children = new Map<string, MemberResult[]>();
  for (const member of members) {
    const parent = parentPath(member.path) ?? "";
    const list = children.get(parent) ?? [];
    list.push(member);
    children.set(parent, list);
  }
  const lines = [nodeName(groupPath)];
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
      lines.push(`${indent}${last ? "└── " : "├── "}${label(member.path, member.node?.meta)}`);
      walk(member.path, `${indent}${last ? "    " : "│   "}`);
    });
  };
  walk(groupPath, "");
  if (truncated) lines.push(`… truncated: showing ${shown} of ${members.length} members (raise maxNodes to see more)`);
  return `${lines.join("\n")}\n`;
}
