// Issue 15's data path end to end on Podman with two agents: node IPAM gives each node a /24 of
// 10.244.0.0/16, each agent's pod network sits on it, a Service's cluster IP routes from a pod on node a to
// pods on both nodes (node b's through the tunnel) and stops sending to an unready pod, pods are told the
// cluster IP and Service port as upstream, a NodePort answers on the node's host address, a LoadBalancer
// gets node ports and an empty status, an agent restarted keeps its network and rules, and a deleted node's
// agent leaves nothing behind on the host.
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { connectDocker, findDockerHost } from "../../agent/runtime/docker/connect.ts";
import { POD_NETWORK_NODE_LABEL } from "../../agent/runtime/docker/pod-network.ts";
import { serviceHost } from "../../kube/edge-hosts.ts";
import { LOCAL_EDGE_DOMAIN } from "../../scripts/local/flotilla.ts";
import type { AgentProcess } from "../../scripts/local/local-agent.ts";
import { podmanGate, removeNodeContainers } from "./containers.ts";
import { clientPod, WEB_IMAGE, webAppList } from "./fixtures/web-app.ts";
import { type Harness, startHarness } from "./harness.ts";
import { untilNodesReady } from "./nodes-ready.ts";
import { until } from "./poll.ts";
import type { AnyJson as Json } from "../../kube/types.ts";

const podman = await podmanGate("cluster network e2e");
const exec = promisify(execFile);

const NODE = `e2e-n-${process.pid.toString(36)}${Date.now().toString(36).slice(-4)}`;
const NODES = [`${NODE}-a`, `${NODE}-b`];

const CLIENT = JSON.stringify(clientPod(NODES[0] ?? ""));

const exposed = (name: string, type: string) =>
  JSON.stringify({
    apiVersion: "v1",
    kind: "Service",
    metadata: { name },
    spec: { type, selector: { app: "web" }, ports: [{ name: "http", port: 80, targetPort: "http" }] },
  });

const inRange = (ip: string, cidr: string) => {
  const [base] = cidr.split("/");
  return ip.split(".").slice(0, 3).join(".") === (base ?? "").split(".").slice(0, 3).join(".");
};

/** The host objects an agent of this node made: its pod network's name and the derived id. */
async function agentNetwork(node: string): Promise<{ name: string; id: string; subnet: string } | undefined> {
  const docker = connectDocker(findDockerHost() ?? "");
  const [n] = await docker.listNetworks({ filters: { label: [`${POD_NETWORK_NODE_LABEL}=${node}`] } });
  if (!n) return undefined;
  const info = (await docker
    .getNetwork(n.Name)
    .inspect()
    .catch(() => undefined)) as Json;
  if (!info) return undefined; // removed meanwhile
  return { name: n.Name, id: n.Name.replace(/^flotilla-/, ""), subnet: info.IPAM?.Config?.[0]?.Subnet };
}

/**
 * Upstream's guestbook in miniature: a backend the frontend knows only as the Service "redis-leader" (busybox
 * httpd answering PONG on 6379, pinned to one node) and a frontend on the other node asking it every second.
 */
function guestbookPair(backendNode: string, frontendNode: string) {
  const pinned = (node: string) => ({ "kubernetes.io/hostname": node });
  const pod = (name: string, node: string, script: string, port?: number) => ({
    apiVersion: "v1",
    kind: "Pod",
    metadata: { name, labels: { app: name } },
    spec: {
      terminationGracePeriodSeconds: 1,
      nodeSelector: pinned(node),
      containers: [
        {
          name,
          image: WEB_IMAGE,
          command: ["sh", "-c", script],
          ...(port
            ? { ports: [{ containerPort: port }], readinessProbe: { tcpSocket: { port }, periodSeconds: 1 } }
            : {}),
        },
      ],
    },
  });
  return {
    apiVersion: "v1",
    kind: "List",
    items: [
      pod(
        "redis-leader",
        backendNode,
        "mkdir -p /www && echo PONG > /www/index.html && exec httpd -f -p 6379 -h /www",
        6379,
      ),
      {
        apiVersion: "v1",
        kind: "Service",
        metadata: { name: "redis-leader" },
        spec: { selector: { app: "redis-leader" }, ports: [{ port: 6379, targetPort: 6379 }] },
      },
      // `timeout`, not wget's -T: Debian's busybox-static 1.35 wget segfaults when given -T.
      pod(
        "frontend",
        frontendNode,
        "while true; do timeout 3 wget -qO- http://redis-leader:6379/ > /tmp/next 2>&1 || echo fail > /tmp/next; mv /tmp/next /tmp/last; sleep 1; done",
      ),
    ],
  };
}

