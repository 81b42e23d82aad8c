// apiextensions.k8s.io/v1 CustomResourceDefinition (upstream's apiextensions-apiserver registry):
// its own validation, the defaults of SetDefaults_CustomResourceDefinition, and the cleanup
// finalizer that holds a CRD until its custom resources are gone (controllers/crd.ts).
import type { KubeObject } from "../../../kube/types.ts";
import { column } from "./columns.ts";
import { validateCrd, validateCrdUpdate } from "./crd-validation.ts";
import type { ResourceKind } from "./types.ts";

export const CRDS = "customresourcedefinitions.apiextensions.k8s.io";
export const CRD_CLEANUP_FINALIZER = "customresourcecleanup.apiextensions.k8s.io";

function defaults(crd: KubeObject): void {
  const spec = crd.spec;
  if (!spec || typeof spec !== "object") return;
  const names = spec.names;
  if (names && typeof names === "object" && typeof names.kind === "string") {
    names.singular ??= names.kind.toLowerCase();
    names.listKind ??= `${names.kind}List`;
  }
  spec.conversion ??= { strategy: "None" };
}

export const customResourceDefinitions: ResourceKind = {
  group: "apiextensions.k8s.io",
  version: "v1",
  kind: "CustomResourceDefinition",
  plural: "customresourcedefinitions",
  singular: "customresourcedefinition",
  namespaced: false,
  shortNames: ["crd", "crds"],
  categories: ["api-extensions"],
  nameRule: "subdomain",
  protobuf: false,
  subresources: { status: true },
  tracksGeneration: true,
  // Upstream serves CRDs through the default table convertor: Name and Created At.
  columns: [
    column(
      "Created At",
      "date",
      "CreationTimestamp is a timestamp representing the server time when this object was created.",
      (o) => o.metadata.creationTimestamp,
    ),
  ],
  defaults,
  prepareForCreate: (crd) => {
    delete crd.status;
    const finalizers = crd.metadata.finalizers ?? [];
    if (!finalizers.includes(CRD_CLEANUP_FINALIZER)) crd.metadata.finalizers = [...finalizers, CRD_CLEANUP_FINALIZER];
  },
  validate: validateCrd,
  validateUpdate: validateCrdUpdate,
};
