import type { Store } from "../src/stores/store.js";

/**
 * The baseline: a walk the way zarr-python 2 does it over a store, one call at a time. For each
 * group: list it, then for every child folder ask for .zarray, else .zgroup, then .zattrs, and
 * recurse into groups. Nothing overlaps, so it costs one round trip per call.
 */
export async function naiveWalk(store: Store, path = ""): Promise<number> {
  const join = (name: string) => (path === "" ? name : `${path}/${name}`);
  let nodes = 0;
  const listing = await store.list(path);
  for (const name of listing.prefixes) {
    const child = join(name);
    const isArray = (await store.get(`${child}/.zarray`)) !== undefined;
    const isGroup = !isArray && (await store.get(`${child}/.zgroup`)) !== undefined;
    if (!isArray && !isGroup) continue;
    await store.get(`${child}/.zattrs`);
    nodes++;
    if (isGroup) nodes += await naiveWalk(store, child);
  }
  return nodes;
}
