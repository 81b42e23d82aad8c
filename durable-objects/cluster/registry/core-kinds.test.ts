import { describe, expect, it } from "vitest";
import { fieldErrorText } from "../../../kube/field-errors.ts";
import type { KubeObject } from "../../../kube/types.ts";
import { configMaps } from "./configmaps.ts";
import { endpoints } from "./endpoints.ts";
import { endpointSlices } from "./endpointslices.ts";
import { coreEvents } from "./events.ts";
import { coreToEventsV1, events, eventsV1ToCore } from "./events-v1.ts";
import { leases } from "./leases.ts";
import { namespaces } from "./namespaces.ts";
import { nodes } from "./nodes.ts";
import { base64Encode, base64ErrorOffset, secrets } from "./secrets.ts";
import { serviceAccounts } from "./serviceaccounts.ts";
import { services } from "./services.ts";
import type { ResourceKind } from "./types.ts";

const NOW = Date.parse("2026-01-01T01:00:00Z");
const CREATED = "2026-01-01T00:00:00Z"; // 60m before NOW

const make = (kind: string, rest: Partial<KubeObject> = {}, meta: KubeObject["metadata"] = {}): KubeObject => ({
  apiVersion: "v1",
  kind,
  metadata: { name: "x", namespace: "default", creationTimestamp: CREATED, ...meta },
  ...rest,
});

/** Cells by column name, as the API layer will compute them. */
function cells(kind: ResourceKind, obj: KubeObject): Record<string, unknown> {
  return Object.fromEntries(kind.columns.map((c) => [c.name, c.cell(obj, { now: NOW })]));
}

function defaulted(kind: ResourceKind, obj: KubeObject): KubeObject {
  kind.prepareForCreate?.(obj);
  kind.defaults?.(obj);
  return obj;
}

const errors = (kind: ResourceKind, obj: KubeObject) => (kind.validate?.(obj) ?? []).map(fieldErrorText);
const updateErrors = (kind: ResourceKind, obj: KubeObject, old: KubeObject) =>
  (kind.validateUpdate?.(obj, old) ?? []).map(fieldErrorText);

describe("kind identity", () => {
  it.each<[ResourceKind, string, string, boolean, string[] | undefined, string]>([
    [namespaces, "", "namespaces", false, ["ns"], "label"],
    [nodes, "", "nodes", false, ["no"], "subdomain"],
    [services, "", "services", true, ["svc"], "label"],
    [endpoints, "", "endpoints", true, ["ep"], "subdomain"],
    [configMaps, "", "configmaps", true, ["cm"], "subdomain"],
    [secrets, "", "secrets", true, undefined, "subdomain"],
    [serviceAccounts, "", "serviceaccounts", true, ["sa"], "subdomain"],
    [coreEvents, "", "events", true, ["ev"], "path-segment"],
    [events, "events.k8s.io", "events", true, ["ev"], "subdomain"],
    [leases, "coordination.k8s.io", "leases", true, undefined, "subdomain"],
    [endpointSlices, "discovery.k8s.io", "endpointslices", true, undefined, "subdomain"],
  ])("%s", (kind, group, plural, namespaced, shortNames, nameRule) => {
    expect([kind.group, kind.plural, kind.namespaced, kind.shortNames, kind.nameRule]).toEqual([
      group,
      plural,
      namespaced,
      shortNames,
      nameRule,
    ]);
  });

  it("puts only services into the `all` category", () => {
    expect(services.categories).toEqual(["all"]);
    expect(configMaps.categories).toBeUndefined();
  });

  it.each<[ResourceKind, string[]]>([
    [namespaces, ["Status", "Age"]],
    [
      nodes,
      [
        "Status",
        "Roles",
        "Age",
        "Version",
        "Internal-IP",
        "External-IP",
        "OS-Image",
        "Kernel-Version",
        "Container-Runtime",
      ],
    ],
    [services, ["Type", "Cluster-IP", "External-IP", "Port(s)", "Age", "Selector"]],
    [endpoints, ["Endpoints", "Age"]],
    [configMaps, ["Data", "Age"]],
    [secrets, ["Type", "Data", "Age"]],
    [serviceAccounts, ["Secrets", "Age"]],
    [
      coreEvents,
      ["Last Seen", "Type", "Reason", "Object", "Subobject", "Source", "Message", "First Seen", "Count", "Name"],
    ],
    [leases, ["Holder", "Age"]],
    [endpointSlices, ["AddressType", "Ports", "Endpoints", "Age"]],
  ])("%s columns in upstream order", (kind, names) => {
    expect(kind.columns.map((c) => c.name)).toEqual(names);
  });

  it("marks the wide-only columns with priority 1", () => {
    const wideOf = (k: ResourceKind) => k.columns.filter((c) => c.priority === 1).map((c) => c.name);
    expect(wideOf(nodes)).toEqual(["Internal-IP", "External-IP", "OS-Image", "Kernel-Version", "Container-Runtime"]);
    expect(wideOf(services)).toEqual(["Selector"]);
    expect(wideOf(coreEvents)).toEqual(["Subobject", "Source", "First Seen", "Count", "Name"]);
  });
});

