// Plans live in D1 (seeded by migrations/d1); the object gets its plan's limits when it is provisioned.
import { eq } from "drizzle-orm";
import type { ClusterPlan } from "../../durable-objects/cluster/object.ts";
import type { Db } from "../db/client.ts";
import { plans } from "../db/schema.ts";

export type Plan = typeof plans.$inferSelect;

export async function loadPlan(db: Db, id: string): Promise<Plan | undefined> {
  return db.select().from(plans).where(eq(plans.id, id)).get();
}

export function clusterPlan(plan: Plan): ClusterPlan {
  return {
    name: plan.id,
    nodes: plan.nodes,
    pods: plan.pods,
    objects: plan.objects,
    storedBytes: plan.storedBytes,
    requestsPerSecond: plan.requestsPerSecond,
    publicRequestsPerSecond: plan.publicRequestsPerSecond,
    publicBodyBytes: plan.publicBodyBytes,
    idleTtlSeconds: plan.idleTtlSeconds,
  };
}

/** The plan as clients see it. */
export function planView(plan: Plan) {
  return {
    id: plan.id,
    title: plan.title,
    limits: {
      clusters: plan.maxClusters,
      nodes: plan.nodes,
      pods: plan.pods,
      objects: plan.objects,
      storedBytes: plan.storedBytes,
      requestsPerSecond: plan.requestsPerSecond,
      publicRequestsPerSecond: plan.publicRequestsPerSecond,
      publicBodyBytes: plan.publicBodyBytes,
      idleTtlSeconds: plan.idleTtlSeconds,
    },
  };
}
