// The scheduler end to end inside a real cluster object: kwok-style nodes made through the
// API, pods created through the API, placements, events and conditions read back.
import { describe, expect, it } from "vitest";
import { type ClusterClient, newCluster, pod } from "../testing/cluster-client.ts";
import type { AnyJson as Json } from "../../../kube/types.ts";

const PODS = "/api/v1/namespaces/default/pods";

interface NodeOptions {
  cpu?: string;
  memory?: string;
  pods?: string;
  labels?: Record<string, string>;
  taints?: Json[];
  unschedulable?: boolean;
  ready?: string;
}

async function addNode(c: ClusterClient, name: string, o: NodeOptions = {}): Promise<void> {
  const labels = { "kubernetes.io/hostname": name, ...o.labels };
  const spec: Json = {};
  if (o.taints) spec.taints = o.taints;
  if (o.unschedulable) spec.unschedulable = true;
  const created = await c.request("POST", "/api/v1/nodes", {
    apiVersion: "v1",
    kind: "Node",
    metadata: { name, labels },
    spec,
  });
  expect(created.status).toBe(201);
  const capacity = { cpu: o.cpu ?? "4", memory: o.memory ?? "8Gi", pods: o.pods ?? "110" };
  const status = {
    capacity,
    allocatable: capacity,
    conditions: [
      { type: "Ready", status: o.ready ?? "True", reason: "KubeletReady", message: "kubelet is posting ready status" },
    ],
  };
  // Unconditional (no resourceVersion): the node lifecycle controller may have tainted the node meanwhile.
  const { resourceVersion: _, ...metadata } = created.body.metadata;
  const res = await c.request("PUT", `/api/v1/nodes/${name}/status`, { ...created.body, metadata, status });
  expect(res.status).toBe(200);
}

const withCpu = (name: string, cpu: string, extra: Json = {}) => {
  const p: Json = pod(name, extra.labels ?? {});
  p.spec.containers[0].resources = { requests: { cpu } };
  Object.assign(p.spec, extra.spec ?? {});
  return p;
};

const podWith = (name: string, spec: Json, labels: Record<string, string> = {}) => {
  const p: Json = pod(name, labels);
  Object.assign(p.spec, spec);
  return p;
};

