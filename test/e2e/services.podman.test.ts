// Issue 8 (in-cluster discovery) end to end on Podman: two agents, a 2-replica busybox httpd Deployment
// behind a Service with one pod per node, and a client pod on node a. The client's environment has
// upstream's Service variables (the cluster IP and Service port, which node a routes to its service proxy's
// listener; cluster-network.podman.test.ts covers the routing itself), and wget to them reaches both pods — the one on node b through the tunnel. A Service created
// after the client started is not in its environment, as upstream. Prints per-request latency from inside the
// client: direct to a pod IP, through the proxy to a pod on the same node, and to one on the other node.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { podmanGate, removeNodeContainers } from "./containers.ts";
import { type Harness, startHarness } from "./harness.ts";
import { untilNodesReady } from "./nodes-ready.ts";
import { clientPod, webAppList } from "./fixtures/web-app.ts";
import { until } from "./poll.ts";
import type { AnyJson as Json } from "../../kube/types.ts";

const podman = await podmanGate("services e2e");

const NODE = `e2e-s-${process.pid.toString(36)}${Date.now().toString(36).slice(-4)}`;
const NODES = [`${NODE}-a`, `${NODE}-b`];

// One pod per node: node a's client reaches node b's pod only through the tunnel.
const WEB = JSON.stringify(webAppList({ replicas: 2, spread: true }));

const CLIENT = JSON.stringify(clientPod(NODES[0] ?? ""));

const sideService = (side: string) =>
  JSON.stringify({
    apiVersion: "v1",
    kind: "Service",
    metadata: { name: `web-${side}` },
    spec: { selector: { app: "web", side }, ports: [{ port: 80, targetPort: "http" }] },
  });

const LATE = JSON.stringify({
  apiVersion: "v1",
  kind: "Service",
  metadata: { name: "late" },
  spec: { selector: { app: "web" }, ports: [{ port: 81, targetPort: "http" }] },
});

