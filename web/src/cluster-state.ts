// How the clusters list describes a cluster's life: active or idle, and when it expires.
import { humanDuration } from "../../kube/duration.ts";
import type { ClusterSummary } from "./v1.ts";

/** Used within this long: shown as active rather than idle. */
const ACTIVE_MS = 5 * 60_000;

type Times = Pick<ClusterSummary, "lastActiveAt" | "expiresAt">;

export function clusterState(c: Times, now: number): string {
  if (c.expiresAt !== null && c.expiresAt <= now) return "Expired";
  return now - c.lastActiveAt < ACTIVE_MS ? "Active" : "Idle";
}

export function expiryText(c: Times, now: number): string {
  if (c.expiresAt === null) return "never";
  return c.expiresAt <= now ? "expired" : `in ${humanDuration(c.expiresAt - now)}`;
}
