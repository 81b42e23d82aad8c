// One tunnel stream on the agent's side: data out within the object's credit, data in handed to the
// handler (credit given back as it is consumed), and an abort signal for when the object or the tunnel
// ends the stream.
import {
  type CloseInfo,
  chunks,
  type ErrorInfo,
  encodeFrame,
  FrameType,
  jsonPayload,
  parsePayload,
  ReceiveWindow,
  readWindow,
  SendCredit,
  windowPayload,
} from "../../kube/tunnel-protocol.ts";

/** A handler's failure with the HTTP status the object should answer with (before any output). */
export class StreamError extends Error {
  constructor(
    readonly code: number,
    message: string,
  ) {
    super(message);
  }
}

export class AgentStream {
  readonly #credit = new SendCredit();
  readonly #window = new ReceiveWindow();
  readonly #abort = new AbortController();
  #pending: Uint8Array[] = [];
  #onData?: (bytes: Uint8Array) => void;
  #accept!: (refused: ErrorInfo | undefined) => void;
  /**
   * For a stream this agent opened: resolves at the object's first data frame (undefined: under way) or
   * with why it ended first.
   */
  readonly accepted: Promise<ErrorInfo | undefined> = new Promise((resolve) => (this.#accept = resolve));

  constructor(
    readonly id: number,
    private readonly send: (frame: Uint8Array) => void,
    private readonly forget: (id: number) => void,
  ) {}

  /** Aborted when the object closes the stream or the tunnel drops. */
  get signal(): AbortSignal {
    return this.#abort.signal;
  }

  /** Where data from the object goes; the handler calls consumed() once it passed the bytes on. */
  set onData(fn: (bytes: Uint8Array) => void) {
    this.#onData = fn;
    for (const bytes of this.#pending.splice(0)) fn(bytes);
  }

  /** Tells the object the stream is under way (an empty data frame). */
  accept(): void {
    this.#frame(FrameType.data);
  }

  async write(data: Uint8Array): Promise<boolean> {
    for (const chunk of chunks(data)) {
      let at = 0;
      while (at < chunk.byteLength) {
        const got = await this.#credit.take(chunk.byteLength - at);
        if (got === 0 || this.signal.aborted) return false;
        this.#frame(FrameType.data, chunk.subarray(at, at + got));
        at += got;
      }
    }
    return !this.signal.aborted;
  }

  consumed(bytes: number): void {
    const grant = this.#window.consumed(bytes);
    if (grant > 0 && !this.signal.aborted) this.#frame(FrameType.window, windowPayload(grant));
  }

  close(info: CloseInfo = {}): void {
    if (this.signal.aborted) return;
    this.#frame(FrameType.close, jsonPayload(info));
    this.end();
  }

  fail(message: string, code?: number): void {
    if (this.signal.aborted) return;
    this.#frame(FrameType.error, jsonPayload({ message, code }));
    this.end();
  }

  /** A frame from the object. */
  receive(type: FrameType, payload: Uint8Array): void {
    if (type === FrameType.window) this.#credit.grant(readWindow(payload));
    else if (type === FrameType.close || type === FrameType.error) {
      const info = type === FrameType.error ? parsePayload<ErrorInfo>(payload) : undefined;
      this.#accept(info ?? { message: "the cluster closed the stream" });
      this.end();
    } else if (type === FrameType.data) {
      this.#accept(undefined);
      if (!this.#window.received(payload.byteLength)) {
        this.fail("flow control window exceeded");
        return;
      }
      const bytes = payload.slice();
      if (this.#onData) this.#onData(bytes);
      else this.#pending.push(bytes);
    }
  }

  /** Forgets the stream without telling the object (it ended it, or the tunnel is gone). */
  end(): void {
    this.#accept({ message: "the stream ended" });
    if (this.signal.aborted) return;
    this.#abort.abort();
    this.#credit.close();
    this.forget(this.id);
  }

  #frame(type: FrameType, payload?: Uint8Array): void {
    try {
      this.send(encodeFrame(type, this.id, payload));
    } catch {
      this.end();
    }
  }
}