describe.skipIf(podman.skip)("Service environment variables and Services reached through the agents", () => {
  let h: Harness;
  let pods: { name: string; node: string }[] = [];
  let env = new Map<string, string>();

  const clientEnv = async () => {
    const out = (await h.kubectl(["exec", "client", "--", "env"])).stdout;
    return new Map(
      out
        .split("\n")
        .filter((l) => l.includes("="))
        .map((l) => [l.slice(0, l.indexOf("=")), l.slice(l.indexOf("=") + 1)] as [string, string]),
    );
  };

  beforeAll(async () => {
    podman.require();
    h = await startHarness();
    await Promise.all(NODES.map((name) => h.flotilla.startAgent({ name, runtime: "docker" })));
    await untilNodesReady(h, NODES.length);
    await h.kubectl(["apply", "-f", "-"], { stdin: WEB });
    await until(
      "2 ready endpoints",
      async () => {
        const eps = JSON.parse((await h.kubectl(["get", "endpoints", "web", "-o", "json"])).stdout) as Json;
        return (eps.subsets?.[0]?.addresses ?? []).length === 2 ? true : undefined;
      },
      120_000,
    );
    const list = JSON.parse((await h.kubectl(["get", "pods", "-l", "app=web", "-o", "json"])).stdout) as Json;
    pods = list.items.map((p: Json) => ({ name: p.metadata.name, node: p.spec.nodeName }));
    // One Service per side (for the figures: only this node's pod, only the other node's).
    for (const [i, node] of NODES.entries()) {
      const pod = pods.find((p) => p.node === node)!;
      await h.kubectl(["label", "pod", pod.name, `side=${"ab"[i]}`]);
      await h.kubectl(["apply", "-f", "-"], { stdin: sideService("ab"[i]) });
    }
    await until(
      "side endpoints",
      async () => {
        for (const side of ["a", "b"]) {
          const eps = JSON.parse((await h.kubectl(["get", "endpoints", `web-${side}`, "-o", "json"])).stdout) as Json;
          if ((eps.subsets?.[0]?.addresses ?? []).length !== 1) return undefined;
        }
        return true;
      },
      60_000,
    );
    await h.kubectl(["apply", "-f", "-"], { stdin: CLIENT });
    await h.kubectl(["wait", "--for=condition=Ready", "pod/client", "--timeout=120s"], { timeoutMs: 130_000 });
    env = await clientEnv();
  }, 300_000);

  afterAll(async () => {
    await h?.stop();
    if (!podman.unavailable) await removeNodeContainers(NODES);
  });

  it("runs one web pod on each node and the client on node a", async () => {
    expect(new Set(pods.map((p) => p.node))).toEqual(new Set(NODES));
    const client = JSON.parse((await h.kubectl(["get", "pod", "client", "-o", "json"])).stdout) as Json;
    expect(client.spec.nodeName).toBe(NODES[0]);
  });

  it("gives the client upstream's variables for web and kubernetes: cluster IPs and Service ports", async () => {
    const lines = [...env].filter(([k]) => k.startsWith("WEB_") || k.startsWith("KUBERNETES_"));
    console.log(lines.map(([k, v]) => `${k}=${v}`).join("\n"));
    const clusterIP = async (name: string) =>
      (JSON.parse((await h.kubectl(["get", "service", name, "-o", "json"])).stdout) as Json).spec.clusterIP;
    const host = await clusterIP("web");
    const port = "80";
    expect(Object.fromEntries(lines.filter(([k]) => /^WEB_(SERVICE|PORT)/.test(k)))).toEqual({
      WEB_SERVICE_HOST: host,
      WEB_SERVICE_PORT: port,
      WEB_SERVICE_PORT_HTTP: port,
      WEB_PORT: `tcp://${host}:${port}`,
      WEB_PORT_80_TCP: `tcp://${host}:${port}`,
      WEB_PORT_80_TCP_PROTO: "tcp",
      WEB_PORT_80_TCP_PORT: port,
      WEB_PORT_80_TCP_ADDR: host,
    });
    expect(env.get("KUBERNETES_SERVICE_HOST")).toBe(await clusterIP("kubernetes"));
    expect(env.get("KUBERNETES_SERVICE_PORT_HTTPS")).toBe("443");
  });

  it("reaches both web pods through $WEB_SERVICE_HOST:$WEB_SERVICE_PORT, node b's through the tunnel", async () => {
    const seen = new Map<string, number>();
    const started = performance.now();
    const N = 10;
    for (let i = 0; i < N; i++) {
      const out = await h.kubectl([
        "exec",
        "client",
        "--",
        "sh",
        "-c",
        "wget -qO- http://$WEB_SERVICE_HOST:$WEB_SERVICE_PORT/",
      ]);
      const name = out.stdout.trim();
      seen.set(name, (seen.get(name) ?? 0) + 1);
    }
    const ms = (performance.now() - started) / N;
    console.log(
      `${N} requests from the client via the service proxy (kubectl exec + wget each, ${ms.toFixed(0)} ms avg):`,
    );
    for (const p of pods) console.log(`  ${p.name}@${p.node}: ${seen.get(p.name) ?? 0}`);
    expect([...seen.keys()].sort()).toEqual(pods.map((p) => p.name).sort());
    for (const n of seen.values()) expect(n).toBe(N / 2);
  }, 120_000);

  it("carries a larger answer intact across nodes (flow control on both streams)", async () => {
    // 3 MiB > the tunnel window: credit must be given back for the transfer to finish.
    const script = [
      "head -c 3145728 /dev/zero | tr '\\0' x > /www/big",
      "for i in 1 2; do wget -qO- http://$WEB_SERVICE_HOST:$WEB_SERVICE_PORT/big | wc -c; done",
    ];
    for (const p of pods) await h.kubectl(["exec", p.name, "--", "sh", "-c", script[0]]);
    const out = await h.kubectl(["exec", "client", "--", "sh", "-c", script[1]], { timeoutMs: 60_000 });
    expect(out.stdout.trim().split(/\s+/)).toEqual(["3145728", "3145728"]);
  }, 120_000);

  it("prints per-request figures from inside the client: via the proxy vs the local pod's IP directly", async () => {
    const N = 100;
    const local = JSON.parse((await h.kubectl(["get", "pods", "-l", "app=web", "-o", "json"])).stdout) as Json;
    const localIP = local.items.find((p: Json) => p.spec.nodeName === NODES[0]).status.podIP;
    const timed = async (url: string) => {
      // busybox date has no %N: /proc/uptime counts centiseconds, enough over N requests.
      const cs = "$(cut -d' ' -f1 /proc/uptime | tr -d .)";
      const script = `s=${cs}; for i in $(seq ${N}); do wget -qO- ${url} >/dev/null || echo fail; done; e=${cs}; echo $(( (e - s) * 10000 / ${N} ))`;
      const out = (await h.kubectl(["exec", "client", "--", "sh", "-c", script], { timeoutMs: 60_000 })).stdout;
      expect(out).not.toContain("fail");
      return Number(out.trim().split("\n").pop());
    };
    const direct = await timed(`http://${localIP}:8080/`);
    const sameNode = await timed("http://$WEB_A_SERVICE_HOST:$WEB_A_SERVICE_PORT/");
    const otherNode = await timed("http://$WEB_B_SERVICE_HOST:$WEB_B_SERVICE_PORT/");
    console.log(
      `per request from the client pod on node a (${N} sequential wgets each): direct to the local pod's IP ` +
        `${direct} µs; through node a's service proxy to the pod on node a ${sameNode} µs; ` +
        `to the pod on node b through the tunnel ${otherNode} µs`,
    );
  }, 120_000);

  it("leaves a Service created after the pod started out of its environment", async () => {
    await h.kubectl(["apply", "-f", "-"], { stdin: LATE });
    // Give node a's agent the time to hear of it: it must still not appear in the running pod.
    await new Promise((resolve) => setTimeout(resolve, 3000));
    const now = await clientEnv();
    expect(now.has("LATE_SERVICE_HOST")).toBe(false);
    expect(now.get("WEB_SERVICE_PORT")).toBe(env.get("WEB_SERVICE_PORT"));
  });
});
