// The in-cluster API endpoint (`https://kubernetes.default.svc`, the `kubernetes` Service's cluster IP:443):
// connections the service proxy takes for default/kubernetes are served TLS here, with a key made on this
// node and a certificate the cluster CA signed for upstream's in-cluster names only. Each request goes on to
// the cluster's API over the agent's own outbound HTTPS connection (so it works behind NAT), with the pod's
// own Authorization header unchanged: the cluster object authenticates the pod, never this node.
import { generateKeyPairSync } from "node:crypto";
import type http from "node:http";
import https from "node:https";
import type net from "node:net";
import type { Duplex } from "node:stream";
import {
  AGENT_SERVING_CERT_PATH,
  type ServingCertificateRequest,
  type ServingCertificateResponse,
} from "../../kube/agent-protocol.ts";
import { HOP_BY_HOP_HEADERS } from "../../kube/hop-by-hop.ts";

export interface KubernetesEndpointOptions {
  /** The cluster's URL as the agent reaches it (a request's path is appended). */
  server: string;
  nodeName: string;
  /** Asks the cluster CA for a certificate (POST /agent/serving-certificate with the node credential). */
  requestCertificate: (req: ServingCertificateRequest) => Promise<ServingCertificateResponse>;
  /** The server's CA (a private one, as npm start's), for the agent's own connection. */
  ca?: string;
  insecureSkipTlsVerify?: boolean;
  log: (message: string) => void;
}

/** Hop-by-hop headers never pass a proxy; Host is the server's. */
const HOP_BY_HOP = new Set([...HOP_BY_HOP_HEADERS, "host"]);

function forwardHeaders(headers: http.IncomingHttpHeaders, keepUpgrade: boolean): http.OutgoingHttpHeaders {
  const out: http.OutgoingHttpHeaders = {};
  for (const [name, value] of Object.entries(headers))
    if (value !== undefined && !HOP_BY_HOP.has(name)) out[name] = value;
  if (keepUpgrade && headers.upgrade) {
    out.connection = "Upgrade";
    out.upgrade = headers.upgrade;
  }
  return out;
}

export class KubernetesEndpoint {
  #tls: https.Server | undefined;
  #agent: https.Agent;
  #base: URL;

  constructor(private readonly options: KubernetesEndpointOptions) {
    this.#base = new URL(options.server);
    this.#agent = new https.Agent({
      keepAlive: true,
      ca: options.ca,
      rejectUnauthorized: !options.insecureSkipTlsVerify,
    });
  }

  /** Makes the serving key, has it certified, and is ready for connections; throws if the cluster refuses. */
  async start(): Promise<void> {
    const pair = generateKeyPairSync("ec", { namedCurve: "P-256" });
    const publicKey = pair.publicKey.export({ type: "spki", format: "der" }).toString("base64");
    const signed = await this.options.requestCertificate({ nodeName: this.options.nodeName, publicKey });
    const key = pair.privateKey.export({ type: "pkcs8", format: "pem" }) as string;
    const server = https.createServer({ key, cert: signed.certificate }, (req, res) => this.#forward(req, res));
    server.on("upgrade", (req: http.IncomingMessage, socket: Duplex, head: Buffer) => this.#upgrade(req, socket, head));
    server.on("tlsClientError", () => {}); // a pod that does not trust the CA is its own business
    this.#tls = server;
    this.options.log(`in-cluster API endpoint: serving kubernetes.default.svc (${signed.clusterIP}:443)`);
  }

  /** Takes a connection the service proxy accepted for default/kubernetes; false until start() succeeded. */
  accept(socket: net.Socket): boolean {
    if (!this.#tls) return false;
    socket.resume();
    this.#tls.emit("connection", socket);
    return true;
  }

  close(): void {
    this.#agent.destroy();
  }

  #target(path: string | undefined): URL {
    const base = this.#base.pathname.replace(/\/+$/, "");
    const url = new URL(this.#base.origin);
    const [pathname, search] = (path ?? "/").split(/\?(.*)/s, 2);
    url.pathname = `${base}${pathname}`;
    if (search !== undefined) url.search = search;
    return url;
  }

  #forward(req: http.IncomingMessage, res: http.ServerResponse): void {
    const upstream = https.request(this.#target(req.url), {
      method: req.method,
      headers: forwardHeaders(req.headers, false),
      agent: this.#agent,
    });
    upstream.on("response", (answer) => {
      res.writeHead(answer.statusCode ?? 502, forwardHeaders(answer.headers, false));
      // Watches stream: every chunk goes on as it comes.
      res.flushHeaders();
      answer.pipe(res);
    });
    upstream.on("error", (error) => {
      if (res.headersSent) return res.destroy();
      res.writeHead(503, { "content-type": "application/json" });
      res.end(JSON.stringify(unavailable(error.message)));
    });
    req.on("aborted", () => upstream.destroy());
    res.on("close", () => upstream.destroy());
    req.pipe(upstream);
  }

  /** exec, attach, port-forward: the upgrade goes on to the server and the two sockets are joined. */
  #upgrade(req: http.IncomingMessage, socket: Duplex, head: Buffer): void {
    socket.on("error", () => {});
    const upstream = https.request(this.#target(req.url), {
      method: req.method,
      headers: forwardHeaders(req.headers, true),
      agent: false,
      ca: this.options.ca,
      rejectUnauthorized: !this.options.insecureSkipTlsVerify,
    });
    upstream.on("upgrade", (answer, upSocket, upHead) => {
      const lines = [`HTTP/1.1 ${answer.statusCode} ${answer.statusMessage ?? "Switching Protocols"}`];
      for (let i = 0; i < answer.rawHeaders.length; i += 2)
        lines.push(`${answer.rawHeaders[i]}: ${answer.rawHeaders[i + 1]}`);
      socket.write(`${lines.join("\r\n")}\r\n\r\n`);
      if (upHead.length > 0) socket.write(upHead);
      if (head.length > 0) upSocket.write(head);
      upSocket.pipe(socket);
      socket.pipe(upSocket);
      upSocket.on("error", () => socket.destroy());
      socket.on("close", () => upSocket.destroy());
      upSocket.on("close", () => socket.destroy());
    });
    upstream.on("response", (answer) => {
      // Refused (401, 403, 400 …): passed on as an ordinary answer, then the connection ends.
      const lines = [`HTTP/1.1 ${answer.statusCode} ${answer.statusMessage ?? ""}`];
      for (const [name, value] of Object.entries(forwardHeaders(answer.headers, false)))
        if (name !== "content-length") lines.push(`${name}: ${Array.isArray(value) ? value.join(", ") : value}`);
      lines.push("connection: close");
      const chunks: Buffer[] = [];
      answer.on("data", (c: Buffer) => chunks.push(c));
      answer.on("end", () => {
        const body = Buffer.concat(chunks);
        socket.end(
          Buffer.concat([Buffer.from(`${lines.join("\r\n")}\r\ncontent-length: ${body.length}\r\n\r\n`), body]),
        );
      });
    });
    upstream.on("error", () => socket.destroy());
    upstream.end();
  }
}

function unavailable(message: string) {
  return {
    kind: "Status",
    apiVersion: "v1",
    metadata: {},
    status: "Failure",
    message: `the cluster's API cannot be reached from this node: ${message}`,
    reason: "ServiceUnavailable",
    code: 503,
  };
}
