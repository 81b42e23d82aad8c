import https from "node:https";

export interface HttpsResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

export interface HttpsRequestOptions {
  method?: string;
  /** PEM of the CA to trust (the local CA); the system store is not consulted when set. */
  ca?: string;
  headers?: Record<string, string>;
  body?: string;
  timeoutMs?: number;
}

/** One HTTPS request with its body read to the end. No keep-alive: callers are short-lived scripts and tests. */
export function httpsRequest(url: string | URL, opts: HttpsRequestOptions = {}): Promise<HttpsResponse> {
  return new Promise((resolve, reject) => {
    const req = https.request(
      url,
      {
        method: opts.method ?? "GET",
        ca: opts.ca,
        headers: opts.headers,
        agent: false,
        timeout: opts.timeoutMs ?? 10_000,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (chunk: Buffer) => chunks.push(chunk));
        res.on("error", reject);
        res.on("end", () =>
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString("utf8") }),
        );
      },
    );
    req.on("timeout", () => req.destroy(new Error(`request to ${url} timed out`)));
    req.on("error", reject);
    req.end(opts.body);
  });
}

export interface WaitForHealthyOptions {
  ca: string;
  timeoutMs?: number;
  intervalMs?: number;
  /** Resolves (e.g. when the server process exits) to abort waiting early with that reason. */
  abort?: Promise<string>;
}

/** Polls `GET <baseUrl>/healthz` until it answers 200; the error names the last failure seen. */
export async function waitForHealthz(baseUrl: string, opts: WaitForHealthyOptions): Promise<void> {
  const deadline = Date.now() + (opts.timeoutMs ?? 60_000);
  const url = new URL("/healthz", baseUrl);
  let aborted: string | undefined;
  opts.abort?.then((reason) => {
    aborted = reason;
  });
  let last = "no answer yet";
  while (Date.now() < deadline) {
    if (aborted !== undefined) throw new Error(`gave up waiting for ${url}: ${aborted}`);
    try {
      const res = await httpsRequest(url, { ca: opts.ca, timeoutMs: 5_000 });
      if (res.status === 200) return;
      last = `HTTP ${res.status}: ${res.body.slice(0, 200)}`;
    } catch (err) {
      last = (err as Error).message;
    }
    await new Promise((resolve) => setTimeout(resolve, opts.intervalMs ?? 250));
  }
  throw new Error(`${url} did not answer 200 within ${opts.timeoutMs ?? 60_000} ms (last: ${last})`);
}