const hostHas = async (args: string[]) =>
  exec(args[0] ?? "", args.slice(1)).then(
    (r) => r.stdout,
    () => "",
  );

describe.skipIf(podman.skip)("cluster networking: pod CIDRs, cluster IPs, node ports", () => {
  let h: Harness;
  let agents: AgentProcess[] = [];
  let pods: { name: string; node: string; ip: string }[] = [];
  let clusterIP = "";

  const get = async (what: string[]) => JSON.parse((await h.kubectl(["get", ...what, "-o", "json"])).stdout) as Json;
  const wgetFromClient = async (url: string, n: number) => {
    const script = `for i in $(seq ${n}); do wget -qO- ${url} || echo fail; done`;
    const out = await h.kubectl(["exec", "client", "--", "sh", "-c", script], { timeoutMs: 120_000 });
    const seen = new Map<string, number>();
    for (const line of out.stdout.trim().split("\n")) seen.set(line, (seen.get(line) ?? 0) + 1);
    return seen;
  };

  beforeAll(async () => {
    podman.require();
    h = await startHarness();
    agents = await Promise.all(NODES.map((name) => h.flotilla.startAgent({ name, runtime: "docker" })));
    await untilNodesReady(h, NODES.length);
    await h.kubectl(["apply", "-f", "-"], { stdin: JSON.stringify(webAppList({ replicas: 2, spread: true })) });
    await until(
      "2 ready endpoints",
      async () => ((await get(["endpoints", "web"])).subsets?.[0]?.addresses ?? []).length === 2 || undefined,
      120_000,
    );
    const list = await get(["pods", "-l", "app=web"]);
    pods = list.items.map((p: Json) => ({ name: p.metadata.name, node: p.spec.nodeName, ip: p.status.podIP }));
    clusterIP = (await get(["service", "web"])).spec.clusterIP;
    await h.kubectl(["apply", "-f", "-"], { stdin: CLIENT });
    await h.kubectl(["wait", "--for=condition=Ready", "pod/client", "--timeout=120s"], { timeoutMs: 130_000 });
  }, 300_000);

  afterAll(async () => {
    await h?.stop();
    if (!podman.unavailable) await removeNodeContainers(NODES);
  });

  it("gives each node its own /24 and each pod an IP inside its node's range", async () => {
    const out = await h.kubectl(["get", "nodes", "-o", "jsonpath={..podCIDR}"]);
    const cidrs = out.stdout.trim().split(/\s+/);
    console.log(`podCIDRs: ${cidrs.join(" ")}; pods: ${pods.map((p) => `${p.name}@${p.node}=${p.ip}`).join(" ")}`);
    expect(cidrs).toHaveLength(2);
    expect(new Set(cidrs).size).toBe(2);
    for (const c of cidrs) expect(c).toMatch(/^10\.244\.\d+\.0\/24$/);
    const nodes = await get(["nodes"]);
    const cidrOf = new Map<string, string>(nodes.items.map((n: Json) => [n.metadata.name, n.spec.podCIDR]));
    expect(new Set(pods.map((p) => p.node))).toEqual(new Set(NODES));
    for (const p of pods) expect(inRange(p.ip, cidrOf.get(p.node) ?? "")).toBe(true);
    for (const node of NODES) expect((await agentNetwork(node))?.subnet).toBe(cidrOf.get(node));
  });

  it("tells pods the cluster IP and the Service port, as upstream", async () => {
    const out = (await h.kubectl(["exec", "client", "--", "env"])).stdout;
    const env = new Map(out.split("\n").map((l) => [l.slice(0, l.indexOf("=")), l.slice(l.indexOf("=") + 1)]));
    const kubernetesIP = (await get(["service", "kubernetes"])).spec.clusterIP;
    expect(env.get("WEB_SERVICE_HOST")).toBe(clusterIP);
    expect(env.get("WEB_SERVICE_PORT")).toBe("80");
    expect(env.get("WEB_SERVICE_PORT_HTTP")).toBe("80");
    expect(env.get("WEB_PORT_80_TCP")).toBe(`tcp://${clusterIP}:80`);
    expect(env.get("KUBERNETES_SERVICE_HOST")).toBe(kubernetesIP);
    expect(env.get("KUBERNETES_SERVICE_PORT")).toBe("443");
  });

  it("routes the cluster IP from a pod on node a to pods on both nodes in equal shares", async () => {
    const seen = await wgetFromClient(`http://${clusterIP}:80/`, 20);
    console.log(`20 wgets to ${clusterIP}:80 from node a: ${JSON.stringify(Object.fromEntries(seen))}`);
    expect([...seen.keys()].sort()).toEqual(pods.map((p) => p.name).sort());
    for (const n of seen.values()) expect(n).toBeGreaterThanOrEqual(8);
  }, 120_000);

  it("reaches the Service by name from node a: the node's cluster DNS answers, the cluster IP routes to both nodes", async () => {
    for (const name of ["web", "web.default.svc.cluster.local"]) {
      const seen = await wgetFromClient(`http://${name}/`, 12);
      console.log(`12 wgets to http://${name}/ from node a: ${JSON.stringify(Object.fromEntries(seen))}`);
      expect([...seen.keys()].sort()).toEqual(pods.map((p) => p.name).sort());
    }
  }, 120_000);

  it("runs a guestbook-style pair across nodes: the frontend on node a finds its backend on node b by Service name only", async () => {
    await h.kubectl(["apply", "-f", "-"], { stdin: JSON.stringify(guestbookPair(NODES[1] ?? "", NODES[0] ?? "")) });
    await h.kubectl(["wait", "--for=condition=Ready", "pod/redis-leader", "pod/frontend", "--timeout=120s"], {
      timeoutMs: 130_000,
    });
    const placed = await get(["pods", "redis-leader", "frontend"]);
    expect(placed.items.map((p: Json) => p.spec.nodeName)).toEqual([NODES[1], NODES[0]]);
    // The frontend's own loop (not kubectl exec's shell) reached the backend through the name.
    const answer = await until(
      "the frontend's last answer from redis-leader",
      async () => {
        const out = await h.kubectl(["exec", "frontend", "--", "cat", "/tmp/last"]);
        return out.stdout.trim() === "PONG" ? out.stdout.trim() : undefined;
      },
      60_000,
    );
    expect(answer).toBe("PONG");
    await h.kubectl([
      "delete",
      "pod/redis-leader",
      "pod/frontend",
      "service/redis-leader",
      "--grace-period=1",
      "--wait=false",
    ]);
  }, 240_000);

  it("answers a NodePort on the node's host address, and gives a LoadBalancer node ports and its edge host name", async () => {
    await h.kubectl(["apply", "-f", "-"], { stdin: exposed("web-np", "NodePort") });
    await h.kubectl(["apply", "-f", "-"], { stdin: exposed("web-lb", "LoadBalancer") });
    const np = await get(["service", "web-np"]);
    const lb = await get(["service", "web-lb"]);
    expect(lb.spec.ports[0].nodePort).toBeGreaterThanOrEqual(30000);
    // The edge is the cluster's load balancer (its controller fills the status; ingress.podman.test.ts serves it).
    const host = serviceHost("web-lb", "default", h.flotilla.clusterId, LOCAL_EDGE_DOMAIN);
    await until(
      "the LoadBalancer's edge host name",
      async () => (await get(["service", "web-lb"])).status?.loadBalancer?.ingress?.[0]?.hostname === host || undefined,
      30_000,
    );
    const node = (await get(["node", NODES[0] ?? ""])).status.addresses.find((a: Json) => a.type === "InternalIP");
    const nodePort = np.spec.ports[0].nodePort;
    // The node's agent learns of the Service with its next sync (it runs pods of the namespace).
    const body = await until(
      `curl ${node.address}:${nodePort}`,
      async () => {
        const r = await fetch(`http://${node.address}:${nodePort}/`, { signal: AbortSignal.timeout(5000) }).catch(
          () => undefined,
        );
        return r?.ok ? (await r.text()).trim() : undefined;
      },
      30_000,
    );
    console.log(`curl ${node.address}:${nodePort} from the host → ${body}`);
    expect(pods.map((p) => p.name)).toContain(body);
  }, 120_000);

  it("refuses colliding and out-of-range cluster IPs and node ports with upstream's 422 messages", async () => {
    const nodePort = (await get(["service", "web-np"])).spec.ports[0].nodePort;
    const svc = (name: string, spec: Json) =>
      JSON.stringify({
        apiVersion: "v1",
        kind: "Service",
        metadata: { name },
        spec: { selector: { app: "web" }, ports: [{ port: 80 }], ...spec },
      });
    const refused = async (name: string, spec: Json) => {
      const r = await h.kubectl(["create", "-f", "-"], { stdin: svc(name, spec), allowFail: true });
      expect(r.code).not.toBe(0);
      expect((await h.kubectl(["get", "service", name], { allowFail: true })).code).not.toBe(0);
      return r.stderr;
    };
    expect(await refused("dup-ip", { clusterIP })).toContain(
      `The Service "dup-ip" is invalid: spec.clusterIPs: Invalid value: []string{"${clusterIP}"}: failed to allocate IP ${clusterIP}: provided IP is already allocated`,
    );
    expect(await refused("far-ip", { clusterIP: "10.95.0.5" })).toContain(
      "failed to allocate IP 10.95.0.5: the provided IP (10.95.0.5) is not in the valid range. The range of valid IPs is 10.96.0.0/12",
    );
    expect(await refused("dup-np", { type: "NodePort", ports: [{ port: 80, nodePort }] })).toContain(
      `spec.ports[0].nodePort: Invalid value: ${nodePort}: provided port is already allocated`,
    );
    expect(await refused("far-np", { type: "NodePort", ports: [{ port: 80, nodePort: 29999 }] })).toContain(
      "spec.ports[0].nodePort: Invalid value: 29999: provided port is not in the valid range. The range of valid ports is 30000-32767",
    );
  });

  it("stops sending to a pod that turned unready", async () => {
    const victim = pods.find((p) => p.node === NODES[1]) ?? pods[0];
    await h.kubectl(["exec", victim?.name ?? "", "--", "rm", "/www/index.html"]);
    await until(
      "one ready endpoint",
      async () => ((await get(["endpoints", "web"])).subsets?.[0]?.addresses ?? []).length === 1 || undefined,
      60_000,
    );
    // The agent hears of the endpoint change with its long-poll.
    await new Promise((r) => setTimeout(r, 2_000));
    const seen = await wgetFromClient(`http://${clusterIP}:80/`, 10);
    expect([...seen.keys()]).toEqual(pods.filter((p) => p !== victim).map((p) => p.name));
    await h.kubectl(["exec", victim?.name ?? "", "--", "sh", "-c", `echo ${victim?.name} > /www/index.html`]);
    await until(
      "two ready endpoints again",
      async () => ((await get(["endpoints", "web"])).subsets?.[0]?.addresses ?? []).length === 2 || undefined,
      60_000,
    );
  }, 180_000);

  it("reaches a pod on node b by its IP on a port it does not declare, only through the relay", async () => {
    const b = pods.find((p) => p.node === NODES[1]);
    const idA = (await agentNetwork(NODES[0] ?? ""))?.id ?? "";
    // busybox httpd on an undeclared port with a CGI script that answers the peer's address.
    const cgi =
      'mkdir -p /www2/cgi-bin && printf "#!/bin/sh\\necho Content-Type: text/plain\\necho\\necho \\$REMOTE_ADDR\\n" > /www2/cgi-bin/ip && chmod +x /www2/cgi-bin/ip && httpd -p 9090 -h /www2';
    await h.kubectl(["exec", b?.name ?? "", "--", "sh", "-c", cgi]);
    const url = `http://${b?.ip}:9090/cgi-bin/ip`;
    const fetchPeer = async () =>
      (await h.kubectl(["exec", "client", "--", "sh", "-c", `timeout 10 wget -qO- ${url} || echo fail`])).stdout.trim();
    const peer = await until(
      "pod b by its IP",
      async () => {
        const out = await fetchPeer();
        return out === "fail" ? undefined : out;
      },
      30_000,
      1_000,
    );
    console.log(`wget ${url} from the client on node a → peer address seen by pod b: ${peer}`);
    // Node b's agent dials its pod from the host: the pod sees node b's gateway, not the client.
    const gatewayB = `${(b?.ip ?? "").split(".").slice(0, 3).join(".")}.1`;
    expect(peer.replace(/^\[(::ffff:)?|\]$/g, "")).toBe(gatewayB);
    // Without the agent's relay rule the pod networks do not reach each other (Podman isolates them).
    const jump = ["-i", `flt${idA}`, "-j", `FLT-${idA}-POD`];
    await exec("iptables", ["-w", "-t", "nat", "-D", "PREROUTING", ...jump]);
    try {
      expect(await fetchPeer()).toBe("fail");
    } finally {
      await exec("iptables", ["-w", "-t", "nat", "-I", "PREROUTING", "1", ...jump]);
    }
    expect(await fetchPeer()).toBe(peer);
  }, 120_000);

  it("keeps node a's network, addresses and rules across an agent restart", async () => {
    const before = await agentNetwork(NODES[0] ?? "");
    expect(before).toBeDefined();
    const id = before?.id ?? "";
    // Traffic of a pod's own (not kubectl exec's, which needs the agent), going on while the agent stops and starts.
    const watcher = clientPod(NODES[0] ?? "", "watcher");
    const loop = `while true; do timeout 2 wget -qO- http://${clusterIP}/ >> /tmp/traffic || echo fail >> /tmp/traffic; sleep 0.5; done`;
    (watcher.spec.containers[0] as Json).command = ["sh", "-c", loop];
    await h.kubectl(["apply", "-f", "-"], { stdin: JSON.stringify(watcher) });
    await h.kubectl(["wait", "--for=condition=Ready", "pod/watcher", "--timeout=60s"], { timeoutMs: 70_000 });
    const lastAnswers = async () =>
      (await h.kubectl(["exec", "watcher", "--", "tail", "-n", "3", "/tmp/traffic"], { allowFail: true })).stdout
        .trim()
        .split("\n");
    const answered = (lines: string[]) => lines.length === 3 && lines.every((l) => pods.some((p) => p.name === l));
    await until("the watcher's traffic flowing", async () => answered(await lastAnswers()) || undefined, 30_000);
    await agents[0]?.stop();
    // Routing stays on the host while the agent is away; the listener is what answers, so wait for it back.
    agents[0] = await h.flotilla.startAgent({ name: NODES[0] ?? "", runtime: "docker" });
    const seen = await until(
      "cluster IP answering again",
      async () => {
        // kubectl exec itself fails while node a's tunnel is down.
        const s = await wgetFromClient(`http://${clusterIP}:80/`, 4).catch(() => undefined);
        return !s || s.has("fail") ? undefined : s;
      },
      60_000,
      1_000,
    );
    expect([...seen.keys()].every((k) => pods.some((p) => p.name === k))).toBe(true);
    await new Promise((r) => setTimeout(r, 2_000));
    const traffic = await lastAnswers();
    console.log(`the watcher pod's own loop, its last answers after the restart: ${JSON.stringify(traffic)}`);
    expect(answered(traffic)).toBe(true);
    expect(await agentNetwork(NODES[0] ?? "")).toEqual(before);
    expect(await hostHas(["ip", "-4", "-o", "addr", "show", "dev", `fls${id}`])).toContain(`${clusterIP}/32`);
    expect(await hostHas(["iptables", "-w", "-t", "nat", "-S", `FLT-${id}-SVC`])).toContain(clusterIP);
    const client = await get(["pod", "client"]);
    expect(client.status.containerStatuses[0].restartCount).toBe(0);
  }, 180_000);

  it("leaves nothing behind on the host when node b is deleted", async () => {
    const b = await agentNetwork(NODES[1] ?? "");
    expect(b).toBeDefined();
    const id = b?.id ?? "";
    await h.kubectl(["delete", "node", NODES[1] ?? ""]);
    await until(
      "node b's agent to clean up",
      async () => ((await agentNetwork(NODES[1] ?? "")) ? undefined : true),
      60_000,
    );
    expect(await hostHas(["ip", "-o", "link", "show", `fls${id}`])).toBe("");
    expect(await hostHas(["iptables", "-w", "-t", "nat", "-S"])).not.toContain(`FLT-${id}`);
    const docker = connectDocker(findDockerHost() ?? "");
    const left = await docker.listContainers({ all: true, filters: { label: [`io.flotilla.node=${NODES[1]}`] } });
    expect(left).toEqual([]);
  }, 120_000);
});
