// core/v1 LimitRange: upstream's defaulting of container items (a default limit from max, a default request
// from the default limit or min), ValidateLimitRange's checks, and printLimitRange's CREATED AT column.
import { type FieldError, forbidden, invalid, notSupported, required } from "../../../kube/field-errors.ts";
import type { KubeObject } from "../../../kube/types.ts";
import { column } from "./columns.ts";
import { QUANTITY_MSG, quantityNanos, type ResourceList } from "./pod-resources.ts";
import type { ResourceKind } from "./types.ts";

const TYPES = ["Container", "Pod", "PersistentVolumeClaim"];

export interface LimitRangeItem {
  type?: string;
  max?: ResourceList;
  min?: ResourceList;
  default?: ResourceList;
  defaultRequest?: ResourceList;
  maxLimitRequestRatio?: ResourceList;
}

/** SetDefaults_LimitRangeItem for Container items. */
function defaultItem(item: LimitRangeItem): void {
  if (item?.type !== "Container") return;
  const limits = { ...(item.default ?? {}) };
  for (const [k, v] of Object.entries(item.max ?? {})) if (!(k in limits)) limits[k] = v;
  const requests = { ...(item.defaultRequest ?? {}) };
  for (const [k, v] of Object.entries(limits)) if (!(k in requests)) requests[k] = v;
  for (const [k, v] of Object.entries(item.min ?? {})) if (!(k in requests)) requests[k] = v;
  if (Object.keys(limits).length > 0) item.default = limits;
  if (Object.keys(requests).length > 0) item.defaultRequest = requests;
}

const FIELDS = ["max", "min", "default", "defaultRequest", "maxLimitRequestRatio"] as const;

function itemErrors(item: LimitRangeItem, field: string): FieldError[] {
  const errs: FieldError[] = [];
  if (!item?.type) errs.push(required(`${field}.type`));
  else if (!TYPES.includes(item.type)) errs.push(notSupported(`${field}.type`, item.type, TYPES));
  const values = new Map<string, Map<string, bigint>>();
  for (const f of FIELDS) {
    const parsed = new Map<string, bigint>();
    for (const [name, q] of Object.entries(item?.[f] ?? {})) {
      const n = quantityNanos(q);
      if (n === undefined) errs.push(invalid(`${field}.${f}[${name}]`, String(q), QUANTITY_MSG));
      else if (n < 0n) errs.push(invalid(`${field}.${f}[${name}]`, String(q), "must be greater than or equal to 0"));
      else parsed.set(name, n);
    }
    values.set(f, parsed);
  }
  if (item?.type === "Pod")
    for (const f of ["default", "defaultRequest"] as const)
      if (Object.keys(item[f] ?? {}).length > 0)
        errs.push(forbidden(`${field}.${f}`, "may not be specified when `type` is 'Pod'"));
  const get = (f: (typeof FIELDS)[number], name: string) => values.get(f)?.get(name);
  const text = (f: (typeof FIELDS)[number], name: string) => String(item[f]?.[name]);
  const names = new Set(FIELDS.flatMap((f) => [...(values.get(f)?.keys() ?? [])]));
  for (const name of names) {
    const [min, max, def, defReq] = [
      get("min", name),
      get("max", name),
      get("default", name),
      get("defaultRequest", name),
    ];
    if (min !== undefined && max !== undefined && min > max)
      errs.push(
        invalid(
          `${field}.min[${name}]`,
          text("min", name),
          `min value ${text("min", name)} is greater than max value ${text("max", name)}`,
        ),
      );
    if (def !== undefined && max !== undefined && def > max)
      errs.push(
        invalid(
          `${field}.default[${name}]`,
          text("default", name),
          `default value ${text("default", name)} is greater than max value ${text("max", name)}`,
        ),
      );
    if (def !== undefined && min !== undefined && def < min)
      errs.push(
        invalid(
          `${field}.default[${name}]`,
          text("default", name),
          `min value ${text("min", name)} is greater than default value ${text("default", name)}`,
        ),
      );
    if (defReq !== undefined && def !== undefined && defReq > def)
      errs.push(
        invalid(
          `${field}.defaultRequest[${name}]`,
          text("defaultRequest", name),
          `default request value ${text("defaultRequest", name)} is greater than default limit value ${text("default", name)}`,
        ),
      );
    const ratio = get("maxLimitRequestRatio", name);
    if (ratio !== undefined && ratio < 1_000_000_000n)
      errs.push(
        invalid(
          `${field}.maxLimitRequestRatio[${name}]`,
          text("maxLimitRequestRatio", name),
          "ratio must be greater than or equal to 1",
        ),
      );
  }
  return errs;
}

function validateLimitRange(o: KubeObject): FieldError[] {
  const limits = (o.spec?.limits ?? []) as LimitRangeItem[];
  return limits.flatMap((item, i) => itemErrors(item, `spec.limits[${i}]`));
}

export const limitRanges: ResourceKind = {
  group: "",
  version: "v1",
  kind: "LimitRange",
  plural: "limitranges",
  singular: "limitrange",
  namespaced: true,
  shortNames: ["limits"],
  nameRule: "subdomain",
  columns: [
    column(
      "Created At",
      "date",
      "CreationTimestamp is a timestamp representing the server time when this object was created.",
      (o) => o.metadata.creationTimestamp ?? "",
    ),
  ],
  defaults(o) {
    for (const item of (o.spec?.limits ?? []) as LimitRangeItem[]) defaultItem(item);
  },
  validate: validateLimitRange,
};
