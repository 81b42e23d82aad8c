// Bytes between a TCP socket and a tunnel stream, both ways, each within its flow control: the socket is
// paused while the stream waits for credit, and credit goes back to the object only once the bytes were
// handed to the socket. Either side ending ends the other (the tunnel has no half-close: a client that
// shuts down its sending side before the answer arrives loses the answer).
import type net from "node:net";
import type { AgentStream } from "../tunnel/stream.ts";

/** Resolves once both the socket and the stream are done. */
export function relaySocket(socket: net.Socket, stream: AgentStream): Promise<void> {
  return new Promise((resolve) => {
    let socketDone = false;
    const finish = () => {
      if (socketDone && stream.signal.aborted) resolve();
    };
    stream.onData = (bytes) => {
      if (bytes.byteLength === 0) return;
      socket.write(bytes, () => stream.consumed(bytes.byteLength));
    };
    socket.on("data", (chunk: Buffer) => {
      socket.pause();
      void stream.write(chunk).then((ok) => (ok ? socket.resume() : socket.destroy()));
    });
    socket.on("end", () => stream.close());
    socket.on("error", (error) => stream.fail(error.message));
    socket.on("close", () => {
      socketDone = true;
      stream.close();
      finish();
    });
    const onAbort = () => {
      // Let what was written drain before the FIN; a peer that never reads is cut after a while.
      socket.end();
      setTimeout(() => socket.destroy(), 30_000).unref();
      finish();
    };
    if (stream.signal.aborted) onAbort();
    else stream.signal.addEventListener("abort", onAbort, { once: true });
  });
}
