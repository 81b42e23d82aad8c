// Issue 21 end to end on simulated nodes (`--runtime simulated`) with the real kubectl: a Deployment whose
// image is set six times in quick succession and then deleted leaves no pod behind (deletions are never lost
// on the way to the agent); Jobs complete or fail as their commands say; pods bound to a node that does not
// exist are collected by the pod garbage collector; exec and attach into a simulated pod say why they cannot
// run with kubectl 1.32 and 1.33 (which fall back to SPDY after a refused WebSocket upgrade).
import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Harness, requireKubectl, startHarness } from "./harness.ts";
import { until } from "./poll.ts";
import type { AnyJson as Json } from "../../kube/types.ts";

const NODES = ["sim-a", "sim-b"];

const deployment = {
  apiVersion: "apps/v1",
  kind: "Deployment",
  metadata: { name: "web" },
  spec: {
    replicas: 3,
    selector: { matchLabels: { app: "web" } },
    template: { metadata: { labels: { app: "web" } }, spec: { containers: [{ name: "app", image: "busybox:1.30" }] } },
  },
};

const job = (name: string, container: Json, extra: Json = {}) => ({
  apiVersion: "batch/v1",
  kind: "Job",
  metadata: { name },
  spec: {
    backoffLimit: 0,
    template: {
      spec: { restartPolicy: "Never", containers: [{ name: "main", image: "busybox:stable", ...container }] },
    },
    ...extra,
  },
});

