const numbers = new Intl.NumberFormat("en-US");

/** 1440 -> "1,440"; strings (int64 beyond 2^53 arrive as exact strings) as they are. */
export function formatNumber(n: number | string): string {
  return typeof n === "number" ? numbers.format(n) : n;
}

/** [720, 1440] -> "720 × 1440". */
export function formatShape(shape: readonly (number | string)[]): string {
  return shape.length === 0 ? "scalar ()" : shape.map(formatNumber).join(" × ");
}

/** A JSON value on one line: strings as they are, the rest as JSON. */
export function formatValue(value: unknown): string {
  return typeof value === "string" ? value : JSON.stringify(value);
}

/** How many of `inner` fit along each dimension of `outer`, rounding up: the grid's size. */
export function gridShape(outer: readonly number[], inner: readonly number[]): number[] {
  return outer.map((n, i) => Math.ceil(n / inner[i]));
}

export function product(values: readonly number[]): number {
  return values.reduce((a, b) => a * b, 1);
}
