import { mkdtemp, readFile, rm } from "node:fs/promises";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import type { SyncService } from "../../kube/agent-protocol.ts";
import type { Pod } from "../../kube/pod-types.ts";
import { type ConnectOpen, decodeFrame, FrameType, jsonPayload, POLICY_DENIED } from "../../kube/tunnel-protocol.ts";
import type { PolicyGate } from "../network-policy/enforcer.ts";
import { AgentStream } from "../tunnel/stream.ts";
import { ServiceProxy } from "./proxy.ts";
import { ProxyStateFile } from "./state.ts";

const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

/** A pod stand-in on this host: answers each chunk with "<tag>|<chunk>". */
async function podServer(tag: string): Promise<number> {
  const server = net.createServer((socket) => socket.on("data", (d) => socket.write(`${tag}|${d}`)));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  cleanups.push(() => new Promise((resolve) => server.close(resolve)));
  return (server.address() as net.AddressInfo).port;
}

/** A port nothing listens on. */
async function deadPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as net.AddressInfo).port;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** Sends text through the proxy and answers the first reply, or "closed" when the proxy hangs up. */
function ask(port: number, text: string): Promise<string> {
  return new Promise((resolve) => {
    const socket = net.connect(port, "127.0.0.1", () => socket.write(text));
    socket.once("data", (d) => {
      resolve(d.toString());
      socket.destroy();
    });
    socket.on("error", () => resolve("closed"));
    socket.on("close", () => resolve("closed"));
  });
}

interface Fake {
  opens: ConnectOpen[];
  refuse: Set<string>;
  refusal?: string;
}

/** The object's side of connect streams: accepts (or refuses) and answers "remote|<chunk>". */
function fakeTunnel(fake: Fake) {
  return (open: ConnectOpen) => {
    fake.opens.push(open);
    const stream: AgentStream = new AgentStream(
      2 * fake.opens.length,
      (bytes) => {
        const frame = decodeFrame(bytes)!;
        if (frame.type === FrameType.data && frame.payload.byteLength > 0) {
          const reply = new TextEncoder().encode(`remote ${open.podIP}|${new TextDecoder().decode(frame.payload)}`);
          setTimeout(() => stream.receive(FrameType.data, reply));
        }
      },
      () => {},
    );
    setTimeout(() =>
      fake.refuse.has(open.podIP)
        ? stream.receive(FrameType.error, jsonPayload({ message: fake.refusal ?? "connection refused", code: 503 }))
        : stream.receive(FrameType.data, new Uint8Array()),
    );
    return stream;
  };
}

async function makeProxy(dir?: string, routed = false, policy?: PolicyGate) {
  const stateDir = dir ?? (await mkdtemp(path.join(os.tmpdir(), "svc-proxy-")));
  if (!dir) cleanups.push(() => rm(stateDir, { recursive: true, force: true }));
  const fake: Fake = { opens: [], refuse: new Set() };
  const bindHost = { value: "127.0.0.1" };
  const proxy = new ServiceProxy({
    nodeName: "me",
    bindHost: () => bindHost.value,
    advertiseHost: "10.88.0.1",
    routesClusterIPs: () => routed,
    state: new ProxyStateFile(path.join(stateDir, "services.json")),
    openStream: fakeTunnel(fake),
    policy,
  });
  cleanups.push(() => proxy.close());
  return { proxy, fake, stateDir, bindHost };
}

const web = (endpoints: SyncService["endpoints"]): SyncService => ({
  namespace: "team",
  name: "web",
  ports: [{ name: "http", port: 80, protocol: "TCP" }],
  endpoints,
});

const pod = (namespace: string, enableServiceLinks?: boolean): Pod => ({
  apiVersion: "v1",
  kind: "Pod",
  metadata: { name: "client", namespace },
  spec: { containers: [{ name: "c" }], enableServiceLinks },
});

