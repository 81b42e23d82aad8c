// The agent's side of sync: one long-poll at a time carries the heartbeat, node status (when changed) and
// the runtime's news; the answer brings pods to run or stop. When the runtime has news while a poll is
// open, the poll is abandoned and a fresh one sent (everything in a sync is idempotent, so a request the
// object already handled does no harm when repeated). Unreachable: retry with back-off and jitter; the
// runtime keeps the pods running meanwhile.
import {
  AGENT_SYNC_PATH,
  type AgentNodeStatus,
  type ClusterDNSData,
  type NetworkPolicyData,
  type NodeCIDR,
  type PodAssignment,
  type SyncRequest,
  type SyncResponse,
  type SyncService,
} from "../kube/agent-protocol.ts";
import { retryDelay } from "./backoff.ts";
import { ApiError } from "./client.ts";
import { MetricsSampler } from "./metrics-sampler.ts";
import type { PodRuntime, RuntimeReport } from "./runtime/types.ts";

export interface SyncTransport {
  post<T>(
    path: string,
    token: string,
    body: unknown,
    options?: { signal?: AbortSignal; timeoutMs?: number },
  ): Promise<T>;
}

export interface AssignmentSink {
  save(assignment: PodAssignment): Promise<void>;
  remove(uid: string): Promise<void>;
}

export interface SyncLoopOptions {
  client: SyncTransport;
  credential: string;
  nodeName: string;
  runtime: PodRuntime;
  store: AssignmentSink;
  nodeStatus: () => Promise<AgentNodeStatus>;
  heartbeatSeconds: number;
  log?: (message: string) => void;
  random?: () => number;
  /** How long runtime news may gather before an open poll is abandoned for a fresh one. */
  debounceMs?: number;
  /** The node-local service proxy: told the services before pods start (their env names its ports). */
  services?: { update(services: SyncService[]): Promise<void> };
  /** The node's pod network: told the node's pod CIDR (and every node's) before pods start on it. */
  network?: { update(podCIDR: string | undefined, nodeCIDRs: NodeCIDR[] | undefined): Promise<void> };
  /**
   * The cluster no longer has this node (deleted): the loop stops, and this cleans up what the agent put
   * on the host for it.
   */
  onNodeGone?: () => Promise<void>;
  /** The node's cluster DNS server: sent the cluster's DNS data whenever the version it holds is stale. */
  dns?: { readonly version: string | undefined; update(data: ClusterDNSData): void };
  /** NetworkPolicy enforcement: sent the policy data whenever the version it holds is stale. */
  networkPolicies?: { readonly version: string | undefined; update(data: NetworkPolicyData): void };
  /** The node's provisioned volumes on disk: told which directories still have a volume. */
  volumes?: { readonly dir: string; keep(dirs: string[], retained: string[]): Promise<void> };
}

const emptyReport = (): RuntimeReport => ({ statuses: [], events: [], terminated: [] });

/** Folds a newer report into an older one: the newest status per pod wins. */
export function mergeReports(older: RuntimeReport, newer: RuntimeReport): RuntimeReport {
  const statuses = new Map(older.statuses.map((s) => [s.uid, s]));
  for (const s of newer.statuses) statuses.set(s.uid, s);
  return {
    statuses: [...statuses.values()],
    events: [...older.events, ...newer.events],
    terminated: [...new Set([...older.terminated, ...newer.terminated])],
  };
}

export class SyncLoop {
  readonly known = new Map<string, string>();
  heartbeatSeconds: number;
  /** Syncs that succeeded, for tests and diagnostics. */
  syncs = 0;
  #pending = emptyReport();
  #sentNodeStatus = "";
  #abort?: AbortController;
  #debounce?: NodeJS.Timeout;
  #stopped = false;
  #failures = 0;
  #orphansCollected = false;
  #wake?: () => void;
  readonly #log: (message: string) => void;
  readonly #metrics?: MetricsSampler;

  constructor(private readonly options: SyncLoopOptions) {
    this.heartbeatSeconds = options.heartbeatSeconds;
    this.#log = options.log ?? ((m) => console.log(m));
    options.runtime.onChange(() => this.#onRuntimeChange());
    const runtime = options.runtime;
    if (runtime.metrics)
      this.#metrics = new MetricsSampler(
        () => runtime.metrics?.() ?? Promise.resolve(undefined),
        () => this.heartbeatSeconds * 1000,
      );
  }

  /** Pods restored from the state dir count as known at the resourceVersion they were stored with. */
  seed(restored: PodAssignment[]): void {
    for (const a of restored) this.known.set(a.pod.metadata.uid ?? "", a.pod.metadata.resourceVersion ?? "");
  }

  async run(): Promise<void> {
    while (!this.#stopped) await this.syncOnce();
  }

  stop(): void {
    this.#stopped = true;
    this.#metrics?.stop();
    clearTimeout(this.#debounce);
    this.#abort?.abort();
    this.#wake?.();
  }

  #onRuntimeChange(): void {
    if (this.#debounce || !this.#abort) return;
    this.#debounce = setTimeout(() => {
      this.#debounce = undefined;
      this.#abort?.abort();
    }, this.options.debounceMs ?? 100);
  }

