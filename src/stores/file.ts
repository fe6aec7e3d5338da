import { randomUUID } from "node:crypto";
import { constants, existsSync, promises as fs, type Stats } from "node:fs";
import path from "node:path";
import { validateKey, validatePrefix } from "./keys.js";
import { checkRange, rangeBounds } from "./range.js";
import * as raw from "./raw-fs.js";
import {
  type ByteRange,
  byKey,
  type CallOptions,
  InvalidKeyError,
  joinKey,
  type Listing,
  type ListTreeOptions,
  type NotModified,
  ObjectTooLargeError,
  type SetOptions,
  type Store,
  type StoreEntry,
  StoreUnavailableError,
  type TreeEntry,
  VersionConflictError,
} from "./store.js";

/** Why a hard link could not be made where a copy still can: another file system, or one without links. */
const CANNOT_LINK = new Set(["EXDEV", "EPERM", "ENOTSUP", "EOPNOTSUPP", "EMLINK"]);

/** Where Linux shows the real path of each open file descriptor; undefined where there is none. */
const FD_PATHS = existsSync("/proc/self/fd") ? "/proc/self/fd" : undefined;

function isMissing(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException)?.code;
  return code === "ENOENT" || code === "ENOTDIR";
}

export interface FileStoreOptions {
  /**
   * How recent a change must be for its timestamp not to vouch for it (default 2 s). File
   * systems stamp changes with a coarse clock (a kernel tick; a second on some network file
   * systems), so a second change in the same tick leaves the timestamp as it was: a folder or
   * file changed this recently is read again rather than answered NotModified.
   */
  racyMs?: number;
}

/**
 * A folder on the local disk. Every key is resolved against the root and checked again after
 * symlinks are followed, so neither a crafted key nor a link inside the tree reads outside it.
 */
export class FileStore implements Store {
  readonly capabilities = { writable: true, listable: true, listTree: true };
  readonly description: string;
  private realRoot: Promise<string>;
  /** Serialises writers per key inside this process; the version check covers other writers. */
  private readonly locks = new Map<string, Promise<unknown>>();
  private readonly racyMs: number;

  constructor(
    readonly root: string,
    options: FileStoreOptions = {},
  ) {
    this.racyMs = options.racyMs ?? 2_000;
    this.root = path.resolve(root);
    this.description = `file://${path.basename(this.root)}`;
    this.realRoot = fs.realpath(this.root).catch(() => this.root);
  }

  /** The absolute path for a key, refusing any that resolves (through links) outside the root. */
  private async resolve(key: string, allowRoot = false): Promise<string> {
    validateKey(key, { allowRoot });
    const root = await this.realRoot;
    const full = path.resolve(root, ...key.split("/").filter(Boolean));
    if (!within(root, full)) throw new InvalidKeyError(key, "escapes the store root");
    let real: string;
    try {
      real = await fs.realpath(full);
    } catch (error) {
      if (!isMissing(error)) throw this.unavailable(error, key);
      // The object does not exist yet: its nearest existing ancestor must still be inside.
      real = await this.realAncestor(path.dirname(full));
    }
    if (!within(root, real)) throw new InvalidKeyError(key, "resolves through a link outside the store root");
    return full;
  }

  private async realAncestor(dir: string): Promise<string> {
    for (let current = dir; ; current = path.dirname(current)) {
      try {
        return await fs.realpath(current);
      } catch (error) {
        if (!isMissing(error) || path.dirname(current) === current) throw error;
      }
    }
  }

  private unavailable(error: unknown, key: string): Error {
    const code = (error as NodeJS.ErrnoException)?.code ?? "error";
    return new StoreUnavailableError(this.description, `${code} on ${JSON.stringify(key)}`, { cause: error });
  }

  async get(key: string, options?: CallOptions): Promise<StoreEntry | undefined> {
    const answer = await this.read(key, undefined, options);
    return answer as StoreEntry | undefined;
  }

