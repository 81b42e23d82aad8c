// The SPDY/3 server end of one `kubectl port-forward` connection, as the kubelet runs it
// (pkg/kubelet/cri/streaming/portforward/httpstream.go): kubectl opens an "error" and a "data" stream per
// forwarded connection, tied by their requestid header; once both are there the pod's port is dialled
// (its IP only, never an address from the client) and bytes flow both ways. A failure is written as text on
// the error stream, which kubectl prints; the session itself goes on serving the next connection.
import net from "node:net";
import {
  encodeData,
  encodeGoAway,
  encodePing,
  encodeRstStream,
  encodeSynReply,
  FLAG_FIN,
  FrameReader,
  GoAwayStatus,
  header,
  readHeaders,
  RstStatus,
  type SpdyFrame,
  type SpdyHeaders,
  writeHeaders,
} from "./spdy-frames.ts";
import { HeaderZlib } from "./spdy-zlib.ts";
import { goDialError } from "../dial-error.ts";

/** How long the second stream of a pair may take to arrive (the kubelet's stream creation timeout). */
const PAIR_TIMEOUT_MS = 30_000;

export interface SessionOptions {
  podIP: string;
  /** The pod and uid as upstream's error message names them. */
  pod: string;
  uid: string;
  /** Sends bytes to the client, in order; resolves false once the client is gone. */
  send: (bytes: Uint8Array) => Promise<boolean>;
  /** The client's bytes were handled (data only once the pod's socket took it): credit may go back. */
  consumed?: (bytes: number) => void;
  dial?: (host: string, port: number) => net.Socket;
  pairTimeoutMs?: number;
}

type Kind = "error" | "data";

interface Stream {
  id: number;
  kind: Kind;
  pair: Pair;
  finSent: boolean;
}

interface Pair {
  requestId: string;
  port: number;
  error?: Stream;
  data?: Stream;
  socket?: net.Socket;
  timer?: ReturnType<typeof setTimeout>;
  failure?: string;
  /** The client's data stream was half-closed in its SYN_STREAM already. */
  dataFin?: boolean;
  ended: boolean;
}

/** The kubelet's checks of a new stream's headers; the message when they fail (the stream is then reset). */
export function streamHeadersProblem(headers: SpdyHeaders): string | undefined {
  const port = header(headers, "port");
  if (!port) return `"port" header is required`;
  if (!/^\d+$/.test(port) || Number(port) > 65535) return `unable to parse "${port}" as a port`;
  if (Number(port) < 1) return `port "${port}" must be > 0`;
  const type = header(headers, "streamtype");
  if (!type) return `"streamType" header is required`;
  if (type !== "error" && type !== "data") return `invalid stream type "${type}"`;
  return undefined;
}

