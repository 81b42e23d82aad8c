import { describe, expect, it } from "vitest";
import type { KubeObject } from "../../../kube/types.ts";
import type { ChangeType } from "../store/change-log.ts";
import type { Change } from "../store/object-store.ts";
import { ClusterDNSIndex, type DNSSource, dnsService, parseDNSAsk } from "./dns-sync.ts";
import { endpointsObject, serviceObject } from "./test-objects.ts";

const svc = serviceObject;
const eps = endpointsObject;
const ns = (name: string): KubeObject => ({ apiVersion: "v1", kind: "Namespace", metadata: { name } });

/** A store stand-in: objects by resource, a revision bumped by each change it emits. */
function fakeStore(initial: [string, KubeObject][]) {
  const objects = new Map<string, [string, KubeObject]>();
  const key = (r: string, o: KubeObject) => `${r}/${o.metadata.namespace ?? ""}/${o.metadata.name}`;
  for (const [r, o] of initial) objects.set(key(r, o), [r, o]);
  const store: DNSSource & { revision: number } = {
    revision: 7,
    list: (resource, namespace) =>
      [...objects.values()]
        .filter(([r, o]) => r === resource && (namespace === undefined || o.metadata.namespace === namespace))
        .map(([, object]) => ({ object })),
    get: (resource, namespace, name) => {
      const found = objects.get(`${resource}/${namespace ?? ""}/${name}`);
      return found && { object: found[1] };
    },
  };
  const apply = (index: ClusterDNSIndex, type: ChangeType, resource: string, object: KubeObject) => {
    if (type === "DELETED") objects.delete(key(resource, object));
    else objects.set(key(resource, object), [resource, object]);
    store.revision++;
    index.onChange({ type, entry: { key: "", resource, object, json: "", revision: store.revision } } as Change);
  };
  return { store, apply };
}

const seed: [string, KubeObject][] = [
  ["namespaces", ns("default")],
  ["namespaces", ns("team")],
  ["services", svc("default", "kubernetes", { clusterIP: "10.96.0.1", ports: [{ name: "https", port: 443 }] })],
  ["services", svc("team", "web", { clusterIP: "10.96.0.20", clusterIPs: ["10.96.0.20"], ports: [{ port: 80 }] })],
  ["services", svc("team", "db", { clusterIP: "None", ports: [{ name: "pg", port: 5432 }] })],
  ["services", svc("team", "ext", { type: "ExternalName", externalName: "example.com", ports: [] })],
  ["endpoints", eps("team", "web", [{ addresses: [{ ip: "10.244.0.5" }], ports: [{ port: 8080 }] }])],
  [
    "endpoints",
    eps("team", "db", [
      {
        addresses: [{ ip: "10.244.0.7", hostname: "db-0", targetRef: { kind: "Pod", name: "db-0" } }],
        notReadyAddresses: [{ ip: "10.244.0.8", hostname: "db-1" }],
        ports: [{ name: "pg", port: 5432, protocol: "TCP" }],
      },
    ]),
  ],
];

describe("dnsService", () => {
  it("gives cluster IPs, ExternalName targets, and ready endpoints for headless Services only", () => {
    const { store } = fakeStore(seed);
    const index = new ClusterDNSIndex(store);
    const data = index.forAgent(undefined)!;
    expect(data.version).toBe("7");
    expect(data.namespaces).toEqual(["default", "team"]);
    const byName = Object.fromEntries(data.services.map((s) => [s.name, s]));
    expect(byName.web).toEqual({
      namespace: "team",
      name: "web",
      type: "ClusterIP",
      clusterIPs: ["10.96.0.20"],
      ports: [{ name: "", port: 80, protocol: "TCP" }],
    });
    expect(byName.kubernetes.clusterIPs).toEqual(["10.96.0.1"]);
    expect(byName.db).toMatchObject({
      clusterIPs: [],
      endpoints: [
        { ip: "10.244.0.7", hostname: "db-0", podName: "db-0", ports: [{ name: "pg", port: 5432, protocol: "TCP" }] },
      ],
    });
    expect(byName.ext).toEqual({
      namespace: "team",
      name: "ext",
      type: "ExternalName",
      clusterIPs: [],
      externalName: "example.com",
      ports: [],
    });
  });

  it("survives malformed stored fields", () => {
    expect(dnsService(svc("a", "b", { clusterIPs: "x", ports: "y" }), eps("a", "b", [])).clusterIPs).toEqual([]);
  });
});

