// A small WebSocket client over node:http(s) upgrades, trusting the cluster's CA like the sync client.
// Binary and text messages, fragmented messages reassembled, pings answered, close in both directions.
import { createHash, randomBytes } from "node:crypto";
import http from "node:http";
import https from "node:https";
import type { Duplex } from "node:stream";
import { apiErrorOf, UnreachableError } from "../client.ts";
import { encodeClientFrame, FrameParser, Opcode } from "./ws-frames.ts";

const GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";

export interface WsOptions {
  headers: Record<string, string>;
  ca?: string;
  insecureSkipTlsVerify?: boolean;
  timeoutMs?: number;
}

export class WsConnection {
  onMessage: (data: Buffer, binary: boolean) => void = () => {};
  onClose: () => void = () => {};
  /** The subprotocol the server chose (Sec-WebSocket-Protocol of its answer), if any. */
  protocol?: string;
  /** The code and reason of the server's close frame, once it sent one. */
  closeCode?: number;
  closeReason = "";
  #parser = new FrameParser();
  #fragments: Buffer[] = [];
  #fragmentBinary = false;
  #closed = false;

  constructor(private readonly socket: Duplex) {
    socket.on("data", (chunk: Buffer) => this.#receive(chunk));
    socket.on("close", () => this.#ended());
    socket.on("error", () => this.#ended());
  }

  send(data: Uint8Array | string): void {
    if (this.#closed) return;
    const binary = typeof data !== "string";
    const payload = binary ? Buffer.from(data.buffer, data.byteOffset, data.byteLength) : Buffer.from(data);
    this.socket.write(encodeClientFrame(binary ? Opcode.binary : Opcode.text, payload));
  }

  close(code = 1000, reason = ""): void {
    if (this.#closed) return;
    const payload = Buffer.alloc(2 + Buffer.byteLength(reason));
    payload.writeUInt16BE(code);
    payload.write(reason, 2);
    this.socket.write(encodeClientFrame(Opcode.close, payload));
    this.socket.end();
    this.#ended();
  }

  /** Drops the connection without a close handshake (a dead peer). */
  destroy(): void {
    this.socket.destroy();
    this.#ended();
  }

  #receive(chunk: Buffer): void {
    for (const frame of this.#parser.push(chunk)) {
      if (frame.opcode === Opcode.ping) this.socket.write(encodeClientFrame(Opcode.pong, frame.payload));
      else if (frame.opcode === Opcode.close) {
        if (frame.payload.byteLength >= 2) {
          this.closeCode = frame.payload.readUInt16BE(0);
          this.closeReason = frame.payload.subarray(2).toString("utf8");
        }
        this.close(this.closeCode ?? 1000);
      } else if (frame.opcode === Opcode.pong) continue;
      else {
        if (frame.opcode !== Opcode.continuation) this.#fragmentBinary = frame.opcode === Opcode.binary;
        this.#fragments.push(frame.payload);
        if (!frame.fin) continue;
        const data = this.#fragments.length === 1 ? this.#fragments[0] : Buffer.concat(this.#fragments);
        this.#fragments = [];
        this.onMessage(data, this.#fragmentBinary);
      }
    }
  }

  #ended(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.onClose();
  }
}

/** Opens a WebSocket to an http(s) URL; a refusal comes back as the ApiError of its Status. */
export function connectWebSocket(url: string, options: WsOptions): Promise<WsConnection> {
  const target = new URL(url);
  const secure = target.protocol === "https:" || target.protocol === "wss:";
  const key = randomBytes(16).toString("base64");
  return new Promise((resolve, reject) => {
    const req = (secure ? https : http).request(target, {
      method: "GET",
      timeout: options.timeoutMs ?? 30_000,
      ...(secure ? { ca: options.ca, rejectUnauthorized: !options.insecureSkipTlsVerify } : {}),
      headers: {
        "user-agent": "flotilla-agent",
        ...options.headers,
        connection: "Upgrade",
        upgrade: "websocket",
        "sec-websocket-version": "13",
        "sec-websocket-key": key,
      },
    });
    req.on("upgrade", (res, socket, head) => {
      const expected = createHash("sha1")
        .update(key + GUID)
        .digest("base64");
      if (res.headers["sec-websocket-accept"] !== expected) {
        socket.destroy();
        return reject(new UnreachableError("the tunnel's WebSocket handshake did not match"));
      }
      socket.setNoDelay(true);
      // Paused until the caller has its handlers set: a server that speaks first may have sent a message in
      // the same packet as the 101 (in `head`), and unshifting it into a flowing socket would emit it at once.
      socket.pause();
      const connection = new WsConnection(socket);
      const protocol = res.headers["sec-websocket-protocol"];
      if (typeof protocol === "string" && protocol) connection.protocol = protocol;
      resolve(connection);
      setImmediate(() => {
        if (head.byteLength > 0) socket.unshift(head);
        socket.resume();
      });
    });
    req.on("response", (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () => reject(apiErrorOf(res.statusCode ?? 0, Buffer.concat(chunks).toString("utf8"))));
    });
    req.on("timeout", () => req.destroy(new UnreachableError(`timed out opening the tunnel to ${target.host}`)));
    req.on("error", (error) => reject(error instanceof UnreachableError ? error : new UnreachableError(error.message)));
    req.end();
  });
}
