// The ServiceAccount admission plugin on pod create, through the real API: defaults, the refusal of a
// missing ServiceAccount, the kube-api-access projected volume exactly as upstream adds it, and opting out.
import { describe, expect, it } from "vitest";
import { type Json, NS } from "../controllers/workers-helpers.ts";
import { type ClusterClient, newCluster, pod } from "../testing/cluster-client.ts";

const MOUNT = "/var/run/secrets/kubernetes.io/serviceaccount";

async function createSA(c: ClusterClient, name: string, extra: Json = {}): Promise<void> {
  const body = { apiVersion: "v1", kind: "ServiceAccount", metadata: { name }, ...extra };
  expect((await c.request("POST", `${NS}/serviceaccounts`, body)).status).toBe(201);
}

async function created(c: ClusterClient, body: Json): Promise<Json> {
  const res = await c.request("POST", `${NS}/pods`, body);
  expect(res.status, res.text).toBe(201);
  return res.body;
}

describe("ServiceAccount admission", () => {
  it("defaults the ServiceAccount and mounts kube-api-access-* in every container and init container", async () => {
    const c = await newCluster();
    const p = await created(
      c,
      pod(
        "web",
        {},
        {
          spec: {
            initContainers: [{ name: "init", image: "busybox" }],
            containers: [
              { name: "a", image: "nginx" },
              { name: "b", image: "nginx" },
            ],
          },
        },
      ),
    );
    expect(p.spec.serviceAccountName).toBe("default");
    expect(p.spec.serviceAccount).toBe("default");
    const [volume] = p.spec.volumes;
    expect(volume.name).toMatch(/^kube-api-access-[bcdfghjklmnpqrstvwxz2456789]{5}$/);
    expect(volume.projected).toEqual({
      defaultMode: 420,
      sources: [
        { serviceAccountToken: { expirationSeconds: 3607, path: "token" } },
        { configMap: { name: "kube-root-ca.crt", items: [{ key: "ca.crt", path: "ca.crt" }] } },
        {
          downwardAPI: {
            items: [{ path: "namespace", fieldRef: { apiVersion: "v1", fieldPath: "metadata.namespace" } }],
          },
        },
      ],
    });
    for (const ctr of [...p.spec.initContainers, ...p.spec.containers])
      expect(ctr.volumeMounts).toEqual([{ name: volume.name, readOnly: true, mountPath: MOUNT }]);
    // The stored pod is what was answered.
    expect((await c.request("GET", `${NS}/pods/web`)).body.spec.volumes).toEqual(p.spec.volumes);
  });

  it("refuses a pod whose ServiceAccount does not exist with upstream's 403, storing nothing", async () => {
    const c = await newCluster();
    const body = pod("web");
    (body.spec as Json).serviceAccountName = "ghost";
    const res = await c.request("POST", `${NS}/pods`, body);
    expect(res.status).toBe(403);
    expect(res.body).toMatchObject({
      reason: "Forbidden",
      message:
        'pods "web" is forbidden: error looking up service account default/ghost: serviceaccount "ghost" not found',
      details: { name: "web", kind: "pods" },
    });
    expect((await c.request("GET", `${NS}/pods/web`)).status).toBe(404);
  });

  it("honours automountServiceAccountToken (the pod's wins), a container's own mount, and imagePullSecrets", async () => {
    const c = await newCluster();
    await createSA(c, "quiet", { automountServiceAccountToken: false, imagePullSecrets: [{ name: "regcred" }] });
    const quiet = await created(
      c,
      pod("q", {}, { spec: { serviceAccountName: "quiet", containers: [{ name: "a", image: "x" }] } }),
    );
    expect(quiet.spec.volumes ?? []).toEqual([]);
    expect(quiet.spec.containers[0].volumeMounts).toBeUndefined();
    expect(quiet.spec.imagePullSecrets).toEqual([{ name: "regcred" }]);
    const loud = await created(
      c,
      pod(
        "l",
        {},
        {
          spec: {
            serviceAccountName: "quiet",
            automountServiceAccountToken: true,
            containers: [{ name: "a", image: "x" }],
          },
        },
      ),
    );
    expect(loud.spec.volumes[0].name).toMatch(/^kube-api-access-/);
    const off = await created(
      c,
      pod("o", {}, { spec: { automountServiceAccountToken: false, containers: [{ name: "a", image: "x" }] } }),
    );
    expect(off.spec.volumes ?? []).toEqual([]);
    const own = await created(
      c,
      pod(
        "own",
        {},
        {
          spec: {
            volumes: [{ name: "mine", emptyDir: {} }],
            containers: [
              { name: "a", image: "x", volumeMounts: [{ name: "mine", mountPath: MOUNT }] },
              { name: "b", image: "x" },
            ],
          },
        },
      ),
    );
    expect(own.spec.containers[0].volumeMounts).toEqual([{ name: "mine", mountPath: MOUNT }]);
    expect(own.spec.containers[1].volumeMounts[0].name).toMatch(/^kube-api-access-/);
    expect(own.spec.volumes.map((v: Json) => v.name)).toEqual(["mine", own.spec.containers[1].volumeMounts[0].name]);
  });
});
