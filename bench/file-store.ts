// `npx tsx bench/file-store.ts`: what one FileStore.get costs on a warm page cache: file-system
// operations per get (counted, exact) and time per get (noisy on a shared machine). Reads every
// document of a generated tree (folders 6 deep below a root itself some folders deep, as real
// catalogs sit) at 64 in flight, several rounds, hits and misses (a probe of a format's
// documents misses often). CPU time counts the main thread and libuv's pool alike.
import { createHook } from "node:async_hooks";
import { promises as fs } from "node:fs";
import os from "node:os";
import path from "node:path";
import pLimit from "p-limit";
import { FileStore } from "../src/stores/file.js";

const ROUNDS = Number(process.env.ROUNDS ?? 5);
const FANOUT = 4;
const DEPTH = 6;

async function makeTree(root: string): Promise<string[]> {
  const keys: string[] = [];
  const walk = async (dir: string, depth: number): Promise<void> => {
    await fs.mkdir(path.join(root, dir), { recursive: true });
    const key = dir ? `${dir}/zarr.json` : "zarr.json";
    await fs.writeFile(path.join(root, key), JSON.stringify({ zarr_format: 3, node_type: "group", attributes: {} }));
    keys.push(key);
    if (depth === DEPTH) return;
    await Promise.all(Array.from({ length: FANOUT }, (_, i) => walk(dir ? `${dir}/g${i}` : `g${i}`, depth + 1)));
  };
  // Only the first levels fan out fully, so the tree stays a few thousand documents.
  await walk("", 0).catch(() => undefined);
  return keys;
}

async function main(): Promise<void> {
  const base = await fs.mkdtemp(path.join(os.tmpdir(), "zarr-graphql-bench-fs-"));
  const root = path.join(base, "data", "catalogs", "project", "store.zarr");
  try {
    const present = await makeTree(root);
    const missing = present.map((key) => key.replace(/zarr\.json$/, ".zgroup"));
    const keys = [...present, ...missing];
    const store = new FileStore(root);
    const limit = pLimit(64);
    let ops = 0;
    const hook = createHook({
      init(_id, type) {
        if (type === "FSREQPROMISE" || type === "FSREQCALLBACK" || type === "FILEHANDLECLOSEREQ") ops++;
      },
    });
    await Promise.all(keys.map((key) => limit(() => store.get(key)))); // warm the page cache
    const result: Record<string, { gets: number; opsPerGet: number; usPerGet: number; cpuUsPerGet: number }> = {};
    for (const [name, set] of [
      ["present", present],
      ["missing", missing],
    ] as const) {
      ops = 0;
      hook.enable();
      const started = performance.now();
      const cpu = process.cpuUsage();
      for (let r = 0; r < ROUNDS; r++) await Promise.all(set.map((key) => limit(() => store.get(key))));
      const ms = performance.now() - started;
      const used = process.cpuUsage(cpu);
      hook.disable();
      const gets = set.length * ROUNDS;
      result[name] = {
        gets,
        opsPerGet: +(ops / gets).toFixed(2),
        usPerGet: +((ms * 1000) / gets).toFixed(1),
        // Both threads: the main thread's and libuv's pool's work, per get.
        cpuUsPerGet: +((used.user + used.system) / gets).toFixed(1),
      };
    }
    console.table(result);
  } finally {
    await fs.rm(base, { recursive: true, force: true });
  }
}

await main();
