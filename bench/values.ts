// `npm run bench` rows for array values: previews (and a small slice) of a 4096 x 4096 float32
// array in 256 x 256 chunks (zstd), generated in a temporary folder, read from disk and from disk
// behind a fixed latency per store call. Reports the store calls the request made (gets = the
// array's metadata documents plus the chunks read), bytes read, waves and time.

import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import * as zarr from "zarrita";
import { createApp } from "../src/server/app.js";
import { FileStore } from "../src/stores/file.js";
import { LatencyStore } from "../src/stores/latency.js";
import type { Store } from "../src/stores/store.js";

const SIDE = 4096;
const CHUNK = 256;

/** Writes the array with zarrita through our file store; a smooth field, so zstd has work to do. */
async function generate(dir: string): Promise<void> {
  mkdirSync(dir, { recursive: true });
  const files = new FileStore(dir);
  const store: zarr.AsyncMutable = {
    get: async (key) => (await files.get(key.slice(1)))?.data,
    set: async (key, value) => void (await files.set(key.slice(1), value)),
  };
  await zarr.create(store);
  const array = await zarr.create(zarr.root(store).resolve("field"), {
    shape: [SIDE, SIDE],
    chunkShape: [CHUNK, CHUNK],
    dtype: "float32",
    codecs: [
      { name: "bytes", configuration: { endian: "little" } },
      { name: "zstd", configuration: { level: 1, checksum: false } },
    ],
    fillValue: Number.NaN,
  });
  const data = new Float32Array(SIDE * SIDE);
  for (let i = 0; i < SIDE; i++) {
    for (let j = 0; j < SIDE; j++) data[i * SIDE + j] = Math.sin(i / 300) * Math.cos(j / 200) * 40 + 280;
  }
  await zarr.set(array, null, { data, shape: [SIDE, SIDE], stride: [SIDE, 1] });
}

interface Row {
  case: string;
  gets: number;
  bytes: number;
  waves: number;
  ms: number;
}

async function run(name: string, store: Store, field: string): Promise<Row> {
  const app = createApp({ catalogs: [{ name: "v", store, consolidated: "ignore" }] });
  const started = performance.now();
  const response = await app.fetch("http://bench/graphql", {
    method: "POST",
    headers: { "content-type": "application/json", "x-zarr-io": "1" },
    body: JSON.stringify({ query: `{ catalog(name: "v") { node(path: "field") { ... on ZarrArray { ${field} } } } }` }),
  });
  const body = (await response.json()) as any;
  const ms = performance.now() - started;
  if (body.errors) throw new Error(`${name}: ${JSON.stringify(body.errors).slice(0, 500)}`);
  return { case: name, ...body.extensions.io, ms };
}

export async function valuesRows(latencyMs: number): Promise<void> {
  const dir = mkdtempSync(path.join(os.tmpdir(), "bench-values-"));
  try {
    const started = performance.now();
    await generate(path.join(dir, "data.zarr"));
    const generatedMs = performance.now() - started;
    const disk = new FileStore(path.join(dir, "data.zarr"));
    const slow = new LatencyStore(disk, latencyMs);
    const rows = [
      await run("preview 256 x 256 (stride 16: every chunk)", disk, "preview { width height }"),
      await run("preview 64 x 64 (stride 64: every chunk)", disk, "preview(width: 64, height: 64) { width }"),
      await run("preview 8 x 8 (stride 512: 64 of 256 chunks)", disk, "preview(width: 8, height: 8) { width }"),
      await run(
        "values [1000:1100, 1000:1100] (4 chunks)",
        disk,
        "values(selection: [{start: 1000, stop: 1100}, {start: 1000, stop: 1100}]) { shape }",
      ),
      await run(`preview 256 x 256, ${latencyMs} ms per store call`, slow, "preview { width }"),
      await run(`preview 8 x 8, ${latencyMs} ms per store call`, slow, "preview(width: 8, height: 8) { width }"),
    ];
    console.log(
      `\nArray values: ${SIDE} x ${SIDE} float32 in ${CHUNK} x ${CHUNK} chunks (zstd; ${(SIDE / CHUNK) ** 2} chunks, generated in ${(generatedMs / 1000).toFixed(1)} s); gets = the 4 metadata reads that open the array + the chunks read`,
    );
    console.log(`${"case".padEnd(46)}  ${"gets".padStart(5)}  ${"bytes".padStart(11)}  waves  ${"time".padStart(8)}`);
    for (const r of rows) {
      console.log(
        `${r.case.padEnd(46)}  ${String(r.gets).padStart(5)}  ${r.bytes.toLocaleString("en").padStart(11)}  ${String(r.waves).padStart(5)}  ${`${r.ms.toFixed(0)} ms`.padStart(8)}`,
      );
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
