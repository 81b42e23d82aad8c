// What one object costs against a ResourceQuota (upstream's quota evaluators, pkg/quota/v1/evaluator/core):
// every kind counts as `count/<resource>`, the legacy names count core kinds, and pods, Services and
// claims add what they request. Pure: written as a table by resource, so a kind with its own usage is one
// entry. Pods that finished (or whose deletion grace ran out) cost nothing, as upstream's QuotaV1Pod.
import type { KubeObject } from "../../../kube/types.ts";
import { podQOSClass, type ResourceList } from "../registry/pod-resources.ts";
import { addAmounts, type Amount, type Amounts, amountOf, countOf } from "./quantities.ts";

/** The object-count names upstream kept from before `count/…` (pkg/quota/v1/evaluator/core). */
const LEGACY_COUNT: Record<string, string> = {
  pods: "pods",
  services: "services",
  replicationcontrollers: "replicationcontrollers",
  resourcequotas: "resourcequotas",
  secrets: "secrets",
  configmaps: "configmaps",
  persistentvolumeclaims: "persistentvolumeclaims",
};

/** Resources a pod's quota may require every container to state (podEvaluator's validationSet). */
const POD_COMPUTE = ["requests.cpu", "requests.memory", "limits.cpu", "limits.memory", "cpu", "memory"];

interface Container {
  name?: string;
  restartPolicy?: string;
  resources?: { requests?: ResourceList; limits?: ResourceList };
}

/** Sum of containers, the larger of that and each init container (sidecars count as running), plus overhead. */
function podTotal(spec: KubeObject["spec"], field: "requests" | "limits"): Amounts {
  const list = (c: Container) => listAmounts(c.resources?.[field]);
  let sum: Amounts = new Map();
  for (const c of (spec?.containers ?? []) as Container[]) sum = addAmounts(sum, list(c));
  let sidecars: Amounts = new Map();
  let initMax: Amounts = new Map();
  for (const c of (spec?.initContainers ?? []) as Container[]) {
    if (c.restartPolicy === "Always") {
      sidecars = addAmounts(sidecars, list(c));
      sum = addAmounts(sum, list(c));
      initMax = larger(initMax, sidecars);
    } else initMax = larger(initMax, addAmounts(sidecars, list(c)));
  }
  const total = larger(sum, initMax);
  return spec?.overhead ? addAmounts(total, listAmounts(spec.overhead)) : total;
}

function listAmounts(list: ResourceList | undefined): Amounts {
  const out: Amounts = new Map();
  for (const [name, value] of Object.entries(list ?? {})) {
    const a = amountOf(value);
    if (a) out.set(name, a);
  }
  return out;
}

function larger(a: Amounts, b: Amounts): Amounts {
  const out: Amounts = new Map(a);
  for (const [name, v] of b) if ((out.get(name)?.nanos ?? -1n) < v.nanos) out.set(name, v);
  return out;
}

/** QuotaV1Pod: terminal pods, and pods past their deletion grace, no longer count. */
export function podCounts(pod: KubeObject, now: number): boolean {
  const phase = pod.status?.phase;
  if (phase === "Succeeded" || phase === "Failed") return false;
  const { deletionTimestamp, deletionGracePeriodSeconds } = pod.metadata;
  if (deletionTimestamp && typeof deletionGracePeriodSeconds === "number")
    return now <= Date.parse(deletionTimestamp) + deletionGracePeriodSeconds * 1000;
  return true;
}

function podUsage(pod: KubeObject, now: number): Amounts {
  if (!podCounts(pod, now)) return new Map();
  const out: Amounts = new Map([
    ["pods", countOf(1)],
    ["count/pods", countOf(1)],
  ]);
  for (const [name, v] of podTotal(pod.spec, "requests")) {
    out.set(`requests.${name}`, v);
    // The bare names are requests, as upstream: cpu, memory, ephemeral-storage.
    if (!name.includes("/") && !name.startsWith("hugepages-")) out.set(name, v);
  }
  for (const [name, v] of podTotal(pod.spec, "limits")) out.set(`limits.${name}`, v);
  return out;
}

function serviceUsage(svc: KubeObject): Amounts {
  const type = svc.spec?.type ?? "ClusterIP";
  const ports = (svc.spec?.ports ?? []) as { nodePort?: number }[];
  const out: Amounts = new Map([
    ["services", countOf(1)],
    ["count/services", countOf(1)],
  ]);
  if (type === "NodePort" || type === "LoadBalancer") out.set("services.nodeports", countOf(ports.length));
  if (type === "LoadBalancer") out.set("services.loadbalancers", countOf(1));
  return out;
}

function claimUsage(pvc: KubeObject): Amounts {
  const out: Amounts = new Map([
    ["persistentvolumeclaims", countOf(1)],
    ["count/persistentvolumeclaims", countOf(1)],
  ]);
  const storage = amountOf(pvc.spec?.resources?.requests?.storage ?? "");
  const byClass = (name: string, v: Amount) => {
    const cls = pvc.spec?.storageClassName;
    if (typeof cls === "string" && cls) out.set(`${cls}.storageclass.storage.k8s.io/${name}`, v);
  };
  byClass("persistentvolumeclaims", countOf(1));
  if (storage) {
    out.set("requests.storage", storage);
    byClass("requests.storage", storage);
  }
  return out;
}

