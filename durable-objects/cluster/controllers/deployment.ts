// The Deployment controller (upstream pkg/controller/deployment): owns ReplicaSets by
// template (pod-template-hash), rolls from old to new with RollingUpdate or Recreate, scales
// proportionally when resized mid-rollout, keeps revisionHistoryLimit old sets, and reports
// status with the Progressing and Available conditions. `kubectl rollout undo` needs nothing
// here: kubectl copies an old set's template into the deployment, and that set becomes new.
import type { KubeObject } from "../../../kube/types.ts";
import type { ApiContext } from "../context.ts";
import type { Change } from "../store/object-store.ts";
import { claim } from "./claim.ts";
import { DeploymentRollout } from "./deployment-rollout.ts";
import { getCondition, hasProgressDeadline, newCondition, PROGRESSING, TIMED_OUT } from "./deployment-status.ts";
import { controllerRef } from "./pods.ts";
import { dependentKeys, safeSelector } from "./replicaset.ts";
import { objectKey } from "../store/keys.ts";
import type { Controller, ReconcileResult } from "./types.ts";
import { Writer } from "./writes.ts";

export const DEPLOYMENT_CONTROLLER = "deployment-controller";
export const DEPLOY = "deployments.apps";
export const RS = "replicasets.apps";

export class DeploymentController implements Controller {
  readonly name = DEPLOYMENT_CONTROLLER;
  #w: Writer;

  constructor(ctx: ApiContext) {
    this.#w = new Writer(ctx, DEPLOYMENT_CONTROLLER);
  }

  keysFor(change: Change): string[] {
    const { resource, key } = change.entry;
    if (resource === DEPLOY) return [key];
    if (resource === RS) return dependentKeys(this.#w.ctx, DEPLOY, "Deployment", change);
    // Recreate waits for old pods to be gone; their removal changes no set's status.
    if (resource === "pods" && change.type === "DELETED") return this.#deploymentOfPod(change.entry.object);
    return [];
  }

  initialKeys(): string[] {
    return this.#w.ctx.store.list(DEPLOY).map((e) => e.key);
  }

  reconcile(key: string): ReconcileResult | undefined {
    const entry = this.#w.entry(key);
    if (!entry) return undefined;
    let d = entry.object;
    const selector = safeSelector(d);
    if (selector !== null && selector.length === 0) return this.#selectingAll(d);
    const sets = claim(this.#w, d, selector, { resource: RS });
    const rollout = new DeploymentRollout(this.#w, d, sets);
    if (d.metadata.deletionTimestamp) return rollout.syncStatusOnly();
    d = this.#checkPaused(d);
    rollout.deployment = d;
    if (d.spec?.paused || rollout.isScalingEvent()) return rollout.sync();
    return d.spec?.strategy?.type === "Recreate" ? rollout.recreate() : rollout.rolling();
  }

  #selectingAll(d: KubeObject): undefined {
    this.#w.events.record(d, {
      type: "Warning",
      reason: "SelectingAll",
      message: "This deployment is selecting all pods. A non-empty selector is required.",
    });
    if ((d.status?.observedGeneration ?? 0) < (d.metadata.generation ?? 1))
      this.#w.updateStatus(DEPLOY, d, { ...d.status, observedGeneration: d.metadata.generation });
    return undefined;
  }

  /** checkPausedConditions: Progressing Unknown while paused, and once when resumed. */
  #checkPaused(d: KubeObject): KubeObject {
    if (!hasProgressDeadline(d)) return d;
    const cond = getCondition(d.status, PROGRESSING);
    if (cond?.reason === TIMED_OUT) return d;
    const pausedShown = cond?.reason === "DeploymentPaused";
    const now = this.#w.ctx.now();
    let next: ReturnType<typeof newCondition> | undefined;
    if (d.spec?.paused && !pausedShown)
      next = newCondition(PROGRESSING, "Unknown", "DeploymentPaused", "Deployment is paused", now);
    else if (!d.spec?.paused && pausedShown)
      next = newCondition(PROGRESSING, "Unknown", "DeploymentResumed", "Deployment is resumed", now);
    if (!next) return d;
    const status = structuredClone(d.status ?? {});
    status.conditions = [...(status.conditions ?? []).filter((c: { type: string }) => c.type !== PROGRESSING), next];
    return this.#w.updateStatus(DEPLOY, d, status);
  }

  #deploymentOfPod(pod: KubeObject): string[] {
    const ref = controllerRef(pod);
    if (ref?.kind !== "ReplicaSet") return [];
    const rs = this.#w.ctx.store.get(RS, pod.metadata.namespace, ref.name)?.object;
    const owner = rs && controllerRef(rs);
    return owner?.kind === "Deployment" ? [objectKey(DEPLOY, pod.metadata.namespace, owner.name)] : [];
  }
}
