// The edge's Gateway API controller in a real cluster object, after the CRDs are installed from the e2e
// fixture: the class `flotilla` offered only once its CRD is Established, Accepted; Gateways of it Accepted
// and Programmed with the ingress host as address and upstream's listener status; HTTPRoutes' parents with
// Accepted and ResolvedRefs (BackendNotFound for a missing Service, NoMatchingParent for a missing listener);
// a Gateway of another class left alone; `kubectl get gateway`'s columns from the CRD.
import { describe, expect, it } from "vitest";
import { condition, GW, installGatewayApi, type Json, pollObject } from "../testing/gateway-api.ts";
import { newCluster } from "../testing/cluster-client.ts";

const TABLE = { accept: "application/json;as=Table;v=v1;g=meta.k8s.io" };

describe("Gateway API controller", () => {
  it("offers the class flotilla once the CRDs are Established, and writes upstream's status", async () => {
    const c = await newCluster();
    expect((await c.request("GET", `${GW}/gatewayclasses`)).status).toBe(404);
    const cls = await installGatewayApi(c.id, c.token);
    expect(cls.spec.controllerName).toBe("flotilla.dev/gateway");
    expect(condition(cls.status.conditions, "Accepted")).toMatchObject({ status: "True", reason: "Accepted" });

    const other = await c.request("POST", `${GW}/gatewayclasses`, {
      apiVersion: "gateway.networking.k8s.io/v1",
      kind: "GatewayClass",
      metadata: { name: "other" },
      spec: { controllerName: "example.com/gateway" },
    });
    expect(other.status).toBe(201);
    for (const [name, className] of [
      ["edge", "flotilla"],
      ["elsewhere", "other"],
    ]) {
      const res = await c.request("POST", `${GW}/namespaces/default/gateways`, {
        apiVersion: "gateway.networking.k8s.io/v1",
        kind: "Gateway",
        metadata: { name },
        spec: {
          gatewayClassName: className,
          listeners: [
            { name: "http", port: 80, protocol: "HTTP" },
            { name: "raw", port: 9000, protocol: "TCP" },
          ],
        },
      });
      expect(res.status, res.text).toBe(201);
    }
    await c.request("POST", "/api/v1/namespaces/default/services", {
      apiVersion: "v1",
      kind: "Service",
      metadata: { name: "web" },
      spec: { ports: [{ port: 80 }] },
    });
    const route = (name: string, parentRef: Record<string, unknown>, backends: string[]) =>
      c.request("POST", `${GW}/namespaces/default/httproutes`, {
        apiVersion: "gateway.networking.k8s.io/v1",
        kind: "HTTPRoute",
        metadata: { name },
        spec: { parentRefs: [parentRef], rules: [{ backendRefs: backends.map((b) => ({ name: b, port: 80 })) }] },
      });
    expect((await route("good", { name: "edge" }, ["web"])).status).toBe(201);
    expect((await route("missing", { name: "edge" }, ["web", "absent"])).status).toBe(201);
    expect((await route("nolistener", { name: "edge", sectionName: "nope" }, ["web"])).status).toBe(201);

    const host = `${c.id}.edge.test`;
    const gw = await pollObject(
      c.id,
      c.token,
      `${GW}/namespaces/default/gateways/edge`,
      (g) => g.status?.listeners?.[0]?.attachedRoutes === 2,
    );
    expect(gw.status.addresses).toEqual([{ type: "Hostname", value: host }]);
    expect(condition(gw.status.conditions, "Accepted")).toMatchObject({ status: "True", reason: "Accepted" });
    expect(condition(gw.status.conditions, "Programmed")).toMatchObject({
      status: "True",
      reason: "Programmed",
      observedGeneration: 1,
    });
    const [http, raw] = gw.status.listeners;
    expect(http.supportedKinds).toEqual([{ group: "gateway.networking.k8s.io", kind: "HTTPRoute" }]);
    expect(
      http.conditions
        .map((x: Json) => [x.type, x.status, x.reason])
        .sort((a: string[], b: string[]) => (a[0] < b[0] ? -1 : 1)),
    ).toEqual([
      ["Accepted", "True", "Accepted"],
      ["Conflicted", "False", "NoConflicts"],
      ["Programmed", "True", "Programmed"],
      ["ResolvedRefs", "True", "ResolvedRefs"],
    ]);
    expect(raw).toMatchObject({ name: "raw", supportedKinds: [], attachedRoutes: 0 });
    expect(condition(raw.conditions, "Accepted")).toMatchObject({ status: "False", reason: "UnsupportedProtocol" });

    const parentOf = async (name: string) =>
      (
        await pollObject(
          c.id,
          c.token,
          `${GW}/namespaces/default/httproutes/${name}`,
          (r) => r.status?.parents?.length === 1,
        )
      ).status.parents[0];
    const good = await parentOf("good");
    expect(good.controllerName).toBe("flotilla.dev/gateway");
    expect(good.parentRef).toMatchObject({ name: "edge", group: "gateway.networking.k8s.io", kind: "Gateway" });
    expect(condition(good.conditions, "Accepted")).toMatchObject({ status: "True", reason: "Accepted" });
    expect(condition(good.conditions, "ResolvedRefs")).toMatchObject({ status: "True", reason: "ResolvedRefs" });
    const missing = await parentOf("missing");
    expect(condition(missing.conditions, "Accepted")?.status).toBe("True");
    expect(condition(missing.conditions, "ResolvedRefs")).toMatchObject({
      status: "False",
      reason: "BackendNotFound",
      message: 'service "default/absent" not found',
    });
    const nolistener = await parentOf("nolistener");
    expect(condition(nolistener.conditions, "Accepted")).toMatchObject({ status: "False", reason: "NoMatchingParent" });

    // Another class's Gateway is not ours to touch: no address, nothing but the CRD's Pending default.
    const elsewhere = (await c.request("GET", `${GW}/namespaces/default/gateways/elsewhere`)).body;
    expect(elsewhere.status?.addresses).toBeUndefined();
    expect(condition(elsewhere.status?.conditions, "Programmed")?.status ?? "Unknown").toBe("Unknown");

    const table = await c.request("GET", `${GW}/namespaces/default/gateways`, undefined, TABLE);
    expect(table.body.columnDefinitions.map((d: Json) => d.name)).toEqual([
      "Name",
      "Class",
      "Address",
      "Programmed",
      "Age",
    ]);
    const rows = table.body.rows.map((r: Json) => r.cells.slice(0, 4));
    expect(rows[0]).toEqual(["edge", "flotilla", host, "True"]);
    expect(rows[1].slice(0, 3)).toEqual(["elsewhere", "other", null]);
    expect([null, "Unknown"]).toContain(rows[1][3]);
  });

  it("a Gateway's new listener gets status; a route that leaves drops the attached count", async () => {
    const c = await newCluster();
    await installGatewayApi(c.id, c.token);
    const gwPath = `${GW}/namespaces/default/gateways/g`;
    await c.request("POST", `${GW}/namespaces/default/gateways`, {
      apiVersion: "gateway.networking.k8s.io/v1",
      kind: "Gateway",
      metadata: { name: "g" },
      spec: { gatewayClassName: "flotilla", listeners: [{ name: "http", port: 80, protocol: "HTTP" }] },
    });
    await c.request("POST", `${GW}/namespaces/default/httproutes`, {
      apiVersion: "gateway.networking.k8s.io/v1",
      kind: "HTTPRoute",
      metadata: { name: "r" },
      spec: { parentRefs: [{ name: "g" }] },
    });
    await pollObject(c.id, c.token, gwPath, (g) => g.status?.listeners?.[0]?.attachedRoutes === 1);
    expect((await c.request("DELETE", `${GW}/namespaces/default/httproutes/r`)).status).toBe(200);
    await pollObject(c.id, c.token, gwPath, (g) => g.status?.listeners?.[0]?.attachedRoutes === 0);
  });
});
