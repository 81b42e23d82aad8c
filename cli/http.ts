// The CLI's HTTP client: node:https with an optional CA (local servers sign with their own),
// JSON in and out, API errors turned into one readable line.
import http from "node:http";
import https from "node:https";
import type { AnyJson as Json } from "../kube/types.ts";
export type { Json };

export interface ApiTarget {
  server: string;
  /** PEM of a CA to trust in addition to nothing else (a local Flotilla's CA). */
  ca?: string;
  token?: string;
}

export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode = 1,
  ) {
    super(message);
  }
}

export function request(
  target: ApiTarget,
  method: string,
  path: string,
  body?: unknown,
): Promise<{ status: number; body: Json }> {
  const url = new URL(path, `${target.server.replace(/\/+$/, "")}/`);
  const payload = body === undefined ? undefined : JSON.stringify(body);
  const headers: Record<string, string> = { accept: "application/json" };
  if (payload !== undefined) headers["content-type"] = "application/json";
  if (target.token) headers.authorization = `Bearer ${target.token}`;
  const client = url.protocol === "http:" ? http : https;
  return new Promise((resolve, reject) => {
    const req = client.request(url, { method, headers, ca: target.ca, timeout: 30_000 }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("error", reject);
      res.on("end", () => {
        const text = Buffer.concat(chunks).toString("utf8");
        let parsed: unknown = text;
        try {
          parsed = JSON.parse(text);
        } catch {}
        resolve({ status: res.statusCode ?? 0, body: parsed });
      });
    });
    req.on("timeout", () => req.destroy(new Error(`${method} ${url} timed out`)));
    req.on("error", (err) => reject(new CliError(`cannot reach ${target.server}: ${err.message}`)));
    req.end(payload);
  });
}

/** The reply body for an expected status, else a CliError with the API's message. */
export async function api(
  target: ApiTarget,
  method: string,
  path: string,
  body?: unknown,
  expect = [200, 201],
): Promise<Json> {
  const res = await request(target, method, path, body);
  if (expect.includes(res.status)) return res.body;
  const message = res.body?.error?.message ?? (typeof res.body === "string" ? res.body.slice(0, 200) : "");
  const hint = res.status === 401 && path !== "/v1/login" ? " (run `flotilla login`)" : "";
  throw new CliError(`${method} ${path}: ${res.status} ${message}${hint}`);
}
