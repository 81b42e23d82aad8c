// Wall-clock time in an IANA time zone through Intl (ICU in workerd, browsers and Node): the
// fields at an instant, and the instants at which a wall-clock time occurs (none inside a DST
// gap, two inside a DST overlap).

export interface WallClock {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  /** The wall-clock fields read as if they were UTC, in ms (compares and subtracts easily). */
  naiveMs: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat("en-US", {
      timeZone,
      hourCycle: "h23",
      year: "numeric",
      month: "numeric",
      day: "numeric",
      hour: "numeric",
      minute: "numeric",
      second: "numeric",
    });
    formatters.set(timeZone, f);
  }
  return f;
}

const isUtc = (tz: string) => tz === "UTC" || tz === "Etc/UTC";

/** The wall clock in `timeZone` at `ms` (whole seconds). Throws RangeError for an unknown zone. */
export function wallClock(ms: number, timeZone: string): WallClock {
  const at = Math.floor(ms / 1000) * 1000;
  if (isUtc(timeZone)) {
    const d = new Date(at);
    return {
      year: d.getUTCFullYear(),
      month: d.getUTCMonth() + 1,
      day: d.getUTCDate(),
      hour: d.getUTCHours(),
      minute: d.getUTCMinutes(),
      second: d.getUTCSeconds(),
      naiveMs: at,
    };
  }
  const parts: Record<string, number> = {};
  for (const p of formatter(timeZone).formatToParts(at)) if (p.type !== "literal") parts[p.type] = Number(p.value);
  const { year, month, day, hour, minute, second } = parts;
  return { year, month, day, hour, minute, second, naiveMs: Date.UTC(year, month - 1, day, hour, minute, second) };
}

/** The zone's offset from UTC at `ms`, in ms (east positive). */
export function offsetAt(ms: number, timeZone: string): number {
  return wallClock(ms, timeZone).naiveMs - Math.floor(ms / 1000) * 1000;
}

const DAY_MS = 86_400_000;

/** The instants (ascending) whose wall clock in `timeZone` reads `naiveMs`. */
export function instantsAt(naiveMs: number, timeZone: string): number[] {
  if (isUtc(timeZone)) return [naiveMs];
  // Offsets a day either side straddle any single transition near this time.
  const offsets = new Set([offsetAt(naiveMs - DAY_MS, timeZone), offsetAt(naiveMs + DAY_MS, timeZone)]);
  const hits = [...offsets].map((o) => naiveMs - o).filter((t) => wallClock(t, timeZone).naiveMs === naiveMs);
  return [...new Set(hits)].sort((a, b) => a - b);
}

/** time.LoadLocation through the runtime's IANA database. */
export function isKnownTimeZone(timeZone: string): boolean {
  if (isUtc(timeZone)) return true;
  try {
    formatter(timeZone);
    return true;
  } catch {
    return false;
  }
}

/** time.Time.Format(time.RFC3339) of `ms` in `timeZone`: "2024-03-10T01:30:00-08:00" or "…Z" in UTC. */
export function rfc3339In(ms: number, timeZone: string): string {
  const w = wallClock(ms, timeZone);
  const pad = (n: number, len = 2) => String(n).padStart(len, "0");
  const base = `${pad(w.year, 4)}-${pad(w.month)}-${pad(w.day)}T${pad(w.hour)}:${pad(w.minute)}:${pad(w.second)}`;
  const off = Math.round(offsetAt(ms, timeZone) / 60_000);
  if (off === 0 && isUtc(timeZone)) return `${base}Z`;
  const sign = off < 0 ? "-" : "+";
  return `${base}${sign}${pad(Math.floor(Math.abs(off) / 60))}:${pad(Math.abs(off) % 60)}`;
}
