// The Docker Engine API runtime (Docker or Podman): one worker per pod, a pass about once a second and at
// once on container events, containers found by labels so a restarted agent adopts what already runs.
import { readdir } from "node:fs/promises";
import type Docker from "dockerode";
import type { MetricsReport, PodAssignment, PodStatusUpdate } from "../../../kube/agent-protocol.ts";
import type { Pod } from "../../../kube/pod-types.ts";
import { RestartBackoff } from "../../backoff.ts";
import { NodeUsageSampler } from "../../node-usage.ts";
import { EventRecorder } from "../events.ts";
import type { PodRuntime, RuntimeReport } from "../types.ts";
import { DEFAULT_INFRA_IMAGE } from "./container-spec.ts";
import type { WorkerContext } from "./context.ts";
import { connectDocker, runtimeVersion } from "./connect.ts";
import { ContainerCache, EventLines } from "./container-cache.ts";
import { identityOf, LABEL_NODE, LABEL_POD_UID, removalRank } from "./labels.ts";
import type { PodNetworkConfig } from "./pod-files.ts";
import { PodWorker } from "./pod-worker.ts";
import type { PodTokenManager } from "../../pod/tokens.ts";
import type { EngineStats } from "./stats.ts";
import { StatsCollector, statsTargets } from "./stats-collector.ts";
import { removeDir } from "./volumes-fs.ts";

export interface DockerRuntimeOptions {
  dockerHost: string;
  nodeName: string;
  hostIP: string;
  /** Pod directories (volumes): <stateDir>/pods/<uid>. */
  podsDir: string;
  nodeAllocatable: Record<string, string>;
  infraImage?: string;
  /** The Service variables for a pod's containers (the node-local service proxy's). */
  serviceEnv?: (pod: Pod) => [string, string][];
  /** The network pods join (the node's pod network; undefined while not ready). Absent: the default bridge. */
  podNetwork?: () => string | undefined;
  /** DNS settings for pods' resolv.conf, /etc/hosts and hostname. */
  network?: PodNetworkConfig;
  /** Reconcile period; tests shorten it. */
  periodMs?: number;
  /** How often the full container list is read as a safety net for missed events (default 30 s). */
  fullListEveryMs?: number;
  /** Fetches and refreshes the pods' ServiceAccount tokens (absent: projected tokens cannot be written). */
  podTokens?: PodTokenManager;
}

export class DockerRuntime implements PodRuntime {
  readonly docker: Docker;
  #workers = new Map<string, PodWorker>();
  #statuses = new Map<string, PodStatusUpdate>();
  #terminated = new Set<string>();
  #listeners: (() => void)[] = [];
  #events: EventRecorder;
  #cache: ContainerCache;
  #timer?: NodeJS.Timeout;
  #eventStream?: NodeJS.ReadableStream;
  #kicked = false;
  #passing = false;
  #closed = false;
  #stats: StatsCollector;
  #nodeUsage = new NodeUsageSampler();
  readonly context: WorkerContext;

