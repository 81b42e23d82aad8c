import { describe, expect, it } from "vitest";
import { durationMs } from "./go-duration.ts";
import { nextTime, parseSchedule, scheduleError } from "./schedule.ts";
import { instantsAt, isKnownTimeZone, rfc3339In } from "./zone.ts";

const at = (iso: string) => Date.parse(iso);
const iso = (ms: number | undefined) => (ms === undefined ? undefined : new Date(ms).toISOString());

describe("parseSchedule errors (robfig's texts)", () => {
  it.each([
    ["", "empty spec string"],
    ["*", "expected exactly 5 fields, found 1: [*]"],
    ["* * * * * *", "expected exactly 5 fields, found 6: [* * * * * *]"],
    ["* * * * 7", "end of range (7) above maximum (6): 7"],
    ["60 * * * *", "end of range (60) above maximum (59): 60"],
    ["* * 0 * *", "beginning of range (0) below minimum (1): 0"],
    ["5-1 * * * *", "beginning of range (5) beyond end of range (1): 5-1"],
    ["*/0 * * * *", "step of range should be a positive number: */0"],
    ["1-2-3 * * * *", "too many hyphens: 1-2-3"],
    ["*/2/3 * * * *", "too many slashes: */2/3"],
    ["x * * * *", 'failed to parse int from x: strconv.Atoi: parsing "x": invalid syntax'],
    ["@fortnightly", "unrecognized descriptor: @fortnightly"],
    ["@every 1x", 'failed to parse duration @every 1x: time: invalid duration "1x"'],
  ])("%j → %s", (spec, message) => {
    expect(scheduleError(spec)).toBe(message);
  });

  it.each(["* * * * *", "0 0 * * SUN", "0 9 * JAN-mar mon-fri", "@weekly", "@every 1h30m", "?/5 1,2,3 * * *"])(
    "%j parses",
    (spec) => expect(scheduleError(spec)).toBeUndefined(),
  );

  it("keeps a TZ= prefix", () => {
    expect(parseSchedule("CRON_TZ=Europe/Berlin 0 0 * * *").timeZone).toBe("Europe/Berlin");
  });
});

describe("nextTime in UTC", () => {
  it.each([
    ["*/15 * * * *", "2024-05-01T10:07:30Z", "2024-05-01T10:15:00.000Z"],
    ["*/15 * * * *", "2024-05-01T10:15:00Z", "2024-05-01T10:30:00.000Z"], // strictly after
    ["* * * * *", "2024-05-01T23:59:59.500Z", "2024-05-02T00:00:00.000Z"],
    ["0 0 1 1 *", "2024-05-01T00:00:00Z", "2025-01-01T00:00:00.000Z"],
    ["@yearly", "2024-05-01T00:00:00Z", "2025-01-01T00:00:00.000Z"],
    ["@hourly", "2024-05-01T10:00:00Z", "2024-05-01T11:00:00.000Z"],
    ["@weekly", "2024-05-01T00:00:00Z", "2024-05-05T00:00:00.000Z"], // a Sunday
    ["0 9 * * mon-fri", "2024-05-04T12:00:00Z", "2024-05-06T09:00:00.000Z"], // Saturday → Monday
    // Both day fields restricted: the 13th OR a Friday.
    ["0 0 13 * 5", "2024-05-01T00:00:00Z", "2024-05-03T00:00:00.000Z"],
    ["0 0 13 * 5", "2024-05-10T00:00:00Z", "2024-05-13T00:00:00.000Z"],
    // Day of week "*": the 13th only.
    ["0 0 13 * *", "2024-05-01T00:00:00Z", "2024-05-13T00:00:00.000Z"],
    // "*/2" (odd days) with a step is no longer a star: OR with Monday (May 6, an even day).
    ["0 0 */2 * 1", "2024-05-05T12:00:00Z", "2024-05-06T00:00:00.000Z"],
    ["0 0 */2 * *", "2024-05-05T12:00:00Z", "2024-05-07T00:00:00.000Z"],
    ["0 0 29 2 *", "2024-03-01T00:00:00Z", "2028-02-29T00:00:00.000Z"],
    ["@every 90s", "2024-05-01T10:00:00.700Z", "2024-05-01T10:01:30.000Z"],
  ])("%j after %s → %s", (spec, after, next) => {
    expect(iso(nextTime(parseSchedule(spec), at(after)))).toBe(next);
  });

  it("gives up on a date that never comes", () => {
    expect(nextTime(parseSchedule("0 0 30 2 *"), at("2024-01-01T00:00:00Z"))).toBeUndefined();
  });
});