  /**
   * The file's own stat decides: one stat for an unchanged file (no open, no link check), since
   * NotModified hands out nothing; only the same inode, size and mtime as a copy this store read
   * itself through its checks answers it. Anything else is read as get() reads it.
   */
  async getIfChanged(
    key: string,
    version: string,
    options?: CallOptions,
  ): Promise<StoreEntry | NotModified | undefined> {
    validateKey(key);
    const root = await this.realRoot;
    const stat = await raw.stat(path.join(root, ...key.split("/"))).catch(() => undefined);
    if (stat?.isFile() && fileVersion(stat) === version && !this.racy(stat.mtimeMs)) {
      return { notModified: true, version };
    }
    return this.read(key, version, options);
  }

  /** A positioned read of the part asked for; the rest of the file is never read. */
  async getRange(key: string, range: ByteRange, options?: CallOptions): Promise<StoreEntry | undefined> {
    checkRange(range);
    const opened = await this.open(key);
    if (!opened) return undefined;
    const { fd, stat } = opened;
    try {
      if (!stat.isFile()) return undefined;
      const { start, end } = rangeBounds(range, stat.size);
      const max = options?.maxBytes;
      if (max !== undefined && end - start > max)
        throw new ObjectTooLargeError(this.description, key, max, end - start);
      const data = new Uint8Array(end - start);
      let done = 0;
      while (done < data.byteLength) {
        const bytesRead = await raw.read(fd, data, done, data.byteLength - done, start + done);
        if (bytesRead === 0) break; // the file shrank under us: answer what is there
        done += bytesRead;
      }
      return { data: data.subarray(0, done), version: fileVersion(stat) };
    } catch (error) {
      if (error instanceof ObjectTooLargeError) throw error;
      throw this.unavailable(error, key);
    } finally {
      await raw.close(fd);
    }
  }

  /** Reads `key` unless its version is `unless`; the version is the open file's, so it is that of the bytes read. */
  private async read(
    key: string,
    unless: string | undefined,
    options: CallOptions | undefined,
  ): Promise<StoreEntry | NotModified | undefined> {
    const opened = await this.open(key);
    if (!opened) return undefined;
    const { fd, stat } = opened;
    try {
      if (!stat.isFile()) return undefined;
      const version = fileVersion(stat);
      if (version === unless && !this.racy(stat.mtimeMs)) return { notModified: true, version };
      const max = options?.maxBytes;
      if (max !== undefined && stat.size > max) throw new ObjectTooLargeError(this.description, key, max, stat.size);
      // The size is known: one read into a buffer of that size (readFile would stat again).
      const data = new Uint8Array(stat.size);
      let done = 0;
      while (done < data.byteLength) {
        const bytesRead = await raw.read(fd, data, done, data.byteLength - done, done);
        if (bytesRead === 0) break; // shrank since the stat: what is there
        done += bytesRead;
      }
      return { data: done === data.byteLength ? data : data.slice(0, done), version };
    } catch (error) {
      if (error instanceof ObjectTooLargeError) throw error;
      throw this.unavailable(error, key);
    } finally {
      await raw.close(fd);
    }
  }

