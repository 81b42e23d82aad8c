// The node tunnel (DESIGN.md, "The agent protocol"): one WebSocket from the agent to its cluster object,
// opened with GET <cluster>/agent/tunnel and the node credential, carrying many streams. Every WebSocket
// message is one binary frame:
//   byte 0      frame type (open, data, window, close, error)
//   bytes 1–4   stream id, big-endian uint32 (chosen by the side that opens the stream)
//   bytes 5…    payload: open → JSON OpenRequest; data → bytes; window → uint32 credit; close/error → JSON
// Flow control is per stream and per direction, by credit: a sender may have at most the bytes of data
// the receiver granted in flight (INITIAL_WINDOW at open, then each window frame adds to it). A receiver
// grants more only as its reader consumes, so a slow reader never makes the other side buffer without bound.

export const AGENT_TUNNEL_PATH = "/agent/tunnel";

/**
 * Besides streams, the tunnel carries the agent's syncs (one WebSocket message each way instead of an HTTP
 * request per heartbeat): `sync` from the agent is a SyncRequest as JSON under an id of its choosing (its
 * own numbering, apart from stream ids); the object answers `sync` with the SyncResponse as JSON, or
 * `syncError` with a Kubernetes Status as JSON (its code as the HTTP sync would answer).
 */
export const FrameType = { open: 1, data: 2, window: 3, close: 4, error: 5, sync: 6, syncError: 7 } as const;
export type FrameType = (typeof FrameType)[keyof typeof FrameType];

/** Credit each direction of a new stream starts with. */
export const INITIAL_WINDOW = 256 * 1024;
/** The largest data payload one frame carries; bigger writes are split. */
export const MAX_DATA_PAYLOAD = 32 * 1024;
/** Text message the agent sends to check the tunnel; the object's runtime answers PONG without waking. */
export const TUNNEL_PING = "ping";
export const TUNNEL_PONG = "pong";

const HEADER_BYTES = 5;

export interface Frame {
  type: FrameType;
  stream: number;
  payload: Uint8Array;
}

/**
 * The side that receives an open answers with an empty data frame once the stream is under way (or an error
 * frame), so the opener can still answer its client with a proper status before any output exists.
 */
/** What a stream is for. Port-forward adds a kind of its own. */
export type OpenRequest =
  | LogsOpen
  | ExecOpen
  | HttpOpen
  | AttachOpen
  | WebSocketOpen
  | ConnectOpen
  | PodConnectOpen
  | TcpOpen
  | PortForwardOpen;

export interface LogsOpen {
  kind: "logs";
  /** Runtime id of the container without its scheme ("docker://" stripped). */
  containerID: string;
  follow: boolean;
  timestamps: boolean;
  tailLines?: number;
  /** Unix seconds: only lines written since then (sinceSeconds and sinceTime both become this). */
  since?: number;
}

export interface ExecOpen {
  kind: "exec";
  containerID: string;
  command: string[];
  stdin: boolean;
  stdout: boolean;
  stderr: boolean;
  tty: boolean;
}

/** Attach to a running container's main process; tty comes from the container's spec (it cannot change). */
export interface AttachOpen {
  kind: "attach";
  containerID: string;
  stdin: boolean;
  stdout: boolean;
  stderr: boolean;
  tty: boolean;
}

/**
 * A WebSocket to a pod (an Upgrade through pods/proxy or services/proxy). The agent opens it from its host;
 * a failure to connect is an error frame with code 503 (the object tries another endpoint), a pod that
 * refuses the upgrade an error with the pod's status. Once open, both directions carry the messages framed
 * by kube/ws-relay.ts, the agent's first one being the handshake (the subprotocol the pod chose).
 */
export interface WebSocketOpen {
  kind: "websocket";
  scheme: "http" | "https";
  host: string;
  port: number;
  /** Path and query. */
  path: string;
  /** Header pairs for the pod (Sec-WebSocket-Protocol among them); hop-by-hop and handshake headers removed. */
  headers: [string, string][];
}

