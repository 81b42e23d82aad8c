// The object's side of node tunnels: which node has a socket, streams opened to nodes, and frames routed
// back to them. Sockets are found through the hibernation API (`ctx.getWebSockets(node)`) so an idle tunnel
// survives the object hibernating; streams live in memory only, as each one belongs to a request that keeps
// the object awake. The object opens odd stream ids; an agent opens even ones (a pod's connection to a
// Service on another node), handed to `onOpen`.
import {
  type CloseInfo,
  chunks,
  decodeFrame,
  type ErrorInfo,
  encodeFrame,
  FrameType,
  jsonPayload,
  type OpenRequest,
  parsePayload,
  ReceiveWindow,
  readWindow,
  SendCredit,
  windowPayload,
} from "../../../kube/tunnel-protocol.ts";
import { StatusError, statusFailure } from "../../../kube/status.ts";

/** How a stream ended: closed by the agent (with its info) or failed. */
export type StreamEnd = { closed: CloseInfo } | { error: ErrorInfo };

/** The minimum of a WebSocket the hub needs (a hibernatable server socket in production). */
export interface TunnelSocket {
  send(message: ArrayBuffer | Uint8Array | string): void;
  close(code?: number, reason?: string): void;
}

/**
 * Each tunnel socket carries two tags: its node's name and a connection tag (CONNECTION_TAG_PREFIX + id), so
 * a stream stays on the connection it was opened on and fails with exactly that connection.
 */
export interface TunnelSockets {
  byTag(tag: string): TunnelSocket[];
  tagsOf(socket: TunnelSocket): string[];
}

const streamKey = (connection: string, id: number) => `${connection}#${id}`;

/** Node names are DNS subdomains: they never contain ":". */
export const CONNECTION_TAG_PREFIX = "conn:";

export const newConnectionTag = () => `${CONNECTION_TAG_PREFIX}${crypto.randomUUID()}`;

export const nodeNotConnected = (node: string) =>
  new StatusError(
    503,
    "ServiceUnavailable",
    `node "${node}" is not connected to the cluster: its agent has no tunnel open (is it running?)`,
  );

