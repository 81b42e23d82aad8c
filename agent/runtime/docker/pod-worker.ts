// One pod's reconcile loop, the kubelet's SyncPod in small: infra container (network namespace), volumes,
// init containers in order, app containers with restart policy and CrashLoopBackOff, probes, teardown.
// Passes for one pod never overlap; the runtime calls tick() about once a second and on container events.
import type Docker from "dockerode";
import type { PodAssignment } from "../../../kube/agent-protocol.ts";
import type { Container, Pod, PodStatus } from "../../../kube/pod-types.ts";
import { ContainerConfigError, type PodReferences } from "../../pod/env.ts";
import { computePodStatus } from "../../pod/status.ts";
import { type BindMount, planVolumes, VolumeSetupError, type VolumePlan } from "../../pod/volumes.ts";
import { kindFieldPath } from "../events.ts";
import { backOffEventMessage, crashLoopMessage, startContainer, type Waiting } from "./container-start.ts";
import { infraCreateOptions } from "./container-spec.ts";
import type { WorkerContext } from "./context.ts";
import { type WrittenFiles, writePodFiles } from "./pod-files.ts";
import { ensureImage, PullAborted } from "./images.ts";
import { attemptOf, finishedAtMs, groupInstances, isExited, type PodInstances, podIPOf } from "./instances.ts";
import { buildContainerStatuses, ProbeSet } from "./pod-probes.ts";
import { removeAll, teardownPod } from "./teardown.ts";
import { materializeVolumes } from "./volumes-fs.ts";

const DEFAULT_GRACE_SECONDS = 30;

export class PodWorker {
  #assignment: PodAssignment;
  #forgotten = false;
  #done = false;
  #busy = false;
  #waiting = new Map<string, Waiting>();
  #retryAt = new Map<string, number>();
  #probes: ProbeSet;
  #plans: VolumePlan[] = [];
  #volumesKey = "";
  #lastSent = "";
  #lastStatus?: PodStatus;
  #podIP?: string;
  #startTime: string;
  #lastPassEnd = -1;
  #podMounts: BindMount[] = [];
  #utsMode?: string;
  #warned = new Set<string>();
  #written: WrittenFiles = new Map();
  /** Aborted once the pod is deleted or forgotten: a pass stuck in an image pull lets teardown go first. */
  #stopping = new AbortController();

  constructor(
    private readonly ctx: WorkerContext,
    assignment: PodAssignment,
  ) {
    this.#assignment = assignment;
    this.#lastStatus = assignment.pod.status as PodStatus | undefined;
    this.#startTime = assignment.pod.status?.startTime ?? new Date(ctx.now()).toISOString().replace(/\.\d+Z$/, "Z");
    this.#probes = new ProbeSet(ctx, () => this.pod);
  }

  get pod(): Pod {
    return this.#assignment.pod;
  }
  get uid(): string {
    return this.pod.metadata.uid ?? "";
  }
  get done(): boolean {
    return this.#done;
  }

  update(assignment: PodAssignment): void {
    this.#assignment = assignment;
    if (assignment.pod.metadata.deletionTimestamp) this.#stopping.abort();
  }

  /** The pod is gone from the cluster: tear it down without reporting. */
  forget(): void {
    this.#forgotten = true;
    this.#stopping.abort();
  }

  /**
   * One reconcile pass. `snapshotAt` is when the runtime's cached container list was taken: a snapshot
   * older than this worker's own last pass may miss containers it created, so it lists afresh then.
   */
  async tick(snapshotAt = 0): Promise<void> {
    if (this.#busy || this.#done) return;
    this.#busy = true;
    try {
      await this.#reconcile(snapshotAt <= this.#lastPassEnd);
    } catch (error) {
      if (!(error instanceof PullAborted))
        console.error(`pod ${this.pod.metadata.namespace}/${this.pod.metadata.name}: ${(error as Error).message}`);
    } finally {
      this.#lastPassEnd = performance.now();
      this.#busy = false;
    }
  }

  get #refs(): PodReferences {
    const { configMaps, secrets } = this.#assignment;
    return {
      pod: this.pod,
      configMaps,
      secrets,
      podIP: this.#podIP,
      hostIP: this.ctx.hostIP,
      nodeAllocatable: this.ctx.nodeAllocatable,
      serviceEnv: this.ctx.serviceEnv?.(this.pod),
      claims: this.#assignment.claims,
    };
  }

