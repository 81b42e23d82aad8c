// A TCP relay an end-to-end test controls: it sits between an agent and the server (TLS passes through
// untouched, so the agent still checks the server's certificate) and can sever relayed connections —
// the network failing under an agent, without the agent or the server knowing beforehand. It cannot read
// the traffic, but it counts the agent's writes on each connection, which tells a busy stream (the
// tunnel while a log follows) from an idle long-poll.
import net from "node:net";

export interface RelayedConnection {
  readonly id: number;
  /** Chunks the agent (the client side) sent on this connection since it opened or since the relay's last mark(). */
  readonly chunksFromAgent: number;
}

export interface TcpRelay {
  /** The relay's port on 127.0.0.1. */
  readonly port: number;
  /** Connections accepted so far. */
  readonly accepted: number;
  /** Connections relayed right now. */
  connections(): RelayedConnection[];
  /** Starts counting every connection's chunks from the agent afresh. */
  mark(): void;
  /** Resets the chosen connections (all by default) on both sides at once; returns how many. */
  sever(which?: (c: RelayedConnection) => boolean): number;
  close(): Promise<void>;
}

interface Pair {
  id: number;
  client: net.Socket;
  upstream: net.Socket;
  chunksFromAgent: number;
}

/** Listens on 127.0.0.1 (a free port) and relays each connection to 127.0.0.1:targetPort. */
export async function startTcpRelay(targetPort: number): Promise<TcpRelay> {
  const host = "127.0.0.1";
  const pairs = new Set<Pair>();
  let accepted = 0;
  const server = net.createServer((client) => {
    const pair: Pair = { id: ++accepted, client, upstream: net.connect(targetPort, host), chunksFromAgent: 0 };
    pairs.add(pair);
    const drop = () => {
      pairs.delete(pair);
      client.destroy();
      pair.upstream.destroy();
    };
    client.on("error", drop).on("close", drop);
    pair.upstream.on("error", drop).on("close", drop);
    client.on("data", () => pair.chunksFromAgent++);
    client.pipe(pair.upstream);
    pair.upstream.pipe(client);
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, host, () => resolve());
  });
  const { port } = server.address() as net.AddressInfo;
  const view = (p: Pair): RelayedConnection => ({ id: p.id, chunksFromAgent: p.chunksFromAgent });
  return {
    port,
    get accepted() {
      return accepted;
    },
    connections: () => [...pairs].map(view),
    mark() {
      for (const p of pairs) p.chunksFromAgent = 0;
    },
    sever(which = () => true) {
      const chosen = [...pairs].filter((p) => which(view(p)));
      // A reset, not a FIN: both peers learn at once that the connection failed, not that it ended.
      for (const p of chosen) {
        pairs.delete(p);
        p.client.resetAndDestroy();
        p.upstream.resetAndDestroy();
      }
      return chosen.length;
    },
    close() {
      for (const p of pairs) {
        p.client.destroy();
        p.upstream.destroy();
      }
      pairs.clear();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}
