import type { DateUnit } from "./numpy-dtype.js";

/** Attoseconds in each datetime64 unit below a month (years and months have no fixed length). */
export const ATTOSECONDS: Record<Exclude<DateUnit, "Y" | "M">, bigint> = {
  W: 604_800n * 10n ** 18n,
  D: 86_400n * 10n ** 18n,
  h: 3_600n * 10n ** 18n,
  m: 60n * 10n ** 18n,
  s: 10n ** 18n,
  ms: 10n ** 15n,
  us: 10n ** 12n,
  ns: 10n ** 9n,
  ps: 10n ** 6n,
  fs: 10n ** 3n,
  as: 1n,
};

/** An exact span in attoseconds as an ISO 8601 duration: days, hours, minutes, seconds (`P1DT6H`, `-PT0.5S`). */
export function formatDuration(attoseconds: bigint): string {
  const negative = attoseconds < 0n;
  let rest = negative ? -attoseconds : attoseconds;
  const second = 10n ** 18n;
  const days = rest / (86_400n * second);
  rest %= 86_400n * second;
  const hours = rest / (3_600n * second);
  rest %= 3_600n * second;
  const minutes = rest / (60n * second);
  rest %= 60n * second;
  const seconds = rest / second;
  const fraction = String(rest % second)
    .padStart(18, "0")
    .replace(/0+$/, "");
  let time = "";
  if (hours) time += `${hours}H`;
  if (minutes) time += `${minutes}M`;
  if (seconds || fraction) time += `${seconds}${fraction ? `.${fraction}` : ""}S`;
  const body = `${days ? `${days}D` : ""}${time ? `T${time}` : ""}` || "T0S";
  return `${negative ? "-" : ""}P${body}`;
}
