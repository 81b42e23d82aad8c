import { describe, expect, it } from "vitest";
import type { KubeObject } from "../../../kube/types.ts";
import { podCells, podIP, readinessGatesCell } from "./pod-status.ts";

const NOW = Date.parse("2024-05-01T12:00:00Z");
const minutesAgo = (m: number) => new Date(NOW - m * 60_000).toISOString();

// biome-ignore lint/suspicious/noExplicitAny: test fixtures are loose pod JSON
function pod(spec: any, status: any, metadata: KubeObject["metadata"] = { name: "p" }): KubeObject {
  return { apiVersion: "v1", kind: "Pod", metadata, spec, status };
}

const one = { containers: [{ name: "app", image: "nginx" }] };
const two = {
  containers: [
    { name: "a", image: "x" },
    { name: "b", image: "y" },
  ],
};
const withInit = {
  initContainers: [{ name: "init", image: "busybox" }],
  containers: [{ name: "app", image: "nginx" }],
};
const withSidecar = {
  initContainers: [{ name: "side", image: "envoy", restartPolicy: "Always" }],
  containers: [{ name: "app", image: "nginx" }],
};

const running = (name: string, ready = true, restartCount = 0) => ({
  name,
  ready,
  restartCount,
  state: { running: { startedAt: minutesAgo(10) } },
});

