import type { Listing, Store } from "../../src/stores/store.js";

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
export class RecordingStore implements Store {
  readonly calls: { kind: "get" | "list" | "listTree"; key: string; start: number; end: number }[] = [];
  readonly description: string;
  readonly capabilities: Store["capabilities"];
  readonly listTree?: Store["listTree"];
  private clock = 0;

  constructor(readonly inner: Store) {
    this.description = inner.description;
    this.capabilities = inner.capabilities;
    if (inner.listTree) {
      const listTree = inner.listTree.bind(inner);
      this.listTree = (prefix, options) => this.record("listTree", prefix, () => listTree(prefix, options));
    }
  }

  private async record<T>(kind: "get" | "list" | "listTree", key: string, fn: () => Promise<T>): Promise<T> {
    const call = { kind, key, start: this.clock++, end: -1 };
    this.calls.push(call);
    try {
      return await fn();
    } finally {
      call.end = this.clock++;
    }
  }

  get(key: string) {
    return this.record("get", key, () => this.inner.get(key));
  }
  list(prefix: string) {
    return this.record("list", prefix, () => this.inner.list(prefix));
  }
  set(key: string, data: Uint8Array) {
    return this.inner.set(key, data);
  }
  delete(key: string) {
    return this.inner.delete(key);
  }
  deletePrefix(prefix: string) {
    return this.inner.deletePrefix(prefix);
  }

  /** Whether every call in `calls` started before any of them ended: one concurrent batch. */
  static concurrent(calls: { start: number; end: number }[]): boolean {
    if (calls.length === 0) return true;
    return Math.max(...calls.map((c) => c.start)) < Math.min(...calls.map((c) => c.end));
  }
}
