import type { ValuesBudget } from "./budget.js";
import { type CfTime, cfDuration, formatCfTime, parseCfTime } from "./cf-time.js";
import { formatDatetime64 } from "./datetime64.js";
import { ATTOSECONDS, formatDuration } from "./durations.js";
import { type Element, elementJson, isMissing, numberJson } from "./elements.js";
import type { OpenedArray } from "./open.js";
import { type Limit, planRead, readPlan } from "./read.js";
import { resolveSelection } from "./selection.js";

/** What a coordinate covers (see README "Array values" for each field). */
export interface Extent {
  min: unknown;
  max: unknown;
  first: unknown;
  last: unknown;
  count: number;
  missing: number;
  monotonic: boolean;
  step: unknown;
  units: string | null;
  calendar: string | null;
}

type Value = number | bigint | string | boolean;

/** One chunk's part of the answer, so a chunk's elements need not outlive it. */
interface Summary {
  count: number;
  missing: number;
  min?: Value;
  max?: Value;
  first?: { i: number; v: Value };
  last?: { i: number; v: Value };
  increasing: boolean;
  decreasing: boolean;
  /** The chunk's non-missing values lie on the line through its first and last (see `onLine`). */
  straight: boolean;
}

const ORDERED = new Set(["int", "float", "datetime", "timedelta", "bool", "unicode", "string", "bytes"]);
const NUMERIC = new Set(["int", "float", "datetime", "timedelta"]);

/** Machine epsilon of a float type: how far apart neighbouring values may sit from a straight line. */
function epsilon(name: string): number {
  return name === "float16" ? 2 ** -10 : name === "float32" ? 2 ** -23 : 2 ** -52;
}

/**
 * Whether (i, v) lies on the line through (i0, v0) and (i1, v1): exactly for integers (by
 * cross-multiplication), within rounding for floats (a thousandth of the step, plus a few units
 * in the last place of the values).
 */
function onLine(
  p: { i: number; v: Value },
  a: { i: number; v: Value },
  b: { i: number; v: Value },
  eps: number | null,
): boolean {
  if (b.i === a.i) return p.v === a.v;
  if (eps === null) {
    const [v, v0, v1] = [BigInt(p.v as bigint), BigInt(a.v as bigint), BigInt(b.v as bigint)];
    return (v - v0) * BigInt(b.i - a.i) === (v1 - v0) * BigInt(p.i - a.i);
  }
  const slope = (Number(b.v) - Number(a.v)) / (b.i - a.i);
  const expected = Number(a.v) + slope * (p.i - a.i);
  const tolerance = 1e-3 * Math.abs(slope) + 4 * eps * Math.max(Math.abs(Number(a.v)), Math.abs(Number(b.v)));
  return Math.abs(Number(p.v) - expected) <= tolerance;
}

function comparable(value: Element, kind: string): Value {
  if (kind === "bytes") return Buffer.from(value as Uint8Array).toString("latin1");
  if (kind === "bool") return value ? 1 : 0;
  return value as Value;
}

/**
 * The extent of a one-dimensional array, read chunk by chunk (each chunk summarised, then
 * dropped); null for other arrays. Counts against the request's chunk and byte limits.
 */