  /**
   * Opens the object at `key` and stats it, refusing one whose real place is outside the root;
   * undefined when there is nothing there. On Linux the opened file's own path
   * (/proc/self/fd) is checked: one readlink however deep the key, and it is the file actually
   * read, so no link swapped in between a check and the open can redirect it. Elsewhere the
   * path is resolved through its links first. O_NONBLOCK keeps a FIFO from holding the open.
   * The caller closes the descriptor.
   */
  private async open(key: string): Promise<{ fd: number; stat: Stats } | undefined> {
    validateKey(key);
    const root = await this.realRoot;
    const file = FD_PATHS ? path.join(root, ...key.split("/")) : await this.resolve(key);
    let fd: number;
    try {
      fd = await raw.open(file, constants.O_RDONLY | constants.O_NONBLOCK);
    } catch (error) {
      if (!isMissing(error)) throw this.unavailable(error, key);
      // Nothing there; refused all the same where the folder it would be in is outside, so a
      // link out of the tree answers the same whether or not the name exists beyond it.
      if (FD_PATHS && !within(root, await this.realAncestor(path.dirname(file)))) {
        throw new InvalidKeyError(key, "resolves through a link outside the store root");
      }
      return undefined;
    }
    try {
      if (FD_PATHS && !within(root, await raw.readlink(`${FD_PATHS}/${fd}`))) {
        throw new InvalidKeyError(key, "resolves through a link outside the store root");
      }
      return { fd, stat: await raw.fstat(fd) };
    } catch (error) {
      await raw.close(fd);
      if (error instanceof InvalidKeyError) throw error;
      throw this.unavailable(error, key);
    }
  }

  /**
   * A listing's version is its folder's stat, taken before the folder is read: any entry added,
   * removed or renamed since changes the folder's mtime, so a later check sees the change.
   */
  async list(prefix: string): Promise<Listing> {
    const dir = await this.resolve(validatePrefix(prefix), true);
    return this.listDir(dir, prefix, await this.folderVersion(dir, prefix));
  }

  /**
   * One stat when the folder did not change (NotModified hands out nothing, and only a version
   * this store gave after its checks can match); else listed as list() lists it.
   */
  async listIfChanged(prefix: string, version: string): Promise<Listing | NotModified> {
    validatePrefix(prefix);
    const root = await this.realRoot;
    const unchecked = path.join(root, ...prefix.split("/").filter(Boolean));
    if ((await this.folderVersion(unchecked, prefix).catch(() => "")) === version)
      return { notModified: true, version };
    const dir = await this.resolve(prefix, true);
    const current = await this.folderVersion(dir, prefix);
    if (current === version) return { notModified: true, version };
    return this.listDir(dir, prefix, current);
  }

  /** Whether a change stamped `mtimeMs` may yet be followed by another with the same stamp. */
  private racy(mtimeMs: number): boolean {
    return Date.now() - mtimeMs < this.racyMs;
  }

  /**
   * The folder's mtime and inode; for a folder changed too recently to vouch for itself, a
   * version no later check will equal, so the listing is read again next time.
   */
  private async folderVersion(dir: string, prefix: string): Promise<string> {
    try {
      const stat = await fs.stat(dir, { bigint: true });
      const version = `${stat.mtimeNs}-${stat.ino}`;
      return this.racy(Number(stat.mtimeMs)) ? `${version}-${randomUUID()}` : version;
    } catch (error) {
      if (isMissing(error)) return "none";
      throw this.unavailable(error, prefix);
    }
  }

  private async listDir(dir: string, prefix: string, version: string): Promise<Listing> {
    const listing: Listing = { keys: [], prefixes: [], version };
    for (const entry of await this.readDir(dir, prefix)) {
      if (entry.kind === "file") listing.keys.push(entry.name);
      else if (entry.kind === "dir") listing.prefixes.push(entry.name);
    }
    listing.keys.sort();
    listing.prefixes.sort();
    return listing;
  }

