// GET /debug/controllers: the runner's counters (ticks, reconciles per controller, keys waiting)
// for benchmarks and operators. Admins only: queue sizes say what a cluster holds.
import { forbidden } from "../../../kube/status.ts";
import type { Credential } from "../auth/credentials.ts";
import { json } from "../api/respond.ts";
import type { RunnerStats } from "./runner.ts";

export const CONTROLLERS_DEBUG_PATH = "/debug/controllers";

/** The counters as JSON, or 403 (upstream's wording for a non-resource path) for anyone but an admin. */
export function controllerStatsResponse(stats: (() => RunnerStats) | undefined, credential: Credential): Response {
  if (credential.role !== "admin")
    throw forbidden(
      `forbidden: User "flotilla:${credential.role}:${credential.id}" cannot get path "${CONTROLLERS_DEBUG_PATH}"`,
    );
  return json(stats?.() ?? null);
}
