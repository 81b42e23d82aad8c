// Protobuf bodies as client-go sends them, through the real Worker: kinds kubectl create sends (PodDisruptionBudget,
// PriorityClass), helm's DELETE with a DeleteOptions body, and the scale, eviction and binding subresources.
import { describe, expect, it } from "vitest";
import { bytes, concat, entry, envelope, int, message } from "../../../kube/protobuf/testdata/encode.ts";
import { addNode, APPS, deployment, NS } from "../controllers/workers-helpers.ts";
import { type ClusterClient, newCluster, pod } from "../testing/cluster-client.ts";

const PROTOBUF = { "content-type": "application/vnd.kubernetes.protobuf" };
// Field numbers of upstream's generated.proto: ObjectMeta 1 name, 11 labels; IntOrString 1 type, 2 intVal.
const meta = (name: string, ...extra: Uint8Array[]) => message(1, bytes(1, name), ...extra);
const labelSelector = (field: number, key: string, value: string) => message(field, entry(1, key, value));

async function send(c: ClusterClient, method: string, path: string, body: Uint8Array) {
  const res = await c.raw(method, path, { body, headers: PROTOBUF });
  const text = await res.text();
  return { status: res.status, body: JSON.parse(text), text };
}

describe("protobuf bodies", () => {
  it("creates a PodDisruptionBudget and a PriorityClass as kubectl create sends them", async () => {
    const c = await newCluster();
    // PodDisruptionBudgetSpec: 1 minAvailable (IntOrString), 2 selector (LabelSelector: 1 matchLabels).
    const spec = message(2, message(1, int(1, 0), int(2, 1)), labelSelector(2, "app", "x"));
    const pdb = await send(
      c,
      "POST",
      "/apis/policy/v1/namespaces/default/poddisruptionbudgets",
      envelope("policy/v1", "PodDisruptionBudget", concat(meta("x"), spec, message(3))),
    );
    expect(pdb.status, pdb.text).toBe(201);
    expect(pdb.body.spec).toEqual({ minAvailable: 1, selector: { matchLabels: { app: "x" } } });

    // PriorityClass: 2 value, 3 globalDefault, 4 description.
    const pc = await send(
      c,
      "POST",
      "/apis/scheduling.k8s.io/v1/priorityclasses",
      envelope("scheduling.k8s.io/v1", "PriorityClass", concat(meta("high"), int(2, 1000), int(3, false))),
    );
    expect(pc.status, pc.text).toBe(201);
    expect(pc.body).toMatchObject({
      metadata: { name: "high" },
      value: 1000,
      preemptionPolicy: "PreemptLowerPriority",
    });
  });

  it.each(["v1", "meta.k8s.io/v1"])(
    "deletes with a DeleteOptions body under %s, as helm uninstall sends it",
    async (apiVersion) => {
      const c = await newCluster();
      const secret = { apiVersion: "v1", kind: "Secret", metadata: { name: "sh.helm.release.v1.demo.v1" } };
      expect((await c.request("POST", `${NS}/secrets`, secret)).status).toBe(201);
      // DeleteOptions: 4 propagationPolicy.
      const options = envelope(apiVersion, "DeleteOptions", bytes(4, "Background"));
      const res = await send(c, "DELETE", `${NS}/secrets/sh.helm.release.v1.demo.v1`, options);
      expect(res.status, res.text).toBe(200);
      expect((await c.request("GET", `${NS}/secrets/sh.helm.release.v1.demo.v1`)).status).toBe(404);

      const foreign = envelope("example.com/v1", "DeleteOptions", bytes(4, "Background"));
      expect((await c.request("POST", `${NS}/secrets`, secret)).status).toBe(201);
      const refused = await send(c, "DELETE", `${NS}/secrets/sh.helm.release.v1.demo.v1`, foreign);
      expect(refused.status).toBe(400);
      expect(refused.body.message).toBe(
        "protobuf decode error: no protobuf schema for DeleteOptions in example.com/v1",
      );
      expect((await c.request("GET", `${NS}/secrets/sh.helm.release.v1.demo.v1`)).status).toBe(200);
    },
  );

  it("scales to zero with a Scale body (ScaleSpec.replicas 0 is left out on the wire, as in JSON)", async () => {
    const c = await newCluster();
    expect((await c.request("POST", `${APPS}/deployments`, deployment("web", 2))).status).toBe(201);
    // Scale: 1 metadata, 2 spec (ScaleSpec: 1 replicas, written only when non-zero). No resourceVersion: the
    // deployment controller writes the object meanwhile, and a Scale without one updates unconditionally.
    const scale = envelope("autoscaling/v1", "Scale", concat(meta("web", bytes(3, "default")), message(2)));
    const res = await send(c, "PUT", `${APPS}/deployments/web/scale`, scale);
    expect(res.status, res.text).toBe(200);
    expect(res.body.spec.replicas ?? 0).toBe(0);
    expect((await c.request("GET", `${APPS}/deployments/web`)).body.spec.replicas).toBe(0);
  });

  it("binds and evicts a pod with Binding and Eviction bodies", async () => {
    const c = await newCluster();
    await addNode(c, "n1");
    const unscheduled = pod(
      "p",
      {},
      { spec: { containers: [{ name: "main", image: "busybox" }], schedulerName: "none" } },
    );
    expect((await c.request("POST", `${NS}/pods`, unscheduled)).status).toBe(201);
    // Binding: 1 metadata, 2 target (ObjectReference: 1 kind, 3 name).
    const binding = envelope("v1", "Binding", concat(meta("p"), message(2, bytes(1, "Node"), bytes(3, "n1"))));
    const bound = await send(c, "POST", `${NS}/pods/p/binding`, binding);
    expect(bound.status, bound.text).toBe(201);
    expect((await c.request("GET", `${NS}/pods/p`)).body.spec.nodeName).toBe("n1");
    // Eviction: 1 metadata, 2 deleteOptions (DeleteOptions: 1 gracePeriodSeconds).
    const eviction = envelope("policy/v1", "Eviction", concat(meta("p"), message(2, int(1, 0))));
    const evicted = await send(c, "POST", `${NS}/pods/p/eviction`, eviction);
    expect(evicted.status, evicted.text).toBe(201);
    expect(evicted.body).toMatchObject({ kind: "Status", status: "Success" });
  });
});