  /** Entries of a folder; links are followed only when they stay inside the root. */
  private async readDir(dir: string, prefix: string): Promise<{ name: string; kind: "file" | "dir" }[]> {
    let entries: import("node:fs").Dirent[];
    try {
      entries = await fs.readdir(dir, { withFileTypes: true });
    } catch (error) {
      if (isMissing(error)) return [];
      throw this.unavailable(error, prefix);
    }
    const root = await this.realRoot;
    const out: { name: string; kind: "file" | "dir" }[] = [];
    for (const entry of entries) {
      if (!isAcceptableName(entry.name)) continue;
      if (entry.isFile()) out.push({ name: entry.name, kind: "file" });
      else if (entry.isDirectory()) out.push({ name: entry.name, kind: "dir" });
      else if (entry.isSymbolicLink()) {
        try {
          const real = await fs.realpath(path.join(dir, entry.name));
          if (!within(root, real)) continue;
          // A link back to this folder or one above it would make the tree endless.
          if (within(real, await fs.realpath(dir))) continue;
          const stat = await fs.stat(real);
          if (stat.isFile()) out.push({ name: entry.name, kind: "file" });
          else if (stat.isDirectory()) out.push({ name: entry.name, kind: "dir" });
        } catch {
          // a dangling link is no entry
        }
      }
    }
    return out;
  }

  /** Each document found is stat'ed for its version, as get() would report it. */
  async listTree(prefix: string, options: ListTreeOptions): Promise<TreeEntry[]> {
    const names = new Set(options.names);
    const found: TreeEntry[] = [];
    const walk = async (dirKey: string): Promise<void> => {
      options.signal?.throwIfAborted();
      const dir = await this.resolve(dirKey, true);
      const entries = await this.readDir(dir, dirKey);
      const files = entries.filter((e) => e.kind === "file").map((e) => e.name);
      const deeper = !options.descend || (await options.descend(dirKey, files));
      const documents = files
        .filter((name) => names.has(name))
        .map(async (name) => {
          const entry = await this.treeEntry(joinKey(dirKey, name), path.join(dir, name));
          if (entry) found.push(entry);
        });
      const folders = deeper ? entries.filter((e) => e.kind === "dir").map((e) => walk(joinKey(dirKey, e.name))) : [];
      await Promise.all([...documents, ...folders]);
    };
    await walk(validatePrefix(prefix));
    return found.sort(byKey);
  }

  /** A document the walk saw, with its version; gone by now (deleted meanwhile): none. */
  private async treeEntry(key: string, file: string): Promise<TreeEntry | undefined> {
    try {
      const stat = await fs.stat(file);
      return stat.isFile() ? { key, version: fileVersion(stat) } : undefined;
    } catch (error) {
      if (isMissing(error)) return undefined;
      throw this.unavailable(error, key);
    }
  }

  /**
   * Writes beside the target and then puts the whole file in place, so readers see the old
   * document or the new one, never half. "Must not exist" (`ifVersion: null`) links the new file
   * in, which fails if the name exists: atomic on the file system itself, so it holds against
   * writers in other processes and on other machines sharing the folder. "Still the version
   * read" is checked under a lock, which only this process's writers respect.
   */
  async set(key: string, data: Uint8Array, options?: SetOptions): Promise<string> {
    const file = await this.resolve(key);
    return this.withLock(key, async () => {
      const ifVersion = options?.ifVersion;
      if (typeof ifVersion === "string" && (await this.statVersion(file)) !== ifVersion) {
        throw new VersionConflictError(key);
      }
      await fs.mkdir(path.dirname(file), { recursive: true });
      const temp = `${file}.${randomUUID()}.tmp`;
      try {
        await fs.writeFile(temp, data);
        if (ifVersion === null) await fs.link(temp, file);
        else await fs.rename(temp, file);
      } catch (error) {
        await fs.rm(temp, { force: true });
        if ((error as NodeJS.ErrnoException).code === "EEXIST") throw new VersionConflictError(key);
        throw this.unavailable(error, key);
      }
      if (ifVersion === null) await fs.rm(temp, { force: true }); // the link holds the file now
      return (await this.statVersion(file)) ?? "";
    });
  }

