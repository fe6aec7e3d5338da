// Extents and dimensions on a CF-style dataset written by zarr-python 2.13
// (test/support/values/cf_dataset.py). Expected values are worked out by hand from the data the
// script writes (see test/calendars.test.ts for where the calendar arithmetic is pinned).
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { createApp, fileCatalog, gql } from "./support/app.js";

const dir = mkdtempSync(path.join(os.tmpdir(), "values-cf-"));
execFileSync("/usr/bin/python3", [path.join(import.meta.dirname, "support", "values", "cf_dataset.py"), dir]);
const app = createApp({ catalogs: [fileCatalog("cf", dir)] });
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const EXTENT = "extent { min max first last count missing monotonic step units calendar }";

async function extentOf(path: string) {
  const result = await gql(app, `{ catalog(name: "cf") { node(path: "${path}") { ... on ZarrArray { ${EXTENT} } } } }`);
  expect(result.errors).toBeUndefined();
  return result.data.catalog.node.extent;
}

describe("dimensions", () => {
  it("lists each dimension the group's arrays name, with its size, coordinate and extent", async () => {
    const result = await gql(
      app,
      `{ catalog(name: "cf") { root { ... on ZarrGroup { dimensions { name size coordinate { path } ${EXTENT} } } } } }`,
    );
    expect(result.errors).toBeUndefined();
    const dims = result.data.catalog.root.dimensions;
    expect(dims.map((d: { name: string }) => d.name)).toEqual(["lat", "nv", "lon", "time"]);
    const [lat, nv, lon, time] = dims;
    expect(lat).toEqual({
      name: "lat",
      size: 180,
      coordinate: { path: "lat" },
      extent: {
        min: -89.5,
        max: 89.5,
        first: 89.5,
        last: -89.5,
        count: 180,
        missing: 0,
        monotonic: true,
        step: -1,
        units: "degrees_north",
        calendar: null,
      },
    });
    expect(nv.size).toBe(2);
    expect(nv.extent).toMatchObject({ min: 0, max: 1, step: 1 });
    expect(lon.extent).toMatchObject({ min: 0, max: 357.5, first: 0, last: 357.5, count: 144, step: 2.5 });
    expect(time).toEqual({
      name: "time",
      size: 12,
      coordinate: { path: "time" },
      extent: {
        min: "2000-01-01T00:00:00",
        max: "2000-01-12T00:00:00",
        first: "2000-01-01T00:00:00",
        last: "2000-01-12T00:00:00",
        count: 12,
        missing: 0,
        monotonic: true,
        step: "P1D",
        units: "days since 1900-01-01",
        calendar: "standard",
      },
    });
  });

  it("computes each coordinate's extent once per request, whichever field asks", async () => {
    const names = `{ catalog(name: "cf") {
      root { ... on ZarrGroup { dimensions { name } } }
      time: node(path: "time") { path }
    } }`;
    const both = `{ catalog(name: "cf") {
      root { ... on ZarrGroup { dimensions { name extent { count } } } }
      time: node(path: "time") { ... on ZarrArray { extent { count } } }
    } }`;
    const base = (await gql(app, names)).extensions!.io!.gets;
    const result = await gql(app, both);
    expect(result.data.catalog.time.extent.count).toBe(12);
    // Chunks of time (3), lat (4), lon (4) and nv (1), each read once.
    expect(result.extensions!.io!.gets - base).toBe(12);
  });

  it("gives null for the extent of an array with more than one dimension", async () => {
    expect(await extentOf("tas")).toBeNull();
  });
});

