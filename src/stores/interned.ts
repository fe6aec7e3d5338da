/**
 * One string per distinct short name among everything listed. Every folder of a Zarr tree
 * names the same few documents (.zattrs, .zgroup, zarr.json) and often the same children (0, 1,
 * time steps), and a listing cache keeps every folder's names: shared, they are one object each
 * instead of one per folder. Bounded: when the table is full it starts again.
 */
const MAX_NAMES = 16_384;
const MAX_LENGTH = 64;
const table = new Map<string, string>();

export function interned(name: string): string {
  if (name.length > MAX_LENGTH) return name;
  const known = table.get(name);
  if (known !== undefined) return known;
  if (table.size >= MAX_NAMES) table.clear();
  table.set(name, name);
  return name;
}
