// A TCP relay an end-to-end test controls: it sits between an agent and the server (TLS passes through
// untouched, so the agent still checks the server's certificate) and can sever every relayed connection
// at once — the network failing under an agent, without the agent or the server knowing beforehand.
import net from "node:net";

export interface TcpRelay {
  /** The relay's port on 127.0.0.1. */
  readonly port: number;
  /** Connections accepted so far (each a pair: client side and server side). */
  readonly accepted: number;
  /** Connections relayed right now. */
  readonly open: number;
  /** Destroys every relayed connection at once (both sides, no FIN handshake): returns how many. */
  sever(): number;
  close(): Promise<void>;
}

/** Listens on 127.0.0.1 (a free port unless given) and relays each connection to target:targetPort. */
export async function startTcpRelay(
  targetPort: number,
  opts: { host?: string; port?: number } = {},
): Promise<TcpRelay> {
  const host = opts.host ?? "127.0.0.1";
  const pairs = new Set<[net.Socket, net.Socket]>();
  let accepted = 0;
  const server = net.createServer((client) => {
    accepted++;
    const upstream = net.connect(targetPort, host);
    const pair: [net.Socket, net.Socket] = [client, upstream];
    pairs.add(pair);
    const drop = () => {
      pairs.delete(pair);
      client.destroy();
      upstream.destroy();
    };
    client.on("error", drop).on("close", drop);
    upstream.on("error", drop).on("close", drop);
    client.pipe(upstream);
    upstream.pipe(client);
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(opts.port ?? 0, host, () => resolve());
  });
  const { port } = server.address() as net.AddressInfo;
  return {
    port,
    get accepted() {
      return accepted;
    },
    get open() {
      return pairs.size;
    },
    sever() {
      const n = pairs.size;
      // resetAndDestroy sends RST where the platform allows it: the peers see the failure at once.
      for (const [a, b] of [...pairs]) {
        a.resetAndDestroy();
        b.resetAndDestroy();
      }
      pairs.clear();
      return n;
    },
    close() {
      for (const [a, b] of pairs) {
        a.destroy();
        b.destroy();
      }
      pairs.clear();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}
