import { randomUUID } from "node:crypto";
import { constants, promises as fs } from "node:fs";
import path from "node:path";
import { validateKey, validatePrefix } from "./keys.js";
import { checkRange, rangeBounds } from "./range.js";
import {
  type ByteRange,
  type CallOptions,
  InvalidKeyError,
  joinKey,
  type Listing,
  type ListTreeOptions,
  ObjectTooLargeError,
  type SetOptions,
  type Store,
  type StoreEntry,
  StoreUnavailableError,
  VersionConflictError,
} from "./store.js";

function isMissing(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException)?.code;
  return code === "ENOENT" || code === "ENOTDIR";
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

  constructor(readonly root: string) {
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
    const file = await this.resolve(key);
    try {
      const handle = await fs.open(file, constants.O_RDONLY);
      try {
        const stat = await handle.stat();
        if (!stat.isFile()) return undefined;
        const max = options?.maxBytes;
        if (max !== undefined && stat.size > max) throw new ObjectTooLargeError(this.description, key, max, stat.size);
        const data = new Uint8Array(await handle.readFile());
        return { data, version: fileVersion(stat) };
      } finally {
        await handle.close();
      }
    } catch (error) {
      if (isMissing(error) || (error as NodeJS.ErrnoException).code === "EISDIR") return undefined;
      if (error instanceof ObjectTooLargeError) throw error;
      throw this.unavailable(error, key);
    }
  }

  /** A positioned read of the part asked for; the rest of the file is never read. */
  async getRange(key: string, range: ByteRange, options?: CallOptions): Promise<StoreEntry | undefined> {
    checkRange(range);
    const file = await this.resolve(key);
    try {
      const handle = await fs.open(file, constants.O_RDONLY);
      try {
        const stat = await handle.stat();
        if (!stat.isFile()) return undefined;
        const { start, end } = rangeBounds(range, stat.size);
        const max = options?.maxBytes;
        if (max !== undefined && end - start > max)
          throw new ObjectTooLargeError(this.description, key, max, end - start);
        const data = new Uint8Array(end - start);
        let done = 0;
        while (done < data.byteLength) {
          const { bytesRead } = await handle.read(data, done, data.byteLength - done, start + done);
          if (bytesRead === 0) break; // the file shrank under us: answer what is there
          done += bytesRead;
        }
        return { data: data.subarray(0, done), version: fileVersion(stat) };
      } finally {
        await handle.close();
      }
    } catch (error) {
      if (isMissing(error) || (error as NodeJS.ErrnoException).code === "EISDIR") return undefined;
      if (error instanceof ObjectTooLargeError) throw error;
      throw this.unavailable(error, key);
    }
  }

  async list(prefix: string): Promise<Listing> {
    const dir = await this.resolve(validatePrefix(prefix), true);
    const listing: Listing = { keys: [], prefixes: [] };
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

  async listTree(prefix: string, options: ListTreeOptions): Promise<string[]> {
    const names = new Set(options.names);
    const found: string[] = [];
    const walk = async (dirKey: string): Promise<void> => {
      options.signal?.throwIfAborted();
      const dir = await this.resolve(dirKey, true);
      const entries = await this.readDir(dir, dirKey);
      const files = entries.filter((e) => e.kind === "file").map((e) => e.name);
      for (const name of files) if (names.has(name)) found.push(joinKey(dirKey, name));
      if (options.descend && !(await options.descend(dirKey, files))) return;
      await Promise.all(entries.filter((e) => e.kind === "dir").map((e) => walk(joinKey(dirKey, e.name))));
    };
    await walk(validatePrefix(prefix));
    return found.sort();
  }

  async set(key: string, data: Uint8Array, options?: SetOptions): Promise<string> {
    const file = await this.resolve(key);
    return this.withLock(key, async () => {
      if (options?.ifVersion !== undefined) {
        const current = await this.statVersion(file);
        if (current !== options.ifVersion) throw new VersionConflictError(key);
      }
      await fs.mkdir(path.dirname(file), { recursive: true });
      // Write beside the target and rename: readers see the old or the new document, never half.
      const temp = `${file}.${randomUUID()}.tmp`;
      try {
        await fs.writeFile(temp, data);
        await fs.rename(temp, file);
      } catch (error) {
        await fs.rm(temp, { force: true });
        throw this.unavailable(error, key);
      }
      return (await this.statVersion(file)) ?? "";
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
