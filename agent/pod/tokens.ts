// The agent's ServiceAccount token manager (upstream pkg/kubelet/token/token_manager.go): one bound token
// per pod and serviceAccountToken projection, fetched from the cluster, kept until it is within 20% of its
// life of expiring (or 24 h old) less a jitter of up to 10 s, then fetched anew; a fetch that fails keeps the
// old token while it is still valid. Tokens are only held in memory and written into the pod's volume.
import type { PodTokenRequest, PodTokenResponse } from "../../kube/agent-protocol.ts";
import type { Pod, VolumeProjection } from "../../kube/pod-types.ts";
import { DEFAULT_PROJECTED_TOKEN_SECONDS } from "../../kube/service-account-volume.ts";
import { ContainerConfigError } from "./env.ts";

type TokenSource = NonNullable<VolumeProjection["serviceAccountToken"]>;

const MAX_TTL_MS = 24 * 60 * 60 * 1000;
const MAX_JITTER_MS = 10_000;
/** After a failed fetch, how long a pod's pass reuses the failure rather than asking again (reconciles run every second). */
const RETRY_AFTER_MS = 5_000;

interface Held {
  token: string;
  expiresAt: number;
  ttlMs: number;
}

/** Which token a projection wants: the pod's tokens are keyed by audience and life, as the kubelet's cache. */
export function tokenKey(source: TokenSource): string {
  return `${source.audience ?? ""}|${source.expirationSeconds ?? DEFAULT_PROJECTED_TOKEN_SECONDS}`;
}

/** The serviceAccountToken projections of a pod's volumes. */
export function tokenSources(pod: Pod): TokenSource[] {
  const out: TokenSource[] = [];
  for (const volume of pod.spec.volumes ?? [])
    for (const source of volume.projected?.sources ?? [])
      if (source.serviceAccountToken) out.push(source.serviceAccountToken);
  return out;
}

export class PodTokenManager {
  readonly #held = new Map<string, Map<string, Held>>();
  /** `<uid>|<tokenKey>` → the last failure, while no valid token is held. */
  readonly #failed = new Map<string, { at: number; message: string }>();

  constructor(
    private readonly fetch: (request: PodTokenRequest) => Promise<PodTokenResponse>,
    private readonly now: () => number = Date.now,
    private readonly random: () => number = Math.random,
  ) {}

  /**
   * The pod's tokens by tokenKey, refreshed where due. Throws ContainerConfigError (a FailedMount) when a
   * token cannot be had and none still valid is held.
   */
  async tokensFor(pod: Pod): Promise<Record<string, string>> {
    const uid = pod.metadata.uid ?? "";
    const held = this.#held.get(uid) ?? new Map<string, Held>();
    this.#held.set(uid, held);
    const out: Record<string, string> = {};
    for (const source of tokenSources(pod)) {
      const key = tokenKey(source);
      if (out[key] !== undefined) continue;
      let current = held.get(key);
      if (!current || this.#requiresRefresh(current)) {
        const failed = this.#failed.get(`${uid}|${key}`);
        const valid = current !== undefined && current.expiresAt > this.now();
        if (failed && !valid && this.now() - failed.at < RETRY_AFTER_MS)
          throw new ContainerConfigError(`failed to fetch token: ${failed.message}`);
        try {
          current = await this.#fetch(pod, source);
          held.set(key, current);
          this.#failed.delete(`${uid}|${key}`);
        } catch (error) {
          const message = (error as Error).message;
          if (!current || !valid) {
            this.#failed.set(`${uid}|${key}`, { at: this.now(), message });
            throw new ContainerConfigError(`failed to fetch token: ${message}`);
          }
        }
      }
      out[key] = current.token;
    }
    return out;
  }

  /** The pod is gone from this node: its tokens go too. */
  forget(uid: string): void {
    this.#held.delete(uid);
    for (const key of this.#failed.keys()) if (key.startsWith(`${uid}|`)) this.#failed.delete(key);
  }

  async #fetch(pod: Pod, source: TokenSource): Promise<Held> {
    const expirationSeconds = source.expirationSeconds ?? DEFAULT_PROJECTED_TOKEN_SECONDS;
    const answer = await this.fetch({
      namespace: pod.metadata.namespace ?? "",
      podName: pod.metadata.name ?? "",
      podUID: pod.metadata.uid ?? "",
      ...(source.audience ? { audience: source.audience } : {}),
      expirationSeconds,
    });
    const expiresAt = Date.parse(answer.expirationTimestamp);
    if (typeof answer.token !== "string" || !answer.token || Number.isNaN(expiresAt))
      throw new Error("the cluster's answer has no token");
    return { token: answer.token, expiresAt, ttlMs: expirationSeconds * 1000 };
  }

  /** requiresRefresh: older than 24 h, or within 20% of its life of expiring, each less the jitter. */
  #requiresRefresh(held: Held): boolean {
    const now = this.now();
    const jitter = Math.floor(this.random() * MAX_JITTER_MS);
    const issuedAt = held.expiresAt - held.ttlMs;
    if (now > issuedAt + MAX_TTL_MS - jitter) return true;
    return now > held.expiresAt - held.ttlMs * 0.2 - jitter;
  }
}
