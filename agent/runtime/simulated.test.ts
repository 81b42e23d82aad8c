import { afterEach, expect, it, vi } from "vitest";
import type { PodAssignment } from "../../kube/agent-protocol.ts";
import { SimulatedRuntime } from "./simulated.ts";

const assignment = (uid: string, extra: object = {}): PodAssignment => ({
  pod: {
    apiVersion: "v1",
    kind: "Pod",
    metadata: { uid, name: uid, namespace: "ns", ...extra },
    spec: { containers: [{ name: "a", image: "busybox" }], initContainers: [{ name: "i", image: "busybox" }] },
  },
  configMaps: {},
  secrets: {},
});

it("runs pods Running and Ready at once, and terminates deleted ones", () => {
  const rt = new SimulatedRuntime("10.0.0.9", () => Date.parse("2026-01-01T00:00:00Z"));
  let changes = 0;
  rt.onChange(() => changes++);
  rt.apply(assignment("p1"));
  const { statuses, events } = rt.drain();
  expect(changes).toBeGreaterThan(0);
  const status = statuses[0].status;
  expect(status.phase).toBe("Running");
  expect(status.conditions?.find((c) => c.type === "Ready")?.status).toBe("True");
  expect(status.initContainerStatuses?.[0].state.terminated?.reason).toBe("Completed");
  expect(status.containerStatuses?.[0]).toMatchObject({ ready: true, started: true, restartCount: 0 });
  expect(status.podIP).toMatch(/^10\.244\.\d+\.\d+$/);
  expect(status.hostIP).toBe("10.0.0.9");
  expect(events.map((e) => e.reason)).toEqual(["Started"]);

  rt.apply(assignment("p1", { deletionTimestamp: "2026-01-01T00:00:30Z" }));
  expect(rt.drain().terminated).toEqual(["p1"]);
  expect(rt.pods).toEqual([]);
});

it("keeps a pod's IP across updates and drops orphans", async () => {
  const rt = new SimulatedRuntime();
  rt.apply(assignment("p1"));
  const ip = rt.drain().statuses[0].status.podIP;
  rt.apply(assignment("p1", { labels: { x: "y" } }));
  expect(rt.drain().statuses[0].status.podIP).toBe(ip);
  rt.apply(assignment("p2"));
  await rt.collectOrphans(new Set(["p2"]));
  expect(rt.pods).toEqual(["p2"]);
});

afterEach(() => {
  vi.useRealTimers();
});

it("finishes a Job-like pod: Succeeded when its command ends, reported without another apply", () => {
  vi.useFakeTimers({ now: Date.parse("2026-01-01T00:00:00Z") });
  const rt = new SimulatedRuntime();
  const a = assignment("job-pod");
  a.pod.spec = { restartPolicy: "Never", containers: [{ name: "main", image: "busybox", command: ["sleep", "2"] }] };
  rt.apply(a);
  expect(rt.drain().statuses[0].status.phase).toBe("Running");
  vi.advanceTimersByTime(2000);
  const done = rt.drain().statuses[0].status;
  expect(done.phase).toBe("Succeeded");
  expect(done.containerStatuses?.[0].state.terminated).toMatchObject({ exitCode: 0, reason: "Completed" });
  // A deleted pod's timers go with it.
  const b = assignment("failing");
  b.pod.spec = { restartPolicy: "Never", containers: [{ name: "main", image: "busybox", command: ["false"] }] };
  rt.apply(b);
  expect(rt.drain().statuses[0].status.phase).toBe("Failed");
  const c = assignment("later");
  c.pod.spec = { restartPolicy: "Never", containers: [{ name: "main", image: "busybox", command: ["sleep", "5"] }] };
  rt.apply(c);
  rt.drain();
  rt.forget("later");
  vi.advanceTimersByTime(60_000);
  expect(rt.drain().statuses).toEqual([]);
});

it("does not run again a pod that had finished (restored after the agent restarted)", () => {
  const rt = new SimulatedRuntime();
  const a = assignment("done");
  a.pod.status = { phase: "Succeeded" };
  rt.apply(a);
  expect(rt.drain().statuses).toEqual([]);
  expect(rt.pods).toEqual([]);
  rt.apply(assignment("done", { deletionTimestamp: "2026-01-01T00:00:30Z" }));
  expect(rt.drain().terminated).toEqual(["done"]);
});

it("starts an ephemeral container once it is added, and never restarts it", () => {
  let now = Date.parse("2026-01-01T00:00:00Z");
  const rt = new SimulatedRuntime("10.0.0.9", () => now);
  const a = assignment("p1");
  rt.apply(a);
  expect(rt.drain().statuses[0].status.ephemeralContainerStatuses).toBeUndefined();
  now += 5_000;
  const debug = { name: "debugger", image: "busybox", command: ["sh", "-c", "exit 3"], targetContainerName: "a" };
  rt.apply({ ...a, pod: { ...a.pod, spec: { ...a.pod.spec, restartPolicy: "Always", ephemeralContainers: [debug] } } });
  const status = rt.drain().statuses[0].status;
  expect(status.ephemeralContainerStatuses?.[0]).toMatchObject({
    name: "debugger",
    ready: false,
    restartCount: 0,
    state: { terminated: { exitCode: 3, reason: "Error" } },
  });
  expect(status.phase).toBe("Running");
});
