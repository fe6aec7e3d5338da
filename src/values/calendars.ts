/**
 * Day arithmetic in the CF calendars (CF conventions §4.4.1, as cftime implements them). No
 * maintained JavaScript library covers the non-standard ones (noleap, all_leap, 360_day,
 * julian, the mixed standard calendar), so it is written here, small, and tested against dates
 * worked out independently (test/calendars.test.ts).
 *
 * Dates are counted in days from an epoch of each calendar's own choosing; only differences
 * and the round trip between a day number and a date matter. Years are astronomical (year 0
 * exists) inside this module; `displayYear` turns them into the numbering cftime prints.
 */

export type Calendar = "standard" | "proleptic_gregorian" | "julian" | "noleap" | "all_leap" | "360_day";

const ALIASES: Record<string, Calendar> = {
  standard: "standard",
  gregorian: "standard",
  proleptic_gregorian: "proleptic_gregorian",
  julian: "julian",
  noleap: "noleap",
  "365_day": "noleap",
  all_leap: "all_leap",
  "366_day": "all_leap",
  "360_day": "360_day",
};

/** The calendar a CF `calendar` attribute names (absent: standard); undefined for one not supported. */
export function parseCalendar(name: unknown): Calendar | undefined {
  if (name === undefined || name === null) return "standard";
  return typeof name === "string" ? ALIASES[name.trim().toLowerCase()] : undefined;
}

export interface CalendarDate {
  year: number;
  month: number;
  day: number;
}

const CUMULATIVE = [0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334, 365];
const CUMULATIVE_LEAP = [0, 31, 60, 91, 121, 152, 182, 213, 244, 274, 305, 335, 366];

/** Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's days_from_civil). */
export function gregorianDays({ year, month, day }: CalendarDate): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (month + (month > 2 ? -3 : 9)) + 2) / 5) + day - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

/** The proleptic Gregorian date of a day number (civil_from_days). */
export function gregorianDate(days: number): CalendarDate {
  const z = days + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const day = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  return { year: yoe + era * 400 + (month <= 2 ? 1 : 0), month, day };
}

/** Days since 1970-01-01 (Gregorian) of a Julian-calendar date: its Julian day number less 2440588. */
function julianDays({ year, month, day }: CalendarDate): number {
  const a = Math.floor((14 - month) / 12);
  const y = year + 4800 - a;
  const m = month + 12 * a - 3;
  return day + Math.floor((153 * m + 2) / 5) + 365 * y + Math.floor(y / 4) - 32083 - 2440588;
}

function julianDate(days: number): CalendarDate {
  const c = days + 2440588 + 32082;
  const d = Math.floor((4 * c + 3) / 1461);
  const e = c - Math.floor((1461 * d) / 4);
  const m = Math.floor((5 * e + 2) / 153);
  return {
    day: e - Math.floor((153 * m + 2) / 5) + 1,
    month: m + 3 - 12 * Math.floor(m / 10),
    year: d - 4800 + Math.floor(m / 10),
  };
}

/** The standard calendar's switch: Julian dates up to 1582-10-04, Gregorian from 1582-10-15. */
const REFORM = gregorianDays({ year: 1582, month: 10, day: 15 });

function fixedDays(date: CalendarDate, yearLength: number, cumulative: number[]): number {
  return date.year * yearLength + cumulative[date.month - 1] + date.day - 1;
}

function fixedDate(days: number, yearLength: number, cumulative: number[]): CalendarDate {
  const year = Math.floor(days / yearLength);
  const doy = days - year * yearLength;
  let month = 1;
  while (month < 12 && cumulative[month] <= doy) month++;
  return { year, month, day: doy - cumulative[month - 1] + 1 };
}

/** Day number of a date in a calendar. */
export function daysFromDate(calendar: Calendar, date: CalendarDate): number {
  switch (calendar) {
    case "proleptic_gregorian":
      return gregorianDays(date);
    case "julian":
      return julianDays(date);
    case "standard": {
      const before =
        date.year < 1582 || (date.year === 1582 && (date.month < 10 || (date.month === 10 && date.day < 15)));
      return before ? julianDays(date) : gregorianDays(date);
    }
    case "noleap":
      return fixedDays(date, 365, CUMULATIVE);
    case "all_leap":
      return fixedDays(date, 366, CUMULATIVE_LEAP);
    case "360_day":
      return date.year * 360 + (date.month - 1) * 30 + date.day - 1;
  }
}

/** The date of a day number in a calendar. */
export function dateFromDays(calendar: Calendar, days: number): CalendarDate {
  switch (calendar) {
    case "proleptic_gregorian":
      return gregorianDate(days);
    case "julian":
      return julianDate(days);
    case "standard":
      return days < REFORM ? julianDate(days) : gregorianDate(days);
    case "noleap":
      return fixedDate(days, 365, CUMULATIVE);
    case "all_leap":
      return fixedDate(days, 366, CUMULATIVE_LEAP);
    case "360_day": {
      const year = Math.floor(days / 360);
      const doy = days - year * 360;
      return { year, month: Math.floor(doy / 30) + 1, day: (doy % 30) + 1 };
    }
  }
}

/**
 * Whether a calendar numbers years historically (1 BC is followed by AD 1, no year 0), as
 * cftime does by default for the real-world calendars (CF 1.9: standard and julian).
 */
export function hasNoYearZero(calendar: Calendar): boolean {
  return calendar === "standard" || calendar === "julian";
}

/** The year as written in that calendar, from an astronomical year. */
export function displayYear(calendar: Calendar, year: number): number {
  return hasNoYearZero(calendar) && year <= 0 ? year - 1 : year;
}

/** The astronomical year of a year as written in that calendar (year 0 there means year -1). */
export function astronomicalYear(calendar: Calendar, year: number): number {
  return hasNoYearZero(calendar) && year < 0 ? year + 1 : year;
}

/** Whether a written date exists in the calendar (month lengths; the standard calendar's gap). */
export function isValidDate(calendar: Calendar, date: CalendarDate): boolean {
  if (
    !Number.isInteger(date.month) ||
    date.month < 1 ||
    date.month > 12 ||
    !Number.isInteger(date.day) ||
    date.day < 1
  ) {
    return false;
  }
  const round = dateFromDays(calendar, daysFromDate(calendar, date));
  if (calendar === "standard" && date.year === 1582 && date.month === 10 && date.day > 4 && date.day < 15) return false;
  return round.year === date.year && round.month === date.month && round.day === date.day;
}
