import { gregorianDate } from "./calendars.js";
import type { DateUnit } from "./numpy-dtype.js";

/**
 * numpy's datetime64 and timedelta64 as text. Datetimes print as `numpy.datetime_as_string`
 * does, at the array's own resolution (`2000-01-01`, `2000-01-01T06`, `...T00:00:00.000000001`);
 * NaT as "NaT". Timedeltas print as ISO 8601 durations in the array's unit (`PT30S`, `P2D`).
 */

const NAT = -(2n ** 63n);

/** Length of each sub-day unit in attoseconds' powers: how many of it make a day, and its digits after the second. */
const SUB_DAY: Partial<Record<DateUnit, { perDay: bigint; fraction: number }>> = {
  h: { perDay: 24n, fraction: -2 },
  m: { perDay: 1440n, fraction: -1 },
  s: { perDay: 86_400n, fraction: 0 },
  ms: { perDay: 86_400_000n, fraction: 3 },
  us: { perDay: 86_400_000_000n, fraction: 6 },
  ns: { perDay: 86_400_000_000_000n, fraction: 9 },
  ps: { perDay: 86_400_000_000_000_000n, fraction: 12 },
  fs: { perDay: 86_400_000_000_000_000_000n, fraction: 15 },
  as: { perDay: 86_400_000_000_000_000_000_000n, fraction: 18 },
};

/** Floor division and its non-negative remainder. */
function divmod(a: bigint, b: bigint): [bigint, bigint] {
  let q = a / b;
  let r = a % b;
  if (r < 0n) {
    q -= 1n;
    r += b;
  }
  return [q, r];
}

/** A year as numpy prints it: at least four characters, the sign among them (-5 is "-005"). */
export function formatYear(year: number): string {
  return year < 0 ? `-${String(-year).padStart(3, "0")}` : String(year).padStart(4, "0");
}

const two = (n: number | bigint) => String(n).padStart(2, "0");

export function formatDate(days: number): string {
  const { year, month, day } = gregorianDate(days);
  return `${formatYear(year)}-${two(month)}-${two(day)}`;
}

export function formatDatetime64(value: bigint, unit: { name: DateUnit; count: number }): string {
  if (value === NAT) return "NaT";
  const count = value * BigInt(unit.count);
  switch (unit.name) {
    case "Y":
      return formatYear(1970 + Number(count));
    case "M": {
      const [years, month] = divmod(count, 12n);
      return `${formatYear(1970 + Number(years))}-${two(month + 1n)}`;
    }
    case "W":
      return formatDate(Number(count * 7n));
    case "D":
      return formatDate(Number(count));
  }
  const { perDay, fraction } = SUB_DAY[unit.name]!;
  const [days, within] = divmod(count, perDay);
  const date = formatDate(Number(days));
  // Split the time of day into hours, minutes, seconds and the digits below a second.
  const perSecond = fraction > 0 ? 10n ** BigInt(fraction) : 1n;
  const perMinute = fraction === -2 ? 0n : fraction === -1 ? 1n : 60n * perSecond;
  if (fraction === -2) return `${date}T${two(within)}`;
  const [hours, rest] = divmod(within, 60n * perMinute);
  if (fraction === -1) return `${date}T${two(hours)}:${two(rest)}`;
  const [minutes, secondsPart] = divmod(rest, perMinute);
  const [seconds, below] = divmod(secondsPart, perSecond);
  const time = `${two(hours)}:${two(minutes)}:${two(seconds)}`;
  return fraction > 0 ? `${date}T${time}.${String(below).padStart(fraction, "0")}` : `${date}T${time}`;
}

const DURATION_UNITS: Record<DateUnit, [designator: string, timePart: boolean, scale?: number]> = {
  Y: ["Y", false],
  M: ["M", false],
  W: ["W", false],
  D: ["D", false],
  h: ["H", true],
  m: ["M", true],
  s: ["S", true],
  ms: ["S", true, 3],
  us: ["S", true, 6],
  ns: ["S", true, 9],
  ps: ["S", true, 12],
  fs: ["S", true, 15],
  as: ["S", true, 18],
};

/** A count of a unit as an ISO 8601 duration in that unit (`-PT3.5S` for -3500 ms). */
export function formatTimedelta64(value: bigint, unit: { name: DateUnit; count: number }): string {
  if (value === NAT) return "NaT";
  const count = value * BigInt(unit.count);
  const negative = count < 0n;
  const magnitude = negative ? -count : count;
  const [designator, timePart, scale] = DURATION_UNITS[unit.name];
  let number = String(magnitude);
  if (scale) {
    const [whole, below] = divmod(magnitude, 10n ** BigInt(scale));
    const digits = String(below).padStart(scale, "0").replace(/0+$/, "");
    number = digits ? `${whole}.${digits}` : String(whole);
  }
  return `${negative ? "-" : ""}P${timePart ? "T" : ""}${number}${designator}`;
}
