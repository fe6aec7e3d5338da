import type { CallOptions, Listing, Store } from "../../src/stores/store.js";
import { type Operation, READS, StoreWrapper } from "../../src/stores/wrapper.js";

export interface TreeShape {
  fanout: number;
  depth: number;
  arraysPerGroup: number;
  format: 2 | 3;
  /** Write consolidated metadata at the root (.zmetadata or inline). */
  consolidated?: boolean;
}

/** Documents of a synthetic hierarchy: groups `g0..` nested `depth` levels, arrays `a0..` in each group. */
export function syntheticTree(shape: TreeShape): { files: Record<string, string>; nodes: string[] } {
  const files: Record<string, string> = {};
  const nodes: string[] = [];
  const docs: Record<string, Record<string, unknown>> = {};
  const join = (a: string, b: string) => (a === "" ? b : `${a}/${b}`);
  const group = (path: string, level: number) => {
    const attributes = { level, path };
    if (shape.format === 3) docs[path] = { zarr_format: 3, node_type: "group", attributes };
    else {
      files[join(path, ".zgroup")] = JSON.stringify({ zarr_format: 2 });
      files[join(path, ".zattrs")] = JSON.stringify(attributes);
    }
    for (let a = 0; a < shape.arraysPerGroup; a++) {
      const arrayPath = join(path, `a${a}`);
      nodes.push(arrayPath);
      const attrs = { units: "K", path: arrayPath };
      if (shape.format === 3) {
        docs[arrayPath] = {
          zarr_format: 3,
          node_type: "array",
          shape: [100, 10],
          data_type: "float32",
          chunk_grid: { name: "regular", configuration: { chunk_shape: [50, 10] } },
          chunk_key_encoding: { name: "default", configuration: { separator: "/" } },
          fill_value: "NaN",
          codecs: [{ name: "bytes", configuration: { endian: "little" } }],
          attributes: attrs,
          dimension_names: ["y", "x"],
        };
      } else {
        files[join(arrayPath, ".zarray")] = JSON.stringify({
          zarr_format: 2,
          shape: [100, 10],
          chunks: [50, 10],
          dtype: "<f4",
          compressor: { id: "zlib", level: 1 },
          fill_value: "NaN",
          filters: null,
          order: "C",
        });
        files[join(arrayPath, ".zattrs")] = JSON.stringify({ ...attrs, _ARRAY_DIMENSIONS: ["y", "x"] });
      }
      // A chunk, so listings see non-metadata keys as real stores do.
      files[join(arrayPath, shape.format === 3 ? "c/0/0" : "0.0")] = "chunk";
    }
    if (level >= shape.depth) return;
    for (let g = 0; g < shape.fanout; g++) {
      const child = join(path, `g${g}`);
      nodes.push(child);
      group(child, level + 1);
    }
  };
  group("", 0);
  if (shape.format === 3) {
    for (const [path, doc] of Object.entries(docs)) {
      if (path !== "" || !shape.consolidated) files[join(path, "zarr.json")] = JSON.stringify(doc);
    }
    if (shape.consolidated) {
      const metadata = Object.fromEntries(Object.entries(docs).filter(([p]) => p !== ""));
      files["zarr.json"] = JSON.stringify({
        ...docs[""],
        consolidated_metadata: { kind: "inline", must_understand: false, metadata },
      });
    }
  } else if (shape.consolidated) {
    const metadata = Object.fromEntries(
      Object.entries(files)
        .filter(([k]) => /(^|\/)\.z(array|group|attrs)$/.test(k))
        .map(([k, v]) => [k, JSON.parse(v)]),
    );
    files[".zmetadata"] = JSON.stringify({ zarr_consolidated_format: 1, metadata });
  }
  return { files, nodes: nodes.sort() };
}

/** The same store without tree listings: forces the level-by-level walk. */
export function withoutListTree(store: Store): Store {
  return {
    description: store.description,
    capabilities: { ...store.capabilities, listTree: false },
    get: (key, options) => store.get(key, options),
    list: (prefix, options): Promise<Listing> => store.list(prefix, options),
    set: (key, data, options) => store.set(key, data, options),
    delete: (key, options) => store.delete(key, options),
    deletePrefix: (prefix, options) => store.deletePrefix(prefix, options),
  };
}

/** Records when each call starts and ends, to show which reads overlapped. */
export class RecordingStore extends StoreWrapper {
  readonly calls: { kind: Operation; key: string; start: number; end: number }[] = [];
  private clock = 0;

  protected async around<T, O extends CallOptions | undefined>(
    operation: Operation,
    key: string,
    options: O,
    call: (options: O) => Promise<T>,
  ): Promise<T> {
    if (!READS.has(operation)) return call(options);
    const record = { kind: operation, key, start: this.clock++, end: -1 };
    this.calls.push(record);
    try {
      return await call(options);
    } finally {
      record.end = this.clock++;
    }
  }

  /** Whether every call in `calls` started before any of them ended: one concurrent batch. */
  static concurrent(calls: { start: number; end: number }[]): boolean {
    if (calls.length === 0) return true;
    return Math.max(...calls.map((c) => c.start)) < Math.min(...calls.map((c) => c.end));
  }
}
