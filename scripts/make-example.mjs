#!/usr/bin/env node
// Generates the bundled example Zarr hierarchies served by `npm start`:
//
//   example/climate.zarr  Zarr format 3, laid out as zarr-python 3.x writes it, with inline
//                         consolidated metadata in the root zarr.json and a zarr.json per node.
//   example/legacy.zarr   Zarr format 2, laid out as zarr-python 2.x writes it (.zgroup, .zattrs,
//                         .zarray, and a consolidated .zmetadata at the root).
//
// Almost every array is metadata only (no chunk written = every element is the fill value).
// A few small coordinate arrays carry real chunks, encoded here with the codecs their metadata names.
//
// Deterministic: the same Node.js version always writes the same bytes. Plain Node ESM, no dependencies.
// Usage: node scripts/make-example.mjs

import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import zlib from "node:zlib";

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const OUT = path.join(REPO, "example");

// ---------------------------------------------------------------------------------------------
// JSON output that matches Python's json.dumps (ensure_ascii=True, float repr, exact big ints)
// ---------------------------------------------------------------------------------------------

// A JSON number written verbatim. JSON.stringify cannot hold an int64 beyond 2^53 nor tell a float
// 0.0 from an int 0, so such numbers travel as placeholder strings that are replaced in the output text.
const RAW_RE = /"@@raw\(([-+.0-9eE]+)\)@@"/g;
const raw = (text) => {
  assert.match(text, /^-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][-+]?[0-9]+)?$/, `not a JSON number: ${text}`);
  return `@@raw(${text})@@`;
};

/** Python's repr() of a float (the shortest round-trip digits, Python's notation rules). */
function pyFloatRepr(x) {
  assert.ok(Number.isFinite(x), "special floats are written as the strings NaN / Infinity / -Infinity");
  if (x === 0) return Object.is(x, -0) ? "-0.0" : "0.0";
  const [mantissa, expText] = x.toExponential().split("e");
  const exp = Number(expText);
  const sign = mantissa.startsWith("-") ? "-" : "";
  const digits = mantissa.replace("-", "").replace(".", "");
  if (exp < -4 || exp >= 16) {
    const m = digits.length > 1 ? `${digits[0]}.${digits.slice(1)}` : digits;
    const e = Math.abs(exp).toString().padStart(2, "0");
    return `${sign}${m}e${exp < 0 ? "-" : "+"}${e}`;
  }
  if (exp < 0) return `${sign}0.${"0".repeat(-exp - 1)}${digits}`;
  const intPart = digits.slice(0, exp + 1).padEnd(exp + 1, "0");
  const fracPart = digits.slice(exp + 1) || "0";
  return `${sign}${intPart}.${fracPart}`;
}

/** A Python float: written as e.g. 0.0, -9999.0, 1e+20. */
const f = (x) => raw(pyFloatRepr(x));

/** Recursively sorts object keys (zarr-python 2 writes with sort_keys=True). */
function sortKeys(value) {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value !== null && typeof value === "object") {
    return Object.fromEntries(
      Object.keys(value)
        .sort()
        .map((k) => [k, sortKeys(value[k])]),
    );
  }
  return value;
}

/**
 * json.dumps(value, indent=indent) with Python's defaults: ensure_ascii escapes every character
 * outside printable ASCII as \uXXXX (lower-case hex, astral characters as surrogate pairs).
 */
