// The LimitRanger admission plugin: a new pod's containers get the namespace's default requests and limits
// for what they leave out (recorded in the kubernetes.io/limit-ranger annotation, as upstream), then every
// Container, Pod and PersistentVolumeClaim item's min, max and maxLimitRequestRatio is enforced with
// upstream's messages. Pods are checked on create only (their resources are immutable); claims on update too.
import { forbidden, groupResource } from "../../../kube/status.ts";
import type { KubeObject } from "../../../kube/types.ts";
import type { ApiContext } from "../context.ts";
import type { LimitRangeItem } from "../registry/limitranges.ts";
import { resourceId } from "../registry/lookup.ts";
import type { ResourceList } from "../registry/pod-resources.ts";
import type { ResourceKind } from "../registry/types.ts";
import { addAmounts, type Amounts, amountOf, formatAmount } from "./quantities.ts";

export const LIMIT_RANGER_ANNOTATION = "kubernetes.io/limit-ranger";

interface Container {
  name?: string;
  resources?: { requests?: ResourceList; limits?: ResourceList };
}

const itemsOf = (ctx: ApiContext, namespace: string, type: string): LimitRangeItem[] =>
  ctx.store
    .list("limitranges", namespace)
    .flatMap((e) => (e.object.spec?.limits ?? []) as LimitRangeItem[])
    .filter((item) => item?.type === type);

/** Fills containers' missing requests and limits from the Container items' defaults (mutating admission). */
export function defaultLimitRanges(ctx: ApiContext, kind: ResourceKind, obj: KubeObject): void {
  const namespace = obj.metadata.namespace;
  if (resourceId(kind) !== "pods" || !namespace || !Array.isArray(obj.spec?.containers)) return;
  const items = itemsOf(ctx, namespace, "Container");
  if (items.length === 0) return;
  const defaults = { requests: {} as ResourceList, limits: {} as ResourceList };
  for (const item of items) {
    Object.assign(defaults.requests, item.defaultRequest ?? {});
    Object.assign(defaults.limits, item.default ?? {});
  }
  const notes: string[] = [];
  const containers = [...obj.spec.containers, ...(obj.spec.initContainers ?? [])] as Container[];
  for (const c of containers) {
    if (typeof c !== "object" || c === null) continue;
    for (const field of ["requests", "limits"] as const) {
      const added: string[] = [];
      for (const [name, value] of Object.entries(defaults[field])) {
        const have = c.resources?.[field];
        if (have && name in have) continue;
        c.resources = { ...(c.resources ?? {}), [field]: { ...(have ?? {}), [name]: value } };
        added.push(name);
      }
      if (added.length > 0)
        notes.push(
          `${added.sort().join(", ")} ${field === "requests" ? "request" : "limit"} for ${kindWord(obj, c)} ${c.name}`,
        );
    }
  }
  if (notes.length > 0)
    obj.metadata.annotations = {
      ...(obj.metadata.annotations ?? {}),
      [LIMIT_RANGER_ANNOTATION]: `LimitRanger plugin set: ${notes.join("; ")}`,
    };
}

const kindWord = (pod: KubeObject, c: Container) =>
  ((pod.spec?.initContainers ?? []) as Container[]).includes(c) ? "init container" : "container";

