// A pod's probes and its containers' statuses. Probes run off the reconcile pass (never blocking it);
// a verdict change asks for another pass. Liveness and startup failures stop the container, and the
// restart policy decides what follows.
import type { ContainerStatus, Pod } from "../../../kube/pod-types.ts";
import { containerFieldPath } from "../events.ts";
import type { Waiting } from "./container-start.ts";
import type { WorkerContext } from "./context.ts";
import { attemptOf, type PodInstances, startedAtMs } from "./instances.ts";
import { containerStatusOf } from "./observe.ts";
import { ProbeTracker, runProbe } from "./probes.ts";

interface ContainerProbes {
  id: string;
  liveness?: ProbeTracker;
  readiness?: ProbeTracker;
  startup?: ProbeTracker;
}

type ProbeKind = "liveness" | "readiness" | "startup";
const LABELS: Record<ProbeKind, string> = { liveness: "Liveness", readiness: "Readiness", startup: "Startup" };

export class ProbeSet {
  #byName = new Map<string, ContainerProbes>();

  constructor(
    private readonly ctx: WorkerContext,
    private readonly pod: () => Pod,
  ) {}

  /** Trackers for the container instance running now (fresh ones when the instance changed). */
  #trackers(name: string, id: string): ContainerProbes {
    const existing = this.#byName.get(name);
    if (existing?.id === id) return existing;
    const spec = this.pod().spec.containers.find((c) => c.name === name);
    const probes: ContainerProbes = {
      id,
      liveness: spec?.livenessProbe ? new ProbeTracker(spec.livenessProbe, true) : undefined,
      readiness: spec?.readinessProbe ? new ProbeTracker(spec.readinessProbe, false) : undefined,
      startup: spec?.startupProbe ? new ProbeTracker(spec.startupProbe, false) : undefined,
    };
    this.#byName.set(name, probes);
    return probes;
  }

  started(name: string, id: string): boolean {
    const startup = this.#trackers(name, id).startup;
    return !startup || startup.result;
  }

  ready(name: string, id: string): boolean {
    const probes = this.#trackers(name, id);
    if (!this.started(name, id)) return false;
    return !probes.readiness || probes.readiness.result;
  }

  /** Starts the probes that are due, for running app containers. */
  schedule(instances: PodInstances, podIP: string, hostNetwork: boolean): void {
    const now = this.ctx.now();
    for (const spec of this.pod().spec.containers) {
      const info = instances.byName.get(spec.name)?.[0];
      if (!info?.State.Running) continue;
      const probes = this.#trackers(spec.name, info.Id);
      const kinds: ProbeKind[] = probes.startup && !probes.startup.result ? ["startup"] : ["liveness", "readiness"];
      for (const kind of kinds) {
        const tracker = probes[kind];
        if (!tracker?.due(now, startedAtMs(info))) continue;
        tracker.running = true;
        const target = {
          docker: this.ctx.docker,
          containerId: info.Id,
          container: spec,
          host: hostNetwork ? "127.0.0.1" : podIP,
        };
        void runProbe(tracker.probe, target).then((result) => {
          tracker.running = false;
          const flipped = tracker.observe(result.ok, this.ctx.now(), result.message);
          if (!result.ok)
            this.ctx.events.record(
              this.pod(),
              "Warning",
              "Unhealthy",
              `${LABELS[kind]} probe failed: ${result.message}`,
              containerFieldPath(spec.name, false),
            );
          if (flipped || (kind !== "readiness" && tracker.failed)) this.ctx.kick();
        });
      }
    }
  }

  /** Stops containers whose liveness or startup probe failed. True when one was stopped. */
  async enforceLiveness(instances: PodInstances, graceSeconds: number): Promise<boolean> {
    let stopped = false;
    for (const spec of this.pod().spec.containers) {
      const info = instances.byName.get(spec.name)?.[0];
      if (!info?.State.Running) continue;
      const probes = this.#trackers(spec.name, info.Id);
      const failed = probes.startup && !probes.startup.result ? probes.startup : probes.liveness;
      if (!failed?.failed || failed.result) continue;
      const kind = failed === probes.startup ? "startup" : "liveness";
      this.ctx.events.record(
        this.pod(),
        "Normal",
        "Killing",
        `Container ${spec.name} failed ${kind} probe, will be restarted`,
        containerFieldPath(spec.name, false),
      );
      await this.ctx.docker
        .getContainer(info.Id)
        .stop({ t: graceSeconds })
        .catch(() => {});
      this.#byName.delete(spec.name);
      stopped = true;
    }
    return stopped;
  }
}

/** status.initContainerStatuses and containerStatuses from the pod's instances. */
export function buildContainerStatuses(
  pod: Pod,
  instances: PodInstances,
  waiting: Map<string, Waiting>,
  probes: ProbeSet,
): { init: ContainerStatus[]; app: ContainerStatus[]; ephemeral: ContainerStatus[] } {
  const nodeName = (info: { Config: { Labels: Record<string, string> } }) =>
    info.Config.Labels["io.flotilla.node"] ?? "";
  const initSpecs = pod.spec.initContainers ?? [];
  const initDone = initSpecs.every((spec) => {
    const latest = instances.byName.get(spec.name)?.[0];
    return latest && !latest.State.Running && latest.State.ExitCode === 0 && startedAtMs(latest) > 0;
  });
  const observe = (name: string, image: string, isInit: boolean): ContainerStatus => {
    const [current, previous] = instances.byName.get(name) ?? [];
    const fallback = isInit || initDone ? undefined : { reason: "PodInitializing" };
    const status = containerStatusOf(name, {
      current,
      previous,
      attempt: current ? attemptOf(current, nodeName(current)) : 0,
      image,
      waiting: waiting.get(name) ?? (current ? undefined : fallback),
      ready: current ? probes.ready(name, current.Id) : false,
      started: current ? probes.started(name, current.Id) : false,
    });
    if (isInit) {
      status.ready = status.state.terminated?.exitCode === 0;
      status.started = Boolean(status.state.running);
    }
    return status;
  };
  return {
    init: initSpecs.map((c) => observe(c.name, c.image ?? "", true)),
    app: pod.spec.containers.map((c) => observe(c.name, c.image ?? "", false)),
    // Ephemeral containers have no probes and never wait on init containers (they come once the pod runs).
    ephemeral: (pod.spec.ephemeralContainers ?? []).map((c) => {
      const status = observe(c.name, c.image ?? "", true);
      status.ready = false;
      delete status.started;
      return status;
    }),
  };
}