describe("ServiceProxy with cluster IPs", () => {
  const lb = (endpoints: SyncService["endpoints"], affinity = false): SyncService => ({
    ...web(endpoints),
    clusterIP: "10.96.0.20",
    type: "NodePort",
    ports: [{ name: "http", port: 80, protocol: "TCP", nodePort: 30080 }],
    ...(affinity ? { sessionAffinity: "ClientIP", affinitySeconds: 60 } : {}),
  });
  const remote = [
    { ip: "10.244.1.8", nodeName: "other", ports: { http: 8080 } },
    { ip: "10.244.1.9", nodeName: "other", ports: { http: 8080 } },
  ];

  it("tells pods the cluster IP and the Service port when the node routes cluster IPs", async () => {
    const { proxy } = await makeProxy(undefined, true);
    await proxy.update([lb(remote)]);
    const env = Object.fromEntries(proxy.envFor(pod("team")));
    expect(env).toMatchObject({
      WEB_SERVICE_HOST: "10.96.0.20",
      WEB_SERVICE_PORT: "80",
      WEB_SERVICE_PORT_HTTP: "80",
      WEB_PORT: "tcp://10.96.0.20:80",
      WEB_PORT_80_TCP_ADDR: "10.96.0.20",
      WEB_PORT_80_TCP_PORT: "80",
    });
  });

  it("lists each Service port's cluster IP, node port and listener for the host's rules", async () => {
    const { proxy } = await makeProxy(undefined, true);
    await proxy.update([lb(remote)]);
    expect(proxy.targets()).toEqual([
      {
        clusterIP: "10.96.0.20",
        port: 80,
        nodePort: 30080,
        host: "127.0.0.1",
        listenerPort: proxy.portOf("team", "web", 80),
      },
    ]);
  });

  it("keeps a client on its endpoint with sessionAffinity ClientIP, round robin without", async () => {
    const { proxy, fake } = await makeProxy(undefined, true);
    await proxy.update([lb(remote, true)]);
    for (let i = 0; i < 4; i++) await ask(proxy.portOf("team", "web", 80)!, "GET /");
    expect(new Set(fake.opens.map((o) => o.podIP)).size).toBe(1);
    await proxy.update([lb(remote, false)]);
    fake.opens.length = 0;
    for (let i = 0; i < 4; i++) await ask(proxy.portOf("team", "web", 80)!, "GET /");
    expect(fake.opens.map((o) => o.podIP).sort()).toEqual(["10.244.1.8", "10.244.1.8", "10.244.1.9", "10.244.1.9"]);
  });
});

