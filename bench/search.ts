// The search table of `npm run bench` (or `tsx bench/search.ts` alone): index build time and
// memory, and latency (p50, p99) of an attribute equality, a text search and a facet, at 10,000
// and 100,000 nodes, embedded and PostgreSQL side by side. Hierarchies are generated in memory
// (format 3, not consolidated: read by listing the tree and one wave of reads); queries go through
// the GraphQL app, page re-check included. PostgreSQL is started from Debian's binaries as the
// tests start it (test/setup/postgres.ts); --no-postgres skips it.
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import pg from "pg";
import type { Catalog } from "../src/hierarchy/catalog.js";
import { EmbeddedIndex } from "../src/search/embedded.js";
import { PostgresIndex } from "../src/search/postgres/index.js";
import type { SearchIndex } from "../src/search/search-index.js";
import { SearchService } from "../src/search/service.js";
import { createApp } from "../src/server/app.js";
import { MemoryStore } from "../src/stores/memory.js";

const SIZES = (process.env.BENCH_SEARCH_SIZES ?? "10000,100000").split(",").map(Number);
const RUNS = Number(process.env.BENCH_SEARCH_RUNS ?? 40);
const BACKENDS = (process.env.BENCH_SEARCH_BACKENDS ?? "embedded,postgres").split(",");

setFlagsFromString("--expose-gc");
const collect = runInNewContext("gc") as () => void;
/** A full collection once what the last step left pending (promises, timers) has let go. */
async function gc(): Promise<void> {
  await new Promise((resolve) => setTimeout(resolve, 100));
  collect();
  collect();
}

const NAMES = [
  "sea_surface_temperature",
  "air_temperature",
  "sea_water_salinity",
  "eastward_wind",
  "northward_wind",
  "precipitation_flux",
  "surface_altitude",
  "specific_humidity",
  "cloud_area_fraction",
  "sea_ice_area_fraction",
];
const UNITS = ["K", "1", "m s-1", "kg m-2 s-1", "m", "Pa", "degC", "%", "W m-2", "mm"];
const DTYPES = ["float32", "float64", "int16", "int32", "uint8"];

/** A deterministic hierarchy of about `size` nodes: groups of ten arrays, ten groups per group. */
function hierarchy(size: number): Record<string, string> {
  const files: Record<string, string> = {};
  let n = 0;
  let seed = 1;
  const next = () => {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    return seed;
  };
  const pick = <T>(list: T[]) => list[next() % list.length];
  const group = (path: string) => {
    files[path ? `${path}/zarr.json` : "zarr.json"] = JSON.stringify({
      zarr_format: 3,
      node_type: "group",
      attributes: { description: `Group ${n} of the benchmark`, realm: pick(["ocean", "atmosphere", "land"]) },
    });
    n++;
  };
  const array = (path: string) => {
    const name = pick(NAMES);
    const ndim = 1 + (next() % 4);
    files[`${path}/zarr.json`] = JSON.stringify({
      zarr_format: 3,
      node_type: "array",
      shape: Array(ndim).fill(100),
      data_type: pick(DTYPES),
      chunk_grid: { name: "regular", configuration: { chunk_shape: Array(ndim).fill(10) } },
      chunk_key_encoding: { name: "default", configuration: { separator: "/" } },
      fill_value: 0,
      codecs: [{ name: "bytes", configuration: { endian: "little" } }],
      attributes: {
        standard_name: name,
        long_name: name.replaceAll("_", " "),
        units: pick(UNITS),
        valid_range: [next() % 100, 100 + (next() % 100)],
        source: { model: `model-${next() % 20}`, run: next() % 1000 },
      },
      dimension_names: ["time", "depth", "lat", "lon"].slice(4 - ndim),
    });
    n++;
  };
  const queue = [""];
  group("");
  while (n < size && queue.length > 0) {
    const parent = queue.shift()!;
    for (let a = 0; a < 10 && n < size; a++) array(parent ? `${parent}/v${a}` : `v${a}`);
    for (let g = 0; g < 10 && n < size; g++) {
      const child = parent ? `${parent}/g${g}` : `g${g}`;
      group(child);
      queue.push(child);
    }
  }
  return files;
}

const QUERIES: [string, string][] = [
  [
    "attribute equality",
    `{ search(filter: {attribute: {key: "standard_name", eq: "sea_surface_temperature"}}, first: 20) { totalCount nodes { path } } }`,
  ],
  ["text search", `{ search(text: "sea surface temperature", first: 20) { totalCount nodes { path } } }`],
  ["facet", `{ search(filter: {nodeType: ARRAY}) { facets(key: "units", first: 10) { value count } } }`],
];

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

interface Row {
  backend: string;
  nodes: number;
  buildMs: number;
  memory: string;
  latency: { p50: number; p99: number }[];
}

