// The cluster object's side of the agent protocol: join, and sync as a long-poll that answers at once
// when a pod bound to the node changes (an index of pods by node, kept by the store's change feed).
// A node's agent runs one sync at a time, so a new sync from a node releases the node's older parked
// one (its agent gave up on it) with an empty answer rather than holding it to the interval.
// A node credential acts only as its own node: its pods, its status.
import type { DrizzleSqliteDODatabase } from "drizzle-orm/durable-sqlite";
import type {
  ClusterDNSData,
  JoinResponse,
  NetworkPolicyData,
  NodeCIDR,
  PodAssignment,
  SyncRequest,
  SyncResponse,
} from "../../../kube/agent-protocol.ts";
import type { ConfigMap, Pod, Secret } from "../../../kube/pod-types.ts";
import { forbidden, notFound, unauthorized } from "../../../kube/status.ts";
import type { KubeObject } from "../../../kube/types.ts";
import type { ApiContext } from "../context.ts";
import type { Credential, Credentials } from "../auth/credentials.ts";
import type { MetricsWindow } from "../metrics/window.ts";
import { objectKey } from "../store/keys.ts";
import type { Change } from "../store/object-store.ts";
import { expiredLeases, heartbeatSeconds, leaseSeconds } from "./heartbeat.ts";
import { joinNode } from "./join.ts";
import { LeaseTable } from "./lease-table.ts";
import { ClusterDNSIndex } from "./dns-sync.ts";
import { NetworkPolicyIndex } from "./network-policy-sync.ts";
import { VersionedFeed } from "./versioned-feed.ts";
import { parseSyncRequest } from "./parse.ts";
import { diffNodePods, knownAfterWrites, podReferences } from "./pod-sync.ts";
import { nodeCIDRs, servicesForNode } from "./services-sync.ts";
import { claimJustBound, claimVolumes, nodeVolumeDirs } from "./volume-sync.ts";
import { provisionedNodeOf } from "../controllers/pv-binding-plan.ts";
import { PERSISTENT_VOLUME_CLAIMS, PERSISTENT_VOLUMES } from "../registry/storage-common.ts";
import {
  finishDeletions,
  KubeletEvents,
  markNodeUnknown,
  writeNodeStatus,
  writeVolumeDir,
  writePodStatuses,
} from "./writes.ts";

/** The longest a sync is held open, whatever the agent asks. */
const MAX_WAIT_SECONDS = 60;

/**
 * Other nodes' ranges reach the service proxies this long after the first change, together: a join of N
 * nodes would otherwise answer every proxy's long-poll N times, each with all N ranges (N² syncs, N³ bytes).
 */
const PEER_CIDRS_WAKE_MS = 250;

export class NodeAgents {
  #podsByNode = new Map<string, Set<string>>();
  /** Parked syncs per node; a waiter is told whether a newer sync of its node superseded it. */
  #waiters = new Map<string, Set<(superseded: boolean) => void>>();
  /** Nodes whose agent runs a service proxy (said so in its last sync). */
  #wantServices = new Set<string>();
  /** nodeCIDRs() of the current nodes; dropped when any node changes. */
  #cidrs?: NodeCIDR[];
  #events: KubeletEvents;
  /** Cluster DNS data for the agents serving it; NetworkPolicy data for those enforcing policies. */
  #dns: VersionedFeed<ClusterDNSData>;
  #policies: VersionedFeed<NetworkPolicyData>;
  #leases: LeaseTable;
  /** Pending wake of the service proxies for ranges that changed (one per PEER_CIDRS_WAKE_MS). */
  #peerCIDRsWake?: ReturnType<typeof setTimeout>;

