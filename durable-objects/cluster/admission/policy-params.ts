// The parameters a binding gives its policy, as upstream's generic.CollectParams finds them: none
// without a paramKind, else the object paramRef names (or those its selector picks) of that kind,
// in paramRef's namespace or the request's; parameterNotFoundAction decides when there are none.
import { matchesLabels, requirementsFromLabelSelector } from "../../../kube/labels.ts";
import type { KubeObject } from "../../../kube/types.ts";
import type { ApiContext } from "../context.ts";
import { resourceId } from "../registry/lookup.ts";

export type Params = { params: (KubeObject | null)[]; error?: undefined } | { params?: undefined; error: string };

function groupOf(apiVersion: string): string {
  return apiVersion.includes("/") ? apiVersion.split("/")[0] : "";
}

export function collectParams(
  ctx: ApiContext,
  policy: KubeObject,
  binding: KubeObject,
  namespace: string | undefined,
): Params {
  const paramKind = policy.spec?.paramKind;
  if (!paramKind) return { params: [null] };
  const ref = binding.spec?.paramRef;
  if (!ref) return { error: `paramKind kind \`${paramKind.kind}\` is set but paramRef is nil` };
  const kind = ctx.kinds.byKind(groupOf(String(paramKind.apiVersion ?? "")), String(paramKind.kind ?? ""));
  if (!kind)
    return { error: `failed to find resource referenced by paramKind: '${paramKind.apiVersion}/${paramKind.kind}'` };
  let ns: string | undefined;
  if (kind.namespaced) {
    ns = ref.namespace || namespace;
    if (!ns) return { error: "cannot use namespaced paramRef in policy binding that matches cluster-scoped resources" };
  }
  const resource = resourceId(kind);
  let found: KubeObject[];
  if (ref.name) {
    const one = ctx.store.get(resource, ns, String(ref.name))?.object;
    found = one ? [one] : [];
  } else {
    const reqs = requirementsFromLabelSelector(ref.selector ?? {});
    found = ctx.store
      .list(resource, ns)
      .map((e) => e.object)
      .filter((o) => matchesLabels(reqs, o.metadata.labels ?? {}));
  }
  if (found.length > 0) return { params: found };
  if (ref.parameterNotFoundAction === "Deny")
    return { error: "no params found for policy binding with `Deny` parameterNotFoundAction" };
  return { params: [] };
}
