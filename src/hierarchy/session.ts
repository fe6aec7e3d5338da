import type { Store } from "../stores/store.js";
import { type ConsolidatedIndex, indexFromInline, indexFromZmetadata } from "./consolidated.js";
import { type DocumentReader, type ParsedDocument, toZarrError } from "./documents.js";
import { LimitExceededError, NotFoundError, StoreUnavailable } from "./errors.js";
import type { NodeMetadata } from "./metadata.js";
import { parseV2Array, parseV2Group, readAttributes } from "./metadata-v2.js";
import { parseV3 } from "./metadata-v3.js";
import { ancestors, compareCodePoints, joinPath, relativePath } from "./paths.js";

export type ConsolidatedMode = "use" | "require" | "ignore";

/** A node as the API sees it: where it is and what its documents say. */
export interface ZarrNodeRef {
  catalog: string;
  path: string;
  meta: NodeMetadata;
  session: CatalogSession;
}

/** A member slot: the node, or the error that stands in its place. */
export type MemberResult =
  | { path: string; node: ZarrNodeRef; error?: undefined }
  | { path: string; node?: undefined; error: Error };

/** Shared by every catalog a request touches: bounds how many nodes one request may walk. */
export class NodeBudget {
  used = 0;
  constructor(readonly max: number) {}
  take(n: number): void {
    this.used += n;
    if (this.used > this.max) {
      throw new LimitExceededError(
        "nodes",
        this.max,
        this.used,
        `node budget exceeded: this request would visit ${this.used} nodes, more than the ${this.max} allowed; narrow maxDepth or the selection`,
      );
    }
  }
}

const V3_DOCS = ["zarr.json"] as const;
const V2_DOCS = [".zarray", ".zgroup", ".zattrs"] as const;

function docKey(path: string, name: string): string {
  return joinPath(path, name);
}

/**
 * One catalog as seen by one request in one consolidated-metadata mode. Opens nodes, lists
 * members and walks subtrees through the request's DocumentReader, and answers from
 * consolidated metadata wherever a loaded group carries it (unless the mode ignores it).
 */
export class CatalogSession {
  private readonly opened = new Map<string, Promise<NodeMetadata | null>>();
  private readonly indexes = new Map<string, ConsolidatedIndex>();
  private rootPromise?: Promise<NodeMetadata | null>;

  constructor(
    readonly catalog: string,
    readonly reader: DocumentReader,
    readonly mode: ConsolidatedMode,
    readonly budget: NodeBudget,
  ) {}

  get store(): Store {
    return this.reader.store;
  }

  ref(path: string, meta: NodeMetadata): ZarrNodeRef {
    return { catalog: this.catalog, path, meta, session: this };
  }

  /** The nearest consolidated index that speaks for `path` (a proper ancestor or the node itself). */
  coveringIndex(path: string, includeSelf = false): ConsolidatedIndex | undefined {
    if (this.mode === "ignore") return undefined;
    if (includeSelf && this.indexes.has(path)) return this.indexes.get(path);
    for (const ancestor of ancestors(path)) {
      const index = this.indexes.get(ancestor);
      if (index) return index;
    }
    return undefined;
  }

  fromIndex(index: ConsolidatedIndex, path: string): NodeMetadata | null {
    const rel = relativePath(index.carrier, path);
    const node = rel === null ? undefined : index.nodes.get(rel);
    if (node instanceof Error) throw node;
    return node ?? null;
  }

  /**
   * A write changed the node at `path` (with `subtree`, everything below it too): forget what was
   * opened there and the consolidated metadata it carried, so the next open reads it again.
   */
  forget(path: string, subtree = false): void {
    const hit = (p: string) => p === path || (subtree && relativePath(path, p) !== null);
    for (const key of [...this.opened.keys()]) if (hit(key.slice(key.indexOf(":") + 1))) this.opened.delete(key);
    for (const carrier of [...this.indexes.keys()]) if (hit(carrier)) this.indexes.delete(carrier);
    if (hit("")) this.rootPromise = undefined;
  }

