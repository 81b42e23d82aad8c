// Field numbers and types from k8s.io/apimachinery/pkg/apis/meta/v1/generated.proto: object metadata and label
// selectors. Time, MicroTime, FieldsV1, IntOrString and Quantity have their own JSON forms and are decoded in
// ../special.ts. Checked against the descriptors compiled into kubectl 1.32. Format: see ../schema.ts.
import { parseMessages } from "../schema.ts";

export const META_MESSAGES = parseMessages(`
ObjectMeta
  1 name string
  2 generateName string
  3 namespace string
  4 selfLink string
  5 uid string
  6 resourceVersion string
  7 generation int64
  8 creationTimestamp Time
  9 deletionTimestamp Time
  10 deletionGracePeriodSeconds int64?
  11 labels map<string>
  12 annotations map<string>
  13 ownerReferences OwnerReference[]
  14 finalizers string[]
  17 managedFields ManagedFieldsEntry[]
OwnerReference
  5 apiVersion string
  1 kind string
  3 name string
  4 uid string
  6 controller bool?
  7 blockOwnerDeletion bool?
ManagedFieldsEntry
  1 manager string
  2 operation string
  3 apiVersion string
  4 time Time
  6 fieldsType string
  7 fieldsV1 FieldsV1
  8 subresource string
LabelSelector
  1 matchLabels map<string>
  2 matchExpressions LabelSelectorRequirement[]
LabelSelectorRequirement
  1 key string
  2 operator string
  3 values string[]
`);
