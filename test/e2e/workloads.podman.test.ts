// Issue 7 end to end: controllers on the object's alarm drive real containers through two (later three)
// `flotilla agent` processes on Podman, as kubectl users see it. The cluster is created with a 20 s node
// grace period and 10 s default toleration so a lost node is handled within a test's patience.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { AgentProcess } from "../../scripts/local/local-agent.ts";
import { podmanGate, removeNodeContainers } from "./containers.ts";
import { type Harness, startHarness } from "./harness.ts";
import { until } from "./poll.ts";
import type { AnyJson as Json } from "../../kube/types.ts";

const podman = await podmanGate("workload e2e");

const IMAGE = "busybox:stable";
const suffix = `${process.pid.toString(36)}${Date.now().toString(36).slice(-4)}`;
const NODES = ["a", "b", "c"].map((n) => `wl-${n}-${suffix}`);

const isReady = (p: Json) =>
  !p.metadata.deletionTimestamp &&
  p.status?.phase === "Running" &&
  p.status.conditions?.some((c: Json) => c.type === "Ready" && c.status === "True");

describe.skipIf(podman.skip)("workload controllers with agents on Podman", () => {
  let h: Harness;
  const agents = new Map<string, AgentProcess>();

  const getJson = async (...args: string[]): Promise<Json> =>
    JSON.parse((await h.kubectl(["get", ...args, "-o", "json"])).stdout);
  const apply = (manifest: unknown) => h.kubectl(["apply", "-f", "-"], { stdin: JSON.stringify(manifest) });
  const pods = async (selector: string): Promise<Json[]> => (await getJson("pods", "-l", selector)).items;
  const readyPods = async (selector: string, n: number) => {
    const items = await pods(selector);
    const ready = items.filter(isReady);
    return ready.length === n && items.every((p) => isReady(p) || p.metadata.deletionTimestamp) ? ready : undefined;
  };
  const startAgent = async (name: string) => agents.set(name, await h.flotilla.startAgent({ name, runtime: "docker" }));

  beforeAll(async () => {
    podman.require();
    h = await startHarness({ clusterSettings: { nodeMonitorGracePeriodSeconds: 20, defaultTolerationSeconds: 10 } });
    await Promise.all(NODES.slice(0, 2).map(startAgent));
    await until("both nodes Ready", async () => {
      const nodes: Json[] = (await getJson("nodes")).items;
      const ready = nodes.filter((n) =>
        n.status?.conditions?.some((c: Json) => c.type === "Ready" && c.status === "True"),
      );
      return ready.length === 2 ? true : undefined;
    });
    // Created first so its every-minute schedule has fired a few times by the last test.
    await apply({
      apiVersion: "batch/v1",
      kind: "CronJob",
      metadata: { name: "tick" },
      spec: {
        schedule: "* * * * *",
        successfulJobsHistoryLimit: 1,
        jobTemplate: {
          spec: {
            template: {
              spec: { restartPolicy: "Never", containers: [{ name: "tick", image: IMAGE, command: ["true"] }] },
            },
          },
        },
      },
    });
  });

  afterAll(async () => {
    await h?.stop();
    if (!podman.unavailable) await removeNodeContainers(NODES);
  });

  it("a deployment of 3 runs across both nodes, scales to 5 and back to 2, and replaces a deleted pod", async () => {
    await h.kubectl(["create", "deployment", "web", `--image=${IMAGE}`, "--replicas=3", "--", "sleep", "3600"]);
    const three = await until("3 ready pods", () => readyPods("app=web", 3), 90_000);
    expect(new Set(three.map((p) => p.spec.nodeName)).size).toBe(2);
    await h.kubectl(["scale", "deployment/web", "--replicas=5"]);
    await until("5 ready pods", () => readyPods("app=web", 5), 90_000);
    await h.kubectl(["scale", "deployment/web", "--replicas=2"]);
    const two = await until("2 ready pods", () => readyPods("app=web", 2), 90_000);
    await h.kubectl(["delete", "pod", two[0].metadata.name, "--wait=false"]);
    const replaced = await until(
      "a replacement",
      async () => {
        const ready = await readyPods("app=web", 2);
        return ready && !ready.some((p) => p.metadata.name === two[0].metadata.name) ? ready : undefined;
      },
      90_000,
    );
    expect(replaced.map((p) => p.metadata.name)).toContain(two[1].metadata.name);
    expect((await h.kubectl(["get", "deployment", "web"])).stdout).toMatch(/web\s+2\/2\s+2\s+2/);
  });

  it("set image rolls out without going below the available minimum; history and undo work", async () => {
    let fewestReady = Number.POSITIVE_INFINITY;
    let watching = true;
    const watcher = (async () => {
      while (watching) {
        fewestReady = Math.min(fewestReady, (await pods("app=web")).filter(isReady).length);
        await new Promise((r) => setTimeout(r, 200));
      }
    })();
    await h.kubectl(["set", "image", "deployment/web", "busybox=docker.io/library/busybox:stable"]);
    const status = await h.kubectl(["rollout", "status", "deployment/web", "--timeout=150s"], { timeoutMs: 160_000 });
    watching = false;
    await watcher;
    expect(status.stdout).toContain('deployment "web" successfully rolled out');
    // 2 replicas, maxUnavailable 25% rounds down to 0: never fewer than 2 ready pods.
    expect(fewestReady).toBe(2);
    const history = (await h.kubectl(["rollout", "history", "deployment/web"])).stdout;
    expect(history).toMatch(/REVISION\s+CHANGE-CAUSE\n1\s+<none>\n2\s+<none>/);
    await h.kubectl(["rollout", "undo", "deployment/web"]);
    await h.kubectl(["rollout", "status", "deployment/web", "--timeout=150s"], { timeoutMs: 160_000 });
    const image = await h.kubectl([
      "get",
      "deployment",
      "web",
      "-o",
      "jsonpath={.spec.template.spec.containers[0].image}",
    ]);
    expect(image.stdout).toBe(IMAGE);
    expect((await h.kubectl(["rollout", "history", "deployment/web"])).stdout).toMatch(/\n2\s+<none>\n3\s+<none>/);
  });

  it("a rollout to an image that cannot start stalls and reports ProgressDeadlineExceeded", async () => {
    await apply({
      apiVersion: "apps/v1",
      kind: "Deployment",
      metadata: { name: "stuck" },
      spec: {
        replicas: 1,
        progressDeadlineSeconds: 10,
        selector: { matchLabels: { app: "stuck" } },
        template: {
          metadata: { labels: { app: "stuck" } },
          spec: { containers: [{ name: "app", image: "busybox:no-such-tag", command: ["sleep", "3600"] }] },
        },
      },
    });
    const status = await h.kubectl(["rollout", "status", "deployment/stuck", "--timeout=90s"], {
      allowFail: true,
      timeoutMs: 100_000,
    });
    expect(status.code).not.toBe(0);
    expect(status.stderr).toContain('deployment "stuck" exceeded its progress deadline');
    const progressing = (await getJson("deployment", "stuck")).status.conditions.find(
      (c: Json) => c.type === "Progressing",
    );
    expect(progressing).toMatchObject({ status: "False", reason: "ProgressDeadlineExceeded" });
  });

  it("a Job with completions=3 and parallelism=2 completes, never running more than 2 pods", async () => {
    await apply({
      apiVersion: "batch/v1",
      kind: "Job",
      metadata: { name: "count" },
      spec: {
        completions: 3,
        parallelism: 2,
        template: {
          spec: { restartPolicy: "Never", containers: [{ name: "work", image: IMAGE, command: ["sleep", "2"] }] },
        },
      },
    });
    let mostActive = 0;
    const job = await until(
      "the job to complete",
      async () => {
        const j = await getJson("job", "count");
        mostActive = Math.max(mostActive, j.status?.active ?? 0);
        return j.status?.conditions?.some((c: Json) => c.type === "Complete" && c.status === "True") ? j : undefined;
      },
      120_000,
      250,
    );
    expect(job.status.succeeded).toBe(3);
    expect(mostActive).toBeLessThanOrEqual(2);
    expect((await h.kubectl(["get", "job", "count"])).stdout).toMatch(/count\s+Complete\s+3\/3/);
  });

  it("a StatefulSet starts web-0 and only then web-1", async () => {
    await apply({
      apiVersion: "v1",
      kind: "Service",
      metadata: { name: "db" },
      spec: { clusterIP: "None", selector: { app: "db" }, ports: [{ port: 80 }] },
    });
    await apply({
      apiVersion: "apps/v1",
      kind: "StatefulSet",
      metadata: { name: "db" },
      spec: {
        serviceName: "db",
        replicas: 2,
        selector: { matchLabels: { app: "db" } },
        template: {
          metadata: { labels: { app: "db" } },
          spec: { containers: [{ name: "db", image: IMAGE, command: ["sleep", "3600"] }] },
        },
      },
    });
    const both = await until("db-0 and db-1 ready", () => readyPods("app=db", 2), 90_000);
    const byName = Object.fromEntries(both.map((p: Json) => [p.metadata.name, p]));
    const readyAt = Date.parse(
      byName["db-0"].status.conditions.find((c: Json) => c.type === "Ready").lastTransitionTime,
    );
    expect(Date.parse(byName["db-1"].metadata.creationTimestamp)).toBeGreaterThanOrEqual(readyAt);
    expect(byName["db-1"].spec).toMatchObject({ hostname: "db-1", subdomain: "db" });
  });

  it("kubectl drain respects a PodDisruptionBudget, then drains once the budget allows", async () => {
    await apply({
      apiVersion: "policy/v1",
      kind: "PodDisruptionBudget",
      metadata: { name: "web" },
      spec: { minAvailable: 2, selector: { matchLabels: { app: "web" } } },
    });
    await until("the budget to see 2 healthy pods", async () => {
      const pdb = await getJson("pdb", "web");
      return pdb.status?.currentHealthy === 2 ? pdb : undefined;
    });
    const node = (await pods("app=web"))[0].spec.nodeName;
    const blocked = await h.kubectl(["drain", node, "--ignore-daemonsets", "--delete-emptydir-data", "--timeout=15s"], {
      allowFail: true,
      timeoutMs: 60_000,
    });
    expect(blocked.code).not.toBe(0);
    expect(blocked.stderr).toContain("Cannot evict pod as it would violate the pod's disruption budget");
    expect((await h.kubectl(["get", "node", node])).stdout).toMatch(/Ready,SchedulingDisabled/);
    expect((await readyPods("app=web", 2))?.length).toBe(2);

    await h.kubectl(["patch", "pdb", "web", "--type=merge", "-p", '{"spec":{"minAvailable":1}}']);
    await until("one disruption allowed", async () =>
      (await getJson("pdb", "web")).status?.disruptionsAllowed === 1 ? true : undefined,
    );
    const drained = await h.kubectl(
      ["drain", node, "--ignore-daemonsets", "--delete-emptydir-data", "--timeout=120s"],
      {
        timeoutMs: 150_000,
      },
    );
    expect(drained.stdout).toContain(`node/${node} drained`);
    const moved = await until(
      "web back to 2 ready pods off the drained node",
      async () => {
        const ready = await readyPods("app=web", 2);
        return ready?.every((p) => p.spec.nodeName !== node) ? ready : undefined;
      },
      120_000,
    );
    expect(moved).toHaveLength(2);
    await h.kubectl(["uncordon", node]);
    await h.kubectl(["delete", "pdb", "web"]);
  });

  it("a DaemonSet runs a pod on every node, including one that joins later", async () => {
    await apply({
      apiVersion: "apps/v1",
      kind: "DaemonSet",
      metadata: { name: "nodelocal" },
      spec: {
        selector: { matchLabels: { app: "nodelocal" } },
        template: {
          metadata: { labels: { app: "nodelocal" } },
          spec: { containers: [{ name: "d", image: IMAGE, command: ["sleep", "3600"] }] },
        },
      },
    });
    await until("a daemon pod on each of 2 nodes", () => readyPods("app=nodelocal", 2), 90_000);
    await startAgent(NODES[2]);
    const three = await until("a daemon pod on the new node", () => readyPods("app=nodelocal", 3), 90_000);
    expect(new Set(three.map((p) => p.spec.nodeName))).toEqual(new Set(NODES));
    expect((await h.kubectl(["get", "daemonset", "nodelocal"])).stdout).toMatch(/nodelocal\s+3\s+3\s+3\s+3\s+3/);
  });

  it("deletion cascades: a deployment takes its pods, --cascade=orphan keeps them, a namespace empties", async () => {
    await h.kubectl(["delete", "deployment", "stuck"]);
    await until("stuck's replica sets and pods gone", async () => {
      const left = (await getJson("replicasets,pods", "-l", "app=stuck")).items;
      return left.length === 0 ? true : undefined;
    }).catch(async (e) => {
      console.log((await h.kubectl(["get", "replicasets,pods", "-l", "app=stuck", "-o", "yaml"])).stdout);
      throw e;
    });

    await h.kubectl(["create", "deployment", "keep", `--image=${IMAGE}`, "--", "sleep", "3600"]);
    const kept = await until("keep's pod ready", () => readyPods("app=keep", 1), 90_000);
    await h.kubectl(["delete", "deployment", "keep", "--cascade=orphan"]);
    await new Promise((r) => setTimeout(r, 3_000));
    expect((await pods("app=keep")).map((p) => p.metadata.name)).toEqual([kept[0].metadata.name]);
    expect((await getJson("replicasets", "-l", "app=keep")).items).toHaveLength(1);

    await h.kubectl(["create", "namespace", "scratch"]);
    await h.kubectl(["create", "deployment", "tmp", "-n", "scratch", `--image=${IMAGE}`, "--", "sleep", "3600"]);
    await h.kubectl(["create", "configmap", "cfg", "-n", "scratch", "--from-literal=a=b"]);
    await h.kubectl(["delete", "namespace", "scratch", "--timeout=90s"], { timeoutMs: 100_000 });
    const ns = await h.kubectl(["get", "namespace", "scratch"], { allowFail: true });
    expect(ns.stderr).toContain('namespaces "scratch" not found');
    expect((await h.kubectl(["get", "all", "-n", "scratch"], { allowFail: true })).stdout).toBe("");
  });

  it("a killed agent's node goes NotReady, its pods are evicted and recreated elsewhere, endpoints follow", async () => {
    await apply({
      apiVersion: "v1",
      kind: "Service",
      metadata: { name: "web" },
      spec: { selector: { app: "web" }, ports: [{ port: 80, targetPort: 8080 }] },
    });
    await h.kubectl(["scale", "deployment/web", "--replicas=3"]);
    await until("3 ready web pods", () => readyPods("app=web", 3), 90_000);
    const addresses = async () =>
      ((await getJson("endpoints", "web")).subsets?.[0]?.addresses ?? []) as { ip: string; nodeName: string }[];
    await until("3 endpoint addresses", async () => ((await addresses()).length === 3 ? true : undefined));

    const victim = (await pods("app=web"))[0].spec.nodeName as string;
    await agents.get(victim)?.kill();
    const killedAt = Date.now();
    await until(
      "the victim NotReady",
      async () => ((await h.kubectl(["get", "node", victim])).stdout.includes("NotReady") ? true : undefined),
      90_000,
    );
    const taints = (await getJson("node", victim)).spec.taints.map((t: Json) => `${t.key}:${t.effect}`);
    expect(taints).toEqual(
      expect.arrayContaining(["node.kubernetes.io/unreachable:NoExecute", "node.kubernetes.io/unreachable:NoSchedule"]),
    );
    const recovered = await until(
      "3 ready web pods on the other nodes",
      async () => {
        const ready = await readyPods("app=web", 3);
        return ready?.every((p) => p.spec.nodeName !== victim) ? ready : undefined;
      },
      150_000,
    );
    expect(Date.now() - killedAt).toBeGreaterThan(20_000); // grace period, then the 10 s toleration
    expect(recovered).toHaveLength(3);
    await until("endpoints without the lost node", async () => {
      const now = await addresses();
      return now.length === 3 && now.every((a) => a.nodeName !== victim) ? true : undefined;
    });
    const events = (await h.kubectl(["get", "events", "--field-selector", "reason=TaintManagerEviction"])).stdout;
    expect(events).toContain("Marking for deletion Pod default/");
  });

  it("the CronJob has been creating a job every minute and keeps its history limit", async () => {
    const cron = await until(
      "two scheduled runs",
      async () => {
        const events = (await getJson("events", "--field-selector", "involvedObject.name=tick")).items;
        const created = events.filter((e: Json) => e.reason === "SuccessfulCreate");
        const total = created.reduce((n: number, e: Json) => n + (e.count ?? 1), 0);
        return total >= 2 && events.some((e: Json) => e.reason === "SuccessfulDelete") ? events : undefined;
      },
      150_000,
      2_000,
    );
    expect(cron.length).toBeGreaterThan(0);
    const owned = (await getJson("jobs")).items.filter((j: Json) =>
      j.metadata.ownerReferences?.some((r: Json) => r.kind === "CronJob" && r.name === "tick"),
    );
    const succeeded = owned.filter((j: Json) => j.status?.conditions?.some((c: Json) => c.type === "Complete"));
    expect(succeeded.length).toBeLessThanOrEqual(1);
    expect((await getJson("cronjob", "tick")).status.lastScheduleTime).toBeTruthy();
  });
});