  /** The root node (group or array), or null. */
  root(): Promise<NodeMetadata | null> {
    this.rootPromise ??= this.probe("", undefined);
    return this.rootPromise;
  }

  /**
   * Opens the node at `path`: from consolidated metadata when an ancestor's covers it, else by
   * reading its documents (in `format` when the caller knows it, probing both otherwise).
   * Returns null when there is no node.
   */
  async open(path: string, format?: 2 | 3): Promise<NodeMetadata | null> {
    if (path === "") return this.root();
    if (this.mode !== "ignore") {
      // The root may carry consolidated metadata for this path. The first open reads the node
      // alongside the root (one wave; the probe is kept for later); the ones after wait for the
      // root rather than read what it may already hold.
      if (!this.rootPromise && !this.coveringIndex(path)) this.probe(path, format).catch(() => undefined);
      await this.root().catch(() => null);
      const index = this.coveringIndex(path);
      if (index) return this.fromIndex(index, path);
    }
    return this.probe(path, format);
  }

  private probe(path: string, format: 2 | 3 | undefined): Promise<NodeMetadata | null> {
    const cacheKey = `${format ?? "?"}:${path}`;
    let result = this.opened.get(cacheKey);
    if (!result) {
      result = this.readNode(path, format);
      this.opened.set(cacheKey, result);
    }
    return result;
  }

  private async readNode(path: string, format: 2 | 3 | undefined): Promise<NodeMetadata | null> {
    const doc = (name: string) => this.reader.document(docKey(path, name));
    if (format === 3) {
      const zarrJson = await doc("zarr.json");
      return zarrJson ? this.fromV3(path, zarrJson) : null;
    }
    if (format === 2) {
      const [zarray, zgroup, zattrs] = await Promise.all([doc(".zarray"), doc(".zgroup"), doc(".zattrs")]);
      return this.fromV2(path, zarray, zgroup, zattrs);
    }
    // Unknown format: one wave of probes, as zarr-python's open does. With consolidated metadata
    // in play, .zmetadata takes .zgroup's place (it holds a copy), so a consolidated v2 root
    // costs at most four reads.
    const useConsolidated = this.mode !== "ignore";
    const settled = await Promise.allSettled([
      doc("zarr.json"),
      doc(".zarray"),
      doc(".zattrs"),
      doc(useConsolidated ? ".zmetadata" : ".zgroup"),
    ]);
    const get = (i: number) => {
      const s = settled[i];
      if (s.status === "rejected") throw s.reason;
      return s.value;
    };
    // Format 3 wins when both exist.
    const zarrJson = get(0);
    if (zarrJson) return this.fromV3(path, zarrJson);
    if (!useConsolidated) return this.fromV2(path, get(1), get(3), get(2));
    const zarray = get(1);
    if (zarray) return this.fromV2(path, zarray, undefined, get(2));
    const zmetadata = get(3);
    if (zmetadata) {
      const index = indexFromZmetadata(path, docKey(path, ".zmetadata"), zmetadata.value, zmetadata.version);
      this.indexes.set(path, index);
      const self = index.nodes.get("");
      if (self instanceof Error) throw self;
      if (self) return self;
    }
    return this.fromV2(path, undefined, await doc(".zgroup"), get(2));
  }

  private fromV3(path: string, parsed: ParsedDocument): NodeMetadata {
    const key = docKey(path, "zarr.json");
    const meta = parseV3(key, parsed.value, parsed.version);
    if (meta.nodeType === "group" && this.mode !== "ignore" && !this.coveringIndex(path)) {
      const index = indexFromInline(path, key, meta.document, parsed.version);
      if (index) this.indexes.set(path, index);
    }
    return meta;
  }

  private fromV2(
    path: string,
    zarray: ParsedDocument | undefined,
    zgroup: ParsedDocument | undefined,
    zattrs: ParsedDocument | undefined,
  ): NodeMetadata | null {
    const attributes = readAttributes(docKey(path, ".zattrs"), zattrs?.value);
    const version = (doc: ParsedDocument) =>
      doc.version === null && zattrs?.version == null ? null : `${doc.version ?? ""}:${zattrs?.version ?? ""}`;
    if (zarray) return parseV2Array(docKey(path, ".zarray"), zarray.value, attributes, version(zarray));
    if (zgroup) return parseV2Group(docKey(path, ".zgroup"), zgroup.value, attributes, version(zgroup));
    return null;
  }

