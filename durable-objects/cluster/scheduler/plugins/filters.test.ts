// Filters, table-driven: for each case the nodes that pass and the reason the others give.
import { describe, expect, it } from "vitest";
import { Framework } from "../framework.ts";
import { type TestNode, testCache, testPod } from "../test-helpers.ts";
import type { CycleState, Plugin, PodInfo } from "../types.ts";
import { interPodAffinity } from "./inter-pod-affinity.ts";
import { nodeAffinity } from "./node-affinity.ts";
import { nodeName } from "./node-name.ts";
import { nodePorts } from "./node-ports.ts";
import { nodeReady } from "./node-ready.ts";
import { nodeResourcesFit } from "./node-resources-fit.ts";
import { nodeUnschedulable } from "./node-unschedulable.ts";
import { podTopologySpread } from "./pod-topology-spread.ts";
import { taintToleration } from "./taint-toleration.ts";

interface Case {
  name: string;
  plugin: Plugin;
  nodes: TestNode[];
  placed?: Record<string, PodInfo[]>;
  pod: PodInfo;
  /** node → null (passes) or [reason, unresolvable]. */
  want: Record<string, null | [string, boolean]>;
}

const zone = (z: string) => ({ "topology.kubernetes.io/zone": z });
const web = (name: string) => testPod(name, { labels: { app: "web" } });
const hostPort = (port: number, hostIP?: string, protocol?: string) => ({
  containers: [{ name: "c", image: "x", ports: [{ containerPort: 80, hostPort: port, hostIP, protocol }] }],
});

