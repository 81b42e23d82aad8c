// Issue 21, "Deletion and the agent", end to end on a real agent (Podman): a pod whose container never
// started (its image cannot be pulled offline, or its registry never answers) is deleted within its grace
// period, and its namespace with it.
import net from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { podmanGate, removeNodeContainers } from "./containers.ts";
import { type Harness, startHarness } from "./harness.ts";
import { until } from "./poll.ts";
import type { AnyJson as Json } from "../../kube/types.ts";

const podman = await podmanGate("deletion e2e");
const NODE = `e2e-del-${process.pid.toString(36)}${Date.now().toString(36).slice(-4)}`;

describe.skipIf(podman.skip)("deleting pods whose containers never started", () => {
  let h: Harness;
  // A "registry" that accepts connections and never answers, as a firewalled one behaves: Podman's pull
  // hangs in the TLS handshake and retries for well over a minute.
  const silent = net.createServer(() => {});
  const sockets = new Set<net.Socket>();
  silent.on("connection", (s) => sockets.add(s));

  const gone = (what: string, args: string[]) =>
    until(
      what,
      async () =>
        (await h.kubectl([...args, "--ignore-not-found", "-o", "name"])).stdout.trim() === "" ? true : undefined,
      40_000,
    );

  beforeAll(async () => {
    podman.require();
    await new Promise<void>((r) => silent.listen(0, "127.0.0.1", r));
    h = await startHarness();
    await h.flotilla.startAgent({ name: NODE, runtime: "docker" });
  });

  afterAll(async () => {
    for (const s of sockets) s.destroy();
    silent.close();
    await h?.stop();
    if (!podman.unavailable) await removeNodeContainers([NODE]);
  });

  it("a pod stuck pulling an image that does not exist goes away on delete, and so does its namespace", async () => {
    await h.kubectl(["create", "namespace", "pulls"]);
    const pod = {
      apiVersion: "v1",
      kind: "Pod",
      metadata: { name: "hello", namespace: "pulls" },
      // An image no registry here can serve: the pull fails at once and the pod stays in ErrImagePull /
      // ImagePullBackOff, its container never created.
      spec: {
        nodeName: NODE,
        terminationGracePeriodSeconds: 10,
        containers: [{ name: "hello", image: "flotilla.invalid/nothing-here:v1" }],
      },
    };
    await h.kubectl(["apply", "-f", "-"], { stdin: JSON.stringify(pod) });
    const waiting = await until("the pull to fail", async () => {
      const p: Json = JSON.parse((await h.kubectl(["get", "pod", "hello", "-n", "pulls", "-o", "json"])).stdout);
      const reason = p.status?.containerStatuses?.[0]?.state?.waiting?.reason;
      return reason === "ErrImagePull" || reason === "ImagePullBackOff" ? reason : undefined;
    });
    expect(["ErrImagePull", "ImagePullBackOff"]).toContain(waiting);
    // Let the status flip between ErrImagePull and ImagePullBackOff a few times, as a learner's pod would.
    await new Promise((r) => setTimeout(r, 5_000));

    await h.kubectl(["delete", "pod", "hello", "-n", "pulls", "--wait=false"]);
    // Grace period 10 s plus a few seconds (generous under load: the point is that it ends, not when).
    await gone("the pod to be gone", ["get", "pod", "hello", "-n", "pulls"]);
    await h.kubectl(["delete", "namespace", "pulls", "--wait=false"]);
    await gone("the namespace to be gone", ["get", "namespace", "pulls"]);
  });

  it("a pod whose image pull hangs goes away on delete without waiting for the pull", async () => {
    const port = (silent.address() as net.AddressInfo).port;
    const pod = {
      apiVersion: "v1",
      kind: "Pod",
      metadata: { name: "hanging" },
      spec: {
        nodeName: NODE,
        terminationGracePeriodSeconds: 5,
        containers: [{ name: "c", image: `localhost:${port}/never/answers:v1` }],
      },
    };
    await h.kubectl(["apply", "-f", "-"], { stdin: JSON.stringify(pod) });
    await until("the pull to start", async () => {
      const events = (await h.kubectl(["get", "events", "--field-selector", "involvedObject.name=hanging"])).stdout;
      return events.includes("Pulling") ? true : undefined;
    });
    expect(sockets.size).toBeGreaterThan(0);
    await h.kubectl(["delete", "pod", "hanging", "--wait=false"]);
    // Podman would give up on this pull only after more than a minute; the pod must not wait for it.
    await gone("the pod to be gone", ["get", "pod", "hanging"]);
  });
});
