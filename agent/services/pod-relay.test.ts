import net from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import type { PodConnectOpen } from "../../kube/tunnel-protocol.ts";
import { FrameType } from "../../kube/tunnel-protocol.ts";
import { AgentStream } from "../tunnel/stream.ts";
import { nodeFor, originalDestination, PodRelay } from "./pod-relay.ts";

// Two entries as the kernel prints them: a DNATed pod connection and an unrelated one.
const TABLE = [
  "ipv4     2 tcp      6 431999 ESTABLISHED src=10.244.0.5 dst=10.244.1.7 sport=40112 dport=9090 src=10.244.0.1 dst=10.244.0.5 sport=35001 dport=40112 [ASSURED] mark=0 zone=0 use=2",
  "ipv4     2 tcp      6 119 TIME_WAIT src=192.0.2.2 dst=10.96.0.10 sport=48794 dport=80 src=127.0.0.1 dst=192.0.2.2 sport=18099 dport=48794 [ASSURED] mark=0 zone=0 use=2",
  "ipv4     2 udp      17 29 src=10.244.0.5 dst=10.244.1.7 sport=5353 dport=53 src=10.244.1.7 dst=10.244.0.5 sport=53 dport=5353 mark=0 zone=0 use=2",
].join("\n");

const cidrs = [
  { nodeName: "a", podCIDR: "10.244.0.0/24" },
  { nodeName: "b", podCIDR: "10.244.1.0/24" },
];

const closers: (() => void)[] = [];
afterEach(() => {
  for (const c of closers.splice(0)) c();
});

/**
 * The conntrack table the relay reads, known only once the test's connection has its ports: `known` gives
 * the entry the kernel would have for it.
 */
function pendingConntrack() {
  let known: (table: string) => void = () => {};
  const conntrack = new Promise<string>((resolve) => {
    known = resolve;
  });
  return { conntrack, known: (table: string) => known(table) };
}

describe("pod relay", () => {
  it("finds a NATed connection's original destination by its reply tuple", () => {
    const local = { address: "10.244.0.1", port: 35001 };
    expect(originalDestination(TABLE, local, { address: "10.244.0.5", port: 40112 })).toEqual({
      address: "10.244.1.7",
      port: 9090,
    });
    expect(originalDestination(TABLE, local, { address: "10.244.0.5", port: 40113 })).toBeUndefined();
  });

  it("names the node whose pod CIDR holds an address", () => {
    expect(nodeFor(cidrs, "10.244.1.7")).toBe("b");
    expect(nodeFor(cidrs, "10.244.0.200")).toBe("a");
    expect(nodeFor(cidrs, "10.245.1.7")).toBeUndefined();
  });

  it("opens a pod-connect stream to the node of the original destination and relays bytes", async () => {
    const opens: PodConnectOpen[] = [];
    const { conntrack, known } = pendingConntrack();
    const relay = new PodRelay({
      nodeName: "a",
      // The entry the kernel would have for the test's own connection, made up once its ports are known.
      readConntrack: () => conntrack,
      openStream: (open) => {
        opens.push(open);
        const stream: AgentStream = new AgentStream(
          2,
          () => {},
          () => {},
        );
        setTimeout(() => stream.receive(FrameType.data, new Uint8Array()));
        setTimeout(() => stream.receive(FrameType.data, new TextEncoder().encode("from b")), 5);
        return stream;
      },
    });
    relay.setNodes(cidrs);
    expect(relay.remoteCIDRs()).toEqual(["10.244.1.0/24"]);
    await relay.listen("127.0.0.1");
    closers.push(() => relay.close());
    const answer = await new Promise<string>((resolve) => {
      const socket = net.connect(relay.address?.port ?? 0, "127.0.0.1");
      socket.on("connect", () => {
        known(
          `ipv4 2 tcp 6 100 ESTABLISHED src=127.0.0.1 dst=10.244.1.7 sport=${socket.localPort} dport=9090 src=127.0.0.1 dst=127.0.0.1 sport=${relay.address?.port} dport=${socket.localPort} [ASSURED]`,
        );
      });
      socket.once("data", (d) => {
        resolve(d.toString());
        socket.destroy();
      });
    });
    expect(answer).toBe("from b");
    expect(opens).toEqual([{ kind: "pod-connect", node: "b", podIP: "10.244.1.7", port: 9090, sourceIP: "127.0.0.1" }]);
  });

  it("resets a connection whose destination is in no other node's range", async () => {
    const relay = new PodRelay({ nodeName: "a", readConntrack: async () => "" });
    await relay.listen("127.0.0.1");
    closers.push(() => relay.close());
    const closed = await new Promise<string>((resolve) => {
      const socket = net.connect(relay.address?.port ?? 0, "127.0.0.1");
      socket.on("error", (e) => resolve((e as NodeJS.ErrnoException).code ?? "error"));
      socket.on("close", () => resolve("closed"));
    });
    expect(["ECONNRESET", "closed"]).toContain(closed);
    expect(relay.counts).toEqual({ relayed: 0, failed: 1 });
  });

  it("holds unanswered (a drop) a connection the source's policies refuse, opening no stream", async () => {
    const opens: PodConnectOpen[] = [];
    const { conntrack, known } = pendingConntrack();
    const relay = new PodRelay({
      nodeName: "a",
      readConntrack: () => conntrack,
      policy: { allows: (_source, destination, port) => !(destination === "10.244.1.7" && port === 9090) },
      openStream: (open) => {
        opens.push(open);
        throw new Error("no stream expected");
      },
    });
    relay.setNodes(cidrs);
    await relay.listen("127.0.0.1");
    closers.push(() => relay.close());
    const socket = net.connect(relay.address?.port ?? 0, "127.0.0.1");
    closers.push(() => socket.destroy());
    let ended = false;
    socket.on("close", () => {
      ended = true;
    });
    socket.on("error", () => {});
    await new Promise<void>((resolve) =>
      socket.on("connect", () => {
        known(
          `ipv4 2 tcp 6 100 ESTABLISHED src=127.0.0.1 dst=10.244.1.7 sport=${socket.localPort} dport=9090 src=127.0.0.1 dst=127.0.0.1 sport=${relay.address?.port} dport=${socket.localPort} [ASSURED]`,
        );
        resolve();
      }),
    );
    await new Promise((r) => setTimeout(r, 300));
    expect(ended).toBe(false);
    expect(opens).toEqual([]);
    expect(relay.counts).toEqual({ relayed: 0, failed: 0 });
  });
});
