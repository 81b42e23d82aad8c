// kubectl debug against the pods/ephemeralcontainers subresource, every kubectl build, on a simulated node:
// the debug container is added through the subresource (kubectl patches it) and the agent reports it running
// in status.ephemeralContainerStatuses. A missing subresource still answers as upstream's apiserver does (404
// with an empty `details`, which kubectl dereferences on a 404 from pods/ephemeralcontainers).
import { afterAll, beforeAll, expect, it } from "vitest";
import { type Harness, kubectlBinaries, startHarness } from "./harness.ts";
import { until } from "./poll.ts";
import type { AnyJson as Json } from "../../kube/types.ts";

let h: Harness;

const getPod = async (name: string): Promise<Json> =>
  JSON.parse((await h.kubectl(["get", "pod", name, "-o", "json"])).stdout);

beforeAll(async () => {
  h = await startHarness();
  await h.flotilla.startAgent({ name: "sim-debug", runtime: "simulated" });
  await h.kubectl(["run", "target", "--image=busybox:stable", "--", "sleep", "3600"]);
  await until("target running", async () => ((await getPod("target")).status?.phase === "Running" ? true : undefined));
}, 120_000);

afterAll(async () => {
  await h?.stop();
});

it("a missing subresource is a 404 Status with details, as upstream's go-restful fallback answers", async () => {
  for (const path of ["/api/v1/namespaces/default/pods/target/nosuch", "/api/v1/nosuch"]) {
    const res = await h.api(path);
    expect([path, res.status]).toEqual([path, 404]);
    expect(JSON.parse(res.body)).toEqual({
      kind: "Status",
      apiVersion: "v1",
      metadata: {},
      status: "Failure",
      message: "the server could not find the requested resource",
      reason: "NotFound",
      details: {},
      code: 404,
    });
  }
});

it("pods/ephemeralcontainers reads the pod and is listed in discovery", async () => {
  const res = await h.api("/api/v1/namespaces/default/pods/target/ephemeralcontainers");
  expect(res.status).toBe(200);
  expect(JSON.parse(res.body)).toMatchObject({ kind: "Pod", metadata: { name: "target" } });
  const resources = JSON.parse((await h.api("/api/v1")).body).resources as Json[];
  expect(resources.find((r) => r.name === "pods/ephemeralcontainers")).toMatchObject({
    kind: "Pod",
    namespaced: true,
    verbs: ["get", "patch", "update"],
  });
});

it.each(kubectlBinaries().map((b, i) => [b.name, b.path, i]))(
  "%s debug adds an ephemeral container that the node runs",
  async (_name, binary, i) => {
    const container = `dbg${i}`;
    const res = await h.kubectl(
      ["debug", "target", "--image=busybox:stable", "--target=target", "-c", container, "--", "sleep", "600"],
      { binary, timeoutMs: 30_000 },
    );
    expect(res.code).toBe(0);
    const pod = await getPod("target");
    expect(pod.spec.ephemeralContainers).toContainEqual(
      expect.objectContaining({ name: container, image: "busybox:stable", targetContainerName: "target" }),
    );
    const status = await until(`${container} running`, async () => {
      const all: Json[] = (await getPod("target")).status?.ephemeralContainerStatuses ?? [];
      return all.find((s) => s.name === container && s.state?.running);
    });
    expect(status).toMatchObject({ ready: false, restartCount: 0 });
  },
);

it("Pod Security covers debug containers: a privileged one is refused in a baseline namespace", async () => {
  await h.kubectl(["create", "namespace", "guarded"]);
  await h.kubectl(["label", "ns", "guarded", "pod-security.kubernetes.io/enforce=baseline"]);
  await h.kubectl(["run", "calm", "-n", "guarded", "--image=busybox:stable", "--", "sleep", "3600"]);
  const refused = await h.kubectl(
    ["debug", "-n", "guarded", "calm", "--image=busybox:stable", "--profile=sysadmin", "-c", "root"],
    { allowFail: true },
  );
  expect(refused.code).toBe(1);
  expect(refused.stderr).toContain(
    'pods "calm" is forbidden: violates PodSecurity "baseline:latest": privileged (container "root" must not set securityContext.privileged=true)',
  );
  const pod = JSON.parse((await h.kubectl(["get", "pod", "calm", "-n", "guarded", "-o", "json"])).stdout);
  expect(pod.spec.ephemeralContainers).toBeUndefined();
});

it("debug --copy-to with --set-image and --container makes the copy as asked", async () => {
  const res = await h.kubectl([
    "debug",
    "target",
    "--copy-to=target-copy",
    "--set-image=*=busybox:1.36",
    "--image=busybox:stable",
    "-c",
    "sidecar",
    "--",
    "sleep",
    "60",
  ]);
  expect(res.code).toBe(0);
  const copy = await getPod("target-copy");
  expect(copy.spec.containers.map((c: Json) => [c.name, c.image])).toEqual([
    ["target", "busybox:1.36"],
    ["sidecar", "busybox:stable"],
  ]);
  expect(copy.spec.ephemeralContainers).toBeUndefined();
});

it("debug of a missing pod says the pod is not found", async () => {
  const res = await h.kubectl(["debug", "-it", "nosuch", "--image=busybox:stable"], { allowFail: true });
  expect(res.stderr).not.toMatch(/panic|nil pointer/);
  expect(res.code).toBe(1);
  expect(res.stderr).toContain('pods "nosuch" not found');
});
