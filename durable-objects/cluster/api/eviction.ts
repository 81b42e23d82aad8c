// The pods/eviction subresource (upstream pkg/registry/core/pod/storage/eviction.go): a POSTed
// policy/v1 (or v1beta1) Eviction deletes the pod unless a PodDisruptionBudget forbids it. Pods
// already finished, pending or being deleted go without a budget check; more than one budget is a
// 500; a budget without allowed disruptions (or not yet processed) is a 429 with the cause;
// otherwise the budget's disruptionsAllowed is decremented and the pod recorded in disruptedPods
// (so the disruption controller does not count it healthy) before the delete.
import { badRequest, forbidden, notFound, statusFailure, statusSuccess, StatusError } from "../../../kube/status.ts";
import type { KubeObject } from "../../../kube/types.ts";
import { isPodReady } from "../controllers/pods.ts";
import { allowedCondition } from "../controllers/disruption-math.ts";
import { selectorMatches } from "../registry/workload-validation.ts";
import type { ResourceKind } from "../registry/types.ts";
import { type ApiContext, timestamp } from "../context.ts";
import { mediaType, parseDocument, readBody } from "./decode.ts";
import { deleteObject } from "../writes/delete.ts";
import { deleteOptions } from "./options.ts";
import { type DeleteOptions, SYSTEM_WRITE } from "../writes/options.ts";
import { json } from "../../../kube/http/respond.ts";
import { updateObject } from "../writes/update.ts";

const PDB = "poddisruptionbudgets.policy";
const EVICTION_VERSIONS = ["policy/v1", "policy/v1beta1"];
/** MaxDisruptedPodSize: evictions the controller has not confirmed yet. */
const MAX_DISRUPTED_PODS = 2000;
const VIOLATION = "Cannot evict pod as it would violate the pod's disruption budget.";
const APISERVER_WRITE = { ...SYSTEM_WRITE, fieldManager: "kube-apiserver" };

const budgetError = (message: string, retryAfterSeconds: number) =>
  new StatusError(429, "TooManyRequests", VIOLATION, {
    causes: [{ reason: "DisruptionBudget", message }],
    retryAfterSeconds,
  });

/** The Eviction in the body, checked as upstream's decoding and Create do. */
function parseEviction(text: string, type: string, name: string): KubeObject {
  const body = parseDocument(text, type) as KubeObject | null;
  if (typeof body !== "object" || body === null || Array.isArray(body))
    throw badRequest(
      "the body of the request was in an unknown format - accepted media types include: application/json, application/yaml",
    );
  if (body.kind !== "Eviction" || !EVICTION_VERSIONS.includes(body.apiVersion))
    throw badRequest(`not a Eviction object: ${body.apiVersion ?? ""}, Kind=${body.kind ?? ""}`);
  if (body.metadata?.name !== name) throw badRequest("name in URL does not match name in Eviction object");
  return body;
}

/** canIgnorePDB: the pod already caused its disruption or never ran. */
function canIgnoreBudget(pod: KubeObject): boolean {
  const phase = pod.status?.phase;
  return phase === "Succeeded" || phase === "Failed" || phase === "Pending" || !!pod.metadata.deletionTimestamp;
}

/** getPodDisruptionBudgets: a missing or empty selector matches nothing here. */
function budgetsOf(ctx: ApiContext, pod: KubeObject): KubeObject[] {
  return ctx.store
    .list(PDB, pod.metadata.namespace)
    .map((e) => e.object)
    .filter((pdb) => {
      const sel = pdb.spec?.selector;
      const empty = !sel || Object.keys(sel.matchLabels ?? {}).length + (sel.matchExpressions ?? []).length === 0;
      return !empty && selectorMatches(sel, pod.metadata.labels) === true;
    });
}

/** checkAndDecrement: refuses (429/403) or takes one disruption from the budget. */
function checkAndDecrement(
  ctx: ApiContext,
  kind: ResourceKind,
  pdb: KubeObject,
  podName: string,
  dryRun: boolean,
): void {
  const name = pdb.metadata.name!;
  const status = pdb.status ?? {};
  if ((status.observedGeneration ?? 0) < (pdb.metadata.generation ?? 0))
    throw budgetError(`The disruption budget ${name} is still being processed by the server.`, 10);
  const allowed = Number(status.disruptionsAllowed ?? 0);
  if (allowed < 0)
    throw forbidden(`poddisruptionbudget.policy "${name}" is forbidden: pdb disruptions allowed is negative`);
  if (Object.keys(status.disruptedPods ?? {}).length > MAX_DISRUPTED_PODS)
    throw forbidden(
      `poddisruptionbudget.policy "${name}" is forbidden: DisruptedPods map too big - too many evictions not confirmed by PDB controller`,
    );
  if (allowed === 0)
    throw budgetError(
      `The disruption budget ${name} needs ${status.desiredHealthy ?? 0} healthy pods and has ${status.currentHealthy ?? 0} currently`,
      0,
    );
  if (dryRun) return;
  const now = timestamp(ctx.now());
  const next = structuredClone(pdb);
  next.status = {
    ...status,
    disruptionsAllowed: allowed - 1,
    disruptedPods: { ...status.disruptedPods, [podName]: now },
  };
  if (allowed - 1 === 0)
    next.status.conditions = allowedCondition(status.conditions, 0, now, Number(status.observedGeneration ?? 0));
  updateObject(ctx, kind, { namespace: pdb.metadata.namespace, name, subresource: "status" }, next, APISERVER_WRITE);
}

function withResourceVersion(options: DeleteOptions, pod: KubeObject): DeleteOptions {
  if (options.preconditions?.resourceVersion) return options;
  return { ...options, preconditions: { ...options.preconditions, resourceVersion: pod.metadata.resourceVersion } };
}

/** POST .../pods/<name>/eviction. */
export async function evictPod(
  ctx: ApiContext,
  pods: ResourceKind,
  namespace: string,
  name: string,
  request: Request,
): Promise<Response> {
  const eviction = parseEviction(await readBody(request), mediaType(request), name);
  const params = new URL(request.url).searchParams;
  const options = deleteOptions(params, eviction.deleteOptions, request.headers.get("user-agent"));
  const pod = ctx.store.get("pods", namespace, name)?.object;
  const done = () => json({ ...statusSuccess(), code: 201 }, 201);
  if (!pod) throw notFound(pods.group, pods.plural, name);
  if (canIgnoreBudget(pod)) {
    const terminal =
      pod.status?.phase === "Succeeded" || pod.status?.phase === "Failed" || pod.metadata.deletionTimestamp;
    deleteObject(ctx, pods, namespace, name, terminal ? options : withResourceVersion(options, pod));
    return done();
  }
  const budgets = budgetsOf(ctx, pod);
  if (budgets.length > 1) {
    const message = "This pod has more than one PodDisruptionBudget, which the eviction subresource does not support.";
    return json(statusFailure(500, "", message), 500);
  }
  const [pdb] = budgets;
  if (!pdb) {
    deleteObject(ctx, pods, namespace, name, options);
    return done();
  }
  const s = pdb.status ?? {};
  const unhealthyButCovered =
    !isPodReady(pod) && (s.currentHealthy ?? 0) >= (s.desiredHealthy ?? 0) && (s.desiredHealthy ?? 0) > 0;
  if (unhealthyButCovered) {
    deleteObject(ctx, pods, namespace, name, withResourceVersion(options, pod));
    return done();
  }
  const budgetKind = ctx.kinds.byResource(PDB)!;
  checkAndDecrement(ctx, budgetKind, pdb, name, options.dryRun);
  deleteObject(ctx, pods, namespace, name, options);
  return done();
}
