// HTTPS to the cluster: JSON POSTs with a bearer token, a custom CA when given, keep-alive, abortable.
// Errors come back as Kubernetes Status objects; they surface as ApiError with the Status message.
import http from "node:http";
import https from "node:https";
import type { Status } from "../kube/types.ts";

export class ApiError extends Error {
  constructor(
    readonly code: number,
    message: string,
    readonly reason?: string,
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
  }
}

/** The cluster could not be reached (DNS, connection, TLS, timeout): retry with back-off. */
export class UnreachableError extends Error {}

export interface ClientOptions {
  /** PEM of the CA that signed the cluster's certificate (local runs). */
  ca?: string;
  insecureSkipTlsVerify?: boolean;
}

export class ClusterClient {
  #agent: http.Agent;
  #transport: typeof http | typeof https;

  constructor(
    readonly server: string,
    options: ClientOptions = {},
  ) {
    const secure = server.startsWith("https:");
    this.#transport = secure ? https : http;
    this.#agent = secure
      ? new https.Agent({ keepAlive: true, ca: options.ca, rejectUnauthorized: !options.insecureSkipTlsVerify })
      : new http.Agent({ keepAlive: true });
  }

  /** POSTs JSON to <server><path> and parses the JSON answer. */
  post<T>(
    path: string,
    token: string,
    body: unknown,
    options: { signal?: AbortSignal; timeoutMs?: number } = {},
  ): Promise<T> {
    const url = new URL(this.server + path);
    const payload = JSON.stringify(body);
    return new Promise<T>((resolve, reject) => {
      const req = this.#transport.request(
        url,
        {
          method: "POST",
          agent: this.#agent,
          signal: options.signal,
          timeout: options.timeoutMs ?? 30_000,
          headers: {
            authorization: `Bearer ${token}`,
            "content-type": "application/json",
            accept: "application/json",
            "content-length": Buffer.byteLength(payload),
            "user-agent": "flotilla-agent",
          },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on("data", (c: Buffer) => chunks.push(c));
          res.on("error", (e) => reject(new UnreachableError(e.message)));
          res.on("end", () => {
            const text = Buffer.concat(chunks).toString("utf8");
            const code = res.statusCode ?? 0;
            if (code >= 200 && code < 300) {
              try {
                resolve(JSON.parse(text) as T);
              } catch {
                reject(new UnreachableError(`unreadable answer from ${url.host}`));
              }
              return;
            }
            reject(apiErrorOf(code, text, res.headers["retry-after"]));
          });
        },
      );
      req.on("timeout", () => req.destroy(new UnreachableError(`timed out talking to ${url.host}`)));
      req.on("error", (error) => {
        if (error.name === "AbortError") reject(error);
        else reject(error instanceof UnreachableError ? error : new UnreachableError(error.message));
      });
      req.end(payload);
    });
  }

  close(): void {
    this.#agent.destroy();
  }
}

export function apiErrorOf(code: number, text: string, retryAfter?: string | string[]): ApiError | UnreachableError {
  // Proxies and gateways answer 502–504 while the cluster is away: that is being unreachable, not refused.
  if (code === 502 || code === 503 || code === 504) return new UnreachableError(`the cluster answered ${code}`);
  let status: Partial<Status> = {};
  try {
    status = JSON.parse(text) as Status;
  } catch {
    // Not a Status: keep the raw text.
  }
  const retry = Number(Array.isArray(retryAfter) ? retryAfter[0] : retryAfter);
  return new ApiError(
    code,
    status.message ?? (text.trim() || `HTTP ${code}`),
    status.reason,
    Number.isFinite(retry) ? retry : status.details?.retryAfterSeconds,
  );
}
