// runAgent end to end against the in-process fake cluster, with the simulated runtime.
import { mkdtemp, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Pod } from "../kube/pod-types.ts";
import type { AgentOptions } from "./args.ts";
import { type AgentHandle, runAgent } from "./index.ts";
import { FakeCluster } from "./testing/fake-cluster.ts";

const quiet = () => {};
let cluster: FakeCluster;
let dir: string;
let agents: AgentHandle[] = [];

beforeEach(async () => {
  cluster = await new FakeCluster().start();
  dir = await mkdtemp(join(tmpdir(), "agent-"));
});
afterEach(async () => {
  for (const a of agents) await a.stop();
  agents = [];
  await cluster.close();
  await rm(dir, { recursive: true, force: true });
});

const options = (extra: Partial<AgentOptions> = {}): AgentOptions => ({
  server: cluster.url,
  joinToken: "join-secret",
  name: "n1",
  runtime: "simulated",
  stateDir: join(dir, "n1"),
  labels: { zone: "a" },
  nodes: 1,
  insecureSkipTlsVerify: false,
  ...extra,
});

async function start(extra: Partial<AgentOptions> = {}): Promise<AgentHandle> {
  const handle = await runAgent(options(extra), { log: quiet });
  agents.push(handle);
  return handle;
}

async function until<T>(what: () => T | undefined, timeoutMs = 5000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = what();
    if (value) return value;
    if (Date.now() > deadline) throw new Error("timed out");
    await new Promise((r) => setTimeout(r, 20));
  }
}

const pod = (name: string): Pod => ({
  apiVersion: "v1",
  kind: "Pod",
  metadata: { name },
  spec: { containers: [{ name: "c", image: "busybox" }] },
});

describe("runAgent", () => {
  it("joins with real facts and keeps the credential 0600", async () => {
    await start();
    const node = cluster.nodes.get("n1")!;
    expect(node.join.capacity.pods).toBe("110");
    expect(node.join.labels).toMatchObject({ "kubernetes.io/hostname": "n1", zone: "a" });
    expect(node.join.nodeInfo.containerRuntimeVersion).toBe("simulated://1.0.0");
    expect((await stat(join(dir, "n1", "node.json"))).mode & 0o777).toBe(0o600);
    const status = await until(() => node.status);
    expect(status.conditions.find((c) => c.type === "Ready")?.status).toBe("True");
  });

  it("refuses a wrong join token with the cluster's message", async () => {
    await expect(runAgent(options({ joinToken: "wrong" }), { log: quiet })).rejects.toThrow(
      'the cluster refused to join node "n1": the join token is invalid, expired or revoked',
    );
  });

  it("runs pods bound to the node at once (long-poll wakes) and reports their status", async () => {
    cluster.heartbeatSeconds = 30;
    await start();
    await until(() => cluster.nodes.get("n1")?.syncs);
    const started = Date.now();
    const p = cluster.addPod(pod("web"), "n1");
    const status = await until(() =>
      cluster.statusOf(p.metadata.uid!)?.phase === "Running" ? cluster.statusOf(p.metadata.uid!) : undefined,
    );
    expect(Date.now() - started).toBeLessThan(2000);
    expect(status.conditions?.find((c) => c.type === "Ready")?.status).toBe("True");
    // No ping-pong: acknowledged status writes do not come back as pod changes.
    const syncs = cluster.nodes.get("n1")!.syncs;
    await new Promise((r) => setTimeout(r, 300));
    expect(cluster.nodes.get("n1")!.syncs - syncs).toBeLessThanOrEqual(1);
  });

  it("finishes graceful deletion and stops pods that vanished", async () => {
    await start();
    const a = cluster.addPod(pod("a"), "n1");
    const b = cluster.addPod(pod("b"), "n1");
    await until(() => cluster.statusOf(a.metadata.uid!) && cluster.statusOf(b.metadata.uid!));
    cluster.deletePod(a.metadata.uid!);
    await until(() => !cluster.pods.has(a.metadata.uid!));
    cluster.deletePod(b.metadata.uid!, 0);
    await new Promise((r) => setTimeout(r, 200));
    expect([...cluster.pods.keys()]).toEqual([]);
  });

  it("keeps going while the cluster is away and resyncs when it is back", async () => {
    cluster.heartbeatSeconds = 1;
    await start();
    await until(() => cluster.nodes.get("n1")?.syncs);
    cluster.down = true;
    await new Promise((r) => setTimeout(r, 1500));
    const p = cluster.addPod(pod("late"), "n1");
    cluster.down = false;
    await until(() => cluster.statusOf(p.metadata.uid!)?.phase === "Running", 8000);
  });

  it("resumes with its stored credential after a restart (no join token needed)", async () => {
    const first = await start();
    const p = cluster.addPod(pod("kept"), "n1");
    await until(() => cluster.statusOf(p.metadata.uid!));
    await first.stop();
    agents = [];
    const credential = cluster.nodes.get("n1")!.credential;
    const syncs = cluster.nodes.get("n1")!.syncs;
    await start({ joinToken: undefined });
    await until(() => cluster.nodes.get("n1")!.syncs > syncs);
    expect(cluster.nodes.get("n1")!.credential).toBe(credential);
  });

  it("runs several simulated nodes in one process", async () => {
    const handle = await start({ name: "sim", nodes: 3, stateDir: join(dir, "many") });
    expect(handle.nodeNames).toEqual(["sim-0", "sim-1", "sim-2"]);
    expect([...cluster.nodes.keys()].sort()).toEqual(["sim-0", "sim-1", "sim-2"]);
  });
});