export class PortForwardSession {
  readonly #reader = new FrameReader();
  readonly #zlib = new HeaderZlib();
  readonly #streams = new Map<number, Stream>();
  readonly #pairs = new Map<string, Pair>();
  #out: Promise<unknown> = Promise.resolve();
  #lastStreamId = 0;
  #goneAway = false;
  #closed = false;
  #resolveDone!: () => void;
  /** Resolves once the session ended (closed, the client went away or broke the protocol). */
  readonly done: Promise<void> = new Promise((resolve) => (this.#resolveDone = resolve));

  constructor(private readonly options: SessionOptions) {}

  /** Bytes of the client's SPDY stream, in order (call again only once the previous call resolved). */
  async receive(bytes: Uint8Array): Promise<void> {
    if (this.#closed) return;
    try {
      for (const { frame, wireBytes } of this.#reader.push(bytes)) {
        await this.#handle(frame, wireBytes);
        if (this.#closed) return;
      }
    } catch {
      // A malformed frame or header block (SpdyProtocolError, a zlib error) leaves the framing or the zlib
      // context unusable: the connection cannot go on.
      this.#send(encodeGoAway(this.#lastStreamId, GoAwayStatus.protocolError));
      await this.#out;
      this.close();
    }
  }

  /** Ends every forwarded connection and the session. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    for (const pair of this.#pairs.values()) {
      clearTimeout(pair.timer);
      pair.socket?.destroy();
    }
    this.#pairs.clear();
    this.#streams.clear();
    this.#zlib.close();
    this.#resolveDone();
  }

  /** Forwarded connections open now, for tests. */
  get openPairs(): number {
    return this.#pairs.size;
  }

  async #handle(frame: SpdyFrame, wireBytes: number): Promise<void> {
    const consumed = () => this.options.consumed?.(wireBytes);
    switch (frame.type) {
      case "data":
        // Credit for data goes back once the pod's socket took it (see #data).
        this.#data(frame.streamId, frame.data, (frame.flags & FLAG_FIN) !== 0, consumed);
        return;
      case "synStream":
        await this.#synStream(frame.streamId, await readHeaders(frame.block, this.#zlib.inflate), frame.flags);
        break;
      case "synReply":
      case "headers":
        // Never expected from kubectl, but the block must still pass through the shared zlib context.
        await this.#zlib.inflate(frame.block);
        break;
      case "rstStream":
        this.#reset(frame.streamId);
        break;
      case "ping":
        // Client pings have odd ids; ours would be even (we send none).
        if (frame.id & 1) this.#send(encodePing(frame.id));
        break;
      case "goAway":
        this.#goneAway = true;
        if (this.#pairs.size === 0) this.close();
        break;
      // WINDOW_UPDATE and SETTINGS: spdystream does no flow control (it ignores both), so neither do we.
    }
    consumed();
  }

  #data(id: number, data: Uint8Array, fin: boolean, consumed: () => void): void {
    const stream = this.#streams.get(id);
    const socket = stream?.kind === "data" ? stream.pair.socket : undefined;
    if (!socket || socket.destroyed) {
      consumed();
      return;
    }
    if (data.byteLength > 0) socket.write(data, () => consumed());
    else consumed();
    if (fin) socket.end();
  }

  async #synStream(id: number, headers: SpdyHeaders, flags: number): Promise<void> {
    if (this.#goneAway) return;
    if (id % 2 === 0 || id <= this.#lastStreamId) {
      this.#send(encodeRstStream(id, RstStatus.protocolError));
      return;
    }
    this.#lastStreamId = id;
    if (streamHeadersProblem(headers)) {
      this.#send(encodeRstStream(id, RstStatus.cancel));
      return;
    }
    this.#send(() => writeHeaders({}, this.#zlib.deflate).then((block) => encodeSynReply(id, block)));
    const kind = header(headers, "streamtype") as Kind;
    const pair = this.#pairFor(this.#requestId(headers, kind, id));
    if (pair[kind]) {
      this.#printError(pair, `error processing stream for request ${pair.requestId}: ${kind} stream already assigned`);
      return;
    }
    const stream: Stream = { id, kind, pair, finSent: false };
    pair[kind] = stream;
    this.#streams.set(id, stream);
    if (kind === "data") {
      pair.port = Number(header(headers, "port"));
      pair.dataFin = (flags & FLAG_FIN) !== 0;
    }
    if (pair.error && pair.data) {
      clearTimeout(pair.timer);
      this.#forward(pair);
      if (pair.dataFin) pair.socket?.end();
    }
  }

  /** Old clients send no requestid: the kubelet pairs consecutive stream ids then. */
  #requestId(headers: SpdyHeaders, kind: Kind, id: number): string {
    return header(headers, "requestid") ?? String(kind === "error" ? id : id - 2);
  }

  #pairFor(requestId: string): Pair {
    let pair = this.#pairs.get(requestId);
    if (!pair) {
      pair = { requestId, port: 0, ended: false };
      const created = pair;
      created.timer = setTimeout(() => {
        this.#printError(created, `(conn=${this.options.pod}, request=${requestId}) timed out waiting for streams`);
        this.#endPair(created);
      }, this.options.pairTimeoutMs ?? PAIR_TIMEOUT_MS);
      this.#pairs.set(requestId, pair);
    }
    return pair;
  }

  #forward(pair: Pair): void {
    const { podIP } = this.options;
    const dial = this.options.dial ?? ((host: string, port: number) => net.connect({ host, port }));
    const socket = dial(podIP, pair.port);
    pair.socket = socket;
    let connected = false;
    socket.once("connect", () => {
      connected = true;
      socket.setNoDelay(true);
    });
    socket.on("data", (chunk: Buffer) => {
      socket.pause();
      void this.#send(encodeData(pair.data?.id ?? 0, chunk)).then((sent) =>
        sent ? socket.resume() : socket.destroy(),
      );
    });
    socket.on("error", (error: NodeJS.ErrnoException) => {
      pair.failure ??= connected ? error.message : goDialError(podIP, pair.port, error);
    });
    socket.on("close", () => {
      if (pair.failure)
        this.#printError(
          pair,
          `error forwarding port ${pair.port} to pod ${this.options.pod}, uid ${this.options.uid}: ${pair.failure}`,
        );
      this.#endPair(pair);
    });
  }

  /** The client reset a stream: a data stream's connection is cut (no error to report). */
  #reset(id: number): void {
    const stream = this.#streams.get(id);
    if (!stream) return;
    stream.finSent = true;
    this.#streams.delete(id);
    if (stream.kind === "data") stream.pair.socket?.destroy();
  }

  #printError(pair: Pair, message: string): void {
    const error = pair.error;
    if (error && !error.finSent) this.#send(encodeData(error.id, new TextEncoder().encode(message)));
  }

  /** Both streams end (FIN) and the pair is forgotten. */
  #endPair(pair: Pair): void {
    if (pair.ended) return;
    pair.ended = true;
    clearTimeout(pair.timer);
    pair.socket?.destroy();
    for (const stream of [pair.data, pair.error]) {
      if (!stream) continue;
      if (!stream.finSent) this.#send(encodeData(stream.id, new Uint8Array(), true));
      stream.finSent = true;
      this.#streams.delete(stream.id);
    }
    this.#pairs.delete(pair.requestId);
    if (this.#goneAway && this.#pairs.size === 0) void this.#out.then(() => this.close());
  }

  /** Queues bytes (or bytes made in turn, for header blocks that must go through zlib in order) to the client. */
  #send(bytes: Uint8Array | (() => Promise<Uint8Array>)): Promise<boolean> {
    const next = this.#out.then(async () => {
      if (this.#closed) return false;
      const frame = typeof bytes === "function" ? await bytes() : bytes;
      const sent = await this.options.send(frame);
      if (!sent) this.close();
      return sent;
    });
    this.#out = next.catch(() => false);
    return next.catch(() => false);
  }
}
