import { describe, expect, it } from "vitest";
import type { PodAssignment, SyncRequest, SyncResponse, SyncService } from "../kube/agent-protocol.ts";
import type { PodRuntime } from "./runtime/types.ts";
import { ApiError } from "./client.ts";
import { SyncLoop, type SyncLoopOptions } from "./sync-loop.ts";

const assignment: PodAssignment = {
  pod: {
    apiVersion: "v1",
    kind: "Pod",
    metadata: { name: "p", uid: "u1", resourceVersion: "1" },
    spec: { containers: [] },
  },
  configMaps: {},
  secrets: {},
};
const web: SyncService = { namespace: "default", name: "web", ports: [], endpoints: [] };

function run(
  withProxy: boolean,
  response: Partial<SyncResponse> | (() => Partial<SyncResponse>),
  extra: Partial<SyncLoopOptions> = {},
) {
  const order: string[] = [];
  const requests: SyncRequest[] = [];
  const runtime = {
    onChange() {},
    drain: () => ({ statuses: [], events: [], terminated: [] }),
    apply: (a: PodAssignment) => order.push(`pod ${a.pod.metadata.name}`),
    forget() {},
    collectOrphans: async () => {},
  } as unknown as PodRuntime;
  const loop = new SyncLoop({
    client: {
      post: async <T>(_path: string, _token: string, body: unknown) => {
        requests.push(body as SyncRequest);
        const answer = typeof response === "function" ? response() : response;
        return { pods: [assignment], stop: [], acknowledged: {}, heartbeatSeconds: 10, ...answer } as T;
      },
    },
    credential: "c",
    nodeName: "n",
    runtime,
    store: { save: async () => {}, remove: async () => {} },
    nodeStatus: async () => ({}) as never,
    heartbeatSeconds: 10,
    log: () => {},
    services: withProxy
      ? {
          update: async (list) => {
            order.push(`services ${list.map((s) => s.name).join(",")}`);
          },
        }
      : undefined,
    network: {
      update: async (podCIDR, nodes) => {
        if (podCIDR) order.push(`network ${podCIDR} ${(nodes ?? []).map((n) => n.nodeName).join(",")}`);
      },
    },
    ...extra,
  });
  return { loop, order, requests };
}

describe("SyncLoop and the service proxy", () => {
  it("asks for services and hands them to the proxy before the pods start (their env names its ports)", async () => {
    const { loop, order, requests } = run(true, { services: [web] });
    await loop.syncOnce();
    expect(requests[0].wantServices).toBe(true);
    expect(order).toEqual(["services web", "pod p"]);
  });

  it("keeps what the proxy has when the answer carries no services", async () => {
    const { loop, order } = run(true, {});
    await loop.syncOnce();
    expect(order).toEqual(["pod p"]);
  });

  it("does not ask without a proxy (simulated nodes)", async () => {
    const { loop, requests } = run(false, { services: [web] });
    await loop.syncOnce();
    expect(requests[0].wantServices).toBeUndefined();
  });
});

describe("SyncLoop and the pod network", () => {
  it("hands the node's pod CIDR and every node's range to the network before pods start", async () => {
    const { loop, order } = run(false, {
      podCIDR: "10.244.3.0/24",
      nodeCIDRs: [
        { nodeName: "n", podCIDR: "10.244.3.0/24" },
        { nodeName: "m", podCIDR: "10.244.4.0/24" },
      ],
    });
    await loop.syncOnce();
    expect(order).toEqual(["network 10.244.3.0/24 n,m", "pod p"]);
  });

  it("stops and cleans up when the cluster answers that the node is gone", async () => {
    const gone: string[] = [];
    const { loop } = run(
      false,
      () => {
        throw new ApiError(404, 'nodes "n" not found', "NotFound");
      },
      { onNodeGone: async () => void gone.push("node gone") },
    );
    await loop.run(); // returns: the loop stopped itself
    expect(gone).toEqual(["node gone"]);
  });
});

describe("SyncLoop's known versions", () => {
  it("holds a pod received in an answer at the version it came with, whatever the acknowledgements say", async () => {
    // The object sends a pod whose status write came after a change the agent had not seen (a deletion):
    // that version must stay known, or the next answers would compare against the wrong one.
    const { loop } = run(false, { acknowledged: { u1: "0" } });
    await loop.syncOnce();
    expect(loop.known.get("u1")).toBe("1");
  });

  it("takes an acknowledgement for a pod it holds and was not sent", async () => {
    const { loop } = run(false, { pods: [], acknowledged: { u1: "7", other: "9" } });
    loop.seed([assignment]);
    await loop.syncOnce();
    expect(Object.fromEntries(loop.known)).toEqual({ u1: "7" });
  });
});
