// Seeding a cluster object with many pods without the API: ~200 creates/s through HTTP would take
// most of an hour for 100,000 pods. The real system first makes one of everything (a Deployment, the
// ReplicaSet its controller makes, a pod the ReplicaSet controller creates, the scheduler binds and a
// simulated agent runs and reports Running, the Node that agent joined); with wrangler stopped, those
// are cloned straight into the object's SQLite file (the `objects` table the store loads at start), with
// fresh names, uids and addresses and the cluster's next revisions. Deployments of 500 replicas each;
// pods spread over a fixed set of nodes whose leases are seeded a day ahead (no heartbeats needed for
// them to stay Ready), except the one real node, which holds SYNC_NODE_PODS pods and syncs for itself.
import { execFileSync } from "node:child_process";
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { runAgent } from "../agent/index.ts";
import type { LooseObject } from "../kube/types.ts";
import type { RunningFlotilla } from "../scripts/local/flotilla.ts";
import { type BenchClient, expectStatus } from "./http.ts";

export const PODS_PER_DEPLOYMENT = 500;
export const SYNC_NODE_PODS = 100;
/** Nodes beside the real one; node IPAM's 10.244.0.0/16 has 256 /24s, so the set stays under that. */
export const SEEDED_NODES = 199;
export const SYNC_NODE = "mem-sync";
const NS = "default";

