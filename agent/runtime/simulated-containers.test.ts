import { describe, expect, it } from "vitest";
import type { Pod } from "../../kube/pod-types.ts";
import { SimulatedContainers } from "./simulated-containers.ts";

const T0 = Date.parse("2026-01-01T00:00:00Z");
const pod = (restartPolicy: string, command: string[]): Pod => ({
  apiVersion: "v1",
  kind: "Pod",
  metadata: { name: "p", namespace: "ns", uid: "u1" },
  spec: { restartPolicy, containers: [{ name: "main", image: "busybox", command }] } as Pod["spec"],
});

describe("SimulatedContainers", () => {
  it("a Never container runs until its command ends, then stays terminated", () => {
    const sim = new SimulatedContainers(pod("Never", ["sh", "-c", "sleep 3; exit 1"]), T0);
    expect(sim.advance(T0)).toBe(false);
    expect(sim.statuses()[0].state.running).toEqual({ startedAt: "2026-01-01T00:00:00Z" });
    expect(sim.nextAt()).toBe(T0 + 3000);
    expect(sim.advance(T0 + 3000)).toBe(true);
    expect(sim.statuses()[0]).toMatchObject({
      state: {
        terminated: {
          exitCode: 1,
          reason: "Error",
          startedAt: "2026-01-01T00:00:00Z",
          finishedAt: "2026-01-01T00:00:03Z",
        },
      },
      ready: false,
      restartCount: 0,
    });
    expect(sim.nextAt()).toBeUndefined();
  });

  it("an OnFailure container that fails waits out the crash back-off and runs again", () => {
    const sim = new SimulatedContainers(pod("OnFailure", ["false"]), T0);
    sim.advance(T0);
    const waiting = sim.statuses()[0];
    expect(waiting.state.waiting?.reason).toBe("CrashLoopBackOff");
    expect(waiting.lastState.terminated?.exitCode).toBe(1);
    expect(sim.nextAt()).toBe(T0 + 10_000);
    sim.advance(T0 + 10_000); // restarts and fails again at once: back-off doubles
    expect(sim.statuses()[0]).toMatchObject({ restartCount: 1, state: { waiting: { reason: "CrashLoopBackOff" } } });
    expect(sim.nextAt()).toBe(T0 + 30_000);
  });

  it("an OnFailure container that succeeds is not restarted; Always containers without an end keep running", () => {
    const done = new SimulatedContainers(pod("OnFailure", ["true"]), T0);
    done.advance(T0);
    expect(done.statuses()[0].state.terminated?.reason).toBe("Completed");
    expect(done.nextAt()).toBeUndefined();
    const forever = new SimulatedContainers(pod("Always", ["nginx"]), T0);
    expect(forever.advance(T0 + 1e9)).toBe(false);
    expect(forever.nextAt()).toBeUndefined();
  });
});