/** The quota usage of one object of `resource` (a store resource id: "pods", "deployments.apps"). */
export function usageOf(resource: string, obj: KubeObject, now: number): Amounts {
  if (resource === "pods") return podUsage(obj, now);
  if (resource === "services") return serviceUsage(obj);
  if (resource === "persistentvolumeclaims") return claimUsage(obj);
  const out: Amounts = new Map([[`count/${resource}`, countOf(1)]]);
  const legacy = LEGACY_COUNT[resource];
  if (legacy) out.set(legacy, countOf(1));
  return out;
}

/** Whether a quota's hard resource is one objects of `resource` can use (the evaluator's MatchingResources). */
export function tracks(resource: string, name: string): boolean {
  if (name === `count/${resource}` || name === LEGACY_COUNT[resource]) return true;
  if (resource === "pods")
    return /^(requests|limits)\./.test(name) || ["cpu", "memory", "ephemeral-storage"].includes(name);
  if (resource === "services") return name === "services.nodeports" || name === "services.loadbalancers";
  if (resource === "persistentvolumeclaims")
    return name === "requests.storage" || name.includes(".storageclass.storage.k8s.io/");
  return false;
}

/**
 * podEvaluator.Constraints: with cpu or memory under quota, every container must state them. The message
 * upstream gives (`must specify limits.cpu for: app; requests.memory for: app,init`), or undefined.
 */
export function podConstraints(pod: KubeObject, tracked: readonly string[]): string | undefined {
  const required = POD_COMPUTE.filter((r) => tracked.includes(r));
  const missing = new Map<string, Set<string>>();
  const containers = [...(pod.spec?.containers ?? []), ...(pod.spec?.initContainers ?? [])] as Container[];
  for (const c of containers)
    for (const r of required) {
      const [field, resource] = r.includes(".") ? (r.split(".") as ["requests" | "limits", string]) : ["requests", r];
      if (c.resources?.[field as "requests" | "limits"]?.[resource] === undefined)
        missing.set(r, (missing.get(r) ?? new Set()).add(c.name ?? ""));
    }
  if (missing.size === 0) return undefined;
  const parts = [...missing.keys()].sort().map((r) => `${r} for: ${[...(missing.get(r) ?? [])].sort().join(",")}`);
  return `must specify ${parts.join("; ")}`;
}

interface ScopeRequirement {
  scopeName?: string;
  operator?: string;
  values?: string[];
}

function scopeMatches(req: ScopeRequirement, pod: KubeObject): boolean {
  const spec = pod.spec ?? {};
  switch (req.scopeName) {
    case "Terminating":
      return typeof spec.activeDeadlineSeconds === "number" && spec.activeDeadlineSeconds >= 0;
    case "NotTerminating":
      return !(typeof spec.activeDeadlineSeconds === "number" && spec.activeDeadlineSeconds >= 0);
    case "BestEffort":
      return podQOSClass(spec) === "BestEffort";
    case "NotBestEffort":
      return podQOSClass(spec) !== "BestEffort";
    case "PriorityClass": {
      const cls = spec.priorityClassName as string | undefined;
      if (req.operator === "Exists") return Boolean(cls);
      if (req.operator === "DoesNotExist") return !cls;
      const listed = (req.values ?? []).includes(cls ?? "");
      return req.operator === "NotIn" ? !listed : listed;
    }
    case "CrossNamespacePodAffinity":
      return hasCrossNamespaceAffinity(spec);
    default:
      return false;
  }
}

function hasCrossNamespaceAffinity(spec: KubeObject["spec"]): boolean {
  const terms = [spec?.affinity?.podAffinity, spec?.affinity?.podAntiAffinity].flatMap((a) => [
    ...(a?.requiredDuringSchedulingIgnoredDuringExecution ?? []),
    ...(a?.preferredDuringSchedulingIgnoredDuringExecution ?? []).map(
      (w: { podAffinityTerm?: unknown }) => w.podAffinityTerm,
    ),
  ]) as { namespaces?: string[]; namespaceSelector?: unknown }[];
  return terms.some((t) => (t?.namespaces?.length ?? 0) > 0 || t?.namespaceSelector != null);
}

/** The quota's scopes (spec.scopes and spec.scopeSelector) as requirements. */
export function quotaScopes(quota: KubeObject): ScopeRequirement[] {
  const plain = ((quota.spec?.scopes ?? []) as string[]).map((scopeName) => ({ scopeName, operator: "Exists" }));
  return [...plain, ...((quota.spec?.scopeSelector?.matchExpressions ?? []) as ScopeRequirement[])];
}

/** Whether the quota applies to the object: a scoped quota only ever to pods, and to those its scopes match. */
export function quotaMatches(quota: KubeObject, resource: string, obj: KubeObject): boolean {
  const scopes = quotaScopes(quota);
  if (scopes.length === 0) return true;
  return resource === "pods" && scopes.every((s) => scopeMatches(s, obj));
}