describe("namespaces", () => {
  it("is created Active with the kubernetes finalizer and its name label", () => {
    const ns = defaulted(namespaces, make("Namespace", {}, { name: "team-a", namespace: undefined }));
    expect(ns.status).toEqual({ phase: "Active" });
    expect(ns.spec).toEqual({ finalizers: ["kubernetes"] });
    expect(ns.metadata.labels).toEqual({ "kubernetes.io/metadata.name": "team-a" });
    expect(cells(namespaces, ns)).toEqual({ Status: "Active", Age: "60m" });
    expect(namespaces.fields?.["status.phase"](ns)).toBe("Active");
  });

  it("validates spec.finalizers", () => {
    const ns = make("Namespace", { spec: { finalizers: ["kubernetes", "custom"] } });
    expect(errors(namespaces, ns)).toEqual([
      'spec.finalizers: Invalid value: "custom": name is neither a standard finalizer name nor is it fully qualified',
    ]);
  });
});

describe("nodes", () => {
  const node = (labels: Record<string, string>, ready?: string, unschedulable = false) =>
    make(
      "Node",
      {
        spec: { unschedulable },
        status: {
          conditions: ready
            ? [
                { type: "MemoryPressure", status: "False" },
                { type: "Ready", status: ready },
              ]
            : [],
          addresses: [
            { type: "InternalIP", address: "192.168.1.5" },
            { type: "Hostname", address: "n1" },
          ],
          nodeInfo: { kubeletVersion: "v1.31.0", osImage: "Debian GNU/Linux 12 (bookworm)" },
        },
      },
      { labels },
    );

  it.each<[Record<string, string>, string | undefined, boolean, string, string]>([
    [{}, "True", false, "Ready", "<none>"],
    [{ "node-role.kubernetes.io/control-plane": "" }, "False", false, "NotReady", "control-plane"],
    [
      { "node-role.kubernetes.io/worker": "", "kubernetes.io/role": "edge" },
      "Unknown",
      false,
      "NotReady",
      "edge,worker",
    ],
    [{ "node-role.kubernetes.io/": "" }, undefined, true, "Unknown,SchedulingDisabled", "<none>"],
    [{}, "True", true, "Ready,SchedulingDisabled", "<none>"],
  ])("labels %j, Ready=%s, cordoned=%s → %s / %s", (labels, ready, unschedulable, status, roles) => {
    const c = cells(nodes, node(labels, ready, unschedulable));
    expect([c.Status, c.Roles]).toEqual([status, roles]);
  });

  it("prints version and wide columns with upstream placeholders", () => {
    expect(cells(nodes, node({}, "True"))).toMatchObject({
      Version: "v1.31.0",
      "Internal-IP": "192.168.1.5",
      "External-IP": "<none>",
      "OS-Image": "Debian GNU/Linux 12 (bookworm)",
      "Kernel-Version": "<unknown>",
      "Container-Runtime": "<unknown>",
    });
    expect(nodes.fields?.["spec.unschedulable"](node({}, "True", true))).toBe("true");
  });

  it("validates taints and frozen spec fields", () => {
    const n = make("Node", { spec: { taints: [{ key: "a", effect: "Sometimes" }, { key: "b" }] } });
    expect(errors(nodes, n)).toEqual([
      'metadata.taints[0].effect: Unsupported value: "Sometimes": supported values: "NoSchedule", "PreferNoSchedule", "NoExecute"',
      "metadata.taints[1].effect: Required value",
    ]);
    const old = make("Node", { spec: { providerID: "p1", podCIDRs: ["10.244.0.0/24"] } });
    const next = make("Node", { spec: { providerID: "p2", podCIDRs: ["10.244.1.0/24"] } });
    expect(updateErrors(nodes, next, old)).toEqual([
      'spec.podCIDRs: Forbidden: node updates may not change podCIDR except from "" to valid',
      'spec.providerID: Forbidden: node updates may not change providerID except from "" to valid',
    ]);
  });
});

