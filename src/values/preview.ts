import { BadInputError } from "../hierarchy/errors.js";
import type { ValuesBudget } from "./budget.js";
import { isMissing } from "./elements.js";
import type { OpenedArray } from "./open.js";
import { type Limit, planRead, readPlan } from "./read.js";
import { type DimRange, type DimSelection, resolveSelection } from "./selection.js";

export interface PreviewOptions {
  selection?: readonly DimSelection[] | null;
  width?: number | null;
  height?: number | null;
  colormap?: string | null;
  min?: number | null;
  max?: number | null;
}

export interface Preview {
  mimeType: string;
  width: number;
  height: number;
  dataUrl: string;
  /** The values the colormap's ends stand for. */
  min: number;
  max: number;
}

/** The largest image side a preview draws. */
export const MAX_PREVIEW_SIDE = 4096;

const PREVIEWABLE = new Set(["int", "float", "bool", "datetime", "timedelta"]);

function side(value: number | null | undefined, name: string): number {
  const n = value ?? 256;
  if (!Number.isInteger(n) || n < 1 || n > MAX_PREVIEW_SIDE) {
    throw new BadInputError(`${name} must be an integer from 1 to ${MAX_PREVIEW_SIDE}, got ${n}`, { argument: name });
  }
  return n;
}

/**
 * The 2-D slice a preview draws: the last two dimensions unless the selection says otherwise,
 * every other dimension at index 0 unless selected.
 */
function sliceOf(array: OpenedArray, selection: readonly DimSelection[] | null | undefined): DimRange[] {
  const ndim = array.shape.length;
  if (ndim < 2)
    throw new BadInputError("a preview needs an array of at least two dimensions", { argument: "selection" });
  const given = [...(selection ?? [])];
  const filled = array.shape.map((_, d) => given[d] ?? (d < ndim - 2 ? { index: 0 } : {}));
  const ranges = resolveSelection(filled, array.shape);
  if (ranges.filter((r) => !r.drop).length !== 2) {
    throw new BadInputError(
      "a preview's selection must leave exactly two dimensions as slices (give the others an index)",
      {
        argument: "selection",
      },
    );
  }
  return ranges;
}

/**
 * A 2-D slice as a PNG: strided evenly on both axes until it fits `width` × `height` (so only
 * the chunks the stride touches are read), colour-mapped between `min` and `max` (by default the
 * slice's own range), missing values transparent.
 */
export async function renderPreview(
  array: OpenedArray,
  options: PreviewOptions,
  budget: ValuesBudget,
  limit: Limit,
): Promise<Preview> {
  const width = side(options.width, "width");
  const height = side(options.height, "height");
  // The PNG encoder and the colormap tables load with the first preview, not with the server.
  const [{ encode }, { colormapTable }] = await Promise.all([import("fast-png"), import("./colormaps.js")]);
  const table = colormapTable(options.colormap ?? "viridis");
  if (!PREVIEWABLE.has(array.type.kind)) {
    throw new BadInputError(`a ${array.type.name} array cannot be drawn; previews take numbers, booleans and times`, {
      argument: "preview",
    });
  }
  const ranges = sliceOf(array, options.selection);
  const [rows, columns] = ranges.filter((r) => !r.drop);
  const stride = Math.max(1, Math.ceil(rows.count / height), Math.ceil(columns.count / width));
  for (const range of [rows, columns]) {
    range.step *= stride;
    range.count = Math.ceil(range.count / stride);
  }
  const plan = planRead(array, ranges);
  const [h, w] = plan.shape;
  if (h * w === 0) throw new BadInputError("the preview's slice is empty", { argument: "selection" });
  const values = new Float64Array(h * w).fill(Number.NaN);
  const missing = isMissing(array.type, array.fill);
  await readPlan(array, plan, budget, limit, (value, position) => {
    if (!missing(value)) values[position] = Number(value);
  });
  let low = options.min ?? Number.POSITIVE_INFINITY;
  let high = options.max ?? Number.NEGATIVE_INFINITY;
  if (options.min === undefined || options.min === null || options.max === undefined || options.max === null) {
    for (const v of values) {
      if (!Number.isFinite(v)) continue;
      if ((options.min ?? null) === null && v < low) low = v;
      if ((options.max ?? null) === null && v > high) high = v;
    }
  }
  if (!Number.isFinite(low) || !Number.isFinite(high))
    low = high = Number.isFinite(low) ? low : Number.isFinite(high) ? high : 0;
  const rgba = new Uint8Array(h * w * 4);
  const span = high - low;
  for (let p = 0; p < values.length; p++) {
    const v = values[p];
    if (Number.isNaN(v)) continue; // transparent
    const t = span > 0 ? Math.min(1, Math.max(0, (v - low) / span)) : 0.5;
    const k = Math.round(t * 255) * 3;
    rgba.set([table[k], table[k + 1], table[k + 2], 255], p * 4);
  }
  const png = encode({ width: w, height: h, data: rgba, channels: 4, depth: 8 });
  return {
    mimeType: "image/png",
    width: w,
    height: h,
    dataUrl: `data:image/png;base64,${Buffer.from(png).toString("base64")}`,
    min: low,
    max: high,
  };
}
