// What every API operation works with: the store, the served kinds and a clock.
import type { KindIndex } from "./registry/lookup.ts";
import type { KubeObject } from "../../kube/types.ts";
import type { MetricsReader } from "./metrics/window.ts";
import type { ObjectStore } from "./store/object-store.ts";
import type { RunnerStats } from "./controllers/runner.ts";
import type { ClusterSettings } from "./settings.ts";
import type { ServiceAccountIssuer } from "./auth/service-account-issuer.ts";
import type { RbacAuthorizer } from "./auth/rbac-authorizer.ts";

export interface ApiContext {
  store: ObjectStore;
  kinds: KindIndex;
  /** Milliseconds since the epoch; injectable so tests control time. */
  now(): number;
  /** The kube-node-lease Leases, built from the heartbeat table (never stored); set by the cluster object. */
  nodeLeases?: () => KubeObject[];
  /** The cluster's settings (from its record); absent reads as DEFAULT_SETTINGS. */
  settings?: ClusterSettings;
  /** Node and pod usage the agents reported (in memory, not stored); set by the cluster object. */
  metrics?: MetricsReader;
  /** The controllers runner's counters (GET /debug/controllers); set by the cluster object. */
  controllerStats?: () => RunnerStats;
  /** Signs ServiceAccount tokens with the cluster's key; set by the cluster object. */
  serviceAccountIssuer?: ServiceAccountIssuer;
  /** The RBAC authorizer (auth/access.ts); escalation checks and the access reviews read it. */
  rbac?: RbacAuthorizer;
}

/** RFC 3339 in whole seconds, as metav1.Time serializes. */
export function timestamp(ms: number): string {
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace(".000Z", "Z");
}
