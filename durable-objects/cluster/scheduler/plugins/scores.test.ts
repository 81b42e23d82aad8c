// Scores, table-driven: the node the whole default profile picks, and single-plugin scores.
import { describe, expect, it } from "vitest";
import { Framework } from "../framework.ts";
import { type TestNode, testCache, testPod } from "../test-helpers.ts";
import type { PodInfo } from "../types.ts";
import { balancedScore } from "./balanced-allocation.ts";
import { imageScore } from "./image-locality.ts";
import { defaultPlugins } from "./index.ts";

interface Case {
  name: string;
  nodes: TestNode[];
  placed?: Record<string, PodInfo[]>;
  pod: PodInfo;
  want: string;
}

const MB = 1024 * 1024;

const cases: Case[] = [
  {
    name: "LeastAllocated prefers the emptier node",
    nodes: [
      { name: "busy", cpu: "4" },
      { name: "idle", cpu: "4" },
    ],
    placed: { busy: [testPod("x", { cpu: "3", memory: "1Gi" })] },
    pod: testPod("p", { cpu: "500m", memory: "512Mi" }),
    want: "idle",
  },
  {
    name: "TaintToleration avoids an untolerated PreferNoSchedule taint",
    nodes: [{ name: "soft", taints: [{ key: "spot", value: "true", effect: "PreferNoSchedule" }] }, { name: "plain" }],
    pod: testPod("p"),
    want: "plain",
  },
  {
    name: "NodeAffinity preferred terms pull toward the matching node",
    nodes: [
      { name: "a", labels: { disk: "hdd" } },
      { name: "b", labels: { disk: "ssd" } },
    ],
    pod: testPod("p", {
      spec: {
        affinity: {
          nodeAffinity: {
            preferredDuringSchedulingIgnoredDuringExecution: [
              { weight: 50, preference: { matchExpressions: [{ key: "disk", operator: "In", values: ["ssd"] }] } },
            ],
          },
        },
      },
    }),
    want: "b",
  },
  {
    name: "InterPodAffinity preferred terms pull toward pods they select",
    nodes: [{ name: "a" }, { name: "b" }],
    placed: { b: [testPod("cache", { labels: { app: "cache" } })], a: [testPod("other")] },
    pod: testPod("p", {
      spec: {
        affinity: {
          podAffinity: {
            preferredDuringSchedulingIgnoredDuringExecution: [
              {
                weight: 100,
                podAffinityTerm: {
                  labelSelector: { matchLabels: { app: "cache" } },
                  topologyKey: "kubernetes.io/hostname",
                },
              },
            ],
          },
        },
      },
    }),
    want: "b",
  },
  {
    name: "owner spread: a replica goes where its owner has fewer pods",
    nodes: [{ name: "a" }, { name: "b" }],
    placed: { a: [testPod("r1", { owner: "rs-1" })], b: [testPod("o1", { owner: "rs-2" })] },
    pod: testPod("r2", { owner: "rs-1" }),
    want: "b",
  },
  {
    name: "ImageLocality prefers the node that holds a large image",
    nodes: [
      { name: "cold" },
      { name: "warm", images: [{ names: ["docker.io/library/nginx:1.27"], sizeBytes: 500 * MB }] },
    ],
    pod: testPod("p"),
    want: "warm",
  },
];

describe("scores", () => {
  it.each(cases)("$name", ({ nodes, placed, pod, want }) => {
    const fw = new Framework(defaultPlugins, testCache(nodes, placed));
    const attempt = fw.schedule(pod);
    expect(attempt.node?.name).toBe(want);
  });

  it.each([
    { cpu: 0.5, mem: 0.5, want: 100 },
    { cpu: 1, mem: 0, want: 50 },
    { cpu: 0.75, mem: 0.25, want: 75 },
  ])("BalancedAllocation scores fractions cpu $cpu memory $mem as $want", ({ cpu, mem, want }) => {
    const cache = testCache([{ name: "n", cpu: "1", memory: "1000" }]);
    const pod = testPod("p", { cpu: `${cpu * 1000}m`, memory: String(mem * 1000) });
    expect(balancedScore(pod, cache.nodes()[0])).toBe(want);
  });

  it.each([
    { sum: 0, want: 0 },
    { sum: 23 * MB, want: 0 },
    { sum: 1000 * MB, want: 100 },
    { sum: 5000 * MB, want: 100 },
  ])("ImageLocality scales $sum bytes to $want", ({ sum, want }) => {
    expect(imageScore(sum, 1)).toBe(want);
  });

  it("spreads six replicas of one owner 2/2/2 over three equal nodes", () => {
    const cache = testCache([{ name: "a" }, { name: "b" }, { name: "c" }]);
    const fw = new Framework(defaultPlugins, cache);
    const counts: Record<string, number> = {};
    for (let i = 0; i < 6; i++) {
      const pod = testPod(`web-${i}`, { owner: "rs-web" });
      const node = fw.schedule(pod).node!.name;
      cache.addPod({ ...pod, nodeName: node });
      counts[node] = (counts[node] ?? 0) + 1;
    }
    expect(counts).toEqual({ a: 2, b: 2, c: 2 });
  });
});
