// The agent's choice of sync transport, with the tunnel's sync calls over a fake connection: the tunnel
// while it is up, HTTP when it is down, lost under a sync, too small for the sync, or refused by a cluster
// that takes syncs over HTTP only; refusals of the sync itself (a deleted node's 404) reach the sync loop.
import { describe, expect, it } from "vitest";
import { AGENT_SYNC_PATH } from "../../kube/agent-protocol.ts";
import { decodeFrame, type Frame, FrameType } from "../../kube/tunnel-protocol.ts";
import { ApiError } from "../client.ts";
import type { SyncTransport } from "../sync-loop.ts";
import { TunnelSyncCalls } from "./sync-calls.ts";
import { MAX_TUNNEL_SYNC_BYTES, type SyncTunnel, TunnelFirstTransport } from "./sync-transport.ts";

const json = (value: unknown) => new TextEncoder().encode(JSON.stringify(value));

/** A tunnel whose object answers each sync frame with `reply` (or never, when it returns undefined). */
class FakeTunnel implements SyncTunnel {
  connected = true;
  sent: Frame[] = [];
  readonly calls = new TunnelSyncCalls();
  constructor(private readonly reply: (frame: Frame) => Frame | undefined) {}
  sync<T>(body: string, options?: { signal?: AbortSignal; timeoutMs?: number }): Promise<T> {
    return this.calls.call<T>(
      (bytes) => {
        const frame = decodeFrame(bytes);
        if (!frame) throw new Error("unreadable frame");
        this.sent.push(frame);
        const answer = this.reply(frame);
        if (answer) queueMicrotask(() => this.calls.receive(answer));
      },
      body,
      options,
    );
  }
}

class FakeHttp implements SyncTransport {
  paths: string[] = [];
  async post<T>(path: string): Promise<T> {
    this.paths.push(path);
    return { via: "http" } as T;
  }
}

const answered = (frame: Frame): Frame => ({
  type: FrameType.sync,
  stream: frame.stream,
  payload: json({ via: "tunnel" }),
});
const refused =
  (code: number) =>
  (frame: Frame): Frame => ({
    type: FrameType.syncError,
    stream: frame.stream,
    payload: json({ kind: "Status", apiVersion: "v1", status: "Failure", code, message: `refused ${code}` }),
  });

describe("TunnelFirstTransport", () => {
  it("sends syncs on the tunnel while it is up, everything else over HTTP", async () => {
    const http = new FakeHttp();
    const tunnel = new FakeTunnel(answered);
    const transport = new TunnelFirstTransport(http, () => tunnel);
    expect(await transport.post(AGENT_SYNC_PATH, "t", { nodeName: "n1" })).toEqual({ via: "tunnel" });
    expect(JSON.parse(new TextDecoder().decode(tunnel.sent[0].payload))).toEqual({ nodeName: "n1" });
    expect(await transport.post("/agent/pod-token", "t", {})).toEqual({ via: "http" });
    tunnel.connected = false;
    expect(await transport.post(AGENT_SYNC_PATH, "t", {})).toEqual({ via: "http" });
    expect(transport.counts).toEqual({ tunnel: 1, http: 1 });
  });

  it("sends a sync again over HTTP when the tunnel goes under it, or when it is too large for one message", async () => {
    const http = new FakeHttp();
    const tunnel = new FakeTunnel(() => undefined);
    const transport = new TunnelFirstTransport(http, () => tunnel);
    const pending = transport.post(AGENT_SYNC_PATH, "t", {});
    await Promise.resolve();
    tunnel.calls.lost();
    expect(await pending).toEqual({ via: "http" });
    const big = { filler: "x".repeat(MAX_TUNNEL_SYNC_BYTES) };
    expect(await transport.post(AGENT_SYNC_PATH, "t", big)).toEqual({ via: "http" });
    expect(tunnel.sent).toHaveLength(1);
  });

  it("passes the object's refusal of a sync on (404: the node is gone) and falls back for good on 501", async () => {
    const http = new FakeHttp();
    const transport = new TunnelFirstTransport(http, () => new FakeTunnel(refused(404)));
    const error = await transport.post(AGENT_SYNC_PATH, "t", {}).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect((error as ApiError).code).toBe(404);
    expect(http.paths).toEqual([]);

    const old = new FakeTunnel(refused(501));
    const fallback = new TunnelFirstTransport(http, () => old);
    expect(await fallback.post(AGENT_SYNC_PATH, "t", {})).toEqual({ via: "http" });
    expect(await fallback.post(AGENT_SYNC_PATH, "t", {})).toEqual({ via: "http" });
    expect(old.sent).toHaveLength(1);
  });

  it("abandons a sync on abort and drops its late answer", async () => {
    let last: Frame | undefined;
    const tunnel = new FakeTunnel((frame) => {
      last = frame;
      return undefined;
    });
    const abort = new AbortController();
    const pending = tunnel.sync(JSON.stringify({}), { signal: abort.signal });
    abort.abort();
    await expect(pending).rejects.toMatchObject({ name: "AbortError" });
    if (!last) throw new Error("no frame sent");
    const frame = last;
    expect(() => tunnel.calls.receive(answered(frame))).not.toThrow(); // nobody waits for it any more
  });
});
