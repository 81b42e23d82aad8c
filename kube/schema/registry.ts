// Every named definition, and lookups by kind. The one source of truth for the shape of the
// served kinds.
import { admissionRegistrationDefinitions } from "./admissionregistration.ts";
import { affinityDefinitions } from "./affinity.ts";
import { apiextensionsDefinitions } from "./apiextensions.ts";
import { autoscalingDefinitions } from "./autoscaling.ts";
import { batchDefinitions } from "./batch.ts";
import { containerDefinitions } from "./container.ts";
import { controllerRevisionDefinitions } from "./controllerrevision.ts";
import { coreMiscDefinitions } from "./core-misc.ts";
import type { Definitions, GroupVersionKind, ObjectSchema, Schema } from "./dsl.ts";
import { groupDefinitions } from "./groups.ts";
import { ingressDefinitions } from "./ingress.ts";
import { metaDefinitions } from "./meta.ts";
import { networkPolicyDefinitions } from "./network-policy.ts";
import { nodeDefinitions } from "./node.ts";
import { podDefinitions } from "./pod.ts";
import { podStatusDefinitions } from "./pod-status.ts";
import { policyDefinitions } from "./policy.ts";
import { probeDefinitions } from "./probes.ts";
import { quotaDefinitions } from "./quota.ts";
import { rbacDefinitions } from "./rbac.ts";
import { securityDefinitions } from "./security.ts";
import { serviceDefinitions } from "./service.ts";
import { statefulSetDefinitions } from "./statefulset.ts";
import { storageDefinitions } from "./storage.ts";
import { volumeDefinitions } from "./volumes.ts";
import { workloadDefinitions } from "./workloads.ts";

const areas: Definitions[] = [
  metaDefinitions,
  containerDefinitions,
  probeDefinitions,
  securityDefinitions,
  volumeDefinitions,
  affinityDefinitions,
  podDefinitions,
  podStatusDefinitions,
  workloadDefinitions,
  statefulSetDefinitions,
  storageDefinitions,
  controllerRevisionDefinitions,
  batchDefinitions,
  serviceDefinitions,
  coreMiscDefinitions,
  nodeDefinitions,
  groupDefinitions,
  policyDefinitions,
  autoscalingDefinitions,
  rbacDefinitions,
  quotaDefinitions,
  apiextensionsDefinitions,
  networkPolicyDefinitions,
  admissionRegistrationDefinitions,
  ingressDefinitions,
];

function mergeAreas(parts: Definitions[]): Definitions {
  const all: Record<string, Schema> = {};
  for (const part of parts)
    for (const [name, schema] of Object.entries(part)) {
      if (Object.hasOwn(all, name)) throw new Error(`schema definition ${name} is defined twice`);
      all[name] = schema;
    }
  return all;
}

export const definitions: Definitions = mergeAreas(areas);

const gvkKey = (g: GroupVersionKind) => `${g.group}/${g.version}/${g.kind}`;

const byGvk = new Map<string, string>();
for (const [name, schema] of Object.entries(definitions))
  if (schema.kind === "object") for (const g of schema.gvk ?? []) byGvk.set(gvkKey(g), name);

/** The definition name of a top-level kind, or undefined when it is not modelled. */
export function definitionNameFor(gvk: GroupVersionKind): string | undefined {
  return byGvk.get(gvkKey(gvk));
}

/** The definition names of every modelled top-level kind with this Kind name, in any group. */
export function definitionNamesForKind(kind: string): string[] {
  const out: string[] = [];
  for (const [key, name] of byGvk) if (key.endsWith(`/${kind}`)) out.push(name);
  return out;
}

/** A named object definition, or undefined. */
export function objectDefinition(name: string): ObjectSchema | undefined {
  const s = Object.hasOwn(definitions, name) ? definitions[name] : undefined;
  return s?.kind === "object" ? s : undefined;
}
