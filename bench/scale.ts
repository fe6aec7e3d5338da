// The scale table of `npm run bench` (or `npm run bench -- --only-scale`): all pages of a deep
// members walk over hierarchies of 1,000, 10,000 and 100,000 nodes on disk, plain and
// consolidated, cold (a fresh server) and warm (the same pages again: the median of three
// passes), against zarr-python 2.13 walking the same tree in the same run. The server runs in a
// process of its own, as deployed, so its peak RSS is its own.
import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { bundleIsCurrent } from "../bin/source-stamp.js";
import { buildServer } from "../scripts/build-server.js";
import { writeScaleTree } from "./scale-tree.js";

const HERE = path.dirname(fileURLToPath(import.meta.url));
const ROOT = path.resolve(HERE, "..");
const SIZES = (process.env.BENCH_SCALE_SIZES ?? "1000,10000,100000").split(",").map(Number);
const LAYOUTS = (process.env.BENCH_SCALE_LAYOUTS ?? "plain,consolidated").split(",") as ("plain" | "consolidated")[];
/** Extra arguments for the server, e.g. BENCH_SCALE_SERVER_ARGS="--cache-bytes 67108864". */
const SERVER_ARGS = (process.env.BENCH_SCALE_SERVER_ARGS ?? "").split(" ").filter(Boolean);
/** BENCH_SCALE_PYTHON=0 leaves zarr-python out (while working on the server alone). */
const PYTHON = process.env.BENCH_SCALE_PYTHON !== "0";

const PAGE = `query ($after: String) { catalog(name: "c") { root { ... on ZarrGroup {
  members(maxDepth: null, first: 1000, after: $after) {
    pageInfo { hasNextPage endCursor } nodes { path attributes ... on ZarrArray { shape } } } } } } }`;

interface Pass {
  ms: number;
  pages: number;
  nodes: number;
  gets: number;
  lists: number;
  bytes: number;
}

async function startServer(dir: string): Promise<{ url: string; child: ChildProcess }> {
  const child = spawn(
    process.execPath,
    [path.join(ROOT, "bin/zarr-graphql.js"), "serve", `c=${dir}`, "--port", "0", ...SERVER_ARGS],
    {
      cwd: ROOT,
      stdio: ["ignore", "pipe", "ignore"],
      env: { ...process.env, LOG_LEVEL: "error" },
    },
  );
  const url = await new Promise<string>((resolve, reject) => {
    let out = "";
    child.stdout!.on("data", (chunk: Buffer) => {
      out += chunk.toString();
      const match = /listening on (\S+)/.exec(out);
      if (match) resolve(match[1]);
    });
    child.once("exit", (code) => reject(new Error(`server exited with ${code}`)));
  });
  return { url, child };
}

/** Peak resident set of a process, in MB (Linux: VmHWM): the largest of it and its children (the CLI runs the server as its child). */
function peakRss(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  const own = Number(/VmHWM:\s+(\d+)/.exec(status)![1]) / 1024;
  const children = readFileSync(`/proc/${pid}/task/${pid}/children`, "utf8").trim().split(/\s+/).filter(Boolean);
  return Math.max(own, ...children.map((child) => peakRss(Number(child))));
}

async function allPages(url: string): Promise<Pass> {
  const pass: Pass = { ms: 0, pages: 0, nodes: 0, gets: 0, lists: 0, bytes: 0 };
  const started = performance.now();
  let after: string | null = null;
  for (;;) {
    const response = await fetch(url, {
      method: "POST",
      headers: { "content-type": "application/json", "x-zarr-io": "1" },
      body: JSON.stringify({ query: PAGE, variables: { after } }),
    });
    const body = (await response.json()) as any;
    if (body.errors) throw new Error(JSON.stringify(body.errors).slice(0, 500));
    const members = body.data.catalog.root.members;
    pass.pages++;
    pass.nodes += members.nodes.length;
    pass.gets += body.extensions.io.gets;
    pass.lists += body.extensions.io.lists;
    pass.bytes += body.extensions.io.bytes;
    if (!members.pageInfo.hasNextPage) break;
    after = members.pageInfo.endCursor;
  }
  pass.ms = performance.now() - started;
  return pass;
}