describe("services", () => {
  const svc = (spec: Record<string, unknown>) =>
    defaulted(services, make("Service", { spec: { clusterIP: "10.96.0.20", ...spec } }, { name: "web" }));

  it("applies upstream defaults", () => {
    const s = svc({ ports: [{ port: 80 }], selector: { app: "web" } });
    expect(s.spec).toEqual({
      clusterIP: "10.96.0.20",
      clusterIPs: ["10.96.0.20"],
      type: "ClusterIP",
      sessionAffinity: "None",
      ports: [{ port: 80, protocol: "TCP", targetPort: 80 }],
      selector: { app: "web" },
      internalTrafficPolicy: "Cluster",
      ipFamilyPolicy: "SingleStack",
      ipFamilies: ["IPv4"],
    });
    expect(s.status).toEqual({ loadBalancer: {} });
    expect(errors(services, s)).toEqual([]);
  });

  it("defaults NodePort and LoadBalancer traffic fields and headless families", () => {
    expect(svc({ type: "NodePort", ports: [{ port: 80 }] }).spec.externalTrafficPolicy).toBe("Cluster");
    expect(svc({ type: "LoadBalancer", ports: [{ port: 80 }] }).spec.allocateLoadBalancerNodePorts).toBe(true);
    const headless = svc({ clusterIP: "None" });
    expect([headless.spec.clusterIPs, headless.spec.ipFamilyPolicy]).toEqual([["None"], "RequireDualStack"]);
    expect(errors(services, headless)).toEqual([]);
  });

  it.each<[string, Record<string, unknown>, unknown, Record<string, string>]>([
    ["ClusterIP", { ports: [{ port: 80 }] }, undefined, { "External-IP": "<none>", "Port(s)": "80/TCP" }],
    [
      "NodePort",
      {
        type: "NodePort",
        ports: [
          { port: 80, nodePort: 30080 },
          { port: 53, protocol: "UDP" },
        ],
      },
      undefined,
      { "External-IP": "<none>", "Port(s)": "80:30080/TCP,53/UDP" },
    ],
    [
      "LoadBalancer pending",
      { type: "LoadBalancer", ports: [{ port: 443 }] },
      undefined,
      { "External-IP": "<pending>" },
    ],
    [
      "LoadBalancer with ingress",
      { type: "LoadBalancer", ports: [{ port: 443 }], externalIPs: ["1.2.3.4"] },
      { loadBalancer: { ingress: [{ ip: "5.6.7.8" }, { hostname: "lb.example.com" }] } },
      { "External-IP": "5.6.7.8,lb.example.com,1.2.3.4" },
    ],
    [
      "ExternalName",
      { type: "ExternalName", clusterIP: undefined, externalName: "db.example.com" },
      undefined,
      { "External-IP": "db.example.com", "Cluster-IP": "<none>", "Port(s)": "<none>" },
    ],
    [
      "headless",
      { clusterIP: "None", selector: { b: "2", a: "1" } },
      undefined,
      { "Cluster-IP": "None", Selector: "a=1,b=2" },
    ],
  ])("%s cells", (_name, spec, status, expected) => {
    const s = svc(spec);
    if (status) s.status = status;
    expect(cells(services, s)).toMatchObject({ Age: "60m", Selector: expect.any(String), ...expected });
  });

  it.each<[string, Record<string, unknown>, string[]]>([
    ["no ports", {}, ["spec.ports: Required value"]],
    [
      "a port out of range",
      { ports: [{ port: 70000 }] },
      [
        "spec.ports[0].port: Invalid value: 70000: must be between 1 and 65535, inclusive",
        "spec.ports[0].targetPort: Invalid value: 70000: must be between 1 and 65535, inclusive",
      ],
    ],
    [
      "two unnamed ports",
      { ports: [{ port: 80 }, { port: 443 }] },
      ["spec.ports[0].name: Required value", "spec.ports[1].name: Required value"],
    ],
    [
      "duplicate port names",
      {
        ports: [
          { name: "http", port: 80 },
          { name: "http", port: 81 },
        ],
      },
      ['spec.ports[1].name: Duplicate value: "http"'],
    ],
    [
      "a bad protocol",
      { ports: [{ port: 80, protocol: "HTTP" }] },
      ['spec.ports[0].protocol: Unsupported value: "HTTP": supported values: "SCTP", "TCP", "UDP"'],
    ],
    [
      "an unknown type",
      { type: "Magic", ports: [{ port: 80 }] },
      [
        'spec.type: Unsupported value: "Magic": supported values: "ClusterIP", "ExternalName", "LoadBalancer", "NodePort"',
      ],
    ],
    [
      "a node port on a ClusterIP service",
      { ports: [{ port: 80, nodePort: 30001 }] },
      ["spec.ports[0].nodePort: Forbidden: may not be used when `type` is 'ClusterIP'"],
    ],
    [
      "a bad named target port",
      { ports: [{ port: 80, targetPort: "HTTP" }] },
      [
        'spec.ports[0].targetPort: Invalid value: "HTTP": must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)',
        'spec.ports[0].targetPort: Invalid value: "HTTP": must contain at least one letter (a-z)',
      ],
    ],
    [
      "a bad cluster IP",
      { clusterIP: "10.96.0.300", ports: [{ port: 80 }] },
      [
        'spec.clusterIPs[0]: Invalid value: "10.96.0.300": must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)',
      ],
    ],
    [
      "a loopback external IP",
      { externalIPs: ["127.0.0.1"], ports: [{ port: 80 }] },
      ['spec.externalIPs[0]: Invalid value: "127.0.0.1": may not be in the loopback range (127.0.0.0/8, ::1/128)'],
    ],
    [
      "a headless NodePort",
      { type: "NodePort", clusterIP: "None", ports: [{ port: 80 }] },
      ["spec.clusterIPs[0]: Invalid value: \"None\": may not be set to 'None' for NodePort services"],
    ],
  ])("rejects %s", (_name, spec, expected) => {
    expect(errors(services, svc(spec))).toEqual(expected);
  });

  it("rejects names that start with a digit (DNS-1035)", () => {
    const s = defaulted(services, make("Service", { spec: { ports: [{ port: 80 }] } }, { name: "1web" }));
    expect(errors(services, s)).toEqual([
      "metadata.name: Invalid value: \"1web\": a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')",
    ]);
  });

  it("keeps the cluster IP on update", () => {
    const old = svc({ ports: [{ port: 80 }] });
    const next = svc({ clusterIP: "10.96.0.21", ports: [{ port: 80 }] });
    expect(updateErrors(services, next, old)).toEqual([
      'spec.clusterIPs[0]: Invalid value: []string{"10.96.0.21"}: may not change once set',
    ]);
    expect(updateErrors(services, svc({ ports: [{ port: 8080 }] }), old)).toEqual([]);
  });

  it("selects by spec.type and spec.clusterIP", () => {
    const s = svc({ ports: [{ port: 80 }] });
    expect([services.fields?.["spec.type"](s), services.fields?.["spec.clusterIP"](s)]).toEqual([
      "ClusterIP",
      "10.96.0.20",
    ]);
  });
});

