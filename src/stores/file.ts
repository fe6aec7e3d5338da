import { randomUUID } from "node:crypto";
import { constants, promises as fs, type Stats } from "node:fs";
import path from "node:path";
import { FD_PATHS, isMissing, OutsideRootError, StoreRoot, within } from "./file-root.js";
import {
  CANNOT_LINK,
  fileVersion,
  isObjectName,
  KeyLocks,
  NameTakenError,
  placeFile,
  removeTree,
  statVersion,
} from "./file-writes.js";
import { interned } from "./interned.js";
import { validateKey, validatePrefix } from "./keys.js";
import { checkRange, rangeBounds } from "./range.js";
import { bodyCalls, type ReadCalls, readFully } from "./raw-fs.js";
import { ReadPacer } from "./read-pacer.js";
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
  private readonly confined: StoreRoot;
  /** Serialises writers per key inside this process; the version check covers other writers. */
  private readonly locks = new KeyLocks();
  private readonly racyMs: number;
  private readonly pacer: ReadPacer;

  constructor(
    readonly root: string,
    options: FileStoreOptions = {},
  ) {
    this.racyMs = options.racyMs ?? 2_000;
    this.root = path.resolve(root);
    this.pacer = new ReadPacer(this.root);
    this.description = `file://${path.basename(this.root)}`;
    this.confined = new StoreRoot(this.root, (error, key) => this.unavailable(error, key));
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
    const root = await this.confined.real;
    const calls = await this.pacer.calls();
    const file = path.join(root, ...key.split("/"));
    let stat: Stats | undefined;
    try {
      stat = await calls.statIfAny(file);
    } catch {
      return this.read(key, version, options);
    }
    // Gone: answered as a read that finds nothing is, without trying to open it.
    if (!stat && FD_PATHS) return this.absent(key, file, calls);
    if (stat?.isFile() && fileVersion(stat) === version && !this.racy(stat.mtimeMs)) {
      return { notModified: true, version };
    }
    return this.read(key, version, options);
  }

  /** A positioned read of the part asked for; the rest of the file is never read. */
  async getRange(key: string, range: ByteRange, options?: CallOptions): Promise<StoreEntry | undefined> {
    checkRange(range);
    return this.withFile(key, async (calls, fd, stat) => {
      const { start, end } = rangeBounds(range, stat.size);
      this.checkSize(key, end - start, options);
      const data = new Uint8Array(end - start);
      return { data: await readFully(bodyCalls(calls, data), fd, data, start), version: fileVersion(stat) };
    });
  }

  /** Reads `key` unless its version is `unless`; the version is the open file's, so it is that of the bytes read. */
  private read(
    key: string,
    unless: string | undefined,
    options: CallOptions | undefined,
  ): Promise<StoreEntry | NotModified | undefined> {
    return this.withFile(key, async (calls, fd, stat) => {
      const version = fileVersion(stat);
      if (version === unless && !this.racy(stat.mtimeMs)) return { notModified: true, version };
      this.checkSize(key, stat.size, options);
      // The size is known: one read into a buffer of that size (readFile would stat again).
      const data = new Uint8Array(stat.size);
      return { data: await readFully(bodyCalls(calls, data), fd, data, 0), version };
    });
  }

  /** Runs `use` on the open regular file at `key` (undefined where there is none) and closes it. */
  private async withFile<T>(
    key: string,
    use: (calls: ReadCalls, fd: number, stat: Stats) => Promise<T>,
  ): Promise<T | undefined> {
    const calls = await this.pacer.calls();
    const opened = await this.open(key, calls);
    if (!opened) return undefined;
    const { fd, stat } = opened;
    try {
      if (!stat.isFile()) return undefined;
      return await use(calls, fd, stat);
    } catch (error) {
      if (error instanceof ObjectTooLargeError) throw error;
      throw this.unavailable(error, key);
    } finally {
      await calls.close(fd);
    }
  }

  private checkSize(key: string, size: number, options: CallOptions | undefined): void {
    const max = options?.maxBytes;
    if (max !== undefined && size > max) throw new ObjectTooLargeError(this.description, key, max, size);
  }

  /**
   * Nothing is at `key`; refused all the same where the folder it would be in is outside, so a
   * link out of the tree answers the same whether or not the name exists beyond it.
   */
  private async absent(key: string, file: string, calls: ReadCalls): Promise<undefined> {
    if (!(await this.confined.folderInside(path.dirname(file), calls))) throw new OutsideRootError(key);
    return undefined;
  }

  /**
   * Opens the object at `key` and stats it, refusing one whose real place is outside the root;
   * undefined when there is nothing there. On Linux the opened file's own path
   * (/proc/self/fd) is checked: one readlink however deep the key, and it is the file actually
   * read, so no link swapped in between a check and the open can redirect it. Elsewhere the
   * path is resolved through its links first. O_NONBLOCK keeps a FIFO from holding the open.
   * The caller closes the descriptor.
   */
  private async open(key: string, calls: ReadCalls): Promise<{ fd: number; stat: Stats } | undefined> {
    validateKey(key);
    const root = await this.confined.real;
    const file = FD_PATHS ? path.join(root, ...key.split("/")) : await this.confined.resolve(key, false, calls);
    let fd: number;
    try {
      fd = await calls.open(file, constants.O_RDONLY | constants.O_NONBLOCK);
    } catch (error) {
      if (!isMissing(error)) throw this.unavailable(error, key);
      return FD_PATHS ? this.absent(key, file, calls) : undefined;
    }
    try {
      if (FD_PATHS) {
        const real = await calls.readlink(`${FD_PATHS}/${fd}`);
        if (!within(root, real)) throw new OutsideRootError(key);
        // The folder it was found in is inside, as of now: a probe of a missing name there need not ask again.
        this.confined.noteFolder(path.dirname(file), true);
      }
      return { fd, stat: await calls.fstat(fd) };
    } catch (error) {
      await calls.close(fd);
      if (error instanceof InvalidKeyError) throw error;
      throw this.unavailable(error, key);
    }
  }

  /**
   * A listing's version is its folder's stat, taken before the folder is read: any entry added,
   * removed or renamed since changes the folder's mtime, so a later check sees the change.
   */
  async list(prefix: string): Promise<Listing> {
    const calls = await this.pacer.calls();
    const dir = await this.confined.listable(prefix, calls);
    return this.listDir(dir, prefix, await this.folderVersion(dir, prefix, calls), calls);
  }

  /**
   * One stat when the folder did not change (NotModified hands out nothing, and only a version
   * this store gave after its checks can match); else listed as list() lists it.
   */
  async listIfChanged(prefix: string, version: string): Promise<Listing | NotModified> {
    validatePrefix(prefix);
    const root = await this.confined.real;
    const calls = await this.pacer.calls();
    const unchecked = path.join(root, ...prefix.split("/").filter(Boolean));
    if ((await this.folderVersion(unchecked, prefix, calls).catch(() => "")) === version)
      return { notModified: true, version };
    const dir = await this.confined.listable(prefix, calls);
    const current = await this.folderVersion(dir, prefix, calls);
    if (current === version) return { notModified: true, version };
    return this.listDir(dir, prefix, current, calls);
  }

  /** Whether a change stamped `mtimeMs` may yet be followed by another with the same stamp. */
  private racy(mtimeMs: number): boolean {
    return Date.now() - mtimeMs < this.racyMs;
  }

  /**
   * The folder's mtime and inode; for a folder changed too recently to vouch for itself, a
   * version no later check will equal, so the listing is read again next time.
   */
  private async folderVersion(dir: string, prefix: string, calls: ReadCalls): Promise<string> {
    try {
      // Microseconds, as files' versions: a change within the same microsecond is within the
      // racy window too. A plain stat: BigInt fields cost an allocation each.
      const stat = await calls.stat(dir);
      const version = [Math.trunc(stat.mtimeMs * 1000), stat.ino].join("-"); // flat (see fileVersion)
      return this.racy(stat.mtimeMs) ? `${version}-${randomUUID()}` : version;
    } catch (error) {
      if (isMissing(error)) return "none";
      throw this.unavailable(error, prefix);
    }
  }

  private async listDir(dir: string, prefix: string, version: string, calls: ReadCalls): Promise<Listing> {
    const listing: Listing = { keys: [], prefixes: [], version };
    for (const entry of await this.readDir(dir, prefix, calls)) {
      if (entry.kind === "file") listing.keys.push(interned(entry.name));
      else if (entry.kind === "dir") listing.prefixes.push(interned(entry.name));
    }
    listing.keys.sort();
    listing.prefixes.sort();
    return listing;
  }

  /** Entries of a folder; links are followed only when they stay inside the root. */
  private async readDir(
    dir: string,
    prefix: string,
    calls: ReadCalls,
  ): Promise<{ name: string; kind: "file" | "dir" }[]> {
    let entries: import("node:fs").Dirent[];
    try {
      entries = await calls.readdir(dir);
    } catch (error) {
      if (isMissing(error)) return [];
      throw this.unavailable(error, prefix);
    }
    // Names this store's own writes use for files not yet in place are no entries.
    return this.confined.entriesInside(
      dir,
      entries.filter((entry) => isObjectName(entry.name)),
      calls,
    );
  }

  /** Each document found is stat'ed for its version, as get() would report it. */
  async listTree(prefix: string, options: ListTreeOptions): Promise<TreeEntry[]> {
    const names = new Set(options.names);
    const found: TreeEntry[] = [];
    const walk = async (dirKey: string): Promise<void> => {
      options.signal?.throwIfAborted();
      const calls = await this.pacer.calls();
      const dir = await this.confined.listable(dirKey, calls);
      const entries = await this.readDir(dir, dirKey, calls);
      const files = entries.filter((e) => e.kind === "file").map((e) => e.name);
      const deeper = !options.descend || (await options.descend(dirKey, files));
      const documents = files
        .filter((name) => names.has(name))
        .map(async (name) => {
          const entry = await this.treeEntry(joinKey(dirKey, name), path.join(dir, name), calls);
          if (entry) found.push(entry);
        });
      const folders = deeper ? entries.filter((e) => e.kind === "dir").map((e) => walk(joinKey(dirKey, e.name))) : [];
      await Promise.all([...documents, ...folders]);
    };
    await walk(validatePrefix(prefix));
    return found.sort(byKey);
  }

  /** A document the walk saw, with its version; gone by now (deleted meanwhile): none. */
  private async treeEntry(key: string, file: string, calls: ReadCalls): Promise<TreeEntry | undefined> {
    try {
      const stat = await calls.statIfAny(file);
      return stat?.isFile() ? { key, version: fileVersion(stat) } : undefined;
    } catch (error) {
      if (isMissing(error)) return undefined;
      throw this.unavailable(error, key);
    }
  }

  /**
   * Writes the whole file beside the target and puts it in place (see placeFile). "Must not
   * exist" (`ifVersion: null`) links it in exclusively; "still the version read" is checked
   * under a lock, which only this process's writers respect.
   */
  async set(key: string, data: Uint8Array, options?: SetOptions): Promise<string> {
    const file = await this.confined.resolve(key);
    return this.locks.run(key, async () => {
      const ifVersion = options?.ifVersion;
      if (typeof ifVersion === "string" && (await statVersion(file)) !== ifVersion) throw new VersionConflictError(key);
      try {
        await placeFile(file, ifVersion === null, (temp) => fs.writeFile(temp, data));
      } catch (error) {
        if (error instanceof NameTakenError) throw new VersionConflictError(key);
        throw this.unavailable(error, key);
      }
      return (await statVersion(file)) ?? "";
    });
  }

  /**
   * A hard link: the copy is the source's file under a second name, so nothing is read or
   * written however large it is (this store never changes a file in place; writes replace it).
   * Where a link cannot be made (another file system under the root, one without links), a
   * clone or the kernel's own copy. "Must not exist" links the copy in exclusively, as set does.
   */
  async copy(from: string, to: string, options?: SetOptions): Promise<boolean> {
    const source = await this.confined.resolve(from);
    const file = await this.confined.resolve(to);
    return this.locks.run(to, async () => {
      const ifVersion = options?.ifVersion;
      if (typeof ifVersion === "string" && (await statVersion(file)) !== ifVersion) throw new VersionConflictError(to);
      let real: string;
      try {
        // A link to a link would be a link: link the file itself (inside the root, as resolve checked).
        real = await fs.realpath(source);
        if (!(await fs.stat(real)).isFile()) return false;
      } catch (error) {
        if (isMissing(error)) return false;
        throw this.unavailable(error, from);
      }
      const linkOrCopy = (temp: string) =>
        fs.link(real, temp).catch((error: NodeJS.ErrnoException) => {
          if (!CANNOT_LINK.has(error.code ?? "")) throw error;
          return fs.copyFile(real, temp, constants.COPYFILE_FICLONE);
        });
      try {
        await placeFile(file, ifVersion === null, linkOrCopy);
      } catch (error) {
        if (error instanceof NameTakenError) throw new VersionConflictError(to);
        if (isMissing(error)) return false;
        throw this.unavailable(error, to);
      }
      return true;
    });
  }

  async delete(key: string): Promise<boolean> {
    const file = await this.confined.resolve(key);
    try {
      await fs.unlink(file);
      return true;
    } catch (error) {
      if (isMissing(error)) return false;
      throw this.unavailable(error, key);
    }
  }

  async deletePrefix(prefix: string): Promise<number> {
    const dir = await this.confined.resolve(validatePrefix(prefix), true);
    return removeTree(dir, prefix !== "");
  }
}
