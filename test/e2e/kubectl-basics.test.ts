// The must-show kubectl session against `npm start`'s server, with the kubectl on PATH (the dispatcher).
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse, stringify } from "yaml";
import { type Harness, requireKubectl, startHarness } from "./harness.ts";

const FIXTURES = path.join(import.meta.dirname, "fixtures");
const BUNDLE = path.join(FIXTURES, "app-bundle.yaml");

/** kubectl's human-readable table: header cells and rows, split on the two-or-more-space column gaps. */
function table(stdout: string): { header: string[]; rows: string[][] } {
  const [head, ...rest] = stdout.trimEnd().split("\n");
  const cells = (line: string) => line.trim().split(/\s{2,}/);
  return { header: cells(head ?? ""), rows: rest.filter((l) => l.trim() !== "").map(cells) };
}

/** Re-reads until `ok` holds (controllers act shortly after a write) or the time is up. */
async function eventually(
  read: () => Promise<string>,
  ok: (text: string) => boolean,
  timeoutMs = 10_000,
): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  let text = await read();
  while (!ok(text) && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 200));
    text = await read();
  }
  return text;
}

describe("kubectl basics (kubectl on PATH)", () => {
  let h: Harness;
  const k = (...args: string[]) => h.kubectl(args);
  const out = async (...args: string[]) => (await h.kubectl(args)).stdout;

  beforeAll(async () => {
    requireKubectl();
    h = await startHarness();
  });
  afterAll(async () => {
    await h?.stop();
  });

  describe("cluster discovery", () => {
    it("kubectl version reports server v1.32", async () => {
      expect(await out("version")).toMatch(/^Server Version: v1\.32\.\d+/m);
      const json = JSON.parse(await out("version", "-o", "json"));
      expect(json.serverVersion).toMatchObject({ major: "1", minor: "32" });
    });

    it("kubectl cluster-info names the control plane URL", async () => {
      const text = await out("cluster-info");
      // The kubeconfig names the server at its root; the token says which cluster.
      const server = await out("config", "view", "--minify", "-o", "jsonpath={.clusters[0].cluster.server}");
      expect(server).toBe(h.flotilla.url);
      expect(text).toContain(`Kubernetes control plane is running at ${server}`);
    });

    it("kubectl api-resources lists core, apps and batch kinds with short names", async () => {
      const { header, rows } = table(await out("api-resources"));
      expect(header).toEqual(["NAME", "SHORTNAMES", "APIVERSION", "NAMESPACED", "KIND"]);
      const expected = [
        ["pods", "po", "v1", "true", "Pod"],
        ["namespaces", "ns", "v1", "false", "Namespace"],
        ["services", "svc", "v1", "true", "Service"],
        ["configmaps", "cm", "v1", "true", "ConfigMap"],
        ["nodes", "no", "v1", "false", "Node"],
        ["deployments", "deploy", "apps/v1", "true", "Deployment"],
        ["replicasets", "rs", "apps/v1", "true", "ReplicaSet"],
        ["cronjobs", "cj", "batch/v1", "true", "CronJob"],
      ];
      for (const row of expected) expect(rows).toContainEqual(row);
      // jobs.batch and secrets have no short name: the SHORTNAMES cell is blank, so only four cells remain.
      expect(rows).toContainEqual(["jobs", "batch/v1", "true", "Job"]);
      expect(rows).toContainEqual(["secrets", "v1", "true", "Secret"]);
    });

    it("kubectl get ns shows the four built-in namespaces as Active", async () => {
      const { header, rows } = table(await out("get", "ns"));
      expect(header).toEqual(["NAME", "STATUS", "AGE"]);
      expect(rows.map((r) => [r[0], r[1]])).toEqual([
        ["default", "Active"],
        ["kube-node-lease", "Active"],
        ["kube-public", "Active"],
        ["kube-system", "Active"],
      ]);
    });

    it("kubectl get nodes says there are none", async () => {
      const res = await k("get", "nodes");
      expect(res.stdout).toBe("");
      expect(res.stderr.trim()).toBe("No resources found");
    });
  });

  describe("kubectl run and get", () => {
    beforeAll(async () => {
      expect(await out("run", "web", "--image=nginx")).toBe("pod/web created\n");
    });

    it("get pods prints the upstream columns for a pending pod", async () => {
      const { header, rows } = table(await out("get", "pods"));
      expect(header).toEqual(["NAME", "READY", "STATUS", "RESTARTS", "AGE"]);
      expect(rows).toHaveLength(1);
      expect(rows[0]?.slice(0, 4)).toEqual(["web", "0/1", "Pending", "0"]);
      expect(rows[0]?.[4]).toMatch(/^\d+s$/);
    });

    it("get pods -o wide adds IP, NODE, NOMINATED NODE and READINESS GATES", async () => {
      const { header, rows } = table(await out("get", "pods", "-o", "wide"));
      expect(header).toEqual([
        "NAME",
        "READY",
        "STATUS",
        "RESTARTS",
        "AGE",
        "IP",
        "NODE",
        "NOMINATED NODE",
        "READINESS GATES",
      ]);
      expect(rows[0]?.slice(5)).toEqual(["<none>", "<none>", "<none>", "<none>"]);
    });

    it("get pod -o yaml shows the defaulted spec", async () => {
      const pod = parse(await out("get", "pod", "web", "-o", "yaml"));
      expect(pod).toMatchObject({
        apiVersion: "v1",
        kind: "Pod",
        metadata: { name: "web", namespace: "default", labels: { run: "web" } },
        spec: {
          restartPolicy: "Always",
          dnsPolicy: "ClusterFirst",
          schedulerName: "default-scheduler",
          terminationGracePeriodSeconds: 30,
          containers: [
            {
              name: "web",
              image: "nginx",
              imagePullPolicy: "Always", // untagged image means :latest
              terminationMessagePath: "/dev/termination-log",
              terminationMessagePolicy: "File",
            },
          ],
        },
        status: { phase: "Pending", qosClass: "BestEffort" },
      });
      expect(pod.metadata.uid).toMatch(/^[0-9a-f-]{36}$/);
      expect(pod.metadata.resourceVersion).toMatch(/^\d+$/);
    });

    it("get pod -o jsonpath extracts the image", async () => {
      expect(await out("get", "pod", "web", "-o", "jsonpath={.spec.containers[0].image}")).toBe("nginx");
    });
  });

  describe("multi-document create -f / delete -f", () => {
    it("creates, lists and deletes a deployment, service, config map and secret", async () => {
      expect((await out("create", "-f", BUNDLE)).trim().split("\n")).toEqual([
        "deployment.apps/shop created",
        "service/shop created",
        "configmap/shop-config created",
        "secret/shop-secret created",
      ]);

      // The deployment controller makes a replica set and two pods; no node exists, so they stay Pending.
      const all = await eventually(
        () => out("get", "all"),
        (text) => /^deployment\.apps\/shop\s+0\/2\s+2\s+0\s+\d+s$/m.test(text),
      );
      expect(all).toMatch(/^deployment\.apps\/shop\s+0\/2\s+2\s+0\s+\d+s$/m);
      expect(all).toMatch(/^replicaset\.apps\/shop-[a-z0-9]+\s+2\s+2\s+0\s+\d+s$/m);
      expect(all).toMatch(/^pod\/shop-[a-z0-9]+-[a-z0-9]{5}\s+0\/1\s+Pending\s+0\s+\d+s$/m);
      expect(all).toMatch(/^service\/shop\s+ClusterIP\s+10\.\d+\.\d+\.\d+\s+<none>\s+80\/TCP\s+\d+s$/m);
      expect(all).toMatch(/^NAME\s+TYPE\s+CLUSTER-IP\s+EXTERNAL-IP\s+PORT\(S\)\s+AGE$/m);
      expect(all).toMatch(/^NAME\s+READY\s+UP-TO-DATE\s+AVAILABLE\s+AGE$/m);

      const kinds = await out("get", "deploy,svc,cm,secret", "-l", "app=shop");
      expect(kinds).toMatch(/^deployment\.apps\/shop\s+0\/2/m);
      expect(kinds).toMatch(/^service\/shop\s+ClusterIP/m);
      expect(kinds).toMatch(/^NAME\s+DATA\s+AGE$/m);
      expect(kinds).toMatch(/^configmap\/shop-config\s+2\s+\d+s$/m);
      expect(kinds).toMatch(/^NAME\s+TYPE\s+DATA\s+AGE$/m);
      expect(kinds).toMatch(/^secret\/shop-secret\s+Opaque\s+1\s+\d+s$/m);

      expect((await out("delete", "-f", BUNDLE)).trim().split("\n")).toEqual([
        'deployment.apps "shop" deleted',
        'service "shop" deleted',
        'configmap "shop-config" deleted',
        'secret "shop-secret" deleted',
      ]);
      const gone = await h.kubectl(["get", "deploy,svc,cm,secret", "-l", "app=shop"]);
      expect(gone.stdout).toBe("");
      expect(gone.stderr.trim()).toBe("No resources found in default namespace.");
      const byName = await h.kubectl(["get", "-f", BUNDLE], { allowFail: true });
      expect(byName.code).not.toBe(0);
      expect(byName.stderr).toContain('deployments.apps "shop" not found');
      expect(byName.stderr).toContain('secrets "shop-secret" not found');
    });
  });

  describe("label, annotate, scale, delete", () => {
    it("label and annotate show up through jsonpath", async () => {
      await k("run", "tagged", "--image=nginx");
      expect(await out("label", "pod", "tagged", "tier=frontend")).toBe("pod/tagged labeled\n");
      expect(await out("annotate", "pod", "tagged", "owner=team-a")).toBe("pod/tagged annotated\n");
      const jp = "jsonpath={.metadata.labels.tier}/{.metadata.annotations.owner}";
      expect(await out("get", "pod", "tagged", "-o", jp)).toBe("frontend/team-a");
      expect(await out("get", "pods", "-l", "tier=frontend", "-o", "name")).toBe("pod/tagged\n");
      // Removing a label with the trailing dash.
      await k("label", "pod", "tagged", "tier-");
      expect(await out("get", "pod", "tagged", "-o", "jsonpath={.metadata.labels}")).toBe('{"run":"tagged"}');
    });

    it("scale deployment sets spec.replicas", async () => {
      await k("create", "-f", path.join(FIXTURES, "deployment-web.yaml"));
      expect(await out("scale", "deployment", "web", "--replicas=3")).toBe("deployment.apps/web scaled\n");
      expect(await out("get", "deployment", "web", "-o", "jsonpath={.spec.replicas}")).toBe("3");
      await k("delete", "deployment", "web");
    });

    // kubectl's typed generators (create deployment/configmap/…) send protobuf bodies, as upstream accepts.
    it("kubectl create deployment works (typed client)", async () => {
      expect(await out("create", "deployment", "typed", "--image=nginx", "--replicas=2")).toBe(
        "deployment.apps/typed created\n",
      );
      expect(await out("get", "deployment", "typed", "-o", "jsonpath={.spec.replicas}")).toBe("2");
      expect(await out("create", "configmap", "typed", "--from-literal=a=b")).toBe("configmap/typed created\n");
      await k("delete", "deployment/typed", "configmap/typed");
    });

    it("delete -l removes only the labelled pods, delete --all the rest", async () => {
      // Pods of earlier tests' deployments would be replaced by their controllers: remove those first.
      await k("delete", "deployments", "--all");
      for (const [name, app] of [
        ["blue-1", "blue"],
        ["blue-2", "blue"],
        ["green-1", "green"],
      ] as const)
        await k("run", name, "--image=nginx", `--labels=app=${app}`);
      const deleted = await out("delete", "pods", "-l", "app=blue");
      expect(deleted.trim().split("\n").sort()).toEqual(['pod "blue-1" deleted', 'pod "blue-2" deleted']);
      const left = (await out("get", "pods", "-o", "name")).trim().split("\n").sort();
      expect(left).toEqual(["pod/green-1", "pod/tagged", "pod/web"]);

      const all = await out("delete", "pods", "--all");
      expect(all.trim().split("\n").sort()).toEqual([
        'pod "green-1" deleted',
        'pod "tagged" deleted',
        'pod "web" deleted',
      ]);
      const none = await k("get", "pods");
      expect(none.stderr.trim()).toBe("No resources found in default namespace.");
    });
  });

  describe("kubectl describe", () => {
    it("describes a pod with its containers and the events about it", async () => {
      await k("run", "described", "--image=nginx");
      const before = await out("describe", "pod", "described");
      expect(before).toMatch(/^Name:\s+described$/m);
      expect(before).toMatch(/^Namespace:\s+default$/m);
      expect(before).toMatch(/^Status:\s+Pending$/m);
      expect(before).toMatch(/^Containers:\n {2}described:\n {4}Image:\s+nginx$/m);
      expect(before).toMatch(/^Events:\s+<none>$/m);

      const uid = await out("get", "pod", "described", "-o", "jsonpath={.metadata.uid}");
      const now = new Date().toISOString().replace(/\.\d+Z$/, "Z");
      const event = {
        apiVersion: "v1",
        kind: "Event",
        metadata: { name: "described.pulling", namespace: "default" },
        involvedObject: { apiVersion: "v1", kind: "Pod", name: "described", namespace: "default", uid },
        type: "Normal",
        reason: "Pulling",
        message: 'Pulling image "nginx"',
        source: { component: "kubelet" },
        firstTimestamp: now,
        lastTimestamp: now,
        count: 1,
      };
      expect(await h.kubectl(["create", "-f", "-"], { stdin: stringify(event) })).toMatchObject({
        stdout: "event/described.pulling created\n",
      });

      const after = await out("describe", "pod", "described");
      expect(after).toMatch(/^Events:\n\s+Type\s+Reason\s+Age\s+From\s+Message\n\s+-+\s+-+\s+-+\s+-+\s+-+$/m);
      expect(after).toMatch(/^\s+Normal\s+Pulling\s+\d+s\s+kubelet\s+Pulling image "nginx"$/m);
      await k("delete", "pod", "described");
    });
  });
});
