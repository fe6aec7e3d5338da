import { BadInputError } from "../errors.js";
import { isJsonObject, type JsonObject } from "../json.js";
import { joinPath, normalizePath } from "../paths.js";
import { updateCarriers, warmCarriers } from "./carriers.js";
import { attributesInput, type NodeDocuments } from "./documents.js";
import { checkVersion, documentNames, requireNode } from "./state.js";
import type { WriteTarget } from "./target.js";
import { WriteLog } from "./write-log.js";

export type AttributesMode = "MERGE" | "REPLACE";

/**
 * zarr-python's update_attributes, with the mode said explicitly: MERGE is a shallow update
 * (given keys replace theirs, the rest stay), REPLACE makes the given object the attributes.
 * Only the attributes change: every other field of the document (int64 fill values, "NaN",
 * extension fields) is written back exactly as it was read, in its order.
 */
export async function updateAttributes(
  target: WriteTarget,
  rawPath: string,
  input: { attributes: unknown; mode: AttributesMode; ifVersion?: string | null },
): Promise<{ path: string }> {
  if (input.mode !== "MERGE" && input.mode !== "REPLACE") {
    throw new BadInputError("mode must be MERGE or REPLACE", { field: "mode" });
  }
  if (!isJsonObject(input.attributes)) {
    throw new BadInputError("attributes must be a JSON object", { field: "attributes" });
  }
  const given = attributesInput(input.attributes);
  const path = normalizePath(rawPath);
  const node = await requireNode(target, path);
  checkVersion(node, input.ifVersion, path);
  const merge = (old: JsonObject): JsonObject => (input.mode === "MERGE" ? { ...old, ...given } : given);

  const log = new WriteLog(target, "updateAttributes");
  warmCarriers(target, node.meta.zarrFormat, [{ path, documents: { [documentNames(node.meta)[0]]: {} } }]);
  await log.run(async () => {
    let documents: NodeDocuments;
    if (node.meta.zarrFormat === 3) {
      const doc = node.documents["zarr.json"];
      const current = doc.value!;
      const updated = { ...current, attributes: merge(isJsonObject(current.attributes) ? current.attributes : {}) };
      await log.putDocument(doc.key, updated, doc.version);
      documents = { "zarr.json": updated };
    } else {
      const main = node.meta.nodeType === "array" ? ".zarray" : ".zgroup";
      const attrs = node.documents[".zattrs"];
      const updated = merge(attrs.value ?? {});
      await log.putDocument(joinPath(path, ".zattrs"), updated, attrs.version);
      documents = { [main]: node.documents[main].value!, ".zattrs": updated };
    }
    await updateCarriers(target, log, node.meta.zarrFormat, [{ path, documents }]);
  });
  return { path };
}
