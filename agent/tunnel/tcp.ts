// The `tcp` stream kind: the object asks this node to connect to one of its pods (a Service endpoint
// another node's pod is reaching). Accepted once connected, so a refused dial reaches the asking node as a
// 503 before any byte; then raw bytes both ways.
import net from "node:net";
import { type OpenRequest, POLICY_DENIED, type TcpOpen } from "../../kube/tunnel-protocol.ts";
import type { PolicyGate } from "../network-policy/enforcer.ts";
import { relaySocket } from "../services/relay.ts";
import type { StreamHandler } from "./client.ts";
import { dialError } from "./http-proxy.ts";
import { type AgentStream, StreamError } from "./stream.ts";

const CONNECT_TIMEOUT_MS = 10_000;

/** Connects to host:port; a failure is a StreamError(503) in Go's dial wording. */
export function dial(host: string, port: number, timeoutMs = CONNECT_TIMEOUT_MS): Promise<net.Socket> {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host, port });
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new StreamError(503, dialError(host, port, Object.assign(new Error("timeout"), { code: "ETIMEDOUT" }))));
    }, timeoutMs);
    socket.once("connect", () => {
      clearTimeout(timer);
      socket.removeAllListeners("error");
      resolve(socket);
    });
    socket.once("error", (error: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      reject(new StreamError(503, dialError(host, port, error)));
    });
  });
}

/** `policy`: this node's NetworkPolicies, asked about the source the object vouched for. */
export function tcpHandler(policy?: PolicyGate): StreamHandler {
  return async (open: OpenRequest, stream: AgentStream) => {
    const { podIP, port, sourceIP } = open as TcpOpen;
    if (policy && sourceIP && !policy.allows(sourceIP, podIP, port))
      throw new StreamError(403, `${sourceIP} to ${podIP}:${port}: ${POLICY_DENIED}`);
    const socket = await dial(podIP, port);
    if (stream.signal.aborted) {
      socket.destroy();
      return {};
    }
    stream.accept();
    await relaySocket(socket, stream);
    return {};
  };
}
