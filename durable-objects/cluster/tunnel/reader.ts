// Reading a tunnel stream: its data in order, credit given back only as the bytes are taken (so what the
// object holds for a stream is bounded by the window however slow the client), and the first frame awaited
// separately so a request can still fail with a proper status before any output.
import type { HubStream, StreamEnd } from "./hub.ts";

export class StreamReader {
  #queue: Uint8Array[] = [];
  #end?: StreamEnd;
  #wake?: () => void;
  #accept!: (end: StreamEnd | undefined) => void;
  /** Resolves at the first data frame (undefined) or with the end when the stream ends first. */
  readonly accepted: Promise<StreamEnd | undefined> = new Promise((resolve) => (this.#accept = resolve));

  constructor(readonly stream: HubStream) {
    stream.onData = (bytes) => {
      this.#accept(undefined);
      if (bytes.byteLength > 0) this.#queue.push(bytes.slice());
      this.#notify();
    };
    void stream.ended.then((end) => {
      this.#end = end;
      this.#accept(end);
      this.#notify();
    });
  }

  /** The next bytes (credit for them is given back), or the end once everything before it was read. */
  async next(): Promise<Uint8Array | StreamEnd> {
    for (;;) {
      const bytes = this.#queue.shift();
      if (bytes) {
        this.stream.consumed(bytes.byteLength);
        return bytes;
      }
      if (this.#end) return this.#end;
      await new Promise<void>((resolve) => (this.#wake = resolve));
    }
  }

  #notify(): void {
    const wake = this.#wake;
    this.#wake = undefined;
    wake?.();
  }
}

/**
 * The stream as a response body, cut after limitBytes; an agent's failure mid-stream errors the body.
 * `errorText` words such a failure for the client in the body itself first: a runtime may end an errored
 * chunked body like a complete one (workerd does, cloudflare/workerd#6818), and then those bytes are all
 * the client learns.
 */
export function responseBody(
  reader: StreamReader,
  limitBytes?: number,
  errorText?: (message: string, lastByte: number | undefined) => string,
): ReadableStream<Uint8Array> {
  let left = limitBytes ?? Number.POSITIVE_INFINITY;
  let lastByte: number | undefined;
  let failure: Error | undefined;
  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        // The error's words went out with the last pull: error the body only now, or they would be dropped.
        if (failure) return controller.error(failure);
        const next = await reader.next();
        if (!(next instanceof Uint8Array)) {
          if (!("error" in next)) return controller.close();
          failure = new Error(next.error.message);
          const words = errorText?.(next.error.message, lastByte);
          if (!words) return controller.error(failure);
          controller.enqueue(new TextEncoder().encode(words));
          return;
        }
        const bytes = next.byteLength > left ? next.subarray(0, left) : next;
        left -= bytes.byteLength;
        if (bytes.byteLength > 0) lastByte = bytes[bytes.byteLength - 1];
        controller.enqueue(bytes);
        if (left <= 0) {
          reader.stream.close();
          controller.close();
        }
      },
      cancel() {
        reader.stream.close();
      },
    },
    { highWaterMark: 0 },
  );
}
