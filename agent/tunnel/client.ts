// The agent's end of the node tunnel: connects out to <server>/agent/tunnel with the node credential,
// keeps it alive with pings, reconnects with back-off and jitter after a drop, and runs a handler per
// stream the object opens (logs, exec …). A refused credential is logged and retried slowly, as sync does.
import {
  AGENT_TUNNEL_PATH,
  type CloseInfo,
  decodeFrame,
  encodeFrame,
  FrameType,
  jsonPayload,
  type OpenRequest,
  parsePayload,
  TUNNEL_PING,
} from "../../kube/tunnel-protocol.ts";
import { retryDelay } from "../backoff.ts";
import { ApiError } from "../client.ts";
import { AgentStream, StreamError } from "./stream.ts";
import { TunnelLostError, TunnelSyncCalls } from "./sync-calls.ts";
import { connectWebSocket, type WsConnection } from "./ws-client.ts";

/** Runs one stream; resolves with how it ended (exec: the exit code). Throw StreamError for a status. */
export type StreamHandler = (open: OpenRequest, stream: AgentStream) => Promise<CloseInfo | undefined>;
export type StreamHandlers = Partial<Record<OpenRequest["kind"], StreamHandler>>;

export interface TunnelOptions {
  server: string;
  credential: string;
  handlers: StreamHandlers;
  ca?: string;
  insecureSkipTlsVerify?: boolean;
  log?: (message: string) => void;
  random?: () => number;
  /** Ping period; the tunnel counts as dead after three periods without a message. */
  pingMs?: number;
}

export class TunnelClient {
  #stopped = false;
  #connection?: WsConnection;
  #streams = new Map<number, AgentStream>();
  /** The object opens odd stream ids, the agent even ones. */
  #nextId = 2;
  #wake?: () => void;
  #done?: Promise<void>;
  #syncs = new TunnelSyncCalls();
  /** Successful connections, for tests and diagnostics. */
  connections = 0;

  constructor(private readonly options: TunnelOptions) {}

  start(): void {
    this.#done ??= this.#run();
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    this.#connection?.close();
    this.#wake?.();
    await this.#done;
  }

  get connected(): boolean {
    return this.#connection !== undefined;
  }

  async #run(): Promise<void> {
    const log = this.options.log ?? console.log;
    let failures = 0;
    while (!this.#stopped) {
      try {
        const connection = await connectWebSocket(this.options.server + AGENT_TUNNEL_PATH, {
          headers: { authorization: `Bearer ${this.options.credential}` },
          ca: this.options.ca,
          insecureSkipTlsVerify: this.options.insecureSkipTlsVerify,
        });
        if (failures > 0) log("tunnel: connected again");
        failures = 0;
        this.connections++;
        await this.#serve(connection);
        if (!this.#stopped) log("tunnel: connection lost; reconnecting");
      } catch (error) {
        if (failures === 0 || failures % 10 === 0)
          log(
            `tunnel: ${error instanceof ApiError ? `refused (${error.code})` : "cannot connect"}: ${(error as Error).message}`,
          );
        failures++;
      }
      if (this.#stopped) break;
      await this.#sleep(retryDelay(Math.max(failures - 1, 0), this.options.random));
    }
  }

  /** Serves one connection until it ends. */
  #serve(connection: WsConnection): Promise<void> {
    this.#connection = connection;
    const pingMs = this.options.pingMs ?? 20_000;
    let lastHeard = Date.now();
    return new Promise((resolve) => {
      const ping = setInterval(() => {
        if (Date.now() - lastHeard > 3 * pingMs) return connection.destroy();
        connection.send(TUNNEL_PING);
      }, pingMs);
      connection.onMessage = (data, binary) => {
        lastHeard = Date.now();
        if (binary) this.#frame(connection, data);
      };
      connection.onClose = () => {
        clearInterval(ping);
        this.#connection = undefined;
        this.#syncs.lost();
        for (const stream of [...this.#streams.values()]) stream.end();
        resolve();
      };
    });
  }

  /**
   * Sends a sync (its request's JSON) on the tunnel and resolves with the object's answer; fails with
   * TunnelLostError when the tunnel is down or goes before the answer (send it over HTTP then).
   */
  sync<T>(body: string, options: { signal?: AbortSignal; timeoutMs?: number } = {}): Promise<T> {
    const connection = this.#connection;
    if (!connection) return Promise.reject(new TunnelLostError("the tunnel to the cluster is not connected"));
    return this.#syncs.call<T>((frame) => connection.send(frame), body, options);
  }

  /**
   * Opens a stream to the object (a pod's connection to a Service on another node); wait for
   * `stream.accepted` before sending. Throws when the tunnel is down.
   */
  open(request: OpenRequest): AgentStream {
    const connection = this.#connection;
    if (!connection) throw new Error("the tunnel to the cluster is not connected");
    const id = this.#nextId;
    this.#nextId = this.#nextId >= 0xfffffffe ? 2 : this.#nextId + 2;
    const stream = new AgentStream(
      id,
      (bytes) => connection.send(bytes),
      (sid) => this.#streams.delete(sid),
    );
    this.#streams.set(id, stream);
    connection.send(encodeFrame(FrameType.open, id, jsonPayload(request)));
    return stream;
  }

  #frame(connection: WsConnection, data: Buffer): void {
    const frame = decodeFrame(data);
    if (!frame) return;
    if (frame.type === FrameType.sync || frame.type === FrameType.syncError) {
      this.#syncs.receive(frame);
      return;
    }
    if (frame.type !== FrameType.open) {
      this.#streams.get(frame.stream)?.receive(frame.type, frame.payload);
      return;
    }
    const open = parsePayload<OpenRequest>(frame.payload);
    const stream = new AgentStream(
      frame.stream,
      (bytes) => connection.send(bytes),
      (id) => this.#streams.delete(id),
    );
    this.#streams.set(frame.stream, stream);
    const handler = open && this.options.handlers[open.kind];
    if (!open || !handler) {
      stream.fail(`this node does not serve ${open?.kind ?? "unknown"} streams`, 400);
      return;
    }
    handler(open, stream).then(
      (info) => stream.close(info),
      (error: Error) => stream.fail(error.message, error instanceof StreamError ? error.code : undefined),
    );
  }

  #sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, ms);
      this.#wake = () => {
        clearTimeout(timer);
        resolve();
      };
    });
  }
}