describe("podCells", () => {
  it.each<[string, KubeObject, string, string, string]>([
    ["a new pod", pod(one, { phase: "Pending" }), "0/1", "Pending", "0"],
    ["a pod with no status", pod(one, undefined), "0/1", "", "0"],
    ["a running ready pod", pod(one, { phase: "Running", containerStatuses: [running("app")] }), "1/1", "Running", "0"],
    [
      "a running pod, not ready",
      pod(one, { phase: "Running", containerStatuses: [running("app", false)] }),
      "0/1",
      "Running",
      "0",
    ],
    [
      "waiting for its image",
      pod(one, {
        phase: "Pending",
        containerStatuses: [
          { name: "app", ready: false, restartCount: 0, state: { waiting: { reason: "ContainerCreating" } } },
        ],
      }),
      "0/1",
      "ContainerCreating",
      "0",
    ],
    [
      "an image pull error",
      pod(one, {
        phase: "Pending",
        containerStatuses: [{ name: "app", ready: false, state: { waiting: { reason: "ErrImagePull" } } }],
      }),
      "0/1",
      "ErrImagePull",
      "0",
    ],
    [
      "the first container's state wins",
      pod(two, {
        phase: "Running",
        containerStatuses: [
          { name: "a", state: { waiting: { reason: "CrashLoopBackOff" } }, restartCount: 2 },
          { name: "b", state: { waiting: { reason: "ImagePullBackOff" } } },
        ],
      }),
      "0/2",
      "CrashLoopBackOff",
      "2",
    ],
    [
      "a completed pod",
      pod(one, {
        phase: "Succeeded",
        containerStatuses: [{ name: "app", state: { terminated: { reason: "Completed", exitCode: 0 } } }],
      }),
      "0/1",
      "Completed",
      "0",
    ],
    [
      "terminated without a reason, by exit code",
      pod(one, { phase: "Failed", containerStatuses: [{ name: "app", state: { terminated: { exitCode: 3 } } }] }),
      "0/1",
      "ExitCode:3",
      "0",
    ],
    [
      "terminated without a reason, by signal",
      pod(one, {
        phase: "Failed",
        containerStatuses: [{ name: "app", state: { terminated: { exitCode: 137, signal: 9 } } }],
      }),
      "0/1",
      "Signal:9",
      "0",
    ],
    [
      "one completed and one running container, pod ready",
      pod(two, {
        phase: "Running",
        conditions: [{ type: "Ready", status: "True" }],
        containerStatuses: [{ name: "a", state: { terminated: { reason: "Completed", exitCode: 0 } } }, running("b")],
      }),
      "1/2",
      "Running",
      "0",
    ],
    [
      "one completed and one running container, pod not ready",
      pod(two, {
        phase: "Running",
        containerStatuses: [{ name: "a", state: { terminated: { reason: "Completed", exitCode: 0 } } }, running("b")],
      }),
      "1/2",
      "NotReady",
      "0",
    ],
    [
      "an init container still running",
      pod(withInit, {
        phase: "Pending",
        initContainerStatuses: [{ name: "init", state: { running: {} } }],
        containerStatuses: [{ name: "app", state: { waiting: { reason: "PodInitializing" } } }],
      }),
      "0/1",
      "Init:0/1",
      "0",
    ],
    [
      "an init container pulling its image",
      pod(withInit, {
        phase: "Pending",
        initContainerStatuses: [{ name: "init", state: { waiting: { reason: "ErrImagePull" } } }],
      }),
      "0/1",
      "Init:ErrImagePull",
      "0",
    ],
    [
      "an init container waiting for PodInitializing",
      pod(withInit, {
        phase: "Pending",
        initContainerStatuses: [{ name: "init", state: { waiting: { reason: "PodInitializing" } } }],
      }),
      "0/1",
      "Init:0/1",
      "0",
    ],
    [
      "a failed init container",
      pod(withInit, {
        phase: "Pending",
        initContainerStatuses: [
          { name: "init", restartCount: 3, state: { terminated: { reason: "Error", exitCode: 1 } } },
        ],
      }),
      "0/1",
      "Init:Error",
      "3",
    ],
    [
      "a failed init container without a reason",
      pod(withInit, {
        phase: "Pending",
        initContainerStatuses: [{ name: "init", state: { terminated: { exitCode: 2 } } }],
      }),
      "0/1",
      "Init:ExitCode:2",
      "0",
    ],
    [
      "init done, app running",
      pod(withInit, {
        phase: "Running",
        initContainerStatuses: [
          { name: "init", restartCount: 1, state: { terminated: { reason: "Completed", exitCode: 0 } } },
        ],
        containerStatuses: [running("app")],
      }),
      "1/1",
      "Running",
      "0",
    ],
    [
      "a started sidecar counts as a container",
      pod(withSidecar, {
        phase: "Running",
        conditions: [{ type: "Initialized", status: "True" }],
        initContainerStatuses: [{ ...running("side"), started: true, restartCount: 1 }],
        containerStatuses: [running("app")],
      }),
      "2/2",
      "Running",
      "1",
    ],
    [
      "a sidecar not started yet",
      pod(withSidecar, {
        phase: "Pending",
        initContainerStatuses: [{ name: "side", started: false, state: { running: {} } }],
      }),
      "0/2",
      "Init:0/1",
      "0",
    ],
    ["status.reason overrides the phase", pod(one, { phase: "Failed", reason: "Evicted" }), "0/1", "Evicted", "0"],
    [
      "scheduling gated",
      pod(one, {
        phase: "Pending",
        conditions: [{ type: "PodScheduled", status: "False", reason: "SchedulingGated" }],
      }),
      "0/1",
      "SchedulingGated",
      "0",
    ],
    [
      "a deleted running pod is Terminating",
      pod(
        one,
        { phase: "Running", containerStatuses: [running("app")] },
        { name: "p", deletionTimestamp: minutesAgo(0) },
      ),
      "1/1",
      "Terminating",
      "0",
    ],
    [
      "a deleted finished pod keeps its reason",
      pod(
        one,
        { phase: "Succeeded", containerStatuses: [{ name: "app", state: { terminated: { reason: "Completed" } } }] },
        { name: "p", deletionTimestamp: minutesAgo(0) },
      ),
      "0/1",
      "Completed",
      "0",
    ],
    [
      "a deleted pod on a lost node is Unknown",
      pod(one, { phase: "Running", reason: "NodeLost" }, { name: "p", deletionTimestamp: minutesAgo(0) }),
      "0/1",
      "Unknown",
      "0",
    ],
  ])("%s", (_, p, ready, status, restarts) => {
    expect(podCells(p, NOW)).toEqual({ ready, status, restarts });
  });

  it("shows the time of the last restart", () => {
    const p = pod(two, {
      phase: "Running",
      containerStatuses: [
        { ...running("a", true, 2), lastState: { terminated: { finishedAt: minutesAgo(30) } } },
        { ...running("b", true, 1), lastState: { terminated: { finishedAt: minutesAgo(5) } } },
      ],
    });
    expect(podCells(p, NOW).restarts).toBe("3 (5m ago)");
  });

  it("counts init container restarts while initializing", () => {
    const p = pod(withInit, {
      phase: "Pending",
      initContainerStatuses: [
        {
          name: "init",
          restartCount: 4,
          state: { waiting: { reason: "CrashLoopBackOff" } },
          lastState: { terminated: { finishedAt: minutesAgo(2) } },
        },
      ],
    });
    expect(podCells(p, NOW)).toEqual({ ready: "0/1", status: "Init:CrashLoopBackOff", restarts: "4 (2m ago)" });
  });
});

describe("wide cells", () => {
  it("readiness gates", () => {
    expect(readinessGatesCell(pod(one, {}))).toBe("<none>");
    const p = pod(
      { ...one, readinessGates: [{ conditionType: "a" }, { conditionType: "b" }] },
      {
        conditions: [
          { type: "a", status: "True" },
          { type: "b", status: "False" },
        ],
      },
    );
    expect(readinessGatesCell(p)).toBe("1/2");
  });

  it("pod IP from podIPs, else podIP", () => {
    expect(podIP(pod(one, { podIPs: [{ ip: "10.0.0.2" }], podIP: "10.0.0.9" }))).toBe("10.0.0.2");
    expect(podIP(pod(one, { podIP: "10.0.0.9" }))).toBe("10.0.0.9");
    expect(podIP(pod(one, {}))).toBe("");
  });
});
