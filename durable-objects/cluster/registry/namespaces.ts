// core/v1 Namespace: cluster-scoped, DNS-1123 label names, created Active with the
// "kubernetes" finalizer (pkg/registry/core/namespace/strategy.go).
import { type FieldError, invalid } from "../../../kube/field-errors.ts";
import { isQualifiedName } from "../../../kube/names.ts";
import type { KubeObject } from "../../../kube/types.ts";
import { forbiddenFor } from "../auth/forbidden.ts";
import { type ApiContext, timestamp } from "../context.ts";
import { beginNamespaceDeletion } from "../writes/namespace-lifecycle.ts";
import { ageColumn, column } from "./columns.ts";
import { kubeFinalizerErrors } from "./meta.ts";
import type { ResourceKind } from "./types.ts";

/** Upstream's immortalNamespaces (plugin/pkg/admission/namespace/lifecycle). */
const IMMORTAL = new Set(["default", "kube-system", "kube-public"]);

const phase = (o: KubeObject): string => o.status?.phase ?? "";

/** Upstream labels every named namespace with its own name (SetDefaults_Namespace / Canonicalize). */
export const NAMESPACE_NAME_LABEL = "kubernetes.io/metadata.name";

function specFinalizerErrors(o: KubeObject): FieldError[] {
  const field = "spec.finalizers";
  return ((o.spec?.finalizers as string[] | undefined) ?? []).flatMap((f) => [
    ...isQualifiedName(f).map((msg) => invalid(field, f, msg)),
    ...kubeFinalizerErrors(f, field),
  ]);
}

/** Every namespace gets its "default" ServiceAccount in the write that creates it (upstream's serviceaccount controller). */
function ensureDefaultServiceAccount(ctx: ApiContext, ns: KubeObject): void {
  const namespace = ns.metadata.name!;
  if (ctx.store.get("serviceaccounts", namespace, "default")) return;
  ctx.store.put(
    "serviceaccounts",
    {
      apiVersion: "v1",
      kind: "ServiceAccount",
      metadata: { name: "default", namespace, uid: crypto.randomUUID(), creationTimestamp: timestamp(ctx.now()) },
    },
    "ADDED",
  );
}

export const namespaces: ResourceKind = {
  group: "",
  version: "v1",
  kind: "Namespace",
  plural: "namespaces",
  singular: "namespace",
  namespaced: false,
  shortNames: ["ns"],
  nameRule: "label",
  subresources: { status: true },
  columns: [column("Status", "string", "The status of the namespace", phase), ageColumn],
  fields: { "status.phase": phase },
  defaults(o) {
    if (!o.status?.phase) o.status = { ...(o.status ?? {}), phase: "Active" };
    // Nameless (generateName) namespaces get the label once the name exists.
    if (o.metadata.name) o.metadata.labels = { ...(o.metadata.labels ?? {}), [NAMESPACE_NAME_LABEL]: o.metadata.name };
  },
  prepareForCreate(o) {
    o.status = { phase: "Active" };
    const finalizers: string[] = o.spec?.finalizers ?? [];
    if (!finalizers.includes("kubernetes")) o.spec = { ...(o.spec ?? {}), finalizers: [...finalizers, "kubernetes"] };
  },
  validate: specFinalizerErrors,
  // The namespace lifecycle admission plugin's immortal namespaces: the cluster needs them.
  admitDelete(o) {
    const name = o.metadata.name ?? "";
    if (IMMORTAL.has(name)) throw forbiddenFor("", "namespaces", name, "this namespace may not be deleted");
  },
  afterCreate: ensureDefaultServiceAccount,
  beginDeletion: beginNamespaceDeletion,
};
