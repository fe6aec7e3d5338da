// `npm run bench`: the cost of reading a whole hierarchy behind a fixed latency per store call,
// by strategy, the server's throughput against bare graphql-yoga, the scale table (every page of
// a deep walk at 1,000 to 100,000 nodes against zarr-python, bench/scale.ts; --no-scale skips it,
// --only-scale runs it alone), and the explorer's rendering in headless Chromium
// (bench/explorer.ts; --no-explorer skips it). Prints tables.

import { spawn } from "node:child_process";
import { randomUUID } from "node:crypto";
import os from "node:os";
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
import { scaleTable } from "./scale.js";
import { searchBench } from "./search.js";
import { printAligned } from "./table.js";
import { valuesRows } from "./values.js";

const LATENCY_MS = Number(process.env.BENCH_LATENCY_MS ?? 20);
const SHAPE = { fanout: 3, depth: 4, arraysPerGroup: 2, format: 2 as const };
const args = new Set(process.argv.slice(2));

const WHOLE_TREE = `{ catalog(name: "c") { root { path attributes ... on ZarrGroup {
  members(maxDepth: null, first: 1000) { totalCount nodes { __typename path attributes
    ... on ZarrArray { shape chunks dataType fillValue order codecs { name } dimensionNames } } } } } } }`;

interface Row {
  case: string;
  nodes: number;
  gets: number;
  lists: number;
  waves: number;
  bytes: number;
  ms: number;
}

function withoutListTree(store: Store): Store {
  const { listTree: _, ...rest } = store;
  return Object.assign(Object.create(Object.getPrototypeOf(store)), rest, {
    capabilities: { ...store.capabilities, listTree: false },
  });
}

async function viaServer(name: string, store: Store): Promise<Row> {
  return (await coldAndWarm(name, store, false))[0];
}

/** The query on a fresh server, and (`warm`) the same query again on it. */
async function coldAndWarm(name: string, store: Store, warm = true): Promise<Row[]> {
  const catalog: Catalog = { name: "c", store, consolidated: "use" };
  const app = createApp({ catalogs: [catalog], limits: { concurrency: 64 } });
  const rows = [await run(app, warm ? `${name}, cold` : name)];
  if (warm) rows.push(await run(app, `${name}, warm (the same query again)`));
  return rows;
}

async function run(app: ReturnType<typeof createApp>, name: string): Promise<Row> {
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
  const header = ["case", "nodes", "gets", "lists", "waves", "bytes read", "time", "speed-up"];
  const lines = rows.map((r) => [
    r.case,
    String(r.nodes),
    String(r.gets),
    String(r.lists),
    String(r.waves),
    String(r.bytes),
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
      ...(await coldAndWarm("GCS emulator: listTree (matchGlob)", new LatencyStore(a, LATENCY_MS))),
      ...(await coldAndWarm("GCS emulator: consolidated", new LatencyStore(b, LATENCY_MS))),
    ];
    await Promise.all([a.deletePrefix(""), b.deletePrefix("")]);
    return rows;
  } finally {
    await stop?.();
  }
}

/** The whole-tree query, every field, over catalog `c`; `$nonce` reads one attribute (null). */
const wholeTree = (
  c: string,
) => `query ($nonce: String!) { catalog(name: "${c}") { root { path attributes attribute(key: $nonce)
  ... on ZarrGroup { members(maxDepth: null, first: 1000) { totalCount nodes { __typename path attributes
    ... on ZarrArray { shape chunks dataType fillValue order codecs { name } dimensionNames } } } } } } }`;

interface Load {
  label: string;
  url: string;
  query: string;
  /** A new variable value per request, so that no answer is a repeat (the response cache never hits). */
  fresh?: boolean;
}

