// Issue 8 (first part) end to end: logs and exec through the node tunnel, an agent on Podman, the real
// kubectl (default and 1.33). Pods are pinned to the agent's node with spec.nodeName.
import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { podmanGate, removeNodeContainers } from "./containers.ts";
import { type Harness, startHarness } from "./harness.ts";
import { findKubectl } from "./kubectl.ts";
import { until } from "./poll.ts";
import type { AnyJson as Json } from "../../kube/types.ts";

const podman = await podmanGate("streams e2e");

const IMAGE = "busybox:stable";
const NODE = `e2e-s-${process.pid.toString(36)}${Date.now().toString(36).slice(-4)}`;

/** kubectl.1.33 beside the dispatcher, when there. */
function kubectl133(): string | undefined {
  const found = findKubectl();
  if (!found) return undefined;
  const candidate = path.join(path.dirname(fs.realpathSync(found)), "kubectl.1.33");
  return fs.existsSync(candidate) ? candidate : undefined;
}

const pod = (name: string, containers: Json[], extra: Json = {}) =>
  JSON.stringify({
    apiVersion: "v1",
    kind: "Pod",
    metadata: { name },
    spec: { nodeName: NODE, terminationGracePeriodSeconds: 1, containers, ...extra },
  });
const sh = (name: string, script: string) => ({ name, image: IMAGE, command: ["sh", "-c", script] });

describe.skipIf(podman.skip)("logs and exec through the node tunnel", () => {
  let h: Harness;
  const getJson = async (...args: string[]): Promise<Json> =>
    JSON.parse((await h.kubectl(["get", ...args, "-o", "json"])).stdout);
  const running = (name: string) =>
    until(`${name} running`, async () => ((await getJson("pod", name)).status?.phase === "Running" ? true : undefined));

  beforeAll(async () => {
    podman.require();
    h = await startHarness();
    await h.flotilla.startAgent({ name: NODE, runtime: "docker" });
    const apply = (m: string) => h.kubectl(["apply", "-f", "-"], { stdin: m });
    await apply(pod("ticker", [sh("main", "i=0; while true; do i=$((i+1)); echo tick $i; sleep 0.5; done")]));
    await apply(pod("two", [sh("a", "echo from-a; sleep 3600"), sh("b", "echo from-b; sleep 3600")]));
    await apply(pod("crasher", [sh("main", "echo run at $(date +%s%N); sleep 2; exit 1")]));
    await running("ticker");
    await running("two");
  }, 180_000);

  afterAll(async () => {
    await h?.stop();
    if (!podman.unavailable) await removeNodeContainers([NODE]);
  });

  it("kubectl logs, --tail and -c on a two-container pod (default kubectl and 1.33)", async () => {
    for (const binary of [undefined, kubectl133()]) {
      const out = await until("ticks", async () => {
        const r = await h.kubectl(["logs", "ticker"], { binary });
        return /tick 2\n/.test(r.stdout) ? r.stdout : undefined;
      });
      expect(out).toMatch(/^tick 1\n/);
      expect((await h.kubectl(["logs", "ticker", "--tail=1"], { binary })).stdout.trim().split("\n")).toHaveLength(1);
      expect((await h.kubectl(["logs", "two", "-c", "b"], { binary })).stdout).toBe("from-b\n");
      const noContainer = await h.kubectl(["logs", "two"], { binary, allowFail: true });
      // kubectl picks the first container itself unless told otherwise; the server's 400 shows through the API.
      expect(noContainer.code === 0 ? noContainer.stdout : noContainer.stderr).toMatch(/from-a|choose one of/);
    }
    const raw = await h.api("/api/v1/namespaces/default/pods/two/log");
    expect(raw.status).toBe(400);
    expect(raw.body).toContain("a container name must be specified for pod two, choose one of: [a b]");
  }, 120_000);

  it("kubectl logs -f: lines arrive while the container writes them", async () => {
    const watch = h.watchKubectl(["logs", "-f", "ticker", "--tail=1"]);
    try {
      const first = Number((await watch.waitFor(/^tick \d+$/, 20_000)).split(" ")[1]);
      await watch.waitFor((l) => l === `tick ${first + 3}`, 20_000);
    } finally {
      await watch.stop();
    }
  }, 60_000);

  it("kubectl logs --previous after a restart", async () => {
    await until(
      "crasher restarted",
      async () =>
        (await getJson("pod", "crasher")).status?.containerStatuses?.[0]?.restartCount >= 1 ? true : undefined,
      90_000,
    );
    const previous = await h.kubectl(["logs", "crasher", "--previous"]);
    expect(previous.stdout).toMatch(/^run at \d+/);
  }, 120_000);

  it("kubectl exec prints the output and exits with the command's code; exec -i passes stdin", async () => {
    for (const binary of [undefined, kubectl133()]) {
      const r = await h.kubectl(["exec", "ticker", "--", "sh", "-c", "echo $HOSTNAME; exit 3"], {
        binary,
        allowFail: true,
      });
      // The runtime names the container's host after its id for now, not the pod (upstream uses the pod name).
      expect(r.stdout).toMatch(/^\S+\n$/);
      expect(r.code).toBe(3);
      const piped = await h.kubectl(["exec", "-i", "ticker", "--", "sh", "-c", "tr a-z A-Z"], {
        binary,
        stdin: "hello tunnel\n",
      });
      expect(piped.stdout).toBe("HELLO TUNNEL\n");
    }
  }, 120_000);
});
