// Pure resolution tests; run in workerd because the unit config does not cover tunnel/.
import { describe, expect, it } from "vitest";
import { StatusError } from "../../../kube/status.ts";
import type { KubeObject } from "../../../kube/types.ts";
import { isProxyableIP, podTarget, servicePortName, serviceTargets, splitSchemeNamePort } from "./proxy-target.ts";

const pod = (spec: unknown, status: unknown): KubeObject =>
  ({ apiVersion: "v1", kind: "Pod", metadata: { name: "web" }, spec, status }) as KubeObject;

function statusOf(fn: () => unknown): [number, string] | undefined {
  try {
    fn();
    return undefined;
  } catch (error) {
    if (!(error instanceof StatusError)) throw error;
    return [error.code, error.message];
  }
}

describe("splitSchemeNamePort", () => {
  it.each([
    ["web", { scheme: "http", name: "web", port: "" }],
    ["web:8080", { scheme: "http", name: "web", port: "8080" }],
    ["https:web:443", { scheme: "https", name: "web", port: "443" }],
    ["http:web:", { scheme: "http", name: "web", port: "" }],
    [":8080", undefined],
    ["ftp:web:21", undefined],
    ["a:b:c:d", undefined],
  ])("%s", (id, want) => expect(splitSchemeNamePort(id)).toEqual(want));
});

describe("isProxyableIP", () => {
  it.each([
    ["10.88.0.5", true],
    ["192.168.1.2", true],
    ["127.0.0.1", false],
    ["169.254.169.254", false],
    ["0.0.0.0", false],
    ["224.0.0.1", false],
    ["300.1.1.1", false],
    ["", false],
    ["fd00::5", true],
    ["::1", false],
    ["fe80::1", false],
    ["web.example", false],
  ])("%s → %s", (ip, want) => expect(isProxyableIP(ip)).toBe(want));
});

describe("podTarget", () => {
  const running = { podIP: "10.88.0.5", podIPs: [{ ip: "10.88.0.5" }] };
  it("takes the first declared container port when none is given, else 80", () => {
    const spec = { nodeName: "n1", containers: [{ name: "a" }, { name: "b", ports: [{ containerPort: 8080 }] }] };
    expect(podTarget(pod(spec, running), "")).toEqual({ node: "n1", ip: "10.88.0.5", port: 8080, pod: "web" });
    expect(podTarget(pod(spec, running), "9000").port).toBe(9000);
    expect(podTarget(pod({ nodeName: "n1", containers: [{ name: "a" }] }, running), "").port).toBe(80);
  });
  it("refuses pods without a usable address or node, and bad ports", () => {
    const spec = { nodeName: "n1", containers: [{ name: "a" }] };
    expect(statusOf(() => podTarget(pod(spec, {}), ""))).toEqual([400, "address not allowed"]);
    expect(statusOf(() => podTarget(pod(spec, { podIP: "127.0.0.1" }), ""))).toEqual([400, "address not allowed"]);
    expect(statusOf(() => podTarget(pod({ containers: [] }, running), "80"))?.[1]).toBe(
      "pod web does not have a host assigned",
    );
    expect(statusOf(() => podTarget(pod(spec, running), "http"))?.[0]).toBe(400);
    expect(statusOf(() => podTarget(pod(spec, running), "70000"))?.[0]).toBe(400);
  });
});

describe("services", () => {
  const svc = {
    metadata: { name: "web" },
    spec: {
      ports: [
        { name: "http", port: 80 },
        { name: "admin", port: 9000 },
      ],
    },
  } as unknown as KubeObject;
  it("turns a port number into the service port's name", () => {
    expect(servicePortName(svc, "80")).toBe("http");
    expect(servicePortName(svc, "admin")).toBe("admin");
    expect(servicePortName(svc, "")).toBe("");
    expect(statusOf(() => servicePortName(svc, "81"))).toEqual([503, 'no service port 81 found for service "web"']);
  });
  const endpoints = {
    subsets: [
      {
        addresses: [
          { ip: "10.88.0.9", nodeName: "n2", targetRef: { name: "web-c" } },
          { ip: "10.88.0.3", nodeName: "n1", targetRef: { name: "web-a" } },
        ],
        notReadyAddresses: [{ ip: "10.88.0.4", nodeName: "n1" }],
        ports: [
          { name: "http", port: 8080 },
          { name: "admin", port: 9090 },
        ],
      },
    ],
  } as unknown as KubeObject;
  it("lists the ready addresses with the port, in a stable order", () => {
    expect(serviceTargets("web", endpoints, "http")).toEqual([
      { node: "n1", ip: "10.88.0.3", port: 8080, pod: "web-a" },
      { node: "n2", ip: "10.88.0.9", port: 8080, pod: "web-c" },
    ]);
    expect(serviceTargets("web", endpoints, "admin").map((t) => t.port)).toEqual([9090, 9090]);
  });
  it("answers 503 without endpoints, as upstream", () => {
    expect(statusOf(() => serviceTargets("web", undefined, ""))).toEqual([
      503,
      'no endpoints available for service "web"',
    ]);
    expect(statusOf(() => serviceTargets("web:81", endpoints, "other"))?.[1]).toBe(
      'no endpoints available for service "web:81"',
    );
  });
});
