// apps/v1 ControllerRevision: the immutable snapshots DaemonSets and StatefulSets keep as their
// revision history (ValidateControllerRevision / ValidateControllerRevisionUpdate, and
// printControllerRevision's columns). `kubectl rollout history|undo` for both kinds reads them.
import { type FieldError, invalid, required } from "../../../kube/field-errors.ts";
import type { KubeObject } from "../../../kube/types.ts";
import { ageColumn, column } from "./columns.ts";
import { immutable } from "./meta.ts";
import type { ResourceKind } from "./types.ts";
import { nonNegative } from "./workload-validation.ts";

/** What a ControllerRevision carries at the top level (it has no spec). */
interface Revision extends KubeObject {
  data?: unknown;
  revision?: unknown;
}

/** ValidateControllerRevision: data is mandatory, revision not negative. */
export function validateControllerRevision(o: KubeObject): FieldError[] {
  const r = o as Revision;
  const errs: FieldError[] = [];
  if (r.data === undefined || r.data === null) errs.push(required("data", "data is mandatory"));
  // Upstream decodes revision as int64 (absent is 0); a non-integer never reaches validation there.
  if (r.revision !== undefined && !Number.isInteger(r.revision))
    errs.push(invalid("revision", r.revision, "must be an integer"));
  errs.push(...nonNegative(r.revision, "revision"));
  return errs;
}

/** ValidateControllerRevisionUpdate: the snapshot itself never changes. */
export function validateControllerRevisionUpdate(o: KubeObject, old: KubeObject): FieldError[] {
  return immutable("data", (o as Revision).data, (old as Revision).data);
}

/** printControllerRevision's CONTROLLER: `<kind>.<group>/<name>` in lower case, or <none>. */
export function controllerName(o: KubeObject): string {
  const ref = o.metadata.ownerReferences?.find((r) => r.controller === true);
  if (!ref) return "<none>";
  const slash = ref.apiVersion.indexOf("/");
  const group = slash < 0 ? "" : ref.apiVersion.slice(0, slash);
  const kind = group ? `${ref.kind}.${group}` : ref.kind;
  return `${kind.toLowerCase()}/${ref.name}`;
}

export const controllerRevisions: ResourceKind = {
  group: "apps",
  version: "v1",
  kind: "ControllerRevision",
  plural: "controllerrevisions",
  singular: "controllerrevision",
  namespaced: true,
  nameRule: "subdomain",
  columns: [
    column("Controller", "string", "Controller of the object", controllerName),
    column("Revision", "string", "Revision indicates the revision of the state represented by Data.", (o) =>
      Number((o as Revision).revision ?? 0),
    ),
    ageColumn,
  ],
  defaults(o) {
    // revision is a plain int64 upstream: absent reads as 0.
    (o as Revision).revision ??= 0;
  },
  validate: validateControllerRevision,
  validateUpdate: validateControllerRevisionUpdate,
};