describe("ClusterDNSIndex", () => {
  it("answers nothing to an agent holding the current version, and the new data after a change", () => {
    const { store, apply } = fakeStore(seed);
    let woken = 0;
    const index = new ClusterDNSIndex(store, () => woken++);
    const first = index.forAgent(undefined)!;
    expect(index.forAgent(first.version)).toBeUndefined();
    apply(index, "ADDED", "services", svc("team", "late", { clusterIP: "10.96.0.30", ports: [{ port: 81 }] }));
    const next = index.forAgent(first.version)!;
    expect(next.version).not.toBe(first.version);
    expect(next.services.map((s) => s.name)).toContain("late");
    expect(woken).toBe(1);
  });

  it("ignores endpoints churn of Services with a cluster IP, follows that of headless ones", () => {
    const { store, apply } = fakeStore(seed);
    let woken = 0;
    const index = new ClusterDNSIndex(store, () => woken++);
    const v = index.version;
    apply(index, "MODIFIED", "endpoints", eps("team", "web", [{ addresses: [{ ip: "10.244.0.9" }] }]));
    expect(index.version).toBe(v);
    expect(woken).toBe(0);
    apply(index, "MODIFIED", "endpoints", eps("team", "db", [{ addresses: [{ ip: "10.244.0.9" }] }]));
    expect(index.version).not.toBe(v);
    const db = index.forAgent(v)!.services.find((s) => s.name === "db")!;
    expect(db.endpoints).toEqual([{ ip: "10.244.0.9", ports: [] }]);
    apply(index, "DELETED", "endpoints", eps("team", "db", []));
    expect(index.forAgent(undefined)!.services.find((s) => s.name === "db")!.endpoints).toEqual([]);
  });

  it("drops deleted Services and tracks namespaces coming and going, not their updates", () => {
    const { store, apply } = fakeStore(seed);
    const index = new ClusterDNSIndex(store);
    apply(index, "DELETED", "services", svc("team", "web", {}));
    expect(index.forAgent(undefined)!.services.map((s) => s.name)).not.toContain("web");
    apply(index, "ADDED", "namespaces", ns("shop"));
    const v = index.version;
    apply(index, "MODIFIED", "namespaces", ns("shop"));
    expect(index.version).toBe(v);
    apply(index, "DELETED", "namespaces", ns("team"));
    expect(index.forAgent(undefined)!.namespaces).toEqual(["default", "shop"]);
  });

  it("does not move for a Service update DNS cannot see", () => {
    const { store, apply } = fakeStore(seed);
    const index = new ClusterDNSIndex(store);
    const v = index.version;
    const web = svc("team", "web", { clusterIP: "10.96.0.20", clusterIPs: ["10.96.0.20"], ports: [{ port: 80 }] });
    web.metadata.labels = { changed: "yes" };
    apply(index, "MODIFIED", "services", web);
    expect(index.version).toBe(v);
  });
});

describe("parseDNSAsk", () => {
  it.each([
    [
      { wantDNS: true, dnsVersion: "12" },
      { want: true, version: "12" },
    ],
    [
      { wantDNS: "yes", dnsVersion: 12 },
      { want: false, version: undefined },
    ],
    [null, { want: false, version: undefined }],
  ])("%j → %j", (body, want) => expect(parseDNSAsk(body)).toEqual(want));
});
