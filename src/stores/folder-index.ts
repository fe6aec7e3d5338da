/**
 * Which names each folder holds, for a store whose keys are flat (a Map): a listing costs the
 * folder's own entries, not a scan of every key in the store.
 */
export class FolderIndex {
  /** Folder -> its objects' names, and its subfolders with how many objects lie below each. */
  private readonly folders = new Map<string, { keys: Set<string>; prefixes: Map<string, number> }>();

  private folder(dir: string) {
    let folder = this.folders.get(dir);
    if (!folder) {
      folder = { keys: new Set(), prefixes: new Map() };
      this.folders.set(dir, folder);
    }
    return folder;
  }

  add(key: string): void {
    const slash = key.lastIndexOf("/");
    this.folder(slash === -1 ? "" : key.slice(0, slash)).keys.add(key.slice(slash + 1));
    this.above(key, 1);
  }

  remove(key: string): void {
    const slash = key.lastIndexOf("/");
    const dir = slash === -1 ? "" : key.slice(0, slash);
    this.folders.get(dir)?.keys.delete(key.slice(slash + 1));
    this.above(key, -1);
  }

  /** Counts the object in (or out of) every folder above the one holding it. */
  private above(key: string, delta: number): void {
    for (let end = key.lastIndexOf("/"); end !== -1; end = key.lastIndexOf("/", end - 1)) {
      const dir = key.slice(0, end);
      const up = dir.lastIndexOf("/");
      const parent = this.folder(up === -1 ? "" : dir.slice(0, up));
      const name = dir.slice(up + 1);
      const count = (parent.prefixes.get(name) ?? 0) + delta;
      if (count > 0) parent.prefixes.set(name, count);
      else parent.prefixes.delete(name);
      if (end === 0) break;
    }
  }

  /** Names directly in `dir`, and its subfolders, each sorted. */
  list(dir: string): { keys: string[]; prefixes: string[] } {
    const folder = this.folders.get(dir);
    return { keys: [...(folder?.keys ?? [])].sort(), prefixes: [...(folder?.prefixes.keys() ?? [])].sort() };
  }
}
