import { describe, expect, it } from "vitest";
import { httpsRequest, waitForHealthz } from "./https-client.ts";
import { startTestHttpsServer } from "./test-server.ts";

// Tests here generate RSA keys (CPU-bound): leave room on a loaded machine.
const KEYGEN_TIMEOUT = { timeout: 30_000 };

describe("waitForHealthz", KEYGEN_TIMEOUT, () => {
  it("keeps polling through errors until /healthz answers 200", async () => {
    let calls = 0;
    const server = await startTestHttpsServer((req, res) => {
      calls++;
      res.statusCode = req.url === "/healthz" && calls >= 3 ? 200 : 503;
      res.end(res.statusCode === 200 ? "ok" : "starting");
    });
    try {
      await waitForHealthz(server.url, { ca: server.caPem, intervalMs: 10, timeoutMs: 5_000 });
      expect(calls).toBe(3);
    } finally {
      await server.close();
    }
  });

  it("times out naming the last failure", async () => {
    const server = await startTestHttpsServer((_req, res) => {
      res.statusCode = 500;
      res.end("boom");
    });
    try {
      await expect(waitForHealthz(server.url, { ca: server.caPem, intervalMs: 10, timeoutMs: 200 })).rejects.toThrow(
        /did not answer 200 within 200 ms \(last: HTTP 500: boom\)/,
      );
    } finally {
      await server.close();
    }
  });

  it("gives up early when aborted", async () => {
    const started = Date.now();
    await expect(
      waitForHealthz("https://127.0.0.1:1", { ca: "", intervalMs: 10, abort: Promise.resolve("server exited") }),
    ).rejects.toThrow(/server exited/);
    expect(Date.now() - started).toBeLessThan(2_000);
  });
});

describe("httpsRequest", KEYGEN_TIMEOUT, () => {
  it("rejects a server whose certificate the given CA did not sign", async () => {
    const a = await startTestHttpsServer((_req, res) => res.end("ok"));
    const b = await startTestHttpsServer((_req, res) => res.end("ok"));
    try {
      await expect(httpsRequest(a.url, { ca: a.caPem })).resolves.toMatchObject({ status: 200, body: "ok" });
      await expect(httpsRequest(a.url, { ca: b.caPem })).rejects.toThrow();
    } finally {
      await Promise.all([a.close(), b.close()]);
    }
  });
});