describe("nextTime in time zones", () => {
  it.each([
    ["0 9 * * *", "America/New_York", "2024-01-15T00:00:00Z", "2024-01-15T14:00:00.000Z"],
    ["0 9 * * *", "America/New_York", "2024-07-15T00:00:00Z", "2024-07-15T13:00:00.000Z"],
    ["0 0 * * *", "Asia/Kolkata", "2024-07-15T00:00:00Z", "2024-07-15T18:30:00.000Z"],
    // Spring forward (2:00 → 3:00 on 2024-03-10): 2:30 does not exist that day.
    ["30 2 * * *", "America/New_York", "2024-03-09T12:00:00Z", "2024-03-11T06:30:00.000Z"],
    ["30 3 * * *", "America/New_York", "2024-03-09T12:00:00Z", "2024-03-10T07:30:00.000Z"],
    // Fall back (2:00 → 1:00 on 2024-11-03): 1:30 happens twice, and runs twice.
    ["30 1 * * *", "America/New_York", "2024-11-03T00:00:00Z", "2024-11-03T05:30:00.000Z"],
    ["30 1 * * *", "America/New_York", "2024-11-03T05:30:00Z", "2024-11-03T06:30:00.000Z"],
    ["30 1 * * *", "America/New_York", "2024-11-03T06:30:00Z", "2024-11-04T06:30:00.000Z"],
    ["0 0 1 * *", "Europe/Berlin", "2024-03-15T00:00:00Z", "2024-03-31T22:00:00.000Z"],
  ])("%j in %s after %s → %s", (spec, tz, after, next) => {
    expect(iso(nextTime(parseSchedule(spec), at(after), tz))).toBe(next);
  });
});

describe("zones and durations", () => {
  it("finds no instant in a gap and two in an overlap", () => {
    expect(instantsAt(at("2024-03-10T02:30:00Z"), "America/New_York")).toEqual([]);
    expect(instantsAt(at("2024-11-03T01:30:00Z"), "America/New_York").map(iso)).toEqual([
      "2024-11-03T05:30:00.000Z",
      "2024-11-03T06:30:00.000Z",
    ]);
  });

  it.each([
    [at("2024-03-10T07:30:00Z"), "America/New_York", "2024-03-10T03:30:00-04:00"],
    [at("2024-01-01T00:00:00Z"), "UTC", "2024-01-01T00:00:00Z"],
    [at("2024-01-01T00:00:00Z"), "Asia/Kolkata", "2024-01-01T05:30:00+05:30"],
  ])("rfc3339In(%d, %s) = %s", (ms, tz, text) => expect(rfc3339In(ms, tz)).toBe(text));

  it.each([
    ["UTC", true],
    ["Europe/Berlin", true],
    ["Mars/Olympus", false],
  ])("isKnownTimeZone(%s) = %s", (tz, known) => expect(isKnownTimeZone(tz)).toBe(known));

  it.each([
    ["0", 0],
    ["1h30m", 5_400_000],
    ["1.5s", 1500],
    ["-2m", -120_000],
    ["500ms", 500],
    ["1x", undefined],
    ["h", undefined],
    ["", undefined],
  ])("durationMs(%j) = %s", (text, ms) => expect(durationMs(text)).toBe(ms));
});
