// Cases from upstream's NetworkPolicy concepts page and the networking/v1 API docs, each as the connections
// it allows and refuses.
import { describe, expect, it } from "vitest";
import type { NetworkPolicySpec } from "./network-policy.ts";
import { allowedBy, cidrMinus, type PodEntry, PolicyEvaluator, type PolicyView } from "./network-policy-plan.ts";

const pod = (namespace: string, name: string, ip: string, labels: Record<string, string>, extra = {}): PodEntry => ({
  namespace,
  name,
  ip,
  labels,
  ...extra,
});

const PODS = {
  db: pod(
    "default",
    "db",
    "10.244.0.10",
    { role: "db" },
    { namedPorts: [{ name: "redis", port: 6379, protocol: "TCP" }] },
  ),
  frontend: pod("default", "frontend", "10.244.0.11", { role: "frontend" }),
  other: pod("default", "other", "10.244.1.12", { role: "other" }),
  prodFrontend: pod("prod", "frontend", "10.244.1.13", { role: "frontend" }),
  prodOther: pod("prod", "other", "10.244.1.14", { role: "other" }),
};
const EXTERNAL = "172.17.0.5";

/** Policies with upstream's defaults already applied (policyTypes as SetDefaults_NetworkPolicy fills them). */
function evaluator(...specs: NetworkPolicySpec[]): PolicyEvaluator {
  const view: PolicyView = {
    policies: specs.map((spec, i) => ({ namespace: "default", name: `p${i}`, spec })),
    namespaces: [
      { name: "default", labels: { "kubernetes.io/metadata.name": "default" } },
      { name: "prod", labels: { "kubernetes.io/metadata.name": "prod", project: "myproject" } },
    ],
    pods: Object.values(PODS),
  };
  return new PolicyEvaluator(view);
}

const ALL = { podSelector: {} };

describe("isolation (policyTypes)", () => {
  it("allows everything when no policy selects a pod", () => {
    const e = evaluator();
    expect(e.allows(PODS.frontend.ip, PODS.db.ip, 80)).toBe(true);
    expect(e.allows(EXTERNAL, PODS.db.ip, 80)).toBe(true);
    expect(e.rulesFor(PODS.db)).toEqual({});
  });

  it("default deny ingress: nothing reaches the namespace's pods, their own egress stays open", () => {
    const e = evaluator({ ...ALL, policyTypes: ["Ingress"] });
    expect(e.allows(PODS.frontend.ip, PODS.db.ip, 6379)).toBe(false);
    expect(e.allows(PODS.prodFrontend.ip, PODS.db.ip, 6379)).toBe(false);
    expect(e.allows(EXTERNAL, PODS.db.ip, 6379)).toBe(false);
    expect(e.allows(PODS.db.ip, PODS.prodOther.ip, 80)).toBe(true);
    expect(e.allows(PODS.db.ip, EXTERNAL, 443)).toBe(true);
    expect(e.rulesFor(PODS.db)).toEqual({ ingress: [] });
  });

  it("default deny egress: the namespace's pods reach nothing, others still reach them", () => {
    const e = evaluator({ ...ALL, policyTypes: ["Egress"] });
    expect(e.allows(PODS.db.ip, PODS.prodOther.ip, 80)).toBe(false);
    expect(e.allows(PODS.db.ip, EXTERNAL, 53, "UDP")).toBe(false);
    expect(e.allows(PODS.prodOther.ip, PODS.db.ip, 80)).toBe(true);
  });

  it("ignores a policy's ingress rules when its policyTypes names only Egress", () => {
    const e = evaluator({ ...ALL, policyTypes: ["Egress"], ingress: [{ from: [{ podSelector: {} }] }], egress: [{}] });
    expect(e.rulesFor(PODS.db).ingress).toBeUndefined();
    expect(e.allows(EXTERNAL, PODS.db.ip, 1)).toBe(true);
  });

  it("allow-all ingress (an empty rule) lets everything in even beside a default deny", () => {
    const e = evaluator({ ...ALL, policyTypes: ["Ingress"] }, { ...ALL, ingress: [{}], policyTypes: ["Ingress"] });
    expect(e.allows(EXTERNAL, PODS.db.ip, 12345)).toBe(true);
  });

  it("selects only pods of the policy's own namespace", () => {
    const e = evaluator({ ...ALL, policyTypes: ["Ingress", "Egress"] });
    expect(e.allows(PODS.prodFrontend.ip, PODS.prodOther.ip, 80)).toBe(true);
  });

  it("needs both the source's egress and the destination's ingress", () => {
    const e = evaluator(
      { podSelector: { matchLabels: { role: "frontend" } }, policyTypes: ["Egress"], egress: [] },
      { podSelector: { matchLabels: { role: "db" } }, policyTypes: ["Ingress"], ingress: [{}] },
    );
    expect(e.allows(PODS.frontend.ip, PODS.db.ip, 6379)).toBe(false);
    expect(e.allows(PODS.other.ip, PODS.db.ip, 6379)).toBe(true);
  });
});

