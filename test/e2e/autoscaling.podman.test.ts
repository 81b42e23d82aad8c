// Issue 10 end to end: the HorizontalPodAutoscaler scales a deployment by the CPU its pods really burn on
// Podman, measured by the agent and reported with its sync, as kubectl users see it (autoscale, get hpa,
// top pods). Also: the oldest and newest kubectl builds can create and list autoscalers.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { podmanGate, removeNodeContainers } from "./containers.ts";
import { type Harness, type KubectlBinary, kubectlBinaries, startHarness } from "./harness.ts";
import { until } from "./poll.ts";
import type { AnyJson as Json } from "../../kube/types.ts";

const podman = await podmanGate("autoscaling e2e");

const IMAGE = "busybox:stable";
const suffix = `${process.pid.toString(36)}${Date.now().toString(36).slice(-4)}`;
const NODE = `hpa-${suffix}`;
const HPA_HEADER = /^NAME\s+REFERENCE\s+TARGETS\s+MINPODS\s+MAXPODS\s+REPLICAS\s+AGE$/m;

/** A deployment whose one container runs `command`; a small CPU request so a busy loop is many times it. */
const deployment = (command: string) => ({
  apiVersion: "apps/v1",
  kind: "Deployment",
  metadata: { name: "web" },
  spec: {
    replicas: 1,
    selector: { matchLabels: { app: "web" } },
    template: {
      metadata: { labels: { app: "web" } },
      spec: {
        terminationGracePeriodSeconds: 1,
        containers: [
          {
            name: "burn",
            image: IMAGE,
            command: ["sh", "-c", command],
            // The machine has 2 cores shared with other work: 3 replicas at most 600m.
            resources: { requests: { cpu: "50m" }, limits: { cpu: "200m" } },
          },
        ],
      },
    },
  },
});

const seconds = (ms: number) => Math.round(ms / 100) / 10;

describe.skipIf(podman.skip)("horizontal pod autoscaling with an agent on Podman", () => {
  let h: Harness;

  const getJson = async (...args: string[]): Promise<Json> =>
    JSON.parse((await h.kubectl(["get", ...args, "-o", "json"])).stdout);
  const hpa = () => getJson("hpa", "web");

  beforeAll(async () => {
    podman.require();
    h = await startHarness();
    await h.flotilla.startAgent({ name: NODE, runtime: "docker" });
  });

  afterAll(async () => {
    await h?.stop();
    if (!podman.unavailable) await removeNodeContainers([NODE]);
  });

  it("scales a CPU-burning deployment up within two minutes and back down after the stabilization window", async () => {
    await h.kubectl(["create", "-f", "-"], { stdin: JSON.stringify(deployment("while true; do :; done")) });
    await until("web's pod running", async () => {
      const items: Json[] = (await getJson("pods", "-l", "app=web")).items;
      return items.some((p) => p.status?.phase === "Running") ? true : undefined;
    });
    const created = await h.kubectl(["autoscale", "deployment", "web", "--cpu-percent=50", "--min=1", "--max=3"]);
    expect(created.stdout).toBe("horizontalpodautoscaler.autoscaling/web autoscaled\n");
    const upStart = Date.now();

    // The loop is capped at 200m against a 50m request: 400% wanted 8 pods, clamped to 3.
    const scaledUp = await until(
      "the autoscaler to scale web to 3",
      async () => {
        const o = await hpa();
        return o.status?.desiredReplicas === 3 ? o : undefined;
      },
      120_000,
      1_000,
    );
    const upMs = Date.now() - upStart;
    console.log(`autoscaling e2e: scale-up 1 → 3 took ${seconds(upMs)} s`);
    const utilization = scaledUp.status.currentMetrics[0].resource.current.averageUtilization;
    expect(utilization).toBeGreaterThan(100);
    const events = (
      await h.kubectl(["get", "events", "--field-selector", "involvedObject.kind=HorizontalPodAutoscaler"])
    ).stdout;
    expect(events).toMatch(
      /SuccessfulRescale\s+horizontalpodautoscaler\/web\s+New size: 3; reason: cpu resource utilization \(percentage of request\) above target/,
    );

    // All three burn: top shows each above its 50m request (the 200m limit is shared with the rest of a busy
    // 2-core machine), get hpa the utilization against 50%.
    let top = "";
    await until(
      "kubectl top pods to show 3 busy pods",
      async () => {
        const res = await h.kubectl(["top", "pods", "-l", "app=web"], { allowFail: true });
        top = res.stdout + res.stderr;
        const busy = [...res.stdout.matchAll(/^web-\S+\s+(\d+)m\s+\d+Mi\s*$/gm)].filter((m) => Number(m[1]) > 50);
        return busy.length === 3 ? res.stdout : undefined;
      },
      90_000,
      2_000,
    ).catch((e) => {
      throw new Error(`${(e as Error).message}; last output:\n${top}`);
    });
    console.log(`autoscaling e2e: kubectl top pods while the load runs:\n${top}`);
    // REPLICAS is the count the autoscaler saw at its last sync, so it reaches 3 one sync after the rescale.
    const busyRow = /^web\s+Deployment\/web\s+cpu: (\d+)%\/50%\s+1\s+3\s+3\s+\S+$/m;
    const table = await until("get hpa to show 3 replicas", async () => {
      const out = (await h.kubectl(["get", "hpa"])).stdout;
      return busyRow.test(out) ? out : undefined;
    });
    console.log(`autoscaling e2e: kubectl get hpa while the load runs:\n${table}`);
    expect(table).toMatch(HPA_HEADER);
    expect(Number(busyRow.exec(table)?.[1])).toBeGreaterThan(100);

    // A short scale-down window through autoscaling/v2, then the load stops: the pods are replaced by idle ones.
    await h.kubectl([
      "patch",
      "horizontalpodautoscalers.v2.autoscaling",
      "web",
      "--type=merge",
      "-p",
      JSON.stringify({ spec: { behavior: { scaleDown: { stabilizationWindowSeconds: 15 } } } }),
    ]);
    const behavior = (await hpa()).spec.behavior;
    expect(behavior.scaleDown).toMatchObject({ stabilizationWindowSeconds: 15, selectPolicy: "Max" });
    // A strategic merge patch of the command alone: the replica count stays the autoscaler's.
    const idle = {
      spec: { template: { spec: { containers: [{ name: "burn", command: ["sh", "-c", "sleep 3600"] }] } } },
    };
    await h.kubectl(["patch", "deployment", "web", "-p", JSON.stringify(idle)]);
    const downStart = Date.now();
    const scaledDown = await until(
      "the autoscaler to scale web back to 1",
      async () => {
        const o = await hpa();
        return o.status?.desiredReplicas === 1 ? o : undefined;
      },
      180_000,
      1_000,
    );
    const downMs = Date.now() - downStart;
    console.log(`autoscaling e2e: scale-down 3 → 1 took ${seconds(downMs)} s after the load stopped`);
    expect(scaledDown.status.currentMetrics[0].resource.current.averageUtilization).toBeLessThan(50);
    expect(downMs).toBeGreaterThan(15_000);
    const table2 = (await h.kubectl(["get", "hpa", "web"])).stdout;
    console.log(`autoscaling e2e: kubectl get hpa after the load stopped:\n${table2}`);
    expect(table2).toMatch(/^web\s+Deployment\/web\s+cpu: \d{1,2}%\/50%\s+1\s+3\s+[1-3]\s+/m);
    const events2 = (
      await h.kubectl(["get", "events", "--field-selector", "involvedObject.kind=HorizontalPodAutoscaler"])
    ).stdout;
    expect(events2).toMatch(
      /SuccessfulRescale\s+horizontalpodautoscaler\/web\s+New size: 1; reason: All metrics below target/,
    );
    const replicas = await until("deployment web at 1 replica", async () => {
      const d = await getJson("deployment", "web");
      return d.spec.replicas === 1 ? d.spec.replicas : undefined;
    });
    expect(replicas).toBe(1);
  });
});

