// DNS on the wire for tests and benchmarks: a client (UDP, TCP) and a tiny upstream resolver that answers
// from a function (this machine has no internet; the forwarder's tests need a resolver that answers).
import dgram from "node:dgram";
import net from "node:net";
import dnsPacket, { type DecodedPacket, type Question } from "dns-packet";

/** A decoded answer with the header fields @types/dns-packet leaves out. */
export type Reply = DecodedPacket & { rcode: string; opcode: string };

let nextId = 1;

export function queryPacket(name: string, type: Question["type"] = "A", edns = false): Buffer {
  nextId = (nextId % 65535) + 1;
  return dnsPacket.encode({
    type: "query",
    id: nextId,
    flags: dnsPacket.RECURSION_DESIRED,
    questions: [{ name, type, class: "IN" }],
    additionals: edns
      ? [{ type: "OPT", name: ".", udpPayloadSize: 4096, flags: 0, options: [] } as unknown as dnsPacket.Answer]
      : [],
  });
}

/** One UDP exchange; rejects after timeoutMs. */
export function askUdp(host: string, port: number, query: Buffer, timeoutMs = 5000): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const socket = dgram.createSocket(net.isIPv6(host) ? "udp6" : "udp4");
    const timer = setTimeout(() => {
      socket.close();
      reject(new Error(`no DNS answer from ${host}:${port} in ${timeoutMs} ms`));
    }, timeoutMs);
    socket.on("message", (msg) => {
      clearTimeout(timer);
      socket.close();
      resolve(dnsPacket.decode(msg) as Reply);
    });
    socket.send(query, port, host);
  });
}

export function askTcp(host: string, port: number, query: Buffer, timeoutMs = 5000): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host, port }, () => {
      const prefix = Buffer.alloc(2);
      prefix.writeUInt16BE(query.length);
      socket.write(Buffer.concat([prefix, query]));
    });
    let buffered = Buffer.alloc(0);
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`no DNS answer over TCP from ${host}:${port} in ${timeoutMs} ms`));
    }, timeoutMs);
    socket.on("error", (error) => {
      clearTimeout(timer);
      reject(error);
    });
    socket.on("data", (chunk) => {
      buffered = Buffer.concat([buffered, chunk]);
      if (buffered.length < 2 || buffered.length < 2 + buffered.readUInt16BE(0)) return;
      clearTimeout(timer);
      socket.destroy();
      resolve(dnsPacket.decode(buffered.subarray(2, 2 + buffered.readUInt16BE(0))) as Reply);
    });
  });
}

export interface TinyResolver {
  host: string;
  port: number;
  queries: string[];
  close(): Promise<void>;
}

/**
 * A UDP resolver answering every query from `answer` (default: NXDOMAIN for all). Binds host:port
 * (port 0: any free one).
 */
export async function startTinyResolver(
  host = "127.0.0.1",
  port = 0,
  answer: (q: Question) => { rcode: number; addresses?: string[] } = () => ({ rcode: 3 }),
): Promise<TinyResolver> {
  const socket = dgram.createSocket(net.isIPv6(host) ? "udp6" : "udp4");
  const queries: string[] = [];
  socket.on("message", (msg, rinfo) => {
    let query: DecodedPacket;
    try {
      query = dnsPacket.decode(msg);
    } catch {
      return;
    }
    const q = query.questions?.[0];
    if (!q) return;
    queries.push(`${q.name} ${q.type}`);
    const { rcode, addresses = [] } = answer(q);
    const reply = dnsPacket.encode({
      type: "response",
      id: query.id,
      flags: dnsPacket.RECURSION_DESIRED | dnsPacket.RECURSION_AVAILABLE | rcode,
      questions: [q],
      answers: addresses.map((ip) => ({ name: q.name, type: "A" as const, class: "IN" as const, ttl: 60, data: ip })),
    });
    socket.send(reply, rinfo.port, rinfo.address);
  });
  await new Promise<void>((resolve) => socket.bind(port, host, resolve));
  return {
    host,
    port: socket.address().port,
    queries,
    close: () => new Promise<void>((resolve) => socket.close(() => resolve())),
  };
}
