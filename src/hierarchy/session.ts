import type { Store } from "../stores/store.js";
import type { NodeBudget } from "./budget.js";
import { type ConsolidatedIndex, indexFromInline, indexFromZmetadata } from "./consolidated.js";
import type { DocumentReader } from "./documents.js";
import { LimitExceededError, NotFoundError, StoreUnavailable, ZarrError } from "./errors.js";
import type { NodeMetadata } from "./metadata.js";
import { type Format, NodeDocuments } from "./node-documents.js";
import { ancestors, basename, inCodePointOrder, joinPath, parentPath, relativePath } from "./paths.js";
import { TreePrefetch } from "./tree-prefetch.js";
import { type ChildList, type WalkRequest, type WalkResult, type WalkSource, walkMembers } from "./walk.js";

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

/** Where a node is in its hierarchy, and what answers for it. */
interface Location {
  /** Null: no node at this path. */
  meta: NodeMetadata | null;
  /** The consolidated metadata that answers for the node: the outermost carrier above it; null: its own documents. */
  cover: ConsolidatedIndex | null;
  /** No node above it: it heads a hierarchy (the root, or a node below a folder that is no group). */
  top: boolean;
}

/** NOT_FOUND because the mode requires consolidated metadata and none covers the node. */
export class ConsolidatedRequiredError extends NotFoundError {}

/**
 * One catalog as seen by one request in one consolidated-metadata mode. Every route to a node
 * (a walk, a path, an id) goes through `locate`, so within a request a node has one answer:
 * consolidated metadata that covers it is looked for from the top of its hierarchy down, and the
 * outermost carrier answers for it; a group's own documents answer for the group itself.
 */
export class CatalogSession implements WalkSource {
  readonly nodes: NodeDocuments;
  private readonly locations = new Map<string, Promise<Location>>();
  private readonly carriers = new Map<string, Promise<ConsolidatedIndex | null>>();
  private readonly walks = new Map<string, Promise<MemberResult[]>>();
  /** Paths whose direct open has started its reads (see warm). */
  private readonly warmed = new Set<string>();
  private readonly prefetcher = new TreePrefetch(this);

  constructor(
    readonly catalog: string,
    readonly reader: DocumentReader,
    readonly mode: ConsolidatedMode,
    readonly budget: NodeBudget,
  ) {
    this.nodes = new NodeDocuments(reader);
  }

  get store(): Store {
    return this.reader.store;
  }

  ref(path: string, meta: NodeMetadata): ZarrNodeRef {
    return { catalog: this.catalog, path, meta, session: this };
  }

  // ---- locating nodes -------------------------------------------------------------------

  /** Where the node at `path` is and who answers for it (no mode check). */
  private locate(path: string): Promise<Location> {
    let location = this.locations.get(path);
    if (!location) {
      location = path === "" ? this.locateTop("") : this.locateBelow(path);
      this.locations.set(path, location);
    }
    return location;
  }

  private async locateTop(path: string): Promise<Location> {
    // Its consolidated metadata decides everything below: read it in the same wave.
    if (this.mode !== "ignore") this.nodes.warm(path, "?", [".zmetadata"]);
    return { meta: await this.nodes.read(path, "?"), cover: null, top: true };
  }

  private async locateBelow(path: string): Promise<Location> {
    const parentAt = parentPath(path)!;
    const parent = await this.locate(parentAt);
    if (!parent.meta) return this.locateTop(path);
    if (parent.meta.nodeType !== "group") return { meta: null, cover: null, top: false };
    const cover = parent.cover ?? (await this.carrier(parentAt));
    if (cover) return { meta: fromIndex(cover, path), cover, top: false };
    // Children are opened in their group's format, as zarr-python does.
    return { meta: await this.nodes.read(path, parent.meta.zarrFormat), cover: null, top: false };
  }

  /**
   * Starts reading what a direct open of `path` will need, so the reads go out together: the top
   * of the hierarchy and the node first, then (unless the top's consolidated metadata answers for
   * everything) the groups in between. Under REQUIRE nothing is read beyond the carriers.
   */
  private warm(path: string): void {
    if (this.mode === "require" || path === "" || this.locations.has(path) || this.warmed.has(path)) return;
    this.warmed.add(path);
    const extra = this.mode === "ignore" ? [] : [".zmetadata"];
    if (!this.locations.has("")) {
      this.nodes.warm("", "?", extra);
      this.nodes.warm(path, "?", extra);
    }
    this.locate("")
      .then(async (root) => {
        if (root.meta && this.mode !== "ignore" && (await this.carrier("").catch(() => null))) return;
        const format: Format | "?" = root.meta?.zarrFormat ?? "?";
        for (const p of [...ancestors(path), path]) {
          if (p !== "") this.nodes.warm(p, format, format === 3 ? [] : extra);
        }
      })
      .catch(() => undefined);
  }

