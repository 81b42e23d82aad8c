import { describe, expect, it } from "vitest";
import { goDuration, RestartBackoff, retryDelay } from "./backoff.ts";

describe("RestartBackoff", () => {
  it("doubles from 10s to the 5m cap", () => {
    const b = new RestartBackoff();
    const delays = [0, 1, 2, 3, 4, 5, 6, 7].map((i) => b.next("pod/c", i * 1000));
    expect(delays).toEqual([10e3, 20e3, 40e3, 80e3, 160e3, 300e3, 300e3, 300e3]);
  });

  it("starts over after twice the cap without a restart", () => {
    const b = new RestartBackoff();
    b.next("k", 0);
    b.next("k", 1);
    expect(b.next("k", 2 + 600_001)).toBe(10e3);
  });

  it("keys are independent and forget clears by prefix", () => {
    const b = new RestartBackoff();
    b.next("a/x", 0);
    b.next("a/x", 0);
    b.next("b/x", 0);
    expect(b.current("a/x", 0)).toBe(20e3);
    b.forget("a/");
    expect(b.current("a/x", 0)).toBeUndefined();
    expect(b.current("b/x", 0)).toBe(10e3);
  });

  it("reports whether a finished container is still waiting", () => {
    const b = new RestartBackoff();
    b.next("k", 1000);
    expect(b.inBackoffSince("k", 1000, 5000)).toBe(true);
    expect(b.inBackoffSince("k", 1000, 11_000)).toBe(false);
    expect(b.inBackoffSince("other", 1000, 1000)).toBe(false);
  });
});

describe("goDuration", () => {
  it.each([
    [10e3, "10s"],
    [80e3, "1m20s"],
    [160e3, "2m40s"],
    [300e3, "5m0s"],
    [3_723_000, "1h2m3s"],
  ])("%d ms → %s", (ms, text) => expect(goDuration(ms)).toBe(text));
});

describe("retryDelay", () => {
  it("grows, caps and jitters within ±20%", () => {
    expect(retryDelay(0, () => 0.5)).toBe(1000);
    expect(retryDelay(3, () => 0.5)).toBe(8000);
    expect(retryDelay(20, () => 0.5)).toBe(30_000);
    expect(retryDelay(0, () => 0)).toBe(800);
    expect(retryDelay(0, () => 1)).toBe(1200);
  });
});