export interface Templates {
  deployment: LooseObject;
  replicaSet: LooseObject;
  pod: LooseObject;
  node: LooseObject;
  /** The real node's credential, for syncs the benchmark sends itself. */
  credential: string;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const getJson = async (c: BenchClient, p: string) => JSON.parse(expectStatus(await c.request("GET", p), 200, p).body);
const isReady = (pod: LooseObject) =>
  (pod.status?.conditions ?? []).some((c: LooseObject) => c.type === "Ready" && c.status === "True");

/** One Deployment of one replica Running on a simulated node, then the agent stopped. */
export async function makeTemplates(f: RunningFlotilla, admin: BenchClient, dir: string): Promise<Templates> {
  const labels = { app: "mem-0" };
  const deployment = {
    apiVersion: "apps/v1",
    kind: "Deployment",
    metadata: { name: "mem-0", namespace: NS },
    spec: {
      replicas: 1,
      selector: { matchLabels: labels },
      template: {
        metadata: { labels },
        spec: {
          containers: [
            {
              name: "app",
              image: "nginx:1.27",
              ports: [{ name: "http", containerPort: 80 }],
              resources: { requests: { cpu: "10m", memory: "16Mi" } },
            },
          ],
        },
      },
    },
  };
  const headers = { "content-type": "application/json" };
  const stateDir = path.join(dir, "agent");
  const agent = await runAgent(
    {
      server: f.clusterUrl,
      joinToken: await f.createJoinToken(600),
      name: SYNC_NODE,
      runtime: "simulated",
      stateDir,
      caFile: f.caPath,
      labels: {},
      nodes: 1,
      insecureSkipTlsVerify: false,
    },
    { log: () => {} },
  );
  try {
    const created = await admin.request("POST", `/apis/apps/v1/namespaces/${NS}/deployments`, {
      body: JSON.stringify(deployment),
      headers,
    });
    expectStatus(created, 201, "create the template Deployment");
    for (let i = 0; ; i++) {
      const pods = (await getJson(admin, `/api/v1/namespaces/${NS}/pods`)).items as LooseObject[];
      if (pods.length === 1 && isReady(pods[0]) && pods[0].status.podIP) break;
      if (i > 600) throw new Error("the template pod did not become Ready in 60 s");
      await sleep(100);
    }
  } finally {
    await agent.stop();
  }
  const credential = JSON.parse(fs.readFileSync(path.join(stateDir, "node.json"), "utf8")).nodeCredential as string;
  return {
    deployment: await getJson(admin, `/apis/apps/v1/namespaces/${NS}/deployments/mem-0`),
    replicaSet: (await getJson(admin, `/apis/apps/v1/namespaces/${NS}/replicasets`)).items[0],
    pod: (await getJson(admin, `/api/v1/namespaces/${NS}/pods`)).items[0],
    node: await getJson(admin, `/api/v1/nodes/${SYNC_NODE}`),
    credential,
  };
}

/** The cluster object's SQLite file under wrangler's persisted state: the one with an `objects` table. */
export function findObjectDatabase(stateDir: string): string {
  const files = fs.readdirSync(stateDir, { recursive: true, encoding: "utf8" }).filter((f) => f.endsWith(".sqlite"));
  const found = files
    .map((f) => path.join(stateDir, f))
    .filter((f) => sqlite(f, "select count(*) from sqlite_master where name='objects';").trim() === "1");
  if (found.length !== 1) throw new Error(`expected one cluster database under ${stateDir}, found ${found.length}`);
  return found[0];
}

function sqlite(db: string, sql: string): string {
  return execFileSync("sqlite3", [db], { input: sql, encoding: "utf8", maxBuffer: 64 * 1024 * 1024 });
}

const quote = (s: string) => `'${s.replaceAll("'", "''")}'`;
const suffix = (n: number) => n.toString(36).padStart(5, "0");
export const nodeName = (k: number) => `mem-node-${k}`;
/** The name of seeded pod #i (i ≥ 1; #0 is the template pod). */
export const seededPodName = (t: Templates, i: number) =>
  `mem-${Math.floor(i / PODS_PER_DEPLOYMENT)}-${t.pod.metadata.labels["pod-template-hash"]}-${suffix(i)}`;
/** Which node pod #i runs on: the real node takes the first SYNC_NODE_PODS, the rest go round. */
export const nodeOfPod = (i: number) => (i < SYNC_NODE_PODS ? SYNC_NODE : nodeName(i % SEEDED_NODES));

function podIP(i: number): string {
  // Unique per pod, in 10.128.0.0/9 (outside node IPAM's 10.244/16: the seeded nodes have no bridges to match).
  const n = 0x0a800000 + i + 1;
  return [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join(".");
}

function clone<T>(o: T): T {
  return structuredClone(o);
}

export interface SeedResult {
  pods: number;
  revision: number;
  sqlMs: number;
}

/**
 * Adds pods #from…#to-1 (and the Deployments/ReplicaSets owning them, and on the first call the
 * nodes) to a stopped object's database. Pod #0 is the real template pod, so `from` starts at 1.
 */
export function seedPods(db: string, t: Templates, from: number, to: number): SeedResult {
  const started = Date.now();
  let revision = Number(
    sqlite(
      db,
      "select max(coalesce((select max(revision) from objects),0), coalesce((select max(revision) from changes),0));",
    ).trim(),
  );
  const out: string[] = ["BEGIN;"];
  const row = (resource: string, namespace: string, name: string, body: LooseObject) => {
    revision++;
    body.metadata.resourceVersion = String(revision);
    out.push(
      `INSERT OR REPLACE INTO objects(key,resource,revision,body) VALUES(${quote(`${resource}/${namespace}/${name}`)},${quote(resource)},${revision},${quote(JSON.stringify(body))});`,
    );
  };
  if (from <= 1) {
    const day = Date.now() + 86_400_000;
    for (let k = 0; k < SEEDED_NODES; k++) {
      const node = clone(t.node);
      const name = nodeName(k);
      node.metadata.name = name;
      node.metadata.uid = crypto.randomUUID();
      node.metadata.labels = { ...node.metadata.labels, "kubernetes.io/hostname": name };
      const cidr = `10.244.${k === Number(t.node.spec.podCIDR?.split(".")[2]) ? 255 : k}.0/24`;
      node.spec = { ...node.spec, podCIDR: cidr, podCIDRs: [cidr] };
      const room = { cpu: "1000", memory: "4000Gi", pods: "1000", "ephemeral-storage": "1000Gi" };
      node.status = { ...node.status, capacity: room, allocatable: room };
      node.status.addresses = [
        { type: "InternalIP", address: `192.0.2.${k + 1}` },
        { type: "Hostname", address: name },
      ];
      row("nodes", "", name, node);
      out.push(`INSERT OR REPLACE INTO leases(node,renew_time,duration_seconds) VALUES(${quote(name)},${day},40);`);
    }
  }
  const hash = t.pod.metadata.labels["pod-template-hash"] as string;
  for (let d = Math.floor(from / PODS_PER_DEPLOYMENT); d * PODS_PER_DEPLOYMENT < to; d++) {
    const first = d * PODS_PER_DEPLOYMENT;
    const replicas = Math.min(PODS_PER_DEPLOYMENT, to - first);
    const app = `mem-${d}`;
    const dep = clone(t.deployment);
    const rs = clone(t.replicaSet);
    if (d > 0) {
      dep.metadata.name = app;
      dep.metadata.uid = crypto.randomUUID();
      dep.spec.selector.matchLabels.app = app;
      dep.spec.template.metadata.labels.app = app;
      rs.metadata.name = `${app}-${hash}`;
      rs.metadata.uid = crypto.randomUUID();
      rs.metadata.ownerReferences[0].uid = dep.metadata.uid;
      rs.metadata.ownerReferences[0].name = app;
      rs.metadata.labels.app = app;
      rs.spec.selector.matchLabels.app = app;
      rs.spec.template.metadata.labels.app = app;
    }
    for (const o of [dep, rs]) {
      o.spec.replicas = replicas;
      o.status = { ...o.status, replicas, readyReplicas: replicas, availableReplicas: replicas };
    }
    dep.status.updatedReplicas = replicas;
    dep.status.fullyLabeledReplicas = undefined;
    rs.status.fullyLabeledReplicas = replicas;
    row("deployments.apps", NS, dep.metadata.name, dep);
    row("replicasets.apps", NS, rs.metadata.name, rs);
    for (let i = Math.max(from, first); i < first + replicas; i++) {
      const pod = clone(t.pod);
      const node = nodeOfPod(i);
      pod.metadata.name = seededPodName(t, i);
      pod.metadata.uid = crypto.randomUUID();
      pod.metadata.labels.app = app;
      pod.metadata.ownerReferences[0].uid = rs.metadata.uid;
      pod.metadata.ownerReferences[0].name = rs.metadata.name;
      pod.spec.nodeName = node;
      if (node !== SYNC_NODE) {
        const k = Number(node.slice("mem-node-".length));
        pod.status.hostIP = `192.0.2.${k + 1}`;
        pod.status.hostIPs = [{ ip: pod.status.hostIP }];
      }
      pod.status.podIP = podIP(i);
      pod.status.podIPs = [{ ip: pod.status.podIP }];
      row("pods", NS, pod.metadata.name, pod);
    }
  }
  out.push("COMMIT;");
  const file = `${db}.seed.sql`;
  fs.writeFileSync(file, out.join("\n"));
  execFileSync("sh", ["-c", `sqlite3 ${JSON.stringify(db)} < ${JSON.stringify(file)}`]);
  fs.rmSync(file);
  return { pods: to, revision, sqlMs: Date.now() - started };
}
