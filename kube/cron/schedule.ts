// Cron schedules as upstream's CronJob controller reads them: robfig/cron v3's ParseStandard
// (5 fields, names, ranges, steps, descriptors, @every, an optional TZ= prefix) with its error
// texts, and Next() in an IANA time zone. Day of week is 0-6 (robfig rejects 7). When both
// day fields are restricted a day matches either; when either starts with "*" both must match.
import { durationMs } from "./go-duration.ts";
import { instantsAt, wallClock } from "./zone.ts";

export class CronParseError extends Error {}

interface Bounds {
  min: number;
  max: number;
  names?: Record<string, number>;
}

const MONTHS = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"];
const DAYS = ["sun", "mon", "tue", "wed", "thu", "fri", "sat"];
const FIELDS: Bounds[] = [
  { min: 0, max: 59 },
  { min: 0, max: 23 },
  { min: 1, max: 31 },
  { min: 1, max: 12, names: Object.fromEntries(MONTHS.map((m, i) => [m, i + 1])) },
  { min: 0, max: 6, names: Object.fromEntries(DAYS.map((d, i) => [d, i])) },
];
const DESCRIPTORS: Record<string, string> = {
  "@yearly": "0 0 1 1 *",
  "@annually": "0 0 1 1 *",
  "@monthly": "0 0 1 * *",
  "@weekly": "0 0 * * 0",
  "@daily": "0 0 * * *",
  "@midnight": "0 0 * * *",
  "@hourly": "0 * * * *",
};

/** One field's allowed values, and whether it was written as "*" (robfig's star bit). */
interface Field {
  values: Set<number>;
  star: boolean;
}

export interface CronSchedule {
  /** A TZ= or CRON_TZ= prefix of the spec (CronJobs use spec.timeZone instead). */
  timeZone?: string;
  /** @every: a fixed delay in milliseconds (whole seconds), instead of the fields. */
  everyMs?: number;
  minute: Field;
  hour: Field;
  dom: Field;
  month: Field;
  dow: Field;
}

function mustParseInt(expr: string): number {
  // strconv.Atoi: an optional sign and decimal digits only.
  if (!/^[+-]?\d+$/.test(expr))
    throw new CronParseError(
      `failed to parse int from ${expr}: strconv.Atoi: parsing ${JSON.stringify(expr)}: invalid syntax`,
    );
  const n = Number(expr);
  if (n < 0) throw new CronParseError(`negative number (${n}) not allowed: ${expr}`);
  return n;
}

function parseIntOrName(expr: string, names?: Record<string, number>): number {
  return names?.[expr.toLowerCase()] ?? mustParseInt(expr);
}

/** getRange: one comma-separated part of a field ("*", "1-5", "*​/10", "3/4", "mon"). */
function addRange(expr: string, b: Bounds, field: Field): void {
  const rangeAndStep = expr.split("/");
  const lowAndHigh = rangeAndStep[0].split("-");
  let start: number;
  let end: number;
  let star = false;
  if (lowAndHigh[0] === "*" || lowAndHigh[0] === "?") {
    [start, end, star] = [b.min, b.max, true];
  } else {
    start = parseIntOrName(lowAndHigh[0], b.names);
    if (lowAndHigh.length > 2) throw new CronParseError(`too many hyphens: ${expr}`);
    end = lowAndHigh.length === 2 ? parseIntOrName(lowAndHigh[1], b.names) : start;
  }
  let step = 1;
  if (rangeAndStep.length > 2) throw new CronParseError(`too many slashes: ${expr}`);
  if (rangeAndStep.length === 2) {
    step = mustParseInt(rangeAndStep[1]);
    if (lowAndHigh.length === 1) end = b.max; // "N/step" means "N-max/step"
    if (step > 1) star = false;
  }
  if (start < b.min) throw new CronParseError(`beginning of range (${start}) below minimum (${b.min}): ${expr}`);
  if (end > b.max) throw new CronParseError(`end of range (${end}) above maximum (${b.max}): ${expr}`);
  if (start > end) throw new CronParseError(`beginning of range (${start}) beyond end of range (${end}): ${expr}`);
  if (step === 0) throw new CronParseError(`step of range should be a positive number: ${expr}`);
  for (let v = start; v <= end; v += step) field.values.add(v);
  field.star ||= star;
}

