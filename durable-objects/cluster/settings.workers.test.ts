import { describe, expect, it } from "vitest";
import { DEFAULT_SETTINGS, parseSettings, settingsOf } from "./settings.ts";

describe("parseSettings", () => {
  it.each([
    ["absent", undefined, DEFAULT_SETTINGS],
    ["empty", {}, DEFAULT_SETTINGS],
    ["one field", { defaultTolerationSeconds: 0 }, { ...DEFAULT_SETTINGS, defaultTolerationSeconds: 0 }],
    [
      "both at their upper bounds",
      { nodeMonitorGracePeriodSeconds: 600, defaultTolerationSeconds: 3600 },
      { nodeMonitorGracePeriodSeconds: 600, defaultTolerationSeconds: 3600 },
    ],
  ])("accepts %s", (_name, raw, want) => {
    expect(parseSettings(raw)).toEqual({ settings: want, problems: [] });
  });

  it.each([
    ["not an object", 5, "settings", "type"],
    ["an array", [], "settings", "type"],
    ["an unknown field", { graceSeconds: 5 }, "settings.graceSeconds", "type"],
    ["a string", { defaultTolerationSeconds: "60" }, "settings.defaultTolerationSeconds", "type"],
    ["a fraction", { defaultTolerationSeconds: 1.5 }, "settings.defaultTolerationSeconds", "type"],
    ["grace too short", { nodeMonitorGracePeriodSeconds: 4 }, "settings.nodeMonitorGracePeriodSeconds", "range"],
    ["grace too long", { nodeMonitorGracePeriodSeconds: 601 }, "settings.nodeMonitorGracePeriodSeconds", "range"],
    ["negative toleration", { defaultTolerationSeconds: -1 }, "settings.defaultTolerationSeconds", "range"],
    ["toleration too long", { defaultTolerationSeconds: 3601 }, "settings.defaultTolerationSeconds", "range"],
  ])("refuses %s", (_name, raw, field, kind) => {
    const result = parseSettings(raw);
    expect(result.settings).toBeUndefined();
    expect(result.problems[0]).toMatchObject({ field, kind });
  });

  it("says the bounds in range messages", () => {
    expect(parseSettings({ nodeMonitorGracePeriodSeconds: 1 }).problems[0].message).toBe(
      '"settings.nodeMonitorGracePeriodSeconds" must be between 5 and 600',
    );
  });
});

describe("settingsOf", () => {
  it("reads records without settings as the defaults", () => {
    expect(settingsOf({ id: "x" })).toEqual({ nodeMonitorGracePeriodSeconds: 50, defaultTolerationSeconds: 60 });
  });
  it("keeps stored values and replaces broken ones with defaults", () => {
    const record = { settings: { nodeMonitorGracePeriodSeconds: 20, defaultTolerationSeconds: -5 } };
    expect(settingsOf(record)).toEqual({ nodeMonitorGracePeriodSeconds: 20, defaultTolerationSeconds: 60 });
  });
});
