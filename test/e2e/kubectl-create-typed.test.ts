// kubectl's `create <kind>` generators use typed clients that send Kubernetes protobuf bodies
// (application/vnd.kubernetes.protobuf), not JSON; the server decodes them into the same objects.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Harness, requireKubectl, startHarness } from "./harness.ts";
import type { AnyJson as Json } from "../../kube/types.ts";

describe("kubectl create <kind> (protobuf bodies)", () => {
  let h: Harness;
  let tmp: string;
  const out = async (...args: string[]) => (await h.kubectl(args)).stdout;
  const json = async (...args: string[]): Promise<Json> => JSON.parse(await out("get", ...args, "-o", "json"));

  beforeAll(async () => {
    requireKubectl();
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), "flotilla-typed-"));
    h = await startHarness();
  });
  afterAll(async () => {
    await h?.stop();
    if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
  });

  it("create deployment keeps replicas, image, port and labels", async () => {
    expect(await out("create", "deployment", "web", "--image=nginx:1.27", "--replicas=2", "--port=80")).toBe(
      "deployment.apps/web created\n",
    );
    const d = await json("deployment", "web");
    expect(d.metadata.labels).toEqual({ app: "web" });
    expect(d.spec.replicas).toBe(2);
    expect(d.spec.selector).toEqual({ matchLabels: { app: "web" } });
    expect(d.spec.strategy.type).toBe("RollingUpdate");
    expect(d.spec.template.metadata.labels).toEqual({ app: "web" });
    const [c] = d.spec.template.spec.containers;
    expect(c).toMatchObject({ name: "nginx", image: "nginx:1.27", ports: [{ containerPort: 80, protocol: "TCP" }] });
  });

  it("create deployment --replicas=0 keeps the explicit zero", async () => {
    await h.kubectl(["create", "deployment", "zero", "--image=nginx", "--replicas=0"]);
    expect(await out("get", "deployment", "zero", "-o", "jsonpath={.spec.replicas}")).toBe("0");
  });

  it("create deployment with two images makes two containers", async () => {
    await h.kubectl(["create", "deployment", "multi", "--image=nginx", "--image=redis:7"]);
    const d = await json("deployment", "multi");
    expect(d.spec.template.spec.containers.map((c: Json) => [c.name, c.image])).toEqual([
      ["nginx", "nginx"],
      ["redis", "redis:7"],
    ]);
  });

  it("create deployment --dry-run=server stores nothing", async () => {
    const res = await h.kubectl(["create", "deployment", "dry", "--image=nginx", "--dry-run=server", "-o", "json"]);
    expect(JSON.parse(res.stdout).spec.replicas).toBe(1);
    const get = await h.kubectl(["get", "deployment", "dry"], { allowFail: true });
    expect(get.stderr).toContain('deployments.apps "dry" not found');
  });

  it("create configmap from literals and files (text and binary)", async () => {
    expect(await out("create", "configmap", "cfg", "--from-literal=a=1", "--from-literal=b=two")).toBe(
      "configmap/cfg created\n",
    );
    expect((await json("configmap", "cfg")).data).toEqual({ a: "1", b: "two" });

    fs.writeFileSync(path.join(tmp, "app.yaml"), "k: v\n");
    fs.writeFileSync(path.join(tmp, "blob.bin"), Buffer.from([0, 1, 255]));
    const files = ["--from-file", path.join(tmp, "app.yaml"), "--from-file", path.join(tmp, "blob.bin")];
    await h.kubectl(["create", "configmap", "files", ...files]);
    const cm = await json("configmap", "files");
    expect(cm.data).toEqual({ "app.yaml": "k: v\n" });
    expect(cm.binaryData).toEqual({ "blob.bin": "AAH/" });
  });

  it("create secret generic and docker-registry", async () => {
    expect(await out("create", "secret", "generic", "s", "--from-literal=p=x")).toBe("secret/s created\n");
    const s = await json("secret", "s");
    expect(s.data).toEqual({ p: "eA==" });
    expect(s.type).toBe("Opaque");

    const reg = ["--docker-server=r.example", "--docker-username=u", "--docker-password=p"];
    await h.kubectl(["create", "secret", "docker-registry", "reg", ...reg]);
    const r = await json("secret", "reg");
    expect(r.type).toBe("kubernetes.io/dockerconfigjson");
    const config = JSON.parse(Buffer.from(r.data[".dockerconfigjson"], "base64").toString());
    expect(config.auths["r.example"]).toMatchObject({ username: "u", password: "p" });
  });

  it("create namespace", async () => {
    expect(await out("create", "namespace", "team")).toBe("namespace/team created\n");
    expect((await json("namespace", "team")).status.phase).toBe("Active");
  });

  it("create service clusterip and nodeport", async () => {
    expect(await out("create", "service", "clusterip", "web", "--tcp=80:8080")).toBe("service/web created\n");
    const svc = await json("service", "web");
    expect(svc.spec.type).toBe("ClusterIP");
    expect(svc.spec.selector).toEqual({ app: "web" });
    expect(svc.spec.ports).toEqual([{ name: "80-8080", port: 80, protocol: "TCP", targetPort: 8080 }]);
    expect(svc.spec.clusterIP).toMatch(/^10\./);

    await h.kubectl(["create", "service", "nodeport", "np", "--tcp=80:8080", "--node-port=30080"]);
    const np = await json("service", "np");
    expect(np.spec.type).toBe("NodePort");
    expect(np.spec.ports[0]).toMatchObject({ port: 80, targetPort: 8080, nodePort: 30080 });
  });

  it("create serviceaccount", async () => {
    expect(await out("create", "serviceaccount", "bot")).toBe("serviceaccount/bot created\n");
    expect((await json("serviceaccount", "bot")).metadata.name).toBe("bot");
  });

  it("create job and cronjob, and a job from the cronjob", async () => {
    expect(await out("create", "job", "j", "--image=busybox", "--", "echo", "hi")).toBe("job.batch/j created\n");
    const job = await json("job", "j");
    expect(job.spec.template.spec.containers[0]).toMatchObject({
      name: "j",
      image: "busybox",
      command: ["echo", "hi"],
    });
    expect(job.spec.template.spec.restartPolicy).toBe("Never");

    const cron = ["--image=busybox", "--schedule=*/5 * * * *", "--", "echo", "hi"];
    expect(await out("create", "cronjob", "c", ...cron)).toBe("cronjob.batch/c created\n");
    const cj = await json("cronjob", "c");
    expect(cj.spec.schedule).toBe("*/5 * * * *");
    expect(cj.spec.jobTemplate.metadata.name).toBe("c");
    expect(cj.spec.jobTemplate.spec.template.spec.restartPolicy).toBe("OnFailure");

    expect(await out("create", "job", "manual", "--from=cronjob/c")).toBe("job.batch/manual created\n");
    const manual = await json("job", "manual");
    expect(manual.metadata.annotations).toEqual({ "cronjob.kubernetes.io/instantiate": "manual" });
    expect(manual.metadata.ownerReferences).toEqual([
      { apiVersion: "batch/v1", kind: "CronJob", name: "c", uid: cj.metadata.uid, controller: true },
    ]);
  });

  it("create poddisruptionbudget and priorityclass", async () => {
    expect(await out("create", "pdb", "x", "--selector=app=x", "--min-available=1")).toBe(
      "poddisruptionbudget.policy/x created\n",
    );
    const pdb = await json("pdb", "x");
    expect(pdb.spec).toEqual({ minAvailable: 1, selector: { matchLabels: { app: "x" } } });
    await h.kubectl(["create", "pdb", "y", "--selector=app=y", "--max-unavailable=50%"]);
    expect((await json("pdb", "y")).spec.maxUnavailable).toBe("50%");

    expect(await out("create", "priorityclass", "high", "--value=1000", "--description=urgent")).toBe(
      "priorityclass.scheduling.k8s.io/high created\n",
    );
    const pc = await json("priorityclass", "high");
    expect(pc).toMatchObject({ value: 1000, description: "urgent", preemptionPolicy: "PreemptLowerPriority" });
    expect(pc.globalDefault ?? false).toBe(false);
    await h.kubectl(["create", "priorityclass", "calm", "--value=10", "--preemption-policy=Never"]);
    expect((await json("priorityclass", "calm")).preemptionPolicy).toBe("Never");
    // value has no omitempty: a zero is sent and kept, not taken for a missing value.
    await h.kubectl(["create", "priorityclass", "zero", "--value=0"]);
    expect((await json("priorityclass", "zero")).value).toBe(0);
  });

  it("answers a malformed protobuf body with 400 BadRequest", async () => {
    const post = (body: string) =>
      h.api("/api/v1/namespaces/default/configmaps", {
        method: "POST",
        headers: { "content-type": "application/vnd.kubernetes.protobuf" },
        body,
      });
    const truncated = await post("k8s\u0000\n\u0009");
    expect(truncated.status).toBe(400);
    expect(JSON.parse(truncated.body)).toMatchObject({
      kind: "Status",
      reason: "BadRequest",
      message: "protobuf decode error: length 9 at offset 5 runs past the end of the data (0 bytes left)",
    });
    const notProtobuf = await post('{"kind":"ConfigMap"}');
    expect(notProtobuf.status).toBe(400);
    expect(JSON.parse(notProtobuf.body).message).toMatch(/does not start with the Kubernetes protobuf prefix/);
  });
});
