// Syncs over the node's tunnel when it is up, HTTP otherwise: one WebSocket message per heartbeat instead
// of a request through the cluster's Worker (issue 22: the per-sync cost was the HTTP request and the hop,
// not the object's work). Every other agent request, a sync too large for one message, a sync sent while
// the tunnel is down or lost under it, and every sync to a cluster that does not take them on its tunnel
// go over HTTP; a sync is idempotent, so sending it again that way is safe.
import { AGENT_SYNC_PATH } from "../../kube/agent-protocol.ts";
import { ApiError } from "../client.ts";
import type { SyncTransport } from "../sync-loop.ts";
import { TunnelLostError } from "./sync-calls.ts";

/** The largest sync sent on the tunnel (a WebSocket message); bigger ones (many pod statuses) go over HTTP. */
export const MAX_TUNNEL_SYNC_BYTES = 512 * 1024;

export interface SyncTunnel {
  readonly connected: boolean;
  sync<T>(body: string, options?: { signal?: AbortSignal; timeoutMs?: number }): Promise<T>;
}

export class TunnelFirstTransport implements SyncTransport {
  /** The cluster answered that it takes syncs over HTTP only (501): stop asking on the tunnel. */
  #httpOnly = false;
  /** Syncs answered on the tunnel and over HTTP, for tests and diagnostics. */
  readonly counts = { tunnel: 0, http: 0 };

  constructor(
    private readonly http: SyncTransport,
    private readonly tunnel: () => SyncTunnel | undefined,
  ) {}

  async post<T>(
    path: string,
    token: string,
    body: unknown,
    options: { signal?: AbortSignal; timeoutMs?: number } = {},
  ): Promise<T> {
    const tunnel = this.tunnel();
    if (path === AGENT_SYNC_PATH && tunnel?.connected && !this.#httpOnly) {
      const payload = JSON.stringify(body);
      if (Buffer.byteLength(payload) <= MAX_TUNNEL_SYNC_BYTES) {
        try {
          const answer = await tunnel.sync<T>(payload, options);
          this.counts.tunnel++;
          return answer;
        } catch (error) {
          if (error instanceof ApiError && error.code === 501) this.#httpOnly = true;
          else if (!(error instanceof TunnelLostError)) throw error;
        }
      }
    }
    const answer = await this.http.post<T>(path, token, body, options);
    if (path === AGENT_SYNC_PATH) this.counts.http++;
    return answer;
  }
}
