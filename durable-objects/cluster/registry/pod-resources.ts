// Container resource requirements: quantity comparison, request/limit validation
// (ValidateResourceRequirements), the pod's QoS class (qos.GetPodQOS) and the pod-only default
// that copies limits into missing requests (SetDefaults_Pod).
import { type FieldError, invalid, required } from "../../../kube/field-errors.ts";

export type ResourceList = Record<string, string | number>;

interface Resources {
  limits?: ResourceList;
  requests?: ResourceList;
}

interface Container {
  resources?: Resources;
}

const QUANTITY_RE = /^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$/;
/** Quota-counted resources upstream requires to be whole numbers (helper.IsIntegerResourceName), besides extended ones. */
export const INTEGER_RESOURCES: ReadonlySet<string> = new Set([
  "pods",
  "services",
  "replicationcontrollers",
  "resourcequotas",
  "secrets",
  "configmaps",
  "persistentvolumeclaims",
  "services.nodeports",
  "services.loadbalancers",
]);

export const QUANTITY_MSG =
  "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'";

const BINARY: Record<string, bigint> = { Ki: 10n, Mi: 20n, Gi: 30n, Ti: 40n, Pi: 50n, Ei: 60n };
const DECIMAL: Record<string, number> = { n: -9, u: -6, m: -3, "": 0, k: 3, M: 6, G: 9, T: 12, P: 15, E: 18 };

/**
 * A quantity in nano-units (resource.Quantity at nano scale, rounded up as upstream rounds),
 * or undefined when the text is not a quantity. Exact, so requests and limits compare exactly.
 */
export function quantityNanos(value: string | number): bigint | undefined {
  const text = String(value);
  const m = QUANTITY_RE.exec(text);
  if (!m || !/^[+-]?(\d+\.?\d*|\.\d+)$/.test(m[1])) return undefined;
  const [num, suffix] = [m[1], m[2]];
  const negative = num.startsWith("-");
  const [whole, frac = ""] = num.replace(/^[+-]/, "").split(".");
  // digits * 10^(exp10) * 2^(exp2), as nano-units
  let digits = BigInt(whole + frac || "0");
  let exp10 = 9 - frac.length;
  let exp2 = 0n;
  if (suffix in BINARY) exp2 = BINARY[suffix];
  else if (suffix in DECIMAL) exp10 += DECIMAL[suffix];
  else if (/^[eE][-+]?\d+$/.test(suffix)) exp10 += Number(suffix.slice(1));
  else return undefined;
  digits <<= exp2;
  if (exp10 >= 0) digits *= 10n ** BigInt(exp10);
  else {
    const div = 10n ** BigInt(-exp10);
    digits = (digits + div - 1n) / div;
  }
  return negative ? -digits : digits;
}

const QOS_RESOURCES = new Set(["cpu", "memory"]);
const STANDARD_CONTAINER_RESOURCES = new Set(["cpu", "memory", "ephemeral-storage"]);

const isHugePages = (name: string) => name.startsWith("hugepages-");
const isNative = (name: string) => !name.includes("/") || name.startsWith("kubernetes.io/");
/** helper.IsOvercommitAllowed: only native, non-hugepage resources may request less than their limit. */
const overcommitAllowed = (name: string) => isNative(name) && !isHugePages(name);

function resourceNameErrors(name: string, field: string): FieldError[] {
  if (!name.includes("/")) {
    if (STANDARD_CONTAINER_RESOURCES.has(name) || isHugePages(name)) return [];
    return [invalid(field, name, "must be a standard resource for containers")];
  }
  return [];
}

function quantityErrors(value: string | number, field: string): FieldError[] {
  const n = quantityNanos(value);
  if (n === undefined) return [invalid(field, String(value), QUANTITY_MSG)];
  if (n < 0n) return [invalid(field, String(value), "must be greater than or equal to 0")];
  return [];
}

/** ValidateResourceRequirements for one container, under `field` (…resources). */
export function validateResources(res: Resources | undefined, field: string): FieldError[] {
  const errs: FieldError[] = [];
  const limits = res?.limits ?? {};
  for (const [name, q] of Object.entries(limits)) {
    const f = `${field}.limits[${name}]`;
    errs.push(...resourceNameErrors(name, f), ...quantityErrors(q, f));
  }
  for (const [name, q] of Object.entries(res?.requests ?? {})) {
    const f = `${field}.requests[${name}]`;
    errs.push(...resourceNameErrors(name, f), ...quantityErrors(q, f));
    errs.push(...requestVersusLimit(name, q, limits, field));
  }
  return errs;
}

function requestVersusLimit(name: string, q: string | number, limits: ResourceList, field: string): FieldError[] {
  if (!(name in limits)) {
    return overcommitAllowed(name)
      ? []
      : [required(`${field}.limits`, "Limit must be set for non overcommitable resources")];
  }
  const [req, lim] = [quantityNanos(q), quantityNanos(limits[name])];
  if (req === undefined || lim === undefined) return [];
  const reqField = `${field}.requests`;
  if (req !== lim && !overcommitAllowed(name))
    return [invalid(reqField, String(q), `must be equal to ${name} limit of ${limits[name]}`)];
  if (req > lim)
    return [invalid(reqField, String(q), `must be less than or equal to ${name} limit of ${limits[name]}`)];
  return [];
}

/** SetDefaults_Pod: a limit without a request requests the limit. Pods only, not templates. */
export function defaultRequestsFromLimits(ctr: Container): void {
  const limits = ctr.resources?.limits;
  if (!limits || !ctr.resources) return;
  const requests = ctr.resources.requests ?? {};
  for (const [name, q] of Object.entries(limits)) if (!(name in requests)) requests[name] = q;
  ctr.resources.requests = requests;
}

function addPositive(sum: Map<string, bigint>, list: ResourceList | undefined, found?: Set<string>): void {
  for (const [name, q] of Object.entries(list ?? {})) {
    if (!QOS_RESOURCES.has(name)) continue;
    const n = quantityNanos(q) ?? 0n;
    if (n <= 0n) continue;
    sum.set(name, (sum.get(name) ?? 0n) + n);
    found?.add(name);
  }
}

export type QOSClass = "Guaranteed" | "Burstable" | "BestEffort";

/** qos.GetPodQOS over containers and init containers (pod-level resources are not modelled). */
export function podQOSClass(spec: { containers?: Container[]; initContainers?: Container[] } | undefined): QOSClass {
  const requests = new Map<string, bigint>();
  const limits = new Map<string, bigint>();
  let guaranteed = true;
  for (const ctr of [...(spec?.containers ?? []), ...(spec?.initContainers ?? [])]) {
    addPositive(requests, ctr.resources?.requests);
    const found = new Set<string>();
    addPositive(limits, ctr.resources?.limits, found);
    if (!found.has("cpu") || !found.has("memory")) guaranteed = false;
  }
  if (requests.size === 0 && limits.size === 0) return "BestEffort";
  for (const [name, req] of requests) if (limits.get(name) !== req) guaranteed = false;
  return guaranteed && requests.size === limits.size ? "Guaranteed" : "Burstable";
}