describe("endpoints", () => {
  const ep = (subsets: unknown[]) => defaulted(endpoints, make("Endpoints", { subsets }));

  it.each<[unknown[], string]>([
    [[], "<none>"],
    [[{ addresses: [{ ip: "10.0.0.1" }], ports: [{ port: 80 }] }], "10.0.0.1:80"],
    [[{ addresses: [{ ip: "10.0.0.1" }, { ip: "fd00::1" }] }], "10.0.0.1,fd00::1"],
    [
      [
        {
          addresses: [{ ip: "10.0.0.1" }, { ip: "10.0.0.2" }],
          ports: [
            { name: "a", port: 80 },
            { name: "b", port: 443 },
          ],
        },
      ],
      "10.0.0.1:80,10.0.0.2:80,10.0.0.1:443 + 1 more...",
    ],
    [[{ addresses: [{ ip: "fd00::1" }], ports: [{ port: 80 }] }], "[fd00::1]:80"],
  ])("%j prints %s", (subsets, text) => {
    expect(cells(endpoints, ep(subsets)).Endpoints).toBe(text);
  });

  it("defaults port protocols and validates subsets", () => {
    const e = ep([{ addresses: [{ ip: "10.0.0.1" }], ports: [{ port: 80 }] }]);
    expect(e.subsets).toEqual([{ addresses: [{ ip: "10.0.0.1" }], ports: [{ port: 80, protocol: "TCP" }] }]);
    expect(errors(endpoints, e)).toEqual([]);
    expect(errors(endpoints, ep([{ ports: [{ port: 0 }] }]))).toEqual([
      "subsets[0]: Required value: must specify `addresses` or `notReadyAddresses`",
      "subsets[0].ports[0].port: Invalid value: 0: must be between 1 and 65535, inclusive",
    ]);
    expect(errors(endpoints, ep([{ addresses: [{ ip: "169.254.1.1" }] }]))).toEqual([
      'subsets[0].addresses[0].ip: Invalid value: "169.254.1.1": may not be in the link-local range (169.254.0.0/16, fe80::/10)',
    ]);
  });
});

