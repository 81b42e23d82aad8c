// Upstream's DefaultTolerationSeconds admission for new pods, with the cluster's setting.
import { TAINT_NODE_NOT_READY, TAINT_NODE_UNREACHABLE } from "../../../kube/well-known-taints.ts";
import type { KubeObject } from "../../../kube/types.ts";
import type { ApiContext } from "../context.ts";
import { resourceId } from "../registry/lookup.ts";
import type { ResourceKind } from "../registry/types.ts";
import { DEFAULT_SETTINGS } from "../settings.ts";

/**
 * DefaultTolerationSeconds: a pod created without a NoExecute toleration of the not-ready or
 * unreachable taint gets one for the cluster's defaultTolerationSeconds (runs before the pod's
 * own defaulting, which then finds them present).
 */
export function admitDefaultTolerationSeconds(ctx: ApiContext, kind: ResourceKind, obj: KubeObject): void {
  if (resourceId(kind) !== "pods" || typeof obj.spec !== "object" || obj.spec === null) return;
  // A malformed list is validation's to report, not ours to replace.
  if (obj.spec.tolerations != null && !Array.isArray(obj.spec.tolerations)) return;
  const seconds = (ctx.settings ?? DEFAULT_SETTINGS).defaultTolerationSeconds;
  const tolerations: { key?: string; effect?: string }[] = obj.spec.tolerations ?? [];
  const covers = (key: string) =>
    tolerations.some((t) => (t?.key === key || !t?.key) && (t?.effect === "NoExecute" || !t?.effect));
  const added = [TAINT_NODE_NOT_READY, TAINT_NODE_UNREACHABLE]
    .filter((key) => !covers(key))
    .map((key) => ({ key, operator: "Exists", effect: "NoExecute", tolerationSeconds: seconds }));
  if (added.length > 0) obj.spec.tolerations = [...tolerations, ...added];
}