function parseField(text: string, b: Bounds): Field {
  const field: Field = { values: new Set(), star: false };
  for (const part of text.split(",")) addRange(part, b, field);
  return field;
}

function parseFields(spec: string): Omit<CronSchedule, "timeZone" | "everyMs"> {
  const fields = spec.trim() === "" ? [] : spec.trim().split(/\s+/);
  if (fields.length !== 5)
    throw new CronParseError(`expected exactly 5 fields, found ${fields.length}: [${fields.join(" ")}]`);
  const [minute, hour, dom, month, dow] = fields.map((f, i) => parseField(f, FIELDS[i]));
  return { minute, hour, dom, month, dow };
}

/** cron.ParseStandard: throws CronParseError with robfig's message. */
export function parseSchedule(schedule: string): CronSchedule {
  if (schedule === "") throw new CronParseError("empty spec string");
  let spec = schedule;
  let timeZone: string | undefined;
  const tz = /^(CRON_)?TZ=(\S*)\s*/.exec(spec);
  if (tz) {
    timeZone = tz[2];
    spec = spec.slice(tz[0].length);
  }
  if (!spec.startsWith("@")) return { timeZone, ...parseFields(spec) };
  if (spec.startsWith("@every ")) {
    const text = spec.slice("@every ".length);
    const ms = durationMs(text);
    if (ms === undefined)
      throw new CronParseError(`failed to parse duration ${spec}: time: invalid duration ${JSON.stringify(text)}`);
    // robfig.Every: at least a second, truncated to whole seconds.
    const everyMs = Math.max(1000, Math.floor(ms / 1000) * 1000);
    return { timeZone, everyMs, ...parseFields("* * * * *") };
  }
  const fields = DESCRIPTORS[spec];
  if (!fields) throw new CronParseError(`unrecognized descriptor: ${spec}`);
  return { timeZone, ...parseFields(fields) };
}

/** robfig's error text for a schedule, or undefined when it parses. */
export function scheduleError(schedule: string): string | undefined {
  try {
    parseSchedule(schedule);
    return undefined;
  } catch (e) {
    if (e instanceof CronParseError) return e.message;
    throw e;
  }
}

/** dayMatches: OR of the day fields when both are restricted, AND when either is "*". */
function dayMatches(s: CronSchedule, dom: number, dow: number): boolean {
  const domMatch = s.dom.values.has(dom);
  const dowMatch = s.dow.values.has(dow);
  return s.dom.star || s.dow.star ? domMatch && dowMatch : domMatch || dowMatch;
}

/** robfig gives up looking five years ahead (an impossible date such as Feb 30). */
const SEARCH_DAYS = 5 * 366;
const DAY_MS = 86_400_000;
/** A wall-clock candidate this far before `after` can never map to an instant past it. */
const MAX_ZONE_SHIFT_MS = 3 * 3_600_000;

/**
 * The first activation strictly after `afterMs` (whole seconds), in `timeZone` (UTC when unset),
 * or undefined when none comes within five years. Wall times skipped by a DST change do not run;
 * repeated wall times run at each occurrence.
 */
export function nextTime(s: CronSchedule, afterMs: number, timeZone = s.timeZone ?? "UTC"): number | undefined {
  const from = Math.floor(afterMs / 1000) * 1000;
  if (s.everyMs !== undefined) return from + s.everyMs;
  const wall = wallClock(from, timeZone);
  const firstDay = Date.UTC(wall.year, wall.month - 1, wall.day);
  const hours = [...s.hour.values].sort((a, b) => a - b);
  const minutes = [...s.minute.values].sort((a, b) => a - b);
  for (let d = 0; d <= SEARCH_DAYS; d++) {
    const day = new Date(firstDay + d * DAY_MS);
    if (!s.month.values.has(day.getUTCMonth() + 1) || !dayMatches(s, day.getUTCDate(), day.getUTCDay())) continue;
    for (const h of hours)
      for (const m of minutes) {
        const naive = day.getTime() + h * 3_600_000 + m * 60_000;
        if (naive < wall.naiveMs - MAX_ZONE_SHIFT_MS) continue;
        const hit = instantsAt(naive, timeZone).find((t) => t > from);
        if (hit !== undefined) return hit;
      }
  }
  return undefined;
}
