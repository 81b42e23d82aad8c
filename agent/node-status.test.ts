import { expect, it } from "vitest";
import { nodeConditions } from "./node-status.ts";

const healthy = { runtimeUp: true, memoryAvailableBytes: 2 ** 30, diskAvailableFraction: 0.5 };
const summary = (cs: ReturnType<typeof nodeConditions>) => cs.map((c) => `${c.type}=${c.status}:${c.reason}`);

it("reports a healthy node as upstream does", () => {
  expect(summary(nodeConditions(healthy, [], "t0"))).toEqual([
    "MemoryPressure=False:KubeletHasSufficientMemory",
    "DiskPressure=False:KubeletHasNoDiskPressure",
    "PIDPressure=False:KubeletHasSufficientPID",
    "Ready=True:KubeletReady",
  ]);
});

it("turns on pressure and NotReady, moving times only on transitions", () => {
  const first = nodeConditions(healthy, [], "t0");
  const same = nodeConditions(healthy, first, "t1");
  expect(same).toEqual(first);
  const sick = nodeConditions(
    { runtimeUp: false, runtimeError: "connect ENOENT", memoryAvailableBytes: 1, diskAvailableFraction: 0.01 },
    same,
    "t2",
  );
  expect(summary(sick)).toEqual([
    "MemoryPressure=True:KubeletHasInsufficientMemory",
    "DiskPressure=True:KubeletHasDiskPressure",
    "PIDPressure=False:KubeletHasSufficientPID",
    "Ready=False:KubeletNotReady",
  ]);
  expect(sick.find((c) => c.type === "Ready")?.message).toBe("container runtime is down: connect ENOENT");
  expect(sick.map((c) => c.lastTransitionTime)).toEqual(["t2", "t2", "t0", "t2"]);
});
