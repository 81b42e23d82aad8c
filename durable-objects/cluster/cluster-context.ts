// The cluster object's context, built once when the object starts: every field is set here and
// nothing is set on it afterwards. The node agents and the controllers need the context to be
// made, so the fields that read them go through `started`, which the object fills as they start;
// until then there are no node leases and no controller counters.
import { RbacAuthorizer } from "./auth/rbac-authorizer.ts";
import type { ServiceAccountIssuer } from "./auth/service-account-issuer.ts";
import type { ApiContext } from "./context.ts";
import type { Runner, RunnerStats } from "./controllers/runner.ts";
import type { MetricsWindow } from "./metrics/window.ts";
import type { NodeAgents } from "./nodes/agents.ts";
import { nodeLeaseObjects } from "./nodes/lease-objects.ts";
import { allKinds } from "./registry/index.ts";
import { KindIndex } from "./registry/lookup.ts";
import type { ClusterSettings } from "./settings.ts";
import type { ObjectStore } from "./store/object-store.ts";

export interface ContextParts {
  store: ObjectStore;
  now(): number;
  settings: ClusterSettings;
  serviceAccountIssuer: ServiceAccountIssuer;
  metrics: MetricsWindow;
  /** Parts started after the context, which reads them when asked. */
  started: { agents?: NodeAgents; controllers?: Runner };
}

export function clusterContext(parts: ContextParts): ApiContext {
  const { store, started } = parts;
  const ctx: ApiContext = {
    store,
    // Each cluster has its own table: its CustomResourceDefinitions add kinds only it serves.
    kinds: new KindIndex(allKinds),
    now: parts.now,
    settings: parts.settings,
    serviceAccountIssuer: parts.serviceAccountIssuer,
    metrics: parts.metrics,
    // The authorizer follows the store's bindings from here on, the bootstrap policy's included.
    rbac: new RbacAuthorizer(store),
    nodeLeases: () => (started.agents ? nodeLeaseObjects(ctx, started.agents.leases()) : []),
    controllerStats: () => started.controllers?.stats() ?? NOTHING_RUN,
  };
  return ctx;
}

const NOTHING_RUN: RunnerStats = {
  ticks: 0,
  emptyTicks: 0,
  reconciles: 0,
  failures: 0,
  maxReconcilesPerTick: 0,
  byController: {},
};
