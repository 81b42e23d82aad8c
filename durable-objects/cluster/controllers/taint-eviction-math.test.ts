import { describe, expect, it } from "vitest";
import { EVICT_NOW, evictionDeadline, type NoExecuteTaint, type PodToleration } from "./taint-eviction-math.ts";

const T0 = Date.parse("2026-01-01T00:00:00Z");
const unreachable: NoExecuteTaint = {
  key: "node.kubernetes.io/unreachable",
  effect: "NoExecute",
  timeAdded: "2026-01-01T00:00:00Z",
};
const notReady: NoExecuteTaint = {
  key: "node.kubernetes.io/not-ready",
  effect: "NoExecute",
  timeAdded: "2026-01-01T00:00:10Z",
};
const noSchedule: NoExecuteTaint = { key: "node.kubernetes.io/unreachable", effect: "NoSchedule" };
const tol = (key: string | undefined, seconds?: number | null, effect = "NoExecute"): PodToleration => ({
  key,
  operator: "Exists",
  effect,
  ...(seconds === undefined ? {} : { tolerationSeconds: seconds }),
});
const addedAt = (t: NoExecuteTaint) => Date.parse(t.timeAdded ?? "");

describe("evictionDeadline", () => {
  it.each<[string, NoExecuteTaint[], PodToleration[], number | undefined]>([
    ["no taints", [], [], undefined],
    ["only NoSchedule taints", [noSchedule], [], undefined],
    ["an untolerated taint", [unreachable], [], EVICT_NOW],
    ["a toleration of another key", [unreachable], [tol("node.kubernetes.io/not-ready", 60)], EVICT_NOW],
    [
      "a NoSchedule-only toleration",
      [unreachable],
      [tol("node.kubernetes.io/unreachable", 60, "NoSchedule")],
      EVICT_NOW,
    ],
    ["tolerated for 60 s", [unreachable], [tol("node.kubernetes.io/unreachable", 60)], T0 + 60_000],
    ["tolerated forever", [unreachable], [tol("node.kubernetes.io/unreachable")], undefined],
    ["tolerated forever by null seconds", [unreachable], [tol("node.kubernetes.io/unreachable", null)], undefined],
    ["an empty Exists toleration covers everything forever", [unreachable, notReady], [tol(undefined)], undefined],
    ["zero seconds: at once after timeAdded", [unreachable], [tol("node.kubernetes.io/unreachable", 0)], T0],
    ["negative seconds count as zero", [unreachable], [tol("node.kubernetes.io/unreachable", -5)], T0],
    [
      "the earliest of two taints' deadlines",
      [unreachable, notReady],
      [tol("node.kubernetes.io/unreachable", 300), tol("node.kubernetes.io/not-ready", 30)],
      T0 + 40_000,
    ],
    [
      "one taint forever, the other limited",
      [unreachable, notReady],
      [tol("node.kubernetes.io/unreachable"), tol("node.kubernetes.io/not-ready", 30)],
      T0 + 40_000,
    ],
    [
      "the first matching toleration counts",
      [unreachable],
      [tol("node.kubernetes.io/unreachable", 10), tol("node.kubernetes.io/unreachable")],
      T0 + 10_000,
    ],
    ["one of two taints untolerated", [unreachable, notReady], [tol("node.kubernetes.io/unreachable", 300)], EVICT_NOW],
  ])("%s", (_name, taints, tolerations, want) => {
    expect(evictionDeadline(taints, tolerations, addedAt)).toBe(want);
  });
});
