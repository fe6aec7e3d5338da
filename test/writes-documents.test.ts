// The documents we write are zarr-python's, byte for byte (format 3 against the bundled example,
// which was written to match zarr-python 3), and a rewrite keeps every value it does not change
// exactly as it was: int64 digits, bare NaN, long decimals, must_understand: false extensions.
import { execFileSync } from "node:child_process";
import { cp, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, test } from "vitest";
import { EXAMPLE_DIR } from "../src/server/example.js";
import { MemoryStore } from "../src/stores/memory.js";
import { catalog, fileCatalog } from "./support/app.js";
import { mutate, tempDir, text, writableApp } from "./support/writes.js";

const PYTHON = "/usr/bin/python3";
const PEERS = path.join(import.meta.dirname, "peers");
const CLIMATE = path.join(EXAMPLE_DIR, "climate.zarr");
const LEGACY = path.join(EXAMPLE_DIR, "legacy.zarr");

/** Every value of each file as Python's json reads it, numbers and NaN as their exact text. */
function exact(...files: string[]): Record<string, any>[] {
  const out = JSON.parse(execFileSync(PYTHON, [path.join(PEERS, "exact_json.py"), ...files], { encoding: "utf8" }));
  return files.map((f) => out[f]);
}

const example = (...parts: string[]) => readFile(path.join(CLIMATE, ...parts, "zarr.json"), "utf8");

describe("format-3 documents are zarr-python 3's", () => {
  // Arrays of the bundled example, as createArray inputs (attributes without floats: JSON input
  // cannot tell 1.0 from 1, so those would be written as integers).
  const CASES: [string, Record<string, unknown>][] = [
    [
      "atmosphere/temperature",
      {
        shape: [8760, 37, 721, 1440],
        dataType: "float32",
        chunks: [1, 1, 181, 360],
        shards: [24, 37, 181, 360],
        fillValue: "NaN",
        codecs: [{ name: "bytes" }, { name: "blosc", configuration: { cname: "zstd", clevel: 5, shuffle: "shuffle" } }],
        attributes: {
          long_name: "Temperature",
          standard_name: "air_temperature",
          units: "K",
          cell_methods: "time: point",
          grid_mapping: "crs",
        },
        dimensionNames: ["time", "level", "lat", "lon"],
      },
    ],
    [
      "atmosphere/surface/quality/station_count",
      {
        shape: [8760],
        dataType: "int64",
        chunks: [8760],
        fillValue: "-9223372036854775806",
        attributes: { long_name: "number of stations assimilated", units: "1" },
        dimensionNames: ["time"],
      },
    ],
    [
      "ancillary/region_name",
      {
        shape: [12],
        dataType: "string",
        chunks: [12],
        fillValue: "",
        codecs: [{ name: "vlen-utf8" }, { name: "gzip" }],
        attributes: { long_name: "region name", cf_role: "region_id" },
        dimensionNames: ["region"],
      },
    ],
    [
      "ancillary/region_bounds",
      {
        shape: [12, 4],
        dataType: "float64",
        chunks: [12, 4],
        attributes: { long_name: "region bounding box (lat_min, lat_max, lon_min, lon_max)", units: "degrees" },
        dimensionNames: ["region", null],
      },
    ],
    [
      "land/land_sea_mask",
      {
        shape: [721, 1440],
        dataType: "uint8",
        chunks: [361, 720],
        fillValue: 0,
        codecs: [{ name: "bytes" }, { name: "gzip", configuration: { level: 6 } }],
        chunkKeyEncoding: { name: "v2", configuration: { separator: "." } },
        attributes: {
          long_name: "Land-sea mask",
          standard_name: "land_binary_mask",
          units: "1",
          flag_values: [0, 1],
          flag_meanings: "sea land",
          grid_mapping: "crs",
        },
        dimensionNames: ["lat", "lon"],
      },
    ],
    [
      "land/orography",
      {
        shape: [721, 1440],
        dataType: "float32",
        chunks: [721, 1440],
        fillValue: "NaN",
        codecs: [{ name: "transpose", configuration: { order: [1, 0] } }, { name: "bytes" }, { name: "zstd" }],
        attributes: {
          long_name: "Surface altitude",
          standard_name: "surface_altitude",
          units: "m",
          grid_mapping: "crs",
        },
        dimensionNames: ["lat", "lon"],
      },
    ],
    [
      "land/soil/soil_moisture",
      {
        shape: [8760, 4, 721, 1440],
        dataType: "float32",
        chunks: [24, 4, 181, 360],
        fillValue: -9999,
        codecs: [{ name: "bytes" }, { name: "blosc", configuration: { cname: "lz4", shuffle: "bitshuffle" } }],
        attributes: {
          long_name: "Volumetric soil water",
          standard_name: "volume_fraction_of_condensed_water_in_soil",
          units: "m3 m-3",
          grid_mapping: "crs",
        },
        dimensionNames: ["time", "soil_layer", "lat", "lon"],
      },
    ],
    [
      "ocean/depth",
      {
        shape: [50],
        dataType: "float32",
        chunks: [50],
        fillValue: "NaN",
        codecs: [{ name: "bytes" }, { name: "crc32c" }],
        attributes: { long_name: "depth", standard_name: "depth", units: "m", positive: "down", axis: "Z" },
        dimensionNames: ["depth"],
      },
    ],
    [
      "ocean/profiles/qc/is_valid",
      {
        shape: [125000, 50],
        dataType: "bool",
        chunks: [25000, 50],
        codecs: [{ name: "bytes" }, { name: "gzip" }],
        attributes: { long_name: "measurement passed quality control" },
        dimensionNames: ["profile", "depth"],
      },
    ],
  ];

  test.each(CASES)("%s", async (arrayPath, input) => {
    const store = new MemoryStore();
    const { app } = writableApp([catalog("m", store)]);
    const result = await mutate(
      app,
      `mutation ($input: CreateArrayInput!) { createArray(input: $input) { array { path } } }`,
      {
        input: { catalog: "m", path: arrayPath, ...input },
      },
    );
    expect(result.errors).toBeUndefined();
    expect(text((await store.get(`${arrayPath}/zarr.json`))!.data)).toBe(await example(...arrayPath.split("/")));
  });
});

