import type { ZarrNodeRef } from "../hierarchy/session.js";
import { arrayExtent, arrayPreview, arrayValues, type Dimension, groupDimensions } from "../resolvers/values.js";
import type { Extent } from "../values/extent.js";
import type { Preview } from "../values/preview.js";
import type { ArrayValues } from "../values/values.js";
import { builder } from "./builder.js";
import { EXTENT_COST, previewComplexity, valuesComplexity } from "./complexity.js";
import { ZarrArray } from "./zarr-array.js";
import { ZarrGroup } from "./zarr-group.js";

export const DimSelectionInput = builder.inputType("DimSelection", {
  description:
    "One dimension of a selection: an index (drops the dimension) or a slice start:stop:step with Python's rules (non-negative, step >= 1; omitted parts take the whole dimension).",
  fields: (t) => ({
    index: t.field({ type: "SafeInt", required: false }),
    start: t.field({ type: "SafeInt", required: false }),
    stop: t.field({ type: "SafeInt", required: false }),
    step: t.field({ type: "SafeInt", required: false }),
  }),
});

const ArrayValuesRef = builder.objectRef<ArrayValues>("ArrayValues").implement({
  description: "Selected elements as nested lists (one level per dimension of shape).",
  fields: (t) => ({
    shape: t.field({ type: ["SafeInt"], resolve: (v) => v.shape }),
    dataType: t.exposeString("dataType", {
      description:
        '"float32", "int64", "bool", "datetime64[ns]", "complex64", "S8" (bytes), "U10", "string", "object".',
    }),
    data: t.field({
      type: "JSON",
      description:
        'Numbers ("NaN", "Infinity", "-Infinity" by name; integers beyond 2^53 as exact strings), booleans, datetime64 as ISO 8601 at the array\'s resolution, timedelta64 as ISO 8601 durations, bytes as base64, complex as [re, im].',
      resolve: (v) => v.data,
    }),
  }),
});

const ExtentRef = builder.objectRef<Extent>("Extent").implement({
  description:
    'What a one-dimensional (coordinate) array covers. CF time coordinates (units "<unit> since <date>") and datetime64 arrays give ISO 8601 dates in min/max/first/last and a duration in step.',
  fields: (t) => ({
    min: t.field({ type: "JSON", nullable: true, description: "Least non-missing value.", resolve: (e) => e.min }),
    max: t.field({ type: "JSON", nullable: true, description: "Greatest non-missing value.", resolve: (e) => e.max }),
    first: t.field({ type: "JSON", nullable: true, description: "First non-missing value.", resolve: (e) => e.first }),
    last: t.field({ type: "JSON", nullable: true, description: "Last non-missing value.", resolve: (e) => e.last }),
    count: t.field({ type: "SafeInt", description: "Elements.", resolve: (e) => e.count }),
    missing: t.field({
      type: "SafeInt",
      description: "Elements equal to the fill value, or NaN / NaT.",
      resolve: (e) => e.missing,
    }),
    monotonic: t.boolean({
      description: "Non-missing values strictly increase or strictly decrease.",
      resolve: (e) => e.monotonic,
    }),
    step: t.field({
      type: "JSON",
      nullable: true,
      description: "The constant difference between neighbours when there is one (missing elements keep their places).",
      resolve: (e) => e.step,
    }),
    units: t.string({ nullable: true, description: "The array's units attribute.", resolve: (e) => e.units }),
    calendar: t.string({
      nullable: true,
      description: "The calendar of a time coordinate.",
      resolve: (e) => e.calendar,
    }),
  }),
});

const PreviewRef = builder.objectRef<Preview>("Preview").implement({
  description: "A 2-D slice drawn as an image.",
  fields: (t) => ({
    mimeType: t.exposeString("mimeType"),
    width: t.exposeInt("width"),
    height: t.exposeInt("height"),
    dataUrl: t.exposeString("dataUrl"),
    min: t.float({ description: "The value the colormap's first colour stands for.", resolve: (p) => p.min }),
    max: t.float({ description: "The value the colormap's last colour stands for.", resolve: (p) => p.max }),
  }),
});

const DimensionRef = builder.objectRef<Dimension>("Dimension").implement({
  description: "A dimension name used by a group's arrays (xarray's / CF's view).",
  fields: (t) => ({
    name: t.exposeString("name"),
    size: t.field({ type: "SafeInt", resolve: (d) => d.size }),
    coordinate: t.field({
      type: ZarrArray,
      nullable: true,
      description: "The group's one-dimensional array of the same name.",
      resolve: (d) => d.coordinate as ZarrNodeRef | null,
    }),
    extent: t.field({
      type: ExtentRef,
      nullable: true,
      complexity: EXTENT_COST,
      resolve: (d, _args, ctx) => (d.coordinate ? arrayExtent(d.coordinate, ctx) : null),
    }),
  }),
});

const selectionArg = (t: any) => t.arg({ type: [DimSelectionInput], required: false });

builder.objectFields(ZarrArray, (t) => ({
  values: t.field({
    type: ArrayValuesRef,
    nullable: true,
    description:
      "Selected elements (no selection: all of them). LIMIT_EXCEEDED past maxElements or the request's limits, before any chunk is read.",
    args: {
      selection: selectionArg(t),
      maxElements: t.arg.int({ required: false, defaultValue: 10_000 }),
    },
    complexity: (args) => valuesComplexity(args),
    resolve: (n, args, ctx) => arrayValues(n, args as never, ctx),
  }),
  extent: t.field({
    type: ExtentRef,
    nullable: true,
    description: "For one-dimensional arrays (coordinates); null for others.",
    complexity: EXTENT_COST,
    resolve: (n, _args, ctx) => arrayExtent(n, ctx),
  }),
  preview: t.field({
    type: PreviewRef,
    nullable: true,
    description:
      "A 2-D slice (the last two dimensions; the others at index 0 unless selected), strided to fit width x height, as a PNG.",
    args: {
      selection: selectionArg(t),
      width: t.arg.int({ required: false, defaultValue: 256 }),
      height: t.arg.int({ required: false, defaultValue: 256 }),
      colormap: t.arg.string({ required: false, defaultValue: "viridis" }),
      min: t.arg.float({ required: false }),
      max: t.arg.float({ required: false }),
    },
    complexity: (args) => previewComplexity(args),
    resolve: (n, args, ctx) => arrayPreview(n, args as never, ctx),
  }),
}));

builder.objectFields(ZarrGroup, (t) => ({
  dimensions: t.field({
    type: [DimensionRef],
    description:
      "Each dimension name the group's arrays use, with its size and its coordinate (the child array of that name, one-dimensional).",
    resolve: (n) => groupDimensions(n),
  }),
}));
