// For workers tests of the edge (public URLs, host names, Ingresses): a cluster on a plan with a joined node
// "n1", Services with ready Endpoints on it, and a fake agent answering the tunnel's http streams with
// "<method> <host>:<port><path> <body>" (and an `x-pod` header naming the address); the proxy tests use the agent too.
import { exports } from "cloudflare:workers";
import { expect } from "vitest";
import {
  decodeFrame,
  encodeFrame,
  FrameType,
  type HttpOpen,
  type HttpResponseHead,
  jsonPayload,
  parsePayload,
} from "../../../kube/tunnel-protocol.ts";
import {
  BASE,
  createCluster,
  joinNode,
  kube,
  type PlanLimits,
  signup,
  type TenantCluster,
  usePlan,
} from "../../../worker/testing/tenants.ts";

const worker = () => (exports as unknown as { default: Fetcher }).default;
const SERVICES = "/api/v1/namespaces/default/services";
const ENDPOINTS = "/api/v1/namespaces/default/endpoints";
export const ADDRESSES = ["10.88.1.1", "10.88.1.2", "10.88.1.3"];

export interface Setup {
  cluster: TenantCluster;
  credential: string;
}

/** A cluster on a plan with these limits, a joined node "n1", and Services "web" (published) and "private". */
export async function setup(limits: Partial<PlanLimits> = {}): Promise<Setup> {
  const tenant = await signup();
  await usePlan(tenant, limits);
  const cluster = await createCluster(tenant);
  const credential = await joinNode(cluster);
  const s = { cluster, credential };
  await service(s, "web", { "flotilla.dev/public": "true" });
  await service(s, "private", {});
  await service(s, "almost", { "flotilla.dev/public": "yes" });
  return s;
}

export async function service(
  s: Setup,
  name: string,
  annotations: Record<string, string>,
  spec: Record<string, unknown> = {},
): Promise<void> {
  const admin = s.cluster.adminToken;
  const ports = [
    { name: "http", port: 80, targetPort: 8080 },
    { name: "admin", port: 9000, targetPort: 9090 },
  ];
  const svc = await kube(s.cluster.id, admin, "POST", SERVICES, {
    apiVersion: "v1",
    kind: "Service",
    metadata: { name, annotations },
    spec: { ports, ...spec },
  });
  expect(svc.status).toBe(201);
  const eps = await kube(s.cluster.id, admin, "POST", ENDPOINTS, {
    apiVersion: "v1",
    kind: "Endpoints",
    metadata: { name },
    subsets: [
      {
        addresses: ADDRESSES.map((ip) => ({ ip, nodeName: "n1" })),
        ports: [
          { name: "http", port: 8080 },
          { name: "admin", port: 9090 },
        ],
      },
    ],
  });
  expect(eps.status).toBe(201);
}

export interface Seen {
  open: HttpOpen;
  body: string;
}

/**
 * A fake agent answering every http open with "<method> <host>:<port><path> <body>", refusing the addresses in
 * `refuse` (connection refused) and hanging up on the path `/hang-up`.
 */
export async function fakeAgent(
  s: Pick<Setup, "cluster" | "credential">,
  refuse: ReadonlySet<string> = new Set(),
): Promise<{ ws: WebSocket; seen: Seen[] }> {
  const res = await worker().fetch(`${BASE}/clusters/${s.cluster.id}/agent/tunnel`, {
    headers: { upgrade: "websocket", authorization: `Bearer ${s.credential}` },
  });
  expect(res.status).toBe(101);
  const ws = res.webSocket!;
  ws.accept();
  ws.binaryType = "arraybuffer";
  const seen: Seen[] = [];
  const pending = new Map<number, Seen>();
  const fail = (id: number, code: number, message: string) =>
    ws.send(encodeFrame(FrameType.error, id, jsonPayload({ code, message })));
  const answer = async (id: number, request: Seen) => {
    seen.push(request);
    const { open } = request;
    if (open.path === "/hang-up") return fail(id, 502, "error trying to reach service: socket hang up");
    if (refuse.has(open.host))
      return fail(
        id,
        503,
        `error trying to reach service: dial tcp ${open.host}:${open.port}: connect: connection refused`,
      );
    const headers: [string, string][] = [
      ["content-type", "text/plain"],
      ["x-pod", open.host],
      ["connection", "keep-alive"],
    ];
    const head: HttpResponseHead = { status: 200, statusText: "OK", headers };
    const page = `${open.method} ${open.host}:${open.port}${open.path} ${request.body}`;
    // Frames sent back to back from inside workerd were seen to reach the object out of order (a close
    // overtaking data), which a real agent's single TCP connection does not do: the whole answer goes in one
    // data frame and the close a little later.
    ws.send(encodeFrame(FrameType.data, id));
    ws.send(encodeFrame(FrameType.data, id, new TextEncoder().encode(`${JSON.stringify(head)}\n${page}`)));
    await new Promise((resolve) => setTimeout(resolve, 20));
    ws.send(encodeFrame(FrameType.close, id));
  };
  ws.addEventListener("message", (event) => {
    const frame = decodeFrame(event.data as ArrayBuffer);
    if (!frame) return;
    if (frame.type === FrameType.open) {
      const open = parsePayload<HttpOpen>(frame.payload)!;
      if ((open as { kind: string }).kind === "websocket") {
        // Upgrades are only recorded: every "pod" refuses them (the relay is proxy-websocket's to test).
        seen.push({ open, body: "" });
        fail(frame.stream, 503, `dial tcp ${open.host}:${open.port}: connect: connection refused`);
      } else if (open.bodyLength === 0) void answer(frame.stream, { open, body: "" });
      else pending.set(frame.stream, { open, body: "" });
    } else if (frame.type === FrameType.data) {
      const request = pending.get(frame.stream);
      if (!request) return;
      request.body += new TextDecoder().decode(frame.payload);
      if (request.body.length >= request.open.bodyLength) {
        pending.delete(frame.stream);
        void answer(frame.stream, request);
      }
    }
  });
  return { ws, seen };
}

export const header = (seen: Seen, name: string) => seen.open.headers.find(([n]) => n === name)?.[1];
