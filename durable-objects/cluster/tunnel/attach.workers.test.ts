// pods/attach behind the real Worker with a fake agent: the attach open (the terminal taken from the
// container's spec, not the request), output relayed, the end as upstream's Success or "error attaching"
// Status on the error channel, and the checks before the upgrade (WebSocket required, writers only).
import { exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import {
  type AttachOpen,
  Channel,
  decodeFrame,
  encodeFrame,
  FrameType,
  jsonPayload,
  parsePayload,
} from "../../../kube/tunnel-protocol.ts";
import {
  BASE,
  call,
  createCluster,
  kube,
  signup,
  type TenantCluster,
  joinNode,
} from "../../../worker/testing/tenants.ts";

const worker = () => (exports as unknown as { default: Fetcher }).default;
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const PODS = "/api/v1/namespaces/default/pods";

async function setup() {
  const tenant = await signup();
  const cluster = await createCluster(tenant);
  const credential = await joinNode(cluster);
  const container = { name: "main", image: "busybox", stdin: true, stdinOnce: true, tty: true };
  const created = await kube(cluster.id, cluster.adminToken, "POST", PODS, {
    apiVersion: "v1",
    kind: "Pod",
    metadata: { name: "sh" },
    spec: { nodeName: "n1", containers: [container] },
  });
  const pod = created.body;
  pod.status = {
    phase: "Running",
    containerStatuses: [
      {
        name: "main",
        ready: true,
        restartCount: 0,
        image: "busybox",
        imageID: "",
        containerID: "docker://id-main",
        state: { running: { startedAt: "2024-01-01T00:00:00Z" } },
      },
    ],
  };
  expect((await kube(cluster.id, cluster.adminToken, "PUT", `${PODS}/sh/status`, pod)).status).toBe(200);
  return { tenant, cluster, credential };
}

/** A fake agent: accepts each attach, writes "hello" on stdout, then ends it as `end` says. */
async function fakeAgent(cluster: TenantCluster, credential: string, end: "close" | "error") {
  const res = await worker().fetch(`${BASE}/clusters/${cluster.id}/agent/tunnel`, {
    headers: { upgrade: "websocket", authorization: `Bearer ${credential}` },
  });
  const ws = res.webSocket!;
  ws.accept();
  ws.binaryType = "arraybuffer";
  const opens: AttachOpen[] = [];
  ws.addEventListener("message", async (event) => {
    const frame = decodeFrame(event.data as ArrayBuffer);
    if (frame?.type !== FrameType.open) return;
    opens.push(parsePayload<AttachOpen>(frame.payload)!);
    // One frame at a time: workerd was seen to reorder frames sent back to back.
    const frames: [FrameType, Uint8Array?][] = [
      [FrameType.data],
      [FrameType.data, new Uint8Array([Channel.stdout, ...new TextEncoder().encode("hello")])],
      end === "close" ? [FrameType.close, jsonPayload({})] : [FrameType.error, jsonPayload({ message: "gone" })],
    ];
    for (const [type, payload] of frames) {
      ws.send(encodeFrame(type, frame.stream, payload));
      await pause(20);
    }
  });
  return { ws, opens };
}

async function attach(cluster: TenantCluster, query: string) {
  const res = await worker().fetch(`${BASE}/clusters/${cluster.id}${PODS}/sh/attach?${query}`, {
    headers: {
      authorization: `Bearer ${cluster.adminToken}`,
      upgrade: "websocket",
      "sec-websocket-protocol": "v5.channel.k8s.io",
    },
  });
  expect(res.status).toBe(101);
  const ws = res.webSocket!;
  ws.accept();
  ws.binaryType = "arraybuffer";
  const received: Uint8Array[] = [];
  ws.addEventListener("message", (e) => received.push(new Uint8Array(e.data as ArrayBuffer)));
  await new Promise<void>((resolve) => ws.addEventListener("close", () => resolve()));
  const on = (channel: number) =>
    received.filter((m) => m[0] === channel).map((m) => new TextDecoder().decode(m.subarray(1)));
  return { stdout: on(Channel.stdout).join(""), status: JSON.parse(on(Channel.error)[0]) };
}

describe("pods/attach", () => {
  it("attaches with the container's terminal, relays output and ends with Success", async () => {
    const { cluster, credential } = await setup();
    const agent = await fakeAgent(cluster, credential, "close");
    // kubectl asks without tty when the user did not pass -t: the container's spec decides.
    const got = await attach(cluster, "stdin=true&stdout=true&stderr=false");
    expect(agent.opens[0]).toEqual({
      kind: "attach",
      containerID: "id-main",
      stdin: true,
      stdout: true,
      stderr: false,
      tty: true,
    });
    expect(got.stdout).toBe("hello");
    expect(got.status).toEqual({ kind: "Status", apiVersion: "v1", metadata: {}, status: "Success" });
    agent.ws.close();
  });

  it("a failed stream ends with upstream's error attaching Status", async () => {
    const { cluster, credential } = await setup();
    const agent = await fakeAgent(cluster, credential, "error");
    const got = await attach(cluster, "stdout=true");
    expect(got.status).toMatchObject({
      status: "Failure",
      reason: "InternalError",
      message: "error attaching to container: gone",
    });
    agent.ws.close();
  });

  it("checks before the upgrade: a WebSocket, some stdio, a writer's token", async () => {
    const { tenant, cluster } = await setup();
    const path = `/clusters/${cluster.id}${PODS}/sh/attach`;
    const plain = await call("POST", `${path}?stdout=true`, { token: cluster.adminToken });
    expect([plain.status, plain.body.message]).toEqual([
      400,
      "Upgrade request required: attach is served over WebSockets (kubectl 1.30 or newer)",
    ]);
    const ws = { upgrade: "websocket", "sec-websocket-protocol": "v5.channel.k8s.io" };
    const none = await call("POST", path, { token: cluster.adminToken, headers: ws });
    expect([none.status, none.body.message]).toEqual([400, "you must specify at least 1 of stdin, stdout, stderr"]);
    const view = await call("POST", `/v1/clusters/${cluster.id}/tokens`, {
      token: tenant.token,
      body: { role: "view" },
    });
    const viewed = await call("POST", `${path}?stdout=true`, { token: view.body.token, headers: ws });
    expect(viewed.status).toBe(403);
    expect(viewed.body.message).toContain('cannot create resource "pods/attach"');
  });
});
