// Issue 5 end to end: two real `flotilla agent` processes join the cluster npm start serves and run pods as
// real containers on Podman, driven by the real kubectl. Pods are pinned with spec.nodeName so each test
// knows which agent runs them (the scheduler has its own tests).
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { spawnAgent } from "../../scripts/local/local-agent.ts";
import type { AgentProcess } from "../../scripts/local/local-agent.ts";
import { repoRoot } from "../../scripts/local/home.ts";
import { httpsRequest } from "../../scripts/local/https-client.ts";
import { nodeContainers, podmanGate, removeNodeContainers } from "./containers.ts";
import { type Harness, startHarness } from "./harness.ts";
import { until } from "./poll.ts";
import type { AnyJson as Json } from "../../kube/types.ts";

const podman = await podmanGate("node agent e2e");

const IMAGE = "busybox:stable";
const suffix = `${process.pid.toString(36)}${Date.now().toString(36).slice(-4)}`;
const NODE_A = `e2e-a-${suffix}`;
const NODE_B = `e2e-b-${suffix}`;

function pod(name: string, node: string, spec: Json): string {
  return JSON.stringify({
    apiVersion: "v1",
    kind: "Pod",
    metadata: { name },
    spec: { nodeName: node, terminationGracePeriodSeconds: 5, ...spec },
  });
}

