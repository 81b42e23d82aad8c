// The node's DNS server on one address, UDP and TCP (RFC 7766: length-prefixed messages, several per
// connection). Each message is answered independently; nothing a client sends can throw out of here.
// No SO_REUSEPORT: a second server (another agent, another cluster) on the same address fails to bind
// instead of sharing its queries, so a cluster's names are never answered by another's server.
import dgram from "node:dgram";
import net from "node:net";
import { handleMessage, type MessageContext } from "./message.ts";

export interface DNSServerOptions {
  host: string;
  port: number;
  context: MessageContext;
  /** Source addresses allowed to ask (pods, the node itself); others are ignored. */
  allow?: (address: string) => boolean;
}

const TCP_IDLE_MS = 10_000;
const MAX_TCP_CONNECTIONS = 256;

/** Ports tried when any free port will do (port 0). */
const ANY_PORT_ATTEMPTS = 8;

export class DNSServer {
  #udp?: dgram.Socket;
  #tcp?: net.Server;
  #connections = new Set<net.Socket>();

  constructor(private readonly options: DNSServerOptions) {}

  get address(): { host: string; port: number } | undefined {
    const a = this.#udp?.address();
    return a ? { host: a.address, port: a.port } : undefined;
  }

  /**
   * Binds UDP then TCP on the same port; on failure nothing stays bound. Port 0 picks a port free for both:
   * the one UDP got may be some TCP socket's, so another is tried (parallel test runs met that).
   */
  async listen(): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      try {
        await this.#bind();
        return;
      } catch (error) {
        const taken = (error as NodeJS.ErrnoException).code === "EADDRINUSE";
        if (!taken || this.options.port !== 0 || attempt >= ANY_PORT_ATTEMPTS) throw error;
      }
    }
  }

  async #bind(): Promise<void> {
    const { host } = this.options;
    const udp = dgram.createSocket({ type: net.isIPv6(host) ? "udp6" : "udp4", reuseAddr: false });
    await new Promise<void>((resolve, reject) => {
      udp.once("error", reject);
      udp.bind(this.options.port, host, () => {
        udp.off("error", reject);
        resolve();
      });
    });
    udp.on("error", () => {}); // per-datagram send errors (ICMP unreachable) must not kill the socket
    udp.on("message", (msg, rinfo) => this.#onDatagram(udp, msg, rinfo));
    const tcp = net.createServer((socket) => this.#onConnection(socket));
    tcp.maxConnections = MAX_TCP_CONNECTIONS;
    try {
      await new Promise<void>((resolve, reject) => {
        tcp.once("error", reject);
        tcp.listen({ port: udp.address().port, host, exclusive: true }, () => {
          tcp.off("error", reject);
          resolve();
        });
      });
    } catch (error) {
      udp.close();
      throw error;
    }
    tcp.on("error", () => {});
    this.#udp = udp;
    this.#tcp = tcp;
  }

  async close(): Promise<void> {
    for (const socket of this.#connections) socket.destroy();
    this.#udp?.close();
    await new Promise<void>((resolve) => (this.#tcp ? this.#tcp.close(() => resolve()) : resolve()));
    this.#udp = undefined;
    this.#tcp = undefined;
  }

  #allowed(address: string | undefined): boolean {
    return address !== undefined && (this.options.allow?.(address.replace(/^::ffff:/, "")) ?? true);
  }

  #onDatagram(udp: dgram.Socket, msg: Buffer, rinfo: dgram.RemoteInfo): void {
    if (!this.#allowed(rinfo.address)) return;
    void handleMessage(msg, this.options.context, false).then((answer) => {
      if (answer && this.#udp === udp) udp.send(answer, rinfo.port, rinfo.address, () => {});
    });
  }

  #onConnection(socket: net.Socket): void {
    if (!this.#allowed(socket.remoteAddress)) {
      socket.destroy();
      return;
    }
    this.#connections.add(socket);
    socket.setTimeout(TCP_IDLE_MS, () => socket.destroy());
    socket.on("error", () => {});
    socket.on("close", () => this.#connections.delete(socket));
    let buffered = Buffer.alloc(0);
    socket.on("data", (chunk) => {
      buffered = Buffer.concat([buffered, chunk]);
      while (buffered.length >= 2) {
        const length = buffered.readUInt16BE(0);
        if (buffered.length < 2 + length) break;
        const msg = buffered.subarray(2, 2 + length);
        buffered = buffered.subarray(2 + length);
        void handleMessage(Buffer.from(msg), this.options.context, true).then((answer) => {
          if (!answer || socket.destroyed) return;
          const prefix = Buffer.alloc(2);
          prefix.writeUInt16BE(answer.length);
          socket.write(Buffer.concat([prefix, answer]));
        });
      }
    });
  }
}
