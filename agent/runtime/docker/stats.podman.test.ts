// The docker runtime's usage report against a real Podman (or Docker) API: a busy loop shows CPU, a sleeper
// next to it almost none, and both have a working set. Under CI=true these tests never skip.
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { BUSYBOX, Harness, makePod, podmanGate } from "./testing/harness.ts";

const podman = await podmanGate("Podman tests");

describe.skipIf(podman.skip)("docker runtime usage on Podman", () => {
  let h: Harness;
  beforeAll(() => {
    podman.require();
  });
  afterEach(async () => {
    await h?.cleanup();
  });

  it("reports a busy container's CPU from the second reading on, and the node's usage", async () => {
    h = await new Harness().start();
    const container = (name: string, script: string) => ({
      name,
      image: BUSYBOX,
      imagePullPolicy: "IfNotPresent" as const,
      command: ["sh", "-c", script],
    });
    const pod = makePod("busy", {
      containers: [container("spin", "while :; do :; done"), container("idle", "exec sleep 3600")],
    });
    h.run(pod);
    await h.waitFor(pod, (s) => s.phase === "Running" && s.containerStatuses?.every((c) => c.ready) === true);

    const first = await h.runtime.metrics();
    expect(first).toBeUndefined(); // rates need two readings (node and containers alike)
    await new Promise((r) => setTimeout(r, 1500));
    const report = await h.runtime.metrics();
    expect(report).toBeDefined();
    expect(report!.node.cpuNanoCores).toBeGreaterThan(0);
    expect(report!.node.memoryBytes).toBeGreaterThan(0);
    expect(report!.windowSeconds).toBeGreaterThan(1);

    const usage = report!.pods.find((p) => p.uid === pod.metadata.uid);
    expect(usage).toMatchObject({ namespace: "default", name: "busy" });
    const byName = Object.fromEntries(usage!.containers.map((c) => [c.name, c]));
    expect(Object.keys(byName).sort()).toEqual(["idle", "spin"]);
    // A busy loop keeps about a core busy; on a shared machine well over 100m is safe.
    expect(byName.spin.cpuNanoCores).toBeGreaterThan(100_000_000);
    expect(byName.idle.cpuNanoCores).toBeLessThan(byName.spin.cpuNanoCores);
    expect(byName.spin.memoryBytes).toBeGreaterThan(0);
  });
});
