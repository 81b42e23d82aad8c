// The client's end of a streaming subresource served over a WebSocket (exec, attach, port-forward): accepted
// in the request (not hibernatable: the request keeps the object awake anyway), binary messages read as
// ArrayBuffers in order, and the tunnel stream's data passed on as messages until the stream ends.
import type { StreamEnd } from "./hub.ts";
import type { StreamReader } from "./reader.ts";

/** The server end accepted, and the 101 answer carrying the client end and the chosen subprotocol (if any). */
export function acceptClientSocket(protocol?: string): { socket: WebSocket; response: Response } {
  const pair = new WebSocketPair();
  const socket = pair[1];
  socket.accept();
  // The standard default is Blob; bytes must be read synchronously, in order.
  socket.binaryType = "arraybuffer";
  const response = new Response(null, {
    status: 101,
    webSocket: pair[0],
    headers: protocol ? { "sec-websocket-protocol": protocol } : undefined,
  });
  return { socket, response };
}

/** A message's bytes (text frames as UTF-8). */
export function messageBytes(data: unknown): Uint8Array {
  return typeof data === "string" ? new TextEncoder().encode(data) : new Uint8Array(data as ArrayBuffer);
}

/** False once the client went away. */
export function trySend(socket: WebSocket, bytes: Uint8Array): boolean {
  try {
    socket.send(bytes);
    return true;
  } catch {
    return false;
  }
}

export function closeQuietly(socket: WebSocket, code = 1000, reason = ""): void {
  try {
    socket.close(code, reason);
  } catch {
    // the client already went away
  }
}

/** Node → client: each chunk as a message; resolves with the stream's end, or undefined when the client left. */
export async function pipeToClient(reader: StreamReader, socket: WebSocket): Promise<StreamEnd | undefined> {
  for (;;) {
    const next = await reader.next();
    if (!(next instanceof Uint8Array)) return next;
    if (!trySend(socket, next)) {
      reader.stream.close();
      return undefined;
    }
  }
}