  /**
   * A hard link: the copy is the source's file under a second name, so nothing is read or
   * written however large it is (this store never changes a file in place; writes replace it).
   * Where a link cannot be made (another file system under the root, one without links), a
   * clone or the kernel's own copy. "Must not exist" links the copy in exclusively, as set does.
   */
  async copy(from: string, to: string, options?: SetOptions): Promise<boolean> {
    const source = await this.resolve(from);
    const file = await this.resolve(to);
    return this.withLock(to, async () => {
      const ifVersion = options?.ifVersion;
      if (typeof ifVersion === "string" && (await this.statVersion(file)) !== ifVersion) {
        throw new VersionConflictError(to);
      }
      let real: string;
      try {
        // A link to a link would be a link: link the file itself (inside the root, as resolve checked).
        real = await fs.realpath(source);
        if (!(await fs.stat(real)).isFile()) return false;
        await fs.mkdir(path.dirname(file), { recursive: true });
      } catch (error) {
        if (isMissing(error)) return false;
        throw this.unavailable(error, from);
      }
      const temp = `${file}.${randomUUID()}.tmp`;
      try {
        await fs.link(real, temp).catch((error: NodeJS.ErrnoException) => {
          if (!CANNOT_LINK.has(error.code ?? "")) throw error;
          return fs.copyFile(real, temp, constants.COPYFILE_FICLONE);
        });
        if (ifVersion === null) await fs.link(temp, file);
        else await fs.rename(temp, file);
      } catch (error) {
        await fs.rm(temp, { force: true });
        if ((error as NodeJS.ErrnoException).code === "EEXIST") throw new VersionConflictError(to);
        if (isMissing(error)) return false;
        throw this.unavailable(error, to);
      }
      if (ifVersion === null) await fs.rm(temp, { force: true });
      return true;
    });
  }

  private async statVersion(file: string): Promise<string | null> {
    try {
      return fileVersion(await fs.stat(file));
    } catch (error) {
      if (isMissing(error)) return null;
      throw error;
    }
  }

  private async withLock<T>(key: string, fn: () => Promise<T>): Promise<T> {
    const previous = this.locks.get(key) ?? Promise.resolve();
    const run = previous.then(fn, fn);
    const settled = run.catch(() => undefined);
    this.locks.set(key, settled);
    try {
      return await run;
    } finally {
      if (this.locks.get(key) === settled) this.locks.delete(key);
    }
  }

  async delete(key: string): Promise<boolean> {
    const file = await this.resolve(key);
    try {
      await fs.unlink(file);
      return true;
    } catch (error) {
      if (isMissing(error)) return false;
      throw this.unavailable(error, key);
    }
  }

  async deletePrefix(prefix: string): Promise<number> {
    const dir = await this.resolve(validatePrefix(prefix), true);
    let count = 0;
    const walk = async (current: string): Promise<void> => {
      const entries = await fs.readdir(current, { withFileTypes: true }).catch((error) => {
        if (isMissing(error)) return [];
        throw error;
      });
      for (const entry of entries) {
        const full = path.join(current, entry.name);
        if (entry.isDirectory()) await walk(full);
        else {
          await fs.unlink(full);
          count++;
        }
      }
    };
    await walk(dir);
    if (prefix !== "") await fs.rm(dir, { recursive: true, force: true });
    return count;
  }
}

function within(root: string, candidate: string): boolean {
  const rel = path.relative(root, candidate);
  // "..data" is a name inside the root; only ".." itself, or a path through it, leaves it.
  return rel !== ".." && !rel.startsWith(`..${path.sep}`) && !path.isAbsolute(rel);
}

/** A folder entry is an object or prefix only if its name would pass the key gate: what a get refuses, a listing does not show. */
function isAcceptableName(name: string): boolean {
  if (TEMP_FILE.test(name)) return false;
  try {
    validateKey(name);
    return true;
  } catch {
    return false;
  }
}

function fileVersion(stat: import("node:fs").Stats): string {
  return `${Math.trunc(stat.mtimeMs * 1000)}-${stat.size}-${stat.ino}`;
}

/** Our own in-flight temporary files (`name.<uuid>.tmp`) are never objects. */
const TEMP_FILE = /\.[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\.tmp$/;
