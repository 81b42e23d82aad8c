// networking.k8s.io/v1 Ingress and IngressClass through the API: discovery, the built-in default class
// `flotilla`, DefaultIngressClass admission, upstream's 422s for bad Ingresses (field paths and messages as
// pkg/apis/networking/validation has them), the Tables kubectl prints, and the edge's load-balancer
// controller filling status.loadBalancer for the edge's Ingresses and LoadBalancer Services only.
import { describe, expect, it } from "vitest";
import { type Json, NS, until } from "../controllers/workers-helpers.ts";
import { newCluster } from "../testing/cluster-client.ts";

const TABLE = { accept: "application/json;as=Table;v=v1;g=meta.k8s.io" };
const NET = "/apis/networking.k8s.io/v1";
const ING = `${NET}/namespaces/default/ingresses`;

const path = (
  p: string,
  pathType: string | undefined,
  backend: Json = { service: { name: "web", port: { number: 80 } } },
) => ({
  path: p,
  ...(pathType ? { pathType } : {}),
  backend,
});
const ingress = (name: string, spec: Json, annotations?: Record<string, string>) => ({
  apiVersion: "networking.k8s.io/v1",
  kind: "Ingress",
  metadata: { name, ...(annotations ? { annotations } : {}) },
  spec,
});
const rules = (...paths: Json[]) => ({ rules: [{ http: { paths } }] });

