// Issue 20's ReplicationController and PodTemplate items with the real kubectl on a simulated node:
// `kubectl create -f` of upstream's nginx RC → 3 pods Running and `get rc` 3 3 3, `kubectl scale rc`,
// `describe rc`, and `get podtemplates` with kubectl's columns.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Harness, kubectlBinaries, requireKubectl, startHarness } from "./harness.ts";
import { until } from "./poll.ts";
import type { AnyJson as Json } from "../../kube/types.ts";

// https://kubernetes.io/docs/concepts/workloads/controllers/replicationcontroller/ (replication.yaml)
const REPLICATION_YAML = `apiVersion: v1
kind: ReplicationController
metadata:
  name: nginx
spec:
  replicas: 3
  selector:
    app: nginx
  template:
    metadata:
      name: nginx
      labels:
        app: nginx
    spec:
      containers:
      - name: nginx
        image: nginx
        ports:
        - containerPort: 80
`;

const POD_TEMPLATE_YAML = `apiVersion: v1
kind: PodTemplate
metadata:
  name: web
template:
  metadata:
    labels:
      app: web
  spec:
    containers:
    - name: web
      image: nginx
    - name: sidecar
      image: busybox:stable
`;

describe("ReplicationControllers and PodTemplates with the real kubectl", () => {
  let h: Harness;
  const run = (args: string[], stdin?: string) => h.kubectl(args, { allowFail: true, stdin });
  const running = async () => {
    const pods: Json[] = JSON.parse((await run(["get", "pods", "-l", "app=nginx", "-o", "json"])).stdout).items;
    return pods.filter((p) => p.status?.phase === "Running" && !p.metadata.deletionTimestamp);
  };

  beforeAll(async () => {
    requireKubectl();
    h = await startHarness();
    await h.flotilla.startAgent({ name: "sim-rc", runtime: "simulated" });
  });
  afterAll(async () => {
    await h?.stop();
  });

  it("create -f replication.yaml runs 3 pods; get rc shows 3 3 3; scale rc to 1; describe rc", async () => {
    const created = await run(["create", "-f", "-"], REPLICATION_YAML);
    expect(created.stdout, created.stderr).toBe("replicationcontroller/nginx created\n");
    const table = await until("get rc shows 3 desired, 3 current, 3 ready", async () => {
      const out = (await run(["get", "rc"])).stdout;
      return /^nginx\s+3\s+3\s+3\s+\S+\s*$/m.test(out) ? out : undefined;
    });
    expect(table).toMatch(/^NAME\s+DESIRED\s+CURRENT\s+READY\s+AGE\s*$/m);
    const pods = await running();
    expect(pods).toHaveLength(3);
    for (const p of pods)
      expect(p.metadata.ownerReferences[0]).toMatchObject({ kind: "ReplicationController", name: "nginx" });

    const wide = (await run(["get", "rc", "nginx", "-o", "wide"])).stdout;
    expect(wide).toMatch(/^NAME\s+DESIRED\s+CURRENT\s+READY\s+AGE\s+CONTAINERS\s+IMAGES\s+SELECTOR\s*$/m);
    expect(wide).toMatch(/^nginx\s+3\s+3\s+3\s+\S+\s+nginx\s+nginx\s+app=nginx\s*$/m);
    // The short name and the `all` category.
    expect((await run(["get", "all"])).stdout).toContain("replicationcontroller/nginx");

    const scaled = await run(["scale", "rc", "nginx", "--replicas=1"]);
    expect(scaled.stdout, scaled.stderr).toBe("replicationcontroller/nginx scaled\n");
    await until("get rc shows 1 1 1", async () => {
      const out = (await run(["get", "rc", "nginx"])).stdout;
      return /^nginx\s+1\s+1\s+1\s+/m.test(out) ? out : undefined;
    });
    await until("1 pod left", async () => ((await running()).length === 1 ? true : undefined));

    const described = (await run(["describe", "rc", "nginx"])).stdout;
    expect(described).toMatch(/^Name:\s+nginx$/m);
    expect(described).toMatch(/^Selector:\s+app=nginx$/m);
    expect(described).toMatch(/^Replicas:\s+1 current \/ 1 desired$/m);
    expect(described).toMatch(/^Pods Status:\s+1 Running \/ 0 Waiting \/ 0 Succeeded \/ 0 Failed$/m);
    expect(described).toMatch(/SuccessfulCreate\s+.*Created pod: nginx-/);
    expect(described).toMatch(/SuccessfulDelete\s+.*Deleted pod: nginx-/);

    expect((await run(["delete", "rc", "nginx"])).code).toBe(0);
    await until("the RC's pods gone", async () => ((await running()).length === 0 ? true : undefined));
  });

  it("an invalid RC is refused with upstream's message and changes nothing", async () => {
    const bad = REPLICATION_YAML.replace("name: nginx\nspec:", "name: bad\nspec:").replace(
      "  selector:\n    app: nginx\n",
      "  selector:\n    app: other\n",
    );
    const res = await run(["create", "-f", "-"], bad);
    expect(res.code).not.toBe(0);
    expect(res.stderr).toContain(
      'The ReplicationController "bad" is invalid: spec.template.metadata.labels: Invalid value: {"app":"nginx"}: `selector` does not match template `labels`',
    );
    expect((await run(["get", "rc", "bad"])).code).not.toBe(0);
  });

  it("kubectl 1.27 and 1.33 scale an RC through its scale subresource too", async () => {
    const yaml = REPLICATION_YAML.replaceAll("nginx", "old").replace("image: old", "image: nginx");
    expect((await run(["create", "-f", "-"], yaml)).code).toBe(0);
    let replicas = 0;
    for (const b of kubectlBinaries()) {
      replicas++;
      const scaled = await h.kubectl(["scale", "rc", "old", `--replicas=${replicas}`], {
        binary: b.path,
        allowFail: true,
      });
      expect(scaled.stdout, `${b.name}: ${scaled.stderr}`).toBe("replicationcontroller/old scaled\n");
      const rc: Json = JSON.parse((await run(["get", "rc", "old", "-o", "json"])).stdout);
      expect(rc.spec.replicas, b.name).toBe(replicas);
    }
    expect(replicas).toBeGreaterThan(1);
  });

  it("get podtemplates shows NAME CONTAINERS IMAGES POD LABELS", async () => {
    const created = await run(["create", "-f", "-"], POD_TEMPLATE_YAML);
    expect(created.stdout, created.stderr).toBe("podtemplate/web created\n");
    const out = (await run(["get", "podtemplates"])).stdout;
    expect(out).toMatch(/^NAME\s+CONTAINERS\s+IMAGES\s+POD LABELS\s*$/m);
    expect(out).toMatch(/^web\s+web,sidecar\s+nginx,busybox:stable\s+app=web\s*$/m);
  });
});