const KEY_MSG =
  "a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+')";

describe("configmaps", () => {
  it("counts data and binaryData", () => {
    const cm = make("ConfigMap", { data: { a: "1", b: "2" }, binaryData: { c: "AA==" } });
    expect(cells(configMaps, cm)).toEqual({ Data: 3, Age: "60m" });
  });

  it.each<[Partial<KubeObject>, string[]]>([
    [{ data: { "good.key_1-x": "v" } }, []],
    [{ data: { "bad key": "v" } }, [`data[bad key]: Invalid value: "bad key": ${KEY_MSG}`]],
    [{ data: { "..x": "v" } }, [`data[..x]: Invalid value: "..x": must not start with '..'`]],
    [
      { data: { a: "v" }, binaryData: { a: "AA==" } },
      ['data[a]: Invalid value: "a": duplicate of key present in binaryData'],
    ],
    [{ data: { a: "x".repeat(1024 * 1024 + 1) } }, [": Too long: must have at most 1048576 bytes"]],
  ])("%#", (fields, expected) => {
    expect(errors(configMaps, make("ConfigMap", fields))).toEqual(expected);
  });

  it("freezes immutable config maps", () => {
    const old = make("ConfigMap", { immutable: true, data: { a: "1" } });
    expect(updateErrors(configMaps, make("ConfigMap", { immutable: true, data: { a: "1" } }), old)).toEqual([]);
    expect(updateErrors(configMaps, make("ConfigMap", { data: { a: "2" } }), old)).toEqual([
      "immutable: Forbidden: field is immutable when `immutable` is set",
      "data: Forbidden: field is immutable when `immutable` is set",
    ]);
  });
});

