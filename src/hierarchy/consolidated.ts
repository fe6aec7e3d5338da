import { InvalidMetadataError, ZarrError } from "./errors.js";
import { isJsonObject, type JsonObject, type JsonValue } from "./json.js";
import { fail, type NodeMetadata } from "./metadata.js";
import { parseV2Array, parseV2Group, readAttributes } from "./metadata-v2.js";
import { parseV3 } from "./metadata-v3.js";
import { compareCodePoints, joinPath, parentPath } from "./paths.js";

/**
 * A subtree's metadata copied into one document (`.zmetadata` for format 2, inline
 * `consolidated_metadata` in a group's zarr.json for format 3). Paths are relative to the
 * group that carries it. Trusted as zarr-python trusts it: what is not in it does not exist.
 */
export class ConsolidatedIndex {
  /** Relative path -> the node, or the reason it cannot be read. */
  readonly nodes = new Map<string, NodeMetadata | ZarrError>();
  /** Relative group path -> sorted relative paths of its direct members. */
  readonly children = new Map<string, string[]>();

  constructor(
    readonly carrier: string,
    readonly sourceKey: string,
  ) {}

  /** Builds the children map once all nodes are in. Nodes whose parent is not a group are unreachable. */
  finish(): this {
    for (const rel of this.nodes.keys()) {
      if (rel === "") continue;
      const parent = parentPath(rel) ?? "";
      const list = this.children.get(parent) ?? [];
      list.push(rel);
      this.children.set(parent, list);
    }
    for (const list of this.children.values()) list.sort(compareCodePoints);
    return this;
  }

  /** Members directly below `rel`, but only when `rel` is itself a group in the index. */
  childrenOf(rel: string): string[] {
    const node = this.nodes.get(rel);
    if (rel !== "" && !(node && !(node instanceof Error) && node.nodeType === "group")) return [];
    return this.children.get(rel) ?? [];
  }
}

function capture(build: () => NodeMetadata): NodeMetadata | ZarrError {
  try {
    return build();
  } catch (error) {
    if (error instanceof ZarrError) return error;
    throw error;
  }
}

/**
 * Format 2: `{"zarr_consolidated_format": 1, "metadata": {"a/.zarray": {...}, ...}}`. A
 * `.zattrs` without a `.zarray` or `.zgroup` beside it belongs to no node and is ignored.
 */
export function indexFromZmetadata(
  carrier: string,
  key: string,
  value: JsonValue,
  version: string | null,
): ConsolidatedIndex {
  return memoized(value, key, version, () => buildFromZmetadata(carrier, key, value, version));
}

/**
 * Indexes built from a document object: a parsed document shared between requests (see
 * DocumentCache) is indexed once, not once per request.
 */
const built = new WeakMap<object, { key: string; version: string | null; index: ConsolidatedIndex | null }>();

function memoized<T extends ConsolidatedIndex | null>(
  value: JsonValue,
  key: string,
  version: string | null,
  build: () => T,
): T {
  if (value === null || typeof value !== "object" || !Object.isFrozen(value)) return build();
  const hit = built.get(value);
  if (hit && hit.key === key && hit.version === version) return hit.index as T;
  const index = build();
  built.set(value, { key, version, index });
  return index;
}

