// Everything outside the cluster zone goes to the host's resolvers (CoreDNS' `forward . /etc/resolv.conf`),
// the query bytes as received, over the transport it came on: each upstream in turn until one answers
// with the same id, each attempt bounded, so a host with no reachable resolver gives the client a prompt
// SERVFAIL rather than a timeout. An upstream's NXDOMAIN is an answer and is passed through as it came.
import dgram from "node:dgram";
import net from "node:net";

export interface Upstream {
  host: string;
  port: number;
}

export interface ForwarderOptions {
  upstreams: () => Upstream[];
  /** Per upstream attempt. */
  timeoutMs?: number;
}

const DEFAULT_TIMEOUT_MS = 2000;

export class Forwarder {
  constructor(private readonly options: ForwarderOptions) {}

  async forward(query: Buffer, tcp: boolean): Promise<Buffer | undefined> {
    if (query.length < 12) return undefined;
    const timeoutMs = this.options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    for (const upstream of this.options.upstreams()) {
      const answer = await (tcp ? askTcp : askUdp)(upstream, query, timeoutMs).catch(() => undefined);
      if (answer && answer.length >= 12 && answer.readUInt16BE(0) === query.readUInt16BE(0)) return answer;
    }
    return undefined;
  }
}

/** One query on its own socket (a fresh source port each time), connected so only the upstream answers. */
function askUdp(upstream: Upstream, query: Buffer, timeoutMs: number): Promise<Buffer | undefined> {
  return new Promise((resolve) => {
    const socket = dgram.createSocket(net.isIPv6(upstream.host) ? "udp6" : "udp4");
    let finished = false;
    const done = (answer?: Buffer) => {
      if (finished) return;
      finished = true;
      clearTimeout(timer);
      socket.close();
      resolve(answer);
    };
    const timer = setTimeout(() => done(), timeoutMs);
    socket.on("error", () => done());
    socket.on("message", (msg) => done(msg));
    socket.connect(upstream.port, upstream.host, () => socket.send(query, (error) => error && done()));
  });
}

function askTcp(upstream: Upstream, query: Buffer, timeoutMs: number): Promise<Buffer | undefined> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: upstream.host, port: upstream.port });
    let buffered = Buffer.alloc(0);
    const done = (answer?: Buffer) => {
      clearTimeout(timer);
      socket.destroy();
      resolve(answer);
    };
    const timer = setTimeout(() => done(), timeoutMs);
    socket.on("error", () => done());
    socket.on("close", () => done());
    socket.on("connect", () => {
      const length = Buffer.alloc(2);
      length.writeUInt16BE(query.length);
      socket.write(Buffer.concat([length, query]));
    });
    socket.on("data", (chunk) => {
      buffered = Buffer.concat([buffered, chunk]);
      if (buffered.length >= 2 && buffered.length >= 2 + buffered.readUInt16BE(0))
        done(buffered.subarray(2, 2 + buffered.readUInt16BE(0)));
    });
  });
}
