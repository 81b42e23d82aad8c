// Pods that "run" without processes: every container Running and Ready at once, init containers
// Completed, a made-up pod IP; containers end as their command or the sim.flotilla.dev/exit annotation
// says (simulated-exit.ts), so Jobs complete. For scale tests of the control plane with thousands of nodes.
import type { MetricsReport, PodAssignment, PodStatusUpdate } from "../../kube/agent-protocol.ts";
import type { Container, ContainerStatus, Pod, PodStatus } from "../../kube/pod-types.ts";
import { computePodStatus } from "../pod/status.ts";
import { EventRecorder } from "./events.ts";
import { SimulatedContainers } from "./simulated-containers.ts";
import { simulatedMetrics } from "./simulated-usage.ts";
import type { PodRuntime, RuntimeReport } from "./types.ts";

let nextAddress = 0;

/** 10.244.0.0/16 addresses, unique within the process (shared by every simulated node in it). */
export function simulatedPodIP(): string {
  const n = nextAddress++ % 65_024;
  return `10.244.${Math.floor(n / 254)}.${(n % 254) + 1}`;
}

const timestamp = (ms: number) => new Date(ms).toISOString().replace(/\.\d+Z$/, "Z");

interface Entry {
  pod: Pod;
  podIP: string;
  startedAt: string;
  containers: SimulatedContainers;
  timer?: ReturnType<typeof setTimeout>;
  /** The last status reported, so unchanged conditions keep their lastTransitionTime. */
  status?: PodStatus;
}

export class SimulatedRuntime implements PodRuntime {
  #pods = new Map<string, Entry>();
  #statuses = new Map<string, PodStatusUpdate>();
  #terminated = new Set<string>();
  #listeners: (() => void)[] = [];
  #events: EventRecorder;
  #metricsAt?: number;

  constructor(
    readonly hostIP = "10.0.0.1",
    private readonly now: () => number = Date.now,
  ) {
    this.#events = new EventRecorder(
      () => timestamp(this.now()),
      () => this.#changed(),
    );
  }

  async version(): Promise<string> {
    return "simulated://1.0.0";
  }

  async start(restored: PodAssignment[]): Promise<void> {
    for (const a of restored) this.apply(a);
  }

  apply(assignment: PodAssignment): void {
    const pod = assignment.pod;
    const uid = pod.metadata.uid ?? "";
    if (pod.metadata.deletionTimestamp) {
      this.#drop(uid);
      this.#terminated.add(uid);
      this.#changed();
      return;
    }
    const existing = this.#pods.get(uid);
    if (existing) {
      existing.pod = pod;
      existing.containers.update(pod, this.now());
      this.#report(existing);
      return;
    }
    // A pod that finished before (restored after a restart) stays finished: nothing runs it again.
    const phase = pod.status?.phase;
    if (phase === "Succeeded" || phase === "Failed") return;
    const now = this.now();
    const entry: Entry = {
      pod,
      podIP: simulatedPodIP(),
      startedAt: timestamp(now),
      containers: new SimulatedContainers(pod, now),
    };
    this.#pods.set(uid, entry);
    for (const c of pod.spec.containers)
      this.#events.record(pod, "Normal", "Started", `Started container ${c.name}`, `spec.containers{${c.name}}`);
    this.#report(entry);
  }

  forget(uid: string): void {
    this.#drop(uid);
    this.#events.forget(uid);
  }

  async collectOrphans(known: Set<string>): Promise<void> {
    for (const uid of this.#pods.keys()) if (!known.has(uid)) this.#drop(uid);
  }

  drain(): RuntimeReport {
    const report = {
      statuses: [...this.#statuses.values()],
      events: this.#events.drain(),
      terminated: [...this.#terminated],
    };
    this.#statuses.clear();
    this.#terminated.clear();
    return report;
  }

  onChange(listener: () => void): void {
    this.#listeners.push(listener);
  }

  /** Scripted usage: the pod annotation sim.flotilla.dev/usage, or a small fixed usage per container. */
  async metrics(): Promise<MetricsReport> {
    const now = this.now();
    const since = this.#metricsAt === undefined ? undefined : (now - this.#metricsAt) / 1000;
    this.#metricsAt = now;
    return simulatedMetrics(
      [...this.#pods.values()].map((e) => e.pod),
      now,
      since,
    );
  }

  async close(): Promise<void> {
    for (const entry of this.#pods.values()) clearTimeout(entry.timer);
  }

  get pods(): string[] {
    return [...this.#pods.keys()];
  }

  #drop(uid: string): void {
    clearTimeout(this.#pods.get(uid)?.timer);
    this.#pods.delete(uid);
  }

  #report(entry: Entry): void {
    const { pod, podIP, startedAt } = entry;
    const now = this.now();
    entry.containers.advance(now);
    const completed = (c: Container): ContainerStatus => ({
      name: c.name,
      state: { terminated: { exitCode: 0, reason: "Completed", startedAt, finishedAt: startedAt } },
      lastState: {},
      ready: true,
      started: false,
      restartCount: 0,
      image: c.image ?? "",
      imageID: "",
      containerID: `simulated://${pod.metadata.uid}-${c.name}`,
    });
    const status = computePodStatus({
      pod,
      initContainerStatuses: (pod.spec.initContainers ?? []).map(completed),
      containerStatuses: entry.containers.statuses(),
      ephemeralContainerStatuses: entry.containers.ephemeralStatuses(),
      sandboxReady: true,
      podIP: pod.spec.hostNetwork ? this.hostIP : podIP,
      hostIP: this.hostIP,
      startTime: startedAt,
      previous: entry.status,
      now: timestamp(now),
    });
    entry.status = status;
    const { uid = "", namespace = "default", name = "" } = pod.metadata;
    this.#statuses.set(uid, { uid, namespace, name, status });
    this.#changed();
    this.#schedule(entry);
  }

  /** A timer for the pod's next container change (an exit, a restart after back-off). */
  #schedule(entry: Entry): void {
    clearTimeout(entry.timer);
    const at = entry.containers.nextAt();
    if (at === undefined) return;
    entry.timer = setTimeout(
      () => {
        if (this.#pods.get(entry.pod.metadata.uid ?? "") === entry) this.#report(entry);
      },
      Math.max(0, at - this.now()),
    );
    (entry.timer as { unref?: () => void }).unref?.();
  }

  #changed(): void {
    for (const listener of this.#listeners) listener();
  }
}