/**
 * Warm passes run, of which the median is reported: a warm pass makes no store call that is
 * not a stat, so what varies between passes is the machine (its other load, the collector's
 * timing), and one pass of 1 s at 10,000 nodes is too short to average that out.
 */
const WARM_PASSES = 3;

async function warmPass(url: string): Promise<Pass> {
  const passes: Pass[] = [];
  for (let i = 0; i < WARM_PASSES; i++) passes.push(await allPages(url));
  passes.sort((a, b) => a.ms - b.ms);
  return passes[Math.floor(passes.length / 2)];
}

/** How many whole-tree requests run at once, and over which hierarchy (issue 10: under 1 GB). */
const CONCURRENT = 64;
const CONCURRENT_AT = { nodes: 10_000, layout: "consolidated" };

/**
 * `CONCURRENT` requests at once, each walking the whole tree (totalCount, the text tree and a
 * full page); each query text differs (maxNodes), so none is answered from the response cache.
 */
async function concurrentWholeTree(url: string, nodes: number): Promise<{ ms: number; requests: number }> {
  const started = performance.now();
  const one = async (i: number) => {
    const query = `{ catalog(name: "c") { root { ... on ZarrGroup { tree(maxDepth: null, maxNodes: ${nodes + i})
      members(maxDepth: null, first: 1000) { totalCount nodes { path attributes ... on ZarrArray { shape } } } } } } }`;
    const response = await fetch(url, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ query }),
    });
    const body = (await response.json()) as any;
    if (body.errors) throw new Error(JSON.stringify(body.errors).slice(0, 500));
    const total = body.data.catalog.root.members.totalCount;
    if (total !== nodes) throw new Error(`whole tree counted ${total} of ${nodes}`);
  };
  await Promise.all(Array.from({ length: CONCURRENT }, (_, i) => one(i)));
  return { ms: performance.now() - started, requests: CONCURRENT };
}

/**
 * Reads every file of the tree once, so that the walk timed next finds them in the page cache.
 * Machines that reclaim memory proactively (this VM's DAMON pages out what was not touched for a
 * minute) would otherwise evict much of a tree that took a minute to write before the first walk
 * (the server's) gets to it, and the second (zarr-python's, run right after the server read the
 * same files) would find them in memory: each walk is timed after this, on equal terms.
 */
function readTree(dir: string): void {
  for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile()) readFileSync(path.join(entry.parentPath, entry.name));
  }
}

function zarrPython(dir: string, consolidated: boolean): { seconds: number; peakRssMb: number; nodes: number } {
  readTree(dir);
  const out = execFileSync("/usr/bin/python3", [path.join(HERE, "scale_walk.py"), dir, consolidated ? "1" : "0"], {
    encoding: "utf8",
  });
  return JSON.parse(out);
}

interface Row {
  nodes: number;
  layout: "plain" | "consolidated";
  cold: Pass;
  warm: Pass;
  rssMb: number;
  /** The concurrent whole-tree requests, where run, and the server's peak RSS after them. */
  concurrent?: { ms: number; requests: number; rssMb: number };
  /** Null where zarr-python was not run (see PYTHON_CONSOLIDATED_MAX). */
  python: { seconds: number; peakRssMb: number } | null;
}

/**
 * zarr-python 2.13 walks a consolidated hierarchy in quadratic time (its consolidated store
 * scans every key for each listing): 30 s at 10,000 nodes here, most of an hour at 100,000.
 * It is timed up to this size only.
 */
const PYTHON_CONSOLIDATED_MAX = 10_000;

const fmt = (n: number) => n.toLocaleString("en-US");
const mb = (bytes: number) => `${(bytes / 1e6).toFixed(1)} MB`;