export async function computeExtent(array: OpenedArray, budget: ValuesBudget, limit: Limit): Promise<Extent | null> {
  if (array.shape.length !== 1) return null;
  const kind = array.type.kind;
  const units = typeof array.attributes.units === "string" ? array.attributes.units : null;
  const time: CfTime | undefined =
    kind === "int" || kind === "float" ? parseCfTime(units, array.attributes.calendar) : undefined;
  const ordered = ORDERED.has(kind);
  const exact = kind !== "float";
  const eps = exact ? null : epsilon(array.type.name);
  const missing = isMissing(array.type, array.fill);
  const chunkLength = array.chunks[0];
  const plan = planRead(array, resolveSelection(null, array.shape));

  const open = new Map<number, { i: number; v: Value }[] & { missing?: number }>();
  const summaries = new Map<number, Summary>();
  // Kinds without an order (complex, object) keep only their first and last elements as read.
  let rawFirst: { i: number; value: Element } | undefined;
  let rawLast: { i: number; value: Element } | undefined;
  await readPlan(
    array,
    plan,
    budget,
    limit,
    (value, position) => {
      const chunk = Math.floor(position / chunkLength);
      let points = open.get(chunk);
      if (!points) {
        points = Object.assign([], { missing: 0 });
        open.set(chunk, points);
      }
      if (missing(value)) points.missing!++;
      else {
        points.push({ i: position, v: comparable(value, kind) });
        if (!ordered && (!rawFirst || position < rawFirst.i)) rawFirst = { i: position, value };
        if (!ordered && (!rawLast || position > rawLast.i)) rawLast = { i: position, value };
      }
    },
    undefined,
    ([chunk]) => {
      const points = open.get(chunk) ?? Object.assign([], { missing: 0 });
      open.delete(chunk);
      summaries.set(chunk, summarise(points, points.missing ?? 0, ordered, eps));
    },
  );

  const inOrder = [...summaries.keys()].sort((a, b) => a - b).map((k) => summaries.get(k)!);
  const count = plan.elements;
  const missingCount = inOrder.reduce((n, s) => n + s.missing, 0);
  const present = inOrder.filter((s) => s.count > 0);
  const first = present[0]?.first;
  const last = present.at(-1)?.last;
  let increasing = true;
  let decreasing = true;
  let min: Value | undefined;
  let max: Value | undefined;
  for (let k = 0; k < present.length; k++) {
    const s = present[k];
    increasing &&= s.increasing && (k === 0 || present[k - 1].last!.v < s.first!.v);
    decreasing &&= s.decreasing && (k === 0 || present[k - 1].last!.v > s.first!.v);
    if (ordered) {
      if (min === undefined || s.min! < min) min = s.min;
      if (max === undefined || s.max! > max) max = s.max;
    }
  }
  const monotonic = ordered && (increasing || decreasing);
  let step: unknown = null;
  if (monotonic && NUMERIC.has(kind) && first && last && first.i !== last.i) {
    const regular = present.every(
      (s) => s.straight && onLine(s.first!, first, last, eps) && onLine(s.last!, first, last, eps),
    );
    if (regular) step = stepOf(array, first, last, time);
  }
  const show = (v: Value | undefined, original?: Element): unknown => {
    if (v === undefined) return null;
    if (time) return formatCfTime(time, Number(v));
    if (kind === "datetime") return formatDatetime64(v as bigint, array.type.unit!);
    if (kind === "bytes") return Buffer.from(v as string, "latin1").toString("base64");
    if (kind === "bool") return v === 1;
    if (original !== undefined) return elementJson(array.type)(original);
    return elementJson(array.type)(v);
  };
  return {
    min: ordered ? show(min) : null,
    max: ordered ? show(max) : null,
    first: ordered ? show(first?.v) : show(first?.v, rawFirst?.value),
    last: ordered ? show(last?.v) : show(last?.v, rawLast?.value),
    count,
    missing: missingCount,
    monotonic,
    step,
    units,
    calendar: time
      ? typeof array.attributes.calendar === "string"
        ? array.attributes.calendar
        : "standard"
      : kind === "datetime"
        ? "proleptic_gregorian"
        : null,
  };
}

function summarise(points: { i: number; v: Value }[], missing: number, ordered: boolean, eps: number | null): Summary {
  const summary: Summary = {
    count: points.length,
    missing,
    first: points[0],
    last: points.at(-1),
    increasing: true,
    decreasing: true,
    straight: true,
  };
  if (!ordered) return summary;
  for (let k = 0; k < points.length; k++) {
    const v = points[k].v;
    if (summary.min === undefined || v < summary.min) summary.min = v;
    if (summary.max === undefined || v > summary.max) summary.max = v;
    if (k > 0) {
      const previous = points[k - 1].v;
      if (!(previous < v)) summary.increasing = false;
      if (!(previous > v)) summary.decreasing = false;
    }
  }
  if (points.length > 2 && (typeof points[0].v === "number" || typeof points[0].v === "bigint")) {
    summary.straight = points.every((p) => onLine(p, points[0], points.at(-1)!, eps));
  }
  return summary;
}

/** The constant step between neighbours, in the coordinate's own terms (a duration for times). */
function stepOf(
  array: OpenedArray,
  first: { i: number; v: Value },
  last: { i: number; v: Value },
  time?: CfTime,
): unknown {
  const span = last.i - first.i;
  if (array.type.kind === "datetime" || array.type.kind === "timedelta") {
    const unit = array.type.unit!;
    const count = ((last.v as bigint) - (first.v as bigint)) * BigInt(unit.count);
    if (unit.name === "Y" || unit.name === "M") {
      return count % BigInt(span) === 0n ? `P${count / BigInt(span)}${unit.name}` : null;
    }
    return formatDuration((count * ATTOSECONDS[unit.name]) / BigInt(span));
  }
  const difference =
    typeof first.v === "bigint"
      ? Number((last.v as bigint) - first.v) / span
      : (Number(last.v) - Number(first.v)) / span;
  if (time) return cfDuration(time, difference);
  return numberJson(difference);
}