describe("Ingress and IngressClass", () => {
  it("are discovered, and every cluster starts with the default class flotilla", async () => {
    const c = await newCluster();
    const group = await c.request("GET", NET);
    expect(group.status).toBe(200);
    const names = group.body.resources.map((r: Json) => r.name);
    expect(names).toEqual(expect.arrayContaining(["ingresses", "ingresses/status", "ingressclasses"]));
    const table = await c.request("GET", `${NET}/ingressclasses`, undefined, TABLE);
    expect(table.body.columnDefinitions.map((d: Json) => d.name)).toEqual(["Name", "Controller", "Parameters", "Age"]);
    expect(table.body.rows.map((r: Json) => r.cells.slice(0, 3))).toEqual([
      ["flotilla", "flotilla.dev/ingress", "<none>"],
    ]);
    const cls = await c.request("GET", `${NET}/ingressclasses/flotilla`);
    expect(cls.body.metadata.annotations).toEqual({ "ingressclass.kubernetes.io/is-default-class": "true" });
  });

  it("gives an Ingress without a class the default one, and the edge sets its address", async () => {
    const c = await newCluster();
    const made = await c.request("POST", ING, ingress("site", rules(path("/", "Prefix"))));
    expect(made.status).toBe(201);
    expect(made.body.spec.ingressClassName).toBe("flotilla");
    expect(made.body.status).toEqual({ loadBalancer: {} });
    const address = await until(async () => {
      const got = await c.request("GET", `${ING}/site`);
      return got.body.status?.loadBalancer?.ingress?.[0]?.hostname as string | undefined;
    }, "the ingress address");
    expect(address).toBe(`${c.id}.edge.test`);
    const table = await c.request("GET", `${ING}/site`, undefined, TABLE);
    expect(table.body.columnDefinitions.map((d: Json) => d.name)).toEqual([
      "Name",
      "Class",
      "Hosts",
      "Address",
      "Ports",
      "Age",
    ]);
    expect(table.body.rows[0].cells.slice(0, 5)).toEqual(["site", "flotilla", "*", address, "80"]);

    // The legacy annotation keeps the class unset, as upstream's admission does; a class of another
    // controller is left alone by the edge.
    const legacy = await c.request(
      "POST",
      ING,
      ingress("legacy", rules(path("/", "Prefix")), { "kubernetes.io/ingress.class": "nginx" }),
    );
    expect(legacy.body.spec.ingressClassName).toBeUndefined();
    const cls = {
      apiVersion: "networking.k8s.io/v1",
      kind: "IngressClass",
      metadata: { name: "other" },
      spec: { controller: "example.com/other" },
    };
    expect((await c.request("POST", `${NET}/ingressclasses`, cls)).status).toBe(201);
    const many = {
      ingressClassName: "other",
      tls: [{ hosts: ["a.example"], secretName: "tls" }],
      rules: ["a.example", "b.example", "c.example", "d.example"].map((host) => ({
        host,
        http: { paths: [path("/", "Exact")] },
      })),
    };
    expect((await c.request("POST", ING, ingress("other", many))).status).toBe(201);
    await until(
      async () => ((await c.request("GET", `${ING}/site`)).body.status?.loadBalancer ? true : undefined),
      "a pass",
    );
    await new Promise((r) => setTimeout(r, 200));
    const other = await c.request("GET", `${ING}/other`, undefined, TABLE);
    expect(other.body.rows[0].cells.slice(0, 5)).toEqual([
      "other",
      "other",
      "a.example,b.example,c.example + 1 more...",
      "",
      "80, 443",
    ]);
    expect((await c.request("GET", `${ING}/legacy`)).body.status).toEqual({ loadBalancer: {} });
  });

  it("gives a LoadBalancer Service a host name and says only HTTP passes; a ClusterIP one keeps none", async () => {
    const c = await newCluster();
    const svc = (name: string, type: string) => ({
      apiVersion: "v1",
      kind: "Service",
      metadata: { name },
      spec: { type, selector: { app: name }, ports: [{ port: 80, targetPort: 8080 }] },
    });
    expect((await c.request("POST", `${NS}/services`, svc("web", "LoadBalancer"))).status).toBe(201);
    expect((await c.request("POST", `${NS}/services`, svc("inner", "ClusterIP"))).status).toBe(201);
    const host = await until(async () => {
      const got = await c.request("GET", `${NS}/services/web`);
      return got.body.status?.loadBalancer?.ingress?.[0]?.hostname as string | undefined;
    }, "the load balancer's host name");
    expect(host).toBe(`web-default-${c.id}.edge.test`);
    const table = await c.request("GET", `${NS}/services/web`, undefined, TABLE);
    expect(table.body.rows[0].cells[3]).toBe(host);
    const events = await until(async () => {
      const list = await c.request("GET", `${NS}/events?fieldSelector=involvedObject.name%3Dweb`);
      return list.body.items.length >= 2 ? list.body.items : undefined;
    }, "the service's events");
    expect(events.map((e: Json) => e.reason).sort()).toEqual(["EdgeHTTPOnly", "EnsuredLoadBalancer"]);
    expect(events.find((e: Json) => e.reason === "EdgeHTTPOnly").message).toMatch(
      /raw TCP and UDP cannot pass the edge/,
    );
    expect((await c.request("GET", `${NS}/services/inner`)).body.status).toEqual({ loadBalancer: {} });

    // Back to ClusterIP: the address is taken back.
    const current = (await c.request("GET", `${NS}/services/web`)).body;
    const { nodePort: _, ...port } = current.spec.ports[0];
    const { allocateLoadBalancerNodePorts: _a, externalTrafficPolicy: _e, ...spec } = current.spec;
    const changed = { ...current, spec: { ...spec, type: "ClusterIP", ports: [port] } };
    expect((await c.request("PUT", `${NS}/services/web`, changed)).status).toBe(200);
    await until(async () => {
      const got = await c.request("GET", `${NS}/services/web`);
      return (got.body.status?.loadBalancer?.ingress ?? []).length === 0 ? true : undefined;
    }, "the address taken back");
  });

  it.each([
    [
      "no rules and no default backend",
      { rules: [] },
      "spec: Invalid value: []networking.IngressRule{}: either `defaultBackend` or `rules` must be specified",
    ],
    [
      "a path without pathType",
      rules(path("/", undefined)),
      "spec.rules[0].http.paths[0].pathType: Required value: pathType must be specified",
    ],
    [
      "a relative Prefix path",
      rules(path("api", "Prefix")),
      'spec.rules[0].http.paths[0].path: Invalid value: "api": must be an absolute path',
    ],
    [
      "an Exact path with //",
      rules(path("/a//b", "Exact")),
      "spec.rules[0].http.paths[0].path: Invalid value: \"/a//b\": must not contain '//'",
    ],
    [
      "an unknown pathType",
      rules(path("/", "Regex")),
      'spec.rules[0].http.paths[0].pathType: Unsupported value: "Regex": supported values: "Exact", "ImplementationSpecific", "Prefix"',
    ],
    [
      "a port name and number",
      rules(path("/", "Prefix", { service: { name: "web", port: { name: "http", number: 80 } } })),
      'spec.rules[0].http.paths[0].backend: Invalid value: "": cannot set both port name & port number',
    ],
    [
      "no port",
      rules(path("/", "Prefix", { service: { name: "web" } })),
      "spec.rules[0].http.paths[0].backend: Required value: port name or number is required",
    ],
    [
      "a service and a resource",
      rules(
        path("/", "Prefix", {
          service: { name: "web", port: { number: 80 } },
          resource: { kind: "Bucket", name: "b" },
        }),
      ),
      'spec.rules[0].http.paths[0].backend: Invalid value: "": cannot set both resource and service backends',
    ],
    [
      "an IP as host",
      { rules: [{ host: "10.0.0.1", http: { paths: [path("/", "Prefix")] } }] },
      'spec.rules[0].host: Invalid value: "10.0.0.1": must be a DNS name, not an IP address',
    ],
    [
      "a wildcard in the middle",
      { rules: [{ host: "a.*.example", http: { paths: [path("/", "Prefix")] } }] },
      "spec.rules[0].host: Invalid value: \"a.*.example\": a wildcard DNS-1123 subdomain must start with '*.'",
    ],
    [
      "a port number out of range",
      { defaultBackend: { service: { name: "web", port: { number: 70000 } } } },
      "spec.defaultBackend.service.port.number: Invalid value: 70000: must be between 1 and 65535, inclusive",
    ],
  ])("refuses %s with upstream's 422 and stores nothing", async (_what, spec, message) => {
    const c = await newCluster();
    const res = await c.request("POST", ING, ingress("bad", spec));
    expect(res.status).toBe(422);
    expect(res.body.reason).toBe("Invalid");
    expect(res.body.message).toContain(`Ingress.networking.k8s.io "bad" is invalid: `);
    expect(res.body.message).toContain(message);
    expect((await c.request("GET", `${ING}/bad`)).status).toBe(404);
  });

  it("keeps an IngressClass's controller immutable and defaults its parameters' scope", async () => {
    const c = await newCluster();
    const cls = {
      apiVersion: "networking.k8s.io/v1",
      kind: "IngressClass",
      metadata: { name: "mine" },
      spec: {
        controller: "example.com/mine",
        parameters: { apiGroup: "k8s.example.com", kind: "IngressParameters", name: "p" },
      },
    };
    const made = await c.request("POST", `${NET}/ingressclasses`, cls);
    expect(made.status).toBe(201);
    expect(made.body.spec.parameters.scope).toBe("Cluster");
    const table = await c.request("GET", `${NET}/ingressclasses/mine`, undefined, TABLE);
    expect(table.body.rows[0].cells.slice(0, 3)).toEqual([
      "mine",
      "example.com/mine",
      "IngressParameters.k8s.example.com/p",
    ]);
    const moved = await c.request("PUT", `${NET}/ingressclasses/mine`, {
      ...made.body,
      spec: { ...made.body.spec, controller: "example.com/x" },
    });
    expect(moved.status).toBe(422);
    expect(moved.body.message).toContain('spec.controller: Invalid value: "example.com/x": field is immutable');
    const bad = await c.request("POST", `${NET}/ingressclasses`, {
      ...cls,
      metadata: { name: "bad" },
      spec: { controller: "nodomain" },
    });
    expect(bad.body.message).toContain(
      'spec.controller: Invalid value: "nodomain": must be a domain-prefixed path (such as "acme.io/foo")',
    );
  });
});