/**
 * Opened by an agent (agents open even stream ids, the object odd ones): a pod's connection to a Service,
 * taken by the node-local service proxy, for a ready endpoint on another node. The object checks that the
 * endpoint belongs to the Service and that the node runs a pod in its namespace, opens a `tcp` stream to
 * the endpoint's node and relays; it accepts (an empty data frame) once that node connected. Raw bytes after.
 */
export interface ConnectOpen {
  kind: "connect";
  namespace: string;
  service: string;
  /** The endpoint: its node, pod IP and target port. */
  node: string;
  podIP: string;
  port: number;
  /** Who connected (the pod's IP, or a node port's client): the endpoint's node checks its NetworkPolicies. */
  sourceIP?: string;
}

/**
 * Opened by an agent: a pod's connection to the IP of a pod on another node, on any TCP port (the Kubernetes
 * network model: every pod reaches every pod). The object checks that a pod of the cluster running on `node`
 * has that IP, then relays as for `connect`.
 */
export interface PodConnectOpen {
  kind: "pod-connect";
  node: string;
  podIP: string;
  port: number;
  /** The pod that connected: the target's node checks its NetworkPolicies. */
  sourceIP?: string;
}

/** How a node words a `tcp` open its pod's NetworkPolicies refuse (code 403): the asking node then drops. */
export const POLICY_DENIED = "refused by a NetworkPolicy";

/** Opened by the object: dial podIP:port from the node, accept once connected (503 when not), relay raw bytes. */
export interface TcpOpen {
  kind: "tcp";
  podIP: string;
  port: number;
  /**
   * The connection's source as the object vouches for it (a pod of the asking node, else that node's own
   * address): this node refuses what its pod's NetworkPolicies refuse, as an error with code 403.
   */
  sourceIP?: string;
}

/**
 * One HTTP request to a pod (pods/proxy, services/proxy), made by the agent from its host to host:port.
 * The object sends the request body as data (exactly bodyLength bytes); the agent accepts only once the
 * pod answered (a connection failure is an error frame with code 503, so the object can try another
 * endpoint), then sends the response head as one JSON line (HttpResponseHead + "\n") and the body after it.
 */
export interface HttpOpen {
  kind: "http";
  scheme: "http" | "https";
  host: string;
  port: number;
  method: string;
  /** Path and query, e.g. "/index.html?a=1". */
  path: string;
  /** Header pairs in order (repeated names kept); hop-by-hop headers already removed. */
  headers: [string, string][];
  bodyLength: number;
}

/**
 * kubectl port-forward (SPDY/3.1 tunnelled in the client's WebSocket): the stream's data is the SPDY byte
 * stream both ways, not parsed by the object; the agent terminates SPDY and dials podIP only.
 */
export interface PortForwardOpen {
  kind: "portforward";
  podIP: string;
  /** How upstream's "error forwarding port … to pod <pod>, uid <uid>" names the pod. */
  pod: string;
  uid: string;
}

export interface HttpResponseHead {
  status: number;
  statusText: string;
  headers: [string, string][];
}

/** Sent with close: how the stream ended (exec: the exit code). */
export interface CloseInfo {
  exitCode?: number;
}

/** Sent with error: why the stream failed. */
export interface ErrorInfo {
  message: string;
  /** An HTTP status the object may answer with when nothing was streamed yet (e.g. 404, 400). */
  code?: number;
}

/**
 * Exec data carries the channel as its first byte, numbered as Kubernetes' channel protocol does (0 stdin,
 * 1 stdout, 2 stderr, 4 resize as JSON {Width, Height}); CHANNEL_CLOSE + channel half-closes a channel.
 */
export const Channel = { stdin: 0, stdout: 1, stderr: 2, error: 3, resize: 4, close: 255 } as const;

