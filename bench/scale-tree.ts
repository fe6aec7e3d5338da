// Hierarchies of any size for the scale bench: groups of fan-out 10 with 2 arrays each, filled
// breadth first until there are exactly `nodes` nodes below the root, written to disk as
// zarr-python 2 writes format 2 (sorted keys, 4-space indent), optionally with a root .zmetadata.
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";

const FANOUT = 10;
const ARRAYS = 2;

function zarrJson(value: unknown): string {
  const sort = (v: unknown): unknown =>
    v && typeof v === "object" && !Array.isArray(v)
      ? Object.fromEntries(
          Object.keys(v)
            .sort()
            .map((k) => [k, sort((v as Record<string, unknown>)[k])]),
        )
      : Array.isArray(v)
        ? v.map(sort)
        : v;
  return JSON.stringify(sort(value), null, 4);
}

const ARRAY = {
  chunks: [50, 10],
  compressor: { blocksize: 0, clevel: 5, cname: "lz4", id: "blosc", shuffle: 1 },
  dimension_separator: ".",
  dtype: "<f4",
  fill_value: "NaN",
  filters: null,
  order: "C",
  shape: [100, 10],
  zarr_format: 2,
};

/** Writes the hierarchy under `dir`; returns the node paths (groups and arrays, root excluded). */
export function writeScaleTree(dir: string, nodes: number, consolidated: boolean): string[] {
  const files = new Map<string, unknown>();
  const paths: string[] = [];
  const join = (a: string, b: string) => (a === "" ? b : `${a}/${b}`);
  files.set(".zgroup", { zarr_format: 2 });
  files.set(".zattrs", { title: `synthetic hierarchy of ${nodes} nodes` });
  const queue = [""];
  while (paths.length < nodes && queue.length > 0) {
    const group = queue.shift()!;
    for (let a = 0; a < ARRAYS && paths.length < nodes; a++) {
      const p = join(group, `a${a}`);
      paths.push(p);
      files.set(`${p}/.zarray`, ARRAY);
      files.set(`${p}/.zattrs`, {
        _ARRAY_DIMENSIONS: ["y", "x"],
        long_name: `variable ${a} of ${group || "the root"}`,
        scale_factor: 1.5,
        units: "K",
      });
    }
    for (let g = 0; g < FANOUT && paths.length < nodes; g++) {
      const p = join(group, `g${g}`);
      paths.push(p);
      queue.push(p);
      files.set(`${p}/.zgroup`, { zarr_format: 2 });
      files.set(`${p}/.zattrs`, { level: p.split("/").length, name: p });
    }
  }
  const dirs = new Set<string>();
  for (const [key, value] of files) {
    const file = path.join(dir, key);
    const folder = path.dirname(file);
    if (!dirs.has(folder)) {
      mkdirSync(folder, { recursive: true });
      dirs.add(folder);
    }
    writeFileSync(file, zarrJson(value));
  }
  if (consolidated) {
    const metadata = Object.fromEntries([...files].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
    writeFileSync(path.join(dir, ".zmetadata"), zarrJson({ metadata, zarr_consolidated_format: 1 }));
  }
  return paths.sort();
}
