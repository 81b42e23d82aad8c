// A Service's Endpoints and EndpointSlices follow its pods' readiness, end to end.
import { describe, expect, it } from "vitest";
import { newCluster } from "../testing/cluster-client.ts";
import { APPS, addNode, deployment, type Json, listPods, markPod, NS, until } from "./workers-helpers.ts";

const SLICES = "/apis/discovery.k8s.io/v1/namespaces/default/endpointslices";

const service = {
  apiVersion: "v1",
  kind: "Service",
  metadata: { name: "web", labels: { team: "a" } },
  spec: { selector: { app: "web" }, ports: [{ name: "web", port: 8080, targetPort: "http" }] },
};

describe("endpoints controllers", () => {
  it("list ready pods in addresses, others in notReadyAddresses, with ports by name, and drop deleted pods", async () => {
    const c = await newCluster();
    await addNode(c, "n1");
    expect((await c.request("POST", `${NS}/services`, service)).status).toBe(201);
    await c.request("POST", `${APPS}/deployments`, deployment("web", 2));
    const pods = await until(async () => {
      const items = await listPods(c, "app=web");
      return items.length === 2 && items.every((p: Json) => p.spec.nodeName) ? items : undefined;
    }, "2 bound pods");
    await markPod(c, pods[0], true);
    await markPod(c, pods[1], false);
    const ep = await until(async () => {
      const got = (await c.request("GET", `${NS}/endpoints/web`)).body;
      const s = got.subsets?.[0];
      return s?.addresses?.length === 1 && s?.notReadyAddresses?.length === 1 ? got : undefined;
    }, "endpoints with one ready, one not");
    const subset = ep.subsets[0];
    expect(ep.metadata.labels).toEqual({ team: "a" });
    expect(subset.ports).toEqual([{ name: "web", port: 80, protocol: "TCP" }]);
    expect(subset.addresses[0]).toMatchObject({
      nodeName: "n1",
      targetRef: { kind: "Pod", namespace: "default", name: pods[0].metadata.name, uid: pods[0].metadata.uid },
    });
    expect(subset.notReadyAddresses[0].targetRef.name).toBe(pods[1].metadata.name);

    const slices = (await c.request("GET", `${SLICES}?labelSelector=kubernetes.io/service-name=web`)).body.items;
    expect(slices).toHaveLength(1);
    const slice = slices[0];
    expect(slice.metadata.labels).toMatchObject({
      "endpointslice.kubernetes.io/managed-by": "endpointslice-controller.k8s.io",
      "kubernetes.io/service-name": "web",
    });
    expect(slice.metadata.ownerReferences[0]).toMatchObject({ kind: "Service", name: "web", controller: true });
    expect(slice.addressType).toBe("IPv4");
    expect(slice.ports).toEqual([{ name: "web", port: 80, protocol: "TCP" }]);
    const byName = Object.fromEntries(slice.endpoints.map((e: Json) => [e.targetRef.name, e]));
    expect(byName[pods[0].metadata.name].conditions).toEqual({ ready: true, serving: true, terminating: false });
    expect(byName[pods[1].metadata.name].conditions).toEqual({ ready: false, serving: false, terminating: false });

    // The pod becomes ready; then one goes away.
    const fresh = (await c.request("GET", `${NS}/pods/${pods[1].metadata.name}`)).body;
    await markPod(c, fresh, true);
    await until(async () => {
      const s = (await c.request("GET", `${NS}/endpoints/web`)).body.subsets?.[0];
      return s?.addresses?.length === 2 && !s.notReadyAddresses ? true : undefined;
    }, "both ready");
    await c.request("DELETE", `${NS}/pods/${pods[0].metadata.name}?gracePeriodSeconds=0`);
    await until(async () => {
      const s = (await c.request("GET", `${NS}/endpoints/web`)).body.subsets?.[0];
      const names = (s?.addresses ?? []).map((a: Json) => a.targetRef.name);
      return names.length === 1 && names[0] === pods[1].metadata.name ? true : undefined;
    }, "deleted pod dropped");

    // Deleting the service removes its Endpoints and (by owner reference) its slices.
    await c.request("DELETE", `${NS}/services/web`);
    await until(
      async () => ((await c.request("GET", `${NS}/endpoints/web`)).status === 404 ? true : undefined),
      "gone",
    );
    expect((await c.request("GET", `${SLICES}?labelSelector=kubernetes.io/service-name=web`)).body.items).toHaveLength(
      0,
    );
  });
});
