import { describe, expect, it } from "vitest";
import type { KubeObject } from "../../../kube/types.ts";
import { nodeCIDRs, readyEndpoints, type ServiceSource, servicesForNode } from "./services-sync.ts";
import { endpointsObject, serviceObject } from "./test-objects.ts";

const svc = serviceObject;
const eps = endpointsObject;

function source(objects: [string, KubeObject][]): ServiceSource {
  return {
    list: (resource, namespace) =>
      objects
        .filter(([r, o]) => r === resource && (namespace === undefined || o.metadata.namespace === namespace))
        .map(([, object]) => ({ object })),
    get: (resource, namespace, name) => {
      const found = objects.find(
        ([r, o]) => r === resource && o.metadata.namespace === namespace && o.metadata.name === name,
      );
      return found && { object: found[1] };
    },
  };
}

const store = source([
  ["services", svc("default", "kubernetes", { clusterIP: "10.96.0.1", ports: [{ name: "https", port: 443 }] })],
  ["services", svc("team", "web", { clusterIP: "10.96.0.20", ports: [{ name: "http", port: 80, protocol: "TCP" }] })],
  ["services", svc("team", "headless", { clusterIP: "None", ports: [{ port: 80 }] })],
  ["services", svc("team", "ext", { type: "ExternalName", externalName: "example.com" })],
  ["services", svc("secret-team", "db", { clusterIP: "10.96.0.30", ports: [{ port: 5432 }] })],
  [
    "endpoints",
    eps("team", "web", [
      {
        addresses: [
          { ip: "10.88.0.9", nodeName: "b" },
          { ip: "10.88.0.5", nodeName: "a" },
        ],
        notReadyAddresses: [{ ip: "10.88.0.7", nodeName: "a" }],
        ports: [{ name: "http", port: 8080, protocol: "TCP" }],
      },
    ]),
  ],
]);

describe("servicesForNode", () => {
  it("sends the pods' namespaces' services with cluster IPs and the kubernetes service, nothing else", () => {
    const got = servicesForNode(store, new Set(["team"]));
    expect(got.map((s) => `${s.namespace}/${s.name}`)).toEqual(["team/web", "default/kubernetes"]);
    expect(got[0]).toEqual({
      namespace: "team",
      name: "web",
      ports: [{ name: "http", port: 80, protocol: "TCP" }],
      endpoints: [
        { ip: "10.88.0.5", nodeName: "a", ports: { http: 8080 } },
        { ip: "10.88.0.9", nodeName: "b", ports: { http: 8080 } },
      ],
      clusterIP: "10.96.0.20",
      type: "ClusterIP",
    });
    expect(got[1].ports).toEqual([{ name: "https", port: 443, protocol: "TCP" }]);
    expect(got[1].endpoints).toEqual([]);
  });

  it("carries node ports and ClientIP affinity with its timeout", () => {
    const lb = svc("team", "lb", {
      type: "LoadBalancer",
      clusterIP: "10.96.0.40",
      sessionAffinity: "ClientIP",
      sessionAffinityConfig: { clientIP: { timeoutSeconds: 60 } },
      ports: [{ name: "http", port: 80, protocol: "TCP", nodePort: 30080 }],
    });
    const [got] = servicesForNode(source([["services", lb]]), new Set(["team"]));
    expect(got).toMatchObject({
      clusterIP: "10.96.0.40",
      type: "LoadBalancer",
      sessionAffinity: "ClientIP",
      affinitySeconds: 60,
      ports: [{ name: "http", port: 80, protocol: "TCP", nodePort: 30080 }],
    });
  });

  it.each([
    [[], []],
    [["default"], ["default/kubernetes"]],
    [["secret-team"], ["secret-team/db", "default/kubernetes"]],
  ])("namespaces %j → %j", (namespaces, want) => {
    expect(servicesForNode(store, new Set(namespaces)).map((s) => `${s.namespace}/${s.name}`)).toEqual(want);
  });
});

describe("readyEndpoints", () => {
  it("merges an address's ports across subsets and drops non-TCP ports and addresses without an IP", () => {
    const got = readyEndpoints(
      eps("ns", "s", [
        { addresses: [{ ip: "10.0.0.1", nodeName: "n" }, {}], ports: [{ name: "a", port: 1 }] },
        {
          addresses: [{ ip: "10.0.0.1", nodeName: "n" }],
          ports: [
            { name: "b", port: 2, protocol: "TCP" },
            { name: "c", port: 3, protocol: "UDP" },
          ],
        },
      ]),
    );
    expect(got).toEqual([{ ip: "10.0.0.1", nodeName: "n", ports: { a: 1, b: 2 } }]);
  });
});

describe("nodeCIDRs", () => {
  it("lists the nodes that have a pod CIDR, by name", () => {
    const node = (name: string, podCIDR?: string): KubeObject => ({
      apiVersion: "v1",
      kind: "Node",
      metadata: { name },
      spec: podCIDR ? { podCIDR } : {},
    });
    const got = nodeCIDRs(
      source([
        ["nodes", node("b", "10.244.1.0/24")],
        ["nodes", node("c")],
        ["nodes", node("a", "10.244.0.0/24")],
      ]),
    );
    expect(got).toEqual([
      { nodeName: "a", podCIDR: "10.244.0.0/24" },
      { nodeName: "b", podCIDR: "10.244.1.0/24" },
    ]);
  });
});
