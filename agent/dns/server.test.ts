// The DNS server on real sockets: the cluster zone over UDP and TCP, truncation to TCP for big answers,
// forwarding to an upstream (its NXDOMAIN passed through; none reachable: a prompt SERVFAIL), sources
// outside the allowed ones ignored, and random bytes never crashing it (fast-check).
import dgram from "node:dgram";
import net from "node:net";
import dnsPacket from "dns-packet";
import fc from "fast-check";
import { afterEach, describe, expect, it } from "vitest";
import type { ClusterDNSData } from "../../kube/agent-protocol.ts";
import { Forwarder, type Upstream } from "./forwarder.ts";
import { handleMessage } from "./message.ts";
import { DNSServer } from "./server.ts";
import { askTcp, askUdp, queryPacket, startTinyResolver } from "./testing.ts";
import { ClusterZone } from "./zone.ts";

const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

const many = Array.from({ length: 100 }, (_, i) => ({
  ip: `10.244.${Math.floor(i / 250)}.${(i % 250) + 2}`,
  ports: [{ name: "http", port: 80, protocol: "TCP" }],
}));
const data: ClusterDNSData = {
  version: "3",
  namespaces: ["default"],
  services: [
    {
      namespace: "default",
      name: "web",
      type: "ClusterIP",
      clusterIPs: ["10.96.0.10"],
      ports: [{ name: "http", port: 80, protocol: "TCP" }],
    },
    { namespace: "default", name: "big", type: "ClusterIP", clusterIPs: [], ports: [], endpoints: many },
  ],
};

async function serve(upstreams: Upstream[], options: { allow?: (ip: string) => boolean; timeoutMs?: number } = {}) {
  const forwarder = new Forwarder({ upstreams: () => upstreams, timeoutMs: options.timeoutMs ?? 300 });
  const zone = new ClusterZone(data);
  const context = { zone: () => zone, forward: (q: Buffer, tcp: boolean) => forwarder.forward(q, tcp) };
  const server = new DNSServer({ host: "127.0.0.1", port: 0, context, allow: options.allow });
  await server.listen();
  cleanups.push(() => server.close());
  return { port: server.address!.port, context };
}

/** A UDP port that swallows queries: an upstream that never answers. */
async function blackhole(): Promise<Upstream> {
  const socket = dgram.createSocket("udp4");
  await new Promise<void>((resolve) => socket.bind(0, "127.0.0.1", resolve));
  cleanups.push(() => new Promise((resolve) => socket.close(() => resolve(undefined))));
  return { host: "127.0.0.1", port: socket.address().port };
}

