import { LimitExceededError } from "../hierarchy/errors.js";
import type { ValuesBudget } from "./budget.js";
import { elementJson } from "./elements.js";
import type { OpenedArray } from "./open.js";
import { type Limit, planRead, readPlan } from "./read.js";
import { type DimSelection, resolveSelection } from "./selection.js";

export interface ArrayValues {
  shape: number[];
  dataType: string;
  /** Nested lists, one level per dimension of `shape`; the element itself for a 0-d result. */
  data: unknown;
}

/** Flat C-order values into nested lists of `shape`. */
function nest(flat: unknown[], shape: number[]): unknown {
  if (shape.length === 0) return flat[0];
  const build = (dim: number, offset: number, stride: number): unknown[] => {
    const length = shape[dim];
    const inner = stride / length;
    return dim === shape.length - 1
      ? flat.slice(offset, offset + length)
      : Array.from({ length }, (_, i) => build(dim + 1, offset + i * inner, inner));
  };
  return build(0, 0, flat.length);
}

/**
 * The selected elements, as JSON. Refused with LIMIT_EXCEEDED ("maxElements", the field's own
 * bound, or the request's limits) before any chunk is read.
 */
export async function readValues(
  array: OpenedArray,
  selection: readonly DimSelection[] | null | undefined,
  maxElements: number,
  budget: ValuesBudget,
  limit: Limit,
): Promise<ArrayValues> {
  const plan = planRead(array, resolveSelection(selection, array.shape));
  if (plan.elements > maxElements) {
    throw new LimitExceededError(
      "maxElements",
      maxElements,
      plan.elements,
      `the selection has ${plan.elements} elements, more than maxElements (${maxElements}); narrow it or raise maxElements`,
    );
  }
  const flat = new Array<unknown>(plan.elements);
  const toJson = elementJson(array.type);
  await readPlan(
    array,
    plan,
    budget,
    limit,
    (value, position) => {
      flat[position] = toJson(value);
    },
    plan.elements,
  );
  return { shape: plan.shape, dataType: array.type.name, data: nest(flat, plan.shape) };
}
