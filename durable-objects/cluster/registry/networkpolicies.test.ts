import { describe, expect, it } from "vitest";
import { fieldErrorText } from "../../../kube/field-errors.ts";
import type { KubeObject, LooseObject } from "../../../kube/types.ts";
import { networkPolicies, parseAnyCIDR } from "./networkpolicies.ts";

const policy = (spec: LooseObject): KubeObject => {
  const o: KubeObject = {
    apiVersion: "networking.k8s.io/v1",
    kind: "NetworkPolicy",
    metadata: { name: "p", namespace: "default" },
    spec,
  };
  networkPolicies.defaults?.(o);
  return o;
};
const errors = (spec: LooseObject) => (networkPolicies.validate?.(policy(spec)) ?? []).map(fieldErrorText);

describe("NetworkPolicy defaults (SetDefaults_NetworkPolicy)", () => {
  it.each([
    ["no rules: Ingress", {}, ["Ingress"]],
    ["ingress rules only: Ingress", { ingress: [{}] }, ["Ingress"]],
    ["egress rules: Ingress and Egress", { egress: [{}] }, ["Ingress", "Egress"]],
    ["given types stay", { policyTypes: ["Egress"], ingress: [{}] }, ["Egress"]],
  ])("%s", (_name, spec, types) => {
    expect(policy(spec).spec?.policyTypes).toEqual(types);
  });

  it("fills an empty podSelector and TCP for ports without a protocol", () => {
    const o = policy({ ingress: [{ ports: [{ port: 80 }, { protocol: "UDP", port: 53 }] }] });
    expect(o.spec?.podSelector).toEqual({});
    expect(o.spec?.ingress[0].ports).toEqual([
      { protocol: "TCP", port: 80 },
      { protocol: "UDP", port: 53 },
    ]);
  });
});

