import { isJsonObject, type JsonObject, type JsonValue } from "../json.js";
import { compareCodePoints, relativePath } from "../paths.js";
import type { NodeDocuments } from "./documents.js";

/**
 * Building and patching the two forms of consolidated metadata as zarr-python writes them:
 * format 3 inline blocks (`{kind: "inline", must_understand: false, metadata: {relpath: doc}}`,
 * every group entry carrying an empty block of its own) and format 2 `.zmetadata`
 * (`{metadata: {"relpath/.zarray": doc, ...}, zarr_consolidated_format: 1}`).
 */

/** zarr-python's marker on each group entry: "this group's members are listed here, flat". */
export function emptyInlineBlock(): JsonObject {
  return { kind: "inline", must_understand: false, metadata: {} };
}

/** Depth-first, children by name (code point, as Python sorts): the order zarr-python's consolidation writes entries in. */
export function treeOrder(a: string, b: string): number {
  const x = a.split("/");
  const y = b.split("/");
  for (let i = 0; i < Math.min(x.length, y.length); i++) {
    if (x[i] !== y[i]) return compareCodePoints(x[i], y[i]);
  }
  return x.length - y.length;
}

/** A node's entry in a format-3 block: its zarr.json, groups with `previous`'s block or an empty one. */
export function inlineEntry(doc: JsonObject, previous?: JsonValue): JsonObject {
  if (doc.node_type !== "group") return doc;
  const block =
    isJsonObject(previous) && isJsonObject(previous.consolidated_metadata)
      ? previous.consolidated_metadata
      : emptyInlineBlock();
  return { ...doc, consolidated_metadata: block };
}

/** A change to apply to consolidated metadata: the node at `path` now has `documents`, or (null) is gone with its subtree. */
export interface NodeChange {
  path: string;
  documents: NodeDocuments | null;
}

/** `entries` with `key` set to `value`: in place when present, else where tree order puts it (if the entries are in it). */
function withEntry(entries: JsonObject, key: string, value: JsonValue): JsonObject {
  if (Object.hasOwn(entries, key)) return { ...entries, [key]: value };
  const keys = Object.keys(entries);
  const ordered = keys.every((k, i) => i === 0 || treeOrder(keys[i - 1], k) < 0);
  if (!ordered) return { ...entries, [key]: value };
  const out: JsonObject = {};
  let placed = false;
  for (const k of keys) {
    if (!placed && treeOrder(key, k) < 0) {
      out[key] = value;
      placed = true;
    }
    out[k] = entries[k];
  }
  if (!placed) out[key] = value;
  return out;
}

function withoutTree(entries: JsonObject, rel: string): JsonObject {
  const out: JsonObject = {};
  for (const [k, v] of Object.entries(entries)) if (relativePath(rel, k) === null) out[k] = v;
  return out;
}

/**
 * Applies `change` (relative path `rel`) to a format-3 block's entries. The flat entries always
 * follow it; a nested block of a group entry is corrected only where it already speaks of the
 * node (readers let flat entries win, but a stale nested one would resurrect a removed node).
 */
function patchInline(entries: JsonObject, rel: string, documents: NodeDocuments | null): JsonObject {
  let out =
    documents === null
      ? withoutTree(entries, rel)
      : withEntry(entries, rel, inlineEntry(documents["zarr.json"], entries[rel]));
  for (const [k, v] of Object.entries(out)) {
    const inner = relativePath(k, rel);
    if (!inner || !isJsonObject(v) || !isJsonObject(v.consolidated_metadata)) continue;
    const nested = v.consolidated_metadata.metadata;
    if (!isJsonObject(nested)) continue;
    const mentions = Object.keys(nested).some((n) => relativePath(inner, n) !== null);
    if (!mentions) continue;
    const patched =
      documents === null
        ? withoutTree(nested, inner)
        : Object.hasOwn(nested, inner)
          ? patchInline(nested, inner, documents)
          : nested;
    out = { ...out, [k]: { ...v, consolidated_metadata: { ...v.consolidated_metadata, metadata: patched } } };
  }
  return out;
}

/** The carrier's zarr.json with `changes` applied to its inline block. */
export function patchV3Carrier(carrier: string, doc: JsonObject, changes: readonly NodeChange[]): JsonObject {
  const block = doc.consolidated_metadata as JsonObject;
  let entries = isJsonObject(block.metadata) ? block.metadata : {};
  for (const change of changes) {
    const rel = relativePath(carrier, change.path);
    if (!rel) continue;
    entries = patchInline(entries, rel, change.documents);
  }
  return { ...doc, consolidated_metadata: { ...block, metadata: entries } };
}

/** The carrier's .zmetadata with `changes` applied (a v2 carrier lists its own .zgroup and .zattrs too). */
export function patchV2Carrier(carrier: string, doc: JsonObject, changes: readonly NodeChange[]): JsonObject {
  let entries: JsonObject = isJsonObject(doc.metadata) ? { ...doc.metadata } : {};
  for (const change of changes) {
    const rel = relativePath(carrier, change.path);
    // A removed carrier has no consolidated metadata left to patch.
    if (rel === null || (rel === "" && change.documents === null)) continue;
    const dirOf = (key: string) => (key.includes("/") ? key.slice(0, key.lastIndexOf("/")) : "");
    const gone = (key: string) =>
      change.documents === null ? relativePath(rel, dirOf(key)) !== null : dirOf(key) === rel;
    entries = Object.fromEntries(Object.entries(entries).filter(([key]) => !gone(key)));
    for (const [name, value] of Object.entries(change.documents ?? {})) entries[rel ? `${rel}/${name}` : name] = value;
  }
  return { ...doc, metadata: entries };
}