describe.skipIf(podman.skip)("node agents on Podman with kubectl", () => {
  let h: Harness;
  let agentA: AgentProcess;
  let agentB: AgentProcess;

  const getJson = async (...args: string[]): Promise<Json> =>
    JSON.parse((await h.kubectl(["get", ...args, "-o", "json"])).stdout);
  const apply = (manifest: string) => h.kubectl(["apply", "-f", "-"], { stdin: manifest });
  const phaseOf = async (name: string, phase: string) =>
    (await getJson("pod", name)).status?.phase === phase ? true : undefined;
  const container = (p: Json, name: string) => p.status?.containerStatuses?.find((c: Json) => c.name === name);

  beforeAll(async () => {
    podman.require();
    h = await startHarness({ clusterSettings: { nodeMonitorGracePeriodSeconds: 20 } });
    [agentA, agentB] = await Promise.all([
      h.flotilla.startAgent({ name: NODE_A, runtime: "docker" }),
      h.flotilla.startAgent({ name: NODE_B, runtime: "docker", labels: { zone: "b" } }),
    ]);
  });

  afterAll(async () => {
    await h?.stop();
    if (!podman.unavailable) await removeNodeContainers([NODE_A, NODE_B]);
  });

  it("two agents join: both nodes Ready with real capacity, node info and labels; leases are renewed", async () => {
    const nodes = await until("two Ready nodes", async () => {
      const items: Json[] = (await getJson("nodes")).items;
      const ready = items.filter((n) =>
        n.status?.conditions?.some((c: Json) => c.type === "Ready" && c.status === "True"),
      );
      return ready.length === 2 ? items : undefined;
    });
    const b = nodes.find((n: Json) => n.metadata.name === NODE_B);
    expect(Number(b.status.capacity.cpu)).toBe(os.cpus().length);
    expect(b.status.capacity.memory).toMatch(/^\d+Ki$/);
    expect(b.status.allocatable.pods).toBe("110");
    expect(b.status.nodeInfo.containerRuntimeVersion).toMatch(/^(podman|docker):\/\//);
    expect(b.status.nodeInfo.operatingSystem).toBe("linux");
    expect(b.metadata.labels).toMatchObject({
      "kubernetes.io/hostname": NODE_B,
      "kubernetes.io/os": "linux",
      zone: "b",
    });
    expect(b.metadata.labels["kubernetes.io/arch"]).toMatch(/^(amd64|arm64)$/);
    const table = (await h.kubectl(["get", "nodes"])).stdout;
    expect(table).toMatch(new RegExp(`${NODE_A}\\s+Ready`));
    expect(table).toMatch(new RegExp(`${NODE_B}\\s+Ready`));

    const renewed = async () => Date.parse((await getJson("lease", NODE_A, "-n", "kube-node-lease")).spec.renewTime);
    const first = await renewed();
    expect(Date.now() - first).toBeLessThan(30_000);
    await until("a lease renewal", async () => ((await renewed()) > first ? true : undefined), 30_000);
    expect((await h.kubectl(["get", "leases", "-n", "kube-node-lease"])).stdout).toContain(NODE_B);
  });

  it("kubectl run: a real container runs, and its exit shows as Completed with exit code 0", async () => {
    await h.kubectl([
      "run",
      "once",
      `--image=${IMAGE}`,
      "--restart=Never",
      `--overrides={"spec":{"nodeName":"${NODE_A}"}}`,
      "--",
      "sh",
      "-c",
      "sleep 25; echo done",
    ]);
    await until("once Running", () => phaseOf("once", "Running")).catch(async (e) => {
      console.log((await h.kubectl(["describe", "pod", "once"])).stdout);
      console.log((await h.kubectl(["get", "pod", "once", "-o", "yaml"])).stdout);
      throw e;
    });
    const running = await nodeContainers(NODE_A);
    expect(running.filter((c) => c.pod === "once" && c.container === "once").map((c) => c.state)).toEqual(["running"]);
    await until("once Succeeded", () => phaseOf("once", "Succeeded"), 90_000);
    const done = await getJson("pod", "once");
    expect(container(done, "once").state.terminated).toMatchObject({ exitCode: 0, reason: "Completed" });
    expect(done.status.podIP).toBeTruthy();
    expect(done.status.hostIP).toBeTruthy();
    expect(done.status.startTime).toBeTruthy();
    expect((await h.kubectl(["get", "pod", "once"])).stdout).toMatch(/once\s+0\/1\s+Completed\s+0/);
  });

  it("a helper container reaches the main one over localhost and both share an emptyDir", async () => {
    await apply(
      pod("duo", NODE_A, {
        restartPolicy: "Never",
        volumes: [{ name: "shared", emptyDir: {} }],
        containers: [
          {
            name: "main",
            image: IMAGE,
            command: ["sh", "-c", "echo hi-from-main > /shared/index.html; exec httpd -f -p 8080 -h /shared"],
            volumeMounts: [{ name: "shared", mountPath: "/shared" }],
          },
          {
            name: "helper",
            image: IMAGE,
            command: [
              "sh",
              "-c",
              "for i in 1 2 3 4 5 6 7 8 9 10; do wget -q -O /tmp/got http://localhost:8080/index.html && break; sleep 1; done; grep -q hi-from-main /tmp/got && grep -q hi-from-main /shared/index.html",
            ],
            volumeMounts: [{ name: "shared", mountPath: "/shared" }],
          },
        ],
      }),
    );
    const duo = await until("the helper to finish", async () => {
      const p = await getJson("pod", "duo");
      return container(p, "helper")?.state?.terminated ? p : undefined;
    });
    expect(container(duo, "helper").state.terminated.exitCode).toBe(0);
    expect(container(duo, "main").state.running).toBeTruthy();
  });

  it("a config map and a secret surface as env vars and as files", async () => {
    await h.kubectl(["create", "configmap", "settings", "--from-literal=greeting=hello"]);
    await h.kubectl(["create", "secret", "generic", "creds", "--from-literal=password=s3cret"]);
    const check = [
      '[ "$GREETING" = hello ]',
      '[ "$PASSWORD" = s3cret ]',
      '[ "$(cat /etc/settings/greeting)" = hello ]',
      '[ "$(cat /etc/creds/password)" = s3cret ]',
      '[ "$greeting" = hello ]',
    ].join(" && ");
    await apply(
      pod("config", NODE_A, {
        restartPolicy: "Never",
        volumes: [
          { name: "settings", configMap: { name: "settings" } },
          { name: "creds", secret: { secretName: "creds" } },
        ],
        containers: [
          {
            name: "check",
            image: IMAGE,
            command: ["sh", "-c", check],
            env: [
              { name: "GREETING", valueFrom: { configMapKeyRef: { name: "settings", key: "greeting" } } },
              { name: "PASSWORD", valueFrom: { secretKeyRef: { name: "creds", key: "password" } } },
            ],
            envFrom: [{ configMapRef: { name: "settings" } }],
            volumeMounts: [
              { name: "settings", mountPath: "/etc/settings" },
              { name: "creds", mountPath: "/etc/creds" },
            ],
          },
        ],
      }),
    );
    const p = await until("the check to finish", async () => {
      const got = await getJson("pod", "config");
      return container(got, "check")?.state?.terminated ? got : undefined;
    });
    expect(container(p, "check").state.terminated).toMatchObject({ exitCode: 0, reason: "Completed" });
    expect(p.status.phase).toBe("Succeeded");
  });

  it("a projected volume delivers secret and config map keys (and pod fields) as files", async () => {
    await h.kubectl(["create", "secret", "generic", "projected-creds", "--from-literal=password=pr0jected"]);
    await h.kubectl(["create", "configmap", "projected-settings", "--from-literal=greeting=howdy"]);
    await apply(
      pod("projected", NODE_A, {
        restartPolicy: "Never",
        volumes: [
          {
            name: "bundle",
            projected: {
              sources: [
                { secret: { name: "projected-creds", items: [{ key: "password", path: "creds/password" }] } },
                { configMap: { name: "projected-settings" } },
                { downwardAPI: { items: [{ path: "podname", fieldRef: { fieldPath: "metadata.name" } }] } },
              ],
            },
          },
        ],
        containers: [
          {
            name: "cat",
            image: IMAGE,
            command: [
              "sh",
              "-c",
              'for f in creds/password greeting podname; do echo "$f=$(cat /bundle/$f)"; done; touch /bundle/x 2>/dev/null || echo read-only',
            ],
            volumeMounts: [{ name: "bundle", mountPath: "/bundle" }],
          },
        ],
      }),
    );
    await until("the cat to finish", async () => {
      const got = await getJson("pod", "projected");
      return container(got, "cat")?.state?.terminated ? got : undefined;
    });
    const logs = await h.kubectl(["logs", "projected"]);
    expect(logs.stdout.trim().split("\n")).toEqual([
      "creds/password=pr0jected",
      "greeting=howdy",
      "podname=projected",
      "read-only",
    ]);
  });

  it("a crashing container goes into CrashLoopBackOff with a growing restart count", async () => {
    await apply(
      pod("crash", NODE_B, { containers: [{ name: "crash", image: IMAGE, command: ["sh", "-c", "exit 3"] }] }),
    );
    const p = await until(
      "CrashLoopBackOff after two restarts",
      async () => {
        const got = await getJson("pod", "crash");
        const c = container(got, "crash");
        return c?.restartCount >= 2 && c.state?.waiting?.reason === "CrashLoopBackOff" ? got : undefined;
      },
      90_000,
    );
    const c = container(p, "crash");
    expect(c.lastState.terminated).toMatchObject({ exitCode: 3, reason: "Error" });
    expect(c.state.waiting.message).toMatch(/^back-off \d+s restarting failed container=crash pod=crash_default/);
    expect((await h.kubectl(["get", "pod", "crash"])).stdout).toMatch(/crash\s+0\/1\s+CrashLoopBackOff\s+[2-9]/);
    const events = (await h.kubectl(["get", "events", "--field-selector", "involvedObject.name=crash"])).stdout;
    expect(events).toMatch(/BackOff\s+pod\/crash\s+Back-off restarting failed container crash/);
  });

  it("a failing liveness probe restarts the container; readiness gates the Ready condition", async () => {
    await apply(
      pod("probed", NODE_B, {
        containers: [
          {
            name: "app",
            image: IMAGE,
            command: ["sh", "-c", "sleep 4; touch /tmp/ready; sleep 3600"],
            readinessProbe: { exec: { command: ["cat", "/tmp/ready"] }, periodSeconds: 1 },
          },
          {
            name: "sick",
            image: IMAGE,
            command: ["sleep", "3600"],
            livenessProbe: { exec: { command: ["cat", "/tmp/healthy"] }, periodSeconds: 1, failureThreshold: 2 },
          },
        ],
      }),
    );
    const notReady = await until("probed Running", async () => {
      const got = await getJson("pod", "probed");
      return got.status?.phase === "Running" ? got : undefined;
    });
    const ready = (p: Json) => p.status.conditions.find((c: Json) => c.type === "Ready")?.status;
    expect(container(notReady, "app").ready).toBe(false);
    expect(ready(notReady)).toBe("False");
    await until("app ready", async () => (container(await getJson("pod", "probed"), "app")?.ready ? true : undefined));
    const restarted = await until("the liveness restart", async () => {
      const got = await getJson("pod", "probed");
      return container(got, "sick")?.restartCount >= 1 ? got : undefined;
    });
    expect(container(restarted, "app").restartCount).toBe(0);
    const events = (await h.kubectl(["get", "events", "--field-selector", "involvedObject.name=probed"])).stdout;
    expect(events).toMatch(/Unhealthy\s+pod\/probed\s+Liveness probe failed/);
    expect(events).toMatch(/Killing\s+pod\/probed\s+Container sick failed liveness probe, will be restarted/);
  });

  it("an agent killed and started again adopts its containers: none duplicated, none restarted", async () => {
    await apply(pod("steady", NODE_A, { containers: [{ name: "app", image: IMAGE, command: ["sleep", "3600"] }] }));
    await until("steady Running", () => phaseOf("steady", "Running"));
    const before = await nodeContainers(NODE_A);
    await agentA.kill();
    agentA = await h.flotilla.startAgent({ name: NODE_A, runtime: "docker" });
    expect(agentA.recentOutput()).toMatch(/resuming as node/);
    // Two sync rounds: long enough for a duplicate to appear if adoption failed.
    await new Promise((r) => setTimeout(r, 6_000));
    expect(await nodeContainers(NODE_A)).toEqual(before);
    const steady = await getJson("pod", "steady");
    expect(container(steady, "app").restartCount).toBe(0);
    expect(steady.status.phase).toBe("Running");
  });

  it("deleting a pod removes its containers within the grace period", async () => {
    const started = Date.now();
    await h.kubectl(["delete", "pod", "steady", "--grace-period=5"]);
    const elapsed = Date.now() - started;
    expect(elapsed).toBeLessThan(5_000 + 15_000); // the grace period plus a sync round
    await until("steady's containers gone", async () =>
      (await nodeContainers(NODE_A)).some((c) => c.pod === "steady") ? undefined : true,
    );
    expect((await h.kubectl(["get", "pod", "steady"], { allowFail: true })).stderr).toContain('"steady" not found');
  });

  describe("join tokens and node credentials", () => {
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "flotilla-e2e-join-"));
    afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

    /** Runs `flotilla agent` with the token on a fresh state dir and returns its exit code and output. */
    async function tryJoin(name: string, joinToken: string) {
      const agent = spawnAgent({
        root: repoRoot,
        clusterUrl: h.flotilla.clusterUrl,
        caPath: h.flotilla.caPath,
        name,
        runtime: "simulated",
        stateDir: path.join(tmp, name),
        joinToken,
        logFile: path.join(tmp, `${name}.log`),
      });
      const exit = await agent.exited;
      return { code: exit.code, output: agent.recentOutput() };
    }

    it("a wrong, an expired and a revoked join token are refused with a clear message", async () => {
      const wrong = await tryJoin("wrong", "fltc_not-a-real-token");
      expect(wrong.code).toBe(1);
      expect(wrong.output).toMatch(
        /the cluster refused to join node "wrong": the join token is invalid, expired or revoked/,
      );

      const expiring = await h.flotilla.createJoinToken(1);
      await new Promise((r) => setTimeout(r, 2_100));
      const expired = await tryJoin("expired", expiring);
      expect(expired.code).toBe(1);
      expect(expired.output).toMatch(/refused to join node "expired"/);

      const v1 = (method: string, p: string, body?: unknown) =>
        httpsRequest(`${h.flotilla.url}${p}`, {
          method,
          ca: h.flotilla.caPem,
          headers: { authorization: `Bearer ${h.flotilla.accountToken}`, "content-type": "application/json" },
          body: body === undefined ? undefined : JSON.stringify(body),
        });
      const created = JSON.parse(
        (await v1("POST", `/v1/clusters/${h.flotilla.clusterId}/tokens`, { role: "join" })).body,
      );
      expect((await v1("DELETE", `/v1/clusters/${h.flotilla.clusterId}/tokens/${created.id}`)).status).toBe(200);
      const revoked = await tryJoin("revoked", created.token);
      expect(revoked.code).toBe(1);
      expect(revoked.output).toMatch(/refused to join node "revoked"/);
      expect((await getJson("nodes")).items.map((n: Json) => n.metadata.name)).not.toContain("revoked");
    });

    it("a node credential acts only as its own node and cannot use the Kubernetes API", async () => {
      const state = JSON.parse(fs.readFileSync(path.join(agentA.stateDir, "node.json"), "utf8"));
      const asNode = (p: string, method = "GET", body?: unknown) =>
        httpsRequest(`${h.flotilla.clusterUrl}${p}`, {
          method,
          ca: h.flotilla.caPem,
          headers: { authorization: `Bearer ${state.nodeCredential}`, "content-type": "application/json" },
          body: body === undefined ? undefined : JSON.stringify(body),
        });
      const sync = (nodeName: string) => ({
        nodeName,
        podStatuses: [],
        terminated: [],
        events: [],
        known: [],
        waitSeconds: 0,
      });

      const other = await asNode("/agent/sync", "POST", sync(NODE_B));
      expect(other.status).toBe(403);
      expect(JSON.parse(other.body)).toMatchObject({ kind: "Status", reason: "Forbidden" });
      expect(other.body).toContain(`is not allowed to act as node \\"${NODE_B}\\"`);

      const own = await asNode("/agent/sync", "POST", sync(NODE_A));
      expect(own.status).toBe(200);
      const pods: string[] = JSON.parse(own.body).pods.map((p: Json) => p.pod.spec.nodeName);
      expect(pods.length).toBeGreaterThan(0);
      expect(new Set(pods)).toEqual(new Set([NODE_A]));

      for (const p of ["/api/v1/pods", `/api/v1/nodes/${NODE_B}`, "/api/v1/namespaces/default/secrets"])
        expect([401, 403]).toContain((await asNode(p)).status);
      const patch = await asNode(`/api/v1/nodes/${NODE_B}/status`, "PATCH", { status: {} });
      expect([401, 403]).toContain(patch.status);
    });
  });

  it("stopping an agent turns its node NotReady after the grace period; pods on it are left alone", async () => {
    await agentB.stop();
    const stoppedAt = Date.now();
    await until(
      "node B NotReady",
      async () =>
        (await h.kubectl(["get", "node", NODE_B])).stdout.match(new RegExp(`${NODE_B}\\s+NotReady`)) ? true : undefined,
      120_000,
    );
    const node = await getJson("node", NODE_B);
    const ready = node.status.conditions.find((c: Json) => c.type === "Ready");
    expect(ready).toMatchObject({
      status: "Unknown",
      reason: "NodeStatusUnknown",
      message: "Kubelet stopped posting node status.",
    });
    // The grace period runs from the last renewal, at most one heartbeat (10 s) before the stop.
    expect(Date.now() - stoppedAt).toBeGreaterThan(10_000);
    // The agent left its containers running (a restarted agent adopts them).
    expect((await nodeContainers(NODE_B)).some((c) => c.pod === "probed" && c.state === "running")).toBe(true);
  });
});