  /** The node at `path` as this session's mode lets it be seen, or null when there is none. */
  async open(path: string): Promise<NodeMetadata | null> {
    this.warm(path);
    const location = await this.locate(path);
    if (!location.meta) return null;
    if (this.mode === "require") await this.checkRequired(path, location);
    return location.meta;
  }

  /** The root node (group or array), or null. */
  root(): Promise<NodeMetadata | null> {
    return this.open("");
  }

  /**
   * The node's own documents, consolidated metadata aside (writes use this: they change what the
   * store holds). In `format` when given, else the one its documents say.
   */
  openOwn(path: string, format?: Format): Promise<NodeMetadata | null> {
    return this.nodes.read(path, format ?? "?");
  }

  /** Under REQUIRE: only what consolidated metadata covers, a group that carries some, or an array heading its hierarchy. */
  private async checkRequired(path: string, location: Location): Promise<void> {
    if (location.cover) return;
    const meta = location.meta!;
    if (meta.nodeType === "group" ? await this.carrier(path) : location.top) return;
    throw new ConsolidatedRequiredError(
      `catalog "${this.catalog}" requires consolidated metadata, but none covers "/${path}" (no .zmetadata, no consolidated_metadata in zarr.json, in it or any group above it)`,
      { catalog: this.catalog, path },
    );
  }

  /** Fails when the mode requires consolidated metadata and the group's members have none. */
  async requireConsolidated(path: string): Promise<void> {
    if (this.mode === "require" && !(await this.consolidatedFor(path))) {
      throw new ConsolidatedRequiredError(
        `catalog "${this.catalog}" requires consolidated metadata, but group "/${path}" has none (no .zmetadata, no consolidated_metadata in zarr.json, and no group above it carries any)`,
        { catalog: this.catalog, path },
      );
    }
  }

  // ---- consolidated metadata ------------------------------------------------------------

  /** The consolidated metadata the group at `path` carries itself (not what covers it), or null. */
  private carrier(path: string): Promise<ConsolidatedIndex | null> {
    if (this.mode === "ignore") return Promise.resolve(null);
    let carrier = this.carriers.get(path);
    if (!carrier) {
      carrier = this.readCarrier(path);
      this.carriers.set(path, carrier);
    }
    return carrier;
  }

  private async readCarrier(path: string): Promise<ConsolidatedIndex | null> {
    const { meta } = await this.locate(path);
    if (meta?.nodeType !== "group") return null;
    if (meta.zarrFormat === 3) return indexFromInline(path, joinPath(path, "zarr.json"), meta.document, meta.version);
    // A .zmetadata beside no .zgroup carries nothing: the folder is no group.
    const key = joinPath(path, ".zmetadata");
    const doc = await this.reader.document(key);
    return doc ? indexFromZmetadata(path, key, doc.value, doc.version) : null;
  }

  /** The consolidated metadata that answers for the members of the group at `path`, if any. */
  async consolidatedFor(path: string): Promise<ConsolidatedIndex | undefined> {
    if (this.mode === "ignore") return undefined;
    const location = await this.locate(path);
    return location.cover ?? (await this.carrier(path)) ?? undefined;
  }

  /** Where the node at `path` is answered from: the carrier's path, or null for its own documents. */
  async coverOf(path: string): Promise<string | null> {
    return (await this.locate(path)).cover?.carrier ?? null;
  }

  // ---- walking ---------------------------------------------------------------------------