describe("NetworkPolicy validation (ValidateNetworkPolicySpec)", () => {
  it.each([
    ["default deny", { podSelector: {} }],
    [
      "upstream's example",
      {
        podSelector: { matchLabels: { role: "db" } },
        policyTypes: ["Ingress", "Egress"],
        ingress: [
          {
            from: [
              { ipBlock: { cidr: "172.17.0.0/16", except: ["172.17.1.0/24"] } },
              { namespaceSelector: { matchLabels: { project: "myproject" } } },
              { podSelector: { matchLabels: { role: "frontend" } } },
            ],
            ports: [{ protocol: "TCP", port: 6379 }],
          },
        ],
        egress: [
          { to: [{ ipBlock: { cidr: "10.0.0.0/24" } }], ports: [{ protocol: "TCP", port: 32000, endPort: 32768 }] },
        ],
      },
    ],
    ["a named port", { ingress: [{ ports: [{ port: "http" }] }] }],
    ["pod and namespace selectors together", { ingress: [{ from: [{ podSelector: {}, namespaceSelector: {} }] }] }],
    ["an IPv6 block", { egress: [{ to: [{ ipBlock: { cidr: "2001:db8::/64", except: ["2001:db8::/96"] } }] }] }],
    ["endPort equal to port", { egress: [{ ports: [{ port: 80, endPort: 80 }] }] }],
  ])("accepts %s", (_name, spec) => {
    expect(errors(spec)).toEqual([]);
  });

  it.each([
    [
      "endPort without port",
      { egress: [{ ports: [{ endPort: 90 }] }] },
      ["spec.egress[0].ports[0].endPort: Invalid value: 90: may not be specified when `port` is not specified"],
    ],
    [
      "endPort below port",
      { ingress: [{ ports: [{ port: 100, endPort: 90 }] }] },
      ["spec.ingress[0].ports[0].endPort: Invalid value: 90: must be greater than or equal to `port`"],
    ],
    [
      "endPort with a named port",
      { ingress: [{ ports: [{ port: "http", endPort: 90 }] }] },
      ["spec.ingress[0].ports[0].endPort: Invalid value: 90: may not be specified when `port` is non-numeric"],
    ],
    [
      "endPort out of range",
      { ingress: [{ ports: [{ port: 100, endPort: 70000 }] }] },
      ["spec.ingress[0].ports[0].endPort: Invalid value: 70000: must be between 1 and 65535, inclusive"],
    ],
    [
      "port 0",
      { ingress: [{ ports: [{ port: 0 }] }] },
      ["spec.ingress[0].ports[0].port: Invalid value: 0: must be between 1 and 65535, inclusive"],
    ],
    [
      "a bad port name",
      { ingress: [{ ports: [{ port: "HTTP" }] }] },
      [
        'spec.ingress[0].ports[0].port: Invalid value: "HTTP": must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)',
        'spec.ingress[0].ports[0].port: Invalid value: "HTTP": must contain at least one letter (a-z)',
      ],
    ],
    [
      "an unknown protocol",
      { ingress: [{ ports: [{ protocol: "ICMP", port: 1 }] }] },
      ['spec.ingress[0].ports[0].protocol: Unsupported value: "ICMP": supported values: "TCP", "UDP", "SCTP"'],
    ],
    ["an empty peer", { ingress: [{ from: [{}] }] }, ["spec.ingress[0].from[0]: Required value: must specify a peer"]],
    [
      "ipBlock beside a selector",
      { egress: [{ to: [{ podSelector: {}, ipBlock: { cidr: "10.0.0.0/8" } }] }] },
      ["spec.egress[0].to[0]: Forbidden: may not specify both ipBlock and another peer"],
    ],
    [
      "a block without cidr",
      { egress: [{ to: [{ ipBlock: { cidr: "" } }] }] },
      ["spec.egress[0].to[0].ipBlock.cidr: Required value"],
    ],
    [
      "a bad cidr",
      { egress: [{ to: [{ ipBlock: { cidr: "10.0.0.0/33" } }] }] },
      [
        'spec.egress[0].to[0].ipBlock.cidr: Invalid value: "10.0.0.0/33": must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)',
      ],
    ],
    [
      "an except outside cidr, and one as wide",
      { ingress: [{ from: [{ ipBlock: { cidr: "10.1.0.0/16", except: ["10.2.0.0/24", "10.1.0.0/16"] } }] }] },
      [
        'spec.ingress[0].from[0].ipBlock.except[0]: Invalid value: "10.2.0.0/24": must be a strict subset of `cidr`',
        'spec.ingress[0].from[0].ipBlock.except[1]: Invalid value: "10.1.0.0/16": must be a strict subset of `cidr`',
      ],
    ],
    [
      "an unknown policy type",
      { policyTypes: ["Ingress", "Both"] },
      ['spec.policyTypes[1]: Unsupported value: "Both": supported values: "Ingress", "Egress"'],
    ],
    [
      "three policy types",
      { policyTypes: ["Ingress", "Egress", "Ingress"] },
      [
        'spec.policyTypes: Invalid value: []string{"Ingress", "Egress", "Ingress"}: may not specify more than two policyTypes',
      ],
    ],
    [
      "a bad selector operator",
      { podSelector: { matchExpressions: [{ key: "a", operator: "Is" }] } },
      ['spec.podSelector.matchExpressions[0].operator: Invalid value: "Is": not a valid selector operator'],
    ],
  ])("refuses %s", (_name, spec, want) => {
    expect(errors(spec)).toEqual(want);
  });
});

describe("parseAnyCIDR", () => {
  it("masks to the network, as net.ParseCIDR", () => {
    expect(parseAnyCIDR("10.1.2.3/16")).toEqual({ bits: 32, base: (10n << 24n) | (1n << 16n), prefix: 16 });
    expect(parseAnyCIDR("::1/0")).toEqual({ bits: 128, base: 0n, prefix: 0 });
    expect(parseAnyCIDR("10.0.0.0")).toBeUndefined();
    expect(parseAnyCIDR("2001:db8::/129")).toBeUndefined();
  });
});

describe("NetworkPolicy columns (printNetworkPolicy)", () => {
  it("print POD-SELECTOR and AGE", () => {
    expect(networkPolicies.columns.map((c) => c.name)).toEqual(["Pod-Selector", "Age"]);
    const cell = networkPolicies.columns[0]?.cell;
    expect(cell?.(policy({ podSelector: { matchLabels: { role: "db" } } }), { now: 0 })).toBe("role=db");
    expect(cell?.(policy({}), { now: 0 })).toBe("<none>");
  });
});
