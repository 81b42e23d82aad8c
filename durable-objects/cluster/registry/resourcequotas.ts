// core/v1 ResourceQuota: upstream's validation of hard limits and scopes (ValidateResourceQuota), an empty
// status on create (the quota controller fills it), and printResourceQuota's REQUEST/LIMIT columns.
import { type FieldError, invalid } from "../../../kube/field-errors.ts";
import type { KubeObject } from "../../../kube/types.ts";
import { ageColumn, column } from "./columns.ts";
import { INTEGER_RESOURCES, QUANTITY_MSG, quantityNanos } from "./pod-resources.ts";
import type { ResourceKind } from "./types.ts";

const STANDARD_QUOTA = new Set([
  ...INTEGER_RESOURCES,
  "cpu",
  "memory",
  "ephemeral-storage",
  "requests.cpu",
  "requests.memory",
  "requests.storage",
  "requests.ephemeral-storage",
  "limits.cpu",
  "limits.memory",
  "limits.ephemeral-storage",
]);
const SCOPES = [
  "Terminating",
  "NotTerminating",
  "BestEffort",
  "NotBestEffort",
  "PriorityClass",
  "CrossNamespacePodAffinity",
];
const POD_COMPUTE = ["pods", "cpu", "memory", "requests.cpu", "requests.memory", "limits.cpu", "limits.memory"];
/** The standard resources each scope may limit (a BestEffort pod requests nothing, so only its count). */
const SCOPE_RESOURCES: Record<string, Set<string>> = {
  BestEffort: new Set(["pods"]),
  NotBestEffort: new Set(POD_COMPUTE),
  Terminating: new Set(POD_COMPUTE),
  NotTerminating: new Set(POD_COMPUTE),
  PriorityClass: new Set(POD_COMPUTE),
};

const isIntegerResource = (name: string) => INTEGER_RESOURCES.has(name) || name.startsWith("count/");
const isStandard = (name: string) =>
  STANDARD_QUOTA.has(name) || name.includes("/") || /^(requests\.)?hugepages-/.test(name);

function hardErrors(hard: Record<string, string | number>, field: string): FieldError[] {
  const errs: FieldError[] = [];
  for (const [name, value] of Object.entries(hard)) {
    const f = `${field}[${name}]`;
    if (!isStandard(name)) errs.push(invalid(f, name, "must be a standard resource for quota"));
    const n = quantityNanos(value);
    if (n === undefined) errs.push(invalid(f, String(value), QUANTITY_MSG));
    else if (n < 0n) errs.push(invalid(f, String(value), "must be greater than or equal to 0"));
    else if (isIntegerResource(name) && n % 1_000_000_000n !== 0n)
      errs.push(invalid(f, String(value), "must be an integer"));
  }
  return errs;
}

function scopeErrors(o: KubeObject): FieldError[] {
  const scopes = (o.spec?.scopes ?? []) as string[];
  const selected = ((o.spec?.scopeSelector?.matchExpressions ?? []) as { scopeName?: string }[]).map(
    (e) => e.scopeName ?? "",
  );
  const errs: FieldError[] = [];
  for (const s of scopes) if (!SCOPES.includes(s)) errs.push(invalid("spec.scopes", s, "unsupported scope"));
  selected.forEach((s, i) => {
    if (!SCOPES.includes(s))
      errs.push(invalid(`spec.scopeSelector.matchExpressions[${i}].scopeName`, s, "unsupported scope"));
  });
  const all = new Set([...scopes, ...selected]);
  for (const [a, b] of [
    ["Terminating", "NotTerminating"],
    ["BestEffort", "NotBestEffort"],
  ])
    if (all.has(a) && all.has(b)) errs.push(invalid("spec.scopes", scopes, "conflicting scopes"));
  // IsResourceQuotaScopeValidForResource: a scoped quota limits only what pods of that scope use.
  const standardHard = Object.keys(o.spec?.hard ?? {}).filter((r) => STANDARD_QUOTA.has(r));
  for (const scope of scopes) {
    const allowed = SCOPE_RESOURCES[scope];
    if (allowed && standardHard.some((r) => !allowed.has(r)))
      errs.push(invalid("spec.scopes", scopes, "unsupported scope applied to resource"));
  }
  return errs;
}

function validateResourceQuota(o: KubeObject): FieldError[] {
  return [
    ...hardErrors(o.spec?.hard ?? {}, "spec.hard"),
    ...scopeErrors(o),
    ...hardErrors(o.status?.hard ?? {}, "status.hard"),
    ...hardErrors(o.status?.used ?? {}, "status.used"),
  ];
}

/** printResourceQuota: `resource: used/hard` pairs, those named limits.* under LIMIT, the rest under REQUEST. */
function usageCell(o: KubeObject, limits: boolean): string {
  const used = (o.status?.used ?? {}) as Record<string, string>;
  const hard = (o.status?.hard ?? {}) as Record<string, string>;
  return Object.keys(o.spec?.hard ?? {})
    .sort()
    .filter((r) => r.startsWith("limits.") === limits)
    .map((r) => `${r}: ${used[r] ?? "0"}/${hard[r] ?? "0"}`)
    .join(", ");
}

export const resourceQuotas: ResourceKind = {
  group: "",
  version: "v1",
  kind: "ResourceQuota",
  plural: "resourcequotas",
  singular: "resourcequota",
  namespaced: true,
  shortNames: ["quota"],
  nameRule: "subdomain",
  subresources: { status: true },
  columns: [
    ageColumn,
    column(
      "Request",
      "string",
      "Request represents a minimum amount of cpu/memory that a container may consume.",
      (o) => usageCell(o, false),
    ),
    column(
      "Limit",
      "string",
      "Limits control the maximum amount of cpu/memory that a container may use independent of contention on the node.",
      (o) => usageCell(o, true),
    ),
  ],
  prepareForCreate(o) {
    delete o.status;
  },
  validate: validateResourceQuota,
};
