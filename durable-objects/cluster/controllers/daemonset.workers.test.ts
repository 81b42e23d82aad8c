// DaemonSets end to end: a pod per eligible node (pinned by node affinity, bound by the
// scheduler), nodes joining later, taints, a rolling image change, and ControllerRevisions.
import { describe, expect, it } from "vitest";
import { newCluster } from "../testing/cluster-client.ts";
import { APPS, addNode, isReady, type Json, kubelet, listPods, until } from "./workers-helpers.ts";

type Cluster = Awaited<ReturnType<typeof newCluster>>;
const DSS = `${APPS}/daemonsets`;
const SMP = { "content-type": "application/strategic-merge-patch+json" };

function daemonSet(name: string, image = "busybox:1.36", extra: Json = {}): Json {
  return {
    apiVersion: "apps/v1",
    kind: "DaemonSet",
    metadata: { name },
    spec: {
      selector: { matchLabels: { app: name } },
      template: {
        metadata: { labels: { app: name } },
        // Grace 0: deleted pods go at once, as no kubelet confirms here.
        spec: { terminationGracePeriodSeconds: 0, containers: [{ name: "main", image }] },
      },
      ...extra,
    },
  };
}

const live = async (c: Cluster, sel: string) =>
  (await listPods(c, sel)).filter((p: Json) => !p.metadata.deletionTimestamp);

/** Waits until the set has exactly one bound pod on each of `nodes`, marking them ready. */
async function onNodes(c: Cluster, name: string, nodes: string[]): Promise<Json[]> {
  return until(
    async () => {
      await kubelet(c, `app=${name}`);
      const pods = await live(c, `app=${name}`);
      const bound = pods.map((p: Json) => p.spec.nodeName).sort();
      return JSON.stringify(bound) === JSON.stringify([...nodes].sort()) && pods.every(isReady) ? pods : undefined;
    },
    `pods of ${name} on ${nodes.join(",")}`,
  );
}