async function until<T>(fn: () => Promise<T | undefined>, what: string, ms = 5000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

async function nodeOf(c: ClusterClient, name: string, ms?: number): Promise<string> {
  return until(
    async () => (await c.request("GET", `${PODS}/${name}`)).body.spec?.nodeName || undefined,
    `${name} bound`,
    ms,
  );
}

async function failedEvent(c: ClusterClient, name: string): Promise<Json> {
  return until(async () => {
    const list = await c.request(
      "GET",
      `/api/v1/namespaces/default/events?fieldSelector=involvedObject.name=${name},reason=FailedScheduling`,
    );
    return list.body.items?.[0];
  }, `FailedScheduling for ${name}`);
}

describe("scheduler", () => {
  it("spreads pods over three nodes and records Scheduled events", async () => {
    const c = await newCluster();
    for (const n of ["node-a", "node-b", "node-c"]) await addNode(c, n);
    for (let i = 0; i < 6; i++) expect((await c.request("POST", PODS, pod(`web-${i}`))).status).toBe(201);
    const placed: Record<string, number> = {};
    for (let i = 0; i < 6; i++) {
      const n = await nodeOf(c, `web-${i}`);
      placed[n] = (placed[n] ?? 0) + 1;
    }
    expect(placed).toEqual({ "node-a": 2, "node-b": 2, "node-c": 2 });
    const bound = await c.request("GET", `${PODS}/web-0`);
    expect(bound.body.status.conditions).toContainEqual(
      expect.objectContaining({ type: "PodScheduled", status: "True" }),
    );
    const events = await c.request("GET", "/api/v1/namespaces/default/events?fieldSelector=involvedObject.name=web-0");
    expect(events.body.items).toHaveLength(1);
    expect(events.body.items[0]).toMatchObject({
      type: "Normal",
      reason: "Scheduled",
      action: "Binding",
      reportingComponent: "default-scheduler",
      message: `Successfully assigned default/web-0 to ${bound.body.spec.nodeName}`,
      involvedObject: { kind: "Pod", name: "web-0", namespace: "default" },
    });
  });

  it("skips a cordoned node and uses it again once uncordoned", async () => {
    const c = await newCluster();
    await addNode(c, "node-a", { unschedulable: true });
    await addNode(c, "node-b");
    for (let i = 0; i < 3; i++) await c.request("POST", PODS, pod(`p-${i}`));
    for (let i = 0; i < 3; i++) expect(await nodeOf(c, `p-${i}`)).toBe("node-b");
    await c.request(
      "PATCH",
      "/api/v1/nodes/node-a",
      { spec: { unschedulable: null } },
      {
        "content-type": "application/merge-patch+json",
      },
    );
    // The node lifecycle controller lifts the unschedulable taint on its next tick, as upstream's does.
    await until(async () => {
      const node = (await c.request("GET", "/api/v1/nodes/node-a")).body;
      return node.spec.taints?.length ? undefined : true;
    }, "the unschedulable taint lifted");
    await c.request("POST", PODS, pod("after"));
    expect(await nodeOf(c, "after")).toBe("node-a");
  });

  it("leaves a pod that fits nowhere Pending with upstream's message, and places it when a node joins", async () => {
    const c = await newCluster();
    await addNode(c, "node-a", { cpu: "1" });
    await addNode(c, "node-b", { cpu: "1" });
    await addNode(c, "node-c", { unschedulable: true });
    await c.request("POST", PODS, withCpu("big", "2"));
    const event = await failedEvent(c, "big");
    const message =
      "0/3 nodes are available: 1 node(s) were unschedulable, 2 Insufficient cpu. preemption: 0/3 nodes are available: 1 Preemption is not helpful for scheduling, 2 No preemption victims found for incoming pod.";
    expect(event).toMatchObject({
      type: "Warning",
      reason: "FailedScheduling",
      reportingComponent: "default-scheduler",
      message,
    });
    const pending = await c.request("GET", `${PODS}/big`);
    expect(pending.body.spec.nodeName).toBeUndefined();
    expect(pending.body.status.conditions).toContainEqual(
      expect.objectContaining({ type: "PodScheduled", status: "False", reason: "Unschedulable", message }),
    );
    await addNode(c, "node-d", { cpu: "4" });
    expect(await nodeOf(c, "big", 15_000)).toBe("node-d");
  });

  it("keeps a nodeSelector nobody matches Pending until a matching node joins", async () => {
    const c = await newCluster();
    await addNode(c, "node-a");
    await c.request("POST", PODS, podWith("gpu", { nodeSelector: { accelerator: "gpu" } }));
    const event = await failedEvent(c, "gpu");
    expect(event.message).toBe(
      "0/1 nodes are available: 1 node(s) didn't match Pod's node affinity/selector. preemption: 0/1 nodes are available: 1 Preemption is not helpful for scheduling.",
    );
    await addNode(c, "node-gpu", { labels: { accelerator: "gpu" } });
    expect(await nodeOf(c, "gpu", 15_000)).toBe("node-gpu");
  });

  it("honours taints and tolerations", async () => {
    const c = await newCluster();
    await addNode(c, "tainted", { taints: [{ key: "dedicated", value: "db", effect: "NoSchedule" }] });
    await c.request("POST", PODS, pod("plain"));
    expect((await failedEvent(c, "plain")).message).toMatch(
      /^0\/1 nodes are available: 1 node\(s\) had untolerated taint \{dedicated: db\}\./,
    );
    await c.request(
      "POST",
      PODS,
      podWith("db", { tolerations: [{ key: "dedicated", operator: "Equal", value: "db", effect: "NoSchedule" }] }),
    );
    expect(await nodeOf(c, "db")).toBe("tainted");
  });

  it("places pods by required node affinity", async () => {
    const c = await newCluster();
    await addNode(c, "zone-a", { labels: { "topology.kubernetes.io/zone": "a" } });
    await addNode(c, "zone-b", { labels: { "topology.kubernetes.io/zone": "b" } });
    const affinity = {
      nodeAffinity: {
        requiredDuringSchedulingIgnoredDuringExecution: {
          nodeSelectorTerms: [
            { matchExpressions: [{ key: "topology.kubernetes.io/zone", operator: "In", values: ["b"] }] },
          ],
        },
      },
    };
    for (let i = 0; i < 3; i++) await c.request("POST", PODS, podWith(`z-${i}`, { affinity }));
    for (let i = 0; i < 3; i++) expect(await nodeOf(c, `z-${i}`)).toBe("zone-b");
  });

  it("keeps pods with hostname anti-affinity apart", async () => {
    const c = await newCluster();
    for (const n of ["node-a", "node-b"]) await addNode(c, n);
    const affinity = {
      podAntiAffinity: {
        requiredDuringSchedulingIgnoredDuringExecution: [
          { labelSelector: { matchLabels: { app: "cache" } }, topologyKey: "kubernetes.io/hostname" },
        ],
      },
    };
    for (let i = 0; i < 3; i++) await c.request("POST", PODS, podWith(`cache-${i}`, { affinity }, { app: "cache" }));
    const nodes = new Set<string>();
    for (let i = 0; i < 2; i++) nodes.add(await nodeOf(c, `cache-${i}`));
    expect(nodes).toEqual(new Set(["node-a", "node-b"]));
    expect((await failedEvent(c, "cache-2")).message).toMatch(
      /^0\/2 nodes are available: 2 node\(s\) didn't match pod anti-affinity rules\./,
    );
  });

  it("spreads by a topology spread constraint", async () => {
    const c = await newCluster();
    await addNode(c, "a1", { labels: { "topology.kubernetes.io/zone": "a" } });
    await addNode(c, "a2", { labels: { "topology.kubernetes.io/zone": "a" } });
    await addNode(c, "b1", { labels: { "topology.kubernetes.io/zone": "b" } });
    const spread = [
      {
        maxSkew: 1,
        topologyKey: "topology.kubernetes.io/zone",
        whenUnsatisfiable: "DoNotSchedule",
        labelSelector: { matchLabels: { app: "s" } },
      },
    ];
    const zones: Record<string, number> = {};
    for (let i = 0; i < 4; i++) {
      await c.request("POST", PODS, podWith(`s-${i}`, { topologySpreadConstraints: spread }, { app: "s" }));
      const n = await nodeOf(c, `s-${i}`);
      zones[n.startsWith("a") ? "a" : "b"] = (zones[n.startsWith("a") ? "a" : "b"] ?? 0) + 1;
    }
    expect(zones).toEqual({ a: 2, b: 2 });
  });

  it("refuses a second pod for a host port already in use on the only node", async () => {
    const c = await newCluster();
    await addNode(c, "node-a");
    const withPort = (name: string) => {
      const p: Json = pod(name);
      p.spec.containers[0].ports = [{ containerPort: 80, hostPort: 8080 }];
      return p;
    };
    await c.request("POST", PODS, withPort("first"));
    expect(await nodeOf(c, "first")).toBe("node-a");
    await c.request("POST", PODS, withPort("second"));
    expect((await failedEvent(c, "second")).message).toMatch(
      /^0\/1 nodes are available: 1 node\(s\) didn't have free ports for the requested pod ports\./,
    );
  });

  it("preempts a lower-priority pod for a higher-priority one", async () => {
    const c = await newCluster();
    const pc = await c.request("POST", "/apis/scheduling.k8s.io/v1/priorityclasses", {
      apiVersion: "scheduling.k8s.io/v1",
      kind: "PriorityClass",
      metadata: { name: "high" },
      value: 1000,
    });
    expect(pc.status).toBe(201);
    expect(pc.body.preemptionPolicy).toBe("PreemptLowerPriority");
    await addNode(c, "node-a", { cpu: "2" });
    await c.request("POST", PODS, withCpu("low", "1500m", { spec: { terminationGracePeriodSeconds: 0 } }));
    expect(await nodeOf(c, "low")).toBe("node-a");
    const created = await c.request("POST", PODS, withCpu("high", "1500m", { spec: { priorityClassName: "high" } }));
    expect(created.body.spec.priority).toBe(1000);
    expect(await nodeOf(c, "high", 15_000)).toBe("node-a");
    expect((await c.request("GET", `${PODS}/low`)).status).toBe(404);
    const events = await c.request(
      "GET",
      "/api/v1/namespaces/default/events?fieldSelector=involvedObject.name=low,reason=Preempted",
    );
    expect(events.body.items[0].message).toBe(`Preempted by pod ${created.body.metadata.uid} on node node-a`);
  });

  it("refuses an unknown priority class and leaves other schedulers' pods alone", async () => {
    const c = await newCluster();
    await addNode(c, "node-a");
    const res = await c.request("POST", PODS, podWith("x", { priorityClassName: "missing" }));
    expect(res.status).toBe(403);
    expect(res.body.message).toBe('pods "x" is forbidden: no PriorityClass with name missing was found');
    await c.request("POST", PODS, podWith("other", { schedulerName: "my-scheduler" }));
    await c.request("POST", PODS, pod("mine"));
    await nodeOf(c, "mine");
    expect((await c.request("GET", `${PODS}/other`)).body.spec.nodeName).toBeUndefined();
  });
});
