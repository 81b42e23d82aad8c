// pods/portforward behind the real Worker with a fake agent on the tunnel: the apiserver's checks before the
// upgrade (SPDY refused with a message naming the kubectl that works), who may forward, and the bytes of the
// client's WebSocket relayed to a portforward stream and back, unparsed.
import { exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { decodeFrame, encodeFrame, FrameType, type OpenRequest, parsePayload } from "../../../kube/tunnel-protocol.ts";
import {
  BASE,
  call,
  createCluster,
  kube,
  signup,
  type TenantCluster,
  joinNode,
} from "../../../worker/testing/tenants.ts";
import { openTunnel } from "../testing/fake-agent.ts";
import { PORT_FORWARD_PROTOCOL, SPDY_UNSUPPORTED } from "./portforward.ts";

interface Setup {
  tenantToken: string;
  cluster: TenantCluster;
  credential: string;
}

const worker = () => (exports as unknown as { default: Fetcher }).default;
const PODS = "/api/v1/namespaces/default/pods";

async function setup(): Promise<Setup> {
  const tenant = await signup();
  const cluster = await createCluster(tenant);
  const credential = await joinNode(cluster);
  const s = { tenantToken: tenant.token, cluster, credential };
  await makePod(s, "web", { phase: "Running", podIP: "10.88.0.5", podIPs: [{ ip: "10.88.0.5" }] });
  await makePod(s, "waiting", { phase: "Pending" });
  await makePod(s, "loopback", { phase: "Running", podIP: "127.0.0.1" });
  return s;
}

async function makePod(s: Setup, name: string, status: Record<string, unknown>): Promise<void> {
  const admin = s.cluster.adminToken;
  const spec = { nodeName: "n1", containers: [{ name: "main", image: "busybox" }] };
  const created = await kube(s.cluster.id, admin, "POST", PODS, {
    apiVersion: "v1",
    kind: "Pod",
    metadata: { name },
    spec,
  });
  const put = await kube(s.cluster.id, admin, "PUT", `${PODS}/${name}/status`, { ...created.body, status });
  expect(put.status).toBe(200);
}

/** A fake agent: accepts portforward streams and echoes their bytes back; records opens and closes. */
async function echoAgent(s: Setup) {
  const ws = await openTunnel(s);
  const opens: OpenRequest[] = [];
  const closed: number[] = [];
  // Frames sent back to back from inside workerd were seen to reach the object out of order (CI: two echoes
  // swapped, twice in a row), which a real agent's single connection never does: the fake spaces them out.
  let sending = Promise.resolve();
  const send = (frame: Uint8Array) => {
    sending = sending.then(async () => {
      try {
        ws.send(frame);
      } catch {
        return; // the test closed the tunnel already
      }
      await new Promise((resolve) => setTimeout(resolve, 2));
    });
  };
  ws.addEventListener("message", (event) => {
    const frame = decodeFrame(event.data as ArrayBuffer);
    if (!frame) return;
    if (frame.type === FrameType.open) {
      opens.push(parsePayload<OpenRequest>(frame.payload)!);
      send(encodeFrame(FrameType.data, frame.stream));
    } else if (frame.type === FrameType.data && frame.payload.byteLength > 0) {
      const bytes = frame.payload.slice();
      if (new TextDecoder().decode(bytes) === "bye") send(encodeFrame(FrameType.close, frame.stream));
      else send(encodeFrame(FrameType.data, frame.stream, bytes));
    } else if (frame.type === FrameType.close) closed.push(frame.stream);
  });
  return { ws, opens, closed };
}

const upgrade = (protocol = PORT_FORWARD_PROTOCOL) => ({ upgrade: "websocket", "sec-websocket-protocol": protocol });

describe("pods/portforward", () => {
  it("answers the apiserver's checks before any upgrade, and refuses SPDY with what to use instead", async () => {
    const s = await setup();
    const path = (name: string, query = "") => `/clusters/${s.cluster.id}${PODS}/${name}/portforward${query}`;
    const token = s.cluster.adminToken;
    const cases: [string, Record<string, string>, number, string][] = [
      [path("nope"), upgrade(), 404, 'pods "nope" not found'],
      [path("waiting"), upgrade(), 400, "unable to forward port because pod is not running. Current status=Pending"],
      [path("web"), { upgrade: "SPDY/3.1", "x-stream-protocol-version": "portforward.k8s.io" }, 400, SPDY_UNSUPPORTED],
      [path("web"), upgrade("v4.channel.k8s.io"), 400, `needs the ${PORT_FORWARD_PROTOCOL} WebSocket protocol`],
      [path("web", "?ports=http"), upgrade(), 400, 'unable to parse "http" as a port'],
      [path("loopback"), upgrade(), 400, "address not allowed"],
    ];
    for (const [p, headers, code, message] of cases) {
      const res = await call("POST", p, { token, headers });
      expect([p, res.status]).toEqual([p, code]);
      expect(res.body.message).toContain(message);
    }
    expect(SPDY_UNSUPPORTED).toContain("kubectl 1.31 or newer");
  });

  it("is refused to a view token with upstream's wording, and without a token", async () => {
    const s = await setup();
    const view = await call("POST", `/v1/clusters/${s.cluster.id}/tokens`, {
      token: s.tenantToken,
      body: { role: "view" },
    });
    expect(view.status).toBe(201);
    const path = `/clusters/${s.cluster.id}${PODS}/web/portforward`;
    const viewed = await call("GET", path, { token: view.body.token, headers: upgrade() });
    expect(viewed.status).toBe(403);
    expect(viewed.body.message).toContain(
      'cannot create resource "pods/portforward" in API group "" in the namespace "default"',
    );
    expect((await call("GET", path, { headers: upgrade() })).status).toBe(401);
  });

  it("relays the client's bytes to a portforward stream for the pod's IP and back, and ends both together", async () => {
    const s = await setup();
    const agent = await echoAgent(s);
    const res = await worker().fetch(`${BASE}/clusters/${s.cluster.id}${PODS}/web/portforward`, {
      headers: { ...upgrade(), authorization: `Bearer ${s.cluster.adminToken}` },
    });
    expect(res.status).toBe(101);
    expect(res.headers.get("sec-websocket-protocol")).toBe(PORT_FORWARD_PROTOCOL);
    expect(agent.opens[0]).toMatchObject({ kind: "portforward", podIP: "10.88.0.5", pod: "web" });
    expect((agent.opens[0] as { uid: string }).uid).toMatch(/^[0-9a-f-]{36}$/);
    const ws = res.webSocket!;
    ws.accept();
    ws.binaryType = "arraybuffer";
    let received = "";
    const closed = new Promise<number>((resolve) => ws.addEventListener("close", (e) => resolve(e.code)));
    ws.addEventListener("message", (e) => {
      received += new TextDecoder().decode(e.data as ArrayBuffer);
    });
    // Message boundaries mean nothing: whatever way the bytes were cut, they come back in order.
    for (const piece of ["\x80\x03", "\x00\x06", "spdy ", "bytes"]) ws.send(new TextEncoder().encode(piece));
    const deadline = Date.now() + 5000;
    while (received !== "\x80\x03\x00\x06spdy bytes" && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 10));
    expect(received).toBe("\x80\x03\x00\x06spdy bytes");
    // The agent ending the stream closes the client's socket normally.
    ws.send(new TextEncoder().encode("bye"));
    expect(await closed).toBe(1000);
    agent.ws.close();
  });

  it("ends the agent's stream when the client goes away", async () => {
    const s = await setup();
    const agent = await echoAgent(s);
    const res = await worker().fetch(`${BASE}/clusters/${s.cluster.id}${PODS}/web/portforward`, {
      headers: { ...upgrade(), authorization: `Bearer ${s.cluster.adminToken}` },
    });
    const ws = res.webSocket!;
    ws.accept();
    ws.close(1000, "");
    const deadline = Date.now() + 5000;
    while (agent.closed.length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
    expect(agent.closed).toHaveLength(1);
    agent.ws.close();
  });
});
