import { BadInputError } from "../errors.js";
import type { JsonObject } from "../json.js";
import { joinPath, normalizePath, relativePath } from "../paths.js";
import { emptyInlineBlock, inlineEntry, treeOrder } from "./consolidated-blocks.js";
import { checkVersion, documentNames, readDocument, requireNode } from "./state.js";
import type { WriteTarget } from "./target.js";
import { WriteLog } from "./write-log.js";

/**
 * zarr-python's consolidate_metadata for the group at `path`: every member below it, read from
 * the store as it is, copied into one document (format 3: the group's zarr.json gains an inline
 * block, entries in tree order, groups with an empty block of their own; format 2: `.zmetadata`
 * beside the group's `.zgroup`, with its own documents and every member's, keys relative to it).
 */
export async function consolidateMetadata(
  target: WriteTarget,
  rawPath: string,
  options: { ifVersion?: string | null },
): Promise<{ path: string; nodes: number }> {
  const path = normalizePath(rawPath);
  const group = await requireNode(target, path);
  if (group.meta.nodeType !== "group") {
    throw new BadInputError(`"/${path}" is an array: only groups carry consolidated metadata`, { field: "path" });
  }
  checkVersion(group, options.ifVersion, path);
  const members = await target.session.members(path, null);
  const broken = members.find((m) => m.error);
  if (broken?.error) throw broken.error;
  const nodes = members.map((m) => m.node!).sort((a, b) => treeOrder(a.path, b.path));
  const documents = await Promise.all(
    nodes.map(async (n) => {
      const docs: Record<string, JsonObject> = {};
      for (const name of documentNames(n.meta)) {
        const doc = await readDocument(target, joinPath(n.path, name));
        if (doc.value) docs[name] = doc.value;
      }
      return { rel: relativePath(path, n.path)!, docs };
    }),
  );

  const log = new WriteLog(target, "consolidateMetadata");
  await log.run(async () => {
    if (group.meta.zarrFormat === 3) {
      const metadata: JsonObject = {};
      for (const { rel, docs } of documents) metadata[rel] = inlineEntry(docs["zarr.json"]);
      const own = group.documents["zarr.json"];
      const block = { ...emptyInlineBlock(), metadata };
      await log.putDocument(own.key, { ...own.value!, consolidated_metadata: block }, own.version);
    } else {
      const metadata: JsonObject = {};
      for (const [name, doc] of Object.entries(group.documents)) if (doc.value) metadata[name] = doc.value;
      for (const { rel, docs } of documents)
        for (const [name, doc] of Object.entries(docs)) metadata[`${rel}/${name}`] = doc;
      const current = await readDocument(target, joinPath(path, ".zmetadata"));
      await log.putDocument(current.key, { metadata, zarr_consolidated_format: 1 }, current.version);
    }
  });
  return { path, nodes: nodes.length };
}
