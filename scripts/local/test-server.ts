import type http from "node:http";
import https from "node:https";
import type { AddressInfo } from "node:net";
import { generateCa, generateServerCert, LOCAL_SERVER_NAMES } from "./ca.ts";

/** An HTTPS server on 127.0.0.1 with a fresh local CA, for unit tests of the HTTP clients here. */
export interface TestHttpsServer {
  url: string;
  caPem: string;
  close(): Promise<void>;
}

export async function startTestHttpsServer(handler: http.RequestListener): Promise<TestHttpsServer> {
  const ca = generateCa();
  const cert = generateServerCert(ca, LOCAL_SERVER_NAMES);
  const server = https.createServer({ cert: cert.certPem, key: cert.keyPem }, handler);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `https://127.0.0.1:${port}`,
    caPem: ca.certPem,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

export function readBody(req: http.IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let body = "";
    req.on("data", (chunk) => (body += chunk));
    req.on("end", () => resolve(body));
    req.on("error", reject);
  });
}
