/**
 * Where a file store's keys may lead: the root folder, resolved through its links once, and
 * the checks that keep every key (and every link inside the tree) from reading outside it.
 */
import { type Dirent, existsSync, promises as fs, type Stats } from "node:fs";
import path from "node:path";
import { monotonicMs } from "./clock.js";
import { validateKey, validatePrefix } from "./keys.js";
import type { ReadCalls } from "./raw-fs.js";
import { InvalidKeyError } from "./store.js";

/** Where Linux shows the real path of each open file descriptor; undefined where there is none. */
export const FD_PATHS = existsSync("/proc/self/fd") ? "/proc/self/fd" : undefined;

/**
 * How long a folder's place inside the root is taken as known without a call, and for how many
 * folders (a walk of 100,000 nodes probes 100,000 folders; an answer is about 150 bytes).
 */
const FOLDER_CHECK_MS = 1_000;
const FOLDER_CHECKS = 131_072;

interface FolderCheck {
  inside: boolean;
  at: number;
  /**
   * The directory the path led to when checked, where known: device, inode and change time (a
   * directory moved elsewhere, and a link to it put in its place, has a new change time).
   */
  dev?: number;
  ino?: number;
  ctimeMs?: number;
}

type DirectoryStat = { dev: number; ino: number; ctimeMs: number };

export function isMissing(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException)?.code;
  return code === "ENOENT" || code === "ENOTDIR";
}

export function within(root: string, candidate: string): boolean {
  const rel = path.relative(root, candidate);
  // "..data" is a name inside the root; only ".." itself, or a path through it, leaves it.
  return rel !== ".." && !rel.startsWith(`..${path.sep}`) && !path.isAbsolute(rel);
}

export class OutsideRootError extends InvalidKeyError {
  constructor(key: string) {
    super(key, "resolves through a link outside the store root");
  }
}

const realpathOf = (calls?: ReadCalls) => (calls ? calls.realpath : (file: string) => fs.realpath(file));

/** A stat's answer; undefined where nothing is there or it cannot be taken (the check that follows says why). */
async function quietly(stat: () => Stats | undefined | Promise<Stats | undefined>): Promise<Stats | undefined> {
  try {
    return await stat();
  } catch {
    return undefined;
  }
}

function same(stat: DirectoryStat, known: FolderCheck): boolean {
  return stat.ino === known.ino && stat.dev === known.dev && stat.ctimeMs === known.ctimeMs;
}

export class StoreRoot {
  /** The root with its own links resolved (the root itself may be a link). */
  readonly real: Promise<string>;
  private readonly checkedFolders = new Map<string, FolderCheck>();

  constructor(
    readonly root: string,
    /** The store's error for a failed call on `key` (not a refusal). */
    private readonly unavailable: (error: unknown, key: string) => Error,
  ) {
    this.real = fs.realpath(root).catch(() => root);
  }

  /** The path of a key under the real root, not yet checked against links. */
  async pathOf(key: string): Promise<string> {
    return path.join(await this.real, ...key.split("/").filter(Boolean));
  }

  /** The absolute path for a key, refusing any that resolves (through links) outside the root. */
  async resolve(key: string, allowRoot = false, calls?: ReadCalls): Promise<string> {
    validateKey(key, { allowRoot });
    const root = await this.real;
    const full = path.resolve(root, ...key.split("/").filter(Boolean));
    if (!within(root, full)) throw new InvalidKeyError(key, "escapes the store root");
    let real: string;
    try {
      real = await realpathOf(calls)(full);
    } catch (error) {
      if (!isMissing(error)) throw this.unavailable(error, key);
      // The object does not exist yet: its nearest existing ancestor must still be inside.
      real = await this.realAncestor(path.dirname(full), calls);
    }
    if (!within(root, real)) throw new OutsideRootError(key);
    return full;
  }

