// The ResourceQuota admission plugin: a create or update in a namespace with quotas is refused when what it
// adds would take a quota's usage over its hard limit, with upstream's 403 wording. Usage is counted from
// the store itself (the object is one thread, so this is exact and never stale, where upstream reads the
// quota's status and retries on conflicts); the quota controller keeps status.used for readers.
import { forbidden, groupResource } from "../../../kube/status.ts";
import type { KubeObject } from "../../../kube/types.ts";
import type { ApiContext } from "../context.ts";
import { resourceId } from "../registry/lookup.ts";
import type { ResourceKind } from "../registry/types.ts";
import { addAmounts, type Amounts, exceeded, mask, parseList, prettyPrint } from "./quantities.ts";
import { podConstraints, quotaMatches, tracks, usageOf } from "./quota-usage.ts";

/** Each object of `resource` in the namespace with what it uses (computed once per admission, not per quota). */
type ObjectUsage = { object: KubeObject; usage: Amounts };

function objectUsages(ctx: ApiContext, resource: string, namespace: string | undefined): ObjectUsage[] {
  const now = ctx.now();
  return ctx.store.list(resource, namespace).map(({ object }) => ({ object, usage: usageOf(resource, object, now) }));
}

/** What the objects of `resource` in the quota's namespace use now, of the resources it tracks. */
export function namespaceUsage(
  ctx: ApiContext,
  quota: KubeObject,
  resource: string,
  tracked: readonly string[],
  usages: ObjectUsage[] = objectUsages(ctx, resource, quota.metadata.namespace),
): Amounts {
  let used: Amounts = new Map();
  for (const { object, usage } of usages) {
    if (!quotaMatches(quota, resource, object)) continue;
    used = addAmounts(used, mask(usage, tracked));
  }
  return used;
}

const positive = (a: Amounts): Amounts => new Map([...a].filter(([, v]) => v.nanos > 0n));

/** Throws upstream's Forbidden when `obj` (replacing `old`, if an update) may not be admitted. */
export function admitResourceQuota(ctx: ApiContext, kind: ResourceKind, obj: KubeObject, old?: KubeObject): void {
  const namespace = obj.metadata.namespace;
  if (!kind.namespaced || !namespace) return;
  const quotas = ctx.store.list("resourcequotas", namespace);
  if (quotas.length === 0) return;
  const resource = resourceId(kind);
  const name = obj.metadata.name ?? "";
  const refuse = (message: string) =>
    forbidden(`${groupResource(kind.group, kind.plural)} "${name}" is forbidden: ${message}`, {
      name,
      group: kind.group || undefined,
      kind: kind.plural,
    });
  const now = ctx.now();
  let usages: ObjectUsage[] | undefined;
  for (const { object: quota } of quotas) {
    if (!quotaMatches(quota, resource, obj)) continue;
    const hard = parseList(quota.spec?.hard);
    const tracked = [...hard.keys()].filter((r) => tracks(resource, r));
    if (tracked.length === 0) continue;
    const constraint = resource === "pods" ? podConstraints(obj, tracked) : undefined;
    if (constraint) throw refuse(`failed quota: ${quota.metadata.name}: ${constraint}`);
    const before = old && quotaMatches(quota, resource, old) ? usageOf(resource, old, now) : new Map();
    const requested = positive(mask(addAmounts(usageOf(resource, obj, now), before, -1n), tracked));
    if (requested.size === 0) continue;
    // An update's old object is in the store: its usage is in `used`, and `requested` is the difference.
    usages ??= objectUsages(ctx, resource, namespace);
    const used = namespaceUsage(ctx, quota, resource, tracked, usages);
    const over = exceeded(mask(addAmounts(used, requested), requested.keys()), hard);
    if (over.length > 0)
      throw refuse(
        `exceeded quota: ${quota.metadata.name}, requested: ${prettyPrint(mask(requested, over))}, used: ${prettyPrint(
          mask(withZeros(used, over), over),
        )}, limited: ${prettyPrint(mask(hard, over))}`,
      );
  }
}

/** Resources with no usage yet read as 0 (upstream's status.used has every hard resource). */
function withZeros(used: Amounts, names: readonly string[]): Amounts {
  const out: Amounts = new Map(used);
  for (const n of names) if (!out.has(n)) out.set(n, { nanos: 0n, binary: false });
  return out;
}