describe("pod lifecycles on simulated nodes", () => {
  let h: Harness;
  const apply = (obj: Json) => h.kubectl(["apply", "-f", "-"], { stdin: JSON.stringify(obj) });
  const names = async (...args: string[]) =>
    (await h.kubectl(["get", ...args, "-o", "name"])).stdout.split("\n").filter(Boolean);

  beforeAll(async () => {
    h = await startHarness();
    for (const name of NODES) await h.flotilla.startAgent({ name, runtime: "simulated" });
  });
  afterAll(async () => {
    await h?.stop();
  });

  it("a Deployment rolled six times in quick succession and deleted leaves no pod Terminating", async () => {
    await apply(deployment);
    await until("3 pods running", async () => {
      const pods: Json[] = JSON.parse((await h.kubectl(["get", "pods", "-l", "app=web", "-o", "json"])).stdout).items;
      return pods.filter((p) => p.status?.phase === "Running").length === 3 ? true : undefined;
    });
    for (let i = 1; i <= 6; i++) await h.kubectl(["set", "image", "deployment/web", `app=busybox:1.3${i}`]);
    await h.kubectl(["delete", "deployment", "web", "--wait=false"]);
    await until(
      "every pod of the Deployment gone",
      async () => ((await names("pods", "-l", "app=web")).length === 0 ? true : undefined),
      60_000,
    );
    expect(await names("replicasets")).toEqual([]);
  });

  it("Jobs complete, or fail, as their commands say; one without a command completes after a short run", async () => {
    await apply(job("ok", { command: ["sh", "-c", "echo hi; sleep 1"] }));
    await apply(job("default", {}));
    await apply(job("fails", { command: ["sh", "-c", "exit 3"] }));
    await h.kubectl(["wait", "--for=condition=complete", "job/ok", "job/default", "--timeout=90s"]);
    await h.kubectl(["wait", "--for=condition=failed", "job/fails", "--timeout=90s"]);
    const failed: Json = JSON.parse((await h.kubectl(["get", "pods", "-l", "job-name=fails", "-o", "json"])).stdout);
    expect(failed.items[0].status.phase).toBe("Failed");
    expect(failed.items[0].status.containerStatuses[0].state.terminated).toMatchObject({
      exitCode: 3,
      reason: "Error",
    });
    const ok: Json = JSON.parse((await h.kubectl(["get", "job", "ok", "-o", "json"])).stdout);
    expect(ok.status.succeeded).toBe(1);
  });

  it("pods bound to a node that does not exist are removed by the pod garbage collector, deleted or not", async () => {
    const pod = (name: string) => ({
      apiVersion: "v1",
      kind: "Pod",
      metadata: { name },
      spec: { nodeName: "foo-node", containers: [{ name: "c", image: "busybox:stable" }] },
    });
    await apply(pod("orphan"));
    await apply(pod("doomed"));
    const watch = h.watchKubectl([
      "get",
      "pod",
      "orphan",
      "-w",
      "-o",
      'jsonpath={.status.phase} {.status.conditions[?(@.type=="DisruptionTarget")].reason}{"\\n"}',
    ]);
    await h.kubectl(["delete", "pod", "doomed", "--wait=false"]);
    // Terminating until PodGC's quarantine (40 s) ends: nothing on that node would ever finish it.
    expect(await names("pod", "doomed")).toEqual(["pod/doomed"]);
    try {
      await watch.waitFor(/Failed DeletionByPodGC/, 90_000);
    } finally {
      await watch.stop();
    }
    await until(
      "both gone",
      async () => ((await names("pods", "orphan", "doomed", "--ignore-not-found")).length === 0 ? true : undefined),
      30_000,
    );
  }, 150_000);

  it("simulated nodes provision simulated volumes: a StatefulSet's claims Bound on its pods' nodes, pods Running", async () => {
    await apply({
      apiVersion: "apps/v1",
      kind: "StatefulSet",
      metadata: { name: "store" },
      spec: {
        replicas: 2,
        serviceName: "store",
        podManagementPolicy: "Parallel",
        selector: { matchLabels: { app: "store" } },
        template: {
          metadata: { labels: { app: "store" } },
          spec: {
            containers: [{ name: "db", image: "busybox:stable", volumeMounts: [{ name: "data", mountPath: "/data" }] }],
          },
        },
        volumeClaimTemplates: [
          {
            metadata: { name: "data" },
            spec: { accessModes: ["ReadWriteOnce"], resources: { requests: { storage: "1Gi" } } },
          },
        ],
      },
    });
    const pods = await until("2 store pods Running", async () => {
      const list: Json[] = JSON.parse((await h.kubectl(["get", "pods", "-l", "app=store", "-o", "json"])).stdout).items;
      return list.filter((p) => p.status?.phase === "Running").length === 2 ? list : undefined;
    });
    for (const pod of pods) {
      const claim = JSON.parse((await h.kubectl(["get", "pvc", `data-${pod.metadata.name}`, "-o", "json"])).stdout);
      expect(claim.status.phase).toBe("Bound");
      const pv = JSON.parse((await h.kubectl(["get", "pv", claim.spec.volumeName, "-o", "json"])).stdout);
      expect(pv.spec.nodeAffinity.required.nodeSelectorTerms[0].matchExpressions[0].values).toEqual([
        pod.spec.nodeName,
      ]);
    }
  });

  it("exec and attach into a simulated pod say the node does not serve them, with kubectl 1.32 and 1.33", async () => {
    await h.kubectl(["run", "idle", "--image=busybox:stable", `--overrides={"spec":{"nodeName":"${NODES[0]}"}}`]);
    await h.kubectl(["wait", "--for=condition=Ready", "pod/idle", "--timeout=60s"]);
    const dir = path.dirname(fs.realpathSync(requireKubectl()));
    for (const version of ["1.32", "1.33"]) {
      const binary = path.join(dir, `kubectl.${version}`);
      expect(fs.existsSync(binary), `kubectl ${version} beside ${dir}`).toBe(true);
      const exec = await h.kubectl(["exec", "idle", "--", "ls"], { binary, allowFail: true });
      expect(exec.code, `kubectl ${version} exec`).not.toBe(0);
      expect(exec.stderr).toContain("this node does not serve exec streams");
      expect(exec.stderr).not.toContain("Upgrade request required");
      const attach = await h.kubectl(["attach", "idle"], { binary, allowFail: true });
      expect(attach.code, `kubectl ${version} attach`).not.toBe(0);
      expect(attach.stderr).toContain("this node does not serve attach streams");
      expect(attach.stderr).not.toContain("Upgrade request required");
    }
  });
});
