// The whole agent (runAgent, docker runtime) against the fake cluster and a real Podman: restarts adopt
// containers without duplicates, and a pod deleted while the agent was away is cleaned up when it returns.
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import type { Pod } from "../kube/pod-types.ts";
import { type AgentHandle, runAgent } from "./index.ts";
import { removeNodeNetworks } from "./services/host-cleanup.ts";
import { findDockerHost } from "./runtime/docker/connect.ts";
import { LABEL_NODE } from "./runtime/docker/labels.ts";
import { BUSYBOX, podmanGate } from "./runtime/docker/testing/harness.ts";
import { FakeCluster } from "./testing/fake-cluster.ts";

const podman = await podmanGate("Podman tests");

describe.skipIf(podman.skip)("agent on Podman", () => {
  let cluster: FakeCluster;
  let dir: string;
  let agent: AgentHandle | undefined;
  const nodeName = `agent-${process.pid}-${Date.now().toString(36)}`;

  beforeAll(() => {
    podman.require();
  });
  afterEach(async () => {
    await agent?.stop();
    await cluster?.close();
    const { DockerRuntime } = await import("./runtime/docker/runtime.ts");
    const rt = new DockerRuntime({
      dockerHost: findDockerHost()!,
      nodeName,
      hostIP: "",
      podsDir: "/nonexistent",
      nodeAllocatable: {},
    });
    await rt.collectOrphans(new Set());
    await removeNodeNetworks(rt.docker, [nodeName]);
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  const start = () =>
    runAgent(
      {
        server: cluster.url,
        joinToken: "join-secret",
        name: nodeName,
        runtime: "docker",
        stateDir: join(dir, "state"),
        labels: {},
        nodes: 1,
        insecureSkipTlsVerify: false,
      },
      { log: () => {}, runtimePeriodMs: 250 },
    );

  const containers = async () => {
    const { default: Docker } = await import("dockerode");
    const docker = new Docker({ socketPath: findDockerHost()!.replace("unix://", "") });
    const list = await docker.listContainers({ all: true, filters: { label: [`${LABEL_NODE}=${nodeName}`] } });
    return list.map((c) => `${c.Names[0]} ${c.Id} ${c.State}`).sort();
  };

  async function until(check: () => boolean | Promise<boolean>, timeoutMs = 30_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!(await check())) {
      if (Date.now() > deadline) throw new Error("timed out");
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  const sleeper = (name: string): Pod => ({
    apiVersion: "v1",
    kind: "Pod",
    metadata: { name },
    spec: {
      terminationGracePeriodSeconds: 2,
      containers: [{ name: "main", image: BUSYBOX, imagePullPolicy: "IfNotPresent", command: ["sleep", "3600"] }],
    },
  });

  it("a restarted agent adopts its containers; a pod deleted meanwhile is removed on return", async () => {
    cluster = await new FakeCluster().start();
    dir = await mkdtemp(join(tmpdir(), "agent-podman-"));
    agent = await start();
    const kept = cluster.addPod(sleeper("kept"), nodeName);
    const gone = cluster.addPod(sleeper("gone"), nodeName);
    const ready = (p: Pod) =>
      cluster.statusOf(p.metadata.uid!)?.conditions?.find((c) => c.type === "Ready")?.status === "True";
    await until(() => ready(kept) && ready(gone));
    const before = await containers();
    expect(before.length).toBe(4);
    const node = cluster.nodes.get(nodeName)!;
    expect(node.status?.nodeInfo.containerRuntimeVersion).toMatch(/^(podman|docker):\/\//);

    await agent.stop();
    agent = undefined;
    // While the agent is away, "gone" is force-deleted from the cluster.
    cluster.pods.delete(gone.metadata.uid!);
    agent = await start();
    await until(async () => (await containers()).length === 2);
    const after = await containers();
    expect(after).toEqual(before.filter((c) => c.includes("_kept_")));
    await new Promise((r) => setTimeout(r, 1500));
    expect(await containers()).toEqual(after);
    expect(cluster.statusOf(kept.metadata.uid!)?.containerStatuses?.[0].restartCount).toBe(0);
  }, 90_000);
});
