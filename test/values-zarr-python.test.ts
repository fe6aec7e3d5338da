// Array values written by zarr-python 2.13 (Debian's python3-zarr), every compressor and filter
// its numcodecs ships, C and F order, both separators, every numeric dtype, times and strings:
// random selections must equal what numpy returns for them, element for element. The expected
// values are computed by Python in the generator (test/support/values/zarr_python_arrays.py).
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { App } from "../src/server/app.js";
import { createApp, fileCatalog, gql } from "./support/app.js";
import { type Expected, expectValues } from "./support/values/compare.js";

const PYTHON = "/usr/bin/python3";
const SCRIPT = path.join(import.meta.dirname, "support", "values", "zarr_python_arrays.py");
const SEED = 20_251_202;

interface Generated {
  arrays: Record<string, Expected>;
  unsupported: Record<string, string>;
}

const dir = mkdtempSync(path.join(os.tmpdir(), "values-zarr-python-"));
const generated: Generated = JSON.parse(
  execFileSync(PYTHON, [SCRIPT, dir, String(SEED)], { encoding: "utf8", maxBuffer: 256 << 20 }),
);
let app: App;

beforeAll(() => {
  app = createApp({ catalogs: [fileCatalog("zp", dir)] });
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("values of arrays written by zarr-python 2.13 equal numpy's", () => {
  it("covers what it claims to", () => {
    const names = Object.keys(generated.arrays);
    expect(names.length).toBeGreaterThan(70);
    for (const id of [
      "blosc_zstd_bitshuffle",
      "compressor_bz2",
      "compressor_lzma",
      "filter_categorize",
      "dtype_le_f2",
    ]) {
      expect(names).toContain(id);
    }
  });

  for (const [name, expected] of Object.entries(generated.arrays)) {
    it(`${name} (${expected.dtype})`, () => expectValues(app, "zp", name, expected));
  }

  it("a codec without a decoder fails its own field with UNSUPPORTED naming it; the rest of the response stands", async () => {
    const names = Object.keys(generated.unsupported);
    const query = `{ catalog(name: "zp") {
      ${names.map((n, i) => `u${i}: node(path: "${n}") { path ... on ZarrArray { shape values { data } } }`).join("\n")}
      ok: node(path: "dtype_le_i4") { ... on ZarrArray { values(selection: [{index: 0}, {start: 0, stop: 2}]) { data } } }
    } }`;
    const result = await gql(app, query);
    names.forEach((name, i) => {
      expect(result.data.catalog[`u${i}`].path).toBe(name);
      expect(result.data.catalog[`u${i}`].values).toBeNull();
      const error = result.errors!.find((e) => e.path?.[1] === `u${i}`)!;
      expect(error.extensions?.code).toBe("UNSUPPORTED");
      expect(error.message).toContain(generated.unsupported[name]);
    });
    expect(result.data.catalog.ok.values.data).toHaveLength(2);
  });
});
