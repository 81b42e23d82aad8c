import { expect, it } from "vitest";
import { expiredLeases, heartbeatSeconds, leaseDeadline, leaseObject, leaseSeconds } from "./heartbeat.ts";

it.each([
  [1, 10],
  [1000, 10],
  [5000, 10],
  [5001, 11],
  [25_000, 50],
])("heartbeatSeconds(%d nodes) = %d", (nodes, seconds) => expect(heartbeatSeconds(nodes)).toBe(seconds));

it.each([
  [10, 40],
  [50, 200],
])("leaseSeconds(%d) = %d", (hb, lease) => expect(leaseSeconds(hb)).toBe(lease));

it("finds expired leases", () => {
  const rows = [
    { node: "a", renewTime: 0, durationSeconds: 40 },
    { node: "b", renewTime: 20_000, durationSeconds: 40 },
  ];
  expect(expiredLeases(rows, 40_000)).toEqual([]);
  expect(expiredLeases(rows, 40_001)).toEqual(["a"]);
  // A grace period decides, longer or shorter than the lease.
  expect(expiredLeases(rows, 50_000, 50_000)).toEqual([]);
  expect(expiredLeases(rows, 50_001, 50_000)).toEqual(["a"]);
});

it.each([
  [0, 40_000],
  [50_000, 50_000],
  [30_000, 30_000],
  [10_000, 20_000],
])("leaseDeadline with grace %d ms is %d ms after the renewal", (grace, deadline) =>
  expect(leaseDeadline({ node: "a", renewTime: 1_000, durationSeconds: 40 }, grace)).toBe(1_000 + deadline),
);

it("serves a heartbeat row as a kube-node-lease Lease", () => {
  expect(
    leaseObject({ node: "n1", renewTime: Date.parse("2026-01-02T03:04:05.678Z"), durationSeconds: 40 }, "uid-1"),
  ).toEqual({
    apiVersion: "coordination.k8s.io/v1",
    kind: "Lease",
    metadata: {
      name: "n1",
      namespace: "kube-node-lease",
      ownerReferences: [{ apiVersion: "v1", kind: "Node", name: "n1", uid: "uid-1" }],
    },
    spec: { holderIdentity: "n1", leaseDurationSeconds: 40, renewTime: "2026-01-02T03:04:05.678000Z" },
  });
});
