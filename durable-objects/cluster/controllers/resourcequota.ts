// The resource quota controller (upstream pkg/controller/resourcequota): each ResourceQuota's status holds
// its hard limits and the namespace's current usage of each, recounted when the quota or anything in its
// namespace changes, so `kubectl describe quota` and `kubectl get quota` show `used/hard`. Admission does
// not depend on it (admission/resource-quota.ts counts from the store).
import { type Amounts, formatAmount, parseList } from "../admission/quantities.ts";
import { namespaceUsage } from "../admission/resource-quota.ts";
import { tracks } from "../admission/quota-usage.ts";
import type { ApiContext } from "../context.ts";
import type { Change } from "../store/object-store.ts";
import type { Controller, ReconcileResult } from "./types.ts";
import { Writer } from "./writes.ts";

export const RESOURCE_QUOTA_CONTROLLER = "resourcequota-controller";
const QUOTAS = "resourcequotas";

/** The store resources whose objects can use a quota resource name. */
function resourcesFor(name: string): string[] {
  if (name.startsWith("count/")) return [name.slice("count/".length)];
  return [
    "pods",
    "services",
    "persistentvolumeclaims",
    "configmaps",
    "secrets",
    "replicationcontrollers",
    QUOTAS,
  ].filter((r) => tracks(r, name));
}

export class ResourceQuotaController implements Controller {
  readonly name = RESOURCE_QUOTA_CONTROLLER;
  #w: Writer;

  constructor(ctx: ApiContext) {
    this.#w = new Writer(ctx, RESOURCE_QUOTA_CONTROLLER);
  }

  keysFor(change: Change): string[] {
    const { resource, key, object } = change.entry;
    if (resource === QUOTAS) return change.type === "DELETED" ? [] : [key];
    const namespace = object.metadata.namespace;
    // Events come and go all the time and no quota counts them by default: a quota on them still
    // gets recounted when it or anything else in its namespace changes.
    if (!namespace || resource === "events" || resource === "events.events.k8s.io") return [];
    return this.#w.ctx.store.list(QUOTAS, namespace).map((e) => e.key);
  }

  initialKeys(): string[] {
    return this.#w.ctx.store.list(QUOTAS).map((e) => e.key);
  }

  reconcile(key: string): ReconcileResult | undefined {
    const quota = this.#w.entry(key)?.object;
    if (!quota || quota.metadata.deletionTimestamp) return undefined;
    const hard = parseList(quota.spec?.hard);
    const used: Amounts = new Map();
    const byResource = new Map<string, string[]>();
    for (const name of hard.keys())
      for (const r of resourcesFor(name)) byResource.set(r, [...(byResource.get(r) ?? []), name]);
    for (const [resource, names] of byResource)
      for (const [name, v] of namespaceUsage(this.#w.ctx, quota, resource, names)) {
        const have = used.get(name);
        used.set(name, have ? { nanos: have.nanos + v.nanos, binary: have.binary } : v);
      }
    const status = { hard: {} as Record<string, string>, used: {} as Record<string, string> };
    for (const name of [...hard.keys()].sort()) {
      status.hard[name] = formatAmount(hard.get(name) ?? { nanos: 0n, binary: false });
      status.used[name] = formatAmount(used.get(name) ?? { nanos: 0n, binary: hard.get(name)?.binary ?? false });
    }
    this.#w.updateStatus(QUOTAS, quota, status);
    return undefined;
  }
}