  /** One request and its answer; on failure, waits out the back-off before returning. */
  async syncOnce(): Promise<void> {
    const nodeStatus = await this.options.nodeStatus();
    // From the drain to the request's abort controller nothing awaits: news after the drain finds this
    // poll open and abandons it; news before rides on it, so a debounce armed for that news is dropped
    // (it would abandon this very poll: one wasted poll per pod started).
    const sending = mergeReports(this.#pending, this.options.runtime.drain());
    this.#pending = emptyReport();
    clearTimeout(this.#debounce);
    this.#debounce = undefined;
    const nodeStatusJson = JSON.stringify(nodeStatus);
    if (!this.#stopped) this.#metrics?.start();
    const metrics = this.#metrics?.take();
    const request: SyncRequest = {
      nodeName: this.options.nodeName,
      nodeStatus: nodeStatusJson === this.#sentNodeStatus ? undefined : nodeStatus,
      podStatuses: sending.statuses,
      terminated: sending.terminated,
      events: sending.events,
      known: [...this.known].map(([uid, resourceVersion]) => ({ uid, resourceVersion })),
      waitSeconds: this.heartbeatSeconds,
      ...(this.options.services ? { wantServices: true } : {}),
      ...(this.options.dns ? { wantDNS: true, dnsVersion: this.options.dns.version } : {}),
      ...(this.options.volumes ? { wantVolumes: true, volumeDir: this.options.volumes.dir } : {}),
      ...(this.options.networkPolicies
        ? { wantNetworkPolicies: true, networkPolicyVersion: this.options.networkPolicies.version }
        : {}),
      ...(metrics ? { metrics } : {}),
    };
    const abort = new AbortController();
    this.#abort = abort;
    if (this.#stopped) abort.abort();
    try {
      const response = await this.options.client.post<SyncResponse>(AGENT_SYNC_PATH, this.options.credential, request, {
        signal: abort.signal,
        timeoutMs: (this.heartbeatSeconds + 20) * 1000,
      });
      this.#sentNodeStatus = nodeStatusJson;
      await this.#apply(response, sending);
      if (this.#failures > 0) this.#log(`sync: the cluster is reachable again`);
      this.#failures = 0;
      this.syncs++;
    } catch (error) {
      this.#pending = mergeReports(sending, this.#pending);
      if (metrics) this.#metrics?.putBack(metrics);
      if (abort.signal.aborted) return; // abandoned for fresher news, or stopping
      if (error instanceof ApiError && error.code === 404 && this.options.onNodeGone) {
        this.#log(`sync: node "${this.options.nodeName}" was deleted from the cluster; cleaning up and stopping`);
        this.stop();
        await this.options.onNodeGone();
        return;
      }
      await this.#backOff(error as Error);
    } finally {
      if (this.#abort === abort) this.#abort = undefined;
    }
  }

  async #apply(response: SyncResponse, sent: RuntimeReport): Promise<void> {
    await this.options.network
      ?.update(response.podCIDR, response.nodeCIDRs)
      .catch((e: Error) => this.#log(`pod network: ${e.message}`));
    if (response.dns) this.options.dns?.update(response.dns);
    // Before pods start: a new pod is isolated from its first packet when a policy already selects it.
    if (response.networkPolicies) this.options.networkPolicies?.update(response.networkPolicies);
    if (response.services)
      await this.options.services?.update(response.services).catch((e: Error) => this.#log(`services: ${e.message}`));
    for (const uid of sent.terminated) {
      this.known.delete(uid);
      await this.options.store.remove(uid);
    }
    for (const assignment of response.pods) {
      const uid = assignment.pod.metadata.uid ?? "";
      await this.options.store.save(assignment);
      this.known.set(uid, assignment.pod.metadata.resourceVersion ?? "");
      this.options.runtime.apply(assignment);
    }
    for (const uid of response.stop) {
      this.options.runtime.forget(uid);
      this.known.delete(uid);
      await this.options.store.remove(uid);
    }
    // A pod received in this answer is held at the version it came with; an acknowledgement never
    // overrides it (the object sends a pod whenever its own write carried changes the agent has not seen).
    const received = new Set(response.pods.map((a) => a.pod.metadata.uid ?? ""));
    for (const [uid, rv] of Object.entries(response.acknowledged ?? {}))
      if (this.known.has(uid) && !received.has(uid)) this.known.set(uid, rv);
    if (response.heartbeatSeconds > 0) this.heartbeatSeconds = response.heartbeatSeconds;
    if (response.volumes)
      await this.options.volumes
        ?.keep(response.volumes, response.retainedVolumes ?? [])
        .catch((e: Error) => this.#log(`volumes: ${e.message}`));
    if (!this.#orphansCollected) {
      this.#orphansCollected = true;
      await this.options.runtime.collectOrphans(new Set(this.known.keys()));
    }
  }

  async #backOff(error: Error): Promise<void> {
    let delay = retryDelay(this.#failures++, this.options.random);
    if (error instanceof ApiError) {
      if (error.retryAfterSeconds) delay = error.retryAfterSeconds * 1000;
      this.#log(`sync refused (${error.code}): ${error.message}; retrying in ${Math.round(delay / 1000)}s`);
    } else if (this.#failures === 1 || this.#failures % 10 === 0) {
      this.#log(`sync: cannot reach the cluster (${error.message}); pods keep running; retrying`);
    }
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, delay);
      this.#wake = () => {
        clearTimeout(timer);
        resolve();
      };
    });
    this.#wake = undefined;
  }
}