describe("daemonset controller", () => {
  it("puts a pod on each Ready node, and on a node added later, with upstream's labels, tolerations and status", async () => {
    const c = await newCluster();
    await addNode(c, "n1");
    await addNode(c, "n2");
    expect((await c.request("POST", DSS, daemonSet("agent"))).status).toBe(201);
    const pods = await onNodes(c, "agent", ["n1", "n2"]);
    const p = pods.find((x: Json) => x.spec.nodeName === "n1");
    expect(p.metadata.name).toMatch(/^agent-[a-z0-9]{5}$/);
    expect(p.metadata.ownerReferences[0]).toMatchObject({ kind: "DaemonSet", name: "agent", controller: true });
    expect(p.metadata.labels["pod-template-generation"]).toBe("1");
    expect(p.spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms).toEqual([
      { matchFields: [{ key: "metadata.name", operator: "In", values: ["n1"] }] },
    ]);
    const keys = p.spec.tolerations.map((t: Json) => `${t.key}:${t.effect}`);
    expect(keys).toEqual([
      "node.kubernetes.io/not-ready:NoExecute",
      "node.kubernetes.io/unreachable:NoExecute",
      "node.kubernetes.io/disk-pressure:NoSchedule",
      "node.kubernetes.io/memory-pressure:NoSchedule",
      "node.kubernetes.io/pid-pressure:NoSchedule",
      "node.kubernetes.io/unschedulable:NoSchedule",
    ]);
    const revs = (await c.request("GET", `${APPS}/controllerrevisions`)).body.items as Json[];
    expect(revs).toHaveLength(1);
    const hash = p.metadata.labels["controller-revision-hash"];
    expect(revs[0]).toMatchObject({ metadata: { name: `agent-${hash}` }, revision: 1 });
    expect(revs[0].data.spec.template.$patch).toBe("replace");

    await addNode(c, "n3");
    await onNodes(c, "agent", ["n1", "n2", "n3"]);
    const ds = await until(async () => {
      const got = (await c.request("GET", `${DSS}/agent`)).body;
      return got.status?.numberAvailable === 3 ? got : undefined;
    }, "3 available");
    expect(ds.status).toMatchObject({
      desiredNumberScheduled: 3,
      currentNumberScheduled: 3,
      numberReady: 3,
      updatedNumberScheduled: 3,
      numberMisscheduled: 0,
      observedGeneration: 1,
    });
    expect(ds.status.numberUnavailable).toBeUndefined();
    const events = (await c.request("GET", "/api/v1/namespaces/default/events")).body.items as Json[];
    const created = events.filter((e) => e.reason === "SuccessfulCreate" && e.involvedObject.kind === "DaemonSet");
    expect(created).toHaveLength(3);
    expect(created[0].message).toMatch(/^Created pod: agent-/);
  });

  it("skips a tainted node unless tolerated, and leaves a node whose labels stop matching", async () => {
    const c = await newCluster();
    await addNode(c, "n1");
    await addNode(c, "n2");
    // A patch, not a PUT of a read copy: node IPAM writes the node's podCIDR meanwhile (which a PUT may not drop).
    const taint = {
      metadata: { labels: { role: "edge" } },
      spec: { taints: [{ key: "dedicated", value: "db", effect: "NoSchedule" }] },
    };
    expect((await c.request("PATCH", "/api/v1/nodes/n2", taint, SMP)).status).toBe(200);
    await c.request("POST", DSS, daemonSet("plain"));
    const tolerations = [{ key: "dedicated", operator: "Equal", value: "db", effect: "NoSchedule" }];
    const tolerant = daemonSet("tolerant");
    tolerant.spec.template.spec.tolerations = tolerations;
    await c.request("POST", DSS, tolerant);
    await onNodes(c, "plain", ["n1"]);
    await onNodes(c, "tolerant", ["n1", "n2"]);
    const edge = daemonSet("edge");
    edge.spec.template.spec = { ...edge.spec.template.spec, tolerations, nodeSelector: { role: "edge" } };
    await c.request("POST", DSS, edge);
    await onNodes(c, "edge", ["n2"]);
    const n2 = (await c.request("GET", "/api/v1/nodes/n2")).body;
    delete n2.metadata.labels.role;
    expect((await c.request("PUT", "/api/v1/nodes/n2", n2)).status).toBe(200);
    await until(async () => ((await live(c, "app=edge")).length === 0 ? true : undefined), "edge pod removed");
    const plain = (await c.request("GET", `${DSS}/plain`)).body;
    expect(plain.status.desiredNumberScheduled).toBe(1);
  });

  it("rolls an image change one node at a time, and undo restores the old revision", async () => {
    const c = await newCluster();
    for (const n of ["n1", "n2", "n3"]) await addNode(c, n);
    await c.request("POST", DSS, daemonSet("agent", "busybox:1.36"));
    await onNodes(c, "agent", ["n1", "n2", "n3"]);
    const patch = { spec: { template: { spec: { containers: [{ name: "main", image: "busybox:1.37" }] } } } };
    expect((await c.request("PATCH", `${DSS}/agent`, patch, SMP)).status).toBe(200);
    // maxUnavailable 1: at most one node at a time is without a ready pod while rolling.
    let fewestReady = 3;
    await until(async () => {
      fewestReady = Math.min(fewestReady, (await live(c, "app=agent")).filter(isReady).length);
      await kubelet(c, "app=agent");
      const after = await live(c, "app=agent");
      const image = (p: Json) => p.spec.containers[0].image;
      return after.length === 3 && after.every((p: Json) => isReady(p) && image(p) === "busybox:1.37")
        ? true
        : undefined;
    }, "all pods on the new image");
    expect(fewestReady).toBeGreaterThanOrEqual(2);
    const revs = (await c.request("GET", `${APPS}/controllerrevisions`)).body.items as Json[];
    expect(revs.map((r) => r.revision).sort()).toEqual([1, 2]);
    const ds = await until(async () => {
      const got = (await c.request("GET", `${DSS}/agent`)).body;
      return got.status?.updatedNumberScheduled === 3 && got.status?.numberAvailable === 3 ? got : undefined;
    }, "status updated");
    expect(ds.status.observedGeneration).toBe(2);
    // kubectl rollout undo: the old revision's data patched onto the set.
    const old = revs.find((r) => r.revision === 1);
    expect((await c.request("PATCH", `${DSS}/agent`, old.data, SMP)).status).toBe(200);
    await until(async () => {
      await kubelet(c, "app=agent");
      const after = await live(c, "app=agent");
      return after.length === 3 && after.every((p: Json) => isReady(p) && p.spec.containers[0].image === "busybox:1.36")
        ? true
        : undefined;
    }, "back on the old image");
    const again = (await c.request("GET", `${APPS}/controllerrevisions`)).body.items as Json[];
    expect(again).toHaveLength(2);
    expect(again.find((r) => r.metadata.name === old.metadata.name).revision).toBe(3);
  });

  it("rejects a ControllerRevision without data or with a negative revision, and changes to its data", async () => {
    const c = await newCluster();
    const CR = `${APPS}/controllerrevisions`;
    const rev = (fields: Json) => ({
      apiVersion: "apps/v1",
      kind: "ControllerRevision",
      metadata: { name: "r" },
      ...fields,
    });
    const noData = await c.request("POST", CR, rev({ revision: 1 }));
    expect(noData.status).toBe(422);
    expect(noData.body.details.causes[0]).toMatchObject({
      field: "data",
      message: "Required value: data is mandatory",
    });
    const negative = await c.request("POST", CR, rev({ data: {}, revision: -1 }));
    expect(negative.status).toBe(422);
    expect(negative.body.message).toContain("revision: Invalid value: -1: must be greater than or equal to 0");
    const ok = await c.request("POST", CR, rev({ data: { a: 1 }, revision: 1 }));
    expect(ok.status).toBe(201);
    const changed = await c.request("PUT", `${CR}/r`, { ...ok.body, data: { a: 2 } });
    expect(changed.status).toBe(422);
    expect(changed.body.message).toContain("field is immutable");
    const table = await c.request("GET", CR, undefined, { accept: "application/json;as=Table;v=v1;g=meta.k8s.io" });
    expect(table.body.columnDefinitions.map((d: Json) => d.name)).toEqual(["Name", "Controller", "Revision", "Age"]);
    expect(table.body.rows[0].cells.slice(0, 3)).toEqual(["r", "<none>", 1]);
  });
});