  async #reconcile(stale: boolean): Promise<void> {
    let instances = groupInstances(await this.ctx.containersOf(this.uid, stale), this.ctx.nodeName);
    if (this.#forgotten || this.pod.metadata.deletionTimestamp) return this.#teardown(instances);
    const terminal = this.#lastStatus?.phase === "Succeeded" || this.#lastStatus?.phase === "Failed";
    let changed = false;
    if (!terminal && (await this.#prepareVolumes())) {
      const infra = await this.#ensureInfra(instances);
      if (infra) {
        changed = infra.Id !== instances.infra?.Id;
        if (changed) instances = groupInstances(await this.ctx.containersOf(this.uid, true), this.ctx.nodeName);
        this.#podIP = this.pod.spec.hostNetwork ? this.ctx.hostIP : podIPOf(infra);
        await this.#writePodFiles(infra.Id);
        changed = (await this.#runContainers(instances, infra.Id)) || changed;
      }
    }
    if (changed) instances = groupInstances(await this.ctx.containersOf(this.uid, true), this.ctx.nodeName);
    if (await this.#probes.enforceLiveness(instances, this.#graceSeconds())) {
      instances = groupInstances(await this.ctx.containersOf(this.uid, true), this.ctx.nodeName);
    }
    this.#probes.schedule(instances, this.#podIP ?? "", this.pod.spec.hostNetwork === true);
    const status = this.#report(instances);
    if ((status.phase === "Succeeded" || status.phase === "Failed") && instances.infra?.State.Running)
      await this.ctx.docker
        .getContainer(instances.infra.Id)
        .kill()
        .catch(() => {});
  }

  #graceSeconds(): number {
    return this.pod.spec.terminationGracePeriodSeconds ?? DEFAULT_GRACE_SECONDS;
  }

  /**
   * Writes volumes when the pod, its references or its ServiceAccount tokens (refreshed by the token
   * manager before they expire) changed. False when a volume cannot be set up.
   */
  async #prepareVolumes(): Promise<boolean> {
    try {
      const tokens = this.ctx.podTokens ? await this.ctx.podTokens.tokensFor(this.pod) : undefined;
      const { configMaps, secrets, claims } = this.#assignment;
      const key = JSON.stringify([this.pod.spec.volumes, configMaps, secrets, claims, tokens]);
      if (key === this.#volumesKey) return true;
      this.#plans = planVolumes({ ...this.#refs, serviceAccountTokens: tokens }, `${this.ctx.podsDir}/${this.uid}`);
      await materializeVolumes(this.#plans);
      this.#volumesKey = key;
      return true;
    } catch (error) {
      if (!(error instanceof ContainerConfigError)) throw error;
      const token = error.message.startsWith("failed to fetch token");
      const failing =
        error instanceof VolumeSetupError
          ? error.volume
          : (this.pod.spec.volumes ?? []).find((v) =>
              token
                ? v.projected?.sources?.some((s) => s.serviceAccountToken)
                : error.message.includes(`"${v.configMap?.name ?? v.secret?.secretName}"`),
            )?.name;
      const message = `MountVolume.SetUp failed for volume "${failing ?? ""}" : ${error.message}`;
      this.ctx.events.record(this.pod, "Warning", "FailedMount", message);
      return false;
    }
  }

  async #ensureInfra(instances: PodInstances): Promise<Docker.ContainerInspectInfo | undefined> {
    const current = instances.infra;
    if (current?.State.Running) return current;
    const network = this.pod.spec.hostNetwork
      ? "host"
      : (this.ctx.podNetwork?.() ?? (this.ctx.podNetwork ? undefined : "bridge"));
    if (!network) {
      // As upstream's kubelet before the network plugin is ready: the pod waits, the next pass tries again.
      this.ctx.events.record(
        this.pod,
        "Warning",
        "NetworkNotReady",
        "network is not ready: the node has no pod CIDR yet",
      );
      return undefined;
    }
    if (current) {
      // The sandbox died: its network namespace is gone, so the pod's running containers go with it.
      this.ctx.events.record(
        this.pod,
        "Normal",
        "SandboxChanged",
        "Pod sandbox changed, it will be killed and re-created.",
      );
      for (const info of instances.all)
        if (info.State.Running)
          await this.ctx.docker
            .getContainer(info.Id)
            .kill()
            .catch(() => {});
      await this.ctx.docker
        .getContainer(current.Id)
        .remove({ force: true })
        .catch(() => {});
    }
    await ensureImage(
      this.ctx.docker,
      { name: "infra", image: this.ctx.infraImage, imagePullPolicy: "IfNotPresent" },
      undefined,
      this.#stopping.signal,
    );
    const options = infraCreateOptions(this.ctx.nodeName, this.pod, this.ctx.infraImage, network);
    const created = await this.ctx.docker.createContainer(options).catch(async (error: Error) => {
      // Created by an earlier pass this one did not see yet: use it rather than fail.
      if (!/already in use|Conflict/i.test(error.message)) throw error;
      return this.ctx.docker.getContainer(options.name!);
    });
    const info = await created.inspect();
    if (!info.State.Running) await created.start();
    await this.ctx.track(created.id);
    return created.inspect();
  }

  /** /etc/hosts, resolv.conf and hostname need the pod's IP: written once the sandbox runs, before any container. */
  async #writePodFiles(infraId: string): Promise<void> {
    const hostNetwork = this.pod.spec.hostNetwork === true;
    this.#utsMode = hostNetwork ? "host" : (await this.ctx.sharesUTS) ? `container:${infraId}` : undefined;
    if (!this.ctx.network) return;
    const podDir = `${this.ctx.podsDir}/${this.uid}`;
    const files = await writePodFiles(podDir, this.pod, this.#podIP, this.ctx.network, this.#written);
    this.#podMounts = files.mounts;
    for (const w of files.warnings)
      if (!this.#warned.has(w.message)) {
        this.#warned.add(w.message);
        this.ctx.events.record(this.pod, "Warning", w.reason, w.message);
      }
  }

  /** Init containers in order, then app containers. True when something was started. */
  async #runContainers(instances: PodInstances, infraId: string): Promise<boolean> {
    let changed = false;
    for (const spec of this.pod.spec.initContainers ?? []) {
      const latest = instances.byName.get(spec.name)?.[0];
      if (latest && isExited(latest) && latest.State.ExitCode === 0) continue;
      if (latest && !isExited(latest)) return changed;
      if (latest && (this.pod.spec.restartPolicy ?? "Always") === "Never") return changed;
      return (await this.#startOrWait(spec, "init", instances, infraId)) || changed;
    }
    for (const spec of this.pod.spec.containers) {
      const latest = instances.byName.get(spec.name)?.[0];
      if (latest && !isExited(latest)) continue;
      if (latest && !this.#shouldRestart(latest.State.ExitCode)) continue;
      changed = (await this.#startOrWait(spec, "app", instances, infraId)) || changed;
    }
    for (const spec of this.pod.spec.ephemeralContainers ?? []) {
      // Run once, never restarted (upstream's kubelet); with a target, only into its running process namespace.
      if (instances.byName.has(spec.name)) continue;
      const target = spec.targetContainerName ? instances.byName.get(spec.targetContainerName)?.[0] : undefined;
      if (spec.targetContainerName && !target?.State.Running) continue;
      const pidMode = target ? `container:${target.Id}` : undefined;
      changed = (await this.#startOrWait(spec, "ephemeral", instances, infraId, pidMode)) || changed;
    }
    return changed;
  }

  #shouldRestart(exitCode: number): boolean {
    const policy = this.pod.spec.restartPolicy ?? "Always";
    return policy === "Always" || (policy === "OnFailure" && exitCode !== 0);
  }

  async #startOrWait(
    spec: Container,
    kind: "init" | "app" | "ephemeral",
    instances: PodInstances,
    infraId: string,
    pidMode = this.pod.spec.shareProcessNamespace ? `container:${infraId}` : undefined,
  ): Promise<boolean> {
    if (this.#stopping.signal.aborted) return false;
    const now = this.ctx.now();
    const list = instances.byName.get(spec.name) ?? [];
    const latest = list[0];
    const waitUntil = this.#retryAt.get(spec.name) ?? 0;
    if (waitUntil > now) {
      const waiting = this.#waiting.get(spec.name);
      if (waiting?.reason === "ErrImagePull") this.#backOffPull(spec, kind);
      return false;
    }
    if (latest) {
      const key = `${this.uid}/${spec.name}`;
      const finished = finishedAtMs(latest);
      if (this.ctx.crashBackoff.inBackoffSince(key, finished, now)) {
        const delay = this.ctx.crashBackoff.current(key, now) ?? 0;
        this.#waiting.set(spec.name, {
          reason: "CrashLoopBackOff",
          message: crashLoopMessage(this.pod, spec.name, delay),
        });
        this.ctx.events.record(
          this.pod,
          "Warning",
          "BackOff",
          backOffEventMessage(this.pod, spec.name),
          kindFieldPath(spec.name, kind),
        );
        return false;
      }
      this.ctx.crashBackoff.next(key, finished);
    }
    const attempt = latest ? attemptOf(latest, this.ctx.nodeName) + 1 : 0;
    const outcome = await startContainer(this.ctx, {
      pod: this.pod,
      refs: this.#refs,
      container: spec,
      kind,
      attempt,
      infraId,
      plans: this.#plans,
      podMounts: this.#podMounts,
      utsMode: this.#utsMode,
      pidMode,
      signal: this.#stopping.signal,
    });
    if (!outcome.started) {
      this.#waiting.set(spec.name, outcome.waiting);
      this.#retryAt.set(spec.name, now + outcome.retryInMs);
      return false;
    }
    this.#waiting.delete(spec.name);
    this.#retryAt.delete(spec.name);
    // Keep the new instance and the one before it (lastState); older ones go.
    for (const old of list.slice(1))
      await this.ctx.docker
        .getContainer(old.Id)
        .remove({ force: true })
        .catch(() => {});
    return true;
  }

  #backOffPull(spec: Container, kind: "init" | "app" | "ephemeral"): void {
    const message = `Back-off pulling image "${spec.image}"`;
    this.#waiting.set(spec.name, { reason: "ImagePullBackOff", message });
    this.ctx.events.record(this.pod, "Normal", "BackOff", message, kindFieldPath(spec.name, kind));
  }

