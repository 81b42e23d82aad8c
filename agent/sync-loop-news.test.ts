// The sync loop and the runtime's news: news that a request already carries never abandons that request
// (before, every pod started armed a debounce that dropped the very poll reporting it: one wasted long-poll
// and connection per pod), while news arriving once the poll is open still does. Counted with fake timers.
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { PodAssignment, SyncRequest } from "../kube/agent-protocol.ts";
import type { PodRuntime, RuntimeReport } from "./runtime/types.ts";
import { SyncLoop } from "./sync-loop.ts";

const assignment: PodAssignment = {
  pod: {
    apiVersion: "v1",
    kind: "Pod",
    metadata: { name: "p", namespace: "default", uid: "u1", resourceVersion: "1" },
    spec: { containers: [] },
  },
  configMaps: {},
  secrets: {},
};

/** A runtime that reports a status for each pod it is given, as the simulated one does at once. */
function reportingRuntime() {
  const listeners: (() => void)[] = [];
  let report: RuntimeReport = { statuses: [], events: [], terminated: [] };
  const runtime = {
    onChange: (l: () => void) => listeners.push(l),
    drain: () => {
      const out = report;
      report = { statuses: [], events: [], terminated: [] };
      return out;
    },
    apply: (a: PodAssignment) => {
      const { uid = "", namespace = "", name = "" } = a.pod.metadata;
      report.statuses.push({ uid, namespace, name, status: { phase: "Running" } as never });
      for (const l of listeners) l();
    },
    forget() {},
    collectOrphans: async () => {},
  } as unknown as PodRuntime;
  return { runtime, news: () => runtime.apply({ ...assignment, pod: { ...assignment.pod } }) };
}

/** A client whose first answer hands out a pod; later polls stay open until aborted. */
function parkingClient() {
  const requests: { body: SyncRequest; signal?: AbortSignal }[] = [];
  return {
    requests,
    post: <T>(_path: string, _token: string, body: unknown, options: { signal?: AbortSignal } = {}) => {
      requests.push({ body: body as SyncRequest, signal: options.signal });
      if (requests.length === 1)
        return Promise.resolve({ pods: [assignment], stop: [], acknowledged: {}, heartbeatSeconds: 10 } as T);
      return new Promise<T>((_resolve, reject) =>
        options.signal?.addEventListener("abort", () =>
          reject(Object.assign(new Error("aborted"), { name: "AbortError" })),
        ),
      );
    },
  };
}

function loopWith(client: ReturnType<typeof parkingClient>, runtime: PodRuntime) {
  return new SyncLoop({
    client,
    credential: "c",
    nodeName: "n",
    runtime,
    store: { save: async () => {}, remove: async () => {} },
    nodeStatus: async () => ({}) as never,
    heartbeatSeconds: 10,
    log: () => {},
  });
}

describe("SyncLoop and the runtime's news", () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it("does not abandon the poll that carries the news it was woken for", async () => {
    const client = parkingClient();
    const { runtime } = reportingRuntime();
    const loop = loopWith(client, runtime);
    await loop.syncOnce(); // gets the pod; the runtime reports it Running while the answer is applied
    void loop.syncOnce(); // carries that status and parks
    await vi.advanceTimersByTimeAsync(1000);
    expect(client.requests).toHaveLength(2);
    expect(client.requests[1].body.podStatuses.map((s) => s.uid)).toEqual(["u1"]);
    expect(client.requests[1].signal?.aborted).toBe(false);
    loop.stop();
  });

  it("abandons an open poll for news that came after it was sent", async () => {
    const client = parkingClient();
    const { runtime, news } = reportingRuntime();
    const loop = loopWith(client, runtime);
    await loop.syncOnce();
    const parked = loop.syncOnce();
    await vi.advanceTimersByTimeAsync(1000);
    news();
    await vi.advanceTimersByTimeAsync(1000);
    expect(client.requests[1].signal?.aborted).toBe(true);
    await parked;
    void loop.syncOnce();
    await vi.advanceTimersByTimeAsync(0);
    expect(client.requests[2].body.podStatuses.map((s) => s.uid)).toEqual(["u1"]);
    loop.stop();
  });
});
