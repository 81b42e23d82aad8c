// GET /debug/controllers: the runner's counters (ticks, reconciles per controller, keys waiting)
// for benchmarks and operators. RBAC decides who may read it (a non-resource path: cluster-admin's `*`).
import { json } from "../../../kube/http/respond.ts";
import type { RunnerStats } from "./runner.ts";

export const CONTROLLERS_DEBUG_PATH = "/debug/controllers";

/** The counters as JSON. */
export function controllerStatsResponse(stats: (() => RunnerStats) | undefined): Response {
  return json(stats?.() ?? null);
}
