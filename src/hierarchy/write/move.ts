import { NotSupportedError, ObjectTooLargeError, type StoreEntry } from "../../stores/store.js";
import { BadInputError, ConflictError } from "../errors.js";
import { isJsonObject, parseJson } from "../json.js";
import { basename, joinPath, normalizePath, parentPath, relativePath } from "../paths.js";
import { updateCarriers, warmCarriers } from "./carriers.js";
import type { NodeChange } from "./consolidated-blocks.js";
import { groupDocuments, type NodeDocuments } from "./documents.js";
import { checkName } from "./names.js";
import { listObjects } from "./objects.js";
import { place } from "./parents.js";
import { checkVersion, requireNode } from "./state.js";
import type { WriteTarget } from "./target.js";
import { basenameOf, WriteLog } from "./write-log.js";

export interface MoveResult {
  path: string;
  newPath: string;
  movedObjects: number;
}

/**
 * Moves (renames) a node and its whole subtree, which zarr-python cannot do. A key-value store
 * has no rename, so every object below the node is copied to its new key (by the store's own
 * means: memory stays bounded whatever the objects' sizes) and then deleted:
 * counted first against the object limit. The copy's own documents are written last (the node
 * appears at its new path only once everything below it is there), every copy with "must not
 * exist" as its precondition; the source's own documents are deleted first.
 */
export async function moveNode(
  target: WriteTarget,
  rawPath: string,
  rawNewPath: string,
  options: { ifVersion?: string | null },
): Promise<MoveResult> {
  const path = normalizePath(rawPath);
  const newPath = normalizePath(rawNewPath);
  if (path === "") throw new BadInputError("the root cannot be moved", { field: "path" });
  if (newPath === "") throw new BadInputError("nothing can be moved to the root", { field: "newPath" });
  checkName(basename(newPath), "newPath");
  if (newPath === path) throw new BadInputError(`"/${path}" is already at that path`, { field: "newPath" });
  if (relativePath(path, newPath) !== null) {
    throw new BadInputError(`"/${path}" cannot be moved into itself ("/${newPath}")`, { field: "newPath" });
  }
  const node = await requireNode(target, path);
  checkVersion(node, options.ifVersion, path);
  const format = node.meta.zarrFormat;
  const { missingParents, existing } = await place(target, newPath, format);
  if (existing) throw new ConflictError(`a node already exists at "/${newPath}"`, { path: newPath });
  const destination = await target.store.list(newPath, { signal: target.signal });
  if (destination.keys.length > 0 || destination.prefixes.length > 0) {
    throw new ConflictError(`"/${newPath}" is not a node but objects are stored below it; move somewhere empty`, {
      path: newPath,
    });
  }
  const objects = await listObjects(target, path, "moveNode");
  const own = new Set(
    Object.values(node.documents)
      .filter((d) => d.value !== undefined)
      .map((d) => d.key),
  );
  const moved = (key: string) => joinPath(newPath, relativePath(path, key)!);

  const log = new WriteLog(target, "moveNode");
  // The new parent is (or will be) a group, and may carry consolidated metadata itself.
  warmCarriers(target, format, [
    { path, documents: null },
    { path: parentPath(newPath) ?? "", documents: { ".zgroup": {} } },
  ]);
  await log.run(async () => {
    log.plan(objects.map(moved));
    const metadata = new Map<string, Uint8Array>();
    const copy = async (key: string) => {
      // The nodes' own documents are read (they say what the moved subtree holds); everything
      // else, chunks and shards of any size, is copied without its bytes passing through here.
      if (NODE_DOCUMENTS.has(basenameOf(key))) metadata.set(key, await readDocument(target, key));
      const copied = target.store.copy
        ? await log.copy(key, moved(key), null)
        : await copyThroughMemory(target, log, key, moved(key));
      if (!copied) throw new ConflictError(`"${key}" disappeared while it was being moved`, { key });
    };
    await log.all(
      objects.filter((key) => !own.has(key)),
      copy,
    );
    const parents = missingParents.map((p) => ({ path: p, documents: groupDocuments(format, {}) }));
    await log.all(
      parents.flatMap((p) => Object.entries(p.documents).map(([name, doc]) => ({ key: joinPath(p.path, name), doc }))),
      (w) => log.putDocument(w.key, w.doc, null),
    );
    for (const key of objects.filter((k) => own.has(k))) await copy(key);
    const changes: NodeChange[] = [
      { path, documents: null },
      ...parents,
      ...movedNodes(metadata, path, newPath, format),
    ];
    // Consolidated metadata inside the moved subtree is relative to it and was copied as it was.
    await updateCarriers(target, log, format, changes, newPath);
    log.plan([`${path}/**`]);
    for (const key of own) await log.remove(key);
    await log.removeBelow(path);
  });
  return { path, newPath, movedObjects: objects.length };
}

