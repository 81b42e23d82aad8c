// Pod Security admission as upstream's plugin runs it on pod creates: the namespace's
// `pod-security.kubernetes.io/<mode>` labels name a level (and `<mode>-version` a version) per mode;
// `enforce` refuses a pod that violates its level with a 403 listing every violation, `warn` admits it
// and returns the same text as a warning; a workload's pod template is warned about. Every version
// evaluates as the latest (the checks here are the current ones). The `audit` mode is not evaluated
// (there is no audit log to annotate).
import { forbidden } from "../../../kube/status.ts";
import type { PodSpec } from "../../../kube/pod-types.ts";
import type { KubeObject } from "../../../kube/types.ts";
import type { ApiContext } from "../context.ts";
import type { ResourceKind } from "../registry/types.ts";
import { CHECKS, type Check, type Level } from "./pod-security-checks.ts";

const LABEL = "pod-security.kubernetes.io/";
const LEVELS: readonly Level[] = ["privileged", "baseline", "restricted"];

interface Policy {
  level: Level;
  version: string;
}

/** A mode's policy from the namespace's labels; an invalid level reads as restricted, as upstream. */
function policyOf(labels: Record<string, string>, mode: "enforce" | "warn"): Policy | undefined {
  const level = labels[`${LABEL}${mode}`];
  if (level === undefined) return undefined;
  const version = labels[`${LABEL}${mode}-version`];
  return {
    level: LEVELS.includes(level as Level) ? (level as Level) : "restricted",
    version: version && /^(latest|v1\.(0|[1-9]\d{0,2}))$/.test(version) ? version : "latest",
  };
}

const byId = (a: Check, b: Check) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

/**
 * The violations of a level as "reason (detail)", in upstream's order: the baseline checks no restricted
 * check covers, then the covered ones (baseline) or the restricted ones (restricted), each group by id.
 */
export function violations(level: Level, spec: PodSpec): string[] {
  if (level === "privileged") return [];
  const baseline = CHECKS.filter((c) => c.level === "baseline");
  const rest = level === "baseline" ? baseline.filter((c) => c.overlap) : CHECKS.filter((c) => c.level === level);
  return [...baseline.filter((c) => !c.overlap).sort(byId), ...rest.sort(byId)].flatMap((c) => {
    const v = c.check(spec);
    return v ? [v.detail ? `${v.reason} (${v.detail})` : v.reason] : [];
  });
}

const describe = (p: Policy, found: string[]) => `PodSecurity "${p.level}:${p.version}": ${found.join(", ")}`;

/** The pod spec Pod Security looks at: a new pod's, or a workload's template when it is new or changed. */
function specToCheck(kind: ResourceKind, obj: KubeObject, old: KubeObject | undefined): PodSpec | undefined {
  if (kind.group === "" && kind.plural === "pods") return old ? undefined : ((obj.spec ?? {}) as PodSpec);
  const spec = kind.podTemplate?.(obj);
  if (!spec || (old && JSON.stringify(kind.podTemplate?.(old)) === JSON.stringify(spec))) return undefined;
  return spec;
}

/**
 * Refuses (enforce) or warns about (warn) a new pod that breaks its namespace's Pod Security levels;
 * a workload is only warned about, at the enforce and the warn level, as upstream (its pods meet
 * enforce when they are made).
 */
export function admitPodSecurity(
  ctx: ApiContext,
  kind: ResourceKind,
  obj: KubeObject,
  old: KubeObject | undefined,
  warnings: string[],
): void {
  const namespace = obj.metadata.namespace;
  if (!namespace || !(kind.podTemplate || (kind.group === "" && kind.plural === "pods"))) return;
  // Labels first: most namespaces have no policy, and then no template is compared or evaluated.
  const labels = ctx.store.get("namespaces", undefined, namespace)?.object.metadata.labels ?? {};
  const enforce = policyOf(labels, "enforce");
  const warn = policyOf(labels, "warn");
  const spec = enforce || warn ? specToCheck(kind, obj, old) : undefined;
  if (!spec) return;
  const isPod = kind.group === "" && kind.plural === "pods";
  if (isPod && enforce) {
    const refused = violations(enforce.level, spec);
    const name = obj.metadata.name ?? "";
    if (refused.length > 0)
      throw forbidden(`pods "${name}" is forbidden: violates ${describe(enforce, refused)}`, { name, kind: "pods" });
  }
  // A workload's pods would be refused under enforce: its template is warned about at both levels.
  const levels = isPod ? [warn] : [enforce, warn];
  const seen = new Set<string>();
  for (const policy of levels) {
    const key = policy && `${policy.level}:${policy.version}`;
    if (!policy || !key || seen.has(key)) continue;
    seen.add(key);
    const found = violations(policy.level, spec);
    if (found.length > 0) warnings.push(`would violate ${describe(policy, found)}`);
  }
}
