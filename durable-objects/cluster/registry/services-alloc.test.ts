import { describe, expect, it } from "vitest";
import { fieldErrorText } from "../../../kube/field-errors.ts";
import type { KubeObject } from "../../../kube/types.ts";
import {
  allocateClusterIP,
  allocateNodePort,
  assignServiceAddresses,
  clusterIPInRange,
  prepareServiceUpdate,
} from "./services-alloc.ts";
import { services } from "./services.ts";

const svc = (spec: Record<string, unknown>): KubeObject => {
  const o: KubeObject = { apiVersion: "v1", kind: "Service", metadata: { name: "web", namespace: "default" }, spec };
  services.defaults?.(o);
  return o;
};

const none = { clusterIPs: new Set<string>(), nodePorts: new Set<number>() };

describe("allocateClusterIP", () => {
  it("prefers the upper band of 10.96.0.0/12 and skips used addresses", () => {
    expect(allocateClusterIP(new Set(), () => 0)).toBe("10.96.1.1");
    expect(allocateClusterIP(new Set(["10.96.1.1"]), () => 0)).toBe("10.96.1.2");
    expect(allocateClusterIP(new Set(), () => 0.999999999)).toBe("10.111.255.254");
  });

  it.each([
    ["10.96.0.1", true],
    ["10.111.255.254", true],
    ["10.96.0.0", false],
    ["10.111.255.255", false],
    ["10.112.0.1", false],
    ["fd00::1", false],
  ])("%s in range: %s", (ip, inRange) => {
    expect(clusterIPInRange(ip)).toBe(inRange);
  });
});

describe("allocateNodePort", () => {
  it("allocates from 30000-32767, upper band first", () => {
    expect(allocateNodePort(new Set(), () => 0)).toBe(30086);
    expect(allocateNodePort(new Set([30086]), () => 0)).toBe(30087);
  });

  it("falls back to the lower band and reports a full range", () => {
    const used = new Set<number>();
    for (let p = 30086; p <= 32767; p++) used.add(p);
    expect(allocateNodePort(used, () => 0)).toBe(30000);
    for (let p = 30000; p < 30086; p++) used.add(p);
    expect(allocateNodePort(used, () => 0)).toBeUndefined();
  });
});

describe("assignServiceAddresses", () => {
  it("allocates a cluster IP and node ports for a NodePort service", () => {
    const s = svc({
      type: "NodePort",
      ports: [
        { name: "a", port: 80 },
        { name: "b", port: 81, nodePort: 31000 },
      ],
    });
    expect(assignServiceAddresses(s, none, () => 0)).toEqual([]);
    expect(s.spec.clusterIP).toBe("10.96.1.1");
    expect(s.spec.clusterIPs).toEqual(["10.96.1.1"]);
    expect(s.spec.ports.map((p: { nodePort: number }) => p.nodePort)).toEqual([30086, 31000]);
    expect(services.validate?.(s)).toEqual([]);
  });

  it("leaves headless and ExternalName services without an address", () => {
    const headless = svc({ clusterIP: "None" });
    expect(assignServiceAddresses(headless, none)).toEqual([]);
    expect(headless.spec.clusterIP).toBe("None");
    const ext = svc({ type: "ExternalName", externalName: "db.example.com" });
    assignServiceAddresses(ext, none);
    expect(ext.spec.clusterIP).toBeUndefined();
  });

  it.each<[Record<string, unknown>, string]>([
    [
      { clusterIP: "10.96.0.10", ports: [{ port: 53 }] },
      'spec.clusterIPs: Invalid value: []string{"10.96.0.10"}: failed to allocate IP 10.96.0.10: provided IP is already allocated',
    ],
    [
      { clusterIP: "192.168.0.1", ports: [{ port: 53 }] },
      'spec.clusterIPs: Invalid value: []string{"192.168.0.1"}: failed to allocate IP 192.168.0.1: the provided IP (192.168.0.1) is not in the valid range. The range of valid IPs is 10.96.0.0/12',
    ],
    [
      { type: "NodePort", ports: [{ port: 80, nodePort: 30080 }] },
      "spec.ports[0].nodePort: Invalid value: 30080: provided port is already allocated",
    ],
    [
      { type: "NodePort", ports: [{ port: 80, nodePort: 8080 }] },
      "spec.ports[0].nodePort: Invalid value: 8080: provided port is not in the valid range. The range of valid ports is 30000-32767",
    ],
  ])("rejects %j", (spec, text) => {
    const used = { clusterIPs: new Set(["10.96.0.10"]), nodePorts: new Set([30080]) };
    expect(assignServiceAddresses(svc(spec), used).map(fieldErrorText)).toEqual([text]);
  });

  it("allocates a health-check port for LoadBalancer services with Local traffic", () => {
    const s = svc({ type: "LoadBalancer", externalTrafficPolicy: "Local", ports: [{ port: 80 }] });
    assignServiceAddresses(s, none, () => 0);
    expect(s.spec.healthCheckNodePort).toBe(30087);
    expect(services.validate?.(s)).toEqual([]);
  });
});

describe("prepareServiceUpdate", () => {
  it("keeps allocated values a client left out", () => {
    const old = svc({ type: "NodePort", clusterIP: "10.96.5.5", ports: [{ name: "http", port: 80, nodePort: 30555 }] });
    const next: KubeObject = { ...old, spec: { type: "NodePort", ports: [{ name: "http", port: 8080 }] } };
    prepareServiceUpdate(next, old);
    services.defaults?.(next);
    expect(next.spec.clusterIP).toBe("10.96.5.5");
    expect(next.spec.clusterIPs).toEqual(["10.96.5.5"]);
    expect(next.spec.ports[0].nodePort).toBe(30555);
    expect(services.validateUpdate?.(next, old)).toEqual([]);
  });
});
