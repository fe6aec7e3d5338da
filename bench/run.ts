// `npm run bench`: the cost of reading a whole hierarchy behind a fixed latency per store call,
// by strategy, the server's throughput against bare graphql-yoga, and the explorer's rendering
// in headless Chromium (bench/explorer.ts; --no-explorer skips it). Prints tables.

import { spawn } from "node:child_process";
import { randomUUID } from "node:crypto";
import { fileURLToPath } from "node:url";
import autocannon from "autocannon";
import type { Catalog } from "../src/hierarchy/catalog.js";
import { createApp } from "../src/server/app.js";
import { CountingStore } from "../src/stores/counting.js";
import { GcsStore } from "../src/stores/gcs.js";
import { IoCounter } from "../src/stores/io-counter.js";
import { LatencyStore } from "../src/stores/latency.js";
import { MemoryStore } from "../src/stores/memory.js";
import type { Store } from "../src/stores/store.js";
import { syntheticTree } from "../test/support/synthetic.js";
import { naiveWalk } from "./naive-walk.js";
import { searchBench } from "./search.js";
import { printAligned } from "./table.js";
import { valuesRows } from "./values.js";

const LATENCY_MS = Number(process.env.BENCH_LATENCY_MS ?? 20);
const SHAPE = { fanout: 3, depth: 4, arraysPerGroup: 2, format: 2 as const };
const args = new Set(process.argv.slice(2));

const WHOLE_TREE = `{ catalog(name: "c") { root { path attributes ... on ZarrGroup {
  members(maxDepth: null, first: 1000) { totalCount nodes { __typename path attributes
    ... on ZarrArray { shape chunks dataType fillValue order codecs { name } dimensionNames } } } } } } }`;

/** The same walk with the smallest answer per node: what a tree browser's first paint needs. */
const PATHS_ONLY = `{ catalog(name: "c") { root { path ... on ZarrGroup {
  members(maxDepth: null, first: 1000) { totalCount nodes { __typename path } } } } } }`;

interface Row {
  case: string;
  nodes: number;
  gets: number;
  lists: number;
  waves: number;
  ms: number;
}

function withoutListTree(store: Store): Store {
  const { listTree: _, ...rest } = store;
  return Object.assign(Object.create(Object.getPrototypeOf(store)), rest, {
    capabilities: { ...store.capabilities, listTree: false },
  });
}

async function viaServer(name: string, store: Store): Promise<Row> {
  const catalog: Catalog = { name: "c", store, consolidated: "use" };
  const app = createApp({ catalogs: [catalog], limits: { concurrency: 64 } });
  const started = performance.now();
  const response = await app.fetch("http://bench/graphql", {
    method: "POST",
    headers: { "content-type": "application/json", "x-zarr-io": "1" },
    body: JSON.stringify({ query: WHOLE_TREE }),
  });
  const body = (await response.json()) as any;
  const ms = performance.now() - started;
  if (body.errors) throw new Error(`${name}: ${JSON.stringify(body.errors).slice(0, 500)}`);
  const io = body.extensions.io;
  return { case: name, nodes: body.data.catalog.root.members.totalCount + 1, ...io, ms };
}

async function naive(store: Store): Promise<Row> {
  const counter = new IoCounter();
  const counted = new CountingStore(store, counter);
  const started = performance.now();
  // The root's own documents, then the walk.
  await counted.get(".zgroup");
  await counted.get(".zattrs");
  const nodes = 1 + (await naiveWalk(counted));
  const ms = performance.now() - started;
  return { case: "naive sequential walk (baseline)", nodes, ...counter.snapshot(), ms };
}

function printTable(title: string, rows: Row[], baseline: Row) {
  console.log(`\n${title}`);
  const header = ["case", "nodes", "gets", "lists", "waves", "time", "speed-up"];
  const lines = rows.map((r) => [
    r.case,
    String(r.nodes),
    String(r.gets),
    String(r.lists),
    String(r.waves),
    `${r.ms.toFixed(0)} ms`,
    r === baseline ? "1.0× (baseline)" : `${(baseline.ms / r.ms).toFixed(1)}×`,
  ]);
  printAligned(header, lines);
}

