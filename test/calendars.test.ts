// CF calendar arithmetic. Every expected date is worked out independently of the code under test:
// well-known day counts (2000-01-01 is day 10,957 of the Unix epoch, 1900-01-01 day -25,567, the
// Gregorian reform's 1582-10-15 day -141,427, as java.util.GregorianCalendar's cutover), the
// Julian calendar's 13-day lag in 1900-2099 and its leap year 1900, and cftime's documented
// behaviour (the standard calendar jumps from 1582-10-04 to 1582-10-15; noleap has no Feb 29;
// all_leap always has one; 360_day has 30-day months).
import { describe, expect, it } from "vitest";
import { dateFromDays, daysFromDate, isValidDate, parseCalendar } from "../src/values/calendars.js";
import { cfDuration, formatCfTime, parseCfTime } from "../src/values/cf-time.js";

const date = (year: number, month: number, day: number) => ({ year, month, day });

describe("calendar day numbers", () => {
  it("proleptic Gregorian matches the Unix epoch's day counts", () => {
    expect(daysFromDate("proleptic_gregorian", date(1970, 1, 1))).toBe(0);
    expect(daysFromDate("proleptic_gregorian", date(2000, 1, 1))).toBe(10_957);
    expect(daysFromDate("proleptic_gregorian", date(1900, 1, 1))).toBe(-25_567);
    expect(daysFromDate("proleptic_gregorian", date(1582, 10, 15))).toBe(-141_427);
    expect(dateFromDays("proleptic_gregorian", -141_428)).toEqual(date(1582, 10, 14));
  });

  it("Julian runs 13 days behind in 1900-2099 and has 1900-02-29", () => {
    expect(daysFromDate("julian", date(1999, 12, 19))).toBe(10_957);
    expect(dateFromDays("julian", 10_957)).toEqual(date(1999, 12, 19));
    expect(isValidDate("julian", date(1900, 2, 29))).toBe(true);
    expect(isValidDate("proleptic_gregorian", date(1900, 2, 29))).toBe(false);
  });

  it("standard is Julian up to 1582-10-04 and Gregorian from the next day, 1582-10-15", () => {
    const reform = daysFromDate("standard", date(1582, 10, 15));
    expect(reform).toBe(-141_427);
    expect(dateFromDays("standard", reform - 1)).toEqual(date(1582, 10, 4));
    expect(isValidDate("standard", date(1582, 10, 10))).toBe(false);
    expect(daysFromDate("standard", date(2000, 1, 1))).toBe(10_957);
  });

  it("the idealised calendars have fixed years", () => {
    expect(daysFromDate("noleap", date(2001, 1, 1)) - daysFromDate("noleap", date(2000, 1, 1))).toBe(365);
    expect(isValidDate("noleap", date(2000, 2, 29))).toBe(false);
    expect(daysFromDate("all_leap", date(2002, 1, 1)) - daysFromDate("all_leap", date(2001, 1, 1))).toBe(366);
    expect(isValidDate("all_leap", date(2001, 2, 29))).toBe(true);
    expect(daysFromDate("360_day", date(2001, 1, 1)) - daysFromDate("360_day", date(2000, 1, 1))).toBe(360);
    expect(isValidDate("360_day", date(2000, 2, 30))).toBe(true);
    expect(isValidDate("360_day", date(2000, 1, 31))).toBe(false);
  });

  it("takes CF's names and aliases, and refuses others", () => {
    expect(parseCalendar(undefined)).toBe("standard");
    expect(parseCalendar("gregorian")).toBe("standard");
    expect(parseCalendar("365_day")).toBe("noleap");
    expect(parseCalendar("366_day")).toBe("all_leap");
    expect(parseCalendar("NOLEAP")).toBe("noleap");
    expect(parseCalendar("none")).toBeUndefined();
  });
});

describe("CF time values", () => {
  const at = (units: string, calendar: string | undefined, value: number) => {
    const time = parseCfTime(units, calendar);
    return time ? formatCfTime(time, value) : undefined;
  };

  it("decodes each unit from seconds to days", () => {
    expect(at("seconds since 1970-01-01", undefined, 1e9)).toBe("2001-09-09T01:46:40");
    expect(at("minutes since 2000-01-01", "standard", 1440 * 31)).toBe("2000-02-01T00:00:00");
    expect(at("hours since 2000-01-01 00:00:00", "standard", 36)).toBe("2000-01-02T12:00:00");
    expect(at("days since 1900-01-01", "standard", 36_524)).toBe("2000-01-01T00:00:00");
    expect(at("seconds since 2000-01-01", "standard", 0.5)).toBe("2000-01-01T00:00:00.500000");
    expect(at("milliseconds since 2000-01-01T00:00:00Z", "standard", 1500)).toBe("2000-01-01T00:00:01.500000");
  });

  it("decodes the same number differently in each calendar", () => {
    expect(at("days since 1900-01-01", "standard", 59)).toBe("1900-03-01T00:00:00");
    expect(at("days since 1900-01-01", "julian", 59)).toBe("1900-02-29T00:00:00");
    expect(at("days since 2000-01-01", "noleap", 59)).toBe("2000-03-01T00:00:00");
    expect(at("days since 2000-01-01", "proleptic_gregorian", 59)).toBe("2000-02-29T00:00:00");
    expect(at("days since 2001-01-01", "all_leap", 59)).toBe("2001-02-29T00:00:00");
    expect(at("days since 2000-01-01", "360_day", 59)).toBe("2000-02-30T00:00:00");
    expect(at("days since 2000-01-01", "360_day", 29.5)).toBe("2000-01-30T12:00:00");
    expect(at("days since 1582-10-04", "gregorian", 1)).toBe("1582-10-15T00:00:00");
    expect(at("days since 1582-10-04", "proleptic_gregorian", 1)).toBe("1582-10-05T00:00:00");
  });

  it("applies a reference date's UTC offset", () => {
    expect(at("hours since 2000-01-01 00:00:00 +06:00", "standard", 0)).toBe("1999-12-31T18:00:00");
    expect(at("hours since 2000-01-01 00:00:00 -1", "standard", 1)).toBe("2000-01-01T02:00:00");
  });

  it("is not a time for units it cannot decode or reference dates the calendar lacks", () => {
    expect(parseCfTime("months since 2000-01-01", "standard")).toBeUndefined();
    expect(parseCfTime("days since 2000-02-30", "standard")).toBeUndefined();
    expect(parseCfTime("degrees_north", undefined)).toBeUndefined();
    expect(parseCfTime("days since 2000-01-01", "none")).toBeUndefined();
  });

  it("writes steps as ISO 8601 durations", () => {
    const hours = parseCfTime("hours since 2000-01-01", "standard")!;
    expect(cfDuration(hours, 6)).toBe("PT6H");
    expect(cfDuration(hours, 24 * 30)).toBe("P30D");
    expect(cfDuration(hours, -1.5)).toBe("-PT1H30M");
  });
});
