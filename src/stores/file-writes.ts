/**
 * How a file store changes a file: never in place. The new content is made beside the target
 * under a temporary name and then put in place whole, so readers see the old file or the new
 * one, never half.
 */
import { randomUUID } from "node:crypto";
import { promises as fs, type Stats } from "node:fs";
import path from "node:path";
import { isMissing } from "./file-root.js";
import { validateKey } from "./keys.js";

/** Our own in-flight temporary files (`name.<uuid>.tmp`) are never objects. */
const TEMP_FILE = /\.[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\.tmp$/;

/** Why a hard link could not be made where a copy still can: another file system, or one without links. */
export const CANNOT_LINK = new Set(["EXDEV", "EPERM", "ENOTSUP", "EOPNOTSUPP", "EMLINK"]);

/** A folder entry is an object or prefix only if its name would pass the key gate: what a get refuses, a listing does not show. */
export function isObjectName(name: string): boolean {
  if (TEMP_FILE.test(name)) return false;
  try {
    validateKey(name);
    return true;
  } catch {
    return false;
  }
}

export function fileVersion(stat: Stats): string {
  // Joined, not concatenated: one flat string, where a template makes a rope of several objects
  // (a cache keeps one version per document, 300,000 of them for a large walk).
  return [Math.trunc(stat.mtimeMs * 1000), stat.size, stat.ino].join("-");
}

/** The version of the file now at `file`; null when there is none. */
export async function statVersion(file: string): Promise<string | null> {
  try {
    return fileVersion(await fs.stat(file));
  } catch (error) {
    if (isMissing(error)) return null;
    throw error;
  }
}

/** The name was taken by another writer between the check and the write. */
export class NameTakenError extends Error {}

/**
 * Makes the new file with `fill(temp)` and puts it at `file`. `exclusive` links it in, which
 * fails if the name exists: atomic on the file system itself, so it holds against writers in
 * other processes and on other machines sharing the folder. Otherwise a rename replaces what is
 * there. A failure leaves no temporary file behind.
 */
export async function placeFile(
  file: string,
  exclusive: boolean,
  fill: (temp: string) => Promise<void>,
): Promise<void> {
  await fs.mkdir(path.dirname(file), { recursive: true });
  const temp = `${file}.${randomUUID()}.tmp`;
  try {
    await fill(temp);
    if (exclusive) await fs.link(temp, file);
    else await fs.rename(temp, file);
  } catch (error) {
    await fs.rm(temp, { force: true });
    if ((error as NodeJS.ErrnoException).code === "EEXIST") throw new NameTakenError(file, { cause: error });
    throw error;
  }
  if (exclusive) await fs.rm(temp, { force: true }); // the link holds the file now
}

/** Runs writers of one key one after the other, inside this process. */
export class KeyLocks {
  private readonly locks = new Map<string, Promise<unknown>>();

  async run<T>(key: string, fn: () => Promise<T>): Promise<T> {
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
}

/** Deletes every file under `dir` (and the folder itself when `removeFolder`); how many files there were. */
export async function removeTree(dir: string, removeFolder: boolean): Promise<number> {
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
  if (removeFolder) await fs.rm(dir, { recursive: true, force: true });
  return count;
}