  #report(instances: PodInstances): PodStatus {
    const { init, app, ephemeral } = buildContainerStatuses(this.pod, instances, this.#waiting, this.#probes);
    const status = computePodStatus({
      pod: this.pod,
      initContainerStatuses: init,
      containerStatuses: app,
      ephemeralContainerStatuses: ephemeral,
      sandboxReady: instances.infra?.State.Running === true,
      podIP: this.#podIP,
      hostIP: this.ctx.hostIP,
      startTime: this.#startTime,
      previous: this.#lastStatus,
      now: new Date(this.ctx.now()).toISOString().replace(/\.\d+Z$/, "Z"),
    });
    const json = JSON.stringify(status);
    if (json !== this.#lastSent) {
      this.#lastSent = json;
      this.#lastStatus = status;
      const { namespace = "default", name = "" } = this.pod.metadata;
      this.ctx.report({ uid: this.uid, namespace, name, status });
    }
    return status;
  }

  async #teardown(instances: PodInstances): Promise<void> {
    const grace = this.#forgotten ? 2 : (this.pod.metadata.deletionGracePeriodSeconds ?? this.#graceSeconds());
    await teardownPod(this.ctx, this.pod, instances, grace);
    if (!this.#forgotten) {
      this.#report(groupInstances(await this.ctx.containersOf(this.uid, true), this.ctx.nodeName));
    }
    await removeAll(this.ctx, await this.ctx.containersOf(this.uid, true));
    this.ctx.crashBackoff.forget(`${this.uid}/`);
    this.ctx.pullBackoff.forget(`${this.uid}/`);
    this.ctx.events.forget(this.uid);
    this.#done = true;
    if (!this.#forgotten) this.ctx.terminated(this.uid);
  }
}
