// `kubectl top` against usage a node reports with its sync, as with metrics-server: a node joins with a
// join token minted through /v1, posts one sync carrying a metrics report, and kubectl prints the values.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { JoinRequest, JoinResponse, MetricsReport, SyncRequest } from "../../kube/agent-protocol.ts";
import { demoAccountToken, loadOrCreateDemoAccount } from "../../scripts/local/demo-cluster.ts";
import { homePaths } from "../../scripts/local/home.ts";
import { httpsRequest } from "../../scripts/local/https-client.ts";
import { type Harness, requireKubectl, startHarness } from "./harness.ts";

const NODE = "metrics-node";
const MI = 2 ** 20;

describe("kubectl top", () => {
  let h: Harness;

  async function post<T>(url: string, token: string, body: unknown, expected: number): Promise<T> {
    const res = await httpsRequest(url, {
      method: "POST",
      ca: h.flotilla.caPem,
      headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
      body: JSON.stringify(body),
    });
    expect(res.status, res.body).toBe(expected);
    return JSON.parse(res.body) as T;
  }

  /** A join token from the cluster owner's /v1 API, then a node credential from /agent/join. */
  async function joinNode(): Promise<string> {
    const account = loadOrCreateDemoAccount(homePaths(h.home).demoCluster);
    const accountToken = await demoAccountToken(h.flotilla.url, h.flotilla.caPem, account);
    const url = `${h.flotilla.url}/v1/clusters/${h.flotilla.clusterId}/tokens`;
    const join = await post<{ token: string }>(url, accountToken, { role: "join" }, 201);
    const request: JoinRequest = {
      nodeName: NODE,
      capacity: { cpu: "2", memory: "4Gi", pods: "110" },
      allocatable: { cpu: "2", memory: "4Gi", pods: "110" },
      nodeInfo: { operatingSystem: "linux", architecture: "amd64" } as JoinRequest["nodeInfo"],
      addresses: [{ type: "InternalIP", address: "10.0.0.7" }],
      labels: {},
    };
    const joined = await post<JoinResponse>(`${h.flotilla.clusterUrl}/agent/join`, join.token, request, 201);
    return joined.nodeCredential;
  }

  /** A pod bound to the node and Running, as its kubelet would report. */
  async function runningPod(name: string): Promise<string> {
    const manifest = {
      apiVersion: "v1",
      kind: "Pod",
      metadata: { name },
      spec: {
        nodeName: NODE,
        containers: [
          { name: "main", image: "nginx" },
          { name: "side", image: "busybox" },
        ],
      },
    };
    await h.kubectl(["create", "-f", "-"], { stdin: JSON.stringify(manifest) });
    const pod = JSON.parse((await h.kubectl(["get", "pod", name, "-o", "json"])).stdout);
    const res = await h.api(`/api/v1/namespaces/default/pods/${name}/status`, {
      method: "PUT",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ ...pod, status: { phase: "Running" } }),
    });
    expect(res.status, res.body).toBe(200);
    return pod.metadata.uid;
  }

  beforeAll(async () => {
    requireKubectl();
    h = await startHarness();
    const credential = await joinNode();
    const uid = await runningPod("web");
    const metrics: MetricsReport = {
      timestamp: new Date().toISOString().replace(/\.\d+Z$/, "Z"),
      windowSeconds: 10,
      node: { cpuNanoCores: 1_500_000_000, memoryBytes: 3072 * MI },
      pods: [
        {
          uid,
          namespace: "default",
          name: "web",
          containers: [
            { name: "main", cpuNanoCores: 250_000_000, memoryBytes: 64 * MI },
            { name: "side", cpuNanoCores: 5_000_000, memoryBytes: 8 * MI },
          ],
        },
      ],
    };
    const sync: SyncRequest = {
      nodeName: NODE,
      podStatuses: [],
      terminated: [],
      events: [],
      known: [],
      waitSeconds: 0,
      metrics,
    };
    await post(`${h.flotilla.clusterUrl}/agent/sync`, credential, sync, 200);
  });
  afterAll(async () => {
    await h?.stop();
  });

  const rows = (stdout: string) =>
    stdout
      .trim()
      .split("\n")
      .map((line) => line.trim().split(/\s+/));

  it("kubectl top nodes prints the node's usage and its share of allocatable", async () => {
    const out = await h.kubectl(["top", "nodes"]);
    const [header, ...lines] = rows(out.stdout);
    expect(header).toEqual(["NAME", "CPU(cores)", "CPU(%)", "MEMORY(bytes)", "MEMORY(%)"]);
    expect(lines.find((r) => r[0] === NODE)).toEqual([NODE, "1500m", "75%", "3072Mi", "75%"]);
  });

  it("kubectl top pods sums the containers; --containers lists each", async () => {
    const pods = rows((await h.kubectl(["top", "pods"])).stdout);
    expect(pods[0]).toEqual(["NAME", "CPU(cores)", "MEMORY(bytes)"]);
    expect(pods.find((r) => r[0] === "web")).toEqual(["web", "255m", "72Mi"]);
    const containers = rows((await h.kubectl(["top", "pods", "--containers"])).stdout);
    expect(containers[0]).toEqual(["POD", "NAME", "CPU(cores)", "MEMORY(bytes)"]);
    expect(containers.filter((r) => r[0] === "web")).toEqual([
      ["web", "main", "250m", "64Mi"],
      ["web", "side", "5m", "8Mi"],
    ]);
  });

  it("a pod without usage is reported as upstream does", async () => {
    await runningPod("quiet");
    const out = await h.kubectl(["top", "pod", "quiet"], { allowFail: true });
    expect(out.code).not.toBe(0);
    expect(out.stderr).toContain('podmetrics.metrics.k8s.io "default/quiet" not found');
  });
});