describe("extents of time coordinates in several calendars", () => {
  it.each([
    ["noleap", ["2000-01-01T00:00:00", "2000-04-01T00:00:00"], null, "noleap"],
    ["day360", ["2000-01-01T12:00:00", "2000-06-01T12:00:00"], "P30D", "360_day"],
    ["julian", ["1582-01-01T00:00:00", "1583-01-01T00:00:00"], null, "julian"],
    ["all_leap", ["2001-01-01T00:00:00", "2002-01-01T00:00:00"], null, "all_leap"],
    ["reform", ["1582-10-01T00:00:00", "1582-10-15T00:00:00"], "P1D", "gregorian"],
  ])("%s", async (name, [first, last], step, calendar) => {
    const extent = await extentOf(`calendars/${name}`);
    expect(extent).toMatchObject({ min: first, max: last, first, last, monotonic: true, step, calendar });
  });

  it("noleap and all_leap land on the dates their calendars have", async () => {
    const noleap = await gql(
      app,
      `{ catalog(name: "cf") { node(path: "calendars/noleap") { ... on ZarrArray { values { data } } } } }`,
    );
    expect(noleap.data.catalog.node.values.data).toEqual([729635, 729666, 729694, 729725]);
    const leap = await extentOf("calendars/all_leap");
    expect(leap.count).toBe(3);
  });

  it("datetime64 arrays give dates at their resolution and a duration step", async () => {
    expect(await extentOf("calendars/datetime64")).toEqual({
      min: "2000-01-01T00:00:00.000000000",
      max: "2000-01-02T00:00:00.000000000",
      first: "2000-01-01T00:00:00.000000000",
      last: "2000-01-02T00:00:00.000000000",
      count: 5,
      missing: 0,
      monotonic: true,
      step: "PT6H",
      units: null,
      calendar: "proleptic_gregorian",
    });
  });
});

describe("missing values, steps and order", () => {
  it("NaN is missing and keeps its place: the step holds across it", async () => {
    expect(await extentOf("calendars/gaps")).toMatchObject({
      count: 4,
      missing: 1,
      first: "2000-01-01T00:00:00",
      last: "2000-01-04T00:00:00",
      step: "P1D",
      calendar: "standard",
    });
  });

  it("elements equal to the fill value are missing and left out of min and max", async () => {
    expect(await extentOf("calendars/fill")).toEqual({
      min: 10,
      max: 60,
      first: 10,
      last: 60,
      count: 6,
      missing: 2,
      monotonic: true,
      step: 10,
      units: "m",
      calendar: null,
    });
  });

  it("an irregular coordinate has no step; an unsorted one is not monotonic", async () => {
    expect(await extentOf("calendars/irregular")).toMatchObject({ monotonic: true, step: null, min: 1, max: 8 });
    expect(await extentOf("calendars/unsorted")).toMatchObject({
      monotonic: false,
      step: null,
      min: 1,
      max: 3,
      first: 3,
      last: 2,
    });
  });

  it("complex numbers have a first and a last but no order", async () => {
    expect(await extentOf("calendars/complex")).toMatchObject({
      count: 4,
      missing: 2,
      first: [1, 2],
      last: [3, -1],
      min: null,
      max: null,
      monotonic: false,
      step: null,
    });
  });

  it("strings have a lexical min and max", async () => {
    expect(await extentOf("calendars/names")).toMatchObject({
      min: "a",
      max: "c",
      first: "b",
      last: "c",
      monotonic: false,
    });
  });
});

describe("the bundled example", () => {
  it("shows its coordinates' extents (hourly 2023, a 0.25 degree grid; the sample's noleap months)", async () => {
    const example = createApp({
      catalogs: [fileCatalog("climate", path.join(import.meta.dirname, "..", "example", "climate.zarr"))],
    });
    const result = await gql(
      example,
      `{ catalog(name: "climate") {
        root { ... on ZarrGroup { dimensions { name size extent { first last step calendar missing } } } }
        sample: node(path: "sample") { ... on ZarrGroup { dimensions { name extent { first last calendar } } } }
      } }`,
    );
    expect(result.errors).toBeUndefined();
    const root = Object.fromEntries(result.data.catalog.root.dimensions.map((d: any) => [d.name, d]));
    expect(root.time).toEqual({
      name: "time",
      size: 8760,
      extent: {
        first: "2023-01-01T00:00:00",
        last: "2023-12-31T23:00:00",
        step: "PT1H",
        calendar: "proleptic_gregorian",
        missing: 0,
      },
    });
    expect(root.lat.extent).toMatchObject({ first: 90, last: -90, step: -0.25 });
    expect(root.lon.extent).toMatchObject({ first: 0, last: 359.75, step: 0.25 });
    const sample = Object.fromEntries(result.data.catalog.sample.dimensions.map((d: any) => [d.name, d.extent]));
    expect(sample.time).toEqual({ first: "2000-01-01T00:00:00", last: "2000-04-01T00:00:00", calendar: "noleap" });
  });
});