describe("rules (the union of every selecting policy's)", () => {
  const frontendToDb: NetworkPolicySpec = {
    podSelector: { matchLabels: { role: "db" } },
    policyTypes: ["Ingress"],
    ingress: [
      { from: [{ podSelector: { matchLabels: { role: "frontend" } } }], ports: [{ protocol: "TCP", port: 6379 }] },
    ],
  };

  it("lets role=frontend of the policy's namespace reach role=db on 6379 only", () => {
    const e = evaluator(frontendToDb);
    expect(e.allows(PODS.frontend.ip, PODS.db.ip, 6379)).toBe(true);
    expect(e.allows(PODS.frontend.ip, PODS.db.ip, 6380)).toBe(false);
    expect(e.allows(PODS.frontend.ip, PODS.db.ip, 6379, "UDP")).toBe(false);
    expect(e.allows(PODS.other.ip, PODS.db.ip, 6379)).toBe(false);
    // A podSelector alone means the policy's namespace: prod's frontend is someone else.
    expect(e.allows(PODS.prodFrontend.ip, PODS.db.ip, 6379)).toBe(false);
    // role=frontend itself is not selected: still open.
    expect(e.allows(PODS.other.ip, PODS.frontend.ip, 80)).toBe(true);
  });

  it("adds up rules of several policies", () => {
    const e = evaluator(frontendToDb, {
      podSelector: { matchLabels: { role: "db" } },
      ingress: [{ from: [{ podSelector: { matchLabels: { role: "other" } } }] }],
      policyTypes: ["Ingress"],
    });
    expect(e.allows(PODS.frontend.ip, PODS.db.ip, 6379)).toBe(true);
    expect(e.allows(PODS.other.ip, PODS.db.ip, 1)).toBe(true);
    expect(e.allows(PODS.frontend.ip, PODS.db.ip, 1)).toBe(false);
  });

  it("ANDs namespaceSelector and podSelector in one peer, ORs them in two", () => {
    const and = evaluator({
      podSelector: { matchLabels: { role: "db" } },
      policyTypes: ["Ingress"],
      ingress: [
        {
          from: [
            {
              namespaceSelector: { matchLabels: { project: "myproject" } },
              podSelector: { matchLabels: { role: "frontend" } },
            },
          ],
        },
      ],
    });
    expect(and.allows(PODS.prodFrontend.ip, PODS.db.ip, 80)).toBe(true);
    expect(and.allows(PODS.prodOther.ip, PODS.db.ip, 80)).toBe(false);
    expect(and.allows(PODS.frontend.ip, PODS.db.ip, 80)).toBe(false);
    const or = evaluator({
      podSelector: { matchLabels: { role: "db" } },
      policyTypes: ["Ingress"],
      ingress: [
        {
          from: [
            { namespaceSelector: { matchLabels: { project: "myproject" } } },
            { podSelector: { matchLabels: { role: "frontend" } } },
          ],
        },
      ],
    });
    expect(or.allows(PODS.prodOther.ip, PODS.db.ip, 80)).toBe(true);
    expect(or.allows(PODS.frontend.ip, PODS.db.ip, 80)).toBe(true);
    expect(or.allows(PODS.other.ip, PODS.db.ip, 80)).toBe(false);
  });

  it("an empty namespaceSelector means every pod of every namespace, and no address outside", () => {
    const e = evaluator({ ...ALL, policyTypes: ["Ingress"], ingress: [{ from: [{ namespaceSelector: {} }] }] });
    expect(e.allows(PODS.prodOther.ip, PODS.db.ip, 80)).toBe(true);
    expect(e.allows(EXTERNAL, PODS.db.ip, 80)).toBe(false);
  });

  it("ipBlock: the cidr less its excepts", () => {
    const e = evaluator({
      ...ALL,
      policyTypes: ["Ingress"],
      ingress: [{ from: [{ ipBlock: { cidr: "172.17.0.0/16", except: ["172.17.1.0/24"] } }] }],
    });
    expect(e.allows("172.17.0.5", PODS.db.ip, 80)).toBe(true);
    expect(e.allows("172.17.1.5", PODS.db.ip, 80)).toBe(false);
    expect(e.allows("172.18.0.5", PODS.db.ip, 80)).toBe(false);
  });

  it("egress with ports and endPort: the range, that protocol only", () => {
    const e = evaluator({
      ...ALL,
      policyTypes: ["Egress"],
      egress: [
        { to: [{ ipBlock: { cidr: "10.0.0.0/24" } }], ports: [{ protocol: "TCP", port: 32000, endPort: 32768 }] },
        { ports: [{ protocol: "UDP", port: 53 }] },
      ],
    });
    expect(e.allows(PODS.db.ip, "10.0.0.7", 32000)).toBe(true);
    expect(e.allows(PODS.db.ip, "10.0.0.7", 32768)).toBe(true);
    expect(e.allows(PODS.db.ip, "10.0.0.7", 32769)).toBe(false);
    expect(e.allows(PODS.db.ip, "10.0.1.7", 32000)).toBe(false);
    expect(e.allows(PODS.db.ip, "8.8.8.8", 53, "UDP")).toBe(true);
    expect(e.allows(PODS.db.ip, "8.8.8.8", 53, "TCP")).toBe(false);
  });

  it("a port with only a protocol means every port of that protocol", () => {
    const e = evaluator({ ...ALL, policyTypes: ["Egress"], egress: [{ ports: [{ protocol: "UDP" }] }] });
    expect(e.allows(PODS.db.ip, EXTERNAL, 9999, "UDP")).toBe(true);
    expect(e.allows(PODS.db.ip, EXTERNAL, 9999, "TCP")).toBe(false);
  });

  it("named ports mean the destination pod's container port of that name", () => {
    const ingress = evaluator({
      ...ALL,
      policyTypes: ["Ingress"],
      ingress: [{ ports: [{ protocol: "TCP", port: "redis" }] }],
    });
    expect(ingress.allows(PODS.frontend.ip, PODS.db.ip, 6379)).toBe(true);
    expect(ingress.allows(PODS.frontend.ip, PODS.db.ip, 80)).toBe(false);
    // frontend has no port named redis: nothing is allowed in.
    expect(ingress.allows(PODS.db.ip, PODS.frontend.ip, 6379)).toBe(false);
    const egress = evaluator({
      podSelector: { matchLabels: { role: "frontend" } },
      policyTypes: ["Egress"],
      egress: [{ ports: [{ port: "redis" }] }],
    });
    expect(egress.allows(PODS.frontend.ip, PODS.db.ip, 6379)).toBe(true);
    expect(egress.allows(PODS.frontend.ip, PODS.other.ip, 6379)).toBe(false);
    expect(egress.allows(PODS.frontend.ip, EXTERNAL, 6379)).toBe(false);
  });

  it("a peer selecting no pod allows nothing (not everything)", () => {
    const e = evaluator({
      ...ALL,
      policyTypes: ["Ingress"],
      ingress: [{ from: [{ podSelector: { matchLabels: { role: "none" } } }] }],
    });
    expect(e.allows(PODS.frontend.ip, PODS.db.ip, 80)).toBe(false);
    expect(e.rulesFor(PODS.db)).toEqual({ ingress: [{ peers: [] }] });
  });
});