describe("secrets", () => {
  it("defaults the type and folds stringData into data", () => {
    const s = defaulted(secrets, make("Secret", { data: { a: "eA==" }, stringData: { a: "héllo", b: "x" } }));
    expect(s.type).toBe("Opaque");
    expect(s.data).toEqual({ a: "aMOpbGxv", b: "eA==" });
    expect(s.stringData).toBeUndefined();
    expect(cells(secrets, s)).toEqual({ Type: "Opaque", Data: 2, Age: "60m" });
    expect(secrets.fields?.type(s)).toBe("Opaque");
  });

  it.each<[string, number]>([
    ["", -1],
    ["YQ==", -1],
    ["YWI=", -1],
    ["YWJj", -1],
    ["YW\nJj", -1],
    ["YWJ", 0],
    ["YWJjZ", 4],
    ["Y!==", 1],
    ["Y===", 1],
  ])("base64 %j fails at %d", (text, at) => {
    expect(base64ErrorOffset(text)).toBe(at);
  });

  it("encodes UTF-8 as Go does", () => {
    expect([base64Encode(""), base64Encode("a"), base64Encode("ab"), base64Encode("abc")]).toEqual([
      "",
      "YQ==",
      "YWI=",
      "YWJj",
    ]);
  });

  it.each<[Partial<KubeObject>, string[]]>([
    [{ type: "Opaque", data: { k: "dg==" } }, []],
    [{ type: "Opaque", data: { "a/b": "dg==" } }, [`data[a/b]: Invalid value: "a/b": ${KEY_MSG}`]],
    [
      { type: "Opaque", data: { k: "not base64!" } },
      ['data[k]: Invalid value: "<secret contents redacted>": illegal base64 data at input byte 3'],
    ],
    [{ type: "kubernetes.io/tls", data: {} }, ["data[tls.crt]: Required value", "data[tls.key]: Required value"]],
    [{ type: "kubernetes.io/basic-auth", data: { password: "" } }, []],
    [{ type: "kubernetes.io/dockerconfigjson", data: {} }, ["data[.dockerconfigjson]: Required value"]],
    [
      { type: "kubernetes.io/service-account-token", data: {} },
      ["metadata.annotations[kubernetes.io/service-account.name]: Required value"],
    ],
  ])("%#", (fields, expected) => {
    expect(errors(secrets, make("Secret", fields))).toEqual(expected);
  });

  it("keeps type and immutable data fixed", () => {
    const old = make("Secret", { type: "Opaque", immutable: true, data: { a: "YQ==" } });
    expect(
      updateErrors(secrets, make("Secret", { type: "kubernetes.io/tls", immutable: true, data: { a: "Yg==" } }), old),
    ).toEqual([
      'type: Invalid value: "kubernetes.io/tls": field is immutable',
      "data: Forbidden: field is immutable when `immutable` is set",
    ]);
  });
});

describe("serviceaccounts", () => {
  it("reduces secret references to names and counts them", () => {
    const sa = defaulted(
      serviceAccounts,
      make("ServiceAccount", { secrets: [{ name: "tok", namespace: "x", uid: "u" }] }),
    );
    expect(sa.secrets).toEqual([{ name: "tok" }]);
    expect(cells(serviceAccounts, sa)).toEqual({ Secrets: 1, Age: "60m" });
  });
});

