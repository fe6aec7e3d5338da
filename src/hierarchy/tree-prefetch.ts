import type { TreeEntry } from "../stores/store.js";
import { toZarrError } from "./documents.js";
import type { Format } from "./node-documents.js";
import { ancestors, joinPath, relativePath } from "./paths.js";
import type { CatalogSession } from "./session.js";

/** The documents a tree listing looks for: a node's own, and format 2's consolidated metadata. */
const TREE_DOCUMENTS: Record<Format, readonly string[]> = {
  3: ["zarr.json"],
  2: [".zarray", ".zgroup", ".zattrs", ".zmetadata"],
};

/**
 * Reads a whole subtree the cheap way on a store that lists trees (`listTree`): one listing of
 * every metadata document below a group, then one wave of reads for the documents whose version
 * the server's cache does not already hold. Priming the request's loaders with what the listing
 * showed (each folder's documents and subfolders, the documents that are not there) lets the
 * walk that follows run without asking the store again.
 */
export class TreePrefetch {
  /** Absolute depth (in path segments) down to which each prefetched tree was read; null = all. */
  private readonly done = new Map<string, Promise<number | null>>();

  constructor(private readonly session: CatalogSession) {}

  async prefetch(path: string, format: Format, maxDepth: number | null): Promise<void> {
    const baseDepth = path === "" ? 0 : path.split("/").length;
    const until = maxDepth === null ? null : baseDepth + maxDepth + 1;
    if (await this.covered(path, until)) return;
    const run = this.listAndRead(path, format, maxDepth).then(() => until);
    this.done.set(path, run);
    await run.catch((error: unknown) => {
      throw toZarrError(error);
    });
  }

  /** Whether an earlier prefetch (this path's or an ancestor's) already read down to `until`. */
  private async covered(path: string, until: number | null): Promise<boolean> {
    for (const candidate of [path, ...ancestors(path)]) {
      const done = this.done.get(candidate);
      if (done === undefined) continue;
      const reached = await done.catch(() => -1);
      if (reached === null || (until !== null && reached >= until)) return true;
    }
    return false;
  }

  private async listAndRead(path: string, format: Format, maxDepth: number | null): Promise<void> {
    const { reader, mode } = this.session;
    const names = TREE_DOCUMENTS[format];
    const baseDepth = path === "" ? 0 : path.split("/").length;
    const depthOf = (dir: string) => (dir === "" ? 0 : dir.split("/").length) - baseDepth;
    const within = (dir: string) => maxDepth === null || depthOf(dir) <= maxDepth + 1;
    /**
     * Folders not entered, whose listing is therefore partial: arrays (their chunk keys can
     * number millions), nested carriers, and groups whose members lie beyond the walk's depth.
     */
    const leaves = new Set<string>();
    const entries = await reader.listTree(path, {
      names,
      descend: async (dir, objects) => {
        const enter =
          (maxDepth === null || depthOf(dir) <= maxDepth) &&
          (await this.enters(dir, path, format, objects, mode !== "ignore"));
        if (!enter) leaves.add(dir);
        return enter;
      },
    });
    const documents = new Map<string, Set<string>>();
    const subfolders = new Map<string, Set<string>>();
    const add = (map: Map<string, Set<string>>, dir: string, name: string) => {
      const set = map.get(dir) ?? new Set<string>();
      set.add(name);
      map.set(dir, set);
    };
    const found: TreeEntry[] = [];
    for (const entry of entries) {
      const slash = entry.key.lastIndexOf("/");
      const dir = slash === -1 ? "" : entry.key.slice(0, slash);
      if (relativePath(path, dir) === null) continue;
      add(documents, dir, entry.key.slice(slash + 1));
      // Every folder between the group and this document lists the next one down.
      for (let d = dir; d !== path; ) {
        const up = d.lastIndexOf("/");
        const parent = up === -1 ? "" : d.slice(0, up);
        add(subfolders, parent, d.slice(up + 1));
        d = parent;
      }
      if (dir !== path && within(dir) && !this.belowLeaf(dir, leaves, path)) found.push(entry);
    }
    // A folder not entered was listed only in part: its listing is left to the store.
    for (const dir of new Set([...documents.keys(), ...subfolders.keys()])) {
      if (leaves.has(dir)) continue;
      reader.primeListing(dir, {
        keys: [...(documents.get(dir) ?? [])].sort(),
        prefixes: [...(subfolders.get(dir) ?? [])].sort(),
      });
    }
    const missing: string[] = [];
    for (const [dir, present] of documents) {
      if (dir === path || !within(dir) || this.belowLeaf(dir, leaves, path)) continue;
      for (const name of names) if (!present.has(name)) missing.push(joinPath(dir, name));
    }
    reader.primeMissing(missing);
    const unread = reader.primeConfirmed(found.filter((e) => mode !== "ignore" || !e.key.endsWith("/.zmetadata")));
    await Promise.allSettled(unread.map((key) => reader.document(key)));
  }

  /** Whether `dir` lies inside a folder the listing did not enter (its own documents still count). */
  private belowLeaf(dir: string, leaves: ReadonlySet<string>, top: string): boolean {
    for (const above of ancestors(dir)) {
      if (leaves.has(above)) return true;
      if (above === top) break;
    }
    return false;
  }

  /** Whether a tree listing should go into `dir`: not an array's folder, not a nested carrier's. */
  private async enters(
    dir: string,
    top: string,
    format: Format,
    objects: readonly string[],
    consolidated: boolean,
  ): Promise<boolean> {
    if (format === 2) {
      if (objects.includes(".zarray")) return false;
      return !(consolidated && dir !== top && objects.includes(".zgroup") && objects.includes(".zmetadata"));
    }
    if (!objects.includes("zarr.json")) return true;
    try {
      const meta = await this.session.nodes.read(dir, 3);
      if (meta?.nodeType === "array") return false;
      const block = meta?.document.consolidated_metadata;
      return !(consolidated && dir !== top && block !== undefined && block !== null);
    } catch {
      return false;
    }
  }
}
