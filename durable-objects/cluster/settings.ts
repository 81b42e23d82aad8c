// Per-cluster settings a cluster's owner chooses at creation: how long a silent node stays Ready and
// how long pods tolerate a not-ready or unreachable node by default. Pure (the Worker validates the
// public API's body with it, the cluster object reads it from its record).

export interface ClusterSettings {
  /** upstream's --node-monitor-grace-period: a node silent this long turns Ready=Unknown. */
  nodeMonitorGracePeriodSeconds: number;
  /**
   * DefaultTolerationSeconds admission: how long a pod stays on a not-ready/unreachable node.
   * Upstream's default is 300 s; a playground's learner should see pods evicted and replaced within
   * a couple of minutes of stopping a node, so ours is 60 s.
   */
  defaultTolerationSeconds: number;
}

export const DEFAULT_SETTINGS: Readonly<ClusterSettings> = {
  nodeMonitorGracePeriodSeconds: 50,
  defaultTolerationSeconds: 60,
};

/** Allowed ranges, inclusive. */
export const SETTING_BOUNDS: Readonly<Record<keyof ClusterSettings, { min: number; max: number }>> = {
  nodeMonitorGracePeriodSeconds: { min: 5, max: 600 },
  defaultTolerationSeconds: { min: 0, max: 3600 },
};

export interface SettingsProblem {
  /** "settings.<name>" (or "settings" for the whole value). */
  field: string;
  message: string;
  /** "type": not the right JSON type (a bad request); "range": well-formed but out of bounds. */
  kind: "type" | "range";
}

export type SettingsResult =
  | { settings: ClusterSettings; problems: [] }
  | { settings?: undefined; problems: SettingsProblem[] };

const describe = (v: unknown) => (v === null ? "null" : Array.isArray(v) ? "an array" : typeof v);

/** Checks an optional `settings` body value; absent fields take the defaults. */
export function parseSettings(raw: unknown): SettingsResult {
  if (raw === undefined) return { settings: { ...DEFAULT_SETTINGS }, problems: [] };
  if (typeof raw !== "object" || raw === null || Array.isArray(raw))
    return {
      problems: [{ field: "settings", message: `"settings" must be an object, not ${describe(raw)}`, kind: "type" }],
    };
  const problems: SettingsProblem[] = [];
  const names = Object.keys(SETTING_BOUNDS) as (keyof ClusterSettings)[];
  for (const key of Object.keys(raw))
    if (!(names as string[]).includes(key))
      problems.push({
        field: `settings.${key}`,
        message: `unknown field "settings.${key}"; expected ${names.map((n) => `"${n}"`).join(", ")}`,
        kind: "type",
      });
  const settings = { ...DEFAULT_SETTINGS };
  for (const name of names) {
    const value = (raw as Record<string, unknown>)[name];
    if (value === undefined) continue;
    const problem = checkValue(name, value);
    if (problem) problems.push(problem);
    else settings[name] = value as number;
  }
  return problems.length ? { problems } : { settings, problems: [] };
}

function checkValue(name: keyof ClusterSettings, value: unknown): SettingsProblem | undefined {
  const field = `settings.${name}`;
  if (typeof value !== "number" || !Number.isInteger(value))
    return { field, message: `"${field}" must be an integer, not ${describe(value)}`, kind: "type" };
  const { min, max } = SETTING_BOUNDS[name];
  if (value < min || value > max)
    return { field, message: `"${field}" must be between ${min} and ${max}`, kind: "range" };
  return undefined;
}

/**
 * The settings of a stored cluster record: records written before settings existed (or with a
 * value no longer in bounds) read as the defaults, field by field.
 */
export function settingsOf(record: object): ClusterSettings {
  const stored = (record as { settings?: Record<string, unknown> }).settings;
  const settings = { ...DEFAULT_SETTINGS };
  if (!stored || typeof stored !== "object") return settings;
  for (const name of Object.keys(SETTING_BOUNDS) as (keyof ClusterSettings)[])
    if (stored[name] !== undefined && !checkValue(name, stored[name])) settings[name] = stored[name] as number;
  return settings;
}