describe("events", () => {
  const coreEvent = (rest: Partial<KubeObject>) =>
    make(
      "Event",
      {
        involvedObject: { kind: "Pod", name: "web-1", namespace: "default", fieldPath: "spec.containers{web}" },
        reason: "Pulled",
        message: "  Pulled image  \n",
        type: "Normal",
        source: { component: "kubelet", host: "n1" },
        firstTimestamp: "2026-01-01T00:30:00Z",
        lastTimestamp: "2026-01-01T00:55:00Z",
        count: 3,
        ...rest,
      },
      { name: "web-1.abc" },
    );

  it("prints upstream's event row", () => {
    expect(cells(coreEvents, coreEvent({}))).toEqual({
      "Last Seen": "5m",
      Type: "Normal",
      Reason: "Pulled",
      Object: "pod/web-1",
      Subobject: "spec.containers{web}",
      Source: "kubelet, n1",
      Message: "Pulled image",
      "First Seen": "30m",
      Count: 3,
      Name: "web-1.abc",
    });
  });

  it("prints new-style events from eventTime and series", () => {
    const e = coreEvent({
      source: undefined,
      firstTimestamp: undefined,
      lastTimestamp: undefined,
      count: undefined,
      eventTime: "2026-01-01T00:40:00.000000Z",
      reportingComponent: "default-scheduler",
      involvedObject: { kind: "Node" },
    });
    expect(cells(coreEvents, e)).toMatchObject({
      "Last Seen": "20m",
      "First Seen": "20m",
      Count: 1,
      Object: "node",
      Source: "default-scheduler",
    });
    e.series = { count: 7, lastObservedTime: "2026-01-01T00:59:00.000000Z" };
    expect(cells(coreEvents, e)).toMatchObject({ "Last Seen": "60s", Count: 7 });
  });

  it("selects by involvedObject, reason, source and type", () => {
    const e = coreEvent({ reportingComponent: "kubelet" });
    const f = coreEvents.fields ?? {};
    expect(
      ["involvedObject.kind", "involvedObject.name", "reason", "source", "type", "reportingComponent"].map((k) =>
        f[k](e),
      ),
    ).toEqual(["Pod", "web-1", "Pulled", "kubelet", "Normal", "kubelet"]);
  });

  it("applies legacy validation", () => {
    expect(errors(coreEvents, coreEvent({}))).toEqual([]);
    expect(errors(coreEvents, coreEvent({ involvedObject: { kind: "Pod", name: "p", namespace: "other" } }))).toEqual([
      'involvedObject.namespace: Invalid value: "other": does not match event.namespace',
    ]);
    const newStyle = coreEvent({ eventTime: "2026-01-01T00:00:00.000000Z" });
    expect(errors(coreEvents, newStyle)).toEqual([
      "reportingController: Required value",
      'reportingController: Invalid value: "": name part must be non-empty',
      "reportingInstance: Required value",
      "action: Required value",
    ]);
  });

  it("converts events.k8s.io/v1 to and from core/v1", () => {
    const v1 = coreToEventsV1(coreEvent({ reportingComponent: "kubelet" }));
    expect(v1).toMatchObject({
      apiVersion: "events.k8s.io/v1",
      regarding: { kind: "Pod", name: "web-1" },
      note: "  Pulled image  \n",
      deprecatedSource: { component: "kubelet", host: "n1" },
      deprecatedCount: 3,
      reportingController: "kubelet",
    });
    expect(v1.involvedObject).toBeUndefined();
    expect(eventsV1ToCore(v1)).toEqual(coreEvent({ reportingComponent: "kubelet" }));
    expect(cells(events, v1)).toEqual(cells(coreEvents, coreEvent({ reportingComponent: "kubelet" })));
    expect(events.fields?.["regarding.name"](v1)).toBe("web-1");
    expect(events.fields?.reportingController(v1)).toBe("kubelet");
  });

  it("applies the strict events.k8s.io/v1 rules", () => {
    const good = {
      apiVersion: "events.k8s.io/v1",
      kind: "Event",
      metadata: { name: "e1", namespace: "default" },
      eventTime: "2026-01-01T00:00:00.000000Z",
      regarding: { kind: "Pod", name: "p", namespace: "default" },
      reason: "Started",
      action: "Start",
      type: "Normal",
      reportingController: "example.com/ctl",
      reportingInstance: "ctl-1",
    };
    expect(errors(events, good)).toEqual([]);
    expect(errors(events, { ...good, type: "Odd", deprecatedCount: 2, series: { count: 1 } })).toEqual([
      'series.count: Invalid value: "": should be at least 2',
      "series.lastObservedTime: Required value",
      'type: Invalid value: "": has invalid value: Odd',
      'count: Invalid value: "": needs to be unset',
    ]);
    expect(updateErrors(events, { ...good, note: "changed" }, good)).toEqual([
      'message: Invalid value: "changed": field is immutable',
    ]);
  });
});

