// Issue 20 (kubectl debug) end to end on an agent on Podman with the real kubectl in a real terminal:
// `kubectl debug -it --target` starts an ephemeral container in the target container's process namespace (its
// `ps` shows the target's `sleep 12345`), `--copy-to --share-processes` makes a copy whose containers share one
// process namespace, and a bad ephemeral container update is refused with upstream's 422 and changes nothing.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { homePaths } from "../../scripts/local/home.ts";
import { podmanGate, removeNodeContainers } from "./containers.ts";
import { type Harness, startHarness } from "./harness.ts";
import { until } from "./poll.ts";
import { Terminal } from "./terminal.ts";
import type { AnyJson as Json } from "../../kube/types.ts";

const podman = await podmanGate("debug e2e");

const IMAGE = "busybox:stable";
const NODE = `e2e-dbg-${process.pid.toString(36)}${Date.now().toString(36).slice(-4)}`;

const MANIFEST = JSON.stringify({
  apiVersion: "v1",
  kind: "Pod",
  metadata: { name: "web" },
  spec: {
    nodeName: NODE,
    terminationGracePeriodSeconds: 1,
    containers: [{ name: "app", image: IMAGE, command: ["sleep", "12345"] }],
  },
});

/** Waits for the debug shell, then counts `sleep 12345` processes it sees (the target's: grep's own line differs). */
async function sleepersSeen(term: Terminal, marker: number): Promise<string> {
  await term.waitFor(/If you don't see a command prompt, try pressing enter/, 90_000);
  term.type("");
  term.type(`ps -o pid,args | grep -c 'sleep 12345$'; echo marker-$((${marker}+0))`);
  const screen = await term.waitFor(new RegExp(`^marker-${marker}\\s*$`, "m"));
  return screen;
}

describe.skipIf(podman.skip)("kubectl debug", () => {
  let h: Harness;
  let kubectl = "";
  const getPod = async (name: string): Promise<Json> =>
    JSON.parse((await h.kubectl(["get", "pod", name, "-o", "json"])).stdout);

  beforeAll(async () => {
    podman.require();
    h = await startHarness();
    await h.flotilla.startAgent({ name: NODE, runtime: "docker" });
    await h.kubectl(["apply", "-f", "-"], { stdin: MANIFEST });
    await until(
      "web running",
      async () => ((await getPod("web")).status?.phase === "Running" ? true : undefined),
      120_000,
    );
    kubectl = `env KUBECONFIG=${h.flotilla.kubeconfigPath} KUBECACHEDIR=${homePaths(h.home).kubeCache} kubectl`;
  }, 240_000);

  afterAll(async () => {
    Terminal.killServer();
    await h?.stop();
    if (!podman.unavailable) await removeNodeContainers([NODE]);
  });

  it("debug -it --target gives a shell that sees the target container's processes", async () => {
    const term = new Terminal("debug", `${kubectl} debug -it pod/web --image=${IMAGE} --target=app -c dbg -- sh`);
    // The target's sleep is in this shell's PID namespace.
    expect(await sleepersSeen(term, 12)).toMatch(/^1\s*$/m);
    term.type("exit 3");
    // As upstream: kubectl debug leaves after the attach ends and does not pass the shell's code on.
    expect(await term.exitCode(60_000)).toBe(0);

    const pod = await getPod("web");
    expect(pod.spec.ephemeralContainers).toEqual([
      expect.objectContaining({ name: "dbg", image: IMAGE, targetContainerName: "app", stdin: true, tty: true }),
    ]);
    const status = await until(
      "the debug container's terminated status",
      async () => {
        const s = (await getPod("web")).status?.ephemeralContainerStatuses?.[0];
        return s?.state?.terminated ? s : undefined;
      },
      30_000,
    );
    expect(status).toMatchObject({
      name: "dbg",
      ready: false,
      restartCount: 0,
      state: { terminated: { exitCode: 3 } },
    });
    // Never restarted: the pod and its app container run on.
    expect((await getPod("web")).status.containerStatuses[0]).toMatchObject({ name: "app", restartCount: 0 });
  }, 150_000);

  it("a bad ephemeral container update is refused with upstream's 422 and changes nothing", async () => {
    const before = await getPod("web");
    const body = structuredClone(before);
    body.spec.ephemeralContainers.push({
      name: "bad",
      image: IMAGE,
      ports: [{ containerPort: 80 }],
      targetContainerName: "nosuch",
    });
    const res = await h.api("/api/v1/namespaces/default/pods/web/ephemeralcontainers", {
      method: "PUT",
      body: JSON.stringify(body),
    });
    expect(res.status).toBe(422);
    const status = JSON.parse(res.body);
    expect(status).toMatchObject({ kind: "Status", reason: "Invalid", code: 422 });
    // Upstream's order: the target is checked before the allow-list of fields.
    expect(status.message).toBe(
      'Pod "web" is invalid: [spec.ephemeralContainers[1].targetContainerName: Not found: "nosuch", ' +
        "spec.ephemeralContainers[1].ports: Forbidden: cannot be set for an Ephemeral Container]",
    );
    // Removing one is refused too; a change to anything else through the subresource is dropped.
    const removed = { ...structuredClone(before), spec: { ...before.spec, ephemeralContainers: [] } };
    const res2 = await h.api("/api/v1/namespaces/default/pods/web/ephemeralcontainers", {
      method: "PUT",
      body: JSON.stringify(removed),
    });
    expect(res2.status).toBe(422);
    expect(JSON.parse(res2.body).message).toContain('existing ephemeral containers "dbg" may not be removed');
    const after = await getPod("web");
    expect(after.metadata.resourceVersion).toBe(before.metadata.resourceVersion);
    expect(after.spec).toEqual(before.spec);
  }, 60_000);

  it("debug --copy-to --share-processes makes a copy whose shell sees the app's processes", async () => {
    const term = new Terminal(
      "copy",
      `${kubectl} debug pod/web -it --copy-to=web-debug --image=${IMAGE} --share-processes -c dbg -- sh`,
    );
    expect(await sleepersSeen(term, 25)).toMatch(/^1\s*$/m);
    term.type("exit");
    expect(await term.exitCode(60_000)).toBe(0);
    const copy = await getPod("web-debug");
    expect(copy.spec.shareProcessNamespace).toBe(true);
    expect(copy.spec.containers.map((c: Json) => c.name)).toEqual(["app", "dbg"]);
  }, 150_000);
});
