// The agent's end of pods/portforward: the tunnel stream carries kubectl's SPDY/3.1 byte stream, which a
// PortForwardSession serves, dialling the pod's IP from this host (bridge networks are reachable from it,
// as for the HTTP proxy). The stream is accepted at once: each forwarded connection reports its own
// failures on its SPDY error stream.
import net from "node:net";
import type { OpenRequest, PortForwardOpen } from "../../../kube/tunnel-protocol.ts";
import type { StreamHandler } from "../client.ts";
import { type AgentStream, StreamError } from "../stream.ts";
import { PortForwardSession, type SessionOptions } from "./session.ts";

export function portForwardHandler(dial?: SessionOptions["dial"]): StreamHandler {
  return async (open: OpenRequest, stream: AgentStream) => {
    const { podIP, pod, uid } = open as PortForwardOpen;
    if (!net.isIP(podIP ?? "")) throw new StreamError(400, `pod ${pod} has no IP address to forward to`);
    const session = new PortForwardSession({
      podIP,
      pod,
      uid,
      dial,
      send: (bytes) => stream.write(bytes),
      consumed: (bytes) => stream.consumed(bytes),
    });
    stream.accept();
    // Bytes are handed to the session one chunk at a time, in order (header blocks inflate asynchronously).
    let receiving = Promise.resolve();
    stream.onData = (bytes) => {
      receiving = receiving.then(() => session.receive(bytes));
    };
    const aborted = new Promise<void>((resolve) => stream.signal.addEventListener("abort", () => resolve()));
    await Promise.race([session.done, aborted]);
    session.close();
    return {};
  };
}
