// Hop-by-hop headers (RFC 9110 §7.6.1, and the proxy ones browsers and curl still send): they concern
// one connection, so no proxy passes them on — the tunnel's proxy to pods and the agent's in-cluster API.
export const HOP_BY_HOP_HEADERS: ReadonlySet<string> = new Set([
  "connection",
  "keep-alive",
  "proxy-connection",
  "proxy-authenticate",
  "proxy-authorization",
  "te",
  "trailer",
  "transfer-encoding",
  "upgrade",
]);
