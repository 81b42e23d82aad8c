// The scheduler as kubectl users see it (issue 6): nodes here are Node objects whose status
// says Ready, as kwok's fake nodes do; no kubelet runs their pods.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Harness, requireKubectl, startHarness } from "./harness.ts";

const CAPACITY = { cpu: "4", memory: "8Gi", pods: "110" };

function nodeManifest(name: string, labels: Record<string, string> = {}): string {
  return JSON.stringify({
    apiVersion: "v1",
    kind: "Node",
    metadata: { name, labels: { "kubernetes.io/hostname": name, ...labels } },
  });
}

describe("scheduling with kubectl", () => {
  let h: Harness;

  /** Creates a node and marks it Ready with capacity, as a kubelet's first status update would. */
  async function addNode(name: string, labels: Record<string, string> = {}): Promise<void> {
    await h.kubectl(["create", "-f", "-"], { stdin: nodeManifest(name, labels) });
    const node = JSON.parse((await h.kubectl(["get", "node", name, "-o", "json"])).stdout);
    const now = new Date().toISOString().replace(/\.\d+Z$/, "Z");
    // Unconditional (no resourceVersion): node IPAM may give the node its podCIDR meanwhile.
    delete node.metadata.resourceVersion;
    node.status = {
      capacity: CAPACITY,
      allocatable: CAPACITY,
      conditions: [
        {
          type: "Ready",
          status: "True",
          reason: "KubeletReady",
          message: "ready",
          lastHeartbeatTime: now,
          lastTransitionTime: now,
        },
      ],
    };
    const res = await h.api(`/api/v1/nodes/${name}/status`, {
      method: "PUT",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(node),
    });
    expect(res.status, res.body).toBe(200);
  }

  /** Pod name → node name, for pods matching a label selector. */
  async function placements(selector: string): Promise<Record<string, string>> {
    const out = await h.kubectl([
      "get",
      "pods",
      "-l",
      selector,
      "-o",
      'jsonpath={range .items[*]}{.metadata.name}={.spec.nodeName}{"\\n"}{end}',
    ]);
    return Object.fromEntries(
      out.stdout
        .trim()
        .split("\n")
        .filter(Boolean)
        .map((l) => l.split("=")),
    );
  }

  async function eventually<T>(read: () => Promise<T>, ok: (v: T) => boolean, timeoutMs = 15_000): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    let value = await read();
    while (!ok(value) && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 250));
      value = await read();
    }
    return value;
  }

  beforeAll(async () => {
    requireKubectl();
    h = await startHarness();
    for (const n of ["node-a", "node-b", "node-c"]) await addNode(n);
  });
  afterAll(async () => {
    await h?.stop();
  });

  it("spreads a deployment's 6 replicas 2/2/2 over 3 nodes", async () => {
    await h.kubectl(["create", "deployment", "web", "--image=nginx", "--replicas=6"]);
    const placed = await eventually(
      () => placements("app=web"),
      (p) => Object.values(p).filter(Boolean).length === 6,
    );
    const perNode: Record<string, number> = {};
    for (const node of Object.values(placed)) perNode[node] = (perNode[node] ?? 0) + 1;
    expect(perNode).toEqual({ "node-a": 2, "node-b": 2, "node-c": 2 });
    const wide = await h.kubectl(["get", "pods", "-l", "app=web", "-o", "wide"]);
    expect(wide.stdout).toMatch(/NODE/);
    await h.kubectl(["delete", "deployment", "web"]);
  });

  it("cordon stops new placements on a node and uncordon resumes them", async () => {
    const cordon = await h.kubectl(["cordon", "node-a"]);
    expect(cordon.stdout).toBe("node/node-a cordoned\n");
    const nodes = await h.kubectl(["get", "nodes"]);
    expect(nodes.stdout).toMatch(/^node-a\s+Ready,SchedulingDisabled\s/m);
    for (let i = 0; i < 4; i++) await h.kubectl(["run", `c${i}`, "--image=nginx", "--labels=set=cordon"]);
    const placed = await eventually(
      () => placements("set=cordon"),
      (p) => Object.values(p).filter(Boolean).length === 4,
    );
    expect(Object.values(placed)).not.toContain("node-a");
    expect((await h.kubectl(["uncordon", "node-a"])).stdout).toBe("node/node-a uncordoned\n");
    for (let i = 0; i < 3; i++) await h.kubectl(["run", `u${i}`, "--image=nginx", "--labels=set=uncordon"]);
    const after = await eventually(
      () => placements("set=uncordon"),
      (p) => Object.values(p).filter(Boolean).length === 3,
    );
    expect(Object.values(after)).toContain("node-a");
    // No kubelet runs these fake nodes' pods, so nothing would finish a graceful deletion.
    await h.kubectl(["delete", "pods", "-l", "set in (cordon,uncordon)", "--force", "--grace-period=0"]);
  });

  it("keeps a pod whose nodeSelector nobody matches Pending with FailedScheduling, then places it on a matching node", async () => {
    await h.kubectl([
      "run",
      "picky",
      "--image=nginx",
      "--overrides",
      JSON.stringify({ spec: { nodeSelector: { disk: "ssd" } } }),
    ]);
    const describe = await eventually(
      async () => (await h.kubectl(["describe", "pod", "picky"])).stdout,
      (out) => out.includes("FailedScheduling"),
    );
    expect(describe).toMatch(
      /Warning\s+FailedScheduling\s+.*0\/3 nodes are available: 3 node\(s\) didn't match Pod's node affinity\/selector\./,
    );
    expect((await h.kubectl(["get", "pod", "picky", "-o", "jsonpath={.status.phase}"])).stdout).toBe("Pending");
    await addNode("node-ssd", { disk: "ssd" });
    const placed = await eventually(
      async () => (await h.kubectl(["get", "pod", "picky", "-o", "jsonpath={.spec.nodeName}"])).stdout,
      (n) => n !== "",
    );
    expect(placed).toBe("node-ssd");
    const events = await h.kubectl([
      "get",
      "events",
      "--field-selector",
      "involvedObject.name=picky",
      "-o",
      "jsonpath={.items[*].reason}",
    ]);
    expect(events.stdout.split(" ")).toEqual(expect.arrayContaining(["FailedScheduling", "Scheduled"]));
  });

  it("preempts a lower-priority pod for a high-priority one that does not fit", async () => {
    const pc = (name: string, value: number) =>
      JSON.stringify({ apiVersion: "scheduling.k8s.io/v1", kind: "PriorityClass", metadata: { name }, value });
    await h.kubectl(["create", "-f", "-"], { stdin: pc("low", 10) });
    await h.kubectl(["create", "-f", "-"], { stdin: pc("high", 1000) });
    const big = (name: string, priorityClassName: string) =>
      JSON.stringify({
        apiVersion: "v1",
        kind: "Pod",
        metadata: { name, labels: { set: "preempt" } },
        spec: {
          priorityClassName,
          containers: [{ name: "main", image: "nginx", resources: { requests: { cpu: "3" } } }],
        },
      });
    for (let i = 0; i < 4; i++) await h.kubectl(["create", "-f", "-"], { stdin: big(`low-${i}`, "low") });
    await eventually(
      () => placements("set=preempt"),
      (p) => Object.values(p).filter(Boolean).length === 4,
    );
    await h.kubectl(["create", "-f", "-"], { stdin: big("vip", "high") });
    const node = await eventually(
      async () => (await h.kubectl(["get", "pod", "vip", "-o", "jsonpath={.spec.nodeName}"])).stdout,
      (n) => n !== "",
    );
    expect(["node-a", "node-b", "node-c", "node-ssd"]).toContain(node);
    const events = await h.kubectl([
      "get",
      "events",
      "-o",
      'jsonpath={range .items[*]}{.reason} {.involvedObject.name}{"\\n"}{end}',
    ]);
    expect(events.stdout).toMatch(/^Preempted low-\d$/m);
  });
});