/** The documents that describe a node (consolidated metadata aside, which a move copies as it is). */
const NODE_DOCUMENTS = new Set(["zarr.json", ".zarray", ".zgroup", ".zattrs"]);

/** A document of the node being moved, no larger than the request's document limit. */
async function readDocument(target: WriteTarget, key: string): Promise<Uint8Array> {
  const maxBytes = target.session.reader.limits.maxDocumentBytes;
  const entry = await target.store.get(key, { signal: target.signal, maxBytes });
  if (!entry) throw new ConflictError(`"${key}" disappeared while it was being moved`, { key });
  return entry.data;
}

/**
 * For a store without a copy of its own: the object is read and written whole, so only objects
 * up to the document limit move this way (each of the write concurrency at once); larger ones
 * are refused before they are held.
 */
async function copyThroughMemory(target: WriteTarget, log: WriteLog, from: string, to: string): Promise<boolean> {
  const maxBytes = target.session.reader.limits.maxDocumentBytes;
  let entry: StoreEntry | undefined;
  try {
    entry = await target.store.get(from, { signal: target.signal, maxBytes });
  } catch (error) {
    if (!(error instanceof ObjectTooLargeError)) throw error;
    throw new NotSupportedError(
      target.store.description,
      `move "${from}" (${error.size} bytes): it has no copy of its own, and only objects up to ${maxBytes} bytes are moved through memory`,
    );
  }
  if (!entry) return false;
  await log.put(to, entry.data, null);
  return true;
}

/** The nodes of the moved subtree (as members are found: groups in the node's format, nothing below arrays), at their new paths. */
function movedNodes(metadata: Map<string, Uint8Array>, path: string, newPath: string, format: 2 | 3): NodeChange[] {
  const byDir = new Map<string, NodeDocuments>();
  for (const [key, data] of metadata) {
    const dir = parentPath(key) ?? "";
    let value: unknown;
    try {
      value = parseJson(data);
    } catch {
      continue;
    }
    if (!isJsonObject(value)) continue;
    const docs = byDir.get(dir) ?? {};
    docs[basenameOf(key)] = value;
    byDir.set(dir, docs);
  }
  const kind = (docs: NodeDocuments | undefined): "group" | "array" | null => {
    if (!docs) return null;
    if (format === 3) {
      const t = docs["zarr.json"]?.node_type;
      return t === "group" || t === "array" ? t : null;
    }
    return docs[".zarray"] ? "array" : docs[".zgroup"] ? "group" : null;
  };
  const changes: NodeChange[] = [];
  for (const [dir, docs] of byDir) {
    if (kind(docs) === null) continue;
    let reachable = true;
    for (let up = parentPath(dir); up !== null && relativePath(path, up) !== null; up = parentPath(up)) {
      if (kind(byDir.get(up)) !== "group") reachable = false;
    }
    if (!reachable) continue;
    const own: NodeDocuments = {};
    const names = format === 3 ? ["zarr.json"] : [kind(docs) === "array" ? ".zarray" : ".zgroup", ".zattrs"];
    for (const name of names) if (docs[name]) own[name] = docs[name];
    changes.push({ path: joinPath(newPath, relativePath(path, dir)!), documents: own });
  }
  return changes;
}