async function load(target: Load, seconds: number): Promise<autocannon.Result> {
  let n = 0;
  const body = (nonce: string) =>
    JSON.stringify({ query: target.query, ...(target.query.includes("$nonce") ? { variables: { nonce } } : {}) });
  return autocannon({
    url: target.url,
    method: "POST",
    headers: { "content-type": "application/json" },
    ...(target.fresh
      ? { requests: [{ setupRequest: (request: any) => ({ ...request, body: body(`n${n++}`) }) }] }
      : { body: body("same") }),
    connections: 16,
    duration: seconds,
  });
}

/** Starts bench/load-target.ts in a process of its own; its CPU time can be asked for at any moment. */
async function startTarget() {
  const child = spawn(
    process.execPath,
    [
      "--import",
      "tsx",
      ...(process.env.BENCH_CPU_PROF ? ["--cpu-prof", "--cpu-prof-dir", process.env.BENCH_CPU_PROF] : []),
      fileURLToPath(new URL("./load-target.ts", import.meta.url)),
    ],
    { stdio: ["pipe", "pipe", "inherit"] },
  );
  const waiting: ((line: string) => void)[] = [];
  let buffered = "";
  child.stdout.on("data", (chunk: Buffer) => {
    buffered += chunk.toString();
    for (let i = buffered.indexOf("\n"); i >= 0; i = buffered.indexOf("\n")) {
      const line = buffered.slice(0, i);
      buffered = buffered.slice(i + 1);
      waiting.shift()?.(line);
    }
  });
  const nextLine = () =>
    new Promise<string>((resolve, reject) => {
      waiting.push(resolve);
      child.once("exit", (code) => reject(new Error(`load target exited with ${code}`)));
    });
  const target = JSON.parse(await nextLine()) as {
    ours: string;
    bare: string;
    nodes: { small: number; large: number };
  };
  return {
    ...target,
    /** The target process's CPU time so far, µs. */
    cpu: async () => {
      const line = nextLine();
      child.stdin.write("cpu\n");
      return (JSON.parse(await line) as { cpu: number }).cpu;
    },
    stop: () => {
      child.stdin.end();
      child.kill();
    },
  };
}