describe("ServiceProxy", () => {
  it("spreads connections round robin over local endpoints, dialling their pod addresses", async () => {
    const [a, b] = [await podServer("a"), await podServer("b")];
    const { proxy } = await makeProxy();
    await proxy.update([
      web([
        { ip: "127.0.0.1", nodeName: "me", ports: { http: a } },
        { ip: "127.0.0.1", nodeName: "me", ports: { http: b } },
      ]),
    ]);
    const port = proxy.portOf("team", "web", 80)!;
    const answers = [];
    for (let i = 0; i < 4; i++) answers.push(await ask(port, `hi${i}`));
    expect(answers).toEqual(["a|hi0", "b|hi1", "a|hi2", "b|hi3"]);
    expect(proxy.counts).toEqual({ local: 4, remote: 0, failed: 0 });
  });

  it("reaches an endpoint on another node through a connect stream naming it", async () => {
    const { proxy, fake } = await makeProxy();
    await proxy.update([web([{ ip: "10.88.0.9", nodeName: "other", ports: { http: 8080 } }])]);
    expect(await ask(proxy.portOf("team", "web", 80)!, "GET /")).toBe("remote 10.88.0.9|GET /");
    expect(fake.opens).toEqual([
      {
        kind: "connect",
        namespace: "team",
        service: "web",
        node: "other",
        podIP: "10.88.0.9",
        port: 8080,
        sourceIP: "127.0.0.1",
      },
    ]);
  });

  it("skips endpoints that refuse, local or remote, and resets the connection when none is left", async () => {
    const live = await podServer("live");
    const { proxy, fake } = await makeProxy();
    fake.refuse.add("10.88.0.7");
    await proxy.update([
      web([
        { ip: "10.88.0.7", nodeName: "other", ports: { http: 8080 } },
        { ip: "127.0.0.1", nodeName: "me", ports: { http: await deadPort() } },
        { ip: "127.0.0.2", nodeName: "me", ports: { http: live } },
      ]),
    ]);
    const port = proxy.portOf("team", "web", 80)!;
    // 127.0.0.2 is loopback too, but the live server listens on 127.0.0.1 only: every endpoint fails.
    expect(await ask(port, "x")).toBe("closed");
    expect(proxy.counts.failed).toBe(1);
    await proxy.update([
      web([
        { ip: "10.88.0.7", nodeName: "other", ports: { http: 8080 } },
        { ip: "127.0.0.1", nodeName: "me", ports: { http: live } },
      ]),
    ]);
    for (let i = 0; i < 3; i++) expect(await ask(port, "y")).toBe("live|y");
  });

  it("moves a listener to the gateway once it is a host address, keeping its port", async () => {
    const a = await podServer("a");
    const { proxy, bindHost } = await makeProxy();
    bindHost.value = "0.0.0.0"; // stands for "not the gateway yet": the test has no bridge to move to
    const service = web([{ ip: "127.0.0.1", nodeName: "me", ports: { http: a } }]);
    await proxy.update([service]);
    const port = proxy.portOf("team", "web", 80)!;
    bindHost.value = "127.0.0.1";
    await proxy.refresh();
    expect(proxy.portOf("team", "web", 80)).toBe(port);
    expect(await ask(port, "x")).toBe("a|x");
  });

  it("closes a gone service's listener without waiting for connections it relays (updates never hang on them)", async () => {
    const a = await podServer("a");
    const { proxy } = await makeProxy();
    await proxy.update([web([{ ip: "127.0.0.1", nodeName: "me", ports: { http: a } }])]);
    const port = proxy.portOf("team", "web", 80)!;
    const open = net.connect(port, "127.0.0.1");
    cleanups.push(async () => open.destroy());
    const first = new Promise<string>((resolve) => open.once("data", (d) => resolve(String(d))));
    open.write("1");
    expect(await first).toBe("a|1");
    const updated = await Promise.race([
      proxy.update([]).then(() => "updated"),
      new Promise((resolve) => setTimeout(() => resolve("hung"), 2_000)),
    ]);
    expect(updated).toBe("updated");
    expect(await ask(port, "x")).toBe("closed");
    const second = new Promise<string>((resolve) => open.once("data", (d) => resolve(String(d))));
    open.write("2");
    expect(await second).toBe("a|2");
  });

  it("resets connections to a service without ready endpoints", async () => {
    const { proxy } = await makeProxy();
    await proxy.update([web([])]);
    expect(await ask(proxy.portOf("team", "web", 80)!, "x")).toBe("closed");
  });

  it("keeps a Service port's listener port across restarts and frees it when the service goes", async () => {
    const first = await makeProxy();
    await first.proxy.update([web([])]);
    const port = first.proxy.portOf("team", "web", 80)!;
    await first.proxy.close();

    const second = await makeProxy(first.stateDir);
    await second.proxy.restore();
    expect(second.proxy.portOf("team", "web", 80)).toBe(port);
    expect(second.proxy.envFor(pod("team"))).toContainEqual(["WEB_SERVICE_PORT", String(port)]);

    await second.proxy.update([]);
    expect(second.proxy.portOf("team", "web", 80)).toBeUndefined();
    expect(await ask(port, "x")).toBe("closed");
    const saved = JSON.parse(await readFile(path.join(first.stateDir, "services.json"), "utf8"));
    expect(saved).toEqual({ ports: {}, services: [] });
  });

  it("gives pods their namespace's variables (and kubernetes') pointing at the listeners, TCP ports only", async () => {
    const { proxy } = await makeProxy();
    await proxy.update([
      {
        namespace: "default",
        name: "kubernetes",
        ports: [{ name: "https", port: 443, protocol: "TCP" }],
        endpoints: [],
      },
      {
        namespace: "team",
        name: "dns-ish",
        ports: [
          { name: "dns", port: 53, protocol: "UDP" },
          { name: "dns-tcp", port: 53, protocol: "TCP" },
        ],
        endpoints: [],
      },
      web([]),
    ]);
    const k8s = String(proxy.portOf("default", "kubernetes", 443));
    const w = String(proxy.portOf("team", "web", 80));
    const env = Object.fromEntries(proxy.envFor(pod("team")));
    expect(env).toMatchObject({
      KUBERNETES_SERVICE_HOST: "10.88.0.1",
      KUBERNETES_SERVICE_PORT: k8s,
      KUBERNETES_SERVICE_PORT_HTTPS: k8s,
      WEB_SERVICE_HOST: "10.88.0.1",
      WEB_SERVICE_PORT: w,
      WEB_SERVICE_PORT_HTTP: w,
      WEB_PORT: `tcp://10.88.0.1:${w}`,
      WEB_PORT_80_TCP_PORT: w,
      DNS_ISH_SERVICE_PORT_DNS_TCP: String(proxy.portOf("team", "dns-ish", 53)),
    });
    expect(Object.keys(env).filter((k) => k.includes("UDP") || k.endsWith("_PORT_DNS"))).toEqual([]);
    expect(Object.keys(Object.fromEntries(proxy.envFor(pod("team", false)))).sort()).toEqual(
      Object.keys(env)
        .filter((k) => k.startsWith("KUBERNETES_"))
        .sort(),
    );
    expect(proxy.envFor(pod("elsewhere")).some(([k]) => k.startsWith("WEB_"))).toBe(false);
  });
});

