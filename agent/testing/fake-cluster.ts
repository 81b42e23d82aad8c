// An in-process stand-in for the cluster object's side of the agent protocol, for the agent's tests: join
// tokens → node credentials, long-poll sync that answers at once when something for the node changes,
// pods bound to nodes, config maps and secrets resolved into assignments, graceful deletion finished when
// the agent reports a pod terminated. It is a test double, not the real implementation.
import { randomUUID } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { JoinRequest, PodAssignment, SyncRequest, SyncResponse } from "../../kube/agent-protocol.ts";
import type { ConfigMap, Pod, PodStatus, Secret } from "../../kube/pod-types.ts";

interface FakeNode {
  join: JoinRequest;
  credential: string;
  lastSync: number;
  syncs: number;
  status?: SyncRequest["nodeStatus"];
  waiters: Set<() => void>;
}

export class FakeCluster {
  server!: Server;
  url = "";
  joinTokens = new Set<string>(["join-secret"]);
  nodes = new Map<string, FakeNode>();
  pods = new Map<string, Pod>();
  configMaps = new Map<string, ConfigMap>();
  secrets = new Map<string, Secret>();
  events: SyncRequest["events"] = [];
  heartbeatSeconds = 10;
  /** While true, every request is answered 503 (the cluster is "away"). */
  down = false;
  #rv = 1;

  async start(): Promise<this> {
    this.server = createServer((req, res) => void this.#handle(req, res));
    await new Promise<void>((r) => this.server.listen(0, "127.0.0.1", r));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/clusters/test`;
    return this;
  }

  async close(): Promise<void> {
    for (const node of this.nodes.values()) for (const wake of node.waiters) wake();
    this.server.closeAllConnections();
    await new Promise((r) => this.server.close(r));
  }

  #bump(pod: Pod): void {
    pod.metadata.resourceVersion = String(++this.#rv);
    const node = this.nodes.get(pod.spec.nodeName ?? "");
    for (const wake of node?.waiters ?? []) wake();
  }

  addPod(pod: Pod, nodeName: string): Pod {
    pod.metadata.uid ??= randomUUID();
    pod.metadata.namespace ??= "default";
    pod.spec.nodeName = nodeName;
    this.pods.set(pod.metadata.uid, pod);
    this.#bump(pod);
    return pod;
  }

  deletePod(uid: string, graceSeconds?: number): void {
    const pod = this.pods.get(uid);
    if (!pod) return;
    const grace = graceSeconds ?? pod.spec.terminationGracePeriodSeconds ?? 30;
    if (grace === 0) {
      this.pods.delete(uid);
      this.#bump(pod);
      return;
    }
    pod.metadata.deletionTimestamp = new Date(Date.now() + grace * 1000).toISOString();
    pod.metadata.deletionGracePeriodSeconds = grace;
    this.#bump(pod);
  }

  statusOf(uid: string): PodStatus | undefined {
    return this.pods.get(uid)?.status as PodStatus | undefined;
  }

  #assignment(pod: Pod): PodAssignment {
    const ns = pod.metadata.namespace ?? "default";
    const configMaps: Record<string, ConfigMap> = {};
    const secrets: Record<string, Secret> = {};
    for (const [key, cm] of this.configMaps) if (key.startsWith(`${ns}/`)) configMaps[cm.metadata.name!] = cm;
    for (const [key, s] of this.secrets) if (key.startsWith(`${ns}/`)) secrets[s.metadata.name!] = s;
    return { pod: structuredClone(pod), configMaps, secrets };
  }

  async #handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    let body = "";
    for await (const chunk of req) body += chunk;
    const reply = (code: number, value: unknown) => {
      res.statusCode = code;
      res.setHeader("content-type", "application/json");
      res.end(JSON.stringify(value));
    };
    const refuse = (code: number, message: string) =>
      reply(code, {
        kind: "Status",
        apiVersion: "v1",
        metadata: {},
        status: "Failure",
        message,
        reason: code === 401 ? "Unauthorized" : "Forbidden",
        code,
      });
    if (this.down) return reply(503, {});
    const token = (req.headers.authorization ?? "").replace(/^Bearer /, "");
    if (req.url === "/clusters/test/agent/join") {
      if (!this.joinTokens.has(token)) return refuse(401, "the join token is invalid, expired or revoked");
      const join = JSON.parse(body) as JoinRequest;
      const credential = randomUUID();
      this.nodes.set(join.nodeName, { join, credential, lastSync: 0, syncs: 0, waiters: new Set() });
      return reply(201, {
        nodeName: join.nodeName,
        nodeCredential: credential,
        heartbeatSeconds: this.heartbeatSeconds,
      });
    }
    if (req.url === "/clusters/test/agent/sync") {
      const sync = JSON.parse(body) as SyncRequest;
      const node = this.nodes.get(sync.nodeName);
      if (!node || node.credential !== token) return refuse(401, "Unauthorized");
      return reply(200, await this.#sync(node, sync));
    }
    refuse(404 as 401, "not found");
  }

  async #sync(node: FakeNode, sync: SyncRequest): Promise<SyncResponse> {
    node.lastSync = Date.now();
    node.syncs++;
    if (sync.nodeStatus) node.status = sync.nodeStatus;
    this.events.push(...sync.events);
    const acknowledged: Record<string, string> = {};
    for (const update of sync.podStatuses) {
      const pod = this.pods.get(update.uid);
      if (!pod || pod.spec.nodeName !== sync.nodeName) continue;
      pod.status = update.status;
      pod.metadata.resourceVersion = String(++this.#rv);
      acknowledged[update.uid] = pod.metadata.resourceVersion;
    }
    for (const uid of sync.terminated) if (this.pods.get(uid)?.metadata.deletionTimestamp) this.pods.delete(uid);
    const known = new Map(sync.known.map((k) => [k.uid, acknowledged[k.uid] ?? k.resourceVersion]));
    const diff = () => {
      const mine = [...this.pods.values()].filter((p) => p.spec.nodeName === sync.nodeName);
      const pods = mine
        .filter((p) => known.get(p.metadata.uid!) !== p.metadata.resourceVersion)
        .map((p) => this.#assignment(p));
      const stop = [...known.keys()].filter((uid) => !mine.some((p) => p.metadata.uid === uid));
      return { pods, stop };
    };
    let changes = diff();
    if (
      changes.pods.length === 0 &&
      changes.stop.length === 0 &&
      Object.keys(acknowledged).length === 0 &&
      sync.waitSeconds > 0
    ) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(done, sync.waitSeconds * 1000);
        function done() {
          clearTimeout(timer);
          node.waiters.delete(done);
          resolve();
        }
        node.waiters.add(done);
      });
      changes = diff();
    }
    // As node IPAM: a /24 per node (from the top of 10.244.0.0/16, clear of the ranges a real cluster hands out first).
    const index = [...this.nodes.keys()].indexOf(sync.nodeName);
    const podCIDR = `10.244.${250 - index}.0/24`;
    return { ...changes, acknowledged, heartbeatSeconds: this.heartbeatSeconds, podCIDR };
  }
}