interface LoadRow {
  label: string;
  rates: number[];
  /** Requests per second over the baseline's in the same round. */
  ratios: number[];
  /** Server CPU time per request, µs. */
  cpu: number[];
  /** The baseline's CPU per request over this case's, in the same round. */
  cpuRatios: number[];
  p50: number[];
  p99: number[];
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/**
 * Our server against bare graphql-yoga under the same load, case by case. On a shared machine
 * whose load varies, each case runs right after the baseline, in a few short rounds, and its
 * ratio is the median of the rounds'; the servers' CPU time per request is reported too, which
 * other processes on the machine change least. Everything is warmed up first.
 */
async function throughput(): Promise<void> {
  const target = await startTarget();
  try {
    const loads: Load[] = [
      { label: "bare graphql-yoga { hello } (baseline)", url: target.bare, query: "{ hello }" },
      {
        label: "{ catalogs { name } } (no store)",
        url: target.ours,
        query: "{ catalogs { name } }",
      },
      ...(["small", "large"] as const).flatMap((tree): Load[] => [
        {
          label: `whole tree, ${target.nodes[tree]} nodes, repeated (cache hit)`,
          url: target.ours,
          query: wholeTree(tree),
        },
        {
          label: `whole tree, ${target.nodes[tree]} nodes, executes`,
          url: target.ours,
          query: wholeTree(tree),
          fresh: true,
        },
      ]),
    ];
    const seconds = Number(process.env.BENCH_SECONDS ?? 3);
    const rounds = Number(process.env.BENCH_ROUNDS ?? 3);
    const measured = async (l: Load) => {
      const before = await target.cpu();
      const result = await load(l, seconds);
      const used = (await target.cpu()) - before;
      if (result.errors || result.non2xx)
        throw new Error(`${l.label}: ${result.errors} errors, ${result.non2xx} non-2xx`);
      return { result, cpuPerRequest: used / result.requests.total };
    };
    // Each case answers data and no error (a refusal would be cheap and count as a 200).
    for (const l of loads) {
      const response = await fetch(l.url, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ query: l.query, ...(l.query.includes("$nonce") ? { variables: { nonce: "x" } } : {}) }),
      });
      const answer = (await response.json()) as { data?: unknown; errors?: unknown };
      if (answer.errors || !answer.data) throw new Error(`${l.label}: ${JSON.stringify(answer).slice(0, 300)}`);
    }
    for (const l of loads) await load(l, 2);
    const [baseline, ...cases] = loads;
    const empty = (label: string): LoadRow => ({
      label,
      rates: [],
      ratios: [],
      cpu: [],
      cpuRatios: [],
      p50: [],
      p99: [],
    });
    const base = empty(baseline.label);
    const rows = cases.map((l) => empty(l.label));
    for (let r = 0; r < rounds; r++) {
      for (const [i, l] of cases.entries()) {
        const b = await measured(baseline);
        const c = await measured(l);
        for (const [row, m] of [
          [base, b],
          [rows[i], c],
        ] as const) {
          row.rates.push(m.result.requests.average);
          row.ratios.push(m.result.requests.average / b.result.requests.average);
          row.cpu.push(m.cpuPerRequest);
          row.cpuRatios.push(b.cpuPerRequest / m.cpuPerRequest);
          row.p50.push(m.result.latency.p50);
          row.p99.push(m.result.latency.p99);
        }
      }
    }
    const load_ = os
      .loadavg()
      .map((l) => l.toFixed(1))
      .join(" ");
    console.log(
      `\nThroughput (autocannon, 16 connections; each case ${rounds}× ${seconds} s, each right after ${seconds} s of the baseline; servers in one other process; load average ${load_} on ${os.cpus().length} cores)`,
    );
    console.log(
      `${"case".padEnd(46)}  ${"req/s".padStart(6)}  ${"p50".padStart(6)}  ${"p99".padStart(7)}  ${"CPU/req".padStart(8)}  to bare yoga: req/s (rounds); CPU/req (rounds)`,
    );
    const list = (xs: number[]) => xs.map((x) => x.toFixed(2)).join(" ");
    console.log(
      `${base.label.padEnd(46)}  ${median(base.rates).toFixed(0).padStart(6)}  ${`${median(base.p50)}ms`.padStart(6)}  ${`${median(base.p99)}ms`.padStart(7)}  ${`${median(base.cpu).toFixed(0)}µs`.padStart(8)}  1`,
    );
    for (const row of rows) {
      console.log(
        `${row.label.padEnd(46)}  ${median(row.rates).toFixed(0).padStart(6)}  ${`${median(row.p50)}ms`.padStart(6)}  ${`${median(row.p99)}ms`.padStart(7)}  ${`${median(row.cpu).toFixed(0)}µs`.padStart(8)}  ${median(row.ratios).toFixed(2)} (${list(row.ratios)}); ${median(row.cpuRatios).toFixed(2)} (${list(row.cpuRatios)})`,
      );
    }
    const ratioOf = (i: number) =>
      `${median(rows[i].ratios).toFixed(2)} by req/s, ${median(rows[i].cpuRatios).toFixed(2)} by CPU`;
    console.log(
      `ratios to bare yoga (medians): catalogs ${ratioOf(0)} (target 0.80); whole tree of ${target.nodes.small} nodes repeated ${ratioOf(1)} (target 0.50); executing ${ratioOf(2)} (target 0.30)`,
    );
  } finally {
    target.stop();
  }
}

const only = args.has("--only-throughput") || args.has("--only-scale");
if (!only) await strategies();
if (!args.has("--no-values") && !only) await valuesRows(LATENCY_MS);
if (!args.has("--no-throughput") && !args.has("--only-scale")) await throughput();
if (!args.has("--no-scale") && !args.has("--only-throughput")) await scaleTable();
if (!args.has("--no-search") && !only) await searchBench({ postgres: !args.has("--no-postgres") });
if (!args.has("--no-explorer") && !only) await (await import("./explorer.js")).explorerBench();
