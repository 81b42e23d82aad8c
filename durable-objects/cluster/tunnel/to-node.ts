// Client → node for the WebSocket subresources (exec, attach, port-forward, proxied WebSockets). A Workers
// WebSocket cannot be paused, so what a client sends faster than the node's credit allows waits here; past
// a bound the client is cut off instead of the object buffering without limit.
import type { HubStream } from "./hub.ts";
import { concatBytes } from "../../../kube/bytes.ts";

/** What may wait for the node's credit on one stream (beyond the window already in flight). */
export const MAX_UNSENT_BYTES = 4 * 1024 * 1024;

/** The close reason a cut-off client gets (with code 1008, policy violation). */
export const OVERFLOW = "sent faster than the node takes it";

export interface ToNodeOptions {
  /** Join what waits into one write (byte streams); off where each message is a unit (exec channels). */
  batch: boolean;
  /** The client sent more than the node took and the bound allows: the stream is closed already. */
  overflow: () => void;
  limit?: number;
}

export class ToNode {
  #pending: Uint8Array[] = [];
  #unsent = 0;
  #writing = false;
  #ending = false;
  #stopped = false;

  constructor(
    private readonly stream: HubStream,
    private readonly options: ToNodeOptions,
  ) {}

  /** Bytes waiting for the node's credit now. */
  get unsent(): number {
    return this.#unsent;
  }

  push(bytes: Uint8Array): void {
    if (this.#ending || this.#stopped || bytes.byteLength === 0) return;
    this.#unsent += bytes.byteLength;
    if (this.#unsent > (this.options.limit ?? MAX_UNSENT_BYTES)) {
      this.#stop();
      this.stream.close();
      this.options.overflow();
      return;
    }
    this.#pending.push(bytes);
    if (!this.#writing) void this.#pump();
  }

  /** Ends the stream once everything already sent by the client went out. */
  end(): void {
    this.#ending = true;
    if (!this.#writing) this.stream.close();
  }

  async #pump(): Promise<void> {
    this.#writing = true;
    while (this.#pending.length > 0) {
      const next = this.options.batch ? joinedOnce(this.#pending.splice(0)) : (this.#pending.shift() as Uint8Array);
      const ok = await this.stream.write(next);
      this.#unsent -= next.byteLength;
      if (!ok) this.#stop();
    }
    this.#writing = false;
    if (this.#ending) this.stream.close();
  }

  #stop(): void {
    this.#stopped = true;
    this.#pending = [];
    this.#unsent = 0;
  }
}

const joinedOnce = (parts: Uint8Array[]) => (parts.length === 1 ? parts[0] : concatBytes(parts));