describe("ServiceProxy and NetworkPolicies", () => {
  /** The first reply, "closed", or "no answer" when the proxy holds the connection (a drop). */
  const askBriefly = (port: number) =>
    Promise.race([ask(port, "hi"), new Promise<string>((r) => setTimeout(() => r("no answer"), 400))]);

  it("holds a connection the policies refuse for the endpoint chosen, without trying another", async () => {
    const asked: string[] = [];
    const policy: PolicyGate = {
      allows: (source, destination, port) => {
        asked.push(`${source}>${destination}:${port}`);
        return destination !== "10.244.1.8";
      },
    };
    const { proxy, fake } = await makeProxy(undefined, false, policy);
    await proxy.update([
      web([
        { ip: "10.244.1.8", nodeName: "other", ports: { http: 8080 } },
        { ip: "10.244.1.9", nodeName: "other", ports: { http: 8080 } },
      ]),
    ]);
    const port = proxy.portOf("team", "web", 80) ?? 0;
    expect(await askBriefly(port)).toBe("no answer");
    expect(fake.opens).toEqual([]);
    expect(await askBriefly(port)).toBe("remote 10.244.1.9|hi");
    expect(fake.opens.map((o) => [o.podIP, o.sourceIP])).toEqual([["10.244.1.9", "127.0.0.1"]]);
    expect(asked).toEqual(["127.0.0.1>10.244.1.8:8080", "127.0.0.1>10.244.1.9:8080"]);
  });

  it("holds a connection the endpoint's node refused by policy, rather than trying another endpoint", async () => {
    const { proxy, fake } = await makeProxy();
    fake.refuse.add("10.244.1.8");
    fake.refusal = `127.0.0.1 to 10.244.1.8:8080: ${POLICY_DENIED}`;
    await proxy.update([
      web([
        { ip: "10.244.1.8", nodeName: "other", ports: { http: 8080 } },
        { ip: "10.244.1.9", nodeName: "other", ports: { http: 8080 } },
      ]),
    ]);
    expect(await askBriefly(proxy.portOf("team", "web", 80) ?? 0)).toBe("no answer");
    expect(fake.opens.map((o) => o.podIP)).toEqual(["10.244.1.8"]);
  });
});
