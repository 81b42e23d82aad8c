// Agent-opened streams behind the real Worker, with two fake agents: node a opens `connect` for a pod's
// connection to a Service endpoint on node b; the object checks it, opens `tcp` to b and relays bytes both
// ways. Refusals: an address that is no ready endpoint, a node without pods in the namespace, other kinds.
import { exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import {
  type ConnectOpen,
  decodeFrame,
  encodeFrame,
  type ErrorInfo,
  type Frame,
  FrameType,
  jsonPayload,
  parsePayload,
  type TcpOpen,
} from "../../../kube/tunnel-protocol.ts";
import { BASE, createCluster, kube, signup, type TenantCluster, joinNode } from "../../../worker/testing/tenants.ts";

const worker = () => (exports as unknown as { default: Fetcher }).default;
const text = (s: string) => new TextEncoder().encode(s);
const decode = (b: Uint8Array) => new TextDecoder().decode(b);
const pause = (ms = 5) => new Promise((resolve) => setTimeout(resolve, ms));

/** A fake agent's socket: every frame it receives, in order, and a way to wait for the next matching one. */
class FakeAgent {
  frames: Frame[] = [];
  #waiters: (() => void)[] = [];

  constructor(readonly ws: WebSocket) {
    ws.addEventListener("message", (event) => {
      const frame = decodeFrame(event.data as ArrayBuffer);
      if (!frame) return;
      this.frames.push({ ...frame, payload: frame.payload.slice() });
      for (const wake of this.#waiters.splice(0)) wake();
    });
  }

  async next(match: (f: Frame) => boolean): Promise<Frame> {
    for (;;) {
      const at = this.frames.findIndex(match);
      if (at >= 0) return this.frames.splice(at, 1)[0];
      await new Promise<void>((resolve) => this.#waiters.push(resolve));
    }
  }

  async send(type: FrameType, stream: number, payload?: Uint8Array): Promise<void> {
    this.ws.send(encodeFrame(type, stream, payload));
    await pause(); // frames sent back to back inside workerd may overtake each other (see proxy.workers.test.ts)
  }
}

async function connectAgent(cluster: TenantCluster, credential: string): Promise<FakeAgent> {
  const res = await worker().fetch(`${BASE}/clusters/${cluster.id}/agent/tunnel`, {
    headers: { upgrade: "websocket", authorization: `Bearer ${credential}` },
  });
  expect(res.status).toBe(101);
  const ws = res.webSocket!;
  ws.accept();
  ws.binaryType = "arraybuffer";
  return new FakeAgent(ws);
}

async function setup() {
  const tenant = await signup();
  const cluster = await createCluster(tenant);
  const admin = cluster.adminToken;
  const credA = await joinNode(cluster, "a");
  const credB = await joinNode(cluster, "b");
  const pod = await kube(cluster.id, admin, "POST", "/api/v1/namespaces/default/pods", {
    apiVersion: "v1",
    kind: "Pod",
    metadata: { name: "client" },
    spec: { nodeName: "a", containers: [{ name: "main", image: "busybox" }] },
  });
  expect(pod.status).toBe(201);
  const svc = await kube(cluster.id, admin, "POST", "/api/v1/namespaces/default/services", {
    apiVersion: "v1",
    kind: "Service",
    metadata: { name: "web" },
    spec: { ports: [{ name: "http", port: 80, targetPort: 8080 }] },
  });
  expect(svc.status).toBe(201);
  const eps = await kube(cluster.id, admin, "POST", "/api/v1/namespaces/default/endpoints", {
    apiVersion: "v1",
    kind: "Endpoints",
    metadata: { name: "web" },
    subsets: [
      {
        addresses: [{ ip: "10.88.2.9", nodeName: "b" }],
        notReadyAddresses: [{ ip: "10.88.2.10", nodeName: "b" }],
        ports: [{ name: "http", port: 8080 }],
      },
    ],
  });
  expect(eps.status).toBe(201);
  return { cluster, a: await connectAgent(cluster, credA), b: await connectAgent(cluster, credB) };
}

const connect = (over: Partial<ConnectOpen> = {}): ConnectOpen => ({
  kind: "connect",
  namespace: "default",
  service: "web",
  node: "b",
  podIP: "10.88.2.9",
  port: 8080,
  ...over,
});

describe("agent-opened connect streams", () => {
  it("relays a pod's connection to an endpoint on another node through that node's tcp stream", async () => {
    const { a, b } = await setup();
    await a.send(FrameType.open, 2, jsonPayload(connect()));

    const opened = await b.next((f) => f.type === FrameType.open);
    expect(opened.stream % 2).toBe(1);
    expect(parsePayload<TcpOpen>(opened.payload)).toEqual({ kind: "tcp", podIP: "10.88.2.9", port: 8080 });
    await b.send(FrameType.data, opened.stream); // b connected to the pod: accept
    const accepted = await a.next((f) => f.stream === 2);
    expect([accepted.type, accepted.payload.byteLength]).toEqual([FrameType.data, 0]);

    await a.send(FrameType.data, 2, text("GET / HTTP/1.0\r\n\r\n"));
    const request = await b.next((f) => f.stream === opened.stream && f.type === FrameType.data);
    expect(decode(request.payload)).toBe("GET / HTTP/1.0\r\n\r\n");
    await b.send(FrameType.data, opened.stream, text("HTTP/1.0 200 OK\r\n\r\nfrom b"));
    const response = await a.next((f) => f.stream === 2 && f.type === FrameType.data);
    expect(decode(response.payload)).toBe("HTTP/1.0 200 OK\r\n\r\nfrom b");

    // The pod on b closed its end: a's stream closes after the data.
    await b.send(FrameType.close, opened.stream);
    expect((await a.next((f) => f.stream === 2)).type).toBe(FrameType.close);
    a.ws.close();
    b.ws.close();
  });

  it("closes the endpoint's stream when the connecting pod's side closes", async () => {
    const { a, b } = await setup();
    await a.send(FrameType.open, 4, jsonPayload(connect()));
    const opened = await b.next((f) => f.type === FrameType.open);
    await b.send(FrameType.data, opened.stream);
    await a.next((f) => f.stream === 4);
    await a.send(FrameType.close, 4);
    expect((await b.next((f) => f.stream === opened.stream)).type).toBe(FrameType.close);
    a.ws.close();
    b.ws.close();
  });

  it("passes the endpoint node's dial failure back as the stream's error", async () => {
    const { a, b } = await setup();
    await a.send(FrameType.open, 2, jsonPayload(connect()));
    const opened = await b.next((f) => f.type === FrameType.open);
    const message = "dial tcp 10.88.2.9:8080: connect: connection refused";
    await b.send(FrameType.error, opened.stream, jsonPayload({ message, code: 503 }));
    const failed = await a.next((f) => f.stream === 2);
    expect(failed.type).toBe(FrameType.error);
    expect(parsePayload<ErrorInfo>(failed.payload)).toEqual({ message, code: 503 });
    a.ws.close();
    b.ws.close();
  });

  it.each([
    ["a not-ready address", connect({ podIP: "10.88.2.10" }), "a", 503, "is not a ready endpoint"],
    ["another node than the endpoint's", connect({ node: "a" }), "a", 503, "is not a ready endpoint"],
    ["a port the endpoint does not serve", connect({ port: 22 }), "a", 503, "is not a ready endpoint"],
    ["a node with no pod in the namespace", connect(), "b", 403, 'node "b" runs no pod in namespace "default"'],
    ["another namespace", connect({ namespace: "kube-system" }), "a", 403, "runs no pod in namespace"],
    ["a kind nodes may not open", { kind: "exec" }, "a", 400, "nodes may not open exec streams"],
  ])("refuses %s", async (_, open, from, code, message) => {
    const { a, b } = await setup();
    const agent = from === "a" ? a : b;
    await agent.send(FrameType.open, 6, jsonPayload(open));
    const refused = await agent.next((f) => f.stream === 6);
    expect(refused.type).toBe(FrameType.error);
    const info = parsePayload<ErrorInfo>(refused.payload)!;
    expect(info.code).toBe(code);
    expect(info.message).toContain(message);
    expect((from === "a" ? b : a).frames.filter((f) => f.type === FrameType.open)).toEqual([]);
    a.ws.close();
    b.ws.close();
  });

  it("answers data for a stream nobody opened with close, as before", async () => {
    const { a, b } = await setup();
    await a.send(FrameType.data, 8, text("stray"));
    expect((await a.next((f) => f.stream === 8)).type).toBe(FrameType.close);
    a.ws.close();
    b.ws.close();
  });
});

describe("agent-opened pod-connect streams (pod IPs across nodes)", () => {
  async function withServerPod() {
    const s = await setup();
    const admin = s.cluster.adminToken;
    const PODS = "/api/v1/namespaces/default/pods";
    const created = await kube(s.cluster.id, admin, "POST", PODS, {
      apiVersion: "v1",
      kind: "Pod",
      metadata: { name: "server" },
      spec: { nodeName: "b", containers: [{ name: "main", image: "busybox" }] },
    });
    expect(created.status).toBe(201);
    const status = { phase: "Running", podIP: "10.244.1.7", podIPs: [{ ip: "10.244.1.7" }] };
    const put = await kube(s.cluster.id, admin, "PUT", `${PODS}/server/status`, { ...created.body, status });
    expect(put.status).toBe(200);
    return s;
  }
  const podConnect = (over: Record<string, unknown> = {}) => ({
    kind: "pod-connect",
    node: "b",
    podIP: "10.244.1.7",
    port: 9999,
    ...over,
  });

  it("relays to a running pod's IP on node b, on any port", async () => {
    const { a, b } = await withServerPod();
    await a.send(FrameType.open, 2, jsonPayload(podConnect()));
    const opened = await b.next((f) => f.type === FrameType.open);
    expect(parsePayload<TcpOpen>(opened.payload)).toEqual({ kind: "tcp", podIP: "10.244.1.7", port: 9999 });
    await b.send(FrameType.data, opened.stream);
    expect((await a.next((f) => f.stream === 2)).type).toBe(FrameType.data);
    await a.send(FrameType.data, 2, text("ping"));
    expect(decode((await b.next((f) => f.stream === opened.stream && f.type === FrameType.data)).payload)).toBe("ping");
    a.ws.close();
    b.ws.close();
  });

  it("passes on a source IP only as the object vouches for it: node a cannot claim node b's pod", async () => {
    const { a, b } = await withServerPod();
    await a.send(FrameType.open, 2, jsonPayload(podConnect({ sourceIP: "10.244.1.7" })));
    const opened = parsePayload<TcpOpen>((await b.next((f) => f.type === FrameType.open)).payload);
    expect(opened?.podIP).toBe("10.244.1.7");
    expect(opened?.sourceIP).not.toBe("10.244.1.7");
    a.ws.close();
    b.ws.close();
  });

  it.each([
    ["an address no pod of node b has", podConnect({ podIP: "10.244.1.8" }), 503, "is not a running pod on node"],
    ["the pod's address on another node", podConnect({ node: "a" }), 503, 'is not a running pod on node "a"'],
  ])("refuses %s", async (_, open, code, message) => {
    const { a, b } = await withServerPod();
    await a.send(FrameType.open, 6, jsonPayload(open));
    const refused = await a.next((f) => f.stream === 6);
    expect(refused.type).toBe(FrameType.error);
    const info = parsePayload<ErrorInfo>(refused.payload)!;
    expect(info.code).toBe(code);
    expect(info.message).toContain(message);
    expect(b.frames.filter((f) => f.type === FrameType.open)).toEqual([]);
    a.ws.close();
    b.ws.close();
  });
});