const cases: Case[] = [
  {
    name: "NodeUnschedulable skips cordoned nodes unless tolerated",
    plugin: nodeUnschedulable,
    nodes: [{ name: "a", unschedulable: true }, { name: "b" }],
    pod: testPod("p"),
    want: { a: ["node(s) were unschedulable", true], b: null },
  },
  {
    name: "NodeUnschedulable admits a pod tolerating the unschedulable taint",
    plugin: nodeUnschedulable,
    nodes: [{ name: "a", unschedulable: true }],
    pod: testPod("p", { spec: { tolerations: [{ key: "node.kubernetes.io/unschedulable", operator: "Exists" }] } }),
    want: { a: null },
  },
  {
    name: "NodeName keeps a pod to its named node",
    plugin: nodeName,
    nodes: [{ name: "a" }, { name: "b" }],
    pod: { ...testPod("p"), nodeName: "b" },
    want: { a: ["node(s) didn't match the requested node name", true], b: null },
  },
  {
    name: "NodeResourcesFit reports every insufficient resource",
    plugin: nodeResourcesFit,
    nodes: [
      { name: "small", cpu: "1", memory: "1Gi" },
      { name: "mid", cpu: "4", memory: "1Gi" },
      { name: "big", cpu: "4", memory: "8Gi" },
    ],
    pod: testPod("p", { cpu: "2", memory: "2Gi" }),
    want: { small: ["Insufficient cpu, Insufficient memory", false], mid: ["Insufficient memory", false], big: null },
  },
  {
    name: "NodeResourcesFit counts pods already placed and the pod limit",
    plugin: nodeResourcesFit,
    nodes: [
      { name: "a", cpu: "2" },
      { name: "b", pods: "1" },
    ],
    placed: { a: [testPod("x", { cpu: "1500m" })], b: [testPod("y")] },
    pod: testPod("p", { cpu: "1" }),
    want: { a: ["Insufficient cpu", false], b: ["Too many pods", false] },
  },
  {
    name: "NodeResourcesFit takes the larger of the containers' sum and an init container",
    plugin: nodeResourcesFit,
    nodes: [{ name: "a", cpu: "2" }],
    pod: testPod("p", {
      cpu: "500m",
      spec: { initContainers: [{ name: "init", image: "x", resources: { requests: { cpu: "3" } } }] },
    }),
    want: { a: ["Insufficient cpu", false] },
  },
  {
    name: "TaintToleration refuses untolerated NoSchedule and NoExecute taints, not PreferNoSchedule",
    plugin: taintToleration,
    nodes: [
      { name: "ns", taints: [{ key: "dedicated", value: "db", effect: "NoSchedule" }] },
      { name: "ne", taints: [{ key: "gone", effect: "NoExecute" }] },
      { name: "pref", taints: [{ key: "soft", value: "x", effect: "PreferNoSchedule" }] },
    ],
    pod: testPod("p"),
    want: {
      ns: ["node(s) had untolerated taint {dedicated: db}", true],
      ne: ["node(s) had untolerated taint {gone: }", true],
      pref: null,
    },
  },
  {
    name: "TaintToleration: Equal needs the value, Exists does not",
    plugin: taintToleration,
    nodes: [
      { name: "db", taints: [{ key: "dedicated", value: "db", effect: "NoSchedule" }] },
      { name: "web", taints: [{ key: "dedicated", value: "web", effect: "NoSchedule" }] },
    ],
    pod: testPod("p", { spec: { tolerations: [{ key: "dedicated", operator: "Equal", value: "db" }] } }),
    want: { db: null, web: ["node(s) had untolerated taint {dedicated: web}", true] },
  },
  {
    name: "NodeReady refuses not-ready and unreachable nodes as their taints would",
    plugin: nodeReady,
    nodes: [
      { name: "ok" },
      { name: "down", ready: "False" },
      { name: "lost", ready: "Unknown" },
      { name: "new", ready: "none" },
    ],
    pod: testPod("p"),
    want: {
      ok: null,
      down: ["node(s) had untolerated taint {node.kubernetes.io/not-ready: }", true],
      lost: ["node(s) had untolerated taint {node.kubernetes.io/unreachable: }", true],
      new: ["node(s) had untolerated taint {node.kubernetes.io/unreachable: }", true],
    },
  },
  {
    name: "NodeReady admits pods tolerating not-ready with NoSchedule",
    plugin: nodeReady,
    nodes: [{ name: "down", ready: "False" }],
    pod: testPod("p", {
      spec: { tolerations: [{ key: "node.kubernetes.io/not-ready", operator: "Exists", effect: "NoSchedule" }] },
    }),
    want: { down: null },
  },
  {
    name: "NodeAffinity: nodeSelector must match every label",
    plugin: nodeAffinity,
    nodes: [
      { name: "gpu", labels: { accel: "gpu", disk: "ssd" } },
      { name: "cpu", labels: { disk: "ssd" } },
    ],
    pod: testPod("p", { spec: { nodeSelector: { accel: "gpu", disk: "ssd" } } }),
    want: { gpu: null, cpu: ["node(s) didn't match Pod's node affinity/selector", true] },
  },
  {
    name: "NodeAffinity: terms are ORed, expressions ANDed, all operators",
    plugin: nodeAffinity,
    nodes: [
      { name: "a", labels: { tier: "gold", cores: "16" } },
      { name: "b", labels: { tier: "silver", cores: "4" } },
      { name: "c", labels: { tier: "bronze", cores: "64", spot: "true" } },
      { name: "d", labels: { cores: "2" } },
    ],
    pod: testPod("p", {
      spec: {
        affinity: {
          nodeAffinity: {
            requiredDuringSchedulingIgnoredDuringExecution: {
              nodeSelectorTerms: [
                {
                  matchExpressions: [
                    { key: "tier", operator: "In", values: ["gold"] },
                    { key: "cores", operator: "Gt", values: ["8"] },
                  ],
                },
                {
                  matchExpressions: [
                    { key: "spot", operator: "Exists" },
                    { key: "tier", operator: "NotIn", values: ["gold"] },
                  ],
                },
                {
                  matchExpressions: [
                    { key: "tier", operator: "DoesNotExist" },
                    { key: "cores", operator: "Lt", values: ["4"] },
                  ],
                },
              ],
            },
          },
        },
      },
    }),
    want: { a: null, b: ["node(s) didn't match Pod's node affinity/selector", true], c: null, d: null },
  },
  {
    name: "NodeAffinity: matchFields selects by node name",
    plugin: nodeAffinity,
    nodes: [{ name: "a" }, { name: "b" }],
    pod: testPod("p", {
      spec: {
        affinity: {
          nodeAffinity: {
            requiredDuringSchedulingIgnoredDuringExecution: {
              nodeSelectorTerms: [{ matchFields: [{ key: "metadata.name", operator: "In", values: ["b"] }] }],
            },
          },
        },
      },
    }),
    want: { a: ["node(s) didn't match Pod's node affinity/selector", true], b: null },
  },
  {
    name: "NodePorts: same port and protocol conflict; other IPs and protocols do not",
    plugin: nodePorts,
    nodes: [{ name: "any" }, { name: "udp" }, { name: "ip" }, { name: "free" }],
    placed: {
      any: [testPod("x", { spec: hostPort(8080) })],
      udp: [testPod("y", { spec: hostPort(8080, undefined, "UDP") })],
      ip: [testPod("z", { spec: hostPort(8080, "10.0.0.2") })],
    },
    pod: testPod("p", { spec: hostPort(8080, "10.0.0.1") }),
    want: {
      any: ["node(s) didn't have free ports for the requested pod ports", false],
      udp: null,
      ip: null,
      free: null,
    },
  },
  {
    name: "PodTopologySpread: maxSkew 1 by zone",
    plugin: podTopologySpread,
    nodes: [{ name: "a1", labels: zone("a") }, { name: "b1", labels: zone("b") }, { name: "none" }],
    placed: { a1: [web("w1"), web("w2")], b1: [web("w3")] },
    pod: testPod("p", {
      labels: { app: "web" },
      spec: {
        topologySpreadConstraints: [
          {
            maxSkew: 1,
            topologyKey: "topology.kubernetes.io/zone",
            whenUnsatisfiable: "DoNotSchedule",
            labelSelector: { matchLabels: { app: "web" } },
          },
        ],
      },
    }),
    want: {
      a1: ["node(s) didn't match pod topology spread constraints", false],
      b1: null,
      none: ["node(s) didn't match pod topology spread constraints (missing required label)", true],
    },
  },
  {
    name: "InterPodAffinity: required affinity needs a matching pod in the domain",
    plugin: interPodAffinity,
    nodes: [
      { name: "a", labels: zone("a") },
      { name: "b", labels: zone("b") },
      { name: "c", labels: zone("a") },
    ],
    placed: { a: [web("w1")] },
    pod: testPod("p", {
      spec: {
        affinity: {
          podAffinity: {
            requiredDuringSchedulingIgnoredDuringExecution: [
              { labelSelector: { matchLabels: { app: "web" } }, topologyKey: "topology.kubernetes.io/zone" },
            ],
          },
        },
      },
    }),
    want: { a: null, b: ["node(s) didn't match pod affinity rules", true], c: null },
  },
  {
    name: "InterPodAffinity: required anti-affinity by hostname",
    plugin: interPodAffinity,
    nodes: [{ name: "a" }, { name: "b" }],
    placed: { a: [web("w1")] },
    pod: testPod("p", {
      labels: { app: "web" },
      spec: {
        affinity: {
          podAntiAffinity: {
            requiredDuringSchedulingIgnoredDuringExecution: [
              { labelSelector: { matchLabels: { app: "web" } }, topologyKey: "kubernetes.io/hostname" },
            ],
          },
        },
      },
    }),
    want: { a: ["node(s) didn't match pod anti-affinity rules", false], b: null },
  },
  {
    name: "InterPodAffinity: existing pods' anti-affinity repels the incoming pod",
    plugin: interPodAffinity,
    nodes: [{ name: "a" }, { name: "b" }],
    placed: {
      a: [
        testPod("guard", {
          spec: {
            affinity: {
              podAntiAffinity: {
                requiredDuringSchedulingIgnoredDuringExecution: [
                  { labelSelector: { matchLabels: { app: "web" } }, topologyKey: "kubernetes.io/hostname" },
                ],
              },
            },
          },
        }),
      ],
    },
    pod: web("p"),
    want: { a: ["node(s) didn't satisfy existing pods anti-affinity rules", false], b: null },
  },
];

describe("filters", () => {
  it.each(cases)("$name", ({ plugin, nodes, placed, pod, want }) => {
    const cache = testCache(nodes, placed);
    const state: CycleState = new Map();
    const f = plugin.filter!;
    const active = f.preFilter?.(state, pod, cache) ?? true;
    const got: Record<string, null | [string, boolean]> = {};
    for (const node of cache.nodes()) {
      const s = active ? f.filter(state, pod, node, cache) : null;
      got[node.name] = s ? [s.reasons.join(", "), s.unresolvable] : null;
    }
    expect(got).toEqual(want);
  });

  it("runs the first failing filter only, in upstream's order", () => {
    const cache = testCache([{ name: "a", unschedulable: true, cpu: "1" }]);
    const fw = new Framework([nodeUnschedulable, nodeResourcesFit], cache);
    const state: CycleState = new Map();
    const pod = testPod("p", { cpu: "2" });
    const s = fw.runFilters(fw.activeFilters(state, pod), state, pod, cache.nodes()[0]);
    expect(s).toEqual({ reasons: ["node(s) were unschedulable"], unresolvable: true, plugin: "NodeUnschedulable" });
  });
});
