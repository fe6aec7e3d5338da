// Previews: a 2-D slice strided to fit, colour-mapped, missing values transparent, PNG. Pixels are
// checked against matplotlib's published viridis ends (#440154, #fde725) and gray's (black, white),
// after decoding the PNG with fast-png.
import { decode } from "fast-png";
import { describe, expect, it } from "vitest";
import { MemoryStore } from "../src/stores/memory.js";
import { catalog, createApp, gql } from "./support/app.js";

/** A format 2 float32 array of `shape` in `chunks`, element (i, j[, k]) = f(i, j, k), raw chunks. */
function array(
  name: string,
  shape: number[],
  chunks: number[],
  f: (...index: number[]) => number,
  fill: unknown = "NaN",
) {
  const objects: Record<string, string | Uint8Array> = {
    [`${name}/.zarray`]: JSON.stringify({
      zarr_format: 2,
      shape,
      chunks,
      dtype: "<f4",
      compressor: null,
      fill_value: fill,
      filters: null,
      order: "C",
    }),
  };
  const grid = shape.map((n, d) => Math.ceil(n / chunks[d]));
  const each = (dims: number[], at: number[], visit: (index: number[]) => void): void => {
    if (at.length === dims.length) {
      visit(at);
      return;
    }
    for (let i = 0; i < dims[at.length]; i++) each(dims, [...at, i], visit);
  };
  each(grid, [], (chunk) => {
    const data = new Float32Array(chunks.reduce((a, b) => a * b, 1));
    let k = 0;
    each(chunks, [], (local) => {
      const index = local.map((l, d) => chunk[d] * chunks[d] + l);
      data[k++] = index.every((x, d) => x < shape[d]) ? f(...index) : 0;
    });
    objects[`${name}/${chunk.join(".")}`] = new Uint8Array(data.buffer);
  });
  return objects;
}

const store = new MemoryStore("memory://preview", {
  ".zgroup": JSON.stringify({ zarr_format: 2 }),
  ...array("ramp", [100, 80], [10, 10], (i, j) => i * 80 + j),
  ...array("tall", [200, 10], [10, 10], (i) => i),
  ...array("holes", [4, 4], [2, 2], (i, j) => (i === j ? Number.NaN : i + j)),
  ...array("cube", [3, 4, 4], [1, 4, 4], (t, i, j) => t * 100 + i * 4 + j),
  ...array("line", [10], [5], (i) => i),
});
const app = createApp({ catalogs: [catalog("p", store)] });

async function preview(path: string, args = "") {
  const result = await gql(
    app,
    `{ catalog(name: "p") { node(path: "${path}") { ... on ZarrArray { preview${args} { mimeType width height dataUrl min max } } } } }`,
  );
  const p = result.data?.catalog.node.preview;
  const image = p ? decode(Buffer.from(p.dataUrl.slice("data:image/png;base64,".length), "base64")) : undefined;
  return { result, p, image };
}

function pixel(image: ReturnType<typeof decode>, row: number, column: number): number[] {
  const at = (row * image.width + column) * image.channels;
  return Array.from(image.data.slice(at, at + image.channels));
}

const VIRIDIS_FIRST = [68, 1, 84, 255];
const VIRIDIS_LAST = [253, 231, 37, 255];

describe("preview", () => {
  it("strides a 2-D array evenly to fit, keeping its aspect, and maps its range onto viridis", async () => {
    const { p, image } = await preview("ramp", "(width: 20, height: 20)");
    // 100 x 80 strided by 5 (the larger of 100/20 and 80/20) on both axes.
    expect(p).toMatchObject({ mimeType: "image/png", width: 16, height: 20, min: 0, max: 95 * 80 + 75 });
    expect(p.dataUrl.startsWith("data:image/png;base64,")).toBe(true);
    expect([image!.width, image!.height, image!.channels]).toEqual([16, 20, 4]);
    expect(pixel(image!, 0, 0)).toEqual(VIRIDIS_FIRST);
    expect(pixel(image!, 19, 15)).toEqual(VIRIDIS_LAST);
  });

  it("maps between the min and max given, clamping beyond them, with the colormap named", async () => {
    const { p, image } = await preview("ramp", '(width: 8, height: 10, min: 100, max: 200, colormap: "gray")');
    expect(p).toMatchObject({ min: 100, max: 200, width: 8, height: 10 });
    expect(pixel(image!, 0, 0)).toEqual([0, 0, 0, 255]); // 0 is below min: black
    expect(pixel(image!, 9, 7)).toEqual([255, 255, 255, 255]); // far above max: white
  });

  it("leaves missing values transparent", async () => {
    const { image } = await preview("holes");
    expect(pixel(image!, 0, 0)[3]).toBe(0);
    expect(pixel(image!, 3, 3)[3]).toBe(0);
    expect(pixel(image!, 0, 1)[3]).toBe(255);
  });

  it("reads only the chunks its stride touches", async () => {
    const base = (await gql(app, `{ catalog(name: "p") { node(path: "tall") { path } } }`)).extensions!.io!.gets;
    const { result, p } = await preview("tall", "(width: 10, height: 10)");
    // 200 rows strided by 20: rows 0, 20, ..., 180 lie in chunks 0, 2, ..., 18: 10 of the 20.
    expect(p).toMatchObject({ width: 1, height: 10 });
    expect(result.extensions!.io!.gets - base).toBe(10);
  });

  it("draws the last two dimensions of a 3-D array at index 0 of the others, or as selected", async () => {
    const first = await preview("cube");
    const second = await preview("cube", "(selection: [{index: 2}])");
    expect(first.p).toMatchObject({ width: 4, height: 4, min: 0, max: 15 });
    expect(second.p).toMatchObject({ width: 4, height: 4, min: 200, max: 215 });
    const rows = await preview("cube", "(selection: [{}, {index: 1}])");
    expect(rows.p).toMatchObject({ width: 4, height: 3, min: 4, max: 207 });
  });

  it("refuses what it cannot draw, each with BAD_USER_INPUT", async () => {
    for (const [path, args, message] of [
      ["line", "", /two dimensions/],
      ["ramp", '(colormap: "sunset")', /unknown colormap "sunset"; known: viridis/],
      ["ramp", "(width: 0)", /width/],
      ["cube", "(selection: [{}, {}, {}])", /exactly two dimensions/],
    ] as const) {
      const { result } = await preview(path, args);
      expect(result.errors![0].extensions!.code).toBe("BAD_USER_INPUT");
      expect(result.errors![0].message).toMatch(message);
    }
  });
});
