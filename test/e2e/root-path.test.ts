// The cluster at the server's root (issue 16): the kubeconfig /v1 hands out at sign-up has a `server` without a
// path and a token that names the cluster, so `kubectl get --raw`, `kubectl proxy` without
// `--append-server-path`, watches and the streams (exec through the node's tunnel) work as on any cluster.
import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { repoRoot } from "../../scripts/local/home.ts";
import { httpsRequest } from "../../scripts/local/https-client.ts";
import { type AgentProcess, spawnAgent, waitUntilSyncing } from "../../scripts/local/local-agent.ts";
import { type Harness, requireKubectl, startHarness } from "./harness.ts";
import { kubectlEnv, runKubectl, runProcess, watchKubectl } from "./kubectl.ts";

let h: Harness;
let kubeconfigPath: string;
let cluster: { id: string; joinToken: string; kubeconfig: string };
let agent: AgentProcess | undefined;

async function v1(method: string, apiPath: string, body: unknown, token?: string) {
  const res = await httpsRequest(`${h.flotilla.url}${apiPath}`, {
    method,
    ca: h.flotilla.caPem,
    headers: { "content-type": "application/json", ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify(body),
  });
  if (res.status >= 300) throw new Error(`${method} ${apiPath}: ${res.status} ${res.body}`);
  return JSON.parse(res.body);
}

/** kubectl with the sign-up kubeconfig only. */
const kubectl = (args: string[], opts: { allowFail?: boolean } = {}) =>
  runKubectl(kubectlEnv(kubeconfigPath, path.join(h.home, "root-kube-cache")), args, opts);

beforeAll(async () => {
  requireKubectl();
  h = await startHarness();
  const signup = await v1("POST", "/v1/signup", { email: "root@flotilla.test", password: "root-path-password" });
  cluster = await v1("POST", "/v1/clusters", { name: "rooted" }, signup.token);
  kubeconfigPath = path.join(h.home, "signup-kubeconfig.yaml");
  fs.writeFileSync(kubeconfigPath, cluster.kubeconfig, { mode: 0o600 });
}, 180_000);

afterAll(async () => {
  await agent?.stop();
  await h?.stop();
});

describe("the kubeconfig from sign-up", () => {
  it("names the server's root, with no path", () => {
    const config = parse(cluster.kubeconfig);
    expect(config.clusters[0].cluster.server).toBe(h.flotilla.url);
  });

  it("kubectl get --raw /version and /api/v1/namespaces/default/pods", async () => {
    const version = JSON.parse((await kubectl(["get", "--raw", "/version"])).stdout);
    expect(version).toMatchObject({ major: "1" });
    const pods = JSON.parse((await kubectl(["get", "--raw", "/api/v1/namespaces/default/pods"])).stdout);
    expect(pods).toMatchObject({ kind: "PodList", apiVersion: "v1", items: [] });
    const api = JSON.parse((await kubectl(["get", "--raw", "/api"])).stdout);
    expect(api.kind).toBe("APIVersions");
  });

  it("reaches its own cluster, not the demo cluster of the same server", async () => {
    await h.kubectl(["create", "configmap", "demo-only"]);
    await kubectl(["create", "configmap", "rooted-only"]);
    const names = (await kubectl(["get", "configmaps", "-o", "name"])).stdout;
    expect(names).toContain("configmap/rooted-only");
    expect(names).not.toContain("demo-only");
    const demo = (await h.kubectl(["get", "configmaps", "-o", "name"])).stdout;
    expect(demo).not.toContain("rooted-only");
  });

  it("kubectl proxy --port=0 (no --append-server-path) serves /api/v1/pods to curl", async () => {
    await kubectl(["create", "configmap", "via-proxy", "--from-literal=k=v"]);
    const proxy = watchKubectl(kubectlEnv(kubeconfigPath, path.join(h.home, "root-kube-cache")), ["proxy", "--port=0"]);
    try {
      const line = await proxy.waitFor(/Starting to serve on/, 20_000);
      const port = Number(/:(\d+)\s*$/.exec(line)?.[1]);
      const curl = (p: string) =>
        runProcess("curl", process.env, ["-sS", "--fail-with-body", `http://localhost:${port}${p}`]);
      const pods = JSON.parse((await curl("/api/v1/pods")).stdout);
      expect(pods).toMatchObject({ kind: "PodList", apiVersion: "v1" });
      const cm = JSON.parse((await curl("/api/v1/namespaces/default/configmaps/via-proxy")).stdout);
      expect(cm.data).toEqual({ k: "v" });
      expect(JSON.parse((await curl("/version")).stdout).major).toBe("1");
    } finally {
      await proxy.stop();
    }
  });

  it("watches at the root: kubectl get -w sees a change made after it started", async () => {
    const watch = watchKubectl(kubectlEnv(kubeconfigPath, path.join(h.home, "root-kube-cache")), [
      "get",
      "configmaps",
      "-w",
      "--output-watch-events",
    ]);
    try {
      await watch.waitFor(/via-proxy/, 20_000);
      await kubectl(["create", "configmap", "watched"]);
      expect(await watch.waitFor(/ADDED\s+watched/, 20_000)).toMatch(/watched/);
    } finally {
      await watch.stop();
    }
  });

  it("an agent joins at the root, and exec rides its tunnel from the root (its stream is the node's refusal)", async () => {
    const stateDir = path.join(h.home, "agents", "root-node");
    agent = spawnAgent({
      root: repoRoot,
      clusterUrl: h.flotilla.url,
      caPath: h.flotilla.caPath,
      name: "root-node",
      runtime: "simulated",
      stateDir,
      joinToken: cluster.joinToken,
      logFile: path.join(h.home, "logs", "agent-root-node.log"),
    });
    await waitUntilSyncing(agent);
    await kubectl(["run", "idle", "--image=busybox:stable", `--overrides={"spec":{"nodeName":"root-node"}}`]);
    await kubectl(["wait", "--for=condition=Ready", "pod/idle", "--timeout=60s"]);
    // A simulated node refuses exec on the stream's error channel: the WebSocket went from kubectl through the
    // root to the object and down the node's tunnel, and came back with the node's own words.
    const exec = await kubectl(["exec", "idle", "--", "ls"], { allowFail: true });
    expect(exec.code).not.toBe(0);
    expect(exec.stderr).toContain("this node does not serve exec streams");
    // The demo cluster has no such node or pod: the agent joined the cluster its token named.
    expect((await h.kubectl(["get", "nodes", "-o", "name"])).stdout).not.toContain("root-node");
  }, 120_000);

  it("a stranger's or another cluster's token at the root is 401 Unauthorized, as kubectl shows it", async () => {
    const config = parse(cluster.kubeconfig);
    const token = config.users[0].user.token as string;
    const forged = `fltc_${cluster.id}_${"A".repeat(43)}`;
    for (const bad of [forged, `${token}x`, h.flotilla.adminToken.replace(h.flotilla.clusterId, cluster.id)]) {
      const res = await kubectl(["--token", bad, "get", "--raw", "/version"], { allowFail: true });
      expect(res.code).not.toBe(0);
      expect(res.stderr).toMatch(/Unauthorized/);
    }
  });
});