describe("DNSServer", () => {
  it("on port 0 binds UDP and TCP on one port; a named port whose TCP is taken is refused, nothing left bound", async () => {
    const { port } = await serve([]);
    expect(port).toBeGreaterThan(0);
    const tcp = net.createServer();
    await new Promise<void>((resolve) => tcp.listen(0, "127.0.0.1", resolve));
    cleanups.push(() => new Promise((resolve) => tcp.close(() => resolve(undefined))));
    const taken = (tcp.address() as net.AddressInfo).port;
    const context = { zone: () => new ClusterZone(data), forward: async () => undefined };
    const server = new DNSServer({ host: "127.0.0.1", port: taken, context });
    await expect(server.listen()).rejects.toMatchObject({ code: "EADDRINUSE" });
    expect(server.address).toBeUndefined();
  });

  it("answers the cluster zone over UDP and TCP, authoritatively", async () => {
    const { port } = await serve([]);
    for (const ask of [askUdp, askTcp]) {
      const answer = await ask("127.0.0.1", port, queryPacket("web.default.svc.cluster.local"));
      expect(answer.rcode).toBe("NOERROR");
      expect(answer.flag_aa).toBe(true);
      expect(answer.answers).toEqual([expect.objectContaining({ type: "A", data: "10.96.0.10", ttl: 30 })]);
    }
  });

  it("truncates a UDP answer that does not fit, and gives it whole over TCP", async () => {
    const { port } = await serve([]);
    const udp = await askUdp("127.0.0.1", port, queryPacket("big.default.svc.cluster.local"));
    expect(udp.flag_tc).toBe(true);
    expect(udp.answers).toEqual([]);
    const tcp = await askTcp("127.0.0.1", port, queryPacket("big.default.svc.cluster.local"));
    expect(tcp.flag_tc).toBe(false);
    expect(tcp.answers).toHaveLength(100);
  });

  it("forwards other names, passing the upstream's NXDOMAIN through", async () => {
    const upstream = await startTinyResolver("127.0.0.1", 0, (q) =>
      q.name === "known.example" ? { rcode: 0, addresses: ["192.0.2.7"] } : { rcode: 3 },
    );
    cleanups.push(() => upstream.close());
    const { port } = await serve([{ host: upstream.host, port: upstream.port }]);
    const nx = await askUdp("127.0.0.1", port, queryPacket("example.invalid"));
    expect(nx.rcode).toBe("NXDOMAIN");
    expect(nx.flag_aa).toBe(false);
    const known = await askUdp("127.0.0.1", port, queryPacket("known.example"));
    expect(known.answers).toEqual([expect.objectContaining({ data: "192.0.2.7" })]);
    expect(upstream.queries).toEqual(["example.invalid A", "known.example A"]);
  });

  it("answers SERVFAIL when no upstream answers, trying the next one first", async () => {
    const upstream = await startTinyResolver();
    cleanups.push(() => upstream.close());
    const { port } = await serve([await blackhole(), { host: upstream.host, port: upstream.port }]);
    expect((await askUdp("127.0.0.1", port, queryPacket("example.invalid"))).rcode).toBe("NXDOMAIN");
    const dead = await serve([await blackhole(), await blackhole()]);
    const answer = await askUdp("127.0.0.1", dead.port, queryPacket("example.invalid"), 3000);
    expect(answer.rcode).toBe("SERVFAIL");
  });

  it("follows an ExternalName's CNAME upstream", async () => {
    const upstream = await startTinyResolver("127.0.0.1", 0, () => ({ rcode: 0, addresses: ["192.0.2.9"] }));
    cleanups.push(() => upstream.close());
    const forwarder = new Forwarder({ upstreams: () => [{ host: upstream.host, port: upstream.port }] });
    const zone = new ClusterZone({
      ...data,
      services: [
        {
          namespace: "default",
          name: "ext",
          type: "ExternalName",
          clusterIPs: [],
          externalName: "db.example",
          ports: [],
        },
      ],
    });
    const answer = await handleMessage(
      queryPacket("ext.default.svc.cluster.local"),
      { zone: () => zone, forward: (q, t) => forwarder.forward(q, t) },
      false,
    );
    expect(dnsPacket.decode(answer!).answers?.map((a) => `${a.type} ${"data" in a ? a.data : ""}`)).toEqual([
      "CNAME db.example",
      "A 192.0.2.9",
    ]);
  });

  it("ignores sources it does not serve", async () => {
    const { port } = await serve([], { allow: (ip) => ip !== "127.0.0.1" });
    await expect(askUdp("127.0.0.1", port, queryPacket("web.default.svc.cluster.local"), 500)).rejects.toThrow(
      /no DNS answer/,
    );
  });

  it("answers FORMERR to a query it cannot read, and never answers a response", async () => {
    const { context } = await serve([]);
    const garbage = Buffer.from([0x12, 0x34, 0x01, 0x00, 0, 1, 0, 0, 0, 0, 0, 0, 0xff]);
    const formerr = dnsPacket.decode((await handleMessage(garbage, context, false))!);
    expect(formerr).toMatchObject({ id: 0x1234, type: "response", rcode: "FORMERR" });
    const response = Buffer.from(queryPacket("web.default.svc.cluster.local"));
    response[2] |= 0x80;
    expect(await handleMessage(response, context, false)).toBeUndefined();
  });

  it("survives random bytes and mutated queries, and still answers afterwards", async () => {
    const { port, context } = await serve([], { timeoutMs: 50 });
    const valid = queryPacket("web.default.svc.cluster.local", "SRV", true);
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.uint8Array({ maxLength: 600 }),
          fc
            .array(fc.tuple(fc.nat(valid.length - 1), fc.integer({ min: 0, max: 255 })), { maxLength: 8 })
            .map((edits) => {
              const bytes = Uint8Array.from(valid);
              for (const [at, value] of edits) bytes[at] = value;
              return bytes;
            }),
        ),
        async (bytes) => {
          const answer = await handleMessage(Buffer.from(bytes), context, false);
          if (answer) expect(answer.length).toBeLessThanOrEqual(1232);
        },
      ),
      { numRuns: 500 },
    );
    const sender = dgram.createSocket("udp4");
    for (let i = 0; i < 200; i++)
      sender.send(
        Buffer.from(Array.from({ length: i % 40 }, () => Math.floor(Math.random() * 256))),
        port,
        "127.0.0.1",
      );
    sender.close();
    const answer = await askUdp("127.0.0.1", port, queryPacket("web.default.svc.cluster.local"));
    expect(answer.answers?.[0]).toMatchObject({ data: "10.96.0.10" });
  });
});