  /** Consolidated metadata the group at `path` answers from, if any (its own or an ancestor's). */
  consolidatedFor(path: string): ConsolidatedIndex | undefined {
    return this.coveringIndex(path, true);
  }

  /** Fails when the mode requires consolidated metadata and the group has none. */
  requireConsolidated(path: string): void {
    if (this.mode === "require" && !this.consolidatedFor(path)) {
      throw new NotFoundError(
        `catalog "${this.catalog}" requires consolidated metadata, but group "/${path}" has none (no .zmetadata, no consolidated_metadata in zarr.json, and no ancestor's covers it)`,
        { catalog: this.catalog, path },
      );
    }
  }

  /** Direct members of the group at `path`, sorted by path. */
  async children(path: string, group: NodeMetadata): Promise<MemberResult[]> {
    const index = this.consolidatedFor(path);
    if (index) {
      const rel = relativePath(index.carrier, path) ?? "";
      return index.childrenOf(rel).map((childRel) => {
        const childPath = joinPath(index.carrier, childRel);
        const node = index.nodes.get(childRel);
        if (!node) return { path: childPath, error: new NotFoundError(`no node at "/${childPath}"`) };
        if (node instanceof Error) return { path: childPath, error: node };
        return { path: childPath, node: this.ref(childPath, node) };
      });
    }
    this.requireConsolidated(path);
    if (!this.store.capabilities.listable) {
      throw new StoreUnavailable(
        `store ${this.store.description} cannot list, so the members of "/${path}" can only come from consolidated metadata, and there is none (no .zmetadata, no consolidated_metadata in zarr.json)`,
      );
    }
    const listing = await this.reader.list(path);
    const results = await Promise.all(
      listing.prefixes.map(async (name): Promise<MemberResult | null> => {
        const childPath = joinPath(path, name);
        try {
          // Children are opened in their group's format, as zarr-python does.
          const meta = await this.probe(childPath, group.zarrFormat);
          return meta ? { path: childPath, node: this.ref(childPath, meta) } : null;
        } catch (error) {
          return { path: childPath, error: error as Error };
        }
      }),
    );
    return results.filter((r): r is MemberResult => r !== null).sort((a, b) => compare(a.path, b.path));
  }

  /**
   * Members of the group at `path` down to `maxDepth` more levels (0 = children, null = all),
   * sorted by path. Level by level: one wave of listings and one of reads per level; over a
   * store that lists whole trees, one listing and one wave of reads first. `prefetchDepth`
   * (default: maxDepth) lets a caller that will ask for deeper levels next (nested selections)
   * have them listed and read in the same two waves.
   */
  async members(
    path: string,
    group: NodeMetadata,
    maxDepth: number | null,
    prefetchDepth: number | null = maxDepth,
  ): Promise<MemberResult[]> {
    if (prefetchDepth !== 0 && this.store.capabilities.listTree && this.store.listTree) {
      // A failed tree listing fails the walk as any failed read does: STORE_UNAVAILABLE, or the deadline.
      await this.prefetchTree(path, group.zarrFormat, deeper(maxDepth, prefetchDepth)).catch((error: unknown) => {
        throw toZarrError(error);
      });
    }
    const out: MemberResult[] = [];
    let frontier: { path: string; meta: NodeMetadata }[] = [{ path, meta: group }];
    for (let depth = 0; frontier.length > 0 && (maxDepth === null || depth <= maxDepth); depth++) {
      const levels = await Promise.all(frontier.map((g) => this.children(g.path, g.meta)));
      const next: { path: string; meta: NodeMetadata }[] = [];
      for (const level of levels) {
        this.budget.take(level.length);
        for (const member of level) {
          out.push(member);
          if (member.node?.meta.nodeType === "group") next.push({ path: member.path, meta: member.node.meta });
        }
      }
      frontier = next;
    }
    return out.sort((a, b) => compare(a.path, b.path));
  }