export class HubStream {
  readonly #credit = new SendCredit();
  readonly #window = new ReceiveWindow();
  #resolveEnd!: (end: StreamEnd) => void;
  #done = false;
  /** Resolves once: the agent closed the stream, failed it, or the tunnel went away. */
  readonly ended: Promise<StreamEnd> = new Promise((resolve) => (this.#resolveEnd = resolve));
  /** Called with each data payload; the consumer calls consumed() once it has passed the bytes on. */
  onData: (bytes: Uint8Array) => void = () => {};

  constructor(
    readonly id: number,
    readonly node: string,
    /** The connection tag of the socket the stream was opened on. */
    readonly connection: string,
    private readonly socket: () => TunnelSocket | undefined,
    private readonly forget: (id: number) => void,
  ) {}

  get done(): boolean {
    return this.#done;
  }

  /** Sends data within the agent's credit (waits for more when it runs out). False once the stream ended. */
  async write(data: Uint8Array): Promise<boolean> {
    for (const chunk of chunks(data)) {
      let at = 0;
      while (at < chunk.byteLength) {
        const got = await this.#credit.take(chunk.byteLength - at);
        if (got === 0 || this.#done) return false;
        if (!this.#send(FrameType.data, chunk.subarray(at, at + got))) return false;
        at += got;
      }
    }
    return !this.#done;
  }

  consumed(bytes: number): void {
    const grant = this.#window.consumed(bytes);
    if (grant > 0 && !this.#done) this.#send(FrameType.window, windowPayload(grant));
  }

  /** Tells the agent that opened this stream it is under way (an empty data frame). */
  accept(): void {
    if (!this.#done) this.#send(FrameType.data);
  }

  /** Refuses or fails the stream from the object's side. */
  fail(message: string, code?: number): void {
    if (this.#done) return;
    this.#send(FrameType.error, jsonPayload({ message, code } satisfies ErrorInfo));
    this.#finish({ error: { message, code } });
  }

  /** Ends the stream from the object's side (the client went away or finished). */
  close(): void {
    if (this.#done) return;
    this.#send(FrameType.close);
    this.#finish({ closed: {} });
  }

  /** A frame from the agent for this stream. */
  receive(type: FrameType, payload: Uint8Array): void {
    if (this.#done) return;
    if (type === FrameType.data) {
      if (!this.#window.received(payload.byteLength)) {
        this.#send(FrameType.error, jsonPayload({ message: "flow control window exceeded" }));
        this.#finish({ error: { message: "the node sent more than the stream's window" } });
        return;
      }
      this.onData(payload);
    } else if (type === FrameType.window) this.#credit.grant(readWindow(payload));
    else if (type === FrameType.close) this.#finish({ closed: parsePayload<CloseInfo>(payload) ?? {} });
    else if (type === FrameType.error)
      this.#finish({ error: parsePayload<ErrorInfo>(payload) ?? { message: "the node failed the stream" } });
  }

  /** The tunnel went away under the stream. */
  lost(): void {
    this.#finish({ error: { message: `the connection to node "${this.node}" was lost` } });
  }

  #send(type: FrameType, payload?: Uint8Array): boolean {
    const socket = this.socket();
    if (!socket) {
      this.lost();
      return false;
    }
    try {
      socket.send(encodeFrame(type, this.id, payload));
      return true;
    } catch {
      this.lost();
      return false;
    }
  }

  #finish(end: StreamEnd): void {
    if (this.#done) return;
    this.#done = true;
    this.#credit.close();
    this.forget(this.id);
    this.#resolveEnd(end);
  }
}

/** Runs a stream an agent opened; `node` is the agent's node (from its socket's tag, never from the request). */
export type AgentOpenHandler = (stream: HubStream, node: string, request: OpenRequest) => void;

/** Answers a sync the agent sent on its tunnel; `node` is the socket's node (from its tag). */
export type AgentSyncHandler = (socket: TunnelSocket, node: string, id: number, payload: Uint8Array) => void;

/** Agent-opened streams have even ids. */
const isAgentId = (id: number) => id % 2 === 0;

export class TunnelHub {
  /** By connection tag and id: ids are unique per connection only (each agent numbers its own). */
  #streams = new Map<string, HubStream>();
  /** Where agent-opened streams go; without it they are refused. */
  onOpen?: AgentOpenHandler;
  /** Where syncs sent on a tunnel go; without it they are refused (the agent falls back to HTTP). */
  onSync?: AgentSyncHandler;
  // Random start: ids stay distinct from any stream an agent still remembers from before a restart.
  #next = (crypto.getRandomValues(new Uint32Array(1))[0] & 0x3fffffff) | 1;

  constructor(private readonly sockets: TunnelSockets) {}

  connected(node: string): boolean {
    return this.#newest(node) !== undefined;
  }

  /** Opens a stream to the node's agent; a 503 Status when the node has no tunnel. */
  open(node: string, request: OpenRequest): HubStream {
    const socket = this.#newest(node);
    const connection = socket && this.#connectionOf(socket);
    if (!socket || !connection) throw nodeNotConnected(node);
    const id = this.#next;
    this.#next = (this.#next + 2) >>> 0 || 1;
    const stream = this.#register(id, node, connection);
    socket.send(encodeFrame(FrameType.open, id, jsonPayload(request)));
    return stream;
  }

  /** A message on a tunnel. Frames of unknown streams are answered with close (the agent forgets them). */
  onMessage(socket: TunnelSocket, message: ArrayBuffer | string): void {
    if (typeof message === "string") return; // pings are answered by the runtime's auto-response
    const frame = decodeFrame(message);
    if (!frame) return;
    if (frame.type === FrameType.sync) {
      this.#agentSync(socket, frame.stream, frame.payload);
      return;
    }
    const connection = this.#connectionOf(socket);
    const stream = connection && this.#streams.get(streamKey(connection, frame.stream));
    if (stream) {
      stream.receive(frame.type, frame.payload);
      return;
    }
    if (frame.type === FrameType.open && connection && isAgentId(frame.stream)) {
      this.#agentOpen(socket, connection, frame.stream, frame.payload);
      return;
    }
    if (frame.type !== FrameType.close && frame.type !== FrameType.error)
      socket.send(encodeFrame(FrameType.close, frame.stream));
  }

  #agentSync(socket: TunnelSocket, id: number, payload: Uint8Array): void {
    const node = this.#nodeOf(socket);
    if (node && this.onSync) {
      this.onSync(socket, node, id, payload);
      return;
    }
    const refused = statusFailure(501, "NotImplemented", "this cluster takes syncs over HTTP only");
    socket.send(encodeFrame(FrameType.syncError, id, jsonPayload(refused)));
  }

  #nodeOf(socket: TunnelSocket): string | undefined {
    return this.sockets.tagsOf(socket).find((t) => !t.startsWith(CONNECTION_TAG_PREFIX));
  }

  #agentOpen(socket: TunnelSocket, connection: string, id: number, payload: Uint8Array): void {
    const node = this.#nodeOf(socket);
    const request = parsePayload<OpenRequest>(payload);
    if (!node || !request || !this.onOpen) {
      const message = `the cluster does not serve ${request?.kind ?? "unknown"} streams from nodes`;
      socket.send(encodeFrame(FrameType.error, id, jsonPayload({ message, code: 400 } satisfies ErrorInfo)));
      return;
    }
    this.onOpen(this.#register(id, node, connection), node, request);
  }

  #register(id: number, node: string, connection: string): HubStream {
    const key = streamKey(connection, id);
    const stream = new HubStream(
      id,
      node,
      connection,
      () => this.sockets.byTag(connection)[0],
      () => this.#streams.delete(key),
    );
    this.#streams.set(key, stream);
    return stream;
  }

  /** A tunnel closed (or is being replaced): the streams opened on it fail, and our side closes too. */
  onClose(socket: TunnelSocket): void {
    const connection = this.#connectionOf(socket);
    for (const stream of [...this.#streams.values()]) if (stream.connection === connection) stream.lost();
    try {
      socket.close(1000, "tunnel closed");
    } catch {
      // already closed
    }
  }

  /** Streams open now, for tests and diagnostics. */
  get openStreams(): number {
    return this.#streams.size;
  }

  /** The newest socket: a reconnecting agent's fresh socket wins over a half-dead old one. */
  #newest(node: string): TunnelSocket | undefined {
    const all = this.sockets.byTag(node);
    return all[all.length - 1];
  }

  #connectionOf(socket: TunnelSocket): string | undefined {
    return this.sockets.tagsOf(socket).find((t) => t.startsWith(CONNECTION_TAG_PREFIX));
  }
}
