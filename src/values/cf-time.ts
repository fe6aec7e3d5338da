import {
  astronomicalYear,
  type Calendar,
  dateFromDays,
  daysFromDate,
  displayYear,
  isValidDate,
  parseCalendar,
} from "./calendars.js";
import { formatYear } from "./datetime64.js";
import { formatDuration } from "./durations.js";

/**
 * CF time coordinates (`units: "days since 1900-01-01"`, `calendar: "noleap"`): numbers of a
 * unit since a reference date, decoded as cftime decodes them (to the microsecond).
 */
export interface CfTime {
  /** The unit in microseconds. */
  unitMicros: number;
  calendar: Calendar;
  /** The reference instant, in UTC: its day number in the calendar and microseconds into that day. */
  refDays: number;
  refMicros: number;
}

const MICROS_PER_DAY = 86_400_000_000;

const UNITS: Record<string, number> = {};
for (const [micros, names] of [
  [1, ["microseconds", "microsecond", "us", "usec", "usecs"]],
  [1_000, ["milliseconds", "millisecond", "ms", "msec", "msecs"]],
  [1_000_000, ["seconds", "second", "sec", "secs", "s"]],
  [60_000_000, ["minutes", "minute", "min", "mins"]],
  [3_600_000_000, ["hours", "hour", "hr", "hrs", "h"]],
  [MICROS_PER_DAY, ["days", "day", "d"]],
] as const) {
  for (const name of names) UNITS[name] = micros;
}

const REFERENCE =
  /^(-?\d{1,6})-(\d{1,2})-(\d{1,2})(?:(?:T|\s+)(\d{1,2}):(\d{1,2})(?::(\d{1,2})(?:\.(\d+))?)?)?\s*(Z|UTC|GMT|[+-]\d{1,2}(?::?\d{2})?)?$/i;

/**
 * The CF time encoding of `units` in `calendar`, or undefined when the units are not
 * "<unit> since <date>" with a unit from microseconds to days, the calendar is not one of CF's,
 * or the date does not exist in it (2001-02-30 outside 360_day).
 */
export function parseCfTime(units: unknown, calendarName: unknown): CfTime | undefined {
  if (typeof units !== "string") return undefined;
  const match = /^\s*([A-Za-z]+)\s+since\s+(.+?)\s*$/i.exec(units);
  if (!match) return undefined;
  const unitMicros = UNITS[match[1].toLowerCase()];
  const calendar = parseCalendar(calendarName);
  const ref = REFERENCE.exec(match[2]);
  if (unitMicros === undefined || !calendar || !ref) return undefined;
  const [, y, mo, d, h = "0", mi = "0", s = "0", fraction = "", zone] = ref;
  const written = { year: Number(y), month: Number(mo), day: Number(d) };
  if (!isValidDate(calendar, { ...written, year: astronomicalYear(calendar, written.year) })) return undefined;
  if (Number(h) > 23 || Number(mi) > 59 || Number(s) > 60) return undefined;
  let offsetMinutes = 0;
  if (zone && /^[+-]/.test(zone)) {
    const [, sign, hours, minutes = "0"] = /^([+-])(\d{1,2}):?(\d{2})?$/.exec(zone)!;
    offsetMinutes = (sign === "-" ? -1 : 1) * (Number(hours) * 60 + Number(minutes));
  }
  const micros =
    ((Number(h) * 60 + Number(mi) - offsetMinutes) * 60 + Number(s)) * 1_000_000 +
    Number(fraction.slice(0, 6).padEnd(6, "0"));
  const dayShift = Math.floor(micros / MICROS_PER_DAY);
  return {
    unitMicros,
    calendar,
    refDays: daysFromDate(calendar, { ...written, year: astronomicalYear(calendar, written.year) }) + dayShift,
    refMicros: micros - dayShift * MICROS_PER_DAY,
  };
}

const two = (n: number) => String(n).padStart(2, "0");

/** The instant `value` units after the reference, as ISO 8601 (`2000-01-16T12:00:00`); null for NaN. */
export function formatCfTime(time: CfTime, value: number): string | null {
  if (!Number.isFinite(value)) return null;
  const total = time.refMicros + Math.round(value * time.unitMicros);
  const days = Math.floor(total / MICROS_PER_DAY);
  let within = total - days * MICROS_PER_DAY;
  const { year, month, day } = dateFromDays(time.calendar, time.refDays + days);
  const micro = within % 1_000_000;
  within = (within - micro) / 1_000_000;
  const clock = `${two(Math.floor(within / 3600))}:${two(Math.floor(within / 60) % 60)}:${two(within % 60)}`;
  const fraction = micro ? `.${String(micro).padStart(6, "0")}` : "";
  return `${formatYear(displayYear(time.calendar, year))}-${two(month)}-${two(day)}T${clock}${fraction}`;
}

/** A span of `value` units as an ISO 8601 duration (to the microsecond). */
export function cfDuration(time: CfTime, value: number): string {
  return formatDuration(BigInt(Math.round(value * time.unitMicros)) * 1_000_000_000_000n);
}