  /**
   * Whether a folder (or its nearest existing ancestor) really lies inside the root. A probe for
   * a document that is not there asks this of its folder, and a walk probes the same folders
   * over and over: an answer is kept for a second, and after that for as long as the path leads
   * to the same directory, unchanged. A link swapped in within that second changes only which of
   * "absent" and "refused" a missing name answers; nothing is read either way.
   *
   * A folder that is a directory of its own (not a link), or is not there at all, lies where its
   * parent does, so the check is one lstat and the parent's (kept) answer: resolving the whole
   * path through its links would cost a call per segment, for every folder of a walk. Only a
   * link is resolved.
   */
  async folderInside(dir: string, calls: ReadCalls): Promise<boolean> {
    const known = this.checkedFolders.get(dir);
    if (known && monotonicMs() - known.at < FOLDER_CHECK_MS) return known.inside;
    const root = await this.real;
    if (dir === root) return true;
    if (!within(root, dir)) return false;
    const own = await quietly(() => calls.lstatIfAny(dir));
    if (!own || own.isDirectory()) {
      if (own && known?.ino !== undefined && same(own, known)) {
        known.at = monotonicMs();
        return known.inside;
      }
      const inside = await this.folderInside(path.dirname(dir), calls);
      this.noteFolder(dir, inside, own);
      return inside;
    }
    // A link: the directory it leads to first, then (unless it is the one checked before,
    // unchanged) its real path; a change in between makes the next stat differ.
    const stat = await quietly(() => calls.statIfAny(dir));
    if (known?.ino !== undefined && stat && same(stat, known)) {
      known.at = monotonicMs();
      return known.inside;
    }
    const inside = within(root, await this.realAncestor(dir, calls));
    this.noteFolder(dir, inside, stat);
    return inside;
  }

  /** What a read learnt of a folder's place (its opened file's real path), kept as folderInside keeps its own. */
  noteFolder(dir: string, inside: boolean, stat?: DirectoryStat): void {
    if (this.checkedFolders.size >= FOLDER_CHECKS) this.checkedFolders.clear();
    const { dev, ino, ctimeMs } = stat ?? {};
    this.checkedFolders.set(dir, { inside, at: monotonicMs(), dev, ino, ctimeMs });
  }

  /**
   * A folder to list, refused when it really lies outside the root. Listings of a walk follow
   * reads in the same folders, which checked where they really are: such a check, at most a
   * second old, stands (see folderInside).
   */
  async listable(prefix: string, calls: ReadCalls): Promise<string> {
    validatePrefix(prefix);
    if (!FD_PATHS) return this.resolve(prefix, true, calls);
    const dir = await this.pathOf(prefix);
    if (!(await this.folderInside(dir, calls))) throw new OutsideRootError(prefix);
    return dir;
  }

  /**
   * A folder's entries as a listing names them: files and folders, and links that lead to one
   * inside the root (a link back to the folder or one above it would make the tree endless).
   */
  async entriesInside(
    dir: string,
    entries: Dirent[],
    calls: ReadCalls,
  ): Promise<{ name: string; kind: "file" | "dir" }[]> {
    const root = await this.real;
    const out: { name: string; kind: "file" | "dir" }[] = [];
    for (const entry of entries) {
      if (entry.isFile()) out.push({ name: entry.name, kind: "file" });
      else if (entry.isDirectory()) out.push({ name: entry.name, kind: "dir" });
      else if (entry.isSymbolicLink()) {
        try {
          const real = await calls.realpath(path.join(dir, entry.name));
          if (!within(root, real)) continue;
          if (within(real, await calls.realpath(dir))) continue;
          const stat = await calls.stat(real);
          if (stat.isFile()) out.push({ name: entry.name, kind: "file" });
          else if (stat.isDirectory()) out.push({ name: entry.name, kind: "dir" });
        } catch {
          // a dangling link is no entry
        }
      }
    }
    return out;
  }

  private async realAncestor(dir: string, calls?: ReadCalls): Promise<string> {
    const realpath = realpathOf(calls);
    for (let current = dir; ; current = path.dirname(current)) {
      try {
        return await realpath(current);
      } catch (error) {
        if (!isMissing(error) || path.dirname(current) === current) throw error;
      }
    }
  }
}
