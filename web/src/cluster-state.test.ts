import { describe, expect, it } from "vitest";
import { clusterState, expiryText } from "./cluster-state.ts";

const now = 1_000_000_000;
const minute = 60_000;

describe("clusterState", () => {
  const cases: [string, { lastActiveAt: number; expiresAt: number | null }, string][] = [
    ["used a minute ago", { lastActiveAt: now - minute, expiresAt: now + 60 * minute }, "Active"],
    ["unused for 10 minutes", { lastActiveAt: now - 10 * minute, expiresAt: now + 60 * minute }, "Idle"],
    ["past its expiry", { lastActiveAt: now - minute, expiresAt: now }, "Expired"],
    ["never expiring", { lastActiveAt: now - 10 * minute, expiresAt: null }, "Idle"],
  ];
  for (const [name, c, want] of cases) it(name, () => expect(clusterState(c, now)).toBe(want));
});

describe("expiryText", () => {
  const cases: [number | null, string][] = [
    [null, "never"],
    [now - 1, "expired"],
    [now + 90 * minute, "in 90m"],
    [now + 24 * 60 * minute, "in 24h"],
  ];
  for (const [expiresAt, want] of cases)
    it(want, () => expect(expiryText({ lastActiveAt: now, expiresAt }, now)).toBe(want));
});