describe("leases", () => {
  it("prints the holder and validates the spec", () => {
    const l = make("Lease", { spec: { holderIdentity: "node-1", leaseDurationSeconds: 40 } });
    expect(cells(leases, l)).toEqual({ Holder: "node-1", Age: "60m" });
    expect(errors(leases, l)).toEqual([]);
    expect(
      errors(leases, make("Lease", { spec: { leaseDurationSeconds: 0, leaseTransitions: -1, strategy: "Newest" } })),
    ).toEqual([
      "spec.leaseDurationSeconds: Invalid value: 0: must be greater than 0",
      "spec.leaseTransitions: Invalid value: -1: must be greater than or equal to 0",
      'spec.strategy.strategy: Unsupported value: "Newest": supported values: "OldestEmulationVersion"',
    ]);
  });
});

describe("endpointslices", () => {
  const slice = (rest: Partial<KubeObject>) =>
    defaulted(endpointSlices, { ...make("EndpointSlice", rest), apiVersion: "discovery.k8s.io/v1" });

  it.each<[Partial<KubeObject>, Record<string, string>]>([
    [{ addressType: "IPv4" }, { Ports: "<unset>", Endpoints: "<unset>" }],
    [
      {
        addressType: "IPv4",
        ports: [{ port: 80 }, { name: "dns" }, {}, { port: 9 }],
        endpoints: [{ addresses: ["10.0.0.1", "10.0.0.2"] }, { addresses: ["10.0.0.3", "10.0.0.4"] }],
      },
      { Ports: "80,dns,* + 1 more...", Endpoints: "10.0.0.1,10.0.0.2,10.0.0.3 + 1 more..." },
    ],
  ])("%#", (rest, expected) => {
    expect(cells(endpointSlices, slice(rest))).toMatchObject({
      AddressType: rest.addressType,
      Age: "60m",
      ...expected,
    });
  });

  it("defaults ports and validates", () => {
    const s = slice({ addressType: "IPv4", ports: [{ port: 80 }], endpoints: [{ addresses: ["10.0.0.1"] }] });
    expect(s.ports).toEqual([{ port: 80, name: "", protocol: "TCP" }]);
    expect(errors(endpointSlices, s)).toEqual([]);
    expect(errors(endpointSlices, slice({ endpoints: [{ addresses: [] }] }))).toEqual([
      "addressType: Required value",
      "endpoints[0].addresses: Required value: must contain at least 1 address",
    ]);
    expect(errors(endpointSlices, slice({ addressType: "IP" }))).toEqual([
      'addressType: Unsupported value: "IP": supported values: "FQDN", "IPv4", "IPv6"',
    ]);
    expect(errors(endpointSlices, slice({ addressType: "IPv6", endpoints: [{ addresses: ["10.0.0.1"] }] }))).toEqual([
      'endpoints[0].addresses[0]: Invalid value: "10.0.0.1": must be a valid IPv6 address',
    ]);
    expect(updateErrors(endpointSlices, slice({ addressType: "IPv6" }), slice({ addressType: "IPv4" }))).toEqual([
      'addressType: Invalid value: "IPv6": field is immutable',
    ]);
  });
});
