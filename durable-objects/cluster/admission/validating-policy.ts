// Upstream's ValidatingAdmissionPolicy plugin (apiserver/pkg/admission/plugin/policy/validating): every
// binding whose policy and matchResources select the request evaluates the policy once per parameter;
// a failed validation is denied, warned about or (with no audit log here) only audited as the binding's
// validationActions say, and the first denial refuses the write with upstream's message and code.
import { groupResource, StatusError } from "../../../kube/status.ts";
import type { KubeObject } from "../../../kube/types.ts";
import type { UserInfo } from "../../../kube/user-info.ts";
import type { ApiContext } from "../context.ts";
import { apiVersionOf } from "../registry/lookup.ts";
import type { ResourceKind } from "../registry/types.ts";
import { ADMISSION_GROUP, POLICIES, POLICY_BINDINGS } from "../registry/validatingadmissionpolicies.ts";
import { compilePolicy, evaluatePolicy } from "./policy-evaluate.ts";
import { matchesResources, namespaceOf, type PolicyRequest, subjectOf } from "./policy-match.ts";
import { collectParams } from "./policy-params.ts";

const REASON_CODES: Record<string, number> = {
  Unauthorized: 401,
  Forbidden: 403,
  Invalid: 422,
  RequestEntityTooLarge: 413,
};

interface Denial {
  policy: string;
  binding: string;
  message: string;
  reason: string;
}

/** admission.CreateAdmissionRequest, as CEL's `request` sees it. */
function admissionRequest(req: PolicyRequest, user: UserInfo | undefined): Record<string, unknown> {
  const { kind } = req;
  const gvk = { group: kind.group, version: kind.version, kind: kind.kind };
  const gvr = { group: kind.group, version: kind.version, resource: kind.plural };
  return {
    kind: gvk,
    resource: gvr,
    requestKind: gvk,
    requestResource: gvr,
    name: subjectOf(req).metadata.name ?? "",
    namespace: subjectOf(req).metadata.namespace ?? "",
    operation: req.operation,
    userInfo: user
      ? { username: user.username, uid: user.uid ?? "", groups: user.groups, extra: user.extra ?? {} }
      : {},
    dryRun: false,
  };
}

/** cel.CreateNamespaceObject: the namespace's metadata fields policies may read, its spec and status. */
function namespaceObject(ns: KubeObject | undefined): Record<string, unknown> | null {
  if (!ns) return null;
  const m = ns.metadata;
  return {
    metadata: {
      name: m.name,
      generateName: m.generateName,
      namespace: m.namespace,
      labels: m.labels,
      annotations: m.annotations,
      uid: m.uid,
      creationTimestamp: m.creationTimestamp,
      deletionTimestamp: m.deletionTimestamp,
      deletionGracePeriodSeconds: m.deletionGracePeriodSeconds,
      generation: m.generation,
      resourceVersion: m.resourceVersion,
    },
    spec: ns.spec ?? {},
    status: ns.status ?? {},
  };
}

function withTypeMeta(kind: ResourceKind, obj: KubeObject | undefined): KubeObject | null {
  if (!obj) return null;
  return { ...obj, apiVersion: obj.apiVersion ?? apiVersionOf(kind), kind: obj.kind ?? kind.kind };
}

function refuse(req: PolicyRequest, d: Denial): StatusError {
  const message = `ValidatingAdmissionPolicy '${d.policy}' with binding '${d.binding}' denied request: ${d.message}`;
  const name = subjectOf(req).metadata.name ?? "";
  const code = REASON_CODES[d.reason] ?? 422;
  return new StatusError(
    code,
    d.reason,
    `${groupResource(req.kind.group, req.kind.plural)} "${name}" is forbidden: ${message}`,
    {
      name,
      group: req.kind.group || undefined,
      kind: req.kind.plural,
      causes: [{ message }],
    },
  );
}

function bindingsByPolicy(ctx: ApiContext): Map<string, KubeObject[]> {
  const byPolicy = new Map<string, KubeObject[]>();
  for (const e of ctx.store.list(POLICY_BINDINGS)) {
    const name = e.object.spec?.policyName;
    if (typeof name !== "string") continue;
    const list = byPolicy.get(name) ?? [];
    list.push(e.object);
    byPolicy.set(name, list);
  }
  return byPolicy;
}

/** On create and update (`old` set). */
export function admitValidatingPolicies(
  ctx: ApiContext,
  kind: ResourceKind,
  obj: KubeObject,
  old: KubeObject | undefined,
  warnings: string[],
  user?: UserInfo,
): void {
  const operation = old ? "UPDATE" : "CREATE";
  dispatch(
    ctx,
    { kind, operation, object: obj, oldObject: old, namespace: namespaceOf(ctx, kind, obj) },
    warnings,
    user,
  );
}

/** On delete: `object` is null and `oldObject` the object going, as upstream evaluates a DELETE. */
export function admitValidatingPoliciesOnDelete(
  ctx: ApiContext,
  kind: ResourceKind,
  old: KubeObject,
  user?: UserInfo,
): void {
  dispatch(ctx, { kind, operation: "DELETE", oldObject: old, namespace: namespaceOf(ctx, kind, old) }, [], user);
}

function dispatch(ctx: ApiContext, req: PolicyRequest, warnings: string[], user: UserInfo | undefined): void {
  const { kind } = req;
  // Policies never apply to the policy kinds themselves: a bad policy must stay removable.
  if (kind.group === ADMISSION_GROUP) return;
  const bindings = bindingsByPolicy(ctx);
  if (bindings.size === 0) return;
  let denial: Denial | undefined;
  let base: Record<string, unknown> | undefined;
  for (const [policyName, policyBindings] of [...bindings].sort(([a], [b]) => a.localeCompare(b))) {
    const policy = ctx.store.get(POLICIES, undefined, policyName)?.object;
    if (!policy || !matchesResources(policy.spec?.matchConstraints, req, true)) continue;
    const compiled = compilePolicy(policy);
    for (const binding of policyBindings) {
      if (!matchesResources(binding.spec?.matchResources, req, false)) continue;
      const bindingName = binding.metadata.name ?? "";
      const params = collectParams(ctx, policy, binding, subjectOf(req).metadata.namespace);
      if (params.error !== undefined) {
        if (compiled.failurePolicy !== "Ignore")
          denial ??= {
            policy: policyName,
            binding: bindingName,
            message: `failed to configure binding: ${params.error}`,
            reason: "Invalid",
          };
        continue;
      }
      base ??= {
        object: withTypeMeta(kind, req.object),
        oldObject: withTypeMeta(kind, req.oldObject),
        request: admissionRequest(req, user),
        namespaceObject: namespaceObject(req.namespace),
      };
      const actions: string[] = Array.isArray(binding.spec?.validationActions) ? binding.spec.validationActions : [];
      for (const param of params.params)
        for (const d of evaluatePolicy(compiled, { ...base, params: param })) {
          if (actions.includes("Deny"))
            denial ??= { policy: policyName, binding: bindingName, message: d.message, reason: d.reason ?? "Invalid" };
          if (actions.includes("Warn"))
            warnings.push(
              `Validation failed for ValidatingAdmissionPolicy '${policyName}' with binding '${bindingName}': ${d.message}`,
            );
        }
    }
  }
  if (denial) throw refuse(req, denial);
}