  /** The direct members of the group at `path` (WalkSource): from consolidated metadata, or listed. */
  async children(path: string): Promise<ChildList> {
    const { meta } = await this.locate(path);
    if (meta?.nodeType !== "group") return { names: [], read: async () => null };
    // A format-2 group's listing shows whether it carries .zmetadata: no read needed to find out.
    if (this.mode === "use" && meta.zarrFormat === 2 && this.store.capabilities.listable) {
      const key = joinPath(path, ".zmetadata");
      if (!this.reader.known(key) && !(await this.locate(path)).cover) {
        const listing = await this.reader.list(path);
        if (!listing.keys.includes(".zmetadata")) this.reader.primeMissing([key]);
      }
    }
    const index = await this.consolidatedFor(path);
    if (index) {
      const rel = relativePath(index.carrier, path) ?? "";
      const names = index.childrenOf(rel).map(basename);
      return { names, read: (name) => this.readChild(path, name) };
    }
    await this.requireConsolidated(path);
    if (!this.store.capabilities.listable) {
      throw new StoreUnavailable(
        `store ${this.store.description} cannot list, so the members of "/${path}" can only come from consolidated metadata, and there is none (no .zmetadata, no consolidated_metadata in zarr.json)`,
      );
    }
    const listing = await this.reader.list(path);
    const names = inCodePointOrder(listing.prefixes);
    return { names, read: (name) => this.readChild(path, name) };
  }

  private async readChild(group: string, name: string): Promise<MemberResult | null> {
    const path = joinPath(group, name);
    try {
      const { meta } = await this.locate(path);
      return meta ? { path, node: this.ref(path, meta) } : null;
    } catch (error) {
      return { path, error: error as Error };
    }
  }

  /**
   * Every member of the group at `path` down to `maxDepth` more levels (0 = children, null =
   * all), sorted by path; once per request for each group and depth, whatever asks (members'
   * totalCount, nmembers, info, tree). Over a store that lists whole trees, one listing and one
   * wave of reads first.
   */
  members(path: string, maxDepth: number | null): Promise<MemberResult[]> {
    const id = `${maxDepth}:${path}`;
    let walk = this.walks.get(id);
    if (!walk) {
      walk = this.walkAll(path, maxDepth);
      this.walks.set(id, walk);
    }
    return walk;
  }

  /** Whether `members(path, maxDepth)` has been asked for already in this request. */
  walked(path: string, maxDepth: number | null): boolean {
    return this.walks.has(`${maxDepth}:${path}`);
  }

  /**
   * Reads every document down to `maxDepth` below the group in one listing and one wave, where
   * the store lists trees and no consolidated metadata answers already: for walks that will visit
   * all of it (whole walks, nested members selections).
   */
  async prefetch(path: string, maxDepth: number | null): Promise<void> {
    const { meta } = await this.locate(path);
    if (meta?.nodeType !== "group" || !this.store.capabilities.listTree || !this.store.listTree) return;
    if (await this.consolidatedFor(path)) return;
    await this.requireConsolidated(path);
    await this.prefetcher.prefetch(path, meta.zarrFormat, maxDepth);
  }

  private async walkAll(path: string, maxDepth: number | null): Promise<MemberResult[]> {
    const { meta } = await this.locate(path);
    if (meta?.nodeType !== "group") return [];
    await this.prefetch(path, maxDepth);
    const { members } = await this.page({
      group: path,
      maxDepth,
      limit: Number.POSITIVE_INFINITY,
      direction: "forward",
      accept: () => true,
    });
    return members;
  }

  /** A page of members (see walkMembers); never shorter than it should be without an error. */
  async page(request: Omit<WalkRequest, "visit">): Promise<WalkResult> {
    const result = await walkMembers(this, { ...request, visit: (n) => this.budget.take(n) });
    // A member whose read the deadline cut off fails the walk: the answer would be silently short.
    for (const member of result.members) {
      if (member.error && isDeadline(member.error, this.reader.signal))
        throw deadlineError(member.error, this.reader.signal);
    }
    return result;
  }

  /**
   * A write changed the node at `path` (with `subtree`, everything below it too). What was
   * located may hang on it (a new .zmetadata changes what answers for a whole subtree), and writes
   * are rare: forget every location, carrier and walk, and the node's own documents.
   */
  forget(path: string, subtree = false): void {
    this.locations.clear();
    this.carriers.clear();
    this.walks.clear();
    this.nodes.forget(path, subtree);
  }
}

function fromIndex(index: ConsolidatedIndex, path: string): NodeMetadata | null {
  const rel = relativePath(index.carrier, path);
  const node = rel === null ? undefined : index.nodes.get(rel);
  if (node instanceof Error) throw node;
  return node ?? null;
}

function isDeadline(error: Error, signal: AbortSignal | undefined): boolean {
  if (error instanceof LimitExceededError && error.details.limit === "deadline") return true;
  return signal?.aborted === true && error instanceof ZarrError && error.code === "STORE_UNAVAILABLE";
}

function deadlineError(error: Error, signal: AbortSignal | undefined): Error {
  return signal?.aborted && signal.reason instanceof ZarrError ? signal.reason : error;
}
