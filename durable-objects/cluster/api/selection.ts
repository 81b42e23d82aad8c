// Which objects a list or watch wants: namespace, label selector and field selector,
// compiled once per request into one predicate.
import {
  checkFieldLabels,
  fieldLabelNotSupported,
  matchesFields,
  parseFieldSelector,
  unknownFieldSelector,
} from "../../../kube/fields.ts";
import { matchesLabels, parseLabelSelector } from "../../../kube/labels.ts";
import type { KubeObject } from "../../../kube/types.ts";
import type { ResourceKind } from "../registry/types.ts";

export type Predicate = (obj: KubeObject) => boolean;

function fieldLookup(kind: ResourceKind, obj: KubeObject): (field: string) => string | undefined {
  return (field) => {
    if (field === "metadata.name") return obj.metadata.name;
    if (field === "metadata.namespace") return obj.metadata.namespace ?? "";
    return kind.fields?.[field]?.(obj);
  };
}

export function selection(kind: ResourceKind, labelSelector: string, fieldSelector: string): Predicate {
  const labels = labelSelector ? parseLabelSelector(labelSelector) : [];
  const fields = fieldSelector ? parseFieldSelector(fieldSelector) : [];
  const supported = ["metadata.name", "metadata.namespace", ...Object.keys(kind.fields ?? {})];
  const error = checkFieldLabels(fields, supported, kind.fields ? fieldLabelNotSupported : unknownFieldSelector);
  if (error) throw error;
  if (labels.length === 0 && fields.length === 0) return () => true;
  return (obj) => matchesLabels(labels, obj.metadata.labels) && matchesFields(fields, fieldLookup(kind, obj));
}