  constructor(
    private readonly ctx: ApiContext,
    private readonly credentials: Credentials,
    private readonly db: DrizzleSqliteDODatabase,
    /** Where reported usage goes (memory only); without it usage is ignored. */
    private readonly metrics?: MetricsWindow,
  ) {
    this.#events = new KubeletEvents(ctx);
    this.#leases = new LeaseTable(db, ctx.now());
    for (const entry of ctx.store.list("pods")) this.#index(entry.key, undefined, entry.object.spec?.nodeName);
    ctx.store.onChange((change) => this.#onChange(change));
    const dns = new ClusterDNSIndex(ctx.store, () => this.#dns.changed());
    this.#dns = new VersionedFeed(dns, (node) => this.#wake(node));
    ctx.store.onChange((change) => dns.onChange(change));
    const policies = new NetworkPolicyIndex(ctx.store, () => this.#policies.changed());
    this.#policies = new VersionedFeed(policies, (node) => this.#wake(node));
    ctx.store.onChange((change) => policies.onChange(change));
  }

  join(token: string, body: unknown): Promise<JoinResponse> {
    return joinNode(this.ctx, this.credentials, this.#leases, token, body);
  }

  async sync(token: string, body: unknown): Promise<SyncResponse> {
    return this.syncAs(await this.credentials.verify(token, this.ctx.now()), body);
  }

  /** A sync by a credential already looked up (a tunnel's, checked again by its hash). */
  async syncAs(credential: Credential | undefined, body: unknown): Promise<SyncResponse> {
    if (credential?.role !== "node") throw unauthorized();
    const req = parseSyncRequest(body);
    if (credential.subject !== req.nodeName)
      throw forbidden(`node "${credential.subject}" is not allowed to act as node "${req.nodeName}"`, {
        kind: "nodes",
        name: req.nodeName,
      });
    if (!this.ctx.store.get("nodes", undefined, req.nodeName)) throw notFound("", "nodes", req.nodeName);
    this.#supersede(req.nodeName);

    // An agent holding older DNS or policy data is answered at once rather than held for the long-poll.
    const staleDNS = this.#dns.note(req.nodeName, req.wantDNS === true, req.dnsVersion);
    const stalePolicies = this.#policies.note(req.nodeName, req.wantNetworkPolicies === true, req.networkPolicyVersion);
    if (staleDNS || stalePolicies) req.waitSeconds = 0;
    if (req.wantServices) this.#wantServices.add(req.nodeName);
    else this.#wantServices.delete(req.nodeName);
    const interval = heartbeatSeconds(this.ctx.store.count("nodes"));
    this.#leases.renew(req.nodeName, this.ctx.now(), leaseSeconds(interval));
    if (req.metrics) this.metrics?.record(req.nodeName, req.metrics, interval);
    const { before, written, refusedEvents } = this.#report(req);
    // The object's own status writes count as known (they do not bounce back as changed pods) only when
    // nothing the agent has not seen happened to the pod before them.
    const { known, acknowledged } = knownAfterWrites(req.known, before, written);
    let pods = this.#boundPods(req.nodeName);
    let diff = diffNodePods(pods, known);
    let assignments = this.#assignments(diff.changed, known);
    const quiet = assignments.length === 0 && diff.stop.length === 0 && Object.keys(written).length === 0;
    if (quiet && req.waitSeconds > 0) {
      const ms = Math.min(req.waitSeconds, interval, MAX_WAIT_SECONDS) * 1000;
      const superseded = await this.#wait(req.nodeName, ms);
      // Nobody reads this answer: the pods go to the newer sync, not serialized twice.
      if (superseded) return { pods: [], stop: [], acknowledged, heartbeatSeconds: interval };
      pods = this.#boundPods(req.nodeName);
      diff = diffNodePods(pods, known);
      assignments = this.#assignments(diff.changed, known);
    }
    return {
      pods: assignments,
      stop: diff.stop,
      acknowledged,
      heartbeatSeconds: interval,
      ...(refusedEvents > 0 ? { refusedEvents } : {}),
      ...(req.wantServices ? { services: this.#services(pods), nodeCIDRs: this.#nodeCIDRs() } : {}),
      ...(req.wantDNS ? { dns: this.#dns.forAgent(req.dnsVersion) } : {}),
      ...(req.wantNetworkPolicies ? { networkPolicies: this.#policies.forAgent(req.networkPolicyVersion) } : {}),
      ...(req.wantVolumes ? nodeVolumeDirs(this.ctx.store, req.nodeName) : {}),
      ...this.#podCIDR(req.nodeName),
    };
  }

  /**
   * What the agent reported, written in one transaction. An idle heartbeat reports nothing: it opens no
   * transaction (an empty one was the biggest part of an idle sync's JS: bench/heartbeats.ts --cpu-profile).
   */
  #report(req: SyncRequest): {
    before: Record<string, string>;
    written: Record<string, string>;
    refusedEvents: number;
  } {
    const idle =
      !req.nodeStatus &&
      !req.volumeDir &&
      req.podStatuses.length === 0 &&
      req.events.length === 0 &&
      req.terminated.length === 0;
    if (idle) return { before: {}, written: {}, refusedEvents: 0 };
    return this.ctx.store.transaction(() => {
      if (req.nodeStatus) writeNodeStatus(this.ctx, req.nodeName, req.nodeStatus);
      if (req.volumeDir) writeVolumeDir(this.ctx, req.nodeName, req.volumeDir);
      const before = this.#versions(req.podStatuses);
      const written = writePodStatuses(this.ctx, req.nodeName, req.podStatuses);
      // Events before deletions: one about a pod whose deletion this sync finishes still finds its pod.
      const refusedEvents = this.#events.record(req.nodeName, req.events);
      finishDeletions(this.ctx, req.nodeName, req.terminated);
      return { before, written, refusedEvents };
    });
  }

  /** Nodes whose lease ran out (and `graceMs` passed) get Unknown conditions (the node lifecycle controller). */
  markSilentNodes(graceMs = 0): string[] {
    const marked: string[] = [];
    for (const node of expiredLeases(this.#leases.rows(), this.ctx.now(), graceMs))
      if (markNodeUnknown(this.ctx, node)) marked.push(node);
    return marked;
  }

  /** Syncs of the node held open now (tests and diagnostics). */
  parkedSyncs(nodeName: string): number {
    return this.#waiters.get(nodeName)?.size ?? 0;
  }

  /** The kube-node-lease rows, for serving Lease objects. */
  leases() {
    return this.#leases.rows();
  }

  /** uid → the stored resourceVersion of each pod a status update names (before it is written). */
  #versions(updates: readonly { uid: string; namespace: string; name: string }[]): Record<string, string> {
    const versions: Record<string, string> = {};
    for (const u of updates) {
      const pod = this.ctx.store.get("pods", u.namespace, u.name)?.object;
      if (pod?.metadata.uid === u.uid) versions[u.uid] = pod.metadata.resourceVersion ?? "";
    }
    return versions;
  }

  #boundPods(nodeName: string): Pod[] {
    const keys = this.#podsByNode.get(nodeName) ?? new Set();
    const pods: Pod[] = [];
    for (const key of keys) {
      const entry = this.ctx.store.getByKey(key);
      if (entry) pods.push(entry.object as unknown as Pod);
    }
    return pods;
  }

  /** The node's pod CIDR, once node IPAM gave it one. */
  /** Every node's range, built once per change to the nodes rather than once per sync (every agent asks). */
  #nodeCIDRs(): NodeCIDR[] {
    this.#cidrs ??= nodeCIDRs(this.ctx.store);
    return this.#cidrs;
  }

  #podCIDR(nodeName: string): { podCIDR?: string } {
    const cidr = this.ctx.store.get("nodes", undefined, nodeName)?.object.spec?.podCIDR;
    return typeof cidr === "string" && cidr ? { podCIDR: cidr } : {};
  }

  #services(pods: Pod[]) {
    const namespaces = new Set(pods.map((p) => p.metadata.namespace ?? "default"));
    return servicesForNode(this.ctx.store, namespaces);
  }

  /**
   * The changed pods to send. A pod new to the agent waits while its claims are not all bound (a pod being
   * deleted goes regardless: the agent must hear of it to finish it).
   */
  #assignments(changed: readonly Pod[], known: Map<string, string>): PodAssignment[] {
    const out: PodAssignment[] = [];
    for (const pod of changed) {
      const object = pod as unknown as KubeObject;
      const claims = claimVolumes(this.ctx.store, object);
      const fresh = !known.has(pod.metadata.uid ?? "") && !pod.metadata.deletionTimestamp;
      if (claims || !fresh) out.push({ ...this.#assignment(pod), ...(claims ? { claims } : {}) });
    }
    return out;
  }

  /** The pod with the config maps and secrets it references in its namespace (missing ones are left out). */
  #assignment(pod: Pod): PodAssignment {
    const ns = pod.metadata.namespace ?? "default";
    const refs = podReferences(pod);
    const configMaps: Record<string, ConfigMap> = {};
    const secrets: Record<string, Secret> = {};
    for (const name of refs.configMaps) {
      const cm = this.ctx.store.get("configmaps", ns, name)?.object;
      if (cm) configMaps[name] = cm as unknown as ConfigMap;
    }
    for (const name of refs.secrets) {
      const s = this.ctx.store.get("secrets", ns, name)?.object;
      if (s) secrets[name] = s as unknown as Secret;
    }
    return { pod, configMaps, secrets };
  }

  #index(key: string, before: string | undefined, after: string | undefined): void {
    if (before && before !== after) this.#podsByNode.get(before)?.delete(key);
    if (after) {
      const set = this.#podsByNode.get(after) ?? new Set<string>();
      this.#podsByNode.set(after, set);
      set.add(key);
    }
  }

  #onChange(change: Change): void {
    if (change.entry.resource === "services" || change.entry.resource === "endpoints") {
      this.#wakeNamespace(change.entry.object.metadata.namespace ?? "default");
      return;
    }
    if (change.entry.resource === PERSISTENT_VOLUME_CLAIMS) {
      if (claimJustBound(change.entry.object, change.previous?.object))
        this.#wakePodsOf(change.entry.object.metadata.namespace ?? "default");
      return;
    }
    if (change.entry.resource === PERSISTENT_VOLUMES) {
      // A node hears at once that one of its volumes went (its agent removes the directory).
      const node = change.type === "DELETED" ? provisionedNodeOf(change.entry.object) : undefined;
      if (node) this.#wake(node);
      return;
    }
    if (change.entry.resource === "nodes") {
      this.#cidrs = undefined;
      if (change.type === "DELETED") this.#leases.drop([change.entry.object.metadata.name ?? ""]);
      this.#onNodeChange(change);
      return;
    }
    if (change.entry.resource !== "pods") return;
    const before = change.previous?.object.spec?.nodeName as string | undefined;
    const after = change.type === "DELETED" ? undefined : (change.entry.object.spec?.nodeName as string | undefined);
    if (change.type === "DELETED") {
      const node = change.entry.object.spec?.nodeName as string | undefined;
      if (node) this.#podsByNode.get(node)?.delete(change.entry.key);
      if (node) this.#wake(node);
      return;
    }
    this.#index(change.entry.key, before, after);
    if (before) this.#wake(before);
    if (after && after !== before) this.#wake(after);
  }

  /**
   * A node's pod CIDR set (node IPAM) wakes it at once: its agent waits for it to build its pod network.
   * Agents with a service proxy hear of any node's range coming or going (where other nodes' pods live)
   * shortly after, with the other ranges that changed meanwhile.
   */
  #onNodeChange(change: Change): void {
    const before = change.previous?.object.spec?.podCIDR;
    const after = change.type === "DELETED" ? undefined : change.entry.object.spec?.podCIDR;
    if (before === after) return;
    if (change.type !== "DELETED") this.#wake(change.entry.object.metadata.name ?? "");
    this.#peerCIDRsWake ??= setTimeout(() => {
      this.#peerCIDRsWake = undefined;
      for (const node of this.#wantServices) this.#wake(node);
    }, PEER_CIDRS_WAKE_MS);
  }

  /** Parks a sync until the node is woken, `ms` pass, or a newer sync of the node supersedes it (true). */
  #wait(nodeName: string, ms: number): Promise<boolean> {
    return new Promise((resolve) => {
      const waiters = this.#waiters.get(nodeName) ?? new Set<(superseded: boolean) => void>();
      this.#waiters.set(nodeName, waiters);
      const done = (superseded: boolean) => {
        clearTimeout(timer);
        waiters.delete(done);
        if (waiters.size === 0) this.#waiters.delete(nodeName);
        resolve(superseded);
      };
      const timer = setTimeout(() => done(false), ms);
      waiters.add(done);
    });
  }

  /**
   * Releases the node's parked syncs: its agent sent a newer one, so it abandoned them (it runs one at a
   * time, and drops a poll when it has news). Held, each would be answered again at every later wake with
   * the node's pods serialized for a connection nobody reads, and keep its request open to the interval.
   */
  #supersede(nodeName: string): void {
    for (const release of this.#waiters.get(nodeName) ?? []) release(true);
  }

  /** Nodes running a pod of the namespace hear of its services' changes at once. */
  #wakeNamespace(namespace: string): void {
    const prefix = objectKey("pods", namespace, "");
    for (const node of this.#wantServices)
      if (this.#waiters.get(node)?.size && runsPodWithPrefix(this.#podsByNode.get(node), prefix)) this.#wake(node);
  }

  /** Waiting nodes running (or about to run) a pod of the namespace: a claim there was bound. */
  #wakePodsOf(namespace: string): void {
    const prefix = objectKey("pods", namespace, "");
    for (const [node, keys] of this.#podsByNode)
      if (this.#waiters.get(node)?.size && runsPodWithPrefix(keys, prefix)) this.#wake(node);
  }

  #wake(nodeName: string): void {
    for (const wake of this.#waiters.get(nodeName) ?? []) wake(false);
  }
}

function runsPodWithPrefix(keys: Set<string> | undefined, prefix: string): boolean {
  for (const key of keys ?? []) if (key.startsWith(prefix)) return true;
  return false;
}