describe("allowedBy", () => {
  it("is open when the direction is not isolated, shut when isolated with no rules", () => {
    expect(allowedBy(undefined, EXTERNAL, 1, "TCP")).toBe(true);
    expect(allowedBy([], EXTERNAL, 1, "TCP")).toBe(false);
  });
});

describe("cidrMinus", () => {
  it("splits a cidr around its excepts", () => {
    expect(cidrMinus("172.17.0.0/16", [])).toEqual(["172.17.0.0/16"]);
    expect(cidrMinus("10.0.0.0/24", ["10.0.0.0/25"])).toEqual(["10.0.0.128/25"]);
    expect(cidrMinus("10.0.0.0/24", ["10.0.0.64/26"]).sort()).toEqual(["10.0.0.0/26", "10.0.0.128/25"]);
    expect(cidrMinus("10.0.0.0/24", ["10.0.0.0/24"])).toEqual([]);
    expect(cidrMinus("10.0.0.0/24", ["10.0.0.0/25", "10.0.0.128/26"])).toEqual(["10.0.0.192/26"]);
  });

  it("covers exactly the addresses the block holds", () => {
    const parts = cidrMinus("172.17.0.0/16", ["172.17.1.0/24", "172.17.200.16/28"]);
    const block = { cidr: "172.17.0.0/16", except: ["172.17.1.0/24", "172.17.200.16/28"] };
    for (const ip of ["172.17.0.1", "172.17.1.1", "172.17.200.17", "172.17.200.32", "172.17.255.255"]) {
      const inParts = parts.some((c) => allowedBy([{ peers: [{ cidr: c, except: [] }] }], ip, 1, "TCP"));
      expect(inParts, ip).toBe(allowedBy([{ peers: [block] }], ip, 1, "TCP"));
    }
  });
});
