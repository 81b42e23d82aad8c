// The rolling-update arithmetic of upstream's deployment controller, pure: fenceposts from
// maxSurge/maxUnavailable, how far the new ReplicaSet may grow, how far old ones may shrink
// without dropping below the minimum available, and proportional scaling of all sets when
// the deployment is resized mid-rollout.

export type IntOrPercent = number | string | undefined | null;

export interface RolloutSpec {
  replicas: number;
  strategy: "RollingUpdate" | "Recreate";
  maxSurge?: IntOrPercent;
  maxUnavailable?: IntOrPercent;
}

/** What the arithmetic needs of a ReplicaSet. */
export interface SetSize {
  name: string;
  /** spec.replicas */
  replicas: number;
  /** status.availableReplicas */
  available: number;
  /** creationTimestamp in ms, for oldest-first order */
  created: number;
  /** The deployment.kubernetes.io/max-replicas annotation, when present. */
  maxReplicas?: number;
}

/** GetScaledValueFromIntOrPercent. */
export function scaledValue(value: IntOrPercent, total: number, roundUp: boolean): number {
  if (typeof value === "number") return value;
  const m = /^(\d+)%$/.exec(value ?? "");
  if (!m) return 0;
  const exact = (Number(m[1]) * total) / 100;
  return roundUp ? Math.ceil(exact) : Math.floor(exact);
}

/** ResolveFenceposts: surge rounds up, unavailability down, and both zero means one unavailable. */
export function resolveFenceposts(spec: RolloutSpec): { surge: number; unavailable: number } {
  const surge = scaledValue(spec.maxSurge ?? 0, spec.replicas, true);
  let unavailable = scaledValue(spec.maxUnavailable ?? 0, spec.replicas, false);
  if (surge === 0 && unavailable === 0) unavailable = 1;
  return { surge, unavailable };
}

export function maxUnavailable(spec: RolloutSpec): number {
  if (spec.strategy !== "RollingUpdate" || spec.replicas === 0) return 0;
  return Math.min(resolveFenceposts(spec).unavailable, spec.replicas);
}

export function maxSurge(spec: RolloutSpec): number {
  return spec.strategy === "RollingUpdate" ? resolveFenceposts(spec).surge : 0;
}

const total = (sets: readonly SetSize[], f: (s: SetSize) => number) => sets.reduce((n, s) => n + f(s), 0);
const byAge = (a: SetSize, b: SetSize) => a.created - b.created || a.name.localeCompare(b.name);

/** NewRSNewReplicas: the size the new set may have now, given all sets' sizes. */
export function newSetReplicas(spec: RolloutSpec, all: readonly SetSize[], current: number): number {
  if (spec.strategy !== "RollingUpdate") return spec.replicas;
  const maxTotal = spec.replicas + maxSurge(spec);
  const podCount = total(all, (s) => s.replicas);
  if (podCount >= maxTotal) return current;
  return current + Math.min(maxTotal - podCount, spec.replicas - current);
}

/**
 * reconcileOldReplicaSets: new sizes for the old sets (oldest first). Unhealthy replicas of
 * old sets go first, then available ones, never below replicas − maxUnavailable available.
 */
export function scaleDownOld(
  spec: RolloutSpec,
  old: readonly SetSize[],
  next: SetSize | undefined,
): Map<string, number> {
  const sizes = new Map(old.map((s) => [s.name, s.replicas]));
  const oldPods = total(old, (s) => s.replicas);
  if (oldPods === 0) return sizes;
  const minAvailable = spec.replicas - maxUnavailable(spec);
  const newUnavailable = next ? next.replicas - next.available : 0;
  const maxScaledDown = oldPods + (next?.replicas ?? 0) - minAvailable - newUnavailable;
  if (maxScaledDown <= 0) return sizes;
  const sorted = [...old].sort(byAge);
  let cleaned = 0;
  for (const s of sorted) {
    if (cleaned >= maxScaledDown) break;
    const unhealthy = sizes.get(s.name)! - s.available;
    if (sizes.get(s.name) === 0 || unhealthy <= 0) continue;
    const down = Math.min(maxScaledDown - cleaned, unhealthy);
    sizes.set(s.name, sizes.get(s.name)! - down);
    cleaned += down;
  }
  const available = total(old, (s) => s.available) + (next?.available ?? 0);
  if (available <= minAvailable) return sizes;
  const toScaleDown = available - minAvailable;
  let scaled = 0;
  for (const s of sorted) {
    if (scaled >= toScaleDown) break;
    const size = sizes.get(s.name)!;
    if (size === 0) continue;
    const down = Math.min(size, toScaleDown - scaled);
    sizes.set(s.name, size - down);
    scaled += down;
  }
  return sizes;
}

/** getReplicaSetFraction: this set's share of a resize, from the size it was last scaled for. */
function fraction(set: SetSize, spec: RolloutSpec, statusReplicas: number): number {
  if (spec.replicas === 0) return -set.replicas;
  const deploymentReplicas = spec.replicas + maxSurge(spec);
  const annotated = set.maxReplicas ?? statusReplicas;
  if (annotated === 0) return 0;
  return Math.round((set.replicas * deploymentReplicas) / annotated) - set.replicas;
}

/**
 * The proportional part of upstream's scale(): a resize during a rollout is spread over the
 * active sets in proportion to their sizes; leftovers go to the largest. `active` are the
 * sets with replicas; statusReplicas is the deployment's status.replicas.
 */
export function scaleProportionally(
  spec: RolloutSpec,
  active: readonly SetSize[],
  statusReplicas: number,
): Map<string, number> {
  const allowed = spec.replicas > 0 ? spec.replicas + maxSurge(spec) : 0;
  const toAdd = allowed - total(active, (s) => s.replicas);
  // Larger first; on ties newer first when growing, older first when shrinking.
  const sorted = [...active].sort(
    (a, b) => b.replicas - a.replicas || (toAdd > 0 ? b.created - a.created : a.created - b.created),
  );
  const sizes = new Map<string, number>();
  let added = 0;
  for (const s of sorted) {
    let share = 0;
    if (toAdd !== 0 && s.replicas !== 0 && added !== toAdd) {
      const f = fraction(s, spec, statusReplicas);
      share = toAdd > 0 ? Math.min(f, toAdd - added) : Math.max(f, toAdd - added);
    }
    sizes.set(s.name, s.replicas + share);
    added += share;
  }
  if (sorted.length > 0 && toAdd !== 0) {
    const first = sorted[0].name;
    sizes.set(first, Math.max(0, sizes.get(first)! + toAdd - added));
  }
  return sizes;
}