  /** Absolute depth (in path segments) down to which each prefetched tree was read; null = all. */
  private readonly prefetched = new Map<string, Promise<number | null>>();

  /** Whether an earlier prefetch (this path's or an ancestor's) already read down to `until`. */
  private async prefetchedUntil(path: string, until: number | null): Promise<boolean> {
    for (const candidate of [path, ...ancestors(path)]) {
      const done = this.prefetched.get(candidate);
      if (done === undefined) continue;
      const reached = await done.catch(() => -1);
      if (reached === null || (until !== null && reached >= until)) return true;
    }
    return false;
  }

  /**
   * Lists every metadata document below `path` once and reads those within reach in one wave,
   * priming the loaders so the level-by-level walk that follows touches the store no more.
   */
  private async prefetchTree(path: string, format: 2 | 3, maxDepth: number | null): Promise<void> {
    // Consolidated metadata already answers everything below; nothing to list.
    if (this.consolidatedFor(path)) return;
    const baseDepth = path === "" ? 0 : path.split("/").length;
    const until = maxDepth === null ? null : baseDepth + maxDepth + 1;
    if (await this.prefetchedUntil(path, until)) return;
    const run = this.listAndRead(path, format, maxDepth).then(() => until);
    this.prefetched.set(path, run);
    await run;
  }

  private async listAndRead(path: string, format: 2 | 3, maxDepth: number | null): Promise<void> {
    const names = format === 3 ? V3_DOCS : V2_DOCS;
    const baseDepth = path === "" ? 0 : path.split("/").length;
    const within = (dir: string) => maxDepth === null || dir.split("/").length - baseDepth <= maxDepth + 1;
    const keys = await this.reader.listTree(path, {
      names,
      // Never walk into an array's folder: its chunk keys can number millions.
      descend: async (dir, objects) => {
        if (dir !== path && !within(dir)) return false;
        if (format === 2) return !objects.includes(".zarray");
        if (!objects.includes("zarr.json")) return true;
        try {
          const meta = await this.probe(dir, 3);
          return meta?.nodeType !== "array";
        } catch {
          return false;
        }
      },
    });
    const dirs = new Map<string, Set<string>>();
    const ensureDir = (dir: string) => {
      const entry = dirs.get(dir) ?? new Set<string>();
      dirs.set(dir, entry);
      return entry;
    };
    const childDirs = new Map<string, Set<string>>();
    for (const key of keys) {
      const slash = key.lastIndexOf("/");
      const dir = slash === -1 ? "" : key.slice(0, slash);
      if (relativePath(path, dir) === null) continue;
      ensureDir(dir).add(key.slice(slash + 1));
      // Every folder between the group and this document lists the next one down.
      for (let d = dir; d !== path; ) {
        const up = d.lastIndexOf("/");
        const parent = up === -1 ? "" : d.slice(0, up);
        const set = childDirs.get(parent) ?? new Set<string>();
        set.add(d.slice(up + 1));
        childDirs.set(parent, set);
        d = parent;
      }
    }
    for (const dir of new Set([...dirs.keys(), ...childDirs.keys()])) {
      this.reader.primeListing(dir, {
        keys: [...(dirs.get(dir) ?? [])].sort(),
        prefixes: [...(childDirs.get(dir) ?? [])].sort(),
      });
    }
    const reads: string[] = [];
    const missing: string[] = [];
    for (const [dir, present] of dirs) {
      if (dir === path || !within(dir)) continue;
      for (const name of names) (present.has(name) ? reads : missing).push(docKey(dir, name));
    }
    this.reader.primeMissing(missing);
    await Promise.allSettled(reads.map((key) => this.reader.document(key)));
  }
}

export function compare(a: string, b: string): number {
  return compareCodePoints(a, b);
}

/** The deeper of two depths, null being deepest. */
function deeper(a: number | null, b: number | null): number | null {
  return a === null || b === null ? null : Math.max(a, b);
}