  constructor(readonly options: DockerRuntimeOptions) {
    this.docker = connectDocker(options.dockerHost);
    this.#cache = new ContainerCache(this.docker, options.nodeName, options.fullListEveryMs);
    this.#events = new EventRecorder(undefined, () => this.#changed());
    // one-shot: Docker answers at once instead of waiting a second to fill precpu_stats.
    this.#stats = new StatsCollector(
      (id) => this.docker.getContainer(id).stats({ stream: false, "one-shot": true }) as Promise<EngineStats>,
    );
    this.context = {
      docker: this.docker,
      nodeName: options.nodeName,
      hostIP: options.hostIP,
      podsDir: options.podsDir,
      infraImage: options.infraImage ?? DEFAULT_INFRA_IMAGE,
      crashBackoff: new RestartBackoff(),
      pullBackoff: new RestartBackoff(),
      events: this.#events,
      nodeAllocatable: options.nodeAllocatable,
      serviceEnv: options.serviceEnv,
      podNetwork: options.podNetwork,
      network: options.network,
      podTokens: options.podTokens,
      // Podman gives a container joining another's network its own UTS namespace; Docker shares the hostname.
      sharesUTS: runtimeVersion(this.docker).then(
        (v) => v.startsWith("podman://"),
        () => false,
      ),
      containersOf: (uid, fresh) => this.#containersOf(uid, fresh),
      track: async (id) => {
        await this.#cache.track(id);
      },
      report: (update) => {
        this.#statuses.set(update.uid, update);
        this.#changed();
      },
      terminated: (uid) => {
        this.#terminated.add(uid);
        this.#workers.delete(uid);
        options.podTokens?.forget(uid);
        this.#changed();
      },
      kick: () => this.kick(),
      now: () => Date.now(),
    };
  }

  version(): Promise<string> {
    return runtimeVersion(this.docker);
  }

  async start(restored: PodAssignment[]): Promise<void> {
    for (const assignment of restored) this.apply(assignment);
    await this.#watchEvents();
    this.#schedule(0);
  }

  apply(assignment: PodAssignment): void {
    const uid = assignment.pod.metadata.uid ?? "";
    const worker = this.#workers.get(uid);
    if (worker) worker.update(assignment);
    else this.#workers.set(uid, new PodWorker(this.context, assignment));
    this.kick();
  }

  forget(uid: string): void {
    const worker = this.#workers.get(uid);
    if (worker) worker.forget();
    this.kick();
  }

  /** Containers of this node whose pod the agent does not hold, and their pod directories, are removed. */
  async collectOrphans(known: Set<string>): Promise<void> {
    const all = await this.docker.listContainers({
      all: true,
      filters: { label: [`${LABEL_NODE}=${this.options.nodeName}`] },
    });
    const orphans = all.filter((summary) => {
      const uid = summary.Labels[LABEL_POD_UID];
      return !known.has(uid) && !this.#workers.has(uid);
    });
    // Containers others join go after them: Podman refuses to remove one while others join its namespaces.
    orphans.sort((a, b) => removalRank(a.Labels) - removalRank(b.Labels));
    for (const summary of orphans)
      await this.docker
        .getContainer(summary.Id)
        .remove({ force: true })
        .catch(() => {});
    for (const uid of await readdir(this.options.podsDir).catch(() => [] as string[]))
      if (!known.has(uid) && !this.#workers.has(uid)) await removeDir(`${this.options.podsDir}/${uid}`);
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

  /** Node usage from /proc and the running app containers' usage from the stats API (cached inspections). */
  async metrics(): Promise<MetricsReport | undefined> {
    const infos = [...this.#workers.keys()].flatMap((uid) => this.#cache.byPod(uid));
    const [pods, node] = await Promise.all([
      this.#stats.collect(statsTargets(infos, (labels) => identityOf(labels, this.options.nodeName))),
      this.#nodeUsage.sample(),
    ]);
    if (!node) return undefined;
    return {
      timestamp: new Date().toISOString().replace(/\.\d+Z$/, "Z"),
      windowSeconds: node.windowSeconds,
      node: { cpuNanoCores: node.cpuNanoCores, memoryBytes: node.memoryBytes },
      pods: pods.pods,
    };
  }

  /** The node left the cluster: no more passes, and every pod's containers and directories go at once. */
  async removeAll(): Promise<void> {
    await this.close();
    this.#workers.clear();
    await this.collectOrphans(new Set());
  }

  async close(): Promise<void> {
    this.#closed = true;
    clearTimeout(this.#timer);
    (this.#eventStream as unknown as { destroy?: () => void })?.destroy?.();
  }

  /** Runs a pass soon (coalesced). */
  kick(): void {
    if (this.#passing) this.#kicked = true;
    else this.#schedule(10);
  }

  /** Worker uids held, for tests and diagnostics. */
  get pods(): string[] {
    return [...this.#workers.keys()];
  }

  #changed(): void {
    for (const listener of this.#listeners) listener();
  }

  #schedule(ms: number): void {
    if (this.#closed) return;
    clearTimeout(this.#timer);
    this.#timer = setTimeout(() => void this.#pass(), ms);
  }

  async #pass(): Promise<void> {
    this.#passing = true;
    try {
      const snapshotAt = performance.now();
      await this.#cache.refresh();
      for (const worker of this.#workers.values()) void worker.tick(snapshotAt);
    } catch (error) {
      console.error(`runtime: ${(error as Error).message}`);
    } finally {
      this.#passing = false;
      const again = this.#kicked;
      this.#kicked = false;
      this.#schedule(again ? 10 : (this.options.periodMs ?? 1000));
    }
  }

  async #containersOf(uid: string, fresh: boolean): Promise<Docker.ContainerInspectInfo[]> {
    return fresh ? this.#cache.freshByPod(uid) : this.#cache.byPod(uid);
  }

  /** Container events (start, die …) trigger a pass at once instead of waiting for the next period. */
  async #watchEvents(): Promise<void> {
    try {
      const stream = await this.docker.getEvents({
        filters: { type: ["container"], label: [`${LABEL_NODE}=${this.options.nodeName}`] },
      });
      this.#eventStream = stream;
      const lines = new EventLines();
      stream.on("data", (chunk: Buffer) => {
        for (const id of lines.push(chunk)) this.#cache.markDirty(id);
        this.kick();
      });
      stream.on("error", () => {});
    } catch {
      // Without events the periodic pass still converges, only more slowly.
    }
  }
}