async function measure(backend: string, size: number, index: SearchIndex, extraMemory?: () => Promise<string>) {
  const files = hierarchy(size);
  const catalog: Catalog = { name: "bench", store: new MemoryStore("memory://bench", files), consolidated: "use" };
  const search = new SearchService({ index, refreshMs: null, build: "never" });
  const app = createApp({ catalogs: [catalog], search, responseCacheEntries: 0 });
  await gc();
  const before = process.memoryUsage().heapUsed;
  const started = performance.now();
  const summary = await search.refresh("bench");
  const buildMs = performance.now() - started;
  await gc();
  const heap = process.memoryUsage().heapUsed - before;
  const memory = extraMemory ? await extraMemory() : `${(heap / 2 ** 20).toFixed(0)} MB heap`;
  const latency: { p50: number; p99: number }[] = [];
  for (const [, query] of QUERIES) {
    const times: number[] = [];
    for (let i = 0; i < RUNS + 3; i++) {
      const t = performance.now();
      const response = await app.fetch("http://bench/graphql", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ query }),
      });
      const body = (await response.json()) as { errors?: unknown };
      if (body.errors) throw new Error(JSON.stringify(body.errors));
      if (i >= 3) times.push(performance.now() - t);
    }
    times.sort((a, b) => a - b);
    latency.push({ p50: percentile(times, 50), p99: percentile(times, 99) });
  }
  return { backend, nodes: summary.nodes, buildMs, memory, latency } satisfies Row;
}

/** The plans of the table's queries (BENCH_SEARCH_EXPLAIN=1), to see which index serves them. */
async function explain(url: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  for (const sql of [
    `SELECT count(*) FROM zarr_graphql_search_nodes WHERE catalog = ANY(ARRAY['bench']) AND (keys @> ARRAY['standard_name']::text[] AND canon @> jsonb_build_object('standard_name', '"sea_surface_temperature"'))`,
    `SELECT canon->>'units', count(*) FROM zarr_graphql_search_nodes WHERE catalog = ANY(ARRAY['bench']) AND (node_type = 'array') AND canon ? 'units' GROUP BY 1`,
  ]) {
    const { rows } = await client.query(`EXPLAIN ANALYZE ${sql}`);
    console.log(rows.map((r) => r["QUERY PLAN"]).join("\n"));
  }
  await client.end();
}

function print(rows: Row[]): void {
  const header = ["index", "nodes", "build", "memory", ...QUERIES.flatMap(([name]) => [`${name} p50`, `${name} p99`])];
  const lines = rows.map((r) => [
    r.backend,
    r.nodes.toLocaleString("en"),
    `${(r.buildMs / 1000).toFixed(1)} s`,
    r.memory,
    ...r.latency.flatMap((l) => [`${l.p50.toFixed(1)} ms`, `${l.p99.toFixed(1)} ms`]),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i].length)));
  const fmt = (cells: string[]) =>
    cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join("  ");
  console.log(
    `\nSearch (${RUNS} runs per query after 3 warm-ups, through the GraphQL app with the page re-checked; build = read the whole hierarchy from memory + index it)`,
  );
  console.log(fmt(header));
  console.log(widths.map((w) => "-".repeat(w)).join("  "));
  for (const line of lines) console.log(fmt(line));
}

export async function searchBench(options: { postgres: boolean }): Promise<void> {
  const rows: Row[] = [];
  let stop: (() => Promise<void>) | undefined;
  try {
    if (options.postgres) {
      const { startPostgres } = await import("../test/setup/postgres.js");
      stop = await startPostgres();
    }
    for (const size of SIZES) {
      if (BACKENDS.includes("embedded")) rows.push(await measure("embedded", size, new EmbeddedIndex()));
      if (options.postgres && BACKENDS.includes("postgres")) {
        const admin = new pg.Client({ connectionString: process.env.ZARR_GRAPHQL_TEST_PG });
        await admin.connect();
        const db = `bench_${size}`;
        await admin.query(`CREATE DATABASE ${db}`);
        await admin.end();
        const url = new URL(process.env.ZARR_GRAPHQL_TEST_PG!);
        url.pathname = `/${db}`;
        const index = new PostgresIndex({ url: url.toString() });
        const tableSize = async () => {
          const client = new pg.Client({ connectionString: url.toString() });
          await client.connect();
          const { rows } = await client.query("SELECT pg_total_relation_size('zarr_graphql_search_nodes') AS bytes");
          await client.end();
          return `${(Number(rows[0].bytes) / 2 ** 20).toFixed(0)} MB on disk`;
        };
        rows.push(await measure("postgres", size, index, tableSize));
        if (process.env.BENCH_SEARCH_EXPLAIN) await explain(url.toString());
        await index.close();
      }
    }
  } finally {
    await stop?.();
  }
  print(rows);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  await searchBench({ postgres: !process.argv.includes("--no-postgres") });
}
