// Format 3 arrays written by zarrita (transpose, both byte orders, crc32c, gzip, zstd, blosc):
// random selections equal numpy's, computed by Python from the same raw data
// (test/support/values/raw_arrays.py). zarrita cannot write sharded arrays; sharding is checked
// against zarr-python 3's in values-fixtures.test.ts.
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, it } from "vitest";
import * as zarr from "zarrita";
import type { App } from "../src/server/app.js";
import { FileStore } from "../src/stores/file.js";
import { registerCodecs } from "../src/values/codecs/registry.js";
import { createApp, fileCatalog } from "./support/app.js";
import { type Expected, expectValues } from "./support/values/compare.js";

const PYTHON = "/usr/bin/python3";
const SCRIPT = path.join(import.meta.dirname, "support", "values", "raw_arrays.py");

type Numeric = "int16" | "int32" | "uint8" | "float32" | "float64";
const CTORS = { int16: Int16Array, int32: Int32Array, uint8: Uint8Array, float32: Float32Array, float64: Float64Array };
const NUMPY = { int16: "<i2", int32: "<i4", uint8: "|u1", float32: "<f4", float64: "<f8" };

interface Spec {
  dtype: Numeric;
  shape: number[];
  chunks: number[];
  codecs: { name: string; configuration: Record<string, unknown> }[];
}

const bytes = (endian: "little" | "big") => ({ name: "bytes", configuration: { endian } });
const SPECS: Record<string, Spec> = {
  gzip_f4: {
    dtype: "float32",
    shape: [37, 29],
    chunks: [10, 8],
    codecs: [bytes("little"), { name: "gzip", configuration: { level: 5 } }],
  },
  zstd_transpose_i2: {
    dtype: "int16",
    shape: [13, 11, 9],
    chunks: [4, 5, 3],
    codecs: [
      { name: "transpose", configuration: { order: [2, 1, 0] } },
      bytes("little"),
      { name: "zstd", configuration: { level: 3, checksum: false } },
    ],
  },
  blosc_big_f8: {
    dtype: "float64",
    shape: [101],
    chunks: [16],
    codecs: [
      bytes("big"),
      { name: "blosc", configuration: { cname: "lz4", clevel: 5, shuffle: "shuffle", typesize: 8, blocksize: 0 } },
    ],
  },
  crc32c_u1: {
    dtype: "uint8",
    shape: [33, 33],
    chunks: [10, 10],
    codecs: [bytes("little"), { name: "crc32c", configuration: {} }],
  },
  transpose_crc32c_zstd_i4: {
    dtype: "int32",
    shape: [20, 30],
    chunks: [7, 9],
    codecs: [
      { name: "transpose", configuration: { order: [1, 0] } },
      bytes("big"),
      { name: "crc32c", configuration: {} },
      { name: "zstd", configuration: { level: 1, checksum: false } },
    ],
  },
};

/** Values that exercise each type: signs, fractions, extremes. */
function fill(dtype: Numeric, n: number) {
  const out = new CTORS[dtype](n);
  for (let i = 0; i < n; i++) {
    if (dtype.startsWith("float")) out[i] = Math.sin(i * 1.7) * 10 ** (i % 7);
    else out[i] = (i * 7919 + (i % 13) * 104729) % 2 ** 31;
  }
  return out;
}

const dir = mkdtempSync(path.join(os.tmpdir(), "values-zarrita-"));
let app: App;
let expected: Record<string, Expected>;

beforeAll(async () => {
  mkdirSync(path.join(dir, "data.zarr"));
  const files = new FileStore(path.join(dir, "data.zarr"));
  // zarrita writes through our file store (the bytes it hands over are stored as they are).
  const store: zarr.AsyncMutable = {
    get: async (key) => (await files.get(key.slice(1)))?.data,
    set: async (key, value) => void (await files.set(key.slice(1), value)),
  };
  await zarr.create(store);
  // zarrita cannot encode crc32c: chunks that use it get this server's encoder (registered here),
  // whose checksums values-fixtures.test.ts checks against zarr-python 3's shard indexes.
  registerCodecs();
  // zarrita's own gzip codec only decodes: write with numcodecs.js' for the while, then put it back.
  const gzip = zarr.registry.get("gzip")!;
  zarr.registry.set("gzip", () => import("numcodecs/gzip").then((m) => m.default as never));
  const manifest: Record<string, { dtype: string; shape: number[] }> = {};
  for (const [name, spec] of Object.entries(SPECS)) {
    const array = await zarr.create(zarr.root(store).resolve(name), {
      shape: spec.shape,
      chunkShape: spec.chunks,
      dtype: spec.dtype,
      codecs: spec.codecs,
    });
    const data = fill(
      spec.dtype,
      spec.shape.reduce((a, b) => a * b, 1),
    );
    const stride = spec.shape.map((_, d) => spec.shape.slice(d + 1).reduce((a, b) => a * b, 1));
    await zarr.set(array, null, { data, shape: spec.shape, stride } as never);
    writeFileSync(path.join(dir, `${name}.bin`), new Uint8Array(data.buffer));
    manifest[name] = { dtype: NUMPY[spec.dtype], shape: spec.shape };
  }
  zarr.registry.set("gzip", gzip);
  writeFileSync(path.join(dir, "manifest.json"), JSON.stringify(manifest));
  expected = JSON.parse(execFileSync(PYTHON, [SCRIPT, dir, "11"], { encoding: "utf8", maxBuffer: 64 << 20 }));
  app = createApp({ catalogs: [fileCatalog("zt", path.join(dir, "data.zarr"))] });
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("values of format 3 arrays written by zarrita equal numpy's", () => {
  for (const name of Object.keys(SPECS)) {
    it(name, () => expectValues(app, "zt", name, expected[name]));
  }
});
