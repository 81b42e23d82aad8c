// Reads a watch response's NDJSON events as they arrive, for workers tests.

export interface WatchEventJson {
  type: string;
  // biome-ignore lint/suspicious/noExplicitAny: tests read event objects field by field
  object: any;
}

export class WatchReader {
  #reader: ReadableStreamDefaultReader<Uint8Array>;
  #buffer = "";
  #decoder = new TextDecoder();

  constructor(response: Response) {
    if (!response.body) throw new Error("watch response has no body");
    this.#reader = response.body.getReader();
  }

  /** The next `count` events; fails after `timeoutMs` without them. */
  async next(count = 1, timeoutMs = 5000): Promise<WatchEventJson[]> {
    const events: WatchEventJson[] = [];
    const deadline = Date.now() + timeoutMs;
    while (events.length < count) {
      const nl = this.#buffer.indexOf("\n");
      if (nl >= 0) {
        events.push(JSON.parse(this.#buffer.slice(0, nl)));
        this.#buffer = this.#buffer.slice(nl + 1);
        continue;
      }
      const remaining = deadline - Date.now();
      if (remaining <= 0) throw new Error(`timed out with ${events.length}/${count} events`);
      const chunk = await Promise.race([
        this.#reader.read(),
        new Promise<null>((r) => setTimeout(() => r(null), remaining)),
      ]);
      if (chunk === null) continue;
      if (chunk.done) throw new Error(`stream ended with ${events.length}/${count} events`);
      this.#buffer += this.#decoder.decode(chunk.value, { stream: true });
    }
    return events;
  }

  /** True when the server ends the stream within `timeoutMs`. */
  async ended(timeoutMs = 5000): Promise<boolean> {
    const result = await Promise.race([
      this.#reader.read(),
      new Promise<null>((r) => setTimeout(() => r(null), timeoutMs)),
    ]);
    return result !== null && result.done === true;
  }

  async cancel(): Promise<void> {
    await this.#reader.cancel().catch(() => {});
  }
}
