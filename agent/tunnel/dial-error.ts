// Go's wording for a failed dial, which upstream's proxy and port-forward errors carry (net.OpError).
import net from "node:net";

export function goDialError(host: string, port: number, error: NodeJS.ErrnoException): string {
  const why: Record<string, string> = {
    ECONNREFUSED: "connect: connection refused",
    EHOSTUNREACH: "connect: no route to host",
    ENETUNREACH: "connect: network is unreachable",
    ETIMEDOUT: "i/o timeout",
  };
  return `dial tcp ${net.isIPv6(host) ? `[${host}]` : host}:${port}: ${why[error.code ?? ""] ?? error.message}`;
}
