import { expect, it } from "vitest";
import type { Pod } from "../../kube/pod-types.ts";
import { containerFieldPath, EventRecorder } from "./events.ts";

const pod = {
  apiVersion: "v1",
  kind: "Pod",
  metadata: { name: "p", namespace: "ns", uid: "u1" },
  spec: { containers: [] },
} as Pod;

it("deduplicates repeated events with a count and keeps the first timestamp", () => {
  let t = 0;
  let changes = 0;
  const r = new EventRecorder(
    () => `t${t++}`,
    () => changes++,
  );
  r.record(pod, "Warning", "BackOff", "Back-off restarting failed container", "spec.containers{a}");
  r.record(pod, "Warning", "BackOff", "Back-off restarting failed container", "spec.containers{a}");
  r.record(pod, "Normal", "Started", "Started container a", "spec.containers{a}");
  const events = r.drain();
  expect(events.map((e) => [e.reason, e.count, e.firstTimestamp, e.lastTimestamp])).toEqual([
    ["BackOff", 2, "t0", "t1"],
    ["Started", 1, "t2", "t2"],
  ]);
  expect(changes).toBe(3);
  expect(r.drain()).toEqual([]);
  r.record(pod, "Warning", "BackOff", "Back-off restarting failed container", "spec.containers{a}");
  expect(r.drain()[0].count).toBe(3);
  r.forget("u1");
  r.record(pod, "Warning", "BackOff", "Back-off restarting failed container", "spec.containers{a}");
  expect(r.drain()[0].count).toBe(1);
});

it("names container field paths as upstream", () => {
  expect(containerFieldPath("web", false)).toBe("spec.containers{web}");
  expect(containerFieldPath("setup", true)).toBe("spec.initContainers{setup}");
});