/** Throws upstream's Forbidden when the object breaks a min, max or ratio of its namespace's limit ranges. */
export function enforceLimitRanges(ctx: ApiContext, kind: ResourceKind, obj: KubeObject, old?: KubeObject): void {
  const namespace = obj.metadata.namespace;
  const resource = resourceId(kind);
  if (!namespace || (resource === "pods" && old) || (resource !== "pods" && resource !== "persistentvolumeclaims"))
    return;
  const errors: string[] = [];
  if (resource === "pods") {
    const containers = [...(obj.spec?.containers ?? []), ...(obj.spec?.initContainers ?? [])] as Container[];
    for (const item of itemsOf(ctx, namespace, "Container"))
      for (const c of containers) errors.push(...check("Container", item, c.resources?.requests, c.resources?.limits));
    const podItems = itemsOf(ctx, namespace, "Pod");
    if (podItems.length > 0) {
      const sum = (field: "requests" | "limits") =>
        containers.reduce<Amounts>((acc, c) => addAmounts(acc, amounts(c.resources?.[field])), new Map());
      for (const item of podItems) errors.push(...checkAmounts("Pod", item, sum("requests"), sum("limits")));
    }
  } else
    for (const item of itemsOf(ctx, namespace, "PersistentVolumeClaim"))
      errors.push(...check("PersistentVolumeClaim", item, obj.spec?.resources?.requests, obj.spec?.resources?.limits));
  if (errors.length === 0) return;
  const name = obj.metadata.name ?? "";
  // utilerrors.NewAggregate: one error as it is, several in brackets.
  const message = errors.length === 1 ? errors[0] : `[${errors.join(", ")}]`;
  throw forbidden(`${groupResource(kind.group, kind.plural)} "${name}" is forbidden: ${message}`, {
    name,
    group: kind.group || undefined,
    kind: kind.plural,
  });
}

function amounts(list: ResourceList | undefined): Amounts {
  const out: Amounts = new Map();
  for (const [name, value] of Object.entries(list ?? {})) {
    const a = amountOf(value);
    if (a) out.set(name, a);
  }
  return out;
}

const check = (type: string, item: LimitRangeItem, requests?: ResourceList, limits?: ResourceList) =>
  checkAmounts(type, item, amounts(requests), amounts(limits));

/** minConstraint, maxConstraint and limitRequestRatioConstraint, in upstream's words. */
function checkAmounts(type: string, item: LimitRangeItem, requests: Amounts, limits: Amounts): string[] {
  const errs: string[] = [];
  const show = (v: string | number) => formatAmount(amountOf(v) ?? { nanos: 0n, binary: false });
  for (const [name, value] of Object.entries(item.min ?? {})) {
    const enforced = amountOf(value)?.nanos ?? 0n;
    const [req, lim] = [requests.get(name), limits.get(name)];
    if (!req) errs.push(`minimum ${name} usage per ${type} is ${show(value)}.  No request is specified`);
    else if (req.nanos < enforced)
      errs.push(`minimum ${name} usage per ${type} is ${show(value)}, but request is ${formatAmount(req)}`);
    else if (lim && lim.nanos < enforced)
      errs.push(`minimum ${name} usage per ${type} is ${show(value)}, but limit is ${formatAmount(lim)}`);
  }
  for (const [name, value] of Object.entries(item.max ?? {})) {
    const enforced = amountOf(value)?.nanos ?? 0n;
    const [req, lim] = [requests.get(name), limits.get(name)];
    if (!lim) errs.push(`maximum ${name} usage per ${type} is ${show(value)}.  No limit is specified`);
    else if (lim.nanos > enforced)
      errs.push(`maximum ${name} usage per ${type} is ${show(value)}, but limit is ${formatAmount(lim)}`);
    else if (req && req.nanos > enforced)
      errs.push(`maximum ${name} usage per ${type} is ${show(value)}, but request is ${formatAmount(req)}`);
  }
  for (const [name, value] of Object.entries(item.maxLimitRequestRatio ?? {})) {
    const [req, lim] = [requests.get(name), limits.get(name)];
    const ratioText = `${name} max limit to request ratio per ${type} is ${show(value)}`;
    if (!req || req.nanos === 0n) errs.push(`${ratioText}, but no request is specified or request is 0`);
    else if (!lim || lim.nanos === 0n) errs.push(`${ratioText}, but no limit is specified or limit is 0`);
    else {
      const observed = Number(lim.nanos) / Number(req.nanos);
      const enforced = Number(amountOf(value)?.nanos ?? 0n) / 1e9;
      if (observed > enforced) errs.push(`${ratioText}, but provided ratio is ${observed.toFixed(6)}`);
    }
  }
  return errs;
}