export async function scaleTable(): Promise<void> {
  // The server as installed runs: the bundle, built afresh where the sources changed since.
  if (!bundleIsCurrent()) await buildServer();
  const rows: Row[] = [];
  for (const nodes of SIZES) {
    for (const layout of LAYOUTS) {
      const dir = mkdtempSync(path.join(os.tmpdir(), `zarr-graphql-scale-${nodes}-`));
      try {
        writeScaleTree(dir, nodes, layout === "consolidated");
        // Written out before anything is timed: the kernel's write-back of 300,000 new files
        // would otherwise compete with whichever walk runs first (the server's).
        execFileSync("sync");
        // Both walks start with the files in the page cache (see readTree): cold means the
        // server's own cache is empty, not the disk's.
        readTree(dir);
        const { url, child } = await startServer(dir);
        try {
          const cold = await allPages(url);
          const warm = await warmPass(url);
          if (cold.nodes !== nodes || warm.nodes !== nodes) {
            throw new Error(`paged ${cold.nodes} / ${warm.nodes} nodes of ${nodes}`);
          }
          const rssMb = peakRss(child.pid!);
          const concurrent =
            nodes === CONCURRENT_AT.nodes && layout === CONCURRENT_AT.layout
              ? { ...(await concurrentWholeTree(url, nodes)), rssMb: peakRss(child.pid!) }
              : undefined;
          const python =
            !PYTHON || (layout === "consolidated" && nodes > PYTHON_CONSOLIDATED_MAX)
              ? null
              : zarrPython(dir, layout === "consolidated");
          if (python && python.nodes !== nodes) throw new Error(`zarr-python walked ${python.nodes} nodes of ${nodes}`);
          rows.push({ nodes, layout, cold, warm, rssMb, concurrent, python });
        } finally {
          child.kill();
        }
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    }
  }
  console.log(
    `\nScale: every page of members(maxDepth: null, first: 1000) with path, attributes and shape, file store, format 2 (fan-out 10, 2 arrays per group); server in its own process; warm: median of ${WARM_PASSES} passes; every file read once before each timed walk (server cold, page cache warm); zarr-python 2.13 visititems reading the same in the same run`,
  );
  const header = [
    "nodes",
    "layout",
    "pass",
    "pages",
    "time",
    "gets",
    "lists",
    "read",
    "server peak RSS",
    "zarr-python",
    "zarr-python RSS",
    "speed-up",
  ];
  const lines: string[][] = [];
  for (const r of rows) {
    for (const [name, pass] of [
      ["cold", r.cold],
      ["warm", r.warm],
    ] as const) {
      lines.push([
        fmt(r.nodes),
        r.layout,
        name,
        String(pass.pages),
        `${fmt(Math.round(pass.ms))} ms`,
        fmt(pass.gets),
        fmt(pass.lists),
        mb(pass.bytes),
        `${Math.round(r.rssMb)} MB`,
        r.python ? `${fmt(Math.round(r.python.seconds * 1000))} ms` : PYTHON ? "— (quadratic)" : "— (not run)",
        r.python ? `${Math.round(r.python.peakRssMb)} MB` : "—",
        r.python ? `${((r.python.seconds * 1000) / pass.ms).toFixed(1)}×` : "—",
      ]);
    }
  }
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i].length)));
  const row = (cells: string[]) =>
    cells.map((c, i) => (i < 3 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join("  ");
  console.log(row(header));
  console.log(widths.map((w) => "-".repeat(w)).join("  "));
  for (const line of lines) console.log(row(line));
  for (const r of rows) {
    if (!r.concurrent) continue;
    const { requests, ms, rssMb } = r.concurrent;
    console.log(
      `concurrent: ${requests} whole-tree requests at once (tree, totalCount and a page each) over ${fmt(r.nodes)} nodes ${r.layout}: ${fmt(Math.round(ms))} ms for all, server peak RSS ${Math.round(rssMb)} MB`,
    );
  }
  // Growth exponents: how time grows with size (1.0 is linear), between each pair of sizes.
  for (const layout of ["plain", "consolidated"] as const) {
    const of = rows.filter((r) => r.layout === layout);
    for (let i = 1; i < of.length; i++) {
      const a = of[i - 1];
      const b = of[i];
      const k = Math.log(b.nodes / a.nodes);
      const exponent = (x: number, y: number) => (Math.log(y / x) / k).toFixed(2);
      console.log(
        `growth ${layout} ${fmt(a.nodes)} -> ${fmt(b.nodes)}: cold ${exponent(a.cold.ms, b.cold.ms)}, warm ${exponent(a.warm.ms, b.warm.ms)}, zarr-python ${a.python && b.python ? exponent(a.python.seconds, b.python.seconds) : "—"}`,
      );
    }
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await scaleTable();
