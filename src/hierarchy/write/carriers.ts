import { ZarrError } from "../errors.js";
import { isJsonObject, type JsonObject } from "../json.js";
import { ancestors, joinPath, relativePath } from "../paths.js";
import { type NodeChange, patchV2Carrier, patchV3Carrier } from "./consolidated-blocks.js";
import { documentBytes } from "./documents.js";
import { readDocument } from "./state.js";
import type { WriteTarget } from "./target.js";
import type { WriteLog } from "./write-log.js";

/**
 * Attempts at patching one carrier when other writers keep changing it under us. A patch is
 * re-applied to what is there now, so retrying never loses anyone's change; the jittered pause
 * keeps writers that collided from colliding again in lockstep.
 */
const PATCH_ATTEMPTS = 8;
const PATCH_BACKOFF_MS = 10;

/**
 * Groups whose consolidated metadata may speak of a changed path: its ancestors, and in format 2
 * a changed group itself (a .zmetadata lists its own group's .zgroup and .zattrs). A carrier
 * inside a removed subtree went with it.
 */
function candidates(changes: readonly NodeChange[], format: 2 | 3): string[] {
  const out = new Set<string>();
  for (const change of changes) {
    for (const a of ancestors(change.path)) out.add(a);
    if (format === 2 && change.documents?.[".zgroup"]) out.add(change.path);
  }
  const removed = changes.filter((c) => c.documents === null).map((c) => c.path);
  return [...out].filter((c) => !removed.some((r) => relativePath(r, c) !== null));
}

/**
 * Starts reading the documents that may carry consolidated metadata about `paths`, so that they
 * arrive with the mutation's own writes instead of in a round trip after them (the request's
 * loaders keep the answers for updateCarriers).
 */
export function warmCarriers(target: WriteTarget, format: 2 | 3, changes: readonly NodeChange[]): void {
  const name = format === 3 ? "zarr.json" : ".zmetadata";
  for (const p of candidates(changes, format)) {
    readDocument(target, joinPath(p, name)).catch(() => undefined);
  }
}

/**
 * Keeps consolidated metadata true to the store after our own writes: every ancestor group
 * that carries it (format 3 inline, format 2 `.zmetadata`) gets the changes patched in, in the
 * same mutation (zarr-python leaves them stale). Each carrier is rewritten only if the patch
 * changes it, with its version as the precondition; when another writer got there first it is
 * read again and patched again, so neither their change nor ours is lost.
 */
export async function updateCarriers(
  target: WriteTarget,
  log: WriteLog,
  format: 2 | 3,
  changes: readonly NodeChange[],
  /** Carriers at or below this path are left as they are (a moved subtree's own, copied verbatim). */
  untouched?: string,
): Promise<string[]> {
  if (changes.length === 0) return [];
  const name = format === 3 ? "zarr.json" : ".zmetadata";
  const paths = candidates(changes, format).filter(
    (p) => untouched === undefined || relativePath(untouched, p) === null,
  );
  const docs = await Promise.all(paths.map((p) => readDocument(target, joinPath(p, name))));
  const carriers = docs
    .map((doc, i) => ({ path: paths[i], doc }))
    .filter(({ doc }) => (format === 3 ? isJsonObject(doc.value?.consolidated_metadata) : doc.value !== undefined));
  log.plan(carriers.map((c) => c.doc.key));
  const patch = (carrier: string, doc: JsonObject) =>
    format === 3 ? patchV3Carrier(carrier, doc, changes) : patchV2Carrier(carrier, doc, changes);
  await log.all(carriers, async ({ path, doc }) => {
    let current = doc;
    for (let attempt = 1; ; attempt++) {
      if (!current.value) return; // the carrier went away meanwhile: nothing left to keep true
      const next = patch(path, current.value);
      const bytes = documentBytes(name, next);
      if (sameBytes(bytes, documentBytes(name, current.value))) {
        log.settle(current.key);
        return;
      }
      try {
        await log.put(current.key, bytes, current.version);
        return;
      } catch (error) {
        const conflict = error instanceof ZarrError && error.code === "CONFLICT";
        if (!conflict || attempt >= PATCH_ATTEMPTS) throw error;
        target.changed.wrote(current.key);
        await new Promise((resolve) => setTimeout(resolve, Math.random() * PATCH_BACKOFF_MS * attempt));
        current = await readDocument(target, current.key);
      }
    }
  });
  return carriers.map((c) => c.path);
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.byteLength === b.byteLength && a.every((v, i) => v === b[i]);
}
