// The agent's syncs in flight on its tunnel (kube/tunnel-protocol.ts, `sync` frames): each gets an id of
// the agent's own numbering, and its answer (a `sync` frame with the response, or `syncError` with a
// Status) settles it. A sync still open when the tunnel goes is failed with TunnelLostError, so the caller
// can send it again over HTTP at once (a sync is idempotent).
import { encodeFrame, FrameType, type Frame } from "../../kube/tunnel-protocol.ts";
import { apiErrorOf, UnreachableError } from "../client.ts";

/** The tunnel went away (or was never there) with the sync unanswered. */
export class TunnelLostError extends UnreachableError {}

interface Pending {
  resolve(value: unknown): void;
  reject(error: Error): void;
  done(): void;
}

const decoder = new TextDecoder();

export class TunnelSyncCalls {
  #pending = new Map<number, Pending>();
  #next = 1;

  /** Sends `body` (a SyncRequest's JSON) with `send` and resolves with the parsed answer. */
  call<T>(
    send: (frame: Uint8Array) => void,
    body: string,
    options: { signal?: AbortSignal; timeoutMs?: number } = {},
  ): Promise<T> {
    const id = this.#next;
    this.#next = this.#next >= 0xffffffff ? 1 : this.#next + 1;
    return new Promise<T>((resolve, reject) => {
      if (options.signal?.aborted) return reject(abortError());
      const onAbort = () => {
        pending.done();
        reject(abortError());
      };
      const timer = setTimeout(() => {
        pending.done();
        reject(new UnreachableError("timed out waiting for the sync's answer on the tunnel"));
      }, options.timeoutMs ?? 30_000);
      const pending: Pending = {
        resolve: (value) => resolve(value as T),
        reject,
        done: () => {
          clearTimeout(timer);
          options.signal?.removeEventListener("abort", onAbort);
          this.#pending.delete(id);
        },
      };
      options.signal?.addEventListener("abort", onAbort);
      this.#pending.set(id, pending);
      try {
        send(encodeFrame(FrameType.sync, id, Buffer.from(body)));
      } catch (error) {
        pending.done();
        reject(new TunnelLostError((error as Error).message));
      }
    });
  }

  /** A sync or syncError frame from the object; answers to syncs given up on are dropped. */
  receive(frame: Frame): void {
    const pending = this.#pending.get(frame.stream);
    if (!pending) return;
    pending.done();
    const text = decoder.decode(frame.payload);
    if (frame.type === FrameType.syncError) {
      let code = 500;
      try {
        code = Number((JSON.parse(text) as { code?: unknown }).code) || 500;
      } catch {
        // not a Status: apiErrorOf keeps the raw text
      }
      pending.reject(apiErrorOf(code, text));
      return;
    }
    try {
      pending.resolve(JSON.parse(text));
    } catch {
      pending.reject(new UnreachableError("unreadable sync answer on the tunnel"));
    }
  }

  /** The tunnel closed: every sync still waiting fails so it can be sent again another way. */
  lost(): void {
    for (const pending of [...this.#pending.values()]) {
      pending.done();
      pending.reject(new TunnelLostError("the tunnel closed before the sync was answered"));
    }
  }
}

function abortError(): Error {
  const error = new Error("the sync was abandoned");
  error.name = "AbortError";
  return error;
}