function buildFromZmetadata(carrier: string, key: string, value: JsonValue, version: string | null): ConsolidatedIndex {
  if (!isJsonObject(value)) fail(key, ".zmetadata must be a JSON object");
  const metadata = value.metadata;
  if (!isJsonObject(metadata)) fail(key, '.zmetadata needs a "metadata" object');
  if (value.zarr_consolidated_format !== undefined && value.zarr_consolidated_format !== 1) {
    fail(key, `unsupported zarr_consolidated_format ${JSON.stringify(value.zarr_consolidated_format)}`);
  }
  const index = new ConsolidatedIndex(carrier, key);
  const dirs = new Map<string, Record<string, JsonValue>>();
  // for...in, not Object.entries: a 100,000-node block has 300,000 keys, each an array there.
  for (const flatKey in metadata) {
    const doc = metadata[flatKey];
    const slash = flatKey.lastIndexOf("/");
    const dir = slash === -1 ? "" : flatKey.slice(0, slash);
    const name = flatKey.slice(slash + 1);
    if (name !== ".zarray" && name !== ".zgroup" && name !== ".zattrs") continue;
    const entry = dirs.get(dir) ?? {};
    entry[name] = doc;
    dirs.set(dir, entry);
  }
  for (const [dir, docs] of dirs) {
    const where = `${key}#${dir}`;
    if (docs[".zarray"] !== undefined) {
      index.nodes.set(
        dir,
        capture(() => parseV2Array(where, docs[".zarray"], readAttributes(where, docs[".zattrs"]), version)),
      );
    } else if (docs[".zgroup"] !== undefined) {
      index.nodes.set(
        dir,
        capture(() => parseV2Group(where, docs[".zgroup"], readAttributes(where, docs[".zattrs"]), version)),
      );
    }
  }
  return index.finish();
}

/**
 * Format 3 inline consolidated metadata. Child groups may carry nested blocks of their own
 * (keys relative to that child); the flat keys of the outer block win where both speak of a
 * node, as zarr-python's `_flat_to_nested` does.
 */
export function indexFromInline(
  carrier: string,
  key: string,
  rootDocument: JsonObject,
  version: string | null,
): ConsolidatedIndex | null {
  return memoized(rootDocument, key, version, () => buildFromInline(carrier, key, rootDocument, version));
}

function buildFromInline(
  carrier: string,
  key: string,
  rootDocument: JsonObject,
  version: string | null,
): ConsolidatedIndex | null {
  const block = rootDocument.consolidated_metadata;
  if (block === null || block === undefined) return null;
  const index = new ConsolidatedIndex(carrier, key);
  const flat = new Map<string, JsonValue>();
  // The block (numbered as read, each before the blocks nested in it) that gave each path its
  // document. A block may replace only what it gave itself, so outer keys win over nested ones
  // without copying the map for every nested block (quadratic in a hostile document).
  const givenBy = new Map<string, number>();
  let blocks = 0;
  const collect = (prefix: string, value: JsonValue, where: string): void => {
    const block = blocks++;
    if (!isJsonObject(value)) fail(where, '"consolidated_metadata" must be an object or null');
    if (value.kind !== undefined && value.kind !== "inline") {
      fail(where, `unsupported consolidated_metadata kind ${JSON.stringify(value.kind)}`);
    }
    const metadata = value.metadata ?? {};
    if (!isJsonObject(metadata)) fail(where, '"consolidated_metadata.metadata" must be an object');
    const nested: [string, JsonValue][] = [];
    for (const [rel, doc] of Object.entries(metadata)) {
      const path = joinPath(prefix, rel.replace(/^\/+|\/+$/g, ""));
      const owner = givenBy.get(path);
      if (owner === undefined || owner === block) {
        flat.set(path, doc);
        givenBy.set(path, block);
      }
      if (isJsonObject(doc) && doc.node_type === "group" && isJsonObject(doc.consolidated_metadata)) {
        nested.push([path, doc.consolidated_metadata]);
      }
    }
    for (const [path, inner] of nested) collect(path, inner, `${where}#${path}`);
  };
  collect("", block, key);
  index.nodes.set(
    "",
    capture(() => parseV3(key, rootDocument, version)),
  );
  for (const [path, doc] of flat) {
    if (path === "") continue;
    index.nodes.set(
      path,
      capture(() => {
        if (!isJsonObject(doc)) throw new InvalidMetadataError(`${key}#${path}`, "entry must be a JSON object");
        return parseV3(`${key}#${path}`, doc, version);
      }),
    );
  }
  return index.finish();
}