function pyJson(value, { indent, sortKeys: sorted = false }) {
  const text = JSON.stringify(sorted ? sortKeys(value) : value, null, indent);
  return text.replace(RAW_RE, "$1").replace(/[^\n -~]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
}

const v3Json = (doc) => pyJson(doc, { indent: 2 }); // zarr-python 3: json_indent = 2
const v2Json = (doc) => pyJson(doc, { indent: 4, sortKeys: true }); // zarr-python 2: indent=4, sort_keys=True

// ---------------------------------------------------------------------------------------------
// Small encoders for the few real chunks
// ---------------------------------------------------------------------------------------------

const DTYPES = {
  bool: { size: 1, put: (dv, o, v) => dv.setUint8(o, v ? 1 : 0) },
  uint8: { size: 1, put: (dv, o, v) => dv.setUint8(o, v) },
  int16: { size: 2, put: (dv, o, v) => dv.setInt16(o, v, true) },
  int32: { size: 4, put: (dv, o, v) => dv.setInt32(o, v, true) },
  int64: { size: 8, put: (dv, o, v) => dv.setBigInt64(o, BigInt(v), true) },
  float32: { size: 4, put: (dv, o, v) => dv.setFloat32(o, v, true) },
  float64: { size: 8, put: (dv, o, v) => dv.setFloat64(o, v, true) },
};

/** Little-endian bytes of a flat list of values. */
function packLE(dataType, values) {
  const { size, put } = DTYPES[dataType];
  const buf = Buffer.alloc(size * values.length);
  const dv = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  for (const [i, v] of values.entries()) put(dv, i * size, v);
  return buf;
}

/** numcodecs VLenUTF8 layout: u32 count, then u32 byte length + UTF-8 bytes per item. */
function packVlenUtf8(values) {
  const parts = [Buffer.alloc(4)];
  parts[0].writeUInt32LE(values.length);
  for (const s of values) {
    const b = Buffer.from(s, "utf8");
    const n = Buffer.alloc(4);
    n.writeUInt32LE(b.length);
    parts.push(n, b);
  }
  return Buffer.concat(parts);
}

const CRC32C_TABLE = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0x82f63b78 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

function crc32c(buf) {
  let c = 0xffffffff;
  for (const byte of buf) c = CRC32C_TABLE[(c ^ byte) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

/** Encodes one whole-array chunk through a v3 codec chain (the subset used by the real chunks). */
function encodeV3Chunk(node, values) {
  let data = null;
  for (const codec of node.codecs) {
    switch (codec.name) {
      case "bytes":
        data = packLE(node.data_type, values);
        break;
      case "vlen-utf8":
        data = packVlenUtf8(values);
        break;
      case "gzip":
        data = zlib.gzipSync(data, { level: codec.configuration.level });
        break;
      case "crc32c": {
        const sum = Buffer.alloc(4);
        sum.writeUInt32LE(crc32c(data));
        data = Buffer.concat([data, sum]);
        break;
      }
      default:
        throw new Error(`no encoder for codec ${codec.name} (array ${node.path})`);
    }
  }
  return data;
}

const V2_DTYPE_NAMES = { "<i4": "int32", "<i8": "int64", "<f4": "float32", "<f8": "float64" };

/** Encodes one whole-array chunk through v2 filters + compressor (the subset used by the real chunks). */
function encodeV2Chunk(zarray, values) {
  let vals = values;
  for (const filter of zarray.filters ?? []) {
    assert.equal(filter.id, "delta");
    vals = vals.map((v, i) => (i === 0 ? v : v - values[i - 1]));
  }
  let data = packLE(V2_DTYPE_NAMES[zarray.dtype], vals);
  if (zarray.compressor) {
    assert.equal(zarray.compressor.id, "zlib");
    data = zlib.deflateSync(data, { level: zarray.compressor.level });
  }
  return data;
}

// ---------------------------------------------------------------------------------------------
// Zarr v3 building blocks (each helper returns exactly the JSON that zarr-python 3's to_dict() does)
// ---------------------------------------------------------------------------------------------

const ITEM_SIZE = { bool: 1, uint8: 1, int16: 2, int32: 4, int64: 8, float32: 4, float64: 8 };

const codec = {
  // The bytes codec has no endian for 1-byte types: zarr-python then writes {"name": "bytes"}.
  bytes: (dataType) =>
    ITEM_SIZE[dataType] === 1 ? { name: "bytes" } : { name: "bytes", configuration: { endian: "little" } },
  zstd: (level = 0, checksum = false) => ({ name: "zstd", configuration: { level, checksum } }),
  gzip: (level = 5) => ({ name: "gzip", configuration: { level } }),
  blosc: (dataType, cname, clevel, shuffle) => ({
    name: "blosc",
    configuration: { typesize: ITEM_SIZE[dataType], cname, clevel, shuffle, blocksize: 0 },
  }),
  transpose: (order) => ({ name: "transpose", configuration: { order } }),
  crc32c: () => ({ name: "crc32c" }),
  vlenUtf8: () => ({ name: "vlen-utf8", configuration: {} }),
  sharding: (chunkShape, codecs, indexLocation = "end") => ({
    name: "sharding_indexed",
    configuration: {
      chunk_shape: chunkShape,
      codecs,
      index_codecs: [{ name: "bytes", configuration: { endian: "little" } }, { name: "crc32c" }],
      index_location: indexLocation,
    },
  }),
};

const DEFAULT_KEY_ENCODING = { name: "default", configuration: { separator: "/" } };
const NC_FILL_INT64 = "-9223372036854775806"; // netCDF's default int64 fill value, beyond 2^53

function group3(attributes = {}, children = {}) {
  return { kind: "group", attributes, children };
}

function array3({
  shape,
  dataType,
  chunks,
  fill,
  codecs,
  attributes = {},
  dims,
  keyEncoding = DEFAULT_KEY_ENCODING,
  data,
}) {
  assert.equal(chunks.length, shape.length);
  if (dims !== undefined) assert.equal(dims.length, shape.length);
  return { kind: "array", shape, dataType, chunks, fill, codecs, attributes, dims, keyEncoding, data };
}

/** The node's own zarr.json document, keys in zarr-python 3's order. */
function v3Doc(node, consolidated = null) {
  if (node.kind === "group") {
    return { attributes: node.attributes, zarr_format: 3, consolidated_metadata: consolidated, node_type: "group" };
  }
  const doc = {
    shape: node.shape,
    data_type: node.dataType,
    chunk_grid: { name: "regular", configuration: { chunk_shape: node.chunks } },
    chunk_key_encoding: node.keyEncoding,
    fill_value: node.fill,
    codecs: node.codecs,
    attributes: node.attributes,
  };
  if (node.dims !== undefined) doc.dimension_names = node.dims;
  return { ...doc, zarr_format: 3, node_type: "array", storage_transformers: [] };
}

// ---------------------------------------------------------------------------------------------
// example/climate.zarr (format 3)
// ---------------------------------------------------------------------------------------------

const range = (n, fn) => Array.from({ length: n }, (_, i) => fn(i));

const LAT = range(721, (i) => 90 - i * 0.25);
const LON = range(1440, (i) => i * 0.25);
const TIME = range(8760, (i) => i);
const LEVELS = [
  1, 2, 3, 5, 7, 10, 20, 30, 50, 70, 100, 125, 150, 175, 200, 225, 250, 300, 350, 400, 450, 500, 550, 600, 650, 700,
  750, 775, 800, 825, 850, 875, 900, 925, 950, 975, 1000,
];
const DEPTHS = range(50, (k) => Math.round((0.5 + 2.2 * k * k) * 10) / 10);
const REGIONS = [
  "Global",
  "Northern Hemisphere",
  "Southern Hemisphere",
  "Tropics",
  "Arctic",
  "Antarctic",
  "North Atlantic",
  "North Pacific",
  "Indian Ocean",
  "Southern Ocean",
  "Europe",
  "Île-de-France",
];

// A small field with real chunks (2.5 degree grid, four months of a noleap calendar), so that value
// extents and previews have something to show: smooth, with a missing patch (NaN) over a "station
// outage". Values rounded to 0.5 K keep the gzip chunk small.
const SAMPLE_LAT = range(73, (i) => 90 - i * 2.5);
const SAMPLE_LON = range(144, (i) => -180 + i * 2.5);
const SAMPLE_TIME = [0, 31, 59, 90];
const SAMPLE_TAS = SAMPLE_TIME.flatMap((_, t) =>
  SAMPLE_LAT.flatMap((la) =>
    SAMPLE_LON.map((lo) => {
      if (t === 0 && la >= 20 && la <= 40 && lo >= 60 && lo <= 90) return Number.NaN;
      const r = (la * Math.PI) / 180;
      const k = 300 - 50 * Math.sin(r) ** 2 + 6 * Math.cos(((lo + 40 * t) * Math.PI) / 90) * Math.cos(r);
      return Math.round(k * 2) / 2;
    }),
  ),
);
const sample = group3(
  { description: "A small field with real chunks, for extents and previews", frequency: "mon" },
  {
    time: array3({
      shape: [4],
      dataType: "int32",
      chunks: [4],
      fill: -1,
      codecs: [codec.bytes("int32")],
      attributes: { standard_name: "time", units: "days since 2000-01-01", calendar: "noleap", axis: "T" },
      dims: ["time"],
      data: SAMPLE_TIME,
    }),
    lat: array3({
      shape: [73],
      dataType: "float32",
      chunks: [73],
      fill: "NaN",
      codecs: [codec.bytes("float32")],
      attributes: { standard_name: "latitude", units: "degrees_north", axis: "Y" },
      dims: ["lat"],
      data: SAMPLE_LAT,
    }),
    lon: array3({
      shape: [144],
      dataType: "float32",
      chunks: [144],
      fill: "NaN",
      codecs: [codec.bytes("float32")],
      attributes: { standard_name: "longitude", units: "degrees_east", axis: "X" },
      dims: ["lon"],
      data: SAMPLE_LON,
    }),
    tas: array3({
      shape: [4, 73, 144],
      dataType: "float32",
      chunks: [4, 73, 144],
      fill: "NaN",
      codecs: [codec.bytes("float32"), codec.gzip(9)],
      attributes: { standard_name: "air_temperature", long_name: "Near-surface air temperature", units: "K" },
      dims: ["time", "lat", "lon"],
      data: SAMPLE_TAS,
    }),
  },
);

const TLL = ["time", "lat", "lon"];
const GRID = { grid_mapping: "crs" };

function surfaceField(longName, standardName, units, extra = {}) {
  return { long_name: longName, standard_name: standardName, units, ...extra, ...GRID };
}

const climate = group3(
  {
    Conventions: "CF-1.10",
    title: "Synthetic hourly global climate sample (metadata-only example)",
    institution: "zarr-graphql example project \u2014 synthetic data, not an observation",
    source: "scripts/make-example.mjs (synthetic; modelled on a 0.25 degree global reanalysis)",
    history: "2024-03-01T00:00:00Z created by scripts/make-example.mjs",
    created: "2024-03-01",
    references: "https://zarr-specs.readthedocs.io/en/latest/v3/core/index.html",
    comment: "Most arrays have no chunks written, so every element reads as the fill value.",
    geospatial_lat_min: f(-90.0),
    geospatial_lat_max: f(90.0),
    time_coverage_start: "2023-01-01T00:00:00Z",
    time_coverage_end: "2023-12-31T23:00:00Z",
  },
  {
    time: array3({
      shape: [8760],
      dataType: "int64",
      chunks: [8760],
      fill: -1, // not 0: hour 0 is a real time, and elements equal to the fill value count as missing
      codecs: [codec.bytes("int64"), codec.gzip(5)],
      attributes: {
        long_name: "time",
        standard_name: "time",
        units: "hours since 2023-01-01 00:00:00",
        calendar: "proleptic_gregorian",
        axis: "T",
      },
      dims: ["time"],
      data: TIME,
    }),
    lat: array3({
      shape: [721],
      dataType: "float64",
      chunks: [721],
      fill: "NaN",
      codecs: [codec.bytes("float64"), codec.gzip(5)],
      attributes: { long_name: "latitude", standard_name: "latitude", units: "degrees_north", axis: "Y" },
      dims: ["lat"],
      data: LAT,
    }),
    lon: array3({
      shape: [1440],
      dataType: "float64",
      chunks: [1440],
      fill: "NaN",
      codecs: [codec.bytes("float64"), codec.gzip(5)],
      attributes: { long_name: "longitude", standard_name: "longitude", units: "degrees_east", axis: "X" },
      dims: ["lon"],
      data: LON,
    }),
    // A 0-d array without dimension_names: CF grid-mapping container variable.
    crs: array3({
      shape: [],
      dataType: "int32",
      chunks: [],
      fill: 0,
      codecs: [codec.bytes("int32")],
      attributes: {
        long_name: "coordinate reference system",
        grid_mapping_name: "latitude_longitude",
        semi_major_axis: f(6371229.0),
        inverse_flattening: f(0.0),
        longitude_of_prime_meridian: f(0.0),
      },
    }),
    ancillary: group3(
      {
        description: "Lookup tables shared by the other groups",
        provenance: { pipeline: "make-example", version: [1, 2, 0], validated: true, notes: null },
      },
      {
        region_name: array3({
          shape: [12],
          dataType: "string",
          chunks: [12],
          fill: "",
          codecs: [codec.vlenUtf8(), codec.gzip(5)],
          attributes: { long_name: "region name", cf_role: "region_id" },
          dims: ["region"],
          data: REGIONS,
        }),
        // A null entry in dimension_names: the unnamed bounds axis.
        region_bounds: array3({
          shape: [12, 4],
          dataType: "float64",
          chunks: [12, 4],
          fill: f(0.0),
          codecs: [codec.bytes("float64"), codec.zstd(0, false)],
          attributes: {
            long_name: "region bounding box (lat_min, lat_max, lon_min, lon_max)",
            units: "degrees",
          },
          dims: ["region", null],
        }),
      },
    ),
    atmosphere: group3(
      { description: "Atmospheric fields", realm: "atmos", frequency: "1hr" },
      {
        level: array3({
          shape: [37],
          dataType: "int32",
          chunks: [37],
          fill: 0,
          codecs: [codec.bytes("int32")],
          attributes: {
            long_name: "pressure level",
            standard_name: "air_pressure",
            units: "hPa",
            positive: "down",
            axis: "Z",
          },
          dims: ["level"],
          data: LEVELS,
        }),
        temperature: array3({
          shape: [8760, 37, 721, 1440],
          dataType: "float32",
          chunks: [24, 37, 181, 360],
          fill: "NaN",
          codecs: [
            codec.sharding(
              [1, 1, 181, 360],
              [codec.bytes("float32"), codec.blosc("float32", "zstd", 5, "shuffle")],
              "end",
            ),
          ],
          attributes: {
            long_name: "Temperature",
            standard_name: "air_temperature",
            units: "K",
            cell_methods: "time: point",
            ...GRID,
          },
          dims: ["time", "level", "lat", "lon"],
        }),
        surface: group3(
          { description: "Single-level (surface) fields", level_type: "surface" },
          {
            t2m: array3({
              shape: [8760, 721, 1440],
              dataType: "float32",
              chunks: [24, 181, 360],
              fill: "NaN",
              codecs: [codec.bytes("float32"), codec.zstd(3, false)],
              attributes: surfaceField("2 metre temperature", "air_temperature", "K", { height: "2 m" }),
              dims: TLL,
            }),
            tp: array3({
              shape: [8760, 721, 1440],
              dataType: "float32",
              chunks: [168, 724, 1440],
              fill: "NaN",
              codecs: [codec.sharding([24, 181, 360], [codec.bytes("float32"), codec.zstd(0, false)], "start")],
              attributes: surfaceField("Total precipitation", "precipitation_amount", "kg m-2", {
                cell_methods: "time: sum",
              }),
              dims: TLL,
            }),
            u10: array3({
              shape: [8760, 721, 1440],
              dataType: "int16",
              chunks: [24, 721, 1440],
              fill: -32767,
              codecs: [codec.bytes("int16"), codec.blosc("int16", "lz4", 5, "shuffle")],
              attributes: surfaceField("10 metre U wind component", "eastward_wind", "m s-1", {
                scale_factor: f(0.0015),
                add_offset: f(0.0),
                valid_min: -32766,
                valid_max: 32767,
              }),
              dims: TLL,
            }),
            v10: array3({
              shape: [8760, 721, 1440],
              dataType: "int16",
              chunks: [24, 721, 1440],
              fill: -32767,
              codecs: [codec.bytes("int16"), codec.blosc("int16", "lz4", 5, "shuffle")],
              attributes: surfaceField("10 metre V wind component", "northward_wind", "m s-1", {
                scale_factor: f(0.0015),
                add_offset: f(0.0),
                valid_min: -32766,
                valid_max: 32767,
              }),
              dims: TLL,
            }),
            quality: group3(
              { description: "Quality control of the surface analysis" },
              {
                qc_flag: array3({
                  shape: [8760, 721, 1440],
                  dataType: "uint8",
                  chunks: [168, 181, 360],
                  fill: 255,
                  codecs: [codec.bytes("uint8"), codec.gzip(1)],
                  attributes: {
                    long_name: "surface analysis quality flag",
                    standard_name: "quality_flag",
                    flag_values: [0, 1, 2, 4],
                    flag_meanings: "good suspect interpolated rejected",
                    ...GRID,
                  },
                  dims: TLL,
                }),
                station_count: array3({
                  shape: [8760],
                  dataType: "int64",
                  chunks: [8760],
                  fill: raw(NC_FILL_INT64),
                  codecs: [codec.bytes("int64"), codec.zstd(0, false)],
                  attributes: { long_name: "number of stations assimilated", units: "1" },
                  dims: ["time"],
                }),
              },
            ),
          },
        ),
      },
    ),
    land: group3(
      { description: "Land surface fields", realm: "land" },
      {
        orography: array3({
          shape: [721, 1440],
          dataType: "float32",
          chunks: [721, 1440],
          fill: "NaN",
          codecs: [codec.transpose([1, 0]), codec.bytes("float32"), codec.zstd(0, false)],
          attributes: { long_name: "Surface altitude", standard_name: "surface_altitude", units: "m", ...GRID },
          dims: ["lat", "lon"],
        }),
        land_sea_mask: array3({
          shape: [721, 1440],
          dataType: "uint8",
          chunks: [361, 720],
          fill: 0,
          codecs: [codec.bytes("uint8"), codec.gzip(6)],
          attributes: {
            long_name: "Land-sea mask",
            standard_name: "land_binary_mask",
            units: "1",
            flag_values: [0, 1],
            flag_meanings: "sea land",
            ...GRID,
          },
          dims: ["lat", "lon"],
          keyEncoding: { name: "v2", configuration: { separator: "." } },
        }),
        glacier: group3({}, {}), // an empty group
        soil: group3(
          { description: "Soil state", soil_layer_depths_m: [f(0.07), f(0.28), f(1.0), f(2.89)] },
          {
            soil_moisture: array3({
              shape: [8760, 4, 721, 1440],
              dataType: "float32",
              chunks: [24, 4, 181, 360],
              fill: f(-9999.0),
              codecs: [codec.bytes("float32"), codec.blosc("float32", "lz4", 5, "bitshuffle")],
              attributes: {
                long_name: "Volumetric soil water",
                standard_name: "volume_fraction_of_condensed_water_in_soil",
                units: "m3 m-3",
                ...GRID,
              },
              dims: ["time", "soil_layer", "lat", "lon"],
            }),
          },
        ),
      },
    ),
    sample,
    ocean: group3(
      { description: "Ocean fields", realm: "ocean" },
      {
        depth: array3({
          shape: [50],
          dataType: "float32",
          chunks: [50],
          fill: "NaN",
          codecs: [codec.bytes("float32"), codec.crc32c()],
          attributes: { long_name: "depth", standard_name: "depth", units: "m", positive: "down", axis: "Z" },
          dims: ["depth"],
          data: DEPTHS,
        }),
        sst: array3({
          shape: [8760, 721, 1440],
          dataType: "float64",
          chunks: [24, 181, 360],
          fill: "NaN",
          codecs: [codec.bytes("float64"), codec.blosc("float64", "zstd", 5, "bitshuffle")],
          attributes: surfaceField("Sea surface temperature", "sea_surface_temperature", "K"),
          dims: TLL,
        }),
        profiles: group3(
          { description: "In-situ temperature and salinity profiles", featureType: "profile", platform_count: 3800 },
          {
            temperature: array3({
              shape: [125000, 50],
              dataType: "float32",
              chunks: [50000, 50],
              fill: "NaN",
              codecs: [codec.sharding([5000, 50], [codec.bytes("float32"), codec.zstd(0, false)], "end")],
              attributes: {
                long_name: "Sea water temperature",
                standard_name: "sea_water_temperature",
                units: "degree_Celsius",
                coordinates: "profile_time depth",
              },
              dims: ["profile", "depth"],
            }),
            salinity: array3({
              shape: [125000, 50],
              dataType: "float64",
              chunks: [10000, 50],
              fill: "NaN",
              codecs: [codec.transpose([1, 0]), codec.bytes("float64"), codec.gzip(5)],
              attributes: {
                long_name: "Sea water practical salinity",
                standard_name: "sea_water_practical_salinity",
                units: "1",
                coordinates: "profile_time depth",
              },
              dims: ["profile", "depth"],
            }),
            platform_id: array3({
              shape: [125000],
              dataType: "string",
              chunks: [25000],
              fill: "",
              codecs: [codec.vlenUtf8(), codec.zstd(0, false)],
              attributes: { long_name: "WMO platform identifier", cf_role: "profile_id" },
              dims: ["profile"],
            }),
            profile_time: array3({
              shape: [125000],
              dataType: "int64",
              chunks: [25000],
              fill: raw(NC_FILL_INT64),
              codecs: [codec.bytes("int64"), codec.zstd(0, false)],
              attributes: {
                long_name: "profile time",
                standard_name: "time",
                units: "seconds since 1970-01-01 00:00:00",
                calendar: "standard",
              },
              dims: ["profile"],
            }),
            qc: group3(
              { description: "Profile quality control" },
              {
                is_valid: array3({
                  shape: [125000, 50],
                  dataType: "bool",
                  chunks: [25000, 50],
                  fill: false,
                  codecs: [codec.bytes("bool"), codec.gzip(5)],
                  attributes: { long_name: "measurement passed quality control" },
                  dims: ["profile", "depth"],
                }),
              },
            ),
          },
        ),
      },
    ),
  },
);

// ---------------------------------------------------------------------------------------------
// example/legacy.zarr (format 2)
// ---------------------------------------------------------------------------------------------

const BLOSC_LZ4 = { id: "blosc", cname: "lz4", clevel: 5, shuffle: 1, blocksize: 0 };
const ZLIB_1 = { id: "zlib", level: 1 };

function group2(attributes, children = {}) {
  return { kind: "group", attributes, children };
}

function array2({ shape, chunks, dtype, fill, compressor, filters = null, order = "C", sep, dims, attributes, data }) {
  const zarray = { chunks, compressor, dtype, fill_value: fill, filters, order, shape, zarr_format: 2 };
  if (sep !== undefined) zarray.dimension_separator = sep; // zarr-python 2 omits it unless set explicitly
  return { kind: "array", zarray, attributes: { ...attributes, _ARRAY_DIMENSIONS: dims }, data };
}

const LEGACY_TLL = ["time", "lat", "lon"];

const legacy = group2(
  {
    Conventions: "CF-1.6",
    title: "Synthetic daily climate sample (Zarr format 2, metadata-only example)",
    institution: "zarr-graphql example project",
    source: "scripts/make-example.mjs",
    history: "2024-03-01T00:00:00Z created by scripts/make-example.mjs",
  },
  {
    time: array2({
      shape: [365],
      chunks: [365],
      dtype: "<i8",
      fill: null,
      compressor: ZLIB_1,
      dims: ["time"],
      attributes: { standard_name: "time", units: "days since 2001-01-01", calendar: "standard" },
      data: range(365, (i) => i),
    }),
    lat: array2({
      shape: [180],
      chunks: [180],
      dtype: "<f4",
      fill: "NaN",
      compressor: null,
      sep: ".",
      dims: ["lat"],
      attributes: { standard_name: "latitude", units: "degrees_north" },
      data: range(180, (i) => -89.5 + i),
    }),
    lon: array2({
      shape: [360],
      chunks: [360],
      dtype: "<f4",
      fill: "NaN",
      compressor: null,
      sep: ".",
      dims: ["lon"],
      attributes: { standard_name: "longitude", units: "degrees_east" },
      data: range(360, (i) => 0.5 + i),
    }),
    ocean: group2(
      { description: "Ocean fields" },
      {
        sst: array2({
          shape: [365, 180, 360],
          chunks: [30, 180, 360],
          dtype: "<f8",
          fill: "NaN",
          compressor: BLOSC_LZ4,
          sep: "/",
          dims: LEGACY_TLL,
          attributes: { standard_name: "sea_surface_temperature", units: "K", long_name: "Sea surface temperature" },
        }),
      },
    ),
    // An OME-Zarr (NGFF 0.4) image: multiscales and omero metadata, for searches over bioimaging layouts.
    image: group2(
      {
        multiscales: [
          {
            version: "0.4",
            name: "sample",
            axes: [
              { name: "c", type: "channel" },
              { name: "y", type: "space", unit: "micrometer" },
              { name: "x", type: "space", unit: "micrometer" },
            ],
            datasets: [0, 1].map((level) => ({
              path: String(level),
              coordinateTransformations: [{ type: "scale", scale: [f(1), f(0.5 * 2 ** level), f(0.5 * 2 ** level)] }],
            })),
          },
        ],
        omero: {
          channels: ["DAPI", "GFP", "mCherry", "Cy5"].map((label, i) => ({
            label,
            color: ["0000FF", "00FF00", "FF0000", "FF00FF"][i],
            window: { start: 0, end: 4095, min: 0, max: 65535 },
          })),
        },
      },
      Object.fromEntries(
        [0, 1].map((level) => [
          String(level),
          array2({
            shape: [4, 512 >> level, 512 >> level],
            chunks: [1, 256, 256],
            dtype: "<u2",
            fill: 0,
            compressor: BLOSC_LZ4,
            sep: "/",
            dims: ["c", "y", "x"],
            attributes: {},
          }),
        ]),
      ),
    ),
    surface: group2(
      { description: "Surface fields", level_type: "surface" },
      {
        tas: array2({
          shape: [365, 180, 360],
          chunks: [73, 90, 180],
          dtype: "<f4",
          fill: "NaN",
          compressor: BLOSC_LZ4,
          sep: ".",
          dims: LEGACY_TLL,
          attributes: { standard_name: "air_temperature", units: "K", long_name: "Near-surface air temperature" },
        }),
        pr: array2({
          shape: [365, 180, 360],
          chunks: [365, 45, 90],
          dtype: "<f8",
          fill: f(1e20),
          compressor: ZLIB_1,
          order: "F",
          dims: LEGACY_TLL,
          attributes: { standard_name: "precipitation_flux", units: "kg m-2 s-1", long_name: "Precipitation" },
        }),
        day_of_year: array2({
          shape: [365],
          chunks: [365],
          dtype: "<i4",
          fill: 0,
          compressor: ZLIB_1,
          filters: [{ id: "delta", dtype: "<i4", astype: "<i4" }],
          dims: ["time"],
          attributes: { long_name: "day of year", units: "1" },
          data: range(365, (i) => i + 1),
        }),
        flags: group2(
          { description: "Quality flags" },
          {
            quality: array2({
              shape: [365, 180, 360],
              chunks: [365, 90, 90],
              dtype: "|u1",
              fill: 255,
              compressor: { id: "blosc", cname: "zstd", clevel: 3, shuffle: 2, blocksize: 0 },
              sep: "/",
              dims: LEGACY_TLL,
              attributes: { long_name: "quality flag", flag_values: [0, 1, 2], flag_meanings: "good suspect bad" },
            }),
            valid: array2({
              shape: [365, 180, 360],
              chunks: [365, 180, 360],
              dtype: "|b1",
              fill: false,
              compressor: null,
              dims: LEGACY_TLL,
              attributes: { long_name: "value is valid" },
            }),
          },
        ),
      },
    ),
  },
);

// ---------------------------------------------------------------------------------------------
// Writers
// ---------------------------------------------------------------------------------------------

/** Depth-first pre-order walk, children by name: [[path, node], ...] ("" is the root). */
function walk(node, prefix = "") {
  const out = [[prefix, node]];
  if (node.kind === "group") {
    for (const name of Object.keys(node.children).sort()) {
      out.push(...walk(node.children[name], prefix ? `${prefix}/${name}` : name));
    }
  }
  return out;
}

function writeFile(rootDir, key, content) {
  const file = path.join(rootDir, ...key.split("/"));
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, content);
}

/** A v3 chunk key (whole-array single chunk: every grid index is 0). */
function v3ChunkKey(node) {
  const { name, configuration } = node.keyEncoding;
  const sep = configuration.separator;
  const coords = node.shape.map(() => "0");
  if (name === "default") return ["c", ...coords].join(sep);
  return coords.length ? coords.join(sep) : "0";
}

function writeV3(rootDir, root) {
  const nodes = walk(root);
  const docs = new Map(nodes.map(([p, node]) => [p, v3Doc(node)]));
  // The root's inline consolidated metadata, as zarr.consolidate_metadata() writes it: flat keys relative to the
  // root for every descendant, each the node's own document; subgroups carry an empty inline block
  // (consolidate_metadata() gives every child group ConsolidatedMetadata(metadata={})).
  const consolidated = { kind: "inline", must_understand: false, metadata: {} };
  for (const [p, node] of nodes) {
    if (p === "") continue;
    const doc = docs.get(p);
    consolidated.metadata[p] =
      node.kind === "group"
        ? { ...doc, consolidated_metadata: { kind: "inline", must_understand: false, metadata: {} } }
        : doc;
  }
  docs.set("", v3Doc(root, consolidated));

  for (const [p, node] of nodes) {
    writeFile(rootDir, p ? `${p}/zarr.json` : "zarr.json", v3Json(docs.get(p)));
    if (node.kind === "array" && node.data !== undefined) {
      assert.deepEqual(node.chunks, node.shape, "real chunks are written for single-chunk arrays only");
      writeFile(rootDir, `${p}/${v3ChunkKey(node)}`, encodeV3Chunk({ ...v3Doc(node), path: p }, node.data));
    }
  }
  return nodes.length;
}

function writeV2(rootDir, root) {
  const nodes = walk(root);
  const files = {};
  for (const [p, node] of nodes) {
    const prefix = p ? `${p}/` : "";
    if (node.kind === "group") files[`${prefix}.zgroup`] = { zarr_format: 2 };
    else files[`${prefix}.zarray`] = node.zarray;
    if (Object.keys(node.attributes).length > 0) files[`${prefix}.zattrs`] = node.attributes;
  }
  for (const [key, doc] of Object.entries(files)) writeFile(rootDir, key, v2Json(doc));
  // zarr.consolidate_metadata(): every metadata key of the store, with its parsed document.
  writeFile(rootDir, ".zmetadata", v2Json({ zarr_consolidated_format: 1, metadata: files }));

  for (const [p, node] of nodes) {
    if (node.kind === "array" && node.data !== undefined) {
      assert.deepEqual(node.zarray.chunks, node.zarray.shape, "real chunks are written for single-chunk arrays only");
      const sep = node.zarray.dimension_separator ?? ".";
      writeFile(rootDir, `${p}/${node.zarray.shape.map(() => "0").join(sep)}`, encodeV2Chunk(node.zarray, node.data));
    }
  }
  return nodes.length;
}

/** Re-reads what was written and checks that each consolidated entry equals the node's own file. */
function selfCheck() {
  const read = (...parts) => fs.readFileSync(path.join(OUT, ...parts), "utf8");
  const bigSafe = (text) => JSON.parse(text.replace(/-?\d{16,}/g, '"$&"'));

  const v3Root = bigSafe(read("climate.zarr", "zarr.json"));
  for (const [p, entry] of Object.entries(v3Root.consolidated_metadata.metadata)) {
    const own = bigSafe(read("climate.zarr", ...p.split("/"), "zarr.json"));
    if (own.node_type === "group") {
      assert.equal(own.consolidated_metadata, null);
      assert.deepEqual({ ...entry, consolidated_metadata: null }, own, p);
    } else {
      assert.deepEqual(entry, own, p);
    }
  }
  assert.match(
    read("climate.zarr", "atmosphere", "surface", "quality", "station_count", "zarr.json"),
    /-9223372036854775806/,
  );

  const zmeta = JSON.parse(read("legacy.zarr", ".zmetadata"));
  for (const [key, doc] of Object.entries(zmeta.metadata)) {
    assert.deepEqual(JSON.parse(read("legacy.zarr", ...key.split("/"))), doc, key);
  }
}

fs.rmSync(path.join(OUT, "climate.zarr"), { recursive: true, force: true });
fs.rmSync(path.join(OUT, "legacy.zarr"), { recursive: true, force: true });
const n3 = writeV3(path.join(OUT, "climate.zarr"), climate);
const n2 = writeV2(path.join(OUT, "legacy.zarr"), legacy);
selfCheck();
console.log(`example/climate.zarr: ${n3} nodes (format 3); example/legacy.zarr: ${n2} nodes (format 2)`);