export function encodeFrame(type: FrameType, stream: number, payload: Uint8Array = new Uint8Array()): Uint8Array {
  const out = new Uint8Array(HEADER_BYTES + payload.byteLength);
  out[0] = type;
  new DataView(out.buffer).setUint32(1, stream >>> 0);
  out.set(payload, HEADER_BYTES);
  return out;
}

/** The frame in a message, or undefined for a message that is none (too short, unknown type). */
export function decodeFrame(message: ArrayBuffer | Uint8Array): Frame | undefined {
  const bytes = message instanceof Uint8Array ? message : new Uint8Array(message);
  if (bytes.byteLength < HEADER_BYTES) return undefined;
  const type = bytes[0];
  if (type < FrameType.open || type > FrameType.syncError) return undefined;
  const stream = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getUint32(1);
  return { type: type as FrameType, stream, payload: bytes.subarray(HEADER_BYTES) };
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();

export const jsonPayload = (value: unknown): Uint8Array => encoder.encode(JSON.stringify(value));

/** The JSON in a payload, or undefined when it is empty or not JSON. */
export function parsePayload<T>(payload: Uint8Array): T | undefined {
  if (payload.byteLength === 0) return undefined;
  try {
    return JSON.parse(decoder.decode(payload)) as T;
  } catch {
    return undefined;
  }
}

export function windowPayload(credit: number): Uint8Array {
  const out = new Uint8Array(4);
  new DataView(out.buffer).setUint32(0, credit >>> 0);
  return out;
}

export function readWindow(payload: Uint8Array): number {
  if (payload.byteLength < 4) return 0;
  return new DataView(payload.buffer, payload.byteOffset, payload.byteLength).getUint32(0);
}

/** Splits data into payloads no longer than MAX_DATA_PAYLOAD. */
export function* chunks(data: Uint8Array, max = MAX_DATA_PAYLOAD): Generator<Uint8Array> {
  for (let at = 0; at < data.byteLength; at += max) yield data.subarray(at, Math.min(at + max, data.byteLength));
}

/**
 * The sending side's credit. `take` waits until some credit is there and takes up to `want` bytes of it;
 * `grant` adds what the receiver allowed. Closing wakes waiters with 0 (nothing more may be sent).
 */
export class SendCredit {
  #credit: number;
  #waiters: (() => void)[] = [];
  #closed = false;

  constructor(initial = INITIAL_WINDOW) {
    this.#credit = initial;
  }

  get available(): number {
    return this.#credit;
  }

  grant(bytes: number): void {
    this.#credit += bytes;
    this.#wake();
  }

  close(): void {
    this.#closed = true;
    this.#wake();
  }

  async take(want: number): Promise<number> {
    while (this.#credit <= 0 && !this.#closed) await new Promise<void>((resolve) => this.#waiters.push(resolve));
    if (this.#closed) return 0;
    const got = Math.min(want, this.#credit);
    this.#credit -= got;
    return got;
  }

  #wake(): void {
    const waiters = this.#waiters;
    this.#waiters = [];
    for (const wake of waiters) wake();
  }
}

/**
 * The receiving side's accounting: bytes arrive, the reader consumes them, and credit is given back in
 * batches of at least half the window (fewer window frames). `received` refuses data beyond the credit
 * granted: a peer that ignores flow control is a protocol error.
 */
export class ReceiveWindow {
  #outstanding: number;
  #consumed = 0;

  constructor(readonly window = INITIAL_WINDOW) {
    this.#outstanding = window;
  }

  /** False when the peer sent more than it was allowed. */
  received(bytes: number): boolean {
    if (bytes > this.#outstanding) return false;
    this.#outstanding -= bytes;
    return true;
  }

  /** The reader took `bytes`; answers the credit to grant now (0: not yet worth a frame). */
  consumed(bytes: number): number {
    this.#consumed += bytes;
    if (this.#consumed < this.window / 2) return 0;
    const grant = this.#consumed;
    this.#consumed = 0;
    this.#outstanding += grant;
    return grant;
  }
}
