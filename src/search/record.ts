import { type JsonObject, type JsonValue, toOutputJson } from "../hierarchy/json.js";
import type { NodeMetadata } from "../hierarchy/metadata.js";

/** What search knows of one node: the fields a filter can ask about, and the version they came from. */
export interface SearchRecord {
  catalog: string;
  path: string;
  version: string | null;
  nodeType: "group" | "array";
  zarrFormat: 2 | 3;
  attributes: JsonObject;
  /** As the API prints `dataType` ("<f4", "float32", or an object); absent for groups. */
  dataType?: JsonValue;
  /** Arrays only. */
  ndim: number | null;
  dimensionNames: (string | null)[] | null;
}

export function recordOf(catalog: string, path: string, meta: NodeMetadata): SearchRecord {
  const array = meta.array;
  return {
    catalog,
    path,
    version: meta.version,
    nodeType: meta.nodeType,
    zarrFormat: meta.zarrFormat,
    attributes: meta.attributes,
    ...(array ? { dataType: toOutputJson(array.dataType) as JsonValue } : {}),
    ndim: array ? array.shape.length : null,
    dimensionNames: array?.dimensionNames ?? null,
  };
}

/** The basename: the last path segment, "" for the root. */
export function nameOf(record: { path: string }): string {
  return record.path.slice(record.path.lastIndexOf("/") + 1);
}
