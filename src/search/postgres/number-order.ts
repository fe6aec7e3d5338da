import type { Decimal } from "../values.js";

/**
 * Numbers as texts whose byte order is their numeric order, for range tests in SQL without
 * casting document values to numeric (which fails on some JSON numbers and would fail the
 * whole query). NaN has none: it is never ordered.
 *
 * -Infinity "0" < negatives "1…~" < zero "2" < positives "3…" < Infinity "4". A positive is its
 * decimal point position (an integer, see `integerKey`) then its digits; a negative is the same
 * with every digit complemented (9 - d), ended by "~" so that a longer run of digits orders first.
 */
export function numberOrderKey(d: Decimal): string | null {
  if (!d.finite) return d.nan ? null : d.sign < 0 ? "0" : "4";
  if (d.sign === 0) return "2";
  const magnitude = integerKey(d.digits.length + d.exp) + d.digits;
  return d.sign > 0 ? `3${magnitude}` : `1${complement(magnitude)}~`;
}

function complement(digits: string): string {
  let out = "";
  for (const ch of digits) out += String(9 - Number(ch));
  return out;
}

/** An integer as decimal characters in order: sign, two-digit length, digits (complemented below zero). */
function integerKey(n: number): string {
  const text = String(Math.abs(n));
  const body = String(text.length).padStart(2, "0") + text;
  return n >= 0 ? `5${body}` : `4${complement(body)}`;
}
