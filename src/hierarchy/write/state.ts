import { ConflictError, NotFoundError } from "../errors.js";
import { isJsonObject, type JsonObject } from "../json.js";
import type { NodeMetadata } from "../metadata.js";
import { joinPath } from "../paths.js";
import type { WriteTarget } from "./target.js";

/** One metadata document as the store holds it now: its parsed value and version (absent: undefined / null). */
export interface DocumentState {
  key: string;
  value: JsonObject | undefined;
  version: string | null;
}

/** A node as a write sees it: its metadata, its own documents with their versions, and its API version. */
export interface NodeState {
  path: string;
  meta: NodeMetadata;
  /** By name: "zarr.json", or ".zarray" / ".zgroup" and ".zattrs" (the latter possibly absent). */
  documents: Record<string, DocumentState>;
}

export function documentNames(meta: Pick<NodeMetadata, "zarrFormat" | "nodeType">): string[] {
  if (meta.zarrFormat === 3) return ["zarr.json"];
  return [meta.nodeType === "array" ? ".zarray" : ".zgroup", ".zattrs"];
}

export async function readDocument(target: WriteTarget, key: string): Promise<DocumentState> {
  const parsed = await target.session.reader.document(key);
  return { key, value: isJsonObject(parsed?.value) ? parsed.value : undefined, version: parsed?.version ?? null };
}

/**
 * The node at `path` as the store holds it (consolidated metadata is not consulted), or null.
 * Its documents come from the request's loaders, so reading them costs nothing more.
 */
export async function readNode(target: WriteTarget, path: string, format?: 2 | 3): Promise<NodeState | null> {
  const meta = await target.session.openOwn(path, format);
  if (!meta) return null;
  const names = documentNames(meta);
  const documents: Record<string, DocumentState> = {};
  await Promise.all(
    names.map(async (name) => {
      documents[name] = await readDocument(target, joinPath(path, name));
    }),
  );
  return { path, meta, documents };
}

export async function requireNode(target: WriteTarget, path: string): Promise<NodeState> {
  const node = await readNode(target, path);
  if (!node) {
    throw new NotFoundError(`no node at "/${path}" in catalog "${target.catalog}"`, { catalog: target.catalog, path });
  }
  return node;
}

/** Optimistic concurrency at the API: the node's `version` must still be the one the client read. */
export function checkVersion(node: NodeState | null, ifVersion: string | null | undefined, path: string): void {
  if (ifVersion === undefined || ifVersion === null) return;
  const current = node?.meta.version ?? null;
  if (current !== ifVersion) {
    throw new ConflictError(
      node
        ? `node "/${path}" has changed: its version is ${JSON.stringify(current)}, not ${JSON.stringify(ifVersion)}; read it again and retry`
        : `node "/${path}" does not exist (ifVersion ${JSON.stringify(ifVersion)} expected it)`,
      { path, expectedVersion: ifVersion, actualVersion: current },
    );
  }
}

export function nodeKind(meta: NodeMetadata): string {
  return meta.nodeType === "array" ? "an array" : "a group";
}
