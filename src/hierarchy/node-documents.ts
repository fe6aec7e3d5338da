import type { DocumentReader, ParsedDocument } from "./documents.js";
import type { NodeMetadata } from "./metadata.js";
import { parseV2Array, parseV2Group, readAttributes } from "./metadata-v2.js";
import { parseV3 } from "./metadata-v3.js";
import { joinPath } from "./paths.js";

export type Format = 2 | 3;

/**
 * The documents that say what a node is, by format; "?" for a node whose format is not known yet.
 * In the order they are asked for: a format-2 node has one of .zarray and .zgroup and usually
 * .zattrs, and the file store vouches for a folder by the first document it opens there, so the
 * likely one goes first and the probe that misses finds the folder already vouched for.
 */
export const NODE_DOCUMENTS: Record<Format | "?", readonly string[]> = {
  3: ["zarr.json"],
  2: [".zattrs", ".zarray", ".zgroup"],
  "?": ["zarr.json", ".zattrs", ".zarray", ".zgroup"],
};

/**
 * A node from its own documents, in one format or, when the format is not known, the one its
 * documents say (format 3 wins when both are there, as zarr-python's open decides). Memoised per
 * request: every route that reads a node's own documents gets the same object.
 */
export class NodeDocuments {
  private readonly nodes = new Map<string, Promise<NodeMetadata | null>>();

  constructor(private readonly reader: DocumentReader) {}

  /** Starts reading a node's documents, so that reads asked for together go out in one wave. */
  warm(path: string, format: Format | "?", extra: readonly string[] = []): void {
    for (const name of [...NODE_DOCUMENTS[format], ...extra]) {
      this.reader.document(joinPath(path, name)).catch(() => undefined);
    }
  }

  read(path: string, format: Format | "?"): Promise<NodeMetadata | null> {
    const id = `${format}:${path}`;
    let node = this.nodes.get(id);
    if (!node) {
      node = this.load(path, format);
      this.nodes.set(id, node);
    }
    return node;
  }

  /** Forgets what was read at `path` (with `subtree`, below it too): a write changed it. */
  forget(path: string, subtree: boolean): void {
    for (const id of [...this.nodes.keys()]) {
      const p = id.slice(2);
      if (p === path || (subtree && (path === "" || p.startsWith(`${path}/`)))) this.nodes.delete(id);
    }
  }

  private async load(path: string, format: Format | "?"): Promise<NodeMetadata | null> {
    const doc = (name: string) => this.reader.document(joinPath(path, name));
    if (format === 3) {
      const zarrJson = await doc("zarr.json");
      return zarrJson ? v3(path, zarrJson) : null;
    }
    if (format === 2) {
      const [zattrs, zarray, zgroup] = await Promise.all(NODE_DOCUMENTS[2].map(doc));
      return v2(path, zarray, zgroup, zattrs);
    }
    // One wave for both formats; a failure in one format's documents is that format's concern.
    const [zarrJson, ...legacy] = await Promise.allSettled(NODE_DOCUMENTS["?"].map(doc));
    if (zarrJson.status === "rejected") throw zarrJson.reason;
    if (zarrJson.value) return v3(path, zarrJson.value);
    const [zattrs, zarray, zgroup] = legacy.map((s) => {
      if (s.status === "rejected") throw s.reason;
      return s.value;
    });
    return v2(path, zarray, zgroup, zattrs);
  }
}

/**
 * Metadata parsed from documents the server's cache shares between requests (frozen), kept with
 * them: a warm walk reads a node's documents from the cache and need not parse them into
 * metadata again either. Kept on the cache's entry itself (a cached document is handed out as
 * it is), not in a WeakMap keyed by the document: a walk keeps 300,000 of them, and the
 * collector visits weak entries at a cost of their own. The metadata is its own check: its
 * version is made of the versions of every document that went into it, so a memo whose version
 * is the one asked for was made of the same documents. Without versions there is no such check,
 * and nothing is kept.
 */
function memoized(doc: ParsedDocument, version: string | null, parse: () => NodeMetadata): NodeMetadata {
  const value = doc.value;
  if (version === null || value === null || typeof value !== "object" || !Object.isFrozen(value)) return parse();
  const hit = doc.derived as NodeMetadata | undefined;
  if (hit?.version === version) return hit;
  const meta = parse();
  doc.derived = meta;
  return meta;
}

function v3(path: string, parsed: ParsedDocument): NodeMetadata {
  return memoized(parsed, parsed.version, () => parseV3(joinPath(path, "zarr.json"), parsed.value, parsed.version));
}

function v2(
  path: string,
  zarray: ParsedDocument | undefined,
  zgroup: ParsedDocument | undefined,
  zattrs: ParsedDocument | undefined,
): NodeMetadata | null {
  if (!zarray && !zgroup) return null;
  // Joined (a flat string: see fileVersion); the memo compares it, and each node keeps one.
  const version = (doc: ParsedDocument) =>
    doc.version === null && zattrs?.version == null ? null : [doc.version ?? "", zattrs?.version ?? ""].join(":");
  const parse = () => {
    const attributes = readAttributes(joinPath(path, ".zattrs"), zattrs?.value);
    if (zarray) return parseV2Array(joinPath(path, ".zarray"), zarray.value, attributes, version(zarray));
    return parseV2Group(joinPath(path, ".zgroup"), zgroup!.value, attributes, version(zgroup!));
  };
  const own = zarray ?? zgroup!;
  // Attributes whose document has no version of its own cannot be vouched for by one.
  return memoized(own, zattrs && zattrs.version === null ? null : version(own), parse);
}