// No nodes needed: each kubectl build creates an autoscaler (1.27–1.32 post autoscaling/v1, 1.33 v2) and lists it.
// Versions are named by the long resource name: kubectl 1.32 and 1.33 (not 1.27) expand `hpa.v1.autoscaling` to the short name's
// first (preferred) version.
const BINARIES = kubectlBinaries();

describe("kubectl autoscale and get hpa with each kubectl build", () => {
  let h: Harness;

  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(async () => {
    await h?.stop();
  });

  it.each(BINARIES)("$name", async (b: KubectlBinary) => {
    const name = `web-${b.name.replace(/\W/g, "-")}`;
    const k = async (...args: string[]) => (await h.kubectl(args, { binary: b.path })).stdout;
    await k("create", "deployment", name, `--image=${IMAGE}`);
    expect(await k("autoscale", "deployment", name, "--cpu-percent=50", "--min=1", "--max=3")).toBe(
      `horizontalpodautoscaler.autoscaling/${name} autoscaled\n`,
    );
    const out = await k("get", "hpa", name);
    expect(out).toMatch(HPA_HEADER);
    expect(out).toMatch(
      new RegExp(`^${name}\\s+Deployment/${name}\\s+cpu: <unknown>/50%\\s+1\\s+3\\s+\\d+\\s+\\d+s$`, "m"),
    );
    const v2 = JSON.parse(await k("get", "horizontalpodautoscalers.v2.autoscaling", name, "-o", "json"));
    expect(v2.spec.metrics).toEqual([
      { type: "Resource", resource: { name: "cpu", target: { type: "Utilization", averageUtilization: 50 } } },
    ]);
    const v1 = JSON.parse(await k("get", "horizontalpodautoscalers.v1.autoscaling", name, "-o", "json"));
    expect(v1.spec).toMatchObject({ minReplicas: 1, maxReplicas: 3, targetCPUUtilizationPercentage: 50 });
    // The controller's first sync follows the create on the object's alarm: wait for its conditions.
    const described = await until("describe hpa to show conditions", async () => {
      const out = await k("describe", "hpa", name);
      return /^ {2}AbleToScale\s+True\s+SucceededGetScale\s/m.test(out) ? out : undefined;
    });
    expect(described).toMatch(/^Reference:\s+Deployment\/web-\S+$/m);
    expect(described).toMatch(/^ {2}resource cpu on pods {2}\(as a percentage of request\):\s+<unknown> \/ 50%$/m);
    await k("delete", "hpa", name);
  });

  // 1.27 explains from OpenAPI v2, which this server leaves empty; the dispatcher's build reads v3.
  it("kubectl explain hpa reads the autoscaling/v2 schema", async () => {
    const out = (await h.kubectl(["explain", "hpa.spec.behavior.scaleDown"])).stdout;
    expect(out).toMatch(/^GROUP:\s+autoscaling$/m);
    expect(out).toMatch(/^VERSION:\s+v2$/m);
    expect(out).toMatch(/^\s+stabilizationWindowSeconds\s+<integer>$/m);
  });
});