async function strategies(): Promise<void> {
  const plain = syntheticTree(SHAPE);
  const consolidated = syntheticTree({ ...SHAPE, consolidated: true });
  const memory = () => new MemoryStore("memory://bench", plain.files);
  const slow = (store: Store) => new LatencyStore(store, LATENCY_MS);
  const rows: Row[] = [];
  const baseline = await naive(slow(memory()));
  rows.push(baseline);
  rows.push(await viaServer("level by level (list + read per level)", slow(withoutListTree(memory()))));
  rows.push(await viaServer("listTree (one listing, one wave of reads)", slow(memory())));
  rows.push(
    await viaServer(
      "consolidated (.zmetadata)",
      slow(withoutListTree(new MemoryStore("memory://c", consolidated.files))),
    ),
  );
  if (!args.has("--no-gcs")) rows.push(...(await gcsRows(plain.files, consolidated.files)));
  printTable(
    `Whole-tree query, synthetic hierarchy (fan-out ${SHAPE.fanout}, depth ${SHAPE.depth}, ${SHAPE.arraysPerGroup} arrays per group, format ${SHAPE.format}), ${LATENCY_MS} ms per store call`,
    rows,
    baseline,
  );
}

/** The same over the real GCS client against the emulator (started here), latency added per call. */
async function gcsRows(plain: Record<string, string>, consolidated: Record<string, string>): Promise<Row[]> {
  const { startGcsEmulator } = await import("../test/setup/gcs-emulator.js");
  const stop = await startGcsEmulator();
  try {
    const bucket = process.env.GCS_TEST_BUCKET ?? "zarr-graphql-test";
    const upload = async (files: Record<string, string>) => {
      const store = new GcsStore({ bucket, prefix: `bench/${randomUUID()}` });
      await Promise.all(Object.entries(files).map(([k, v]) => store.set(k, new TextEncoder().encode(v))));
      return store;
    };
    const [a, b] = await Promise.all([upload(plain), upload(consolidated)]);
    const rows = [
      await viaServer("GCS emulator: listTree (matchGlob)", new LatencyStore(a, LATENCY_MS)),
      await viaServer("GCS emulator: consolidated", new LatencyStore(b, LATENCY_MS)),
    ];
    await Promise.all([a.deletePrefix(""), b.deletePrefix("")]);
    return rows;
  } finally {
    await stop?.();
  }
}

async function load(url: string, body: string): Promise<autocannon.Result> {
  return autocannon({
    url,
    method: "POST",
    headers: { "content-type": "application/json" },
    body,
    connections: 16,
    duration: Number(process.env.BENCH_SECONDS ?? 5),
  });
}

async function throughput(): Promise<void> {
  const child = spawn(
    process.execPath,
    ["--import", "tsx", fileURLToPath(new URL("./load-target.ts", import.meta.url))],
    {
      stdio: ["pipe", "pipe", "inherit"],
    },
  );
  try {
    const line = await new Promise<string>((resolve, reject) => {
      let out = "";
      child.stdout.on("data", (chunk: Buffer) => {
        out += chunk.toString();
        if (out.includes("\n")) resolve(out.split("\n")[0]);
      });
      child.once("exit", (code) => reject(new Error(`load target exited with ${code}`)));
    });
    const target = JSON.parse(line) as { ours: string; bare: string; nodes: number };
    const whole = await load(target.ours, JSON.stringify({ query: WHOLE_TREE }));
    const paths = await load(target.ours, JSON.stringify({ query: PATHS_ONLY }));
    const hello = await load(target.bare, JSON.stringify({ query: "{ hello }" }));
    console.log(`\nThroughput (autocannon, 16 connections, ${whole.duration} s each, servers in one other process)`);
    console.log("case                                              req/s     p50     p99  errors  non-2xx");
    for (const [name, r] of [
      [`whole tree, every field (${target.nodes} nodes, consolidated)`, whole],
      [`whole tree, paths and types only`, paths],
      ["bare graphql-yoga { hello } (baseline)", hello],
    ] as const) {
      console.log(
        `${name.padEnd(48)}  ${r.requests.average.toFixed(0).padStart(6)}  ${`${r.latency.p50}ms`.padStart(6)}  ${`${r.latency.p99}ms`.padStart(6)}  ${String(r.errors).padStart(6)}  ${String(r.non2xx).padStart(7)}`,
      );
    }
    const ratio = (r: autocannon.Result) => (r.requests.average / hello.requests.average).toFixed(2);
    console.log(`ratio to bare yoga: every field ${ratio(whole)}, paths and types ${ratio(paths)}`);
  } finally {
    child.stdin.end();
    child.kill();
  }
}

await strategies();
if (!args.has("--no-values")) await valuesRows(LATENCY_MS);
if (!args.has("--no-throughput")) await throughput();
if (!args.has("--no-search")) await searchBench({ postgres: !args.has("--no-postgres") });
if (!args.has("--no-explorer")) await (await import("./explorer.js")).explorerBench();
