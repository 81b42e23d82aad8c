// Issue 20's NetworkPolicy API with the real kubectl: upstream's example policy created, listed with
// POD-SELECTOR, described by kubectl's describer, defaulted as upstream (policyTypes, TCP), and bad policies
// refused with upstream's 422 messages, leaving nothing behind.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Harness, requireKubectl, startHarness } from "./harness.ts";
import type { AnyJson as Json } from "../../kube/types.ts";

// https://kubernetes.io/docs/concepts/services-networking/network-policies/ (networkpolicy.yaml)
const EXAMPLE = `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: test-network-policy
  namespace: default
spec:
  podSelector:
    matchLabels:
      role: db
  policyTypes:
  - Ingress
  - Egress
  ingress:
  - from:
    - ipBlock:
        cidr: 172.17.0.0/16
        except:
        - 172.17.1.0/24
    - namespaceSelector:
        matchLabels:
          project: myproject
    - podSelector:
        matchLabels:
          role: frontend
    ports:
    - protocol: TCP
      port: 6379
  egress:
  - to:
    - ipBlock:
        cidr: 10.0.0.0/24
    ports:
    - protocol: TCP
      port: 5978
`;

const policy = (name: string, spec: Json) =>
  JSON.stringify({ apiVersion: "networking.k8s.io/v1", kind: "NetworkPolicy", metadata: { name }, spec });

describe("NetworkPolicies with the real kubectl", () => {
  let h: Harness;
  const run = (args: string[], stdin?: string) => h.kubectl(args, { allowFail: true, stdin });

  beforeAll(async () => {
    requireKubectl();
    h = await startHarness();
  });
  afterAll(async () => {
    await h?.stop();
  });

  it("creates upstream's example, lists it with POD-SELECTOR and describes it", async () => {
    const created = await run(["create", "-f", "-"], EXAMPLE);
    expect(created.stdout, created.stderr).toBe("networkpolicy.networking.k8s.io/test-network-policy created\n");
    const table = (await run(["get", "networkpolicies"])).stdout;
    expect(table).toMatch(/^NAME\s+POD-SELECTOR\s+AGE\s*$/m);
    expect(table).toMatch(/^test-network-policy\s+role=db\s+\S+\s*$/m);
    expect((await run(["get", "netpol", "-o", "name"])).stdout).toBe(
      "networkpolicy.networking.k8s.io/test-network-policy\n",
    );
    const described = (await run(["describe", "networkpolicy", "test-network-policy"])).stdout;
    expect(described).toMatch(/^Name:\s+test-network-policy$/m);
    expect(described).toMatch(/^\s+PodSelector:\s+role=db$/m);
    expect(described).toMatch(/^\s+Allowing ingress traffic:$/m);
    expect(described).toMatch(/^\s+To Port: 6379\/TCP$/m);
    expect(described).toMatch(/^\s+CIDR: 172\.17\.0\.0\/16$/m);
    expect(described).toMatch(/^\s+Except: 172\.17\.1\.0\/24$/m);
    expect(described).toMatch(/^\s+NamespaceSelector: project=myproject$/m);
    expect(described).toMatch(/^\s+PodSelector: role=frontend$/m);
    expect(described).toMatch(/^\s+Allowing egress traffic:$/m);
    expect(described).toMatch(/^\s+To Port: 5978\/TCP$/m);
    expect(described).toMatch(/^\s+Policy Types: Ingress, Egress$/m);
  });

  it("defaults policyTypes from the rules and the ports' protocol, as upstream", async () => {
    await run(["create", "-f", "-"], policy("egress-only", { podSelector: {}, egress: [{ ports: [{ port: 53 }] }] }));
    const got: Json = JSON.parse((await run(["get", "netpol", "egress-only", "-o", "json"])).stdout);
    expect(got.spec).toEqual({
      podSelector: {},
      policyTypes: ["Ingress", "Egress"],
      egress: [{ ports: [{ protocol: "TCP", port: 53 }] }],
    });
    expect(got.metadata.generation).toBe(1);
  });

  it.each([
    [
      "endPort without port",
      { podSelector: {}, egress: [{ ports: [{ endPort: 90 }] }] },
      'The NetworkPolicy "bad" is invalid: spec.egress[0].ports[0].endPort: Invalid value: 90: may not be specified when `port` is not specified',
    ],
    [
      "endPort below port",
      { podSelector: {}, ingress: [{ ports: [{ port: 100, endPort: 90 }] }] },
      'The NetworkPolicy "bad" is invalid: spec.ingress[0].ports[0].endPort: Invalid value: 90: must be greater than or equal to `port`',
    ],
    [
      "an except outside its cidr",
      { podSelector: {}, ingress: [{ from: [{ ipBlock: { cidr: "10.1.0.0/16", except: ["10.2.0.0/24"] } }] }] },
      'The NetworkPolicy "bad" is invalid: spec.ingress[0].from[0].ipBlock.except[0]: Invalid value: "10.2.0.0/24": must be a strict subset of `cidr`',
    ],
    [
      "an empty peer",
      { podSelector: {}, ingress: [{ from: [{}] }] },
      'The NetworkPolicy "bad" is invalid: spec.ingress[0].from[0]: Required value: must specify a peer',
    ],
  ])("refuses %s with upstream's 422 and stores nothing", async (_name, spec, message) => {
    const refused = await run(["create", "-f", "-"], policy("bad", spec));
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toContain(message);
    expect((await run(["get", "netpol", "bad"])).code).not.toBe(0);
  });
});