describe("consolidateMetadata writes what zarr.consolidate_metadata writes", () => {
  let work: { dir: string; remove: () => Promise<void> };
  beforeEach(async () => {
    work = await tempDir();
  });
  afterEach(async () => {
    await work.remove();
  });

  test.each([
    ["climate.zarr (format 3, inline)", CLIMATE, "zarr.json"],
    ["legacy.zarr (format 2, .zmetadata)", LEGACY, ".zmetadata"],
  ])("%s, byte for byte", async (_name, source, document) => {
    const copy = path.join(work.dir, "copy.zarr");
    await cp(source, copy, { recursive: true });
    execFileSync(PYTHON, [path.join(PEERS, "unconsolidate.py"), copy]);
    const expected = await readFile(path.join(source, document), "utf8");
    expect(await readFile(path.join(copy, document), "utf8").catch(() => "")).not.toBe(expected);
    const { app } = writableApp([fileCatalog("c", copy)]);
    const result = await mutate(app, `mutation { consolidateMetadata(input: {catalog: "c"}) { consolidatedNodes } }`);
    expect(result.errors).toBeUndefined();
    expect(await readFile(path.join(copy, document), "utf8")).toBe(expected);
  });
});

describe("a rewrite keeps every value it does not change, exactly", () => {
  let work: { dir: string; remove: () => Promise<void> };
  beforeEach(async () => {
    work = await tempDir();
  });
  afterEach(async () => {
    await work.remove();
  });

  const UPDATE = `mutation ($input: UpdateAttributesInput!) { updateAttributes(input: $input) { node { attributes metadata } } }`;

  test("format 3: int64 fill values, bare NaN, long decimals and must_understand: false fields survive updateAttributes", async () => {
    const dir = path.join(work.dir, "h.zarr");
    await cp(CLIMATE, dir, { recursive: true });
    const file = path.join(dir, "atmosphere", "surface", "quality", "station_count", "zarr.json");
    // An extension field a reader may ignore, a long decimal and NaN written bare (as Python's
    // json.dumps writes a float nan), spliced into the example's document as text.
    const original = (await readFile(file, "utf8"))
      .replace(
        '"units": "1"',
        '"units": "1",\n    "missing": NaN,\n    "ratio": 0.10000000000000000555,\n    "huge": 18446744073709551615',
      )
      .replace(
        '"storage_transformers": []',
        '"storage_transformers": [],\n  "x_provenance": {\n    "must_understand": false,\n    "checksum": 1.50\n  }',
      );
    await writeFile(file, original);
    const [before] = exact(file);
    const { app } = writableApp([fileCatalog("c", dir, "ignore")]);
    const result = await mutate(app, UPDATE, {
      input: {
        catalog: "c",
        path: "atmosphere/surface/quality/station_count",
        mode: "MERGE",
        attributes: { comment: "edited" },
      },
    });
    expect(result.errors).toBeUndefined();
    expect(result.data.updateAttributes.node.metadata.fill_value).toBe("-9223372036854775806");
    const [after] = exact(file);
    const { attributes: oldAttributes, ...oldRest } = before;
    const { attributes: newAttributes, ...newRest } = after;
    expect(newRest).toEqual(oldRest);
    expect(newAttributes).toEqual({ ...oldAttributes, comment: "edited" });
    expect(Object.keys(after)).toEqual(Object.keys(before));
    expect(oldRest.fill_value).toEqual({ $: "-9223372036854775806" });
    expect(newAttributes.missing).toEqual({ $: "NaN" });
    expect(newAttributes.ratio).toEqual({ $: "0.10000000000000000555" });
    expect(newRest.x_provenance).toEqual({ must_understand: false, checksum: { $: "1.50" } });
  });

  test("format 3: patching the root's consolidated metadata keeps every other entry exactly", async () => {
    const dir = path.join(work.dir, "h.zarr");
    await cp(CLIMATE, dir, { recursive: true });
    const root = path.join(dir, "zarr.json");
    const [before] = exact(root);
    const { app } = writableApp([fileCatalog("c", dir)]);
    const result = await mutate(app, UPDATE, {
      input: { catalog: "c", path: "ocean/sst", mode: "MERGE", attributes: { comment: "edited" } },
    });
    expect(result.errors).toBeUndefined();
    const [after] = exact(root);
    const entries = (doc: any) => doc.consolidated_metadata.metadata;
    const { "ocean/sst": oldSst, ...oldOthers } = entries(before);
    const { "ocean/sst": newSst, ...newOthers } = entries(after);
    expect(newOthers).toEqual(oldOthers);
    expect(Object.keys(entries(after))).toEqual(Object.keys(entries(before)));
    expect(newSst).toEqual({ ...oldSst, attributes: { ...oldSst.attributes, comment: "edited" } });
    expect({ ...after, consolidated_metadata: null }).toEqual({ ...before, consolidated_metadata: null });
    // The array's own document and the copy in the root agree again.
    const [own] = exact(path.join(dir, "ocean", "sst", "zarr.json"));
    expect(newSst).toEqual(own);
  });

  test("format 2: bare NaN and big integers in .zattrs survive, and .zarray is not touched", async () => {
    const dir = path.join(work.dir, "h.zarr");
    await cp(LEGACY, dir, { recursive: true });
    const zattrs = path.join(dir, "surface", "pr", ".zattrs");
    const zarray = path.join(dir, "surface", "pr", ".zarray");
    await writeFile(zattrs, '{\n    "big": 18446744073709551615,\n    "missing_value": NaN,\n    "scale": 1e+20\n}');
    const zarrayText = await readFile(zarray, "utf8");
    const { app } = writableApp([fileCatalog("c", dir)]);
    const result = await mutate(app, UPDATE, {
      input: { catalog: "c", path: "surface/pr", mode: "MERGE", attributes: { units: "mm" } },
    });
    expect(result.errors).toBeUndefined();
    expect(await readFile(zattrs, "utf8")).toBe(
      '{\n    "big": 18446744073709551615,\n    "missing_value": NaN,\n    "scale": 1e+20,\n    "units": "mm"\n}',
    );
    expect(await readFile(zarray, "utf8")).toBe(zarrayText);
    // The root's .zmetadata now carries the new .zattrs, values exact.
    const [zmetadata] = exact(path.join(dir, ".zmetadata"));
    expect(zmetadata.metadata["surface/pr/.zattrs"]).toEqual({
      big: { $: "18446744073709551615" },
      missing_value: { $: "NaN" },
      scale: { $: "1e+20" },
      units: "mm",
    });
  });
});
