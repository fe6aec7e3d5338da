import pLimit from "p-limit";
import { joinKey } from "../../stores/store.js";
import { toZarrError } from "../documents.js";
import { LimitExceededError } from "../errors.js";
import type { WriteTarget } from "./target.js";

/**
 * Every object below `prefix` (documents and chunks), listed folder by folder. A delete or move
 * touches each of them, so the walk stops as soon as there are more than the object limit and
 * answers LIMIT_EXCEEDED before anything is changed.
 */
export async function listObjects(target: WriteTarget, prefix: string, operation: string): Promise<string[]> {
  const max = target.limits.maxObjects;
  const limit = pLimit(target.limits.concurrency);
  const found: string[] = [];
  let frontier = [prefix];
  while (frontier.length > 0) {
    const listings = await Promise.all(
      frontier.map((dir) =>
        limit(async () => {
          try {
            return { dir, listing: await target.store.list(dir, { signal: target.signal }) };
          } catch (error) {
            throw toZarrError(error);
          }
        }),
      ),
    );
    frontier = [];
    for (const { dir, listing } of listings) {
      for (const name of listing.keys) found.push(joinKey(dir, name));
      for (const name of listing.prefixes) frontier.push(joinKey(dir, name));
    }
    if (found.length > max) {
      throw new LimitExceededError(
        "objects",
        max,
        found.length,
        `${operation} would touch more than ${max} objects below "/${prefix}" (${found.length} found before stopping); raise the server's write object limit or remove less at a time`,
      );
    }
  }
  return found.sort();
}
